//! Special tokens per Qwen generation, and finding their text in user input.
//!
//! The reference matches added tokens in the raw input before normalising or splitting
//! anything, leftmost first and longest at a position. All Qwen added tokens are
//! `normalized: false`, so matching the raw bytes is exact.

/// Qwen2.5's added tokens, ids 151,643 to 151,664; Qwen3 adds four more.
const QWEN3_TOKENS: [&str; 26] = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|object_ref_start|>",
    "<|object_ref_end|>",
    "<|box_start|>",
    "<|box_end|>",
    "<|quad_start|>",
    "<|quad_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|vision_pad|>",
    "<|image_pad|>",
    "<|video_pad|>",
    "<tool_call>",
    "</tool_call>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|fim_pad|>",
    "<|repo_name|>",
    "<|file_sep|>",
    "<tool_response>",
    "</tool_response>",
    "<think>",
    "</think>",
];

/// Qwen3.5's seven added tokens after Qwen3's 26 (audio and speech).
const QWEN3_5_MORE: [&str; 7] = [
    "<|audio_start|>",
    "<|audio_end|>",
    "<tts_pad>",
    "<tts_text_bos>",
    "<tts_text_eod>",
    "<tts_text_bos_single>",
    "<|audio_pad|>",
];

/// First special id of every generation up to Qwen3.
pub(crate) const FIRST_SPECIAL_ID: u32 = 151_643;

/// First special id of Qwen3.5 (its vocabulary has 248,044 tokens).
pub(crate) const QWEN3_5_FIRST_SPECIAL_ID: u32 = 248_044;

/// The added tokens of one tokenizer and a matcher for them.
pub(crate) struct Specials {
    /// (content, id), longest content first so the first hit at a position is the longest.
    tokens: Vec<(String, u32)>,
    first_bytes: [bool; 256],
    /// Every byte that occurs in some token: a text cut between two bytes of which one is
    /// not here cannot split a special token (see `cut.rs`).
    any_bytes: [bool; 256],
    /// The first byte of every token, when they all share one (`<` for every Qwen
    /// generation): the search then skips eight bytes at a time.
    only_first: Option<u8>,
}

impl Specials {
    pub(crate) fn new(mut tokens: Vec<(String, u32)>) -> Specials {
        tokens.retain(|(t, _)| !t.is_empty());
        tokens.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        let mut first_bytes = [false; 256];
        let mut any_bytes = [false; 256];
        for (t, _) in &tokens {
            first_bytes[t.as_bytes()[0] as usize] = true;
            for &b in t.as_bytes() {
                any_bytes[b as usize] = true;
            }
        }
        let mut firsts = (0..=255u8).filter(|&c| first_bytes[c as usize]);
        let only_first = match (firsts.next(), firsts.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        Specials {
            tokens,
            first_bytes,
            any_bytes,
            only_first,
        }
    }

    pub(crate) fn qwen() -> Specials {
        let mut v: Vec<(String, u32)> = QWEN3_TOKENS[..3]
            .iter()
            .map(|s| s.to_string())
            .zip(FIRST_SPECIAL_ID..)
            .collect();
        v.extend((0..205).map(|i| (format!("<|extra_{i}|>"), FIRST_SPECIAL_ID + 3 + i)));
        Specials::new(v)
    }

    pub(crate) fn first_n(n: usize) -> Specials {
        Specials::new(
            QWEN3_TOKENS[..n]
                .iter()
                .map(|s| s.to_string())
                .zip(FIRST_SPECIAL_ID..)
                .collect(),
        )
    }

    /// Qwen3.5's 33 added tokens: Qwen3's 26 and seven for audio, from id 248,044.
    pub(crate) fn qwen3_5() -> Specials {
        Specials::new(
            QWEN3_TOKENS
                .iter()
                .chain(&QWEN3_5_MORE)
                .map(|s| s.to_string())
                .zip(QWEN3_5_FIRST_SPECIAL_ID..)
                .collect(),
        )
    }

    /// All (content, id) pairs, in id order.
    pub(crate) fn list(&self) -> Vec<(&str, u32)> {
        let mut v: Vec<(&str, u32)> = self
            .tokens
            .iter()
            .map(|(t, id)| (t.as_str(), *id))
            .collect();
        v.sort_by_key(|&(_, id)| id);
        v
    }

    pub(crate) fn content(&self, id: u32) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(_, i)| *i == id)
            .map(|(t, _)| t.as_str())
    }

    pub(crate) fn id(&self, content: &str) -> Option<u32> {
        self.tokens
            .iter()
            .find(|(t, _)| t == content)
            .map(|(_, id)| *id)
    }

    /// Whether byte `b` occurs in some special token.
    pub(crate) fn has_byte(&self, b: u8) -> bool {
        self.any_bytes[b as usize]
    }

    /// Length in bytes of the longest special token (0 when there are none).
    pub(crate) fn longest(&self) -> usize {
        self.tokens.first().map_or(0, |(t, _)| t.len())
    }

    /// The leftmost-longest special token in `text[from..]`: (start, end, id).
    #[inline]
    pub(crate) fn find(&self, text: &str, from: usize) -> Option<(usize, usize, u32)> {
        let b = text.as_bytes();
        let mut i = from;
        if let Some(c) = self.only_first {
            while let Some(k) = find_byte(&b[i.min(b.len())..], c) {
                i += k;
                if let Some(hit) = self.at(b, i) {
                    return Some(hit);
                }
                i += 1;
            }
            return None;
        }
        while i < b.len() {
            if self.first_bytes[b[i] as usize] {
                if let Some(hit) = self.at(b, i) {
                    return Some(hit);
                }
            }
            i += 1;
        }
        None
    }

    /// The longest special token that starts at byte `i` of `b`.
    #[inline]
    fn at(&self, b: &[u8], i: usize) -> Option<(usize, usize, u32)> {
        self.tokens
            .iter()
            .find(|(t, _)| b[i..].starts_with(t.as_bytes()))
            .map(|(t, id)| (i, i + t.len(), *id))
    }
}

/// Position of the first `needle` in `hay`, eight bytes per step (the classic zero-byte test
/// on `hay ^ needle`), since most text holds no special-token text at all.
#[inline]
fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO * needle as u64;
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let x = u64::from_le_bytes(c.try_into().unwrap_or_default()) ^ pattern;
        let found = x.wrapping_sub(LO) & !x & HI;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == needle)
        .map(|k| at + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_byte_agrees_with_a_plain_search() {
        // Every length up to a few words, the needle at every position, and bytes that
        // differ from it only in the high bit (where a borrow could leak into the test).
        for len in 0..40 {
            for at in 0..=len {
                let mut hay: Vec<u8> = (0..len).map(|i| [b'a', 0xBC, b'=', 0][i % 4]).collect();
                if at < len {
                    hay[at] = b'<';
                }
                let expect = hay.iter().position(|&c| c == b'<');
                assert_eq!(find_byte(&hay, b'<'), expect, "{hay:?}");
            }
        }
    }

    #[test]
    fn find_returns_the_leftmost_longest_token() {
        let s = Specials::first_n(26);
        assert_eq!(s.only_first, Some(b'<'));
        let text = "a < b <|im_end <|im_start|>x<think>";
        let (start, end, id) = s.find(text, 0).unwrap();
        assert_eq!((&text[start..end], id), ("<|im_start|>", 151_644));
        let (start, end, _) = s.find(text, end).unwrap();
        assert_eq!(&text[start..end], "<think>");
        assert_eq!(s.find(text, text.len()), None);
    }
}
