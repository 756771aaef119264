//! Errors of the command and the exit codes they map to.
//!
//! | code | meaning |
//! | ---- | ------- |
//! | 0 | success |
//! | 1 | an input could not be read: missing file, unreadable file or directory, invalid UTF-8 (the other inputs are still reported) |
//! | 2 | bad command line (unknown flag, missing or invalid value) |
//! | 3 | unknown model, region or generation, or an unreadable or malformed catalog file |
//! | 4 | malformed data: token ids, chat messages, plan requests |
//! | 5 | the request does not fit the model: over its input or output limit, thinking or a feature it lacks, no price for it |

use std::fmt;

/// Success.
pub const EXIT_OK: i32 = 0;
/// An input could not be read (the others are still reported).
pub const EXIT_INPUT: i32 = 1;
/// Bad command line (clap's own code).
pub const EXIT_USAGE: i32 = 2;
/// Unknown model, region or generation, or a bad catalog file.
pub const EXIT_MODEL: i32 = 3;
/// Malformed data (ids, messages, plan lines).
pub const EXIT_DATA: i32 = 4;
/// The request does not fit the model or has no price.
pub const EXIT_LIMIT: i32 = 5;

/// An error that ends the command: a message for stderr and an exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// Exit code, one of the `EXIT_*` constants.
    pub code: i32,
    /// One-line description.
    pub message: String,
    /// Further lines (suggestions, how to fix).
    pub hints: Vec<String>,
}

impl CliError {
    /// An error with an exit code and a message.
    pub fn new(code: i32, message: impl Into<String>) -> CliError {
        CliError {
            code,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> CliError {
        self.hints.push(hint.into());
        self
    }

    /// Exit code 1: an input could not be read.
    pub fn input(message: impl Into<String>) -> CliError {
        CliError::new(EXIT_INPUT, message)
    }

    /// Exit code 2: a bad command line that clap could not catch.
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::new(EXIT_USAGE, message)
    }

    /// Exit code 3: model or catalog.
    pub fn model(message: impl Into<String>) -> CliError {
        CliError::new(EXIT_MODEL, message)
    }

    /// Exit code 4: malformed data.
    pub fn data(message: impl Into<String>) -> CliError {
        CliError::new(EXIT_DATA, message)
    }

    /// Exit code 5: does not fit the model.
    pub fn limit(message: impl Into<String>) -> CliError {
        CliError::new(EXIT_LIMIT, message)
    }

    /// The error as printed on stdout with `--json`:
    /// `{"error": {"code": 5, "message": "...", "hints": ["..."]}}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "error": {"code": self.code, "message": self.message, "hints": self.hints}
        })
    }

    /// Writes the error to stderr as `qwen-meter: error: ...` plus indented hints.
    pub fn report(&self) {
        eprintln!("{self}");
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "qwen-meter: error: {}", self.message)?;
        for h in &self.hints {
            write!(f, "\n  {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}

/// Result of a subcommand.
pub type CliResult<T = ()> = Result<T, CliError>;
