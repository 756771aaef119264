//! What every subcommand needs from the global options: the tokenizer choice, its
//! description in JSON output, and the model catalog.

use std::cell::{Cell, OnceCell};

use qwen_meter::{Catalog, Generation, Tokenizer};
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::error::CliResult;

/// Global options plus helpers to resolve them.
pub struct Context {
    /// The parsed global options.
    pub global: GlobalArgs,
    /// The catalog of `--catalog FILE`, loaded on first use.
    user_catalog: OnceCell<Catalog>,
    /// Whether the note that a model changed the tokenizer was printed.
    noted: Cell<bool>,
}

/// The `"tokenizer"` object of JSON outputs.
#[derive(Debug, Clone, Serialize)]
pub struct TokenizerInfo {
    /// `qwen`, `qwen2`, `qwen2.5` or `qwen3`.
    pub generation: &'static str,
    /// Whether special-token text becomes special tokens (false with `--ordinary`).
    pub special_tokens: bool,
}

impl Context {
    /// A context for these options.
    pub fn new(global: GlobalArgs) -> Context {
        Context {
            global,
            user_catalog: OnceCell::new(),
            noted: Cell::new(false),
        }
    }

    /// The model catalog: `--catalog FILE` (loaded on first use), else the built-in one.
    pub fn catalog(&self) -> CliResult<&Catalog> {
        let Some(path) = &self.global.catalog else {
            return Ok(Catalog::builtin());
        };
        if let Some(c) = self.user_catalog.get() {
            return Ok(c);
        }
        let c = crate::pricing::load_catalog(path)?;
        Ok(self.user_catalog.get_or_init(|| c))
    }

    /// The generation: `--generation`, else the model's (`model_gen`), else Qwen3.
    pub fn generation(&self, model_gen: Option<Generation>) -> Generation {
        self.global
            .generation
            .or(model_gen)
            .unwrap_or(Generation::Qwen3)
    }

    /// The tokenizer of [`Context::generation`]. When a model's generation replaces the
    /// default one, says so on stderr (once, and not with `--quiet`): the counts differ.
    pub fn tokenizer(&self, model_gen: Option<Generation>) -> &'static Tokenizer {
        let generation = self.generation(model_gen);
        if self.global.generation.is_none()
            && generation != Generation::Qwen3
            && !self.global.quiet
            && !self.noted.replace(true)
        {
            eprintln!(
                "qwen-meter: note: counting with the model's {} tokenizer, not the default qwen3 (--generation picks one)",
                generation.name()
            );
        }
        Tokenizer::for_generation(generation)
    }

    /// The JSON description of the tokenizer in use.
    pub fn tokenizer_info(&self, model_gen: Option<Generation>) -> TokenizerInfo {
        TokenizerInfo {
            generation: self.generation(model_gen).name(),
            special_tokens: !self.global.ordinary,
        }
    }

    /// Whether special-token text is ordinary text.
    pub fn ordinary(&self) -> bool {
        self.global.ordinary
    }

    /// Whether to print JSON.
    pub fn json(&self) -> bool {
        self.global.json
    }

    /// Whether a progress bar may be drawn: stderr is a terminal and no `--quiet`.
    pub fn progress(&self) -> bool {
        use std::io::IsTerminal;
        !self.global.quiet && std::io::stderr().is_terminal()
    }

    /// Counts `text` with the policy of `--ordinary`.
    pub fn count(&self, tok: &Tokenizer, text: &str) -> usize {
        if self.ordinary() {
            tok.count_ordinary(text)
        } else {
            tok.count(text)
        }
    }
}
