//! One module per subcommand; each `run` prints its output and returns the exit code.

pub mod count;
pub mod encode;
pub mod tokens;
pub mod truncate;
