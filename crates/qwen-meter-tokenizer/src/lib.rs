//! qwen-meter-tokenizer: the exact, fast Qwen tokenizer engine.
//!
//! It gives the same ids as the official Qwen tokenizer (Hugging Face `tokenizers` loading
//! Qwen3's `tokenizer.json`) for every valid UTF-8 input, and is pure: no I/O, no threads, no
//! panics on any input. The vocabulary is embedded; files in the `tokenizer.json` or tiktoken
//! format can be loaded from bytes.
//!
//! The pipeline: special-token text -> NFC (only the spans that need it) -> the Qwen split
//! pattern (a hand-written scanner) -> byte-level BPE per piece -> ids, or only a count.
//! The crate README explains the engine's algorithms; prices, context windows and chat
//! templates live in the `qwen-meter` crate, which re-exports everything here.
//!
//! ```
//! use qwen_meter_tokenizer::{Keep, Tokenizer};
//!
//! let tok = Tokenizer::qwen3();
//! let text = "Qwen counts tokens exactly. 通义千问。";
//! let ids = tok.encode(text);
//! assert_eq!(tok.count(text), ids.len());
//! assert_eq!(tok.decode(&ids).unwrap(), text);
//! let kept = tok.truncate(text, 4, Keep::Start);
//! assert!(tok.count(kept) <= 4);
//! ```

mod backtrack;
mod bpe;
mod document;
mod error;
mod loaders;
mod normalize;
mod pretokenize;
mod special;
mod stream;
#[cfg(test)]
mod test_rng;
mod tokenizer;
mod trie;
mod unicode_tables;
mod vocab;

pub use document::{Document, EditError};
pub use error::{DecodeError, LoadError};
pub use stream::TokenCounter;
pub use tokenizer::{Generation, Keep, TokenSpan, Tokenizer};

// Facts of the Qwen format that tools and tests need too, kept in one place.
#[doc(hidden)]
pub use loaders::{QWEN_PATTERN, byte_level_table};

/// The crate README's examples, run as doc tests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
