//! Counting text that arrives in chunks, with memory bounded by the longest piece.
//!
//! A file too large to hold is counted by pushing it piece by piece; where the chunks are cut
//! does not change the total. The counter keeps an unsettled tail (the last few characters,
//! which a following chunk could still join, combine with or complete into a special token)
//! and counts everything before it as soon as a chunk brings the buffer past a threshold.

use crate::Tokenizer;

/// Buffer size at which settled text is counted and dropped.
const SETTLE_AT: usize = 64 * 1024;

/// Counts tokens of text pushed in chunks; the total equals `count` of the concatenation.
///
/// ```
/// use qwen_meter_tokenizer::Tokenizer;
/// let tok = Tokenizer::qwen3();
/// let text = "Streaming keeps memory flat. ".repeat(10_000);
/// let mut counter = tok.counter();
/// for chunk in text.as_bytes().chunks(777) {
///     // Chunks of a &str split anywhere; the counter takes &str, so cut on char boundaries.
///     counter.push(std::str::from_utf8(chunk).unwrap());
/// }
/// assert_eq!(counter.finish(), tok.count(&text));
/// ```
pub struct TokenCounter<'t> {
    tok: &'t Tokenizer,
    special: bool,
    buf: String,
    settled: usize,
    /// Buffer size at which to try the next settle: doubled after a try that finds no cut,
    /// so text that offers none for a long stretch costs linear time, not a rescan per push.
    settle_at: usize,
}

impl Tokenizer {
    /// A chunked counter that recognises special-token text, like [`Tokenizer::count`].
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let mut c = tok.counter();
    /// c.push("<|im_");
    /// c.push("start|>hi");
    /// assert_eq!(c.finish(), tok.count("<|im_start|>hi"));
    /// ```
    pub fn counter(&self) -> TokenCounter<'_> {
        TokenCounter {
            tok: self,
            special: true,
            buf: String::new(),
            settled: 0,
            settle_at: SETTLE_AT,
        }
    }

    /// A chunked counter that treats special-token text as plain text, like
    /// [`Tokenizer::count_ordinary`].
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let mut c = tok.ordinary_counter();
    /// c.push("<think>");
    /// assert_eq!(c.finish(), tok.count_ordinary("<think>"));
    /// ```
    pub fn ordinary_counter(&self) -> TokenCounter<'_> {
        TokenCounter {
            tok: self,
            special: false,
            buf: String::new(),
            settled: 0,
            settle_at: SETTLE_AT,
        }
    }
}

impl TokenCounter<'_> {
    /// Adds the next chunk of text.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let mut c = tok.counter();
    /// c.push("Hello,");
    /// c.push(" world!");
    /// assert_eq!(c.finish(), 4);
    /// ```
    pub fn push(&mut self, chunk: &str) {
        self.buf.push_str(chunk);
        if self.buf.len() >= self.settle_at {
            self.settle();
        }
    }

    /// Tokens counted so far for text that no later chunk can change (a lower bound of the
    /// final total, for progress reports).
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let mut c = tok.counter();
    /// c.push(&"word ".repeat(100_000));
    /// assert!(c.settled_tokens() > 0);
    /// ```
    pub fn settled_tokens(&self) -> usize {
        self.settled
    }

    /// Bytes held in the unsettled tail.
    ///
    /// ```
    /// let mut c = qwen_meter_tokenizer::Tokenizer::qwen3().counter();
    /// c.push("abc");
    /// assert_eq!(c.buffered_bytes(), 3);
    /// ```
    pub fn buffered_bytes(&self) -> usize {
        self.buf.len()
    }

    /// The total number of tokens of everything pushed.
    ///
    /// ```
    /// let mut c = qwen_meter_tokenizer::Tokenizer::qwen3().counter();
    /// c.push("The quick brown fox");
    /// assert_eq!(c.finish(), 4);
    /// ```
    pub fn finish(self) -> usize {
        self.settled
            + self
                .tok
                .count_up_to(&self.buf, self.special, usize::MAX)
                .unwrap_or(usize::MAX)
    }

    fn settle(&mut self) {
        if let Some((cut, tokens)) = self.tok.stable_cut(&self.buf, self.special) {
            self.settled += tokens;
            self.buf.drain(..cut);
        }
        self.settle_at = if self.buf.len() < SETTLE_AT / 2 {
            SETTLE_AT
        } else {
            self.buf.len() * 2
        };
    }
}

#[cfg(test)]
mod tests {
    use crate::Tokenizer;

    fn chunked(text: &str, size: usize) -> usize {
        let tok = Tokenizer::qwen3();
        let mut c = tok.counter();
        let mut settled_at_some_point = false;
        let mut i = 0;
        while i < text.len() {
            let mut j = (i + size).min(text.len());
            while !text.is_char_boundary(j) {
                j += 1;
            }
            c.push(&text[i..j]);
            settled_at_some_point |= c.settled_tokens() > 0;
            i = j;
        }
        assert!(
            settled_at_some_point,
            "the test text is long enough to settle"
        );
        c.finish()
    }

    #[test]
    fn chunk_boundaries_do_not_change_the_count() {
        let mut text = String::new();
        for i in 0..40_000 {
            text.push_str(
                [
                    "word ",
                    "  spaced   ",
                    "\n\n",
                    "e\u{301}",
                    "<|im_start|>",
                    "中文",
                    "123",
                    "'s ",
                    "\u{1100}\u{1161}\u{11a8}",
                    "\r\n\t ",
                ][i % 10],
            );
        }
        let whole = Tokenizer::qwen3().count(&text);
        for size in [1, 2, 3, 7, 64, 1000, 65_537, 200_000] {
            assert_eq!(chunked(&text, size), whole, "chunk size {size}");
        }
    }

    #[test]
    fn memory_stays_bounded() {
        let tok = Tokenizer::qwen3();
        let mut c = tok.counter();
        for _ in 0..200 {
            c.push(&"Plain sentences keep coming. ".repeat(500));
            assert!(c.buffered_bytes() < 2 * super::SETTLE_AT);
        }
    }

    /// Runs that offer no piece boundary (or none at which NFC is settled): the counter still
    /// settles them, so its buffer stays small, and the total stays exact. (Not a run of
    /// combining marks with no starter at all: NFC may reorder any of it, so it is held.)
    #[test]
    fn runs_without_split_points_stay_bounded_and_exact() {
        let tok = Tokenizer::qwen3();
        tok.prepare();
        let mut letters = String::new();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..120_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            letters.push((b'a' + (seed % 26) as u8) as char);
        }
        let cjk: String = (0..60_000u32)
            .map(|i| char::from_u32(0x4E00 + (i * 7919) % 20_000).unwrap())
            .collect();
        let kinds = [
            ("emoji", "😀".repeat(40_000)),
            ("flags and joiners", "🇯🇵👩\u{200d}💻".repeat(10_000)),
            ("CJK", cjk),
            ("letters", letters),
            ("one letter", "a".repeat(150_000)),
            ("combining marks", "e\u{301}\u{323}a\u{308}".repeat(20_000)),
            ("digits", "1234567890".repeat(15_000)),
            // Emoji whose BPE tokens end inside a character: cuts must skip those boundaries.
            ("rare emoji", "🿾\u{10ffff}𓍘".repeat(12_000)),
            ("punctuation", "=-".repeat(70_000)),
        ];
        for (name, text) in kinds {
            let whole = tok.count(&text);
            let mut c = tok.counter();
            let mut most = 0;
            let mut i = 0;
            while i < text.len() {
                let mut j = (i + 4093).min(text.len());
                while !text.is_char_boundary(j) {
                    j += 1;
                }
                c.push(&text[i..j]);
                most = most.max(c.buffered_bytes());
                i = j;
            }
            assert!(
                most < super::SETTLE_AT + 8192,
                "{name}: the buffer grew to {most} bytes"
            );
            assert_eq!(c.finish(), whole, "{name}");
        }
    }

    /// Random texts over an adversarial alphabet, cut at random places, with the settle
    /// threshold reached many times: the chunked total always equals the whole count.
    #[test]
    fn random_chunkings_agree() {
        let pool = [
            "a",
            "Z",
            " ",
            "\n",
            "\r",
            "\t",
            "\u{a0}",
            "\u{3000}",
            "'",
            "s",
            "ll",
            "1",
            "\u{663}",
            "中",
            "😀",
            "\u{200d}",
            "\u{301}",
            "\u{323}",
            "e",
            "\u{1100}",
            "\u{1161}",
            "\u{11a8}",
            "!",
            "<|im_start|>",
            "<|im_",
            "end|>",
            "<think>",
        ];
        let tok = Tokenizer::qwen3();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rand = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..6 {
            let mut text = String::new();
            while text.len() < 150_000 {
                let run = 1 + rand(8) * rand(8) * rand(4);
                let item = pool[rand(pool.len())];
                for _ in 0..run {
                    text.push_str(item);
                }
            }
            let whole = tok.count(&text);
            let mut c = tok.counter();
            let mut i = 0;
            while i < text.len() {
                let mut j = (i + 1 + rand(40_000)).min(text.len());
                while !text.is_char_boundary(j) {
                    j += 1;
                }
                c.push(&text[i..j]);
                i = j;
            }
            assert_eq!(c.finish(), whole);
        }
    }
}
