//! `qwen-meter count`: tokens, characters and bytes of files, directories or stdin.

use serde::Serialize;

use crate::cli::CountArgs;
use crate::context::{Context, TokenizerInfo};
use crate::engine::{count_sources, CountConfig, Counts, InputError};
use crate::error::{CliError, CliResult, EXIT_INPUT};
use crate::output::{print_json, write_stdout, Align, Table};
use crate::source::{expand, Filters, Source};

/// One input in the JSON output.
#[derive(Debug, Serialize)]
struct FileJson {
    path: String,
    #[serde(flatten)]
    counts: Option<Counts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<InputError>,
}

/// The totals in the JSON output.
#[derive(Debug, Serialize)]
struct TotalJson {
    files: usize,
    errors: usize,
    #[serde(flatten)]
    counts: Counts,
}

/// The whole JSON output.
#[derive(Debug, Serialize)]
struct CountJson {
    tokenizer: TokenizerInfo,
    files: Vec<FileJson>,
    total: TotalJson,
}

/// Runs `count`; returns the exit code (1 when some input failed).
pub fn run(ctx: &Context, args: &CountArgs) -> CliResult<i32> {
    let filters = Filters::new(&args.include, &args.exclude, args.hidden)?;
    let sources = match &args.text {
        Some(t) => vec![Source::Text(t.clone())],
        None => expand(&args.paths, &filters),
    };
    let jobs = args.jobs.map(|j| j as usize).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let cfg = CountConfig {
        tokenizer: ctx.tokenizer(None),
        ordinary: ctx.ordinary(),
        lossy: args.lossy,
        chunk_size: args.chunk_size,
        jobs,
        progress: ctx.progress(),
    };
    let results = count_sources(&sources, cfg);

    let mut total = Counts::default();
    let mut errors = 0;
    for (src, r) in sources.iter().zip(&results) {
        match r {
            Ok(c) => total += *c,
            Err(e) => {
                errors += 1;
                CliError::input(format!("{}: {}", src.name(), e.message)).report();
            }
        }
    }

    if ctx.json() {
        let files = sources
            .iter()
            .zip(&results)
            .map(|(s, r)| FileJson {
                path: s.name(),
                counts: r.as_ref().ok().copied(),
                error: r.as_ref().err().cloned(),
            })
            .collect();
        print_json(&CountJson {
            tokenizer: ctx.tokenizer_info(None),
            files,
            total: TotalJson {
                files: sources.len(),
                errors,
                counts: total,
            },
        });
    } else {
        let mut t = Table::new(&[
            ("tokens", Align::Right),
            ("chars", Align::Right),
            ("bytes", Align::Right),
            ("file", Align::Left),
        ]);
        let mut ok = 0;
        for (s, r) in sources.iter().zip(&results) {
            if let Ok(c) = r {
                ok += 1;
                t.row(vec![
                    c.tokens.to_string(),
                    c.chars.to_string(),
                    c.bytes.to_string(),
                    s.name(),
                ]);
            }
        }
        if ok > 1 {
            t.rule();
            t.row(vec![
                total.tokens.to_string(),
                total.chars.to_string(),
                total.bytes.to_string(),
                format!("total ({ok} files)"),
            ]);
        }
        if !t.is_empty() {
            write_stdout(&t.render());
        }
    }
    Ok(if errors > 0 { EXIT_INPUT } else { 0 })
}
