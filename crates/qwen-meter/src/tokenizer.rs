//! The `Tokenizer`: encode, count, decode, truncate (API surface; engine lands next).

use crate::DecodeError;

/// Which Qwen generation's special tokens a tokenizer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Generation {
    /// The original Qwen / dashscope set.
    Qwen,
    /// Qwen2 (3 special tokens).
    Qwen2,
    /// Qwen2.5 (22 special tokens).
    Qwen2_5,
    /// Qwen3 (26 special tokens).
    Qwen3,
}

/// Which end of the text `truncate` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// Keep the beginning, drop the end.
    #[default]
    Start,
    /// Keep the end, drop the beginning.
    End,
}

/// One token with the byte range of the input it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenSpan {
    /// Token id.
    pub id: u32,
    /// Start byte offset in the input.
    pub start: usize,
    /// End byte offset in the input (exclusive).
    pub end: usize,
}

/// A Qwen tokenizer.
pub struct Tokenizer {
    _private: (),
}

impl Tokenizer {
    /// The Qwen3 tokenizer.
    pub fn qwen3() -> &'static Tokenizer {
        todo!()
    }
    /// Token ids of `text`, special-token text recognised.
    pub fn encode(&self, _text: &str) -> Vec<u32> {
        todo!()
    }
    /// Token ids of `text`, special-token text treated as plain text.
    pub fn encode_ordinary(&self, _text: &str) -> Vec<u32> {
        todo!()
    }
    /// Number of tokens of `text`.
    pub fn count(&self, _text: &str) -> usize {
        todo!()
    }
    /// Number of tokens of `text`, special-token text treated as plain text.
    pub fn count_ordinary(&self, _text: &str) -> usize {
        todo!()
    }
    /// `Some(count)` if the count is at most `limit`.
    pub fn count_within(&self, _text: &str, _limit: usize) -> Option<usize> {
        todo!()
    }
    /// Decode ids to text.
    pub fn decode(&self, _ids: &[u32]) -> Result<String, DecodeError> {
        todo!()
    }
    /// Decode ids to raw bytes.
    pub fn decode_bytes(&self, _ids: &[u32]) -> Result<Vec<u8>, DecodeError> {
        todo!()
    }
    /// Tokens with input byte ranges.
    pub fn encode_with_offsets(&self, _text: &str) -> Vec<TokenSpan> {
        todo!()
    }
    /// The longest start or end of `text` within `max_tokens`.
    pub fn truncate<'a>(&self, _text: &'a str, _max_tokens: usize, _keep: Keep) -> &'a str {
        todo!()
    }
}
