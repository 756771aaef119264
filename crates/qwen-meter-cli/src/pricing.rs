//! Model lookups shared by the subcommands: tokenizer generation, prompt budget, cost.
//!
//! (The model catalog is not on main yet: every model lookup is an error for now.)

use qwen_meter::Generation;
use serde::Serialize;

use crate::context::Context;
use crate::error::{CliError, CliResult};

/// The prompt budget of a model for `truncate`.
#[derive(Debug, Clone, Serialize)]
pub struct ModelBudget {
    /// Model id.
    pub id: String,
    /// Tokenizer generation of the model.
    #[serde(skip)]
    pub generation: Generation,
    /// Tokens the prompt may have.
    pub budget: u64,
}

fn no_catalog(id: &str) -> CliError {
    CliError::model(format!(
        "unknown model '{id}': the model catalog is not available in this build"
    ))
}

/// The tokenizer generation of `model`, if one is given.
pub fn model_generation(_ctx: &Context, model: Option<&str>) -> CliResult<Option<Generation>> {
    match model {
        Some(id) => Err(no_catalog(id)),
        None => Ok(None),
    }
}

/// The prompt budget of `model` with `reserve` output tokens.
pub fn prompt_budget(
    _ctx: &Context,
    model: &str,
    _thinking: bool,
    _reserve: u64,
) -> CliResult<ModelBudget> {
    Err(no_catalog(model))
}
