//! Chunk boundaries never change the count: every safe cut splits a text into two parts whose
//! counts add up to the whole text's count, and the streaming reader's chunks (any chunk size,
//! with and without newlines, strict and lossy UTF-8) add up to the library's whole-text count.

use qwen_meter::{Generation, Tokenizer};
use qwen_meter_cli::chunk::{Chunk, ChunkError, ChunkReader};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Fragments chosen to stress the split pattern, NFC and special tokens.
const FRAGMENTS: &[&str] = &[
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    " ",
    "  ",
    "   ",
    "\t",
    " \n",
    "\n ",
    "a",
    "Hello",
    " world",
    "the",
    "The",
    "'s",
    "'LL",
    "'re",
    "don't",
    "x",
    "123",
    "4",
    "3.14",
    " 42",
    "1,000",
    "通义千问",
    "。",
    "，",
    "、",
    "！",
    "「",
    "」",
    "中文",
    "カタカナ",
    "ひらがな",
    "한국어",
    "é",
    "e\u{301}",
    "\u{301}",
    "\u{1100}\u{1161}",
    "\u{11a8}",
    "🦀",
    "👋🏽",
    "<|im_start|>",
    "<|im_end|>",
    "<think>",
    "</think>",
    "<|endoftext|>",
    "<|extra_12|>",
    "<tool_call>",
    "_",
    "|",
    "<",
    ">",
    "/",
    "{\"a\":1}",
    "\"key\": \"value\",",
    "[1,2,3]",
    "\u{3000}",
    "\u{a0}",
    "\u{85}",
    "x\u{200b}",
    "ﬁ",
    "\u{212b}",
    "ſ",
    "Å",
    "--",
    "...",
    "!!",
    "?\n",
    ":",
    ";",
    "(",
    ")",
    "#",
    "@user",
    "$5",
    "%",
    "&amp;",
    "=",
    "+",
    "*",
    "\\",
    "`code`",
    "~",
    "^",
    "\u{0}",
    "\u{1f}",
    "\u{7f}",
    "Ω",
    "ω",
    "Straße",
    "İ",
    "ǅ",
    "𝒜",
    "٣",
    "Ⅻ",
    "½",
];

fn gen_text(rng: &mut Rng, pieces: usize, newlines: bool) -> String {
    let mut s = String::new();
    for _ in 0..pieces {
        let f = FRAGMENTS[rng.below(FRAGMENTS.len())];
        if !newlines && (f.contains('\n') || f.contains('\r') || f.contains('\u{85}')) {
            continue;
        }
        s.push_str(f);
    }
    s
}

fn count(tok: &Tokenizer, text: &str, ordinary: bool) -> usize {
    if ordinary {
        tok.count_ordinary(text)
    } else {
        tok.count(text)
    }
}

fn chunks_of(
    bytes: &[u8],
    size: usize,
    lossy: bool,
    tok: &'static Tokenizer,
    ordinary: bool,
) -> Vec<String> {
    ChunkReader::new(bytes, size, lossy, tok, ordinary)
        .map(|c| match c.expect("no error") {
            Chunk::Text(t) => t,
            Chunk::Counted { .. } => unreachable!("no overflow configured"),
        })
        .collect()
}

#[test]
fn every_safe_cut_preserves_the_count() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut cuts = 0usize;
    for g in [Generation::Qwen3, Generation::Qwen, Generation::Qwen3_5] {
        let tok = Tokenizer::for_generation(g);
        for ordinary in [false, true] {
            for round in 0..60 {
                let text = gen_text(&mut rng, 40, round % 3 != 0);
                let whole = count(tok, &text, ordinary);
                for p in 1..text.len() {
                    if tok.is_safe_cut(&text, p, !ordinary) {
                        cuts += 1;
                        let split =
                            count(tok, &text[..p], ordinary) + count(tok, &text[p..], ordinary);
                        assert_eq!(
                            split, whole,
                            "cut at {p} changes the count of {text:?} ({g:?}, ordinary {ordinary})"
                        );
                    }
                }
            }
        }
    }
    assert!(cuts > 2000, "only {cuts} safe cuts were exercised");
}

#[test]
fn chunked_counts_equal_whole_counts_for_many_chunk_sizes() {
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    let tok = Tokenizer::qwen3();
    let mut sizes: Vec<usize> = (1..=48).collect();
    sizes.extend([61, 64, 100, 127, 256, 257, 1000, 4096, 1 << 20]);
    for round in 0..12 {
        // Every third text has no newline at all: the reader must fall back on the other
        // safe points or grow its buffer.
        let text = gen_text(&mut rng, 400, round % 3 != 0);
        for ordinary in [false, true] {
            let whole = count(tok, &text, ordinary);
            for &size in &sizes {
                let chunks = chunks_of(text.as_bytes(), size, false, tok, ordinary);
                assert_eq!(chunks.concat(), text, "chunk size {size}");
                let sum: usize = chunks.iter().map(|c| count(tok, c, ordinary)).sum();
                assert_eq!(
                    sum, whole,
                    "chunk size {size}, ordinary {ordinary}: {text:?}"
                );
            }
        }
    }
}

#[test]
fn long_runs_without_any_safe_point_grow_the_buffer_and_stay_exact() {
    let tok = Tokenizer::qwen3();
    // Emoji and spaces only: no rule applies anywhere.
    let text = "🦀 👋🏽  ".repeat(500) + "\nend\n" + &"🦀".repeat(300);
    let chunks = chunks_of(text.as_bytes(), 64, false, tok, false);
    assert_eq!(chunks.concat(), text);
    let sum: usize = chunks.iter().map(|c| tok.count(c)).sum();
    assert_eq!(sum, tok.count(&text));
    assert!(chunks.len() >= 2, "the newline is still used as a cut");
}

#[test]
fn stretches_without_safe_points_are_counted_by_the_streaming_counter() {
    let tok = Tokenizer::qwen3();
    let mut rng = Rng(0xabad_1dea_0000_0001);
    let mut texts = vec![
        "🦀 👋🏽  ".repeat(500) + "\nend\n" + &"🦀 ".repeat(300) + "x\ny",
        "  \t ".repeat(2000),
        "通义千问".repeat(1000) + "。" + &"é".repeat(3000),
    ];
    for _ in 0..4 {
        // Runs without safe points between ordinary text.
        let mut t = gen_text(&mut rng, 200, true);
        t.push_str(&"👋🏽 ".repeat(400 + rng.below(400)));
        t.push_str(&gen_text(&mut rng, 200, false));
        t.push_str(&"<|im_start|> ".repeat(300));
        t.push_str(&gen_text(&mut rng, 100, true));
        texts.push(t);
    }
    for text in &texts {
        for ordinary in [false, true] {
            let whole = count(tok, text, ordinary);
            for (size, cap) in [(16, 64), (64, 256), (100, 100), (1000, 3000), (7, 4096)] {
                let mut tokens = 0u64;
                let mut chars = 0u64;
                let mut len = 0u64;
                let mut counted = 0;
                for c in
                    ChunkReader::new(text.as_bytes(), size, false, tok, ordinary).with_overflow(cap)
                {
                    match c.unwrap() {
                        Chunk::Text(t) => {
                            tokens += count(tok, &t, ordinary) as u64;
                            chars += t.chars().count() as u64;
                            len += t.len() as u64;
                        }
                        Chunk::Counted {
                            tokens: n,
                            chars: c,
                            len: l,
                        } => {
                            counted += 1;
                            tokens += n;
                            chars += c;
                            len += l;
                        }
                    }
                }
                assert_eq!(
                    tokens, whole as u64,
                    "size {size}, cap {cap}, ordinary {ordinary}"
                );
                assert_eq!(chars, text.chars().count() as u64);
                assert_eq!(len, text.len() as u64);
                if cap <= 256 {
                    assert!(counted > 0, "the streaming counter was used (cap {cap})");
                }
            }
        }
    }
}

#[test]
fn lossy_chunks_equal_from_utf8_lossy_and_strict_errors_name_the_offset() {
    let mut rng = Rng(0xfeed_beef_1234_5678);
    let tok = Tokenizer::qwen3();
    let bad: &[&[u8]] = &[
        b"\xff",
        b"\xc3",
        b"\xe2\x82",
        b"\xf0\x9f\xa6",
        b"\x80\x80",
        b"\xed\xa0\x80",
    ];
    for round in 0..20 {
        let mut bytes = gen_text(&mut rng, 200, true).into_bytes();
        let mut first_bad = None;
        for _ in 0..3 {
            let at = rng.below(bytes.len() + 1);
            let at = (0..=at)
                .rev()
                .find(|&i| std::str::from_utf8(&bytes[..i]).is_ok())
                .unwrap_or(0);
            let b = bad[rng.below(bad.len())];
            bytes.splice(at..at, b.iter().copied());
        }
        if round == 0 {
            bytes.extend_from_slice(b"\xe4\xb8"); // truncated at the very end
        }
        if let Err(e) = std::str::from_utf8(&bytes) {
            first_bad = Some(e.valid_up_to() as u64);
        }
        let expect = String::from_utf8_lossy(&bytes).into_owned();
        for size in [1, 2, 3, 5, 8, 13, 64, 4096] {
            let chunks = chunks_of(&bytes, size, true, tok, false);
            assert_eq!(chunks.concat(), expect, "lossy, chunk size {size}");
            let sum: usize = chunks.iter().map(|c| tok.count(c)).sum();
            assert_eq!(sum, tok.count(&expect));

            let mut reader = ChunkReader::new(&bytes[..], size, false, tok, false);
            let err = loop {
                match reader.next_chunk() {
                    Ok(Some(_)) => continue,
                    Ok(None) => break None,
                    Err(ChunkError::InvalidUtf8(u)) => break Some(u.offset),
                    Err(ChunkError::Io(e)) => panic!("{e}"),
                }
            };
            assert_eq!(err, first_bad, "strict, chunk size {size}");
        }
    }
}

/// The progress callback moves while a long stretch is counted (before the chunk that ends
/// it is handed out), and it adds up to the stretch's length: a progress bar fed by it moves
/// through a file that is one line of emoji (issue 17: it stayed at 0 B for the whole file).
#[test]
fn progress_moves_while_a_long_stretch_is_counted() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let tok = Tokenizer::qwen3();
    let text = "😀".repeat(200_000);
    let calls = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&calls);
    let mut reader = ChunkReader::new(text.as_bytes(), 4096, false, tok, false)
        .with_overflow(8192)
        .with_progress(move |n| seen.borrow_mut().push(n));
    let mut total = 0;
    while let Some(chunk) = reader.next_chunk().unwrap() {
        if let Chunk::Counted { len, tokens, .. } = chunk {
            let reported: u64 = calls.borrow().iter().sum();
            assert!(calls.borrow().len() > 10, "progress was reported in steps");
            assert_eq!(reported, len);
            total += tokens;
            calls.borrow_mut().clear();
        }
    }
    assert_eq!(total, tok.count(&text) as u64);
}
