//! Streaming input in chunks that do not change the token count.
//!
//! A [`ChunkReader`] reads any `Read` in blocks, decodes UTF-8 incrementally (strictly, with
//! the absolute byte offset of the first invalid byte, or lossily exactly like
//! `String::from_utf8_lossy` over the whole input), and yields text chunks cut only at
//! *safe points*: positions `p` where the tokenizer's result over the whole text is the
//! result over `text[..p]` followed by the result over `text[p..]`.
//!
//! # Why the cuts are safe
//!
//! The tokenizer finds special tokens, NFC-normalises the text between them, splits it with
//! the Qwen pattern
//!
//! ```text
//! (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//! ```
//!
//! and runs BPE inside each piece. A cut at `p` is safe when (1) no special token covers both
//! `p - 1` and `p`, (2) NFC never combines or reorders across `p`, (3) some piece of the whole
//! text ends exactly at `p`, and (4) the last piece before `p` is the same when the text ends
//! at `p` (the pattern only looks past a match in `\s+(?!\S)`, so (4) holds when the character
//! before `p` is not whitespace, or when the piece is taken by `\s*[\r\n]+`). The pattern has
//! no look-behind, so the pieces after `p` only depend on `text[p..]`. [`is_safe_cut`] accepts:
//!
//! - **A** `p - 1` an ASCII letter, `p` an ASCII character that is neither a letter nor a digit:
//!   letter runs (and contractions) end at the first non-letter, so a piece ends at `p`.
//! - **B** `p - 1` a `\n`, `p` a visible ASCII character or a CJK/kana/Hangul letter: every
//!   alternative that can hold a `\n` (`\s*[\r\n]+`, `\s+`, the trailing `[\r\n]*` of a
//!   punctuation run) stops before a non-space, and `\n` never composes under NFC.
//! - **C** `p` an ASCII digit after a visible ASCII character: `\p{N}` pieces are single
//!   characters and no other alternative holds a digit.
//! - **D** `p` a CJK punctuation mark (`。`, `，`, `、`, `！`, ...) after a CJK, kana, Hangul
//!   or ASCII letter or digit: the letter run ends there, and these marks are NFC-inert.
//!
//! ASCII characters (and the listed CJK marks) have combining class 0 and are never the second
//! half of a canonical composition, so NFC treats the two sides independently (2). For (1),
//! rules A, C and D reject a cut when both neighbours are bytes that occur in the tokenizer's
//! special tokens (`<`, `|`, `>`, `_`, `/`, letters, and digits for `<|extra_N|>`); `\n` occurs
//! in none. In ordinary mode no special tokens are matched, so (1) is void.
//!
//! When a block has no safe point (for example one long line of emoji) the reader keeps
//! reading until it finds one. Without [`ChunkReader::with_overflow`] memory grows with the
//! longest run without a safe point; with it, a run longer than the limit is counted on the
//! spot by the library's streaming [`qwen_meter::TokenCounter`] (sequential, memory bounded by
//! the longest piece) up to the next safe point, then chunking resumes. The `chunk_props`
//! integration test checks all of this against the library's whole-text count over generated
//! texts and many chunk sizes.

use std::io::{self, Read};

use qwen_meter::Tokenizer;

/// Default size of a chunk handed to a counting worker: 1 MiB.
pub const DEFAULT_CHUNK_SIZE: usize = 1 << 20;

/// Bytes that occur in some special token of a tokenizer, for rule (1) of the module docs.
#[derive(Clone)]
pub struct SpecialBytes([bool; 256]);

impl SpecialBytes {
    /// The bytes of `tok`'s special tokens, or none at all when special tokens are treated as
    /// ordinary text.
    pub fn of(tok: &Tokenizer, ordinary: bool) -> SpecialBytes {
        let mut set = [false; 256];
        if !ordinary {
            for (text, _) in tok.special_tokens() {
                for &b in text.as_bytes() {
                    set[b as usize] = true;
                }
            }
        }
        SpecialBytes(set)
    }

    /// The empty set (ordinary text).
    pub fn none() -> SpecialBytes {
        SpecialBytes([false; 256])
    }

    fn has(&self, b: u8) -> bool {
        self.0[b as usize]
    }
}

fn is_cjk_letter(c: char) -> bool {
    matches!(c as u32,
        0x3041..=0x3096      // Hiragana letters
        | 0x30A1..=0x30FA    // Katakana letters
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7A3 // Hangul syllables
    )
}

fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '〈'
            | '〉'
            | '《'
            | '》'
            | '「'
            | '」'
            | '『'
            | '』'
            | '【'
            | '】'
            | '！'
            | '（'
            | '）'
            | '，'
            | '：'
            | '；'
            | '？'
    )
}

/// The character that ends just before byte `p` of `s` (`p` on a char boundary, `p > 0`).
fn char_before(s: &str, p: usize) -> char {
    s[..p].chars().next_back().unwrap_or('\0')
}

/// Whether cutting `s` at byte `p` leaves the token count unchanged (see the module docs).
/// `p` must be in `1..s.len()`; positions that are not char boundaries are never safe.
pub fn is_safe_cut(s: &str, p: usize, specials: &SpecialBytes) -> bool {
    let bytes = s.as_bytes();
    if p == 0 || p >= bytes.len() || !s.is_char_boundary(p) {
        return false;
    }
    let a = bytes[p - 1];
    let b = bytes[p];
    if b.is_ascii() {
        let both_special = specials.has(a) && specials.has(b);
        // A
        if a.is_ascii_alphabetic() && !b.is_ascii_alphanumeric() && !both_special {
            return true;
        }
        // B
        if a == b'\n' && b.is_ascii_graphic() {
            return true;
        }
        // C
        if b.is_ascii_digit() && a.is_ascii_graphic() && !both_special {
            return true;
        }
        return false;
    }
    let c = s[p..].chars().next().unwrap_or('\0');
    // B
    if a == b'\n' {
        return is_cjk_letter(c);
    }
    // D
    if is_cjk_punct(c) {
        let before = char_before(s, p);
        return before.is_ascii_alphanumeric() || is_cjk_letter(before);
    }
    false
}

/// The last safe cut of `s` at or after byte `from` (searching from the end), if any.
pub fn last_safe_cut(s: &str, from: usize, specials: &SpecialBytes) -> Option<usize> {
    let from = from.max(1);
    let mut p = s.len().checked_sub(1)?;
    while p >= from {
        if is_safe_cut(s, p, specials) {
            return Some(p);
        }
        p -= 1;
    }
    None
}

/// Input bytes that are not valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Absolute byte offset of the first invalid byte.
    pub offset: u64,
}

/// What can go wrong while reading chunks.
#[derive(Debug)]
pub enum ChunkError {
    /// Reading failed.
    Io(io::Error),
    /// The input is not UTF-8 (strict mode only).
    InvalidUtf8(InvalidUtf8),
}

impl From<io::Error> for ChunkError {
    fn from(e: io::Error) -> Self {
        ChunkError::Io(e)
    }
}

/// Reads text in chunks cut at safe points; see the module docs.
pub struct ChunkReader<R> {
    reader: R,
    specials: SpecialBytes,
    chunk_size: usize,
    lossy: bool,
    /// Undecoded bytes: an incomplete UTF-8 sequence at the end of the last block.
    raw: Vec<u8>,
    /// Absolute offset of `raw[0]`.
    raw_offset: u64,
    /// Decoded text not yet handed out.
    text: String,
    /// Positions of `text` before this byte were searched for a safe cut in vain.
    checked: usize,
    block: Vec<u8>,
    eof: bool,
    failed: bool,
    overflow: Option<Overflow>,
    /// Told the bytes of a long stretch as the streaming counter takes them, so that a
    /// progress bar moves while one is counted.
    progress: Option<Box<dyn FnMut(u64)>>,
}

/// How to count a stretch that has no safe point: with the library's streaming counter.
struct Overflow {
    tok: &'static Tokenizer,
    ordinary: bool,
    max_buffer: usize,
}

/// What [`ChunkReader`] hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Text cut at safe points (or the end of the input), to be counted by anyone.
    Text(String),
    /// A stretch without safe points, longer than the buffer limit, already counted
    /// sequentially with the library's [`qwen_meter::TokenCounter`]; it too ends at a safe
    /// point or at the end of the input.
    Counted {
        /// Tokens of the stretch.
        tokens: u64,
        /// Characters of the stretch.
        chars: u64,
        /// Bytes of the (decoded) stretch.
        len: u64,
    },
}

impl<R: Read> ChunkReader<R> {
    /// A reader of `reader` handing out chunks of about `chunk_size` bytes (at least 1).
    pub fn new(reader: R, chunk_size: usize, lossy: bool, specials: SpecialBytes) -> Self {
        let chunk_size = chunk_size.max(1);
        ChunkReader {
            reader,
            specials,
            chunk_size,
            lossy,
            raw: Vec::new(),
            raw_offset: 0,
            text: String::new(),
            checked: 0,
            block: vec![0; chunk_size.min(1 << 20)],
            eof: false,
            failed: false,
            overflow: None,
            progress: None,
        }
    }

    /// Bounds memory for stretches without a safe point: once the buffer reaches
    /// `max_buffer` bytes without one, the stretch is counted on the spot with `tok`'s
    /// streaming counter (memory bounded by the longest piece) until the next safe point,
    /// and handed out as [`Chunk::Counted`].
    pub fn with_overflow(
        mut self,
        tok: &'static Tokenizer,
        ordinary: bool,
        max_buffer: usize,
    ) -> Self {
        self.overflow = Some(Overflow {
            tok,
            ordinary,
            max_buffer: max_buffer.max(self.chunk_size),
        });
        self
    }

    /// Calls `f` with the number of bytes of a [`Chunk::Counted`] stretch each time the
    /// streaming counter takes some, while the stretch is being counted (the chunk that ends
    /// it then carries the whole length again, for the totals).
    pub fn with_progress(mut self, f: impl FnMut(u64) + 'static) -> Self {
        self.progress = Some(Box::new(f));
        self
    }

    /// Reads one block and decodes it onto `self.text`.
    fn fill(&mut self) -> Result<(), ChunkError> {
        let n = loop {
            match self.reader.read(&mut self.block) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        };
        if n == 0 {
            self.eof = true;
        } else {
            self.raw.extend_from_slice(&self.block[..n]);
        }
        self.decode()
    }

    /// Moves the decodable part of `raw` onto `text`.
    fn decode(&mut self) -> Result<(), ChunkError> {
        let mut pos = 0;
        let len = self.raw.len();
        while pos < len {
            match std::str::from_utf8(&self.raw[pos..]) {
                Ok(s) => {
                    self.text.push_str(s);
                    pos = len;
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    let valid = std::str::from_utf8(&self.raw[pos..pos + good])
                        .expect("valid_up_to marks a valid prefix");
                    self.text.push_str(valid);
                    let bad_at = pos + good;
                    let bad_len = match e.error_len() {
                        Some(n) => n,
                        None if self.eof => len - bad_at,
                        None => {
                            pos = bad_at;
                            break;
                        }
                    };
                    if !self.lossy {
                        return Err(ChunkError::InvalidUtf8(InvalidUtf8 {
                            offset: self.raw_offset + bad_at as u64,
                        }));
                    }
                    self.text.push(char::REPLACEMENT_CHARACTER);
                    pos = bad_at + bad_len;
                }
            }
        }
        self.raw.drain(..pos);
        self.raw_offset += pos as u64;
        Ok(())
    }

    /// The next chunk, `None` at the end of the input. After an error, always `None`.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, ChunkError> {
        if self.failed {
            return Ok(None);
        }
        let r = self.next_inner();
        if r.is_err() {
            self.failed = true;
        }
        r
    }

    fn next_inner(&mut self) -> Result<Option<Chunk>, ChunkError> {
        loop {
            while !self.eof && self.text.len() < self.chunk_size {
                self.fill()?;
            }
            if self.eof {
                if self.text.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(Chunk::Text(self.take(self.text.len()))));
            }
            let from = self.checked.saturating_sub(1);
            match last_safe_cut(&self.text, from, &self.specials) {
                Some(p) => return Ok(Some(Chunk::Text(self.take(p)))),
                None => {
                    if self
                        .overflow
                        .as_ref()
                        .is_some_and(|o| self.text.len() >= o.max_buffer)
                    {
                        return self.count_overflow().map(Some);
                    }
                    // No safe point yet: read on (the buffer grows past chunk_size).
                    self.checked = self.text.len();
                    self.fill()?;
                }
            }
        }
    }

    /// Counts the buffer and what follows, up to the next safe point or the end of the
    /// input, with the library's streaming counter.
    fn count_overflow(&mut self) -> Result<Chunk, ChunkError> {
        let o = self.overflow.as_ref().expect("overflow is configured");
        let mut counter = if o.ordinary {
            o.tok.ordinary_counter()
        } else {
            o.tok.counter()
        };
        let (mut chars, mut len) = (0u64, 0u64);
        loop {
            // Keep the last character: a safe point after it needs it as context.
            let keep = if self.eof {
                self.text.len()
            } else {
                self.text.char_indices().next_back().map_or(0, |(i, _)| i)
            };
            let head = &self.text[..keep];
            counter.push(head);
            chars += head.chars().count() as u64;
            len += keep as u64;
            if let Some(f) = &mut self.progress {
                f(keep as u64);
            }
            self.text.drain(..keep);
            if self.eof {
                break;
            }
            self.fill()?;
            if let Some(p) = last_safe_cut(&self.text, 1, &self.specials) {
                let head = &self.text[..p];
                counter.push(head);
                chars += head.chars().count() as u64;
                len += p as u64;
                if let Some(f) = &mut self.progress {
                    f(p as u64);
                }
                self.text.drain(..p);
                break;
            }
        }
        self.checked = 0;
        Ok(Chunk::Counted {
            tokens: counter.finish() as u64,
            chars,
            len,
        })
    }

    /// Hands out `text[..p]`, keeping the rest.
    fn take(&mut self, p: usize) -> String {
        let rest = self.text.split_off(p);
        self.checked = 0;
        std::mem::replace(&mut self.text, rest)
    }

    /// Bytes read from the input so far.
    pub fn bytes_read(&self) -> u64 {
        self.raw_offset + self.raw.len() as u64
    }
}

impl<R: Read> Iterator for ChunkReader<R> {
    type Item = Result<Chunk, ChunkError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_chunk().transpose()
    }
}
