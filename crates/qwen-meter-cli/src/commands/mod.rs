//! One module per subcommand; each `run` prints its output and returns the exit code.

pub mod chat;
pub mod cost;
pub mod count;
pub mod encode;
pub mod models;
pub mod plan;
pub mod tokens;
pub mod truncate;
