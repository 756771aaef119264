//! What every subcommand needs from the global options: the tokenizer choice, its
//! description in JSON output, and the model catalog.

use std::cell::{Cell, OnceCell};

use qwen_meter::{Catalog, Generation, Tokenizer};
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};

/// Global options plus helpers to resolve them.
pub struct Context {
    /// The parsed global options.
    pub global: GlobalArgs,
    /// The catalog of `--catalog FILE`, loaded on first use.
    user_catalog: OnceCell<Catalog>,
    /// Whether the note that a model changed the tokenizer was printed.
    noted: Cell<bool>,
    /// The tokenizer of `--tokenizer FILE`, once loaded by [`Context::load_tokenizer`].
    file_tokenizer: Option<&'static Tokenizer>,
}

/// The `"tokenizer"` object of JSON outputs.
#[derive(Debug, Clone, Serialize)]
pub struct TokenizerInfo {
    /// `qwen`, `qwen2`, `qwen2.5` or `qwen3` (`custom` for a `--tokenizer` file whose special
    /// tokens match none).
    pub generation: &'static str,
    /// Whether special-token text becomes special tokens (false with `--ordinary`).
    pub special_tokens: bool,
    /// The `--tokenizer` file, when one is used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Context {
    /// A context for these options.
    pub fn new(global: GlobalArgs) -> Context {
        Context {
            global,
            user_catalog: OnceCell::new(),
            noted: Cell::new(false),
            file_tokenizer: None,
        }
    }

    /// Loads `--tokenizer FILE`, if given: a `tokenizer.json` (a JSON object), else a
    /// tiktoken rank file, which needs `--generation` for its special tokens. Done once, before
    /// a command that tokenizes runs, so that a bad file is reported up front.
    pub fn load_tokenizer(&mut self) -> CliResult<()> {
        let Some(path) = &self.global.tokenizer else {
            return Ok(());
        };
        let bytes = crate::input::read_bytes(path)?;
        let name = path.display();
        let is_json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        let tok = if is_json {
            Tokenizer::from_tokenizer_json(&bytes)
        } else {
            let Some(g) = self.global.generation else {
                return Err(CliError::usage(format!(
                    "{name}: a tiktoken file has no special tokens of its own: add --generation ({}) to pick them",
                    crate::cli::generation_names()
                )));
            };
            Tokenizer::from_tiktoken(&bytes, g)
        }
        .map_err(|e| CliError::model(format!("{name}: cannot load the tokenizer: {e}")))?;
        // The command runs once per process, so the tokenizer lives as long as it does.
        self.file_tokenizer = Some(Box::leak(Box::new(tok)));
        Ok(())
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

    /// The generation: `--generation`, else that of the `--tokenizer` file's special tokens,
    /// else the model's (`model_gen`), else Qwen3.
    pub fn generation(&self, model_gen: Option<Generation>) -> Generation {
        self.global
            .generation
            .or(self.file_tokenizer.and_then(Tokenizer::generation))
            .or(model_gen)
            .unwrap_or(Generation::Qwen3)
    }

    /// The tokenizer of [`Context::generation`]. When a model's generation replaces the
    /// default one, says so on stderr (once, and not with `--quiet`): the counts differ.
    pub fn tokenizer(&self, model_gen: Option<Generation>) -> &'static Tokenizer {
        if let Some(tok) = self.file_tokenizer {
            return tok;
        }
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
            generation: match self.file_tokenizer {
                Some(t) if t.generation().is_none() && self.global.generation.is_none() => "custom",
                _ => self.generation(model_gen).name(),
            },
            special_tokens: !self.global.ordinary,
            file: self
                .global
                .tokenizer
                .as_ref()
                .map(|p| p.display().to_string()),
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

    /// Counts `text` with the policy of `--ordinary`, on every core when it is large (the
    /// engine's `count_parallel`: exact, and on one thread under 1 MiB).
    pub fn count(&self, tok: &Tokenizer, text: &str) -> usize {
        if self.ordinary() {
            tok.count_ordinary_parallel(text, 0)
        } else {
            tok.count_parallel(text, 0)
        }
    }
}
