//! Counting and encoding one large text on several threads, with the same result as one
//! thread.
//!
//! A single large text (a book, a log, a code dump) is one call, so the usual way to use more
//! cores, one text per thread, does not apply. Instead the text is cut into parts, the parts
//! are tokenized on `std::thread::scope` threads, and the counts are summed (or the ids
//! concatenated in order).
//!
//! # Why it is exact
//!
//! The text is cut only where [`Tokenizer::is_safe_cut`] says the tokens of the whole are the
//! tokens of the part before followed by those of the part after (`cut.rs` gives the rules and
//! why they hold; the parity suite checks every such cut against the reference). The rule
//! looks at the two characters around the cut only, so a cut that is safe in the whole text is
//! safe in every stretch of it that contains both characters: cutting `text` at `p1`, then the
//! rest at `p2`, and so on, splits the ids at each cut in turn, and the parts' ids, in order,
//! are the whole's. A place where no safe cut is near is simply not cut (the neighbouring parts
//! grow), so a text with no safe cut at all (one long run of emoji) is counted on one thread,
//! exactly as before.
//!
//! # How the work is shared
//!
//! Parts are aimed at `len / (4 * threads)` bytes (at least [`MIN_PART`]): several parts per
//! thread let a thread that got easy text (English runs several times faster than CJK per
//! byte) take more of them. The calling thread works too, and every thread takes the next part
//! from a shared counter until none is left. Each cut is searched for within an eighth of a
//! part (at most 64 KiB) of where it is aimed, nearest first: in real text a safe cut is a few
//! bytes away, and even a text without any looks at no more than a quarter of its bytes, each
//! far cheaper to look at than to tokenize. Texts under [`PARALLEL_MIN`] bytes are tokenized
//! on the calling thread: starting threads (and their empty piece memos, which are per thread)
//! would cost more than they save.
//!
//! Threads are started per call (no pool lives between calls), so each helper thread begins
//! with a cold piece memo; the calling thread keeps its warm one. Where threads cannot be
//! started (WebAssembly without threads), the calling thread tokenizes every part itself.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::tokenizer::Tokenizer;

/// Texts shorter than this (bytes) are tokenized on the calling thread.
const PARALLEL_MIN: usize = 1 << 20;

/// The smallest part [`Tokenizer::count_parallel`] aims for, in bytes.
const MIN_PART: usize = 256 << 10;

/// Parts aimed for per thread, so that threads that finish early take more.
const PARTS_PER_THREAD: usize = 4;

/// A cut is searched for at most this far (bytes) on either side of where it is aimed.
const MAX_WINDOW: usize = 64 << 10;

/// `threads`, or every core the system offers for 0.
fn thread_count(threads: usize) -> usize {
    if threads > 0 {
        threads
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

impl Tokenizer {
    /// Number of tokens of `text`, counted on up to `threads` threads (0: one per core);
    /// always equal to [`Tokenizer::count`]. Texts under 1 MiB, and texts without any place
    /// where they can be cut safely, are counted on the calling thread.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let text = "Large texts are cut where their tokens do not change. 大文本。\n".repeat(20_000);
    /// assert_eq!(tok.count_parallel(&text, 2), tok.count(&text));
    /// assert_eq!(tok.count_parallel(&text, 0), tok.count(&text)); // every core
    /// ```
    pub fn count_parallel(&self, text: &str, threads: usize) -> usize {
        self.count_in_parts(text, true, threads, default_part(text.len(), threads))
    }

    /// [`Tokenizer::count_parallel`] with special-token text treated as plain text: always
    /// equal to [`Tokenizer::count_ordinary`].
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let text = "<|im_start|>user\nHi<|im_end|>\n".repeat(50_000);
    /// assert_eq!(tok.count_ordinary_parallel(&text, 2), tok.count_ordinary(&text));
    /// assert!(tok.count_ordinary_parallel(&text, 2) > tok.count_parallel(&text, 2));
    /// ```
    pub fn count_ordinary_parallel(&self, text: &str, threads: usize) -> usize {
        self.count_in_parts(text, false, threads, default_part(text.len(), threads))
    }

    /// Token ids of `text`, encoded on up to `threads` threads (0: one per core); always
    /// equal to [`Tokenizer::encode`]. Texts under 1 MiB are encoded on the calling thread.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let text = "<|im_start|>user\nCount this, please.<|im_end|>\n".repeat(30_000);
    /// assert_eq!(tok.encode_parallel(&text, 2), tok.encode(&text));
    /// ```
    pub fn encode_parallel(&self, text: &str, threads: usize) -> Vec<u32> {
        self.encode_in_parts(text, true, threads, default_part(text.len(), threads))
    }

    /// [`Tokenizer::encode_parallel`] with special-token text treated as plain text: always
    /// equal to [`Tokenizer::encode_ordinary`].
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let text = "Plain <|im_start|> text. ".repeat(60_000);
    /// assert_eq!(tok.encode_ordinary_parallel(&text, 2), tok.encode_ordinary(&text));
    /// ```
    pub fn encode_ordinary_parallel(&self, text: &str, threads: usize) -> Vec<u32> {
        self.encode_in_parts(text, false, threads, default_part(text.len(), threads))
    }

    /// Where [`Tokenizer::count_parallel`] would cut `text` into parts of about `part` bytes:
    /// the parts' start offsets after 0, ascending, each a safe cut
    /// ([`Tokenizer::is_safe_cut`] with `special`). No size threshold applies here.
    ///
    /// Public (hidden) for the parity tests, which force small parts so that a short text
    /// gets many cuts.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let text = "one two three four five six";
    /// let cuts = tok.parallel_cuts(text, true, 8);
    /// assert!(!cuts.is_empty());
    /// assert!(cuts.iter().all(|&p| tok.is_safe_cut(text, p, true)));
    /// ```
    #[doc(hidden)]
    pub fn parallel_cuts(&self, text: &str, special: bool, part: usize) -> Vec<usize> {
        let part = part.max(1);
        let window = (part / 8).clamp(8, MAX_WINDOW);
        let len = text.len();
        let mut cuts = Vec::new();
        let mut prev = 0;
        let mut aim = part;
        while aim < len {
            // Backwards from the aim (never to the last cut or before it), then forwards.
            let lo = aim.saturating_sub(window).max(prev + 1);
            let hi = (aim + window).min(len - 1);
            let found = (lo..=aim)
                .rev()
                .chain(aim + 1..=hi)
                .find(|&p| self.is_safe_cut(text, p, special));
            match found {
                Some(p) => {
                    cuts.push(p);
                    prev = p;
                    aim = p + part;
                }
                // No safe cut near: the part grows by one more part's length.
                None => aim += part,
            }
        }
        cuts
    }

    /// [`Tokenizer::count_parallel`] (special tokens matched when `special`) with parts of
    /// about `part` bytes and no size threshold: the parity tests force small parts with it.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let text = "Many small parts, each counted alone.\n".repeat(100);
    /// assert_eq!(tok.count_in_parts(&text, true, 3, 16), tok.count(&text));
    /// ```
    #[doc(hidden)]
    pub fn count_in_parts(&self, text: &str, special: bool, threads: usize, part: usize) -> usize {
        let count = |s: &str| {
            if special {
                self.count(s)
            } else {
                self.count_ordinary(s)
            }
        };
        let threads = thread_count(threads);
        if threads == 1 || part >= text.len() {
            return count(text);
        }
        run_parts(&self.parts(text, special, part), threads, count)
            .into_iter()
            .sum()
    }

    /// [`Tokenizer::encode_parallel`] (special tokens matched when `special`) with parts of
    /// about `part` bytes and no size threshold: the parity tests force small parts with it.
    ///
    /// ```
    /// let tok = qwen_meter_tokenizer::Tokenizer::qwen3();
    /// let text = "Many small parts, each encoded alone.\n".repeat(100);
    /// assert_eq!(tok.encode_in_parts(&text, true, 3, 16), tok.encode(&text));
    /// ```
    #[doc(hidden)]
    pub fn encode_in_parts(
        &self,
        text: &str,
        special: bool,
        threads: usize,
        part: usize,
    ) -> Vec<u32> {
        let encode = |s: &str| {
            if special {
                self.encode(s)
            } else {
                self.encode_ordinary(s)
            }
        };
        let threads = thread_count(threads);
        if threads == 1 || part >= text.len() {
            return encode(text);
        }
        let parts = run_parts(&self.parts(text, special, part), threads, encode);
        let mut ids = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        for p in parts {
            ids.extend_from_slice(&p);
        }
        ids
    }

    /// `text` cut at [`Tokenizer::parallel_cuts`].
    fn parts<'a>(&self, text: &'a str, special: bool, part: usize) -> Vec<&'a str> {
        let mut parts = Vec::new();
        let mut start = 0;
        for p in self.parallel_cuts(text, special, part) {
            parts.push(&text[start..p]);
            start = p;
        }
        parts.push(&text[start..]);
        parts
    }
}

/// `work` of every part, in the order of `parts`, done by the calling thread and up to
/// `threads - 1` scoped threads, each taking the next part not yet taken. If a thread cannot
/// be started, the others (at least the calling thread) do its share.
fn run_parts<T: Send + Sync>(
    parts: &[&str],
    threads: usize,
    work: impl Fn(&str) -> T + Sync,
) -> Vec<T> {
    let slots: Vec<OnceLock<T>> = parts.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let take_parts = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(part) = parts.get(i) else { break };
            // Each index is taken once, so each slot is set once.
            let _ = slots[i].set(work(part));
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.min(parts.len()) {
            if std::thread::Builder::new()
                .spawn_scoped(scope, take_parts)
                .is_err()
            {
                break;
            }
        }
        take_parts();
    });
    slots
        .into_iter()
        .map(|s| {
            s.into_inner()
                .expect("every part is taken by a thread that finished")
        })
        .collect()
}

/// The part size the public calls aim for: a few parts per thread, none under [`MIN_PART`];
/// the whole text (one part) under [`PARALLEL_MIN`].
fn default_part(len: usize, threads: usize) -> usize {
    if len < PARALLEL_MIN {
        return usize::MAX;
    }
    (len / (thread_count(threads) * PARTS_PER_THREAD)).max(MIN_PART)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::xorshift;

    /// Text of every kind the cut rules care about, back to back: words and punctuation,
    /// newlines, digits, CJK with its punctuation, combining marks, emoji, space runs and
    /// special tokens (whole, and broken).
    fn mixed_text(seed: u64, fragments: usize) -> String {
        const FRAGMENTS: [&str; 22] = [
            "Hello, world! ",
            "don't they'll ",
            "\n",
            "\n\n  ",
            "   ",
            "\t",
            "2026-12-03 ",
            "12345",
            "大文本的并行计数。",
            "你好，世界！",
            "「引用」",
            "カタカナ",
            "한국어 ",
            "e\u{301}",
            "\u{301}",
            "नमस्ते ",
            "😀👍🏽",
            "<|im_start|>",
            "<|im_end|>\n",
            "<|endoftext|>",
            "<|im_",
            "fn main() { x += 1; }\n",
        ];
        let mut next = xorshift(seed);
        let mut s = String::new();
        for _ in 0..fragments {
            s.push_str(FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize]);
        }
        s
    }

    fn tokenizers() -> [&'static Tokenizer; 2] {
        [Tokenizer::qwen3(), Tokenizer::qwen3_5()]
    }

    #[test]
    fn parts_give_the_whole_texts_count_and_ids() {
        for tok in tokenizers() {
            for seed in 1..=6u64 {
                let text = mixed_text(seed * 0x9E37_79B9, 400);
                for special in [true, false] {
                    let (count, ids) = if special {
                        (tok.count(&text), tok.encode(&text))
                    } else {
                        (tok.count_ordinary(&text), tok.encode_ordinary(&text))
                    };
                    assert_eq!(count, ids.len());
                    for part in [1, 8, 33, 200, 5_000] {
                        let cuts = tok.parallel_cuts(&text, special, part);
                        if (8..=33).contains(&part) {
                            assert!(
                                cuts.len() > text.len() / part / 4,
                                "{} cuts in {} bytes with parts of {part}",
                                cuts.len(),
                                text.len()
                            );
                        }
                        for threads in [1, 2, 3, 7] {
                            assert_eq!(
                                tok.count_in_parts(&text, special, threads, part),
                                count,
                                "seed {seed}, special {special}, part {part}, {threads} threads"
                            );
                            assert_eq!(
                                tok.encode_in_parts(&text, special, threads, part),
                                ids,
                                "seed {seed}, special {special}, part {part}, {threads} threads"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn cuts_are_safe_ascending_and_near_their_aim() {
        let tok = Tokenizer::qwen3();
        let text = mixed_text(7, 3_000);
        for special in [true, false] {
            for part in [16, 100, 1_000] {
                let cuts = tok.parallel_cuts(&text, special, part);
                assert!(cuts.windows(2).all(|w| w[0] < w[1]), "ascending");
                assert!(cuts.iter().all(|&p| tok.is_safe_cut(&text, p, special)));
                // A part ends within the search window of its aim, or grows by whole parts.
                let window = (part / 8).clamp(8, MAX_WINDOW);
                let mut prev = 0;
                for &p in &cuts {
                    let len = p - prev;
                    let off = (len + window) % part;
                    assert!(
                        len + window >= part && off <= 2 * window,
                        "a part of {len} bytes for an aim of {part}"
                    );
                    prev = p;
                }
            }
        }
    }

    #[test]
    fn text_without_a_safe_cut_is_one_part() {
        let tok = Tokenizer::qwen3();
        let text = "😀".repeat(5_000);
        assert!(tok.parallel_cuts(&text, true, 64).is_empty());
        assert_eq!(tok.count_in_parts(&text, true, 4, 64), tok.count(&text));
        assert_eq!(tok.encode_in_parts(&text, false, 4, 64), tok.encode(&text));
    }

    #[test]
    fn large_texts_are_cut_small_ones_are_not() {
        assert_eq!(default_part(PARALLEL_MIN - 1, 8), usize::MAX);
        assert_eq!(default_part(PARALLEL_MIN, 2), MIN_PART);
        assert_eq!(default_part(64 << 20, 2), 8 << 20);
        let tok = Tokenizer::qwen3();
        let text = mixed_text(11, 120_000);
        assert!(text.len() > PARALLEL_MIN);
        let part = default_part(text.len(), 2);
        let cuts = tok.parallel_cuts(&text, true, part);
        assert!(
            (4..=5).contains(&(cuts.len() + 1)),
            "{} parts of {} bytes",
            cuts.len() + 1,
            text.len()
        );
        let count = tok.count(&text);
        for threads in [0, 1, 3] {
            assert_eq!(tok.count_parallel(&text, threads), count);
            assert_eq!(
                tok.count_ordinary_parallel(&text, threads),
                tok.count_ordinary(&text)
            );
        }
        assert_eq!(tok.encode_parallel(&text, 2), tok.encode(&text));
        assert_eq!(
            tok.encode_ordinary_parallel(&text, 3),
            tok.encode_ordinary(&text)
        );
    }

    #[test]
    fn parts_are_shared_between_threads_and_kept_in_order() {
        let parts: Vec<String> = (0..8).map(|i| i.to_string()).collect();
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let done = run_parts(&parts, 3, |s| {
            // Long enough that the started threads take parts too.
            std::thread::sleep(std::time::Duration::from_millis(20));
            (s.to_string(), std::thread::current().id())
        });
        let order: Vec<&str> = done.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(order, parts);
        let mut threads: Vec<_> = done.iter().map(|(_, t)| *t).collect();
        threads.sort_by_key(|t| format!("{t:?}"));
        threads.dedup();
        assert!(
            (2..=3).contains(&threads.len()),
            "{} threads",
            threads.len()
        );
    }
}
