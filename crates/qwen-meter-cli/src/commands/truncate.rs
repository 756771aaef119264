//! `qwen-meter truncate`: the longest start (or end) of a text within a token budget.

use qwen_meter::Keep;
use serde::Serialize;

use crate::cli::{KeepArg, TruncateArgs};
use crate::context::{Context, TokenizerInfo};
use crate::error::{CliError, CliResult};
use crate::input::read_text;
use crate::output::{print_json, write_stdout};
use crate::pricing::{self, ModelBudget};

#[derive(Serialize)]
struct TruncateJson<'a> {
    tokenizer: TokenizerInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<ModelBudget>,
    max_tokens: u64,
    keep: &'static str,
    truncated: bool,
    tokens_before: usize,
    tokens_after: usize,
    bytes_before: usize,
    bytes_after: usize,
    text: &'a str,
}

/// Runs `truncate`: prints the kept text exactly (no newline added).
pub fn run(ctx: &Context, args: &TruncateArgs) -> CliResult<i32> {
    let budget = match &args.model {
        Some(m) => Some(pricing::prompt_budget(
            ctx,
            m,
            args.thinking,
            args.reserve_output.unwrap_or(0),
        )?),
        None => None,
    };
    let max = match (args.max_tokens, &budget) {
        (Some(n), Some(b)) => n.min(b.budget),
        (Some(n), None) => n,
        (None, Some(b)) => b.budget,
        (None, None) => {
            return Err(CliError::usage(
                "truncate needs --max-tokens N or --model MODEL (to fit its input limit)",
            ));
        }
    };
    let model_gen = budget.as_ref().map(|b| b.generation);
    let tok = ctx.tokenizer(model_gen);
    let text = read_text(&args.input)?;
    let keep = match args.keep {
        KeepArg::Start => Keep::Start,
        KeepArg::End => Keep::End,
    };
    let limit = usize::try_from(max).unwrap_or(usize::MAX);
    let kept = if ctx.ordinary() {
        tok.truncate_ordinary(&text, limit, keep)
    } else {
        tok.truncate(&text, limit, keep)
    };
    if ctx.json() {
        let before = ctx.count(tok, &text);
        let after = if kept.len() == text.len() {
            before
        } else {
            ctx.count(tok, kept)
        };
        print_json(&TruncateJson {
            tokenizer: ctx.tokenizer_info(model_gen),
            model: budget,
            max_tokens: max,
            keep: match keep {
                Keep::Start => "start",
                Keep::End => "end",
            },
            truncated: kept.len() != text.len(),
            tokens_before: before,
            tokens_after: after,
            bytes_before: text.len(),
            bytes_after: kept.len(),
            text: kept,
        });
    } else {
        write_stdout(kept);
    }
    Ok(0)
}
