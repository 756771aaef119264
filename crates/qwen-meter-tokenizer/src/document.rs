//! An editable text whose token count follows each edit exactly, re-tokenizing only near it.
//!
//! # How it works
//!
//! The text is held as a sequence of chunks of a few kilobytes, each tokenized on its own and
//! remembering its token count. The chunks are cut where [`Tokenizer::stable_cut`] (the cut the
//! streaming counter settles at) says the tokenization splits whatever follows: for a window
//! `y` of text starting at a chunk start, it returns the last cut `p` with
//! `encode(y + c) == encode(y[..p]) ++ encode(y[p..] + c)` for every continuation `c`. So each
//! chunk's cut depends only on the window it was cut in, which starts at the chunk's start and
//! reaches a little past its end (the chunk's *reach*). With `tokens(j)` the first `n_j` tokens
//! of `encode(window j)`, `n_j` being the count `stable_cut` returns, induction over the chunks
//! gives
//!
//! ```text
//! encode(text) == tokens(0) ++ tokens(1) ++ ... ++ encode(last chunk)
//! ```
//!
//! as long as no chunk's window has changed. (`tokens(j)` is not always `encode(chunk j)`:
//! spaces before a cut are split by the character after them, which the chunk alone lacks.)
//! The count is the sum of the `n_j`, kept up to date; ids and offsets are computed on demand,
//! for the whole text or only for the chunks under a visible range.
//!
//! An edit of the bytes `s..e` leaves every chunk whose reach ends at or before `s` as it is:
//! their text and the text their cuts depend on are unchanged. Tokenization restarts at the
//! start of the first chunk whose reach passes `s` (a valid cut, by the chunks before it) and
//! cuts new chunks through the edited text with `stable_cut`. The chunk starts that lie after
//! `e` in the old text are the places where the old chunks can be taken back unchanged: once a
//! new cut falls exactly on one of them, the text from there on is the same as before, its old
//! chunks' cuts depend only on that text, so they still hold, and the rest of the document is
//! spliced back without being looked at. To make that meeting likely, the window of a new
//! chunk ends where the old window that produced the old start ended: the new tokenization has
//! almost always re-aligned with the old one a few characters after the edit, and from then
//! on `stable_cut` sees the same pieces as before and picks the same last cut. If it does not,
//! the next old start is tried, so the result is exact either way and only the time varies.
//!
//! A keystroke thus re-tokenizes about one chunk (two when it lands near a cut), whatever the
//! document's size. Chunks that edits make too small are merged with the next one, and large
//! insertions are cut into new chunks of the usual size. Text with no cut for a long way (a
//! megabyte of one letter is a single pre-tokenizer piece) becomes one large chunk, since its
//! tokens genuinely depend on all of it.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::ops::Range;

use crate::{TokenSpan, Tokenizer};

/// Usual chunk size in bytes: small enough that a keystroke re-tokenizes well under 1% of a
/// megabyte, large enough that the per-chunk work around `stable_cut` stays negligible.
const CHUNK_SIZE: usize = 2 * 1024;

/// A document whose token count follows its edits, re-tokenizing only around each edit.
///
/// Offsets are byte offsets into the document's UTF-8 text. Special-token text such as
/// `<|im_start|>` is recognised, as in [`Tokenizer::encode`].
///
/// ```
/// use qwen_meter_tokenizer::{Document, Tokenizer};
///
/// let tok = Tokenizer::qwen3();
/// let mut doc = Document::new(tok, "Hello, world!");
/// assert_eq!(doc.count(), 4);
/// doc.edit(7..12, "Qwen").unwrap();
/// assert_eq!(doc.text(), "Hello, Qwen!");
/// assert_eq!(doc.count(), tok.count("Hello, Qwen!"));
/// assert_eq!(doc.encode(), tok.encode("Hello, Qwen!"));
/// ```
#[derive(Clone)]
pub struct Document<'t> {
    tok: &'t Tokenizer,
    /// Whether special-token text becomes special tokens ([`Tokenizer::encode`]) or stays
    /// plain text ([`Tokenizer::encode_ordinary`]).
    special: bool,
    chunk_size: usize,
    chunks: Vec<Chunk>,
    /// Byte offset of each chunk's start, plus the length of the text at the end.
    starts: Vec<usize>,
    /// The same in UTF-16 code units.
    utf16_starts: Vec<usize>,
    tokens: usize,
}

#[derive(Clone, Debug)]
struct Chunk {
    text: String,
    tokens: usize,
    /// Bytes from the chunk's start that its cut depends on: the window `stable_cut` was given.
    /// `usize::MAX` for the last chunk, which has no cut and depends on all text after its start.
    reach: usize,
    utf16: usize,
}

impl Chunk {
    fn new(text: &str, tokens: usize, reach: usize) -> Chunk {
        Chunk {
            text: text.to_owned(),
            tokens,
            reach,
            utf16: text.chars().map(char::len_utf16).sum(),
        }
    }

    /// How far past its end the chunk's cut looked.
    fn lookahead(&self) -> usize {
        self.reach.saturating_sub(self.text.len())
    }
}

/// Why [`Document::edit`] refused an edit; the document is unchanged.
///
/// ```
/// use qwen_meter_tokenizer::{Document, EditError, Tokenizer};
///
/// let mut doc = Document::new(Tokenizer::qwen3(), "né");
/// assert_eq!(doc.edit(2..2, "x"), Err(EditError::NotCharBoundary { offset: 2 }));
/// assert_eq!(doc.edit(1..9, ""), Err(EditError::OutOfBounds { start: 1, end: 9, len: 3 }));
/// assert_eq!(doc.edit(3..1, ""), Err(EditError::Reversed { start: 3, end: 1 }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The range ends past the end of the document (`len` bytes).
    OutOfBounds {
        /// Start of the range.
        start: usize,
        /// End of the range.
        end: usize,
        /// Length of the document in bytes.
        len: usize,
    },
    /// The range starts after it ends.
    Reversed {
        /// Start of the range.
        start: usize,
        /// End of the range.
        end: usize,
    },
    /// An end of the range falls inside a character's UTF-8 encoding.
    NotCharBoundary {
        /// The offending byte offset.
        offset: usize,
    },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            EditError::OutOfBounds { start, end, len } => write!(
                f,
                "edit range {start}..{end} is out of bounds of a document of {len} bytes"
            ),
            EditError::Reversed { start, end } => {
                write!(f, "edit range {start}..{end} starts after its end")
            }
            EditError::NotCharBoundary { offset } => write!(
                f,
                "edit offset {offset} is inside a character, not on a character boundary"
            ),
        }
    }
}

impl std::error::Error for EditError {}

impl<'t> Document<'t> {
    /// A document holding `text`, tokenized once (as long as one [`Tokenizer::count`]).
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// let doc = Document::new(Tokenizer::qwen3(), "The quick brown fox");
    /// assert_eq!(doc.count(), 4);
    /// ```
    pub fn new(tok: &'t Tokenizer, text: &str) -> Document<'t> {
        Document::with_chunk_size(tok, text, true, CHUNK_SIZE)
    }

    /// A document that treats special-token text as plain text, counting like
    /// [`Tokenizer::count_ordinary`].
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// let tok = Tokenizer::qwen3();
    /// let doc = Document::ordinary(tok, "<think>");
    /// assert_eq!(doc.count(), tok.count_ordinary("<think>"));
    /// assert_eq!(doc.encode(), tok.encode_ordinary("<think>"));
    /// ```
    pub fn ordinary(tok: &'t Tokenizer, text: &str) -> Document<'t> {
        Document::with_chunk_size(tok, text, false, CHUNK_SIZE)
    }

    /// A document cut into chunks of about `chunk_size` bytes (at least 16): tests and fuzzing
    /// use small chunks so that short texts cross many cuts.
    #[doc(hidden)]
    pub fn with_chunk_size(
        tok: &'t Tokenizer,
        text: &str,
        special: bool,
        chunk_size: usize,
    ) -> Document<'t> {
        let mut doc = Document {
            tok,
            special,
            chunk_size: chunk_size.max(16),
            chunks: Vec::new(),
            starts: vec![0],
            utf16_starts: vec![0],
            tokens: 0,
        };
        let (chunks, _) = Rechunk::new(&doc, text.to_owned(), &[], 0).run();
        doc.chunks = chunks;
        doc.reindex(0);
        doc
    }

    /// The tokenizer the document counts with.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Generation, Tokenizer};
    /// let doc = Document::new(Tokenizer::qwen2(), "");
    /// assert_eq!(doc.tokenizer().generation(), Some(Generation::Qwen2));
    /// ```
    pub fn tokenizer(&self) -> &'t Tokenizer {
        self.tok
    }

    /// Number of tokens of the whole text, equal to `tokenizer.count(&doc.text())`; constant time.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// let mut doc = Document::new(Tokenizer::qwen3(), "<|im_start|>user");
    /// assert_eq!(doc.count(), 2);
    /// doc.edit(0..1, "").unwrap(); // no longer special-token text
    /// assert_eq!(doc.count(), Tokenizer::qwen3().count("|im_start|>user"));
    /// ```
    pub fn count(&self) -> usize {
        self.tokens
    }

    /// Length of the text in bytes.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// assert_eq!(Document::new(Tokenizer::qwen3(), "né").len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.starts[self.chunks.len()]
    }

    /// Whether the text is empty.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// assert!(Document::new(Tokenizer::qwen3(), "").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Length of the text in UTF-16 code units (JavaScript's `string.length`).
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// assert_eq!(Document::new(Tokenizer::qwen3(), "a🦀").utf16_len(), 3);
    /// ```
    pub fn utf16_len(&self) -> usize {
        self.utf16_starts[self.chunks.len()]
    }

    /// The whole text.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// let mut doc = Document::new(Tokenizer::qwen3(), "ab");
    /// doc.edit(1..1, "-").unwrap();
    /// assert_eq!(doc.text(), "a-b");
    /// ```
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(self.len());
        for c in &self.chunks {
            s.push_str(&c.text);
        }
        s
    }

    /// The text of a byte range, or `None` when the range is out of bounds, reversed or not on
    /// character boundaries.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// let doc = Document::new(Tokenizer::qwen3(), "Hello, world");
    /// assert_eq!(doc.slice(7..12).as_deref(), Some("world"));
    /// assert_eq!(doc.slice(7..99), None);
    /// ```
    pub fn slice(&self, range: Range<usize>) -> Option<String> {
        self.check_range(&range).ok()?;
        let mut s = String::with_capacity(range.len());
        let first = self.chunk_at(range.start);
        for j in first..self.chunks.len() {
            let base = self.starts[j];
            if base >= range.end {
                break;
            }
            let text = &self.chunks[j].text;
            let a = range.start.saturating_sub(base);
            let b = (range.end - base).min(text.len());
            s.push_str(&text[a..b]);
        }
        Some(s)
    }

    /// Replaces the bytes in `range` with `replacement` (an insertion when the range is empty,
    /// a deletion when the replacement is), then brings the tokens up to date by re-tokenizing
    /// only the chunks around the edit. A range out of bounds, reversed or inside a character
    /// is an error and leaves the document unchanged.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// let tok = Tokenizer::qwen3();
    /// let mut doc = Document::new(tok, "one two");
    /// doc.edit(3..3, " and a half").unwrap();
    /// doc.edit(0..3, "").unwrap();
    /// assert_eq!(doc.text(), " and a half two");
    /// assert_eq!(doc.count(), tok.count(" and a half two"));
    /// assert!(doc.edit(0..100, "").is_err());
    /// ```
    pub fn edit(&mut self, range: Range<usize>, replacement: &str) -> Result<(), EditError> {
        self.check_range(&range)?;
        let (s, e) = (range.start, range.end);
        if s == e && replacement.is_empty() {
            return Ok(());
        }
        let n = self.chunks.len();
        // The first chunk whose cut looked at text the edit changes; the cuts before it hold.
        let first = (0..n)
            .find(|&j| self.starts[j].saturating_add(self.chunks[j].reach) > s)
            .unwrap_or(n);
        // The last chunk holding text the edit removes (or the first, for an insertion).
        let last = self.starts[..n]
            .partition_point(|&x| x < e)
            .saturating_sub(1)
            .max(first);
        let from = self.starts[first.min(n)];
        let mut buf = String::new();
        if first < n {
            for c in &self.chunks[first..=last] {
                buf.push_str(&c.text);
            }
        }
        buf.replace_range(s - from..e - from, replacement);
        let rest_from = (last + 1).min(n);
        let lookahead = if first < n {
            self.chunks[last].lookahead()
        } else {
            0
        };
        let rest = &self.chunks[rest_from..];
        let (new_chunks, resync) = Rechunk::new(self, buf, rest, lookahead).run();
        let keep_from = rest_from + resync.unwrap_or(rest.len());
        let removed: usize = self.chunks[first..keep_from].iter().map(|c| c.tokens).sum();
        let added: usize = new_chunks.iter().map(|c| c.tokens).sum();
        self.tokens = self.tokens - removed + added;
        self.chunks.splice(first..keep_from, new_chunks);
        self.reindex(first);
        Ok(())
    }

    /// Token ids of the whole text, equal to `tokenizer.encode(&doc.text())`.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// let doc = Document::new(Tokenizer::qwen3(), "Hello, world!");
    /// assert_eq!(doc.encode(), [9707, 11, 1879, 0]);
    /// ```
    pub fn encode(&self) -> Vec<u32> {
        let mut ids = Vec::with_capacity(self.tokens);
        for j in 0..self.chunks.len() {
            let window = self.window(j);
            let all = if self.special {
                self.tok.encode(&window)
            } else {
                self.tok.encode_ordinary(&window)
            };
            ids.extend(all.into_iter().take(self.chunks[j].tokens));
        }
        ids
    }

    /// The tokens that overlap the byte range `range` (clamped to the text), with their byte
    /// offsets in the document, as [`Tokenizer::encode_with_offsets`] gives them for the whole
    /// text; only the chunks under the range are tokenized, so a view can ask for what it shows.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// let doc = Document::new(Tokenizer::qwen3(), "Hello, world!");
    /// let spans = doc.tokens(8..9);
    /// assert_eq!(spans.len(), 1);
    /// assert_eq!((spans[0].id, spans[0].start, spans[0].end), (1879, 6, 12));
    /// ```
    pub fn tokens(&self, range: Range<usize>) -> Vec<TokenSpan> {
        let end = range.end.min(self.len());
        let start = range.start.min(end);
        let mut out = Vec::new();
        if start == end {
            return out;
        }
        for j in self.chunk_at(start)..self.chunks.len() {
            let base = self.starts[j];
            if base >= end {
                break;
            }
            let window = self.window(j);
            let spans = if self.special {
                self.tok.encode_with_offsets(&window)
            } else {
                self.tok.encode_ordinary_with_offsets(&window)
            };
            for t in spans.into_iter().take(self.chunks[j].tokens) {
                let (a, b) = (base + t.start, base + t.end);
                if b > start && a < end {
                    out.push(TokenSpan {
                        id: t.id,
                        start: a,
                        end: b,
                    });
                }
            }
        }
        out
    }

    /// The byte offset of a UTF-16 offset (JavaScript's string index), or `None` when it is
    /// past the end or between the two halves of a surrogate pair.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// let doc = Document::new(Tokenizer::qwen3(), "é🦀!");
    /// assert_eq!(doc.byte_offset(1), Some(2));
    /// assert_eq!(doc.byte_offset(2), None);
    /// assert_eq!(doc.byte_offset(3), Some(6));
    /// assert_eq!(doc.byte_offset(4), Some(7));
    /// assert_eq!(doc.byte_offset(5), None);
    /// ```
    pub fn byte_offset(&self, utf16: usize) -> Option<usize> {
        if utf16 > self.utf16_len() {
            return None;
        }
        let j = self.utf16_starts.partition_point(|&u| u <= utf16) - 1;
        if j == self.chunks.len() {
            return Some(self.len());
        }
        let mut u = self.utf16_starts[j];
        for (i, c) in self.chunks[j].text.char_indices() {
            if u == utf16 {
                return Some(self.starts[j] + i);
            }
            u += c.len_utf16();
            if u > utf16 {
                return None;
            }
        }
        Some(self.starts[j + 1])
    }

    /// The UTF-16 offset of a byte offset, or `None` when it is past the end or inside a
    /// character.
    ///
    /// ```
    /// use qwen_meter_tokenizer::{Document, Tokenizer};
    /// let doc = Document::new(Tokenizer::qwen3(), "é🦀!");
    /// assert_eq!(doc.utf16_offset(6), Some(3));
    /// assert_eq!(doc.utf16_offset(1), None);
    /// ```
    pub fn utf16_offset(&self, byte: usize) -> Option<usize> {
        if byte > self.len() {
            return None;
        }
        let j = self.chunk_at(byte);
        if j == self.chunks.len() {
            return Some(self.utf16_len());
        }
        let text = &self.chunks[j].text;
        let at = byte - self.starts[j];
        text.is_char_boundary(at)
            .then(|| self.utf16_starts[j] + text[..at].chars().map(char::len_utf16).sum::<usize>())
    }

    /// The text chunk `j` was cut in: its tokens are the first `tokens` of this text's
    /// (not of the chunk's own text: a run of spaces before the cut may split differently at
    /// the end of a text than before the character that follows it).
    fn window(&self, j: usize) -> Cow<'_, str> {
        let c = &self.chunks[j];
        if c.reach == usize::MAX {
            return Cow::Borrowed(&c.text);
        }
        let end = self.starts[j].saturating_add(c.reach).min(self.len());
        Cow::Owned(self.slice(self.starts[j]..end).unwrap_or_default())
    }

    fn check_range(&self, range: &Range<usize>) -> Result<(), EditError> {
        let (start, end, len) = (range.start, range.end, self.len());
        if start > end {
            return Err(EditError::Reversed { start, end });
        }
        if end > len {
            return Err(EditError::OutOfBounds { start, end, len });
        }
        for offset in [start, end] {
            let j = self.chunk_at(offset);
            if j < self.chunks.len()
                && !self.chunks[j]
                    .text
                    .is_char_boundary(offset - self.starts[j])
            {
                return Err(EditError::NotCharBoundary { offset });
            }
        }
        Ok(())
    }

    /// The chunk holding byte `offset` (the number of chunks at the end of the text).
    fn chunk_at(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Recomputes the chunk offsets from chunk `from` on.
    fn reindex(&mut self, from: usize) {
        let n = self.chunks.len();
        self.starts.truncate(from + 1);
        self.utf16_starts.truncate(from + 1);
        for c in &self.chunks[from..] {
            self.starts
                .push(self.starts.last().copied().unwrap_or(0) + c.text.len());
            self.utf16_starts
                .push(self.utf16_starts.last().copied().unwrap_or(0) + c.utf16);
        }
        debug_assert_eq!(self.starts.len(), n + 1);
        if from == 0 {
            self.tokens = self.chunks.iter().map(|c| c.tokens).sum();
        }
    }
}

impl fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("len", &self.len())
            .field("tokens", &self.tokens)
            .field("chunks", &self.chunks.len())
            .finish()
    }
}

/// Cuts new chunks from text that starts at a valid cut, taking old chunks back as soon as a
/// new cut lands on one of their starts.
struct Rechunk<'a> {
    tok: &'a Tokenizer,
    special: bool,
    size: usize,
    /// New text from the first re-tokenized chunk's start; old chunks are appended as needed.
    buf: String,
    /// The old chunks after the edited text, in order; `rest[next..]` are not yet in `buf`.
    rest: &'a [Chunk],
    next: usize,
    /// Lookahead of the old chunk before `rest[next]`.
    lookahead: usize,
    /// Old chunk starts in `buf`: (offset in `buf`, index in `rest`, end of the window that cut
    /// there in the old text, as an offset in `buf`).
    starts: VecDeque<(usize, usize, usize)>,
    out: Vec<Chunk>,
}

impl<'a> Rechunk<'a> {
    fn new(doc: &Document<'a>, buf: String, rest: &'a [Chunk], lookahead: usize) -> Rechunk<'a> {
        Rechunk {
            tok: doc.tok,
            special: doc.special,
            size: doc.chunk_size,
            buf,
            rest,
            next: 0,
            lookahead,
            starts: VecDeque::new(),
            out: Vec::new(),
        }
    }

    /// Appends the next old chunk to `buf`; false when there is none.
    fn append(&mut self) -> bool {
        let Some(c) = self.rest.get(self.next) else {
            return false;
        };
        let at = self.buf.len();
        self.starts.push_back((at, self.next, at + self.lookahead));
        self.buf.push_str(&c.text);
        self.lookahead = c.lookahead();
        self.next += 1;
        true
    }

    /// New chunks from the start of `buf`, and the index in `rest` from which the old chunks
    /// follow them unchanged (`None`: the new chunks reach the end of the text).
    fn run(mut self) -> (Vec<Chunk>, Option<usize>) {
        let (min, max) = (self.size / 4, self.size * 2);
        let mut a = 0;
        loop {
            while self.starts.front().is_some_and(|s| s.0 <= a) {
                self.starts.pop_front();
            }
            // Aim at an old start far enough away to make a chunk of useful size.
            let aim = loop {
                if let Some(&s) = self.starts.iter().find(|s| s.0 - a >= min) {
                    break Some(s);
                }
                if !self.append() {
                    break None;
                }
            };
            let mut w = match aim {
                Some((at, _, window_end)) if at - a <= max => window_end,
                _ => a + self.size,
            };
            loop {
                while self.buf.len() < w && self.append() {}
                let at_end = self.next == self.rest.len() && w >= self.buf.len();
                if at_end && self.buf.len() - a <= max {
                    return self.finish(a);
                }
                let end = floor_char(&self.buf, w.min(self.buf.len()));
                match self.tok.stable_cut(&self.buf[a..end], self.special) {
                    Some((p, tokens)) => {
                        self.out
                            .push(Chunk::new(&self.buf[a..a + p], tokens, end - a));
                        a += p;
                        if let Some(&(_, index, _)) = self.starts.iter().find(|s| s.0 == a) {
                            return (self.out, Some(index));
                        }
                        break;
                    }
                    None if at_end => return self.finish(a),
                    None => w = a + 2 * (w - a),
                }
            }
        }
    }

    /// The last chunk: the rest of the text, with no cut.
    fn finish(mut self, a: usize) -> (Vec<Chunk>, Option<usize>) {
        if a < self.buf.len() {
            let text = &self.buf[a..];
            let tokens = if self.special {
                self.tok.count(text)
            } else {
                self.tok.count_ordinary(text)
            };
            self.out.push(Chunk::new(text, tokens, usize::MAX));
        }
        (self.out, None)
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::xorshift;

    /// Fragments that stress the cuts: word middles, combining sequences, special-token text
    /// and its halves, CRLF, runs of spaces, digits, CJK, emoji, contractions.
    const FRAGMENTS: &[&str] = &[
        "the",
        " quick",
        " brown",
        "fox",
        "jumps",
        " ",
        "  ",
        "    ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        " \n",
        "e\u{301}",
        "\u{301}",
        "\u{308}",
        "\u{327}\u{301}",
        "\u{1100}",
        "\u{1161}",
        "\u{11A8}",
        "한",
        "<|im_start|>",
        "<|im_end|>",
        "<think>",
        "</think>",
        "<|im_",
        "start|>",
        "<tool_call>",
        "<",
        "|",
        ">",
        "'s",
        "'",
        "ll",
        "123",
        "4",
        "通义千问",
        "。",
        "🦀",
        "👋🏽",
        "\u{200D}",
        "Ω",
        "\u{212B}",
        "ﬁ",
        "!!",
        "...",
        "\u{A0}",
        "\u{3000}",
        "x",
        "中",
        "é",
    ];

    struct Rng(Box<dyn FnMut() -> u64>);

    impl Rng {
        fn new(seed: u64) -> Rng {
            Rng(Box::new(xorshift(seed)))
        }
        fn below(&mut self, n: usize) -> usize {
            (self.0)() as usize % n.max(1)
        }
        fn fragment(&mut self) -> &'static str {
            FRAGMENTS[self.below(FRAGMENTS.len())]
        }
        fn text(&mut self, pieces: usize) -> String {
            (0..pieces).map(|_| self.fragment()).collect()
        }
        /// A char boundary of `s`, uniformly over bytes then rounded down.
        fn boundary(&mut self, s: &str) -> usize {
            floor_char(s, self.below(s.len() + 1))
        }
    }

    fn assert_exact(doc: &Document, text: &str, what: &str) {
        let tok = doc.tokenizer();
        let (count, ids) = if doc.special {
            (tok.count(text), tok.encode(text))
        } else {
            (tok.count_ordinary(text), tok.encode_ordinary(text))
        };
        assert_eq!(doc.text(), text, "{what}: text");
        assert_eq!(doc.len(), text.len(), "{what}: len");
        assert_eq!(doc.count(), count, "{what}: count of {text:?}");
        assert_eq!(doc.encode(), ids, "{what}: ids of {text:?}");
        assert_eq!(
            doc.utf16_len(),
            text.encode_utf16().count(),
            "{what}: utf16"
        );
    }

    /// Random edits (keystrokes, deletions, replacements, pastes) on small-chunked documents,
    /// checking count and ids against a full re-tokenization after every edit.
    #[test]
    fn random_edits_match_full_tokenization() {
        let tok = Tokenizer::qwen3();
        let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
        for round in 0..12 {
            let chunk = [16, 24, 40, 64][round % 4];
            let pieces = rng.below(200);
            let mut text = rng.text(pieces);
            // Every third round treats special-token text as plain text.
            let special = round % 3 != 2;
            let mut doc = Document::with_chunk_size(tok, &text, special, chunk);
            assert_exact(&doc, &text, "new");
            for step in 0..250 {
                let a = rng.boundary(&text);
                let b = match rng.below(4) {
                    0 => a,
                    1 => floor_char(&text, (a + rng.below(8)).min(text.len())),
                    _ => {
                        let b = rng.boundary(&text);
                        b.max(a)
                    }
                };
                let replacement = match rng.below(5) {
                    0 => String::new(),
                    1 => {
                        let pieces = 1 + rng.below(30);
                        rng.text(pieces)
                    }
                    _ => rng.fragment().chars().take(1).collect(),
                };
                doc.edit(a..b, &replacement).unwrap();
                text.replace_range(a..b, &replacement);
                assert_exact(&doc, &text, &format!("round {round} step {step}: {a}..{b}"));
            }
        }
    }

    /// Typing a long text one character at a time and deleting it again from the middle.
    #[test]
    fn typing_and_backspacing_match_full_tokenization() {
        let tok = Tokenizer::qwen3();
        let mut rng = Rng::new(42);
        let source = rng.text(150);
        let mut doc = Document::with_chunk_size(tok, "", true, 32);
        let mut text = String::new();
        for c in source.chars() {
            let at = text.len();
            doc.edit(at..at, c.encode_utf8(&mut [0; 4])).unwrap();
            text.push(c);
            assert_exact(&doc, &text, "typing");
        }
        while !text.is_empty() {
            let at = rng.boundary(&text);
            let Some(c) = text[at..].chars().next() else {
                continue;
            };
            doc.edit(at..at + c.len_utf8(), "").unwrap();
            text.replace_range(at..at + c.len_utf8(), "");
            assert_exact(&doc, &text, "deleting");
        }
        assert!(doc.is_empty());
    }

    /// A long document with the default chunk size: edits stay exact and leave most chunks
    /// untouched (the work follows the edit, not the document).
    #[test]
    fn default_chunks_follow_edits_locally() {
        let tok = Tokenizer::qwen3();
        let mut rng = Rng::new(7);
        let mut text = rng.text(12_000);
        let mut doc = Document::new(tok, &text);
        assert!(doc.chunks.len() > 10, "{} chunks", doc.chunks.len());
        assert_exact(&doc, &text, "new");
        for _ in 0..30 {
            let before: Vec<String> = doc.chunks.iter().map(|c| c.text.clone()).collect();
            let a = rng.boundary(&text);
            let r = rng.fragment();
            doc.edit(a..a, r).unwrap();
            text.insert_str(a, r);
            let kept = doc
                .chunks
                .iter()
                .filter(|c| before.contains(&c.text))
                .count();
            assert!(
                kept + 3 >= doc.chunks.len(),
                "{kept} of {} kept",
                doc.chunks.len()
            );
        }
        assert_exact(&doc, &text, "after edits");
    }

    #[test]
    fn spans_match_full_offsets() {
        let tok = Tokenizer::qwen3();
        let mut rng = Rng::new(99);
        for _ in 0..40 {
            let text = rng.text(60);
            let doc = Document::with_chunk_size(tok, &text, true, 16);
            let all = tok.encode_with_offsets(&text);
            assert_eq!(doc.tokens(0..text.len()), all, "{text:?}");
            let (a, b) = (rng.boundary(&text), rng.boundary(&text));
            let (a, b) = (a.min(b), a.max(b));
            let want: Vec<TokenSpan> = all
                .iter()
                .copied()
                .filter(|t| t.end > a && t.start < b)
                .collect();
            assert_eq!(doc.tokens(a..b), want, "{text:?} {a}..{b}");
        }
    }

    #[test]
    fn offsets_convert_both_ways() {
        let tok = Tokenizer::qwen3();
        let mut rng = Rng::new(5);
        let text = rng.text(300);
        let doc = Document::with_chunk_size(tok, &text, true, 16);
        let mut u = 0;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(doc.byte_offset(u), Some(i));
            assert_eq!(doc.utf16_offset(i), Some(u));
            if c.len_utf16() == 2 && i < text.len() {
                assert_eq!(doc.byte_offset(u + 1), None);
            }
            if c.len_utf8() > 1 && i < text.len() {
                assert_eq!(doc.utf16_offset(i + 1), None);
            }
            u += c.len_utf16();
        }
        assert_eq!(doc.byte_offset(u), None);
        assert_eq!(doc.slice(0..text.len()).as_deref(), Some(text.as_str()));
    }

    #[test]
    fn bad_ranges_are_errors_and_change_nothing() {
        let tok = Tokenizer::qwen3();
        let mut doc = Document::with_chunk_size(tok, &"日本語 ".repeat(20), true, 16);
        let len = doc.len();
        assert_eq!(
            doc.edit(1..3, "x"),
            Err(EditError::NotCharBoundary { offset: 1 })
        );
        assert_eq!(
            doc.edit(3..len + 1, "x"),
            Err(EditError::OutOfBounds {
                start: 3,
                end: len + 1,
                len
            })
        );
        let (start, end) = (4, 3);
        let reversed = doc.edit(start..end, "").unwrap_err();
        assert!(reversed.to_string().contains("4..3"), "{reversed}");
        assert_exact(&doc, &"日本語 ".repeat(20), "after errors");
    }
}
