//! Error values of the tokenizer: what went wrong and where.

use std::fmt;

/// A vocabulary or tokenizer file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// What kind of file was being read (`"qwen.tiktoken"`, `"tokenizer.json"`).
    pub source_kind: &'static str,
    /// Where in the file: a line number, a JSON path or a token id.
    pub location: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}: {}",
            self.source_kind, self.location, self.message
        )
    }
}

impl std::error::Error for LoadError {}

/// Token ids could not be turned back into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// `ids[index]` is not a token of this tokenizer.
    UnknownId {
        /// Position of the id in the input slice.
        index: usize,
        /// The id itself.
        id: u32,
    },
    /// The decoded bytes are not valid UTF-8 starting at byte `byte_offset`.
    InvalidUtf8 {
        /// Offset of the first invalid byte in the decoded bytes.
        byte_offset: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::UnknownId { index, id } => {
                write!(f, "unknown token id {id} at position {index}")
            }
            DecodeError::InvalidUtf8 { byte_offset } => write!(
                f,
                "decoded bytes are not valid UTF-8 at byte offset {byte_offset} (use decode_bytes for ids that split a character)"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}
