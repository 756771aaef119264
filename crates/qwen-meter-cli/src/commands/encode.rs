//! `qwen-meter encode` and `qwen-meter decode`: text to ids and back.

use std::path::Path;

use qwen_meter::DecodeError;
use serde::Serialize;

use crate::cli::{DecodeArgs, EncodeArgs, IdsFormat};
use crate::context::{Context, TokenizerInfo};
use crate::error::{CliError, CliResult};
use crate::input::{display_name, read_bytes, read_text, to_text};
use crate::output::{print_json, write_stdout};

#[derive(Serialize)]
struct EncodeJson<'a> {
    tokenizer: TokenizerInfo,
    count: usize,
    ids: &'a [u32],
}

#[derive(Serialize)]
struct DecodeJson<'a> {
    tokenizer: TokenizerInfo,
    count: usize,
    text: &'a str,
}

/// Runs `encode`.
pub fn run_encode(ctx: &Context, args: &EncodeArgs) -> CliResult<i32> {
    let model_gen = crate::pricing::model_generation(ctx, args.model.as_deref())?;
    let tok = ctx.tokenizer(model_gen);
    let text = read_text(&args.input)?;
    // Every core for a large text (exact; one thread under 1 MiB).
    let ids = if ctx.ordinary() {
        tok.encode_ordinary_parallel(&text, 0)
    } else {
        tok.encode_parallel(&text, 0)
    };
    if ctx.json() {
        print_json(&EncodeJson {
            tokenizer: ctx.tokenizer_info(model_gen),
            count: ids.len(),
            ids: &ids,
        });
        return Ok(0);
    }
    let strs: Vec<String> = ids.iter().map(u32::to_string).collect();
    let mut out = match args.format {
        IdsFormat::Space => strs.join(" "),
        IdsFormat::Json => format!("[{}]", strs.join(",")),
        IdsFormat::Lines => strs.join("\n"),
    };
    if !out.is_empty() || args.format == IdsFormat::Json {
        out.push('\n');
    }
    write_stdout(&out);
    Ok(0)
}

/// Parses ids: a JSON array, a JSON object with `"ids"` (the output of `encode --json`), or
/// integers separated by whitespace or commas. Errors name the position and the text.
pub fn parse_ids(s: &str) -> CliResult<Vec<u32>> {
    let t = s.trim();
    if t.starts_with('[') || t.starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(t)
            .map_err(|e| CliError::data(format!("token ids are not valid JSON: {e}")))?;
        let arr = match &v {
            serde_json::Value::Array(a) => a,
            serde_json::Value::Object(o) => match o.get("ids") {
                Some(serde_json::Value::Array(a)) => a,
                _ => {
                    return Err(CliError::data(
                        "a JSON object of token ids needs an \"ids\" array",
                    ));
                }
            },
            _ => unreachable!("starts with [ or {{"),
        };
        return arr
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| CliError::data(format!("invalid token id {v} at position {i}")))
            })
            .collect();
    }
    t.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            w.parse::<u32>().map_err(|_| {
                CliError::data(format!("invalid token id '{w}' at position {i}")).hint(
                    "ids are non-negative integers, space- or comma-separated, or a JSON array",
                )
            })
        })
        .collect()
}

/// Runs `decode`.
pub fn run_decode(ctx: &Context, args: &DecodeArgs) -> CliResult<i32> {
    let model_gen = crate::pricing::model_generation(ctx, args.model.as_deref())?;
    let tok = ctx.tokenizer(model_gen);
    let source = if !args.ids.is_empty() {
        args.ids.join(" ")
    } else {
        let path = args.file.as_deref().unwrap_or(Path::new("-"));
        to_text(read_bytes(path)?, &display_name(path), None)?
    };
    let ids = parse_ids(&source)?;
    let bytes = tok.decode_bytes(&ids).map_err(|e| match e {
        DecodeError::UnknownId { index, id } => CliError::data(format!(
            "unknown token id {id} at position {index} (the {} tokenizer has ids 0..{})",
            ctx.generation(model_gen).name(),
            tok.vocab_size() + tok.special_tokens().len()
        )),
        other => CliError::data(other.to_string()),
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) if args.lossy => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        Err(e) => return Err(CliError::data(format!(
            "the decoded bytes are not valid UTF-8 at byte offset {} (the ids split a character)",
            e.utf8_error().valid_up_to()
        ))
        .hint("use --lossy to replace the partial character with U+FFFD")),
    };
    if ctx.json() {
        print_json(&DecodeJson {
            tokenizer: ctx.tokenizer_info(model_gen),
            count: ids.len(),
            text: &text,
        });
    } else {
        write_stdout(&text);
    }
    Ok(0)
}
