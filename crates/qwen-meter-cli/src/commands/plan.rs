//! `qwen-meter plan`: how fast a batch of requests can go under RPM and TPM limits.

use qwen_meter::{Amount, Mode, PlannedRequest, RateLimitError, RateLimits, Region, Usage};
use serde::Serialize;

use crate::cli::PlanArgs;
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::input::{display_name, read_text_file};
use crate::json_errors;
use crate::output::{print_json, write_stdout};
use crate::pricing::{self, thousands};

#[derive(Serialize)]
struct LimitsJson {
    rpm: u64,
    tpm: u64,
    /// `catalog` or `flags` (`--rpm`/`--tpm` given, at least in part).
    source: &'static str,
}

#[derive(Serialize)]
struct PlanCostJson {
    region: &'static str,
    currency: String,
    total: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
struct PlanJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'static str>,
    limits: LimitsJson,
    requests: u64,
    input_tokens: u64,
    output_tokens: u64,
    total_tokens: u64,
    minimum_duration_ms: u64,
    binding: &'static str,
    requests_per_minute: f64,
    tokens_per_minute: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<PlanCostJson>,
}

/// One line of the requests file.
struct Line {
    input_tokens: Option<u64>,
    output_tokens: u64,
    /// Prompt text, counted with the tokenizer when `input_tokens` is absent.
    text: Option<String>,
}

const LINE_SHAPE: &str = "each line is {\"input_tokens\": N, \"output_tokens\": M} or {\"text\": \"...\", \"output_tokens\": M}";

/// Reads one line field by field, so that every error names the field and what it accepts.
fn parse_line(l: &str) -> Result<Line, String> {
    let v: serde_json::Value = serde_json::from_str(l)
        .map_err(|e| format!("not valid JSON: {}", json_errors::plain(&e.to_string())))?;
    let serde_json::Value::Object(fields) = v else {
        return Err(format!("expected a JSON object; {LINE_SHAPE}"));
    };
    let mut line = Line {
        input_tokens: None,
        output_tokens: 0,
        text: None,
    };
    let count = |key: &str, v: &serde_json::Value| {
        v.as_u64().ok_or_else(|| {
            format!(
                "{key} must be a whole number of tokens from 0 to {}, not {v}",
                u64::MAX
            )
        })
    };
    for (key, v) in &fields {
        match key.as_str() {
            "input_tokens" | "inputTokens" => line.input_tokens = Some(count(key, v)?),
            "output_tokens" | "outputTokens" => line.output_tokens = count(key, v)?,
            "text" => {
                line.text = Some(
                    v.as_str()
                        .ok_or_else(|| format!("text must be a string, not {v}"))?
                        .to_string(),
                )
            }
            other => return Err(format!("unknown field \"{other}\"; {LINE_SHAPE}")),
        }
    }
    Ok(line)
}

/// The requests of the file, each with its 1-based line number.
fn read_requests(
    ctx: &Context,
    args: &PlanArgs,
    generation: Option<qwen_meter::Generation>,
) -> CliResult<Vec<(usize, PlannedRequest)>> {
    let name = display_name(&args.file);
    let text = read_text_file(&args.file, None)?;
    let tok = ctx.tokenizer(generation);
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let bad = |m: String| CliError::data(format!("{name}:{}: {m}", i + 1));
        let line = parse_line(l).map_err(bad)?;
        let input_tokens = match (line.input_tokens, &line.text) {
            (Some(n), None) => n,
            (None, Some(t)) => ctx.count(tok, t) as u64,
            (Some(_), Some(_)) => return Err(bad("give input_tokens or text, not both".into())),
            (None, None) => {
                return Err(bad(format!(
                    "missing field \"input_tokens\" (or \"text\"); {LINE_SHAPE}"
                )));
            }
        };
        out.push((
            i + 1,
            PlannedRequest {
                input_tokens,
                output_tokens: line.output_tokens,
            },
        ));
    }
    Ok(out)
}

fn duration(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, sec) = (s / 3600, (s / 60) % 60, s % 60);
    let frac = ms % 1000;
    if h > 0 {
        format!("{h}h {m:02}m {sec:02}s")
    } else if m > 0 {
        format!("{m}m {sec:02}s")
    } else {
        format!("{sec}.{frac:03}s")
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Runs `plan`.
pub fn run(ctx: &Context, args: &PlanArgs) -> CliResult<i32> {
    let model = pricing::model_opt(ctx, args.model.as_deref())?;
    // Limits are per id: a dated snapshot may have lower limits than its alias.
    let given = args.model.as_deref().unwrap_or_default();
    let region: Option<Region> = match (model, &args.region) {
        (Some(m), Some(r)) => Some(pricing::region_for(m, Some(r))?),
        // The same default as every other command: the first region the model is priced in.
        (Some(m), None) => m.offered_regions().next(),
        (None, Some(r)) => Some(pricing::parse_region(r)?),
        (None, None) => None,
    };
    let catalog_limits = match (model, region) {
        (Some(m), Some(r)) => m.rate_limits_for(given, r),
        _ => None,
    };
    let (rpm, tpm) = match (args.rpm, args.tpm, catalog_limits) {
        (Some(r), Some(t), _) => (r, t),
        (r, t, Some(l)) => (r.unwrap_or(l.rpm), t.unwrap_or(l.tpm)),
        (_, _, None) => {
            let m = if given.is_empty() { "?" } else { given };
            let where_ = region
                .map(|r| format!(" in region {}", r.id()))
                .unwrap_or_default();
            let elsewhere: Vec<&str> = model
                .map(|md| {
                    md.offered_regions()
                        .filter(|r| md.rate_limits_for(given, *r).is_some())
                        .map(pricing::region_flag)
                        .collect()
                })
                .unwrap_or_default();
            let err = CliError::model(format!(
                "the catalog has no rate limits for model {m}{where_}"
            ));
            return Err(if elsewhere.is_empty() {
                err.hint("pass your account's limits with --rpm N --tpm N")
            } else {
                err.hint(format!(
                    "it has them in: {} (pick one with --region), or pass your account's limits with --rpm N --tpm N",
                    elsewhere.join(", ")
                ))
            });
        }
    };
    let source = if args.rpm.is_some() || args.tpm.is_some() {
        "flags"
    } else {
        "catalog"
    };
    let numbered = read_requests(ctx, args, model.map(|m| m.generation))?;
    let requests: Vec<PlannedRequest> = numbered.iter().map(|(_, r)| *r).collect();
    let limits = RateLimits { rpm, tpm };
    let plan = limits.plan(&requests).map_err(|e| match e {
        RateLimitError::ZeroLimit { .. } => CliError::usage(e.to_string()),
        RateLimitError::RequestTooLarge { index, tokens, tpm } => CliError::limit(format!(
            "{}:{}: the request needs {tokens} tokens, more than the limit of {tpm} tokens per minute: it can never be sent",
            display_name(&args.file),
            numbered[index].0
        )),
    })?;
    let total = |field: fn(&PlannedRequest) -> u64, what: &str| {
        requests
            .iter()
            .try_fold(0u64, |sum, r| sum.checked_add(field(r)))
            .ok_or_else(|| {
                CliError::data(format!(
                    "{}: the requests add up to more than {} {what} tokens, the most this command can count",
                    display_name(&args.file),
                    thousands(u64::MAX)
                ))
            })
    };
    let input_tokens = total(|r| r.input_tokens, "input")?;
    let output_tokens = total(|r| r.output_tokens, "output")?;
    if input_tokens.checked_add(output_tokens).is_none() {
        return Err(CliError::data(format!(
            "{}: the requests add up to more than {} tokens, the most this command can count",
            display_name(&args.file),
            thousands(u64::MAX)
        )));
    }

    // The batch's cost, when the model is priced in the region.
    let cost = match (model, region) {
        (Some(m), Some(r)) if m.offer(r).is_some() => {
            let mode = m.default_mode();
            let mut total: Option<Amount> = Some(Amount::ZERO);
            let mut error = None;
            for (i, q) in requests.iter().enumerate() {
                let usage = Usage {
                    input_tokens: q.input_tokens,
                    output_tokens: q.output_tokens,
                    thinking: mode == Mode::Thinking,
                    ..Usage::default()
                };
                match m.cost(r, &usage) {
                    Ok(c) => total = total.and_then(|t| t.checked_add(c.total)),
                    Err(e) => {
                        error = Some(format!("line {}: {e}", numbered[i].0));
                        total = None;
                        break;
                    }
                }
            }
            Some(PlanCostJson {
                region: r.id(),
                currency: r.currency().to_string(),
                total: total.map(|a| a.to_string()),
                error,
            })
        }
        _ => None,
    };

    let ms =
        u64::try_from(plan.minimum_duration.as_nanos().div_ceil(1_000_000)).unwrap_or(u64::MAX);
    let binding = match plan.binding {
        qwen_meter::BindingLimit::Requests => "rpm",
        qwen_meter::BindingLimit::Tokens => "tpm",
        qwen_meter::BindingLimit::Both => "both",
    };
    if ctx.json() {
        print_json(&PlanJson {
            model: model.map(|m| m.id.clone()),
            region: region.map(Region::id),
            limits: LimitsJson { rpm, tpm, source },
            requests: plan.requests,
            input_tokens,
            output_tokens,
            total_tokens: plan.total_tokens,
            minimum_duration_ms: ms,
            binding,
            requests_per_minute: round3(plan.requests_per_minute),
            tokens_per_minute: round3(plan.tokens_per_minute),
            cost,
        });
        return Ok(0);
    }
    let mut out = String::new();
    if let Some(m) = model {
        out.push_str(&format!(
            "model              {}{}\n",
            m.id,
            region.map(|r| format!(" ({r})")).unwrap_or_default()
        ));
    }
    out.push_str(&format!(
        "limits             {} RPM, {} TPM ({})\n",
        thousands(rpm),
        thousands(tpm),
        if source == "flags" {
            "from flags"
        } else {
            "catalog, advisory"
        }
    ));
    out.push_str(&format!(
        "requests           {} ({} input + {} output = {} tokens)\n",
        thousands(plan.requests),
        thousands(input_tokens),
        thousands(output_tokens),
        thousands(plan.total_tokens)
    ));
    out.push_str(&format!(
        "minimum time       {} ({} ms)\n",
        duration(ms),
        ms
    ));
    out.push_str(&format!("binding limit      {}\n", plan.binding));
    out.push_str(&format!(
        "sustained rate     {:.1} requests/min, {} tokens/min\n",
        plan.requests_per_minute,
        thousands(plan.tokens_per_minute.round() as u64)
    ));
    if let Some(c) = &cost {
        match (&c.total, &c.error) {
            (Some(t), _) => out.push_str(&format!(
                "cost               {t} {} ({})\n",
                c.currency,
                region.map(|r| r.to_string()).unwrap_or_default()
            )),
            (None, Some(e)) => out.push_str(&format!("cost               n/a ({e})\n")),
            _ => {}
        }
    }
    write_stdout(&out);
    Ok(0)
}
