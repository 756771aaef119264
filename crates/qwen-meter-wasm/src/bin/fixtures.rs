//! Native side of the npm package tests: writes what the native core answers for a list of
//! inputs, so the `node --test` suite can check the WASM build against it.
//!
//! ```text
//! qwen-meter-wasm-fixtures fixtures OUT.json   # cases: {name, call, args, value | error}
//! qwen-meter-wasm-fixtures bench-text OUT.txt  # the throughput text (deterministic, ~1 MB)
//! qwen-meter-wasm-fixtures bench TEXT.txt MS   # native countTokens throughput, as JSON
//! qwen-meter-wasm-fixtures startup              # native time of the first count, as JSON
//! qwen-meter-wasm-fixtures speed TEXT.txt ROUNDS  # first and warm `count` CPU times, as JSON
//! ```
//!
//! The inputs are data in `fixtures/` (compiled in): `texts.json` (texts every tokenizer
//! function runs on), `chat.json` (conversations, option variants, invalid conversations),
//! `pricing.json` (model ids, context-fit and rate-plan rows) and `errors.json` (argument
//! errors: `{name, call, args}`, checked to fail and to name the call). This program is the
//! oracle: it expands the data over generations, limits and options, computes every expected
//! value by calling the core crate directly (not through the bindings' code), also runs the
//! bindings' native dispatcher on the same arguments and stops if the two disagree. Expected
//! errors are the dispatcher's messages, which must contain the core's own error text where
//! the core raised it.

use std::time::{Duration, Instant};

use qwen_meter::prelude::*;
use qwen_meter::{
    CacheKind, Catalog, ChatOptions, Cost, Decision, Generation, Keep, Mode, RateLimiter,
    RateLimits, Region, Tokenizer, Usage, parse_messages,
};
use qwen_meter_wasm::calls::sequence;
use qwen_meter_wasm::exports::{NAMES, dispatch};
use serde_json::{Value, json};

/// The fixture inputs, compiled in so the generator runs from anywhere.
const TEXTS: &str = include_str!("../../fixtures/texts.json");
const CHAT: &str = include_str!("../../fixtures/chat.json");
const PRICING: &str = include_str!("../../fixtures/pricing.json");
const ERRORS: &str = include_str!("../../fixtures/errors.json");

/// A fixture file as JSON (they are part of the crate: a broken one is a bug to fix here).
fn data(name: &str, text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("fixtures/{name}: {e}"))
}

/// `[[name, value], ...]` pairs of a fixture file.
fn pairs<'a>(v: &'a Value, field: &str) -> Vec<(&'a str, &'a Value)> {
    v[field]
        .as_array()
        .unwrap_or_else(|| panic!("fixture field {field} is not a list"))
        .iter()
        .map(|p| (p[0].as_str().expect("a name"), &p[1]))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("fixtures") if args.len() == 3 => write(&args[2], &fixtures().to_string()),
        Some("bench-text") if args.len() == 3 => write(&args[2], &bench_text()),
        Some("bench") if args.len() == 4 => bench(&args[2], &args[3]),
        Some("speed") if args.len() == 4 => speed(&args[2], &args[3]),
        Some("startup") => {
            // First use builds the shared vocabulary tables (the work WASM repeats at start).
            let t = Instant::now();
            let n = Tokenizer::qwen3().count("Hello, world!");
            println!("{}", json!({"firstCountMs": t.elapsed().as_secs_f64() * 1e3, "tokens": n}));
            Ok(())
        }
        _ => Err("usage: qwen-meter-wasm-fixtures fixtures OUT.json | bench-text OUT.txt | bench TEXT.txt MS | speed TEXT.txt ROUNDS | startup".into()),
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

/// The native half of `bench/speed.mjs`: in this fresh process, start-up first (the tables
/// built by counting a short text, which the measurement leaves out, as the WASM side does),
/// then the first `count` of the text (its pieces never seen: the memo is empty and the
/// lazily built tables are not there yet), then untimed counts up to [`warm_up_passes`],
/// then `rounds` warm rounds of [`round_passes`] counts of the same text each.
/// Times are the thread's and the process's CPU time (equal here: this process has one
/// thread; they differ on the WASM side, where V8 compiles in background threads) and wall
/// time, in milliseconds (warm: per count, of the best round by each clock); JSON on stdout.
fn speed(path: &str, rounds: &str) -> Result<(), String> {
    use cpu_time::{ProcessTime, ThreadTime};
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let rounds: usize = rounds.parse().map_err(|e| format!("ROUNDS: {e}"))?;
    let tok = Tokenizer::qwen3();
    std::hint::black_box(tok.count(std::hint::black_box("Hello, world!")));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let (t, c, w) = (ThreadTime::now(), ProcessTime::now(), Instant::now());
    let tokens = tok.count(std::hint::black_box(&text));
    let first = [ms(t.elapsed()), ms(c.elapsed()), ms(w.elapsed())];
    for _ in 1..warm_up_passes(text.len()) {
        std::hint::black_box(tok.count(std::hint::black_box(&text)));
    }
    let per_round = round_passes(text.len());
    let mut warm = [f64::INFINITY; 3];
    for _ in 0..rounds {
        let (t, c, w) = (ThreadTime::now(), ProcessTime::now(), Instant::now());
        for _ in 0..per_round {
            let n = tok.count(std::hint::black_box(&text));
            if n != tokens {
                return Err(format!("count changed from {tokens} to {n}"));
            }
        }
        let times = [t.elapsed(), c.elapsed(), w.elapsed()].map(|d| ms(d) / per_round as f64);
        for (best, t) in warm.iter_mut().zip(times) {
            *best = best.min(t);
        }
    }
    println!(
        "{}",
        json!({
            "bytes": text.len(),
            "tokens": tokens,
            "firstThreadMs": first[0],
            "firstCpuMs": first[1],
            "firstWallMs": first[2],
            "warmThreadMs": warm[0],
            "warmCpuMs": warm[1],
            "warmWallMs": warm[2],
        })
    );
    Ok(())
}

/// Passes over a text of `bytes` bytes (the first included) before warm counts are timed: at
/// least 4 MB of it, so the engine has reached its steady state (its lazily built tables
/// exist once it has merged enough), and the same number on both sides of `bench/speed.mjs`.
fn warm_up_passes(bytes: usize) -> usize {
    4_000_000usize.div_ceil(bytes.max(1)).max(2)
}

/// Counts of a text of `bytes` bytes timed together as one warm round (at least 8 MB of it):
/// the WASM side's thread clock moves in scheduler ticks of about 4 ms, so a round must be
/// long for it; the same number on both sides of `bench/speed.mjs`.
fn round_passes(bytes: usize) -> usize {
    8_000_000usize.div_ceil(bytes.max(1))
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

/// Texts that exercise every stage (`fixtures/texts.json`: specials, NFC rewrites, astral
/// characters, whitespace, random strings over awkward characters), plus a slice of the
/// throughput text.
fn texts() -> Vec<(String, String)> {
    let file = data("texts.json", TEXTS);
    let mut t: Vec<(String, String)> = pairs(&file, "texts")
        .into_iter()
        .map(|(name, text)| (name.to_string(), text.as_str().expect("a text").to_string()))
        .collect();
    let bench = bench_text();
    let mut cut = 6000;
    while !bench.is_char_boundary(cut) {
        cut -= 1;
    }
    t.push(("long-mixed".into(), bench[..cut].to_string()));
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

/// The Qwen3.5 vocabulary the package ships as its second file (`qwen3_5.vocab`), compiled in
/// so the generator runs from anywhere. This build of the core leaves it out, as the WASM build
/// does; the generator installs it as JS does, after recording what JS answers before.
const QWEN3_5_VOCAB: &[u8] = include_bytes!("../../../qwen-meter-tokenizer/data/qwen3_5.vocab");

/// Every generation, Qwen3.5 included (installed by [`fixtures`] before this is called).
fn builtin_generations() -> impl Iterator<Item = (Generation, &'static Tokenizer)> {
    Generation::ALL
        .into_iter()
        .map(|g| (g, Tokenizer::for_generation(g)))
}

/// What the package answers before the Qwen3.5 vocabulary is loaded: every call that would
/// count with it fails with `VOCABULARY_NOT_LOADED` (never a Qwen3 count instead), calls that
/// do not tokenize work. Browsers run these before `loadVocabulary` (the Node entries load the
/// file on first use, so there they only hold in a fresh process).
fn before_vocabulary() -> Vec<Value> {
    let mut c = Cases(Vec::new());
    assert!(
        Tokenizer::try_for_generation(Generation::Qwen3_5).is_none(),
        "this build of the core must not embed the Qwen3.5 vocabulary (feature embed-qwen3_5), as the WASM build does not"
    );
    let q35 = json!({"generation": "qwen3.5"});
    let hi = json!([{"role": "user", "content": "Hi"}]);
    c.value(
        "hasVocabulary qwen3.5 before".into(),
        "hasVocabulary",
        vec![json!("qwen3.5")],
        json!(false),
    );
    c.value(
        "hasVocabulary qwen3 before".into(),
        "hasVocabulary",
        vec![json!("qwen3")],
        json!(true),
    );
    for (name, call, args) in [
        (
            "countTokens",
            "countTokens",
            vec![json!("Hello"), q35.clone()],
        ),
        ("encode", "encode", vec![json!("Hello"), q35.clone()]),
        ("decode", "decode", vec![json!([9707]), q35.clone()]),
        ("specialTokens", "specialTokens", vec![q35.clone()]),
        (
            "createDocument",
            "createDocument",
            vec![json!("Hello"), q35.clone()],
        ),
        (
            "countChat generation",
            "countChat",
            vec![hi.clone(), q35.clone()],
        ),
        (
            "countChat model",
            "countChat",
            vec![hi.clone(), json!({"model": "qwen3.5-plus"})],
        ),
        (
            "estimateCost text",
            "estimateCost",
            vec![json!({"model": "qwen3.5-flash", "text": "Hello", "outputTokens": 10})],
        ),
        (
            "fitsContext messages",
            "fitsContext",
            vec![json!({"model": "qwen3.5-plus", "messages": hi})],
        ),
        (
            "truncateToFit",
            "truncateToFit",
            vec![json!("Hello"), json!({"model": "qwen3.5-plus"})],
        ),
        (
            "installVocabulary bad bytes",
            "installVocabulary",
            vec![json!("qwen3.5"), json!([81, 77, 86, 57])],
        ),
        (
            "installVocabulary empty bytes",
            "installVocabulary",
            vec![json!("qwen3.5"), json!([])],
        ),
    ] {
        c.error(
            &format!("{name} before the Qwen3.5 vocabulary"),
            call,
            args,
            None,
        );
    }
    // Token counts given as numbers need no vocabulary.
    let cost = Catalog::builtin()
        .model("qwen3.5-flash")
        .unwrap()
        .cost(
            Region::International,
            &Usage {
                input_tokens: 1000,
                output_tokens: 10,
                ..Usage::default()
            },
        )
        .unwrap();
    c.value(
        "estimateCost inputTokens before the Qwen3.5 vocabulary".into(),
        "estimateCost",
        vec![json!({"model": "qwen3.5-flash", "inputTokens": 1000, "outputTokens": 10, "thinking": false})],
        cost_json(&cost),
    );
    c.0
}

fn fixtures() -> Value {
    let before = before_vocabulary();
    let installed = dispatch(
        "installVocabulary",
        &[json!("qwen3.5"), json!(QWEN3_5_VOCAB)],
    )
    .expect("the Qwen3.5 vocabulary installs");
    assert_eq!(installed, json!(true));
    let mut c = Cases(Vec::new());
    // Only cases whose answer does not depend on when the Node entries load the file (the
    // package tests check hasVocabulary before and after, in fresh processes).
    c.value(
        "installVocabulary qwen3 (built in)".into(),
        "installVocabulary",
        vec![json!("qwen3"), json!([1, 2, 3])],
        json!(false),
    );
    for (name, text) in texts() {
        for (g, tok) in builtin_generations() {
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
                if ![Generation::Qwen3, Generation::Qwen, Generation::Qwen3_5].contains(&g) {
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
    for (g, tok) in builtin_generations() {
        let list: Vec<Value> = tok
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
    chat_cases(&mut c);
    pricing_cases(&mut c);
    sequences(&mut c);
    argument_errors(&mut c);
    json!({ "exports": NAMES, "cases": c.0, "beforeVocabulary": before })
}

fn tokenizer_errors(c: &mut Cases, crab: &[u32]) {
    let q3 = Tokenizer::qwen3();
    let core = |e: qwen_meter::DecodeError| Some(e.to_string());
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
}

/// Argument errors (`fixtures/errors.json`): each must fail and name its function; the
/// message recorded is the one JS must throw.
fn argument_errors(c: &mut Cases) {
    let file = data("errors.json", ERRORS);
    for case in file["cases"].as_array().expect("a list of cases") {
        let name = case["name"].as_str().expect("a name");
        let call = case["call"].as_str().expect("a call");
        let args = case["args"]
            .as_array()
            .expect("a list of arguments")
            .clone();
        c.error(name, call, args, None);
    }
}

/// Conversations in the `messages` JSON shape, covering every role and field
/// (`fixtures/chat.json`).
fn conversations() -> Vec<(String, Value)> {
    let file = data("chat.json", CHAT);
    pairs(&file, "conversations")
        .into_iter()
        .map(|(name, m)| (name.to_string(), m.clone()))
        .collect()
}

/// The core's chat options for the JS options of a variant (`fixtures/chat.json`).
fn chat_options(js: &Value) -> ChatOptions {
    let mut o = ChatOptions::default();
    if let Some(b) = js.get("addGenerationPrompt").and_then(Value::as_bool) {
        o.add_generation_prompt = b;
    }
    o.enable_thinking = js.get("enableThinking").and_then(Value::as_bool);
    o.tools = js.get("tools").and_then(Value::as_array).cloned();
    o
}

fn chat_cases(c: &mut Cases) {
    let file = data("chat.json", CHAT);
    let variants: Vec<(&str, Value, ChatOptions)> = pairs(&file, "variants")
        .into_iter()
        .map(|(name, js)| (name, js.clone(), chat_options(js)))
        .collect();
    for (cname, messages) in conversations() {
        let parsed = parse_messages(&messages.to_string()).expect("fixture messages parse");
        for g in [
            Generation::Qwen3,
            Generation::Qwen2_5,
            Generation::Qwen2,
            Generation::Qwen3_5,
        ] {
            let tok = Tokenizer::for_generation(g);
            for (vname, js_opts, opts) in &variants {
                let mut o = js_opts.clone();
                o["generation"] = json!(g.name());
                let tag = format!("{cname} [{} {vname}]", g.name());
                let text = tok.render_chat(&parsed, opts).expect("fixture renders");
                c.value(
                    format!("renderChat {tag}"),
                    "renderChat",
                    vec![messages.clone(), o.clone()],
                    json!(text),
                );
                c.value(
                    format!("countChat {tag}"),
                    "countChat",
                    vec![messages.clone(), o.clone()],
                    json!(tok.count_chat(&parsed, opts).unwrap()),
                );
                c.value(
                    format!("encodeChat {tag}"),
                    "encodeChat",
                    vec![messages.clone(), o],
                    json!(tok.encode_chat(&parsed, opts).unwrap()),
                );
            }
        }
        // A catalog model picks its generation's template; no options means Qwen3.
        let max = Catalog::builtin().model("qwen-max").unwrap();
        c.value(
            format!("countChat {cname} [model qwen-max]"),
            "countChat",
            vec![messages.clone(), json!({"model": "qwen-max"})],
            json!(
                max.tokenizer()
                    .count_chat(&parsed, &ChatOptions::default())
                    .unwrap()
            ),
        );
        // A Qwen3.5 model counts with the Qwen3.5 vocabulary and template.
        let plus = Catalog::builtin().model("qwen3.5-plus").unwrap();
        assert_eq!(plus.generation, Generation::Qwen3_5);
        c.value(
            format!("countChat {cname} [model qwen3.5-plus]"),
            "countChat",
            vec![messages.clone(), json!({"model": "qwen3.5-plus"})],
            json!(
                Tokenizer::qwen3_5()
                    .count_chat(&parsed, &ChatOptions::default())
                    .unwrap()
            ),
        );
        c.value(
            format!("countChat {cname} [no options]"),
            "countChat",
            vec![messages.clone()],
            json!(
                Tokenizer::qwen3()
                    .count_chat(&parsed, &ChatOptions::default())
                    .unwrap()
            ),
        );
    }
    let core_err = |m: &Value| {
        let msgs = parse_messages(&m.to_string());
        Some(match msgs {
            Err(e) => qwen_meter_wasm::chat::without_position(&e.to_string()),
            Ok(msgs) => Tokenizer::qwen3()
                .render_chat(&msgs, &ChatOptions::default())
                .unwrap_err()
                .to_string(),
        })
    };
    for call in ["countChat", "renderChat", "encodeChat"] {
        for (name, m) in pairs(&file, "invalid") {
            c.error(
                &format!("{call} {name}"),
                call,
                vec![m.clone()],
                core_err(m),
            );
        }
        let hi = json!([{"role": "user", "content": "Hi"}]);
        c.error(
            &format!("{call} options unknown model"),
            call,
            vec![hi, json!({"model": "qwen-maxx"})],
            Some(
                Catalog::builtin()
                    .model("qwen-maxx")
                    .unwrap_err()
                    .to_string(),
            ),
        );
    }
}

/// The JS shape of a cost: the core's serialised `Cost` plus float companions.
fn cost_json(cost: &Cost) -> Value {
    let mut v = serde_json::to_value(cost).unwrap();
    let b = &cost.breakdown;
    v["totalNumber"] = json!(cost.total.to_f64());
    v["breakdownNumbers"] = json!({
        "input": b.input.to_f64(), "cachedInput": b.cached_input.to_f64(),
        "cacheCreation": b.cache_creation.to_f64(), "output": b.output.to_f64(),
    });
    v
}

fn pricing_cases(c: &mut Cases) {
    let file = data("pricing.json", PRICING);
    let list = |field: &str| -> Vec<Value> {
        file[field]
            .as_array()
            .unwrap_or_else(|| panic!("pricing.json: {field} is not a list"))
            .clone()
    };
    let cat = Catalog::builtin();
    c.value(
        "listModels".into(),
        "listModels",
        vec![],
        serde_json::to_value(cat.models().collect::<Vec<_>>()).unwrap(),
    );
    c.value(
        "catalogInfo builtin".into(),
        "catalogInfo",
        vec![],
        json!({"asOf": cat.as_of(), "models": cat.models().count(), "sources": cat.sources(), "custom": false}),
    );
    for id in list("models") {
        let id = id.as_str().expect("a model id");
        c.value(
            format!("getModel {id}"),
            "getModel",
            vec![json!(id)],
            serde_json::to_value(cat.model(id).unwrap()).unwrap(),
        );
    }
    for id in list("unknownModels") {
        let id = id.as_str().expect("a model id");
        c.error(
            &format!("getModel {id}"),
            "getModel",
            vec![json!(id)],
            Some(cat.model(id).unwrap_err().to_string()),
        );
    }

    // Costs: every model, every priced region, usages around the tier edges and options.
    let prompt = file["prompt"].as_str().expect("a prompt");
    let multi_turn = conversations()
        .into_iter()
        .find(|(name, _)| name == "multi-turn")
        .expect("chat.json has the multi-turn conversation")
        .1;
    for model in cat.models() {
        for region in model.offered_regions() {
            let offer = model.offer(region).unwrap();
            let mut inputs = vec![0u64, 1, 50_000];
            for t in &offer.tiers {
                inputs.push(t.above);
                inputs.push(t.above + 1);
                if let Some(u) = t.up_to {
                    inputs.push(u);
                    inputs.push(u + 1);
                }
            }
            inputs.sort();
            inputs.dedup();
            for thinking in [false, true] {
                for &input in &inputs {
                    for (batch, cached) in [(false, 0u64), (true, 0), (false, input / 2)] {
                        let usage = Usage {
                            input_tokens: input,
                            output_tokens: 2_000,
                            cached_input_tokens: cached,
                            thinking,
                            batch,
                            ..Usage::default()
                        };
                        let req = json!({"model": model.id, "region": region.id(), "inputTokens": input,
                            "outputTokens": 2000, "thinking": thinking, "batch": batch, "cachedInputTokens": cached});
                        let name = format!(
                            "estimateCost {} {} in={input} thinking={thinking} batch={batch} cached={cached}",
                            model.id,
                            region.id()
                        );
                        match model.cost(region, &usage) {
                            Ok(cost) => c.value(name, "estimateCost", vec![req], cost_json(&cost)),
                            Err(e) => {
                                c.error(&name, "estimateCost", vec![req], Some(e.to_string()))
                            }
                        }
                    }
                }
            }
            // Text and messages are counted with the model's tokenizer (and template).
            let thinking = model.default_mode() == Mode::Thinking;
            let usage = Usage {
                thinking,
                ..model.usage_for_text(prompt, 100)
            };
            c.value(
                format!("estimateCost {} {} text", model.id, region.id()),
                "estimateCost",
                vec![json!({"model": model.id, "region": region.id(), "text": prompt, "outputTokens": 100})],
                cost_json(&model.cost(region, &usage).unwrap()),
            );
            let messages = multi_turn.clone();
            let parsed = parse_messages(&messages.to_string()).unwrap();
            let opts = ChatOptions {
                enable_thinking: Some(thinking),
                ..ChatOptions::default()
            };
            let n = model.tokenizer().count_chat(&parsed, &opts).unwrap() as u64;
            let usage = Usage {
                input_tokens: n,
                output_tokens: 100,
                thinking,
                ..Usage::default()
            };
            c.value(
                format!("estimateCost {} {} messages", model.id, region.id()),
                "estimateCost",
                vec![json!({"model": model.id, "region": region.id(), "messages": messages, "outputTokens": 100})],
                cost_json(&model.cost(region, &usage).unwrap()),
            );
        }
    }
    // Explicit cache, defaults (region international, thinking by default mode).
    let max = cat.model("qwen3-max").unwrap();
    let usage = Usage {
        input_tokens: 10_000,
        cached_input_tokens: 6_000,
        cache_creation_input_tokens: 4_000,
        cache: CacheKind::Explicit,
        output_tokens: 500,
        ..Usage::default()
    };
    c.value(
        "estimateCost explicit cache".into(),
        "estimateCost",
        vec![
            json!({"model": "qwen3-max", "inputTokens": 10000, "cachedInputTokens": 6000,
            "cacheCreationInputTokens": 4000, "cache": "explicit", "outputTokens": 500}),
        ],
        cost_json(&max.cost(Region::International, &usage).unwrap()),
    );
    media_cases(c, cat);
    let err = |m: &str, r: Region, u: Usage| {
        Some(cat.model(m).unwrap().cost(r, &u).unwrap_err().to_string())
    };
    c.error(
        "estimateCost region not offered",
        "estimateCost",
        vec![json!({"model": "qwen-long", "inputTokens": 10})],
        err(
            "qwen-long",
            Region::International,
            Usage {
                input_tokens: 10,
                ..Usage::default()
            },
        ),
    );
    c.error(
        "estimateCost thinking unsupported",
        "estimateCost",
        vec![json!({"model": "qwen-max", "inputTokens": 10, "thinking": true})],
        err(
            "qwen-max",
            Region::International,
            Usage {
                input_tokens: 10,
                thinking: true,
                ..Usage::default()
            },
        ),
    );
    c.error(
        "estimateCost output too long",
        "estimateCost",
        vec![json!({"model": "qwen-max", "inputTokens": 10, "outputTokens": 10_000_000})],
        err(
            "qwen-max",
            Region::International,
            Usage {
                input_tokens: 10,
                output_tokens: 10_000_000,
                ..Usage::default()
            },
        ),
    );
    c.error("estimateCost batch with cache", "estimateCost",
        vec![json!({"model": "qwen-plus", "inputTokens": 100, "cachedInputTokens": 50, "batch": true})],
        err("qwen-plus", Region::International, Usage { input_tokens: 100, cached_input_tokens: 50, batch: true, ..Usage::default() }));
    c.error(
        "estimateCost cache exceeds input",
        "estimateCost",
        vec![json!({"model": "qwen-plus", "inputTokens": 100, "cachedInputTokens": 500})],
        err(
            "qwen-plus",
            Region::International,
            Usage {
                input_tokens: 100,
                cached_input_tokens: 500,
                ..Usage::default()
            },
        ),
    );
    c.error(
        "estimateCost unknown model",
        "estimateCost",
        vec![json!({"model": "qwen3max", "inputTokens": 1})],
        Some(cat.model("qwen3max").unwrap_err().to_string()),
    );
    c.error(
        "estimateCost unknown region",
        "estimateCost",
        vec![json!({"model": "qwen3-max", "region": "mars", "inputTokens": 1})],
        Some("mars".parse::<Region>().unwrap_err().to_string()),
    );
    // Context fit.
    for row in list("fits") {
        let id = row[0].as_str().expect("a model id");
        let prompt_tokens = row[1].as_u64().expect("prompt tokens");
        let reserved = row[2].as_u64().expect("reserved output tokens");
        let thinking = row[3].as_bool().expect("thinking");
        let model = cat.model(id).unwrap();
        let fit = model
            .fit(Mode::from_thinking(thinking), prompt_tokens, reserved)
            .unwrap();
        let mut v = serde_json::to_value(fit).unwrap();
        v["model"] = json!(model.id);
        v["thinking"] = json!(thinking);
        c.value(format!("fitsContext {id} {prompt_tokens}+{reserved} thinking={thinking}"), "fitsContext",
            vec![json!({"model": id, "promptTokens": prompt_tokens, "reservedOutputTokens": reserved, "thinking": thinking})], v);
    }
    let model = cat.model("qwen-max").unwrap();
    let fit = model
        .fit(Mode::NonThinking, model.count_tokens(prompt), 0)
        .unwrap();
    let mut v = serde_json::to_value(fit).unwrap();
    v["model"] = json!("qwen-max");
    v["thinking"] = json!(false);
    c.value(
        "fitsContext text".into(),
        "fitsContext",
        vec![json!({"model": "qwen-max", "text": prompt})],
        v,
    );
    c.error(
        "fitsContext thinking unsupported",
        "fitsContext",
        vec![json!({"model": "qwen-max", "promptTokens": 1, "thinking": true})],
        Some(model.fit(Mode::Thinking, 1, 0).unwrap_err().to_string()),
    );
    let doc = "word ".repeat(40_000);
    for keep in [Keep::Start, Keep::End] {
        let kname = if keep == Keep::Start { "start" } else { "end" };
        c.value(
            format!("truncateToFit qwen-max keep={kname}"),
            "truncateToFit",
            vec![
                json!(doc),
                json!({"model": "qwen-max", "reservedOutputTokens": 2000, "keep": kname}),
            ],
            json!(
                model
                    .truncate_to_fit(&doc, Mode::NonThinking, 2_000, keep)
                    .unwrap()
            ),
        );
    }
    c.error(
        "truncateToFit output too long",
        "truncateToFit",
        vec![
            json!("x"),
            json!({"model": "qwen-max", "reservedOutputTokens": 10_000_000}),
        ],
        Some(
            model
                .truncate_to_fit("x", Mode::NonThinking, 10_000_000, Keep::Start)
                .unwrap_err()
                .to_string(),
        ),
    );
    // Rate plans.
    let (rpm, tpm) = (
        file["planLimits"]["rpm"].as_u64(),
        file["planLimits"]["tpm"].as_u64(),
    );
    let limits = RateLimits {
        rpm: rpm.expect("rpm"),
        tpm: tpm.expect("tpm"),
    };
    let pair = |v: &Value, i: usize| v[i].as_u64().expect("a token count");
    let reqs: Vec<(u64, u64)> = list("planRequests")
        .iter()
        .map(|r| (pair(r, 0), pair(r, 1)))
        .collect();
    let planned: Vec<qwen_meter::PlannedRequest> = reqs
        .iter()
        .map(|&(i, o)| qwen_meter::PlannedRequest {
            input_tokens: i,
            output_tokens: o,
        })
        .collect();
    let requests: Vec<Value> = reqs
        .iter()
        .map(|&(i, o)| json!({"inputTokens": i, "outputTokens": o}))
        .collect();
    c.value(
        "planRequests list".into(),
        "planRequests",
        vec![json!({"rpm": limits.rpm, "tpm": limits.tpm, "requests": requests})],
        serde_json::to_value(limits.plan(&planned).unwrap()).unwrap(),
    );
    for row in list("planUniform") {
        let (count, input, output) = (pair(&row, 0), pair(&row, 1), pair(&row, 2));
        c.value(format!("planRequests uniform {count}x{input}+{output}"), "planRequests",
            vec![json!({"rpm": limits.rpm, "tpm": limits.tpm, "count": count, "inputTokens": input, "outputTokens": output})],
            serde_json::to_value(limits.plan_uniform(count, input, output).unwrap()).unwrap());
    }
    let plus = cat
        .model("qwen-plus")
        .unwrap()
        .rate_limits(Region::International)
        .unwrap();
    c.value("planRequests catalog limits".into(), "planRequests",
        vec![json!({"model": "qwen-plus", "region": "international", "count": 100, "inputTokens": 5000, "outputTokens": 1000})],
        serde_json::to_value(plus.plan_uniform(100, 5_000, 1_000).unwrap()).unwrap());
    c.error("planRequests request too large", "planRequests",
        vec![json!({"rpm": 60, "tpm": 1000, "requests": [{"inputTokens": 10}, {"inputTokens": 2000}]})],
        Some(RateLimits { rpm: 60, tpm: 1_000 }.plan(&[
            qwen_meter::PlannedRequest { input_tokens: 10, output_tokens: 0 },
            qwen_meter::PlannedRequest { input_tokens: 2_000, output_tokens: 0 },
        ]).unwrap_err().to_string()));
    c.error(
        "planRequests zero limit",
        "planRequests",
        vec![json!({"rpm": 0, "tpm": 1000, "count": 1})],
        Some(
            RateLimits { rpm: 0, tpm: 1_000 }
                .plan_uniform(1, 0, 0)
                .unwrap_err()
                .to_string(),
        ),
    );
}

/// The JS answer of `acquire` for a core decision, numbering permits from 1.
fn decision_json(d: Decision, next: &mut u64) -> Value {
    match d {
        Decision::Go(_) => {
            *next += 1;
            json!({"go": true, "permit": *next - 1, "waitMs": 0})
        }
        Decision::Wait(w) => {
            json!({"go": false, "permit": null, "waitMs": w.as_secs_f64() * 1000.0})
        }
    }
}

fn sequences(c: &mut Cases) {
    use std::time::Duration;
    let ms = Duration::from_millis;
    // A limiter: steps and the core's answers for the same steps.
    let steps = json!([
        ["RateLimiter", {"rpm": 60, "tpm": 100000}],
        ["RateLimiter.limits"],
        ["RateLimiter.acquire", 10, 0],
        ["RateLimiter.acquire", 10, 200],
        ["RateLimiter.acquire", 10, 1000],
        ["RateLimiter.recordUsage", 1, 5],
        ["RateLimiter.recordUsage", 1, 5],
        ["RateLimiter.recordUsage", 99, 5],
        ["RateLimiter.acquire", 200000, 2000],
        ["RateLimiter.acquire", 1, -5],
        ["RateLimiter.acquire", 1.5, 3000],
        ["RateLimiter.acquire", 90000, 61000],
        ["RateLimiter.acquire", 20000, 62000],
    ]);
    let got = sequence(steps.as_array().unwrap());
    let mut core = RateLimiter::new(RateLimits {
        rpm: 60,
        tpm: 100_000,
    })
    .unwrap();
    let mut next = 1;
    let d1 = core.acquire(ms(0), 10).unwrap();
    let first = match d1 {
        Decision::Go(p) => p,
        Decision::Wait(_) => panic!("first request must go"),
    };
    let expect_acquires = [
        (2, decision_json(d1, &mut next)),
        (
            3,
            decision_json(core.acquire(ms(200), 10).unwrap(), &mut next),
        ),
        (
            4,
            decision_json(core.acquire(ms(1000), 10).unwrap(), &mut next),
        ),
    ];
    core.record_usage(first, 5);
    let expect_late = [
        (
            11,
            decision_json(core.acquire(ms(61_000), 90_000).unwrap(), &mut next),
        ),
        (
            12,
            decision_json(core.acquire(ms(62_000), 20_000).unwrap(), &mut next),
        ),
    ];
    for (i, v) in expect_acquires.iter().chain(expect_late.iter()) {
        assert_eq!(got[*i]["value"], *v, "limiter step {i}");
    }
    assert_eq!(got[5]["value"], json!(true));
    assert_eq!(got[6]["value"], json!(false));
    assert!(
        got[7]["error"].is_object() && got[8]["error"].is_object() && got[9]["error"].is_object()
    );
    let too_large = core.acquire(ms(2_000), 200_000).unwrap_err().to_string();
    assert!(
        got[8]["error"]["message"]
            .as_str()
            .unwrap()
            .contains(&too_large)
    );
    c.0.push(
        json!({"name": "RateLimiter sequence", "call": "sequence", "args": steps, "value": got}),
    );
    c.0.push(json!({"name": "RateLimiter bad limits", "call": "sequence",
        "args": [["RateLimiter", {"rpm": 0, "tpm": 5}], ["RateLimiter", "60"], ["RateLimiter", {"rpm": 1}],
                 ["RateLimiter", {"model": "qwen-plus", "region": "international"}], ["RateLimiter.limits"]],
        "value": sequence(json!([["RateLimiter", {"rpm": 0, "tpm": 5}], ["RateLimiter", "60"], ["RateLimiter", {"rpm": 1}],
                 ["RateLimiter", {"model": "qwen-plus", "region": "international"}], ["RateLimiter.limits"]]).as_array().unwrap())}));

    // User catalogs: overrides, a whole file, errors that leave the catalog as it was.
    let over = json!([{"id": "qwen3-max", "regions": {"international": {"tiers": [
        {"above": 0, "upTo": 32000, "input": "1", "output": "5"},
        {"above": 32000, "upTo": 128000, "input": "2", "output": "10"},
        {"above": 128000, "upTo": 252000, "input": "3", "output": "15"}]}}}]);
    let mine = Catalog::builtin()
        .with_overrides(&over.to_string())
        .unwrap();
    let usage = Usage {
        input_tokens: 50_000,
        output_tokens: 2_000,
        ..Usage::default()
    };
    let expected_cost = cost_json(
        &mine
            .model("qwen3-max")
            .unwrap()
            .cost(Region::International, &usage)
            .unwrap(),
    );
    let mut whole: Value = serde_json::from_str(&Catalog::builtin().to_json()).unwrap();
    whole["models"].as_array_mut().unwrap().truncate(3);
    let whole_cat = Catalog::from_json(&whole.to_string()).unwrap();
    let broken = whole
        .to_string()
        .replacen(r#""input":"#, r#""input": "one", "x":"#, 1);
    let steps = json!([
        ["loadCatalog", over, {"override": true}],
        ["catalogInfo"],
        ["estimateCost", {"model": "qwen3-max", "inputTokens": 50000, "outputTokens": 2000}],
        ["resetCatalog"],
        ["estimateCost", {"model": "qwen3-max", "inputTokens": 50000, "outputTokens": 2000}],
        ["loadCatalog", whole.to_string()],
        ["listModels"],
        ["getModel", "qwen-max"],
        ["loadCatalog", "{ not json"],
        ["loadCatalog", broken],
        ["loadCatalog", [{"id": "brand-new"}], {"override": true}],
        ["loadCatalog", 42],
        ["loadCatalog", {}, {"override": "yes"}],
        ["catalogInfo"],
        ["resetCatalog"],
    ]);
    let got = sequence(steps.as_array().unwrap());
    assert_eq!(got[2]["value"], expected_cost, "override cost");
    assert_eq!(
        got[4]["value"],
        cost_json(
            &Catalog::builtin()
                .model("qwen3-max")
                .unwrap()
                .cost(Region::International, &usage)
                .unwrap()
        )
    );
    assert_eq!(
        got[6]["value"],
        serde_json::to_value(whole_cat.models().collect::<Vec<_>>()).unwrap()
    );
    assert_eq!(
        got[7]["error"]["message"],
        json!(format!(
            "getModel: id: {}",
            whole_cat.model("qwen-max").unwrap_err()
        ))
    );
    assert_eq!(
        got[8]["error"]["message"],
        json!(format!(
            "loadCatalog: {}",
            Catalog::from_json("{ not json").unwrap_err()
        ))
    );
    assert_eq!(
        got[9]["error"]["message"],
        json!(format!(
            "loadCatalog: {}",
            Catalog::from_json(&broken).unwrap_err()
        ))
    );
    assert_eq!(
        got[13]["value"]["custom"],
        json!(true),
        "a failed load keeps the loaded catalog"
    );
    assert_eq!(got[13]["value"]["models"], json!(3));
    c.0.push(
        json!({"name": "loadCatalog sequence", "call": "sequence", "args": steps, "value": got}),
    );
}

/// `countImageTokens`, `imageSize` and `estimateCost` with media, against the core.
fn media_cases(c: &mut Cases, cat: &qwen_meter::Catalog) {
    use qwen_meter::{ImageOptions, ImageSize, VisionProfile};
    let sizes = [
        (1920u32, 1080u32),
        (512, 512),
        (4000, 3000),
        (1280, 720),
        (100, 100),
        (11, 2200),
    ];
    for profile in VisionProfile::ALL {
        for (w, h) in sizes {
            let t = profile
                .image_tokens(ImageSize::new(w, h), &ImageOptions::default())
                .unwrap();
            c.value(
                format!("countImageTokens {w}x{h} {profile}"),
                "countImageTokens",
                vec![
                    json!({"width": w, "height": h}),
                    json!({"profile": profile.name()}),
                ],
                json!({"tokens": t.tokens, "imagePads": t.image_pads,
                    "resized": {"width": t.resized.width, "height": t.resized.height},
                    "profile": profile.name()}),
            );
        }
    }
    for model in ["qwen3.5-plus", "qvq-max", "qwen3-omni-flash"] {
        let profile = cat
            .model(model)
            .unwrap()
            .media
            .as_ref()
            .unwrap()
            .vision
            .unwrap();
        let t = profile
            .image_tokens(ImageSize::new(1920, 1080), &ImageOptions::default())
            .unwrap();
        c.value(
            format!("countImageTokens 1920x1080 {model}"),
            "countImageTokens",
            vec![
                json!({"width": 1920, "height": 1080}),
                json!({"model": model}),
            ],
            json!({"tokens": t.tokens, "imagePads": t.image_pads,
                "resized": {"width": t.resized.width, "height": t.resized.height},
                "profile": profile.name()}),
        );
    }
    let high = VisionProfile::Qwen3Api
        .image_tokens(
            ImageSize::new(4000, 3000),
            &ImageOptions {
                high_resolution: true,
                ..Default::default()
            },
        )
        .unwrap();
    c.value(
        "countImageTokens 4000x3000 high resolution".into(),
        "countImageTokens",
        vec![
            json!({"width": 4000, "height": 3000}),
            json!({"highResolution": true}),
        ],
        json!({"tokens": high.tokens, "imagePads": high.image_pads,
            "resized": {"width": 4000, "height": 3008}, "profile": "qwen3-api"}),
    );
    let ratio = VisionProfile::Qwen3Api
        .image_tokens(ImageSize::new(10_000, 20), &ImageOptions::default())
        .unwrap_err();
    c.error(
        "countImageTokens aspect ratio",
        "countImageTokens",
        vec![json!({"width": 10000, "height": 20})],
        Some(ratio.to_string()),
    );
    c.error(
        "countImageTokens text model",
        "countImageTokens",
        vec![
            json!({"width": 10, "height": 20}),
            json!({"model": "qwen3-max"}),
        ],
        Some("does not take images".into()),
    );
    // A PNG header of 640x480, whole and cut short.
    let png: Vec<u8> = [
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0,
        0x02, 0x80, 0, 0, 0x01, 0xE0,
    ]
    .to_vec();
    c.value(
        "imageSize png".into(),
        "imageSize",
        vec![json!(png)],
        json!({"width": 640, "height": 480}),
    );
    c.error(
        "imageSize truncated",
        "imageSize",
        vec![json!(png[..20].to_vec())],
        Some(qwen_meter::image_size(&png[..20]).unwrap_err().to_string()),
    );
    // estimateCost: media token counts and chat messages with image parts.
    let model = cat.model("qwen3-omni-flash").unwrap();
    let usage = Usage {
        input_tokens: 100 + 1000 + 375,
        image_tokens: 1000,
        audio_tokens: 375,
        output_tokens: 200,
        ..Usage::default()
    };
    c.value(
        "estimateCost qwen3-omni-flash media".into(),
        "estimateCost",
        vec![
            json!({"model": "qwen3-omni-flash", "inputTokens": 100, "imageTokens": 1000,
            "audioTokens": 375, "outputTokens": 200}),
        ],
        cost_json(&model.cost(Region::International, &usage).unwrap()),
    );
    let model = cat.model("qwen3.5-plus").unwrap();
    let messages = json!([{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "width": 1920, "height": 1080}},
        {"type": "video_url", "video_url": {"duration": 60, "width": 1920, "height": 1080}},
        {"type": "text", "text": "Compare them."}]}]);
    let thinking = model.default_mode() == Mode::Thinking;
    let parsed = parse_messages(&messages.to_string()).unwrap();
    let t = model
        .count_chat_tokens(
            &parsed,
            &ChatOptions {
                enable_thinking: Some(thinking),
                ..ChatOptions::default()
            },
        )
        .unwrap();
    let usage = Usage {
        thinking,
        ..t.usage(300)
    };
    c.value(
        "estimateCost qwen3.5-plus messages with image and video".into(),
        "estimateCost",
        vec![json!({"model": "qwen3.5-plus", "messages": messages, "outputTokens": 300})],
        cost_json(&model.cost(Region::International, &usage).unwrap()),
    );
}
