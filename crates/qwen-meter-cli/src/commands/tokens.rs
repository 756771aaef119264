//! `qwen-meter tokens`: every token with its id, byte range, bytes and text.

use serde::Serialize;

use crate::cli::TokensArgs;
use crate::context::{Context, TokenizerInfo};
use crate::error::CliResult;
use crate::input::read_text;
use crate::output::{Align, Table, escape_bytes, hex, print_json, write_stdout};

#[derive(Serialize)]
struct TokenJson {
    index: usize,
    id: u32,
    start: usize,
    end: usize,
    bytes: String,
    text: Option<String>,
    special: bool,
}

#[derive(Serialize)]
struct TokensJson {
    tokenizer: TokenizerInfo,
    count: usize,
    tokens: Vec<TokenJson>,
}

/// Runs `tokens`.
pub fn run(ctx: &Context, args: &TokensArgs) -> CliResult<i32> {
    let model_gen = crate::pricing::model_generation(ctx, args.model.as_deref())?;
    let tok = ctx.tokenizer(model_gen);
    let text = read_text(&args.input)?;
    let spans = if ctx.ordinary() {
        tok.encode_ordinary_with_offsets(&text)
    } else {
        tok.encode_with_offsets(&text)
    };
    let vocab = tok.vocab_size() as u32;
    if ctx.json() {
        let tokens = spans
            .iter()
            .enumerate()
            .map(|(index, s)| {
                let b = tok.token_bytes(s.id).unwrap_or_default();
                TokenJson {
                    index,
                    id: s.id,
                    start: s.start,
                    end: s.end,
                    bytes: hex(b).replace(' ', ""),
                    text: std::str::from_utf8(b).ok().map(str::to_string),
                    special: s.id >= vocab,
                }
            })
            .collect();
        print_json(&TokensJson {
            tokenizer: ctx.tokenizer_info(model_gen),
            count: spans.len(),
            tokens,
        });
        return Ok(0);
    }
    let mut t = Table::new(&[
        ("index", Align::Right),
        ("id", Align::Right),
        ("start", Align::Right),
        ("end", Align::Right),
        ("bytes", Align::Left),
        ("token", Align::Left),
    ]);
    for (i, s) in spans.iter().enumerate() {
        let b = tok.token_bytes(s.id).unwrap_or_default();
        let mut shown = escape_bytes(b);
        if s.id >= vocab {
            shown.push_str(" (special)");
        }
        t.row(vec![
            i.to_string(),
            s.id.to_string(),
            s.start.to_string(),
            s.end.to_string(),
            hex(b),
            shown,
        ]);
    }
    let mut out = t.render();
    out.push_str(&format!("{} tokens\n", spans.len()));
    write_stdout(&out);
    Ok(0)
}
