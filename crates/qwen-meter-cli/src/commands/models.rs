//! `qwen-meter models`: the catalog as a table, or one model in full.

use qwen_meter::{Mode, ModeLimits, Model, Region};
use serde::Serialize;

use crate::cli::ModelsArgs;
use crate::context::Context;
use crate::error::CliResult;
use crate::output::{Align, Table, print_json, write_stdout};
use crate::pricing::{self, thousands, tier_range};
use qwen_meter::prelude::*;

#[derive(Serialize)]
struct PriceJson {
    region: &'static str,
    currency: String,
    input: String,
    output: String,
}

#[derive(Serialize)]
struct ModelSummary {
    id: String,
    aliases: Vec<String>,
    snapshots: Vec<String>,
    family: String,
    generation: &'static str,
    chat_template: &'static str,
    status: String,
    modes: Vec<&'static str>,
    context_window: Option<u64>,
    max_input_tokens: Option<u64>,
    max_output_tokens: Option<u64>,
    regions: Vec<&'static str>,
    price: Option<PriceJson>,
}

#[derive(Serialize)]
struct ModelsJson {
    as_of: String,
    models: Vec<ModelSummary>,
}

#[derive(Serialize)]
struct ModelJson<'a> {
    chat_template: &'static str,
    model: &'a Model,
    sources: std::collections::BTreeMap<String, String>,
}

fn default_limits(m: &Model) -> Option<&ModeLimits> {
    m.limits(m.default_mode())
}

fn modes(m: &Model) -> Vec<&'static str> {
    let mut v = Vec::new();
    if m.supports(Mode::NonThinking) {
        v.push("non-thinking");
    }
    if m.supports(Mode::Thinking) {
        v.push("thinking");
    }
    v
}

/// The first-tier price in `region`, or in the first region the model is priced in.
fn first_price(m: &Model, region: Option<Region>) -> Option<PriceJson> {
    let r = region.or_else(|| m.offered_regions().next())?;
    let offer = m.offer(r)?;
    let tier = offer.tiers.first()?;
    Some(PriceJson {
        region: r.id(),
        currency: offer.currency.to_string(),
        input: tier.input.to_string(),
        output: tier.output.to_string(),
    })
}

fn opt(n: Option<u64>) -> String {
    n.map(thousands).unwrap_or_else(|| "-".into())
}

/// Runs `models`.
pub fn run(ctx: &Context, args: &ModelsArgs) -> CliResult<i32> {
    let catalog = ctx.catalog()?;
    let region = args
        .region
        .as_deref()
        .map(pricing::parse_region)
        .transpose()?;
    if let Some(id) = &args.model {
        let m = pricing::find_model(catalog, id)?;
        if let Some(r) = region {
            pricing::region_for(m, Some(r.id()))?;
        }
        let mut ids: Vec<&String> = m.sources.iter().collect();
        for l in [&m.modes.non_thinking, &m.modes.thinking]
            .into_iter()
            .flatten()
        {
            ids.extend(&l.sources);
        }
        for o in m.regions.values() {
            ids.extend(&o.sources);
        }
        let sources = ids
            .into_iter()
            .filter_map(|s| catalog.source(s).map(|t| (s.clone(), t.to_string())))
            .collect();
        if ctx.json() {
            print_json(&ModelJson {
                chat_template: m.generation.chat_template().name(),
                model: m,
                sources,
            });
        } else {
            write_stdout(&render_model(m, region, &sources));
        }
        return Ok(0);
    }
    let models: Vec<&Model> = catalog
        .models()
        .filter(|m| region.is_none_or(|r| m.offer(r).is_some()))
        .collect();
    if ctx.json() {
        let models = models
            .iter()
            .map(|m| {
                let l = default_limits(m);
                ModelSummary {
                    id: m.id.clone(),
                    aliases: m.aliases.clone(),
                    snapshots: m.snapshots.clone(),
                    family: m.family.clone(),
                    generation: m.generation.name(),
                    chat_template: m.generation.chat_template().name(),
                    status: m.status.clone(),
                    modes: modes(m),
                    context_window: l.and_then(|l| l.context_window),
                    max_input_tokens: l.and_then(|l| l.max_input_tokens),
                    max_output_tokens: l.map(|l| l.max_output_tokens),
                    regions: m.offered_regions().map(Region::id).collect(),
                    price: first_price(m, region),
                }
            })
            .collect();
        print_json(&ModelsJson {
            as_of: catalog.as_of().to_string(),
            models,
        });
        return Ok(0);
    }
    let mut t = Table::new(&[
        ("model", Align::Left),
        ("gen", Align::Left),
        ("modes", Align::Left),
        ("context", Align::Right),
        ("max out", Align::Right),
        ("in / out per 1M", Align::Left),
        ("regions", Align::Left),
    ]);
    for m in &models {
        let l = default_limits(m);
        let price = first_price(m, region)
            .map(|p| format!("{} / {} {}", p.input, p.output, p.currency))
            .unwrap_or_else(|| "-".into());
        let regions: Vec<&str> = m.offered_regions().map(short_region).collect();
        t.row(vec![
            m.id.clone(),
            m.generation.name().into(),
            match modes(m)[..] {
                [_, _] => "both",
                ["thinking"] => "think",
                _ => "chat",
            }
            .into(),
            opt(l.and_then(|l| l.context_window)),
            opt(l.map(|l| l.max_output_tokens)),
            price,
            regions.join(","),
        ]);
    }
    let mut out = t.render();
    let aliases: Vec<String> = models
        .iter()
        .flat_map(|m| m.aliases.iter().map(move |a| format!("{a} = {}", m.id)))
        .collect();
    if !aliases.is_empty() {
        out.push_str("\nAliases:");
        let mut width = 8;
        for (i, a) in aliases.iter().enumerate() {
            let sep = if i + 1 < aliases.len() { "," } else { "" };
            if width + 1 + a.len() + sep.len() > 100 {
                out.push_str("\n ");
                width = 1;
            }
            out.push(' ');
            out.push_str(a);
            out.push_str(sep);
            width += 1 + a.len() + sep.len();
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "\n{} models, catalog as of {}. Modes: chat (non-thinking), think, both.\nPrices are the first tier's in --region, else in the model's default region (the first it is\npriced in). Regions: intl = International, global, us, cn = Chinese Mainland. Limits are the\ndefault mode's; `qwen-meter models --model ID` shows every figure (max input too) with sources.\n",
        models.len(),
        catalog.as_of()
    ));
    write_stdout(&out);
    Ok(0)
}

fn short_region(r: Region) -> &'static str {
    match r {
        Region::International => "intl",
        Region::Global => "global",
        Region::Us => "us",
        Region::ChineseMainland => "cn",
    }
}

fn render_model(
    m: &Model,
    only: Option<Region>,
    sources: &std::collections::BTreeMap<String, String>,
) -> String {
    let mut out = String::new();
    let line = |out: &mut String, k: &str, v: &str| {
        if !v.is_empty() {
            out.push_str(&format!("{k:<15}{v}\n"));
        }
    };
    line(&mut out, "model", &m.id);
    line(&mut out, "aliases", &m.aliases.join(", "));
    line(&mut out, "snapshots", &m.snapshots.join(", "));
    line(&mut out, "family", &m.family);
    line(
        &mut out,
        "tokenizer",
        &format!(
            "{} (chat template {})",
            m.generation.name(),
            m.generation.chat_template().name()
        ),
    );
    if let Some(n) = &m.tokenizer_note {
        out.push_str(&format!("{:<15}{n}\n", ""));
    }
    line(&mut out, "status", &m.status);
    line(&mut out, "as of", &m.as_of);
    line(&mut out, "sources", &m.sources.join(", "));
    out.push('\n');

    let mut t = Table::new(&[
        ("mode", Align::Left),
        ("context", Align::Right),
        ("max input", Align::Right),
        ("max output", Align::Right),
        ("max reasoning", Align::Right),
        ("sources", Align::Left),
    ]);
    for (name, l) in [
        ("non-thinking", &m.modes.non_thinking),
        ("thinking", &m.modes.thinking),
    ] {
        if let Some(l) = l {
            t.row(vec![
                name.into(),
                opt(l.context_window),
                opt(l.max_input_tokens),
                thousands(l.max_output_tokens),
                opt(l.max_reasoning_tokens),
                l.sources.join(", "),
            ]);
        }
    }
    out.push_str(&t.render());

    for (r, offer) in &m.regions {
        if only.is_some_and(|o| o != *r) {
            continue;
        }
        out.push_str(&format!(
            "\n{} ({}), as of {}, sources {}\n",
            r,
            offer.currency,
            offer.as_of,
            offer.sources.join(", ")
        ));
        let head = format!("{} per 1M tokens", offer.currency);
        let mut t = Table::new(&[
            (head.as_str(), Align::Left),
            ("input", Align::Right),
            ("output", Align::Right),
            ("thinking output", Align::Right),
        ]);
        for tier in &offer.tiers {
            t.row(vec![
                tier_range(tier.above, tier.up_to),
                tier.input.to_string(),
                tier.output.to_string(),
                tier.output_thinking
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| "same".into()),
            ]);
        }
        out.push_str(&t.render());
        if let Some(c) = &offer.cache {
            let f = |a: Option<qwen_meter::Amount>| {
                a.map(|a| format!("{a}x input"))
                    .unwrap_or_else(|| "-".into())
            };
            out.push_str(&format!(
                "cache: implicit hit {}, explicit create {}, explicit hit {} (sources {})\n",
                f(c.implicit_hit),
                f(c.explicit_create),
                f(c.explicit_hit),
                c.sources.join(", ")
            ));
        }
        if let Some(b) = &offer.batch {
            out.push_str(&format!(
                "batch: {}x the real-time price (sources {})\n",
                b.price_ratio,
                b.sources.join(", ")
            ));
        }
        for rl in &offer.rate_limits {
            out.push_str(&format!(
                "rate limits ({}): {} RPM, {} TPM, {} (sources {})\n",
                rl.ids.join(", "),
                thousands(rl.rpm),
                thousands(rl.tpm),
                rl.scope,
                rl.sources.join(", ")
            ));
        }
        if let Some(n) = &offer.note {
            out.push_str(&format!("note: {n}\n"));
        }
    }
    for n in &m.notes {
        out.push_str(&format!("\nnote: {n}"));
    }
    if !m.notes.is_empty() {
        out.push('\n');
    }
    if !sources.is_empty() {
        out.push_str("\nsources:\n");
        let mut sorted: Vec<_> = sources.iter().collect();
        sorted.sort_by_key(|(k, _)| (k.len(), k.to_string()));
        for (k, v) in sorted {
            out.push_str(&format!("  {k}: {v}\n"));
        }
    }
    out
}
