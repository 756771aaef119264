//! Native side of the npm package tests: writes what the native core answers for a list of
//! inputs, so the `node --test` suite can check the WASM build against it.
//!
//! ```text
//! qwen-meter-wasm-fixtures fixtures OUT.json   # cases: {name, call, args, value | error}
//! qwen-meter-wasm-fixtures bench-text OUT.txt  # the throughput text (deterministic, ~1 MB)
//! qwen-meter-wasm-fixtures bench TEXT.txt MS   # native countTokens throughput, as JSON
//! qwen-meter-wasm-fixtures startup              # native time of the first count, as JSON
//! ```
//!
//! Expected values are computed by calling the core crate directly (not through the bindings'
//! code), and the generator also runs the bindings' native dispatcher on the same arguments
//! and stops if the two disagree. Expected errors are the dispatcher's messages, which must
//! contain the core's own error text where the core raised it.

use std::time::{Duration, Instant};

use qwen_meter::{Generation, Keep, Tokenizer};
use qwen_meter_wasm::calls::dispatch;
use serde_json::{json, Value};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("fixtures") if args.len() == 3 => write(&args[2], &fixtures().to_string()),
        Some("bench-text") if args.len() == 3 => write(&args[2], &bench_text()),
        Some("bench") if args.len() == 4 => bench(&args[2], &args[3]),
        Some("startup") => {
            // First use builds the shared vocabulary tables (the work WASM repeats at start).
            let t = Instant::now();
            let n = Tokenizer::qwen3().count("Hello, world!");
            println!("{}", json!({"firstCountMs": t.elapsed().as_secs_f64() * 1e3, "tokens": n}));
            Ok(())
        }
        _ => Err("usage: qwen-meter-wasm-fixtures fixtures OUT.json | bench-text OUT.txt | bench TEXT.txt MS".into()),
    };
    if let Err(e) = result {
        eprintln!("qwen-meter-wasm-fixtures: {e}");
        std::process::exit(2);
    }
}

fn write(path: &str, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| format!("{path}: {e}"))
}

/// Times `count` on the text for about `ms` milliseconds after a warm-up; prints JSON.
fn bench(path: &str, ms: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let ms: u64 = ms.parse().map_err(|e| format!("MS: {e}"))?;
    let tok = Tokenizer::qwen3();
    let tokens = tok.count(&text);
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < Duration::from_millis(ms) {
        std::hint::black_box(tok.count(std::hint::black_box(&text)));
        calls += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{}",
        json!({
            "bytes": text.len(),
            "tokens": tokens,
            "calls": calls,
            "seconds": secs,
            "mbPerSecond": text.len() as f64 * calls as f64 / secs / 1e6,
        })
    );
    Ok(())
}

/// A small deterministic generator (no dependency needed for test data).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }
}

/// About 1 MB of mixed text: English prose, code, numbers, Chinese, a little emoji.
fn bench_text() -> String {
    const WORDS: &[&str] = &[
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "that",
        "for",
        "it",
        "as",
        "was",
        "with",
        "be",
        "by",
        "on",
        "not",
        "he",
        "I",
        "this",
        "are",
        "or",
        "his",
        "from",
        "at",
        "which",
        "but",
        "have",
        "an",
        "had",
        "they",
        "you",
        "were",
        "their",
        "one",
        "all",
        "we",
        "can",
        "her",
        "has",
        "there",
        "been",
        "if",
        "more",
        "when",
        "will",
        "would",
        "who",
        "so",
        "no",
        "model",
        "token",
        "request",
        "context",
        "window",
        "price",
        "latency",
        "throughput",
        "tokenizer",
        "vocabulary",
        "conversation",
        "assistant",
        "function",
        "parameters",
        "international",
        "availability",
        "documentation",
        "configuration",
        "don't",
        "it's",
        "we'll",
        "Qwen",
        "Alibaba",
        "Cloud",
        "Model",
        "Studio",
        "JavaScript",
        "WebAssembly",
    ];
    const CJK: &[&str] = &[
        "通义千问是阿里云研发的大语言模型。",
        "请把下面的文本翻译成英文，并保持原有的格式。",
        "模型的上下文长度为十二万八千个词元。",
        "東京都の天気は晴れのち曇りです。",
        "한국어 문장도 조금 섞어 봅니다.",
    ];
    const CODE: &[&str] = &[
        "fn main() {\n    let total: u64 = items.iter().map(|x| x.cost).sum();\n    println!(\"{total}\");\n}\n",
        "const res = await fetch(url, { method: 'POST', body: JSON.stringify(payload) });\n",
        "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }\n",
        "    def count(self, text: str) -> int:\n        return len(self.encode(text))\n",
    ];
    let mut rng = Lcg(42);
    let mut s = String::with_capacity(1 << 20);
    while s.len() < 1_000_000 {
        match rng.next() % 10 {
            0 => s.push_str(rng.pick::<&str>(CJK)),
            1 => s.push_str(rng.pick::<&str>(CODE)),
            2 => s.push_str(&format!(
                " {}.{:02} ",
                rng.next() % 100_000,
                rng.next() % 100
            )),
            3 if rng.next() % 8 == 0 => s.push_str(" 🙂 "),
            _ => {
                let n = 8 + rng.next() % 20;
                for i in 0..n {
                    let w = rng.pick(WORDS);
                    if i == 0 {
                        let mut c = w.chars();
                        let first = c.next().unwrap_or(' ').to_uppercase().to_string();
                        s.push_str(&first);
                        s.push_str(c.as_str());
                    } else {
                        s.push(' ');
                        s.push_str(w);
                    }
                    if rng.next() % 12 == 0 {
                        s.push(',');
                    }
                }
                s.push_str(if rng.next() % 5 == 0 { ".\n\n" } else { ". " });
            }
        }
    }
    s
}

/// Texts that exercise every stage: specials, NFC rewrites, astral characters, whitespace.
fn texts() -> Vec<(String, String)> {
    let mut t: Vec<(String, String)> = [
        ("empty", ""),
        ("hello", "Hello, world!"),
        ("fox", "The quick brown fox jumps over the lazy dog"),
        ("chinese", "通义千问是阿里巴巴开发的大语言模型。"),
        ("japanese-korean", "こんにちは世界 안녕하세요 세계"),
        ("emoji", "Hi 👋🏽 family: 👨‍👩‍👧‍👦 🦀 flags 🇨🇳🇺🇸"),
        ("combining", "e\u{301} cafe\u{301} A\u{30A} \u{1100}\u{1161}\u{11A8} q\u{307}\u{323}"),
        ("chatml", "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n<think>\nhmm\n</think>\n\nHi!<|im_end|>"),
        ("qwen-extra", "a<|extra_0|>b<|endoftext|>c<tool_response>d"),
        ("whitespace", "  \n\n\t  x   \r\n   y\u{3000}z\u{a0} "),
        ("numbers", "1234567890 3.14159 1,000,000 -42 0x1F ½ ²³ ٣٤٥"),
        ("code", "fn main() {\n    println!(\"{}\", 42);\n}\n\tif (a &&b) { return [x, y]; }"),
        ("contractions", "I'm you're he'll WE'VE she'd x'ſt IT'S"),
        ("math-astral", "𝒳 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈 𝟘𝟙𝟚"),
        ("partial-special", "<|im_start <|im_end|x <think >"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let bench = bench_text();
    let mut cut = 6000;
    while !bench.is_char_boundary(cut) {
        cut -= 1;
    }
    t.push(("long-mixed".into(), bench[..cut].to_string()));
    // Random strings over a pool of awkward characters.
    const POOL: &[&str] = &[
        "a",
        "Z",
        " ",
        "  ",
        "\n",
        "\t",
        "'",
        "s",
        "'S",
        "1",
        "23",
        "中",
        "文",
        "é",
        "e",
        "\u{301}",
        "\u{323}",
        "👋",
        "🏽",
        "\u{200d}",
        "<|im_end|>",
        "<think>",
        "<|",
        "|>",
        "ſ",
        "\u{3000}",
        "ß",
        "İ",
        ".",
        "!!",
        "🦀",
        "\u{fffd}",
        "\u{e000}",
        "\r\n",
        "ǅ",
        "ﬁ",
    ];
    let mut rng = Lcg(7);
    for i in 0..30 {
        let n = 1 + rng.next() % 40;
        let s: String = (0..n).map(|_| *rng.pick(POOL)).collect();
        t.push((format!("random-{i}"), s));
    }
    t
}

/// Collects cases and checks each expected value against the bindings' dispatcher.
struct Cases(Vec<Value>);

impl Cases {
    fn value(&mut self, name: String, call: &str, args: Vec<Value>, expected: Value) {
        match dispatch(call, &args) {
            Ok(got) if got == expected => {}
            Ok(got) => panic!("{name}: bindings answer {got}, core answers {expected}"),
            Err(e) => panic!("{name}: bindings fail with {e}, core answers {expected}"),
        }
        self.0
            .push(json!({"name": name, "call": call, "args": args, "value": expected}));
    }

    /// An error case; `core_message` is the core's own error text the message must contain.
    fn error(&mut self, name: &str, call: &str, args: Vec<Value>, core_message: Option<String>) {
        let e = match dispatch(call, &args) {
            Err(e) => e,
            Ok(v) => panic!("{name}: expected an error, bindings answer {v}"),
        };
        if let Some(m) = core_message {
            assert!(
                e.message.contains(&m),
                "{name}: message {:?} lacks the core's {m:?}",
                e.message
            );
        }
        assert!(
            e.message.starts_with(&format!("{call}: ")),
            "{name}: message {:?} does not name {call}",
            e.message
        );
        self.0.push(json!({
            "name": name, "call": call, "args": args,
            "error": {"code": e.code.as_str(), "message": e.message},
        }));
    }
}

fn gen_opts(g: Generation, ordinary: bool) -> Value {
    json!({"generation": g.name(), "ordinary": ordinary})
}

fn fixtures() -> Value {
    let mut c = Cases(Vec::new());
    for (name, text) in texts() {
        for g in Generation::ALL {
            let tok = Tokenizer::for_generation(g);
            for ordinary in [false, true] {
                let o = gen_opts(g, ordinary);
                let tag = format!("{name} [{} ordinary={ordinary}]", g.name());
                let ids = if ordinary {
                    tok.encode_ordinary(&text)
                } else {
                    tok.encode(&text)
                };
                let n = ids.len();
                c.value(
                    format!("countTokens {tag}"),
                    "countTokens",
                    vec![json!(text), o.clone()],
                    json!(n),
                );
                c.value(
                    format!("encode {tag}"),
                    "encode",
                    vec![json!(text), o.clone()],
                    json!(ids),
                );
                c.value(
                    format!("decode {tag}"),
                    "decode",
                    vec![json!(ids), o.clone()],
                    json!(tok.decode(&ids).expect("ids of a text decode")),
                );
                for limit in [0, n.saturating_sub(1), n, n + 1] {
                    let within = if ordinary {
                        tok.count_ordinary_within(&text, limit)
                    } else {
                        tok.count_within(&text, limit)
                    };
                    c.value(
                        format!("isWithinTokenLimit {tag} limit={limit}"),
                        "isWithinTokenLimit",
                        vec![json!(text), json!(limit), o.clone()],
                        within.map_or(json!(false), |x| json!(x)),
                    );
                }
                if g != Generation::Qwen3 && g != Generation::Qwen {
                    continue;
                }
                let spans = if ordinary {
                    tok.encode_ordinary_with_offsets(&text)
                } else {
                    tok.encode_with_offsets(&text)
                };
                let spans: Vec<Value> = spans
                    .iter()
                    .map(|s| {
                        // UTF-16 offsets by the plain definition: units before the byte offset.
                        let u16_at = |b: usize| text[..b].encode_utf16().count();
                        json!({"id": s.id, "start": u16_at(s.start), "end": u16_at(s.end),
                               "byteStart": s.start, "byteEnd": s.end})
                    })
                    .collect();
                c.value(
                    format!("encodeWithOffsets {tag}"),
                    "encodeWithOffsets",
                    vec![json!(text), o.clone()],
                    json!(spans),
                );
                let mut maxes = vec![0, 1, n / 2, n.saturating_sub(1), n];
                maxes.dedup();
                for max in maxes {
                    for (keep, kname) in [(Keep::Start, "start"), (Keep::End, "end")] {
                        let kept = if ordinary {
                            tok.truncate_ordinary(&text, max, keep)
                        } else {
                            tok.truncate(&text, max, keep)
                        };
                        c.value(
                            format!("truncate {tag} max={max} keep={kname}"),
                            "truncate",
                            vec![
                                json!(text),
                                json!(max),
                                json!({"keep": kname, "generation": g.name(), "ordinary": ordinary}),
                            ],
                            json!(kept),
                        );
                    }
                }
            }
        }
    }
    // Defaults: no options means Qwen3 with special tokens recognised.
    let chat = "<|im_start|>user\n<think>hi</think><|im_end|>";
    c.value(
        "countTokens default options".into(),
        "countTokens",
        vec![json!(chat)],
        json!(Tokenizer::qwen3().count(chat)),
    );
    c.value(
        "truncate default options".into(),
        "truncate",
        vec![json!(chat), json!(3)],
        json!(Tokenizer::qwen3().truncate(chat, 3, Keep::Start)),
    );
    for g in Generation::ALL {
        let list: Vec<Value> = Tokenizer::for_generation(g)
            .special_tokens()
            .iter()
            .map(|(text, id)| json!({"text": text, "id": id}))
            .collect();
        c.value(
            format!("specialTokens {}", g.name()),
            "specialTokens",
            vec![json!({"generation": g.name()})],
            json!(list),
        );
    }
    // A character the vocabulary splits into several byte tokens.
    let crab = ["𓀀", "ꙮ", "🫠", "𝔘"]
        .iter()
        .map(|c| Tokenizer::qwen3().encode(c))
        .find(|ids| ids.len() > 1 && Tokenizer::qwen3().decode(&ids[..1]).is_err())
        .expect("a split character");
    c.value(
        "decodeBytes partial character".into(),
        "decodeBytes",
        vec![json!(&crab[..1])],
        json!(Tokenizer::qwen3().decode_bytes(&crab[..1]).unwrap()),
    );
    tokenizer_errors(&mut c, &crab);
    json!({ "cases": c.0 })
}

fn tokenizer_errors(c: &mut Cases, crab: &[u32]) {
    let q3 = Tokenizer::qwen3();
    let core = |e: qwen_meter::DecodeError| Some(e.to_string());
    for call in ["countTokens", "encode", "encodeWithOffsets"] {
        c.error(&format!("{call} text undefined"), call, vec![], None);
        c.error(&format!("{call} text number"), call, vec![json!(5)], None);
        c.error(&format!("{call} text null"), call, vec![Value::Null], None);
        c.error(
            &format!("{call} text array"),
            call,
            vec![json!(["a"])],
            None,
        );
        c.error(
            &format!("{call} unknown generation"),
            call,
            vec![json!("x"), json!({"generation": "gpt-4"})],
            None,
        );
        c.error(
            &format!("{call} generation not a string"),
            call,
            vec![json!("x"), json!({"generation": 3})],
            None,
        );
        c.error(
            &format!("{call} ordinary not a boolean"),
            call,
            vec![json!("x"), json!({"ordinary": "yes"})],
            None,
        );
        c.error(
            &format!("{call} unknown option"),
            call,
            vec![json!("x"), json!({"generaton": "qwen3"})],
            None,
        );
        c.error(
            &format!("{call} options not an object"),
            call,
            vec![json!("x"), json!("qwen3")],
            None,
        );
    }
    for call in ["decode", "decodeBytes"] {
        let unknown = q3.decode(&[9707, 999_999]).unwrap_err();
        c.error(
            &format!("{call} unknown id"),
            call,
            vec![json!([9707, 999_999])],
            core(unknown),
        );
        // <think> exists only from Qwen3 on.
        let think = Tokenizer::qwen2().decode(&[151667]).unwrap_err();
        c.error(
            &format!("{call} id unknown to qwen2"),
            call,
            vec![json!([151667]), json!({"generation": "qwen2"})],
            core(think),
        );
        c.error(
            &format!("{call} negative id"),
            call,
            vec![json!([1, -1])],
            None,
        );
        c.error(
            &format!("{call} fractional id"),
            call,
            vec![json!([1.5])],
            None,
        );
        c.error(
            &format!("{call} id too large"),
            call,
            vec![json!([4294967296u64])],
            None,
        );
        c.error(
            &format!("{call} id as string"),
            call,
            vec![json!(["1"])],
            None,
        );
        c.error(
            &format!("{call} ids string"),
            call,
            vec![json!("1 2")],
            None,
        );
        c.error(&format!("{call} ids undefined"), call, vec![], None);
    }
    let split = match q3.decode(&crab[..1]).unwrap_err() {
        qwen_meter::DecodeError::InvalidUtf8 { byte_offset } => {
            format!("not valid UTF-8 at byte offset {byte_offset}")
        }
        other => panic!("expected invalid UTF-8, got {other}"),
    };
    c.error(
        "decode split character",
        "decode",
        vec![json!(&crab[..1])],
        Some(split),
    );
    for call in ["isWithinTokenLimit", "truncate"] {
        let place = if call == "truncate" { "max" } else { "limit" };
        c.error(
            &format!("{call} {place} missing"),
            call,
            vec![json!("x")],
            None,
        );
        c.error(
            &format!("{call} {place} negative"),
            call,
            vec![json!("x"), json!(-1)],
            None,
        );
        c.error(
            &format!("{call} {place} fractional"),
            call,
            vec![json!("x"), json!(2.5)],
            None,
        );
        c.error(
            &format!("{call} {place} string"),
            call,
            vec![json!("x"), json!("5")],
            None,
        );
        c.error(
            &format!("{call} text number"),
            call,
            vec![json!(1), json!(5)],
            None,
        );
        c.error(
            &format!("{call} bad options"),
            call,
            vec![json!("x"), json!(5), json!({"generation": "qwen4"})],
            None,
        );
    }
    c.error(
        "truncate keep middle",
        "truncate",
        vec![json!("x"), json!(1), json!({"keep": "middle"})],
        None,
    );
    c.error(
        "truncate keep not a string",
        "truncate",
        vec![json!("x"), json!(1), json!({"keep": true})],
        None,
    );
    c.error(
        "isWithinTokenLimit keep is not its option",
        "isWithinTokenLimit",
        vec![json!("x"), json!(1), json!({"keep": "end"})],
        None,
    );
    c.error(
        "specialTokens unknown generation",
        "specialTokens",
        vec![json!({"generation": "qwen9"})],
        None,
    );
}
