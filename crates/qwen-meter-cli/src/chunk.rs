//! Streaming input in chunks that do not change the token count.
//!
//! A [`ChunkReader`] reads any `Read` in blocks, decodes UTF-8 incrementally (strictly, with
//! the absolute byte offset of the first invalid byte, or lossily exactly like
//! `String::from_utf8_lossy` over the whole input), and yields text chunks cut only at
//! *safe points*: positions `p` where the tokenizer's result over the whole text is the
//! result over `text[..p]` followed by the result over `text[p..]`.
//!
//! The safe points are the engine's: [`Tokenizer::is_safe_cut`] decides from the two
//! characters around a place whether the tokens of the whole text are the tokens of the two
//! sides (its module docs give the rules and why they hold), and the parity suite checks
//! every cut it accepts against the reference tokenizer.
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
    tok: &'static Tokenizer,
    /// Special tokens are text (`encode_ordinary`), so no cut has to keep one whole.
    ordinary: bool,
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
    /// A reader of `reader` handing out chunks of about `chunk_size` bytes (at least 1), cut
    /// where `tok` says its tokens do not change (special tokens matched unless `ordinary`).
    pub fn new(
        reader: R,
        chunk_size: usize,
        lossy: bool,
        tok: &'static Tokenizer,
        ordinary: bool,
    ) -> Self {
        let chunk_size = chunk_size.max(1);
        ChunkReader {
            reader,
            tok,
            ordinary,
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
    /// `max_buffer` bytes without one, the stretch is counted on the spot with the
    /// tokenizer's streaming counter (memory bounded by the longest piece) until the next
    /// safe point, and handed out as [`Chunk::Counted`].
    pub fn with_overflow(mut self, max_buffer: usize) -> Self {
        self.overflow = Some(Overflow {
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
            match self.tok.last_safe_cut(&self.text, from, !self.ordinary) {
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
        let mut counter = if self.ordinary {
            self.tok.ordinary_counter()
        } else {
            self.tok.counter()
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
            if let Some(p) = self.tok.last_safe_cut(&self.text, 1, !self.ordinary) {
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
