//! qwen-meter-tokenizer: the exact, fast Qwen tokenizer engine.
//!
//! It gives the same ids as the official Qwen tokenizer (Hugging Face `tokenizers` loading
//! Qwen3's `tokenizer.json`) for every valid UTF-8 input, and is pure: no I/O, no threads
//! unless asked for (the `*_parallel` calls, for one large text), no panics on any input. The
//! vocabulary is embedded; files in the `tokenizer.json` or tiktoken format can be loaded from
//! bytes.
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
//!
//! Qwen3.5 and Qwen3.6 have a vocabulary of their own (248,044 tokens, a split pattern in
//! which combining marks join letter runs): [`Tokenizer::qwen3_5`], whose ids are those of
//! Hugging Face `tokenizers` on a `tokenizer.json` with that pattern and the merges derived
//! from the vocabulary's ranks.
//!
//! ```
//! use qwen_meter_tokenizer::Tokenizer;
//!
//! let text = "नमस्ते दुनिया";
//! assert!(Tokenizer::qwen3_5().count(text) < Tokenizer::qwen3().count(text));
//! ```
//!
//! # Features
//!
//! - `embed-qwen3_5` (default): embeds the Qwen3.5 vocabulary (`data/qwen3_5.vocab`, 1.5 MB,
//!   0.9 MB gzipped). Without it the crate carries only the Qwen vocabulary, and
//!   [`Tokenizer::install_compact`] (or [`Tokenizer::from_compact`]) loads Qwen3.5's from
//!   that file's bytes at run time, for programs that fetch it on first use (the npm
//!   package's second asset).

mod backtrack;
mod bpe;
mod cut;
mod document;
mod error;
mod loaders;
mod maps;
mod memo;
mod merge;
mod normalize;
mod parallel;
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
pub use tokenizer::{Generation, Keep, TokenSpan, Tokenizer, UnknownGeneration};

// Facts of the Qwen format that tools and tests need too, kept in one place.
#[doc(hidden)]
pub use loaders::{QWEN_PATTERN, byte_level_table};
#[doc(hidden)]
pub use pretokenize::QWEN3_5_PATTERN;

/// The crate README's examples, run as doc tests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
