//! `qwen-meter count`: tokens, characters and bytes of files, directories or stdin.

use qwen_meter::{Amount, Mode, Model, Region, Usage};
use serde::Serialize;

use crate::cli::{CountArgs, CountFormat, PricingArgs};
use crate::context::{Context, TokenizerInfo};
use crate::engine::{CountConfig, Counts, InputError, count_sources};
use crate::error::{CliError, CliResult, EXIT_INPUT, EXIT_LIMIT};
use crate::output::{Align, Table, print_json, write_stdout};
use crate::pricing::{self, PricedModel};
use crate::source::{Filters, Skipped, Source, expand};

/// One input in the JSON output.
#[derive(Debug, Serialize)]
struct FileJson {
    path: String,
    #[serde(flatten)]
    counts: Option<Counts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<InputError>,
    /// Cost of this file as one request (with `--model`).
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<Option<String>>,
    /// Why it could not be priced.
    #[serde(skip_serializing_if = "Option::is_none")]
    cost_error: Option<String>,
}

/// The totals in the JSON output.
#[derive(Debug, Serialize)]
struct TotalJson {
    files: usize,
    errors: usize,
    #[serde(flatten)]
    counts: Counts,
    /// What directory walks left out (hidden entries, binary files).
    skipped: Skipped,
    /// Sum of the files' costs; `null` when some file could not be priced.
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<Option<String>>,
}

/// The whole JSON output.
#[derive(Debug, Serialize)]
struct CountJson {
    tokenizer: TokenizerInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<PricedModel>,
    files: Vec<FileJson>,
    total: TotalJson,
}

/// The model, region and mode that `--model` prices with.
struct Pricing<'a> {
    model: &'a Model,
    region: Region,
    mode: Mode,
    output_tokens: u64,
}

impl Pricing<'_> {
    fn resolve<'a>(ctx: &'a Context, args: &PricingArgs) -> CliResult<Option<Pricing<'a>>> {
        let Some(model) = pricing::model_opt(ctx, args.model.as_deref())? else {
            if args.region.is_some() || args.thinking || args.output_tokens > 0 {
                return Err(CliError::usage(
                    "--region, --output-tokens and --thinking price a request: they need --model",
                ));
            }
            return Ok(None);
        };
        let region = pricing::region_for(model, args.region.as_deref())?;
        Ok(Some(Pricing {
            model,
            region,
            mode: pricing::mode_for(model, args.thinking),
            output_tokens: args.output_tokens,
        }))
    }

    fn info(&self) -> PricedModel {
        PricedModel {
            id: self.model.id.clone(),
            region: self.region.id(),
            currency: self.region.currency().to_string(),
            mode: self.mode.to_string(),
            output_tokens: self.output_tokens,
        }
    }

    fn cost(&self, input_tokens: u64) -> Result<Amount, String> {
        let usage = Usage {
            input_tokens,
            output_tokens: self.output_tokens,
            thinking: self.mode == Mode::Thinking,
            ..Usage::default()
        };
        self.model
            .cost(self.region, &usage)
            .map(|c| c.total)
            .map_err(|e| e.to_string())
    }
}

/// Runs `count`; returns the exit code (1 when some input failed, else 5 when some file
/// could not be priced).
pub fn run(ctx: &Context, args: &CountArgs) -> CliResult<i32> {
    let pricing = Pricing::resolve(ctx, &args.pricing)?;
    let model_gen = pricing.as_ref().map(|p| p.model.generation);
    let filters = Filters::new(&args.include, &args.exclude, args.hidden, !args.no_ignore)?;
    let mut skipped = Skipped::default();
    let sources = match &args.text {
        Some(t) => vec![Source::Text(t.clone())],
        None => expand(&args.paths, &filters, &mut skipped),
    };
    if let Some(line) = skipped.summary() {
        eprintln!("{line}");
    }
    let jobs = args.jobs.map(|j| j as usize).unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let cfg = CountConfig {
        tokenizer: ctx.tokenizer(model_gen),
        ordinary: ctx.ordinary(),
        lossy: args.lossy,
        chunk_size: args.chunk_size,
        jobs,
        progress: ctx.progress(),
    };
    if sources.is_empty() {
        eprintln!(
            "qwen-meter: no files to count (check --include / --exclude / --hidden / --no-ignore)"
        );
    }
    if sources.contains(&Source::Stdin) && !ctx.global.quiet {
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() {
            eprintln!("qwen-meter: reading standard input (end with Ctrl-D)");
        }
    }
    let results = count_sources(&sources, cfg);

    let mut total = Counts::default();
    let mut errors = 0;
    let mut costs: Vec<Option<Result<Amount, String>>> = Vec::with_capacity(results.len());
    for (src, r) in sources.iter().zip(&results) {
        match r {
            Ok(c) => {
                total += *c;
                let cost = pricing.as_ref().map(|p| p.cost(c.tokens));
                if let Some(Err(e)) = &cost {
                    CliError::limit(format!("{}: {e}", src.name())).report();
                }
                costs.push(cost);
            }
            Err(e) => {
                errors += 1;
                CliError::input(format!("{}: {}", src.name(), e.message)).report();
                costs.push(None);
            }
        }
    }
    let cost_failures = costs.iter().filter(|c| matches!(c, Some(Err(_)))).count();
    let total_cost = pricing.as_ref().map(|_| {
        if cost_failures > 0 {
            None
        } else {
            pricing::sum_amounts(costs.iter().flatten().filter_map(|c| c.clone().ok()))
        }
    });

    let format = match args.format {
        Some(f) => f,
        None if ctx.json() => CountFormat::Json,
        None => CountFormat::Table,
    };
    if args.total && !ctx.json() {
        write_stdout(&format!("{}\n", total.tokens));
    } else if format == CountFormat::Csv {
        write_stdout(&csv(&sources, &results, &costs, total, &total_cost));
    } else if matches!(format, CountFormat::Json | CountFormat::Ndjson) {
        let files = sources
            .iter()
            .zip(&results)
            .zip(&costs)
            .map(|((s, r), c)| FileJson {
                path: s.name(),
                counts: r.as_ref().ok().copied(),
                error: r.as_ref().err().cloned(),
                cost: c.as_ref().map(|c| c.as_ref().ok().map(Amount::to_string)),
                cost_error: c.as_ref().and_then(|c| c.as_ref().err().cloned()),
            })
            .collect();
        let total = TotalJson {
            files: sources.len(),
            errors,
            counts: total,
            skipped,
            cost: total_cost.map(|c| c.map(|a| a.to_string())),
        };
        if format == CountFormat::Ndjson {
            let mut out = String::new();
            for f in &files {
                out.push_str(&serde_json::to_string(f).expect("output values serialise"));
                out.push('\n');
            }
            let last = serde_json::json!({ "total": total });
            out.push_str(&format!("{last}\n"));
            write_stdout(&out);
        } else {
            print_json(&CountJson {
                tokenizer: ctx.tokenizer_info(model_gen),
                model: pricing.as_ref().map(Pricing::info),
                files,
                total,
            });
        }
    } else {
        let cost_header = pricing
            .as_ref()
            .map(|p| format!("cost ({})", p.region.currency()));
        let mut columns = vec![
            ("tokens", Align::Right),
            ("chars", Align::Right),
            ("bytes", Align::Right),
        ];
        if let Some(h) = &cost_header {
            columns.push((h.as_str(), Align::Right));
        }
        columns.push(("file", Align::Left));
        let mut t = Table::new(&columns);
        let mut ok = 0;
        let cell = |c: &Option<Result<Amount, String>>| match c {
            Some(Ok(a)) => Some(a.to_string()),
            Some(Err(_)) => Some("n/a".to_string()),
            None => None,
        };
        for ((s, r), c) in sources.iter().zip(&results).zip(&costs) {
            if let Ok(n) = r {
                ok += 1;
                let mut row = vec![
                    n.tokens.to_string(),
                    n.chars.to_string(),
                    n.bytes.to_string(),
                ];
                row.extend(cell(c));
                row.push(s.name());
                t.row(row);
            }
        }
        if ok > 1 {
            t.rule();
            let mut row = vec![
                total.tokens.to_string(),
                total.chars.to_string(),
                total.bytes.to_string(),
            ];
            if let Some(tc) = &total_cost {
                row.push(tc.map(|a| a.to_string()).unwrap_or_else(|| "n/a".into()));
            }
            row.push(format!("total ({ok} files)"));
            t.row(row);
        }
        let mut out = if t.is_empty() {
            String::new()
        } else {
            t.render()
        };
        if let Some(p) = &pricing {
            out.push_str(&format!(
                "\nmodel {} ({}, {}, {} mode), {} output tokens per request{}\n",
                p.model.id,
                p.region,
                p.region.currency(),
                p.mode,
                p.output_tokens,
                if ok > 1 {
                    "; each file is one request"
                } else {
                    ""
                },
            ));
        }
        write_stdout(&out);
    }
    Ok(if errors > 0 {
        EXIT_INPUT
    } else if cost_failures > 0 {
        EXIT_LIMIT
    } else {
        0
    })
}

/// The results as CSV (RFC 4180): `path,tokens,chars,bytes[,cost],error`, one row per input,
/// then a `total` row. Inputs that could not be read have empty counts and the error.
fn csv(
    sources: &[Source],
    results: &[Result<Counts, InputError>],
    costs: &[Option<Result<Amount, String>>],
    total: Counts,
    total_cost: &Option<Option<Amount>>,
) -> String {
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let priced = total_cost.is_some();
    let mut out = String::from(if priced {
        "path,tokens,chars,bytes,cost,error\n"
    } else {
        "path,tokens,chars,bytes,error\n"
    });
    let mut row = |path: &str, counts: Option<Counts>, cost: Option<String>, error: &str| {
        let mut cells = vec![field(path)];
        match counts {
            Some(c) => cells.extend([c.tokens, c.chars, c.bytes].map(|n| n.to_string())),
            None => cells.extend([String::new(), String::new(), String::new()]),
        }
        if priced {
            cells.push(cost.unwrap_or_default());
        }
        cells.push(field(error));
        out.push_str(&cells.join(","));
        out.push('\n');
    };
    for ((s, r), c) in sources.iter().zip(results).zip(costs) {
        let (cost, cost_error) = match c {
            Some(Ok(a)) => (Some(a.to_string()), String::new()),
            Some(Err(e)) => (None, e.clone()),
            None => (None, String::new()),
        };
        match r {
            Ok(n) => row(&s.name(), Some(*n), cost, &cost_error),
            Err(e) => row(&s.name(), None, None, &e.message),
        }
    }
    let cost = total_cost.as_ref().and_then(|c| c.map(|a| a.to_string()));
    row("total", Some(total), cost, "");
    out
}
