//! The native core's answers for the web page's end-to-end tests.
//!
//! Reads one JSON query per line on stdin and writes one JSON answer per line on stdout, so
//! the tests never compare against hand-written numbers: every expected count, cost, fit and
//! rate plan comes from `qwen_meter` itself, in the same run.
//!
//! Queries (`op` and fields; token options as in the page: the model's generation unless
//! `generation` is given, special-token text as special tokens unless `ordinary`):
//! - `count {text, model? | generation?, ordinary?}` -> `{count}`
//! - `encode {text, model? | generation?, ordinary?}` -> `{ids}`
//! - `models {}` -> `{models: [{id, aliases, snapshots, generation, thinking, nonThinking,
//!   regions: [{id, currency, batch, implicitCache, explicitCache, rateLimits}]}]}`
//! - `model {id}` -> `{id, generation, family}` (aliases and snapshots resolved)
//! - `cost {model, region, inputTokens, outputTokens, thinking?, batch?, cachedInputTokens?,
//!   cache?}` -> `{total, currency, tierIndex, input, output, cachedInput}` or `{error}`
//! - `chat {model, messages, tools?, enableThinking?}` -> `{count, ids}` or `{error}`
//! - `fit {model, thinking?, promptTokens, outputTokens}` -> `{fits, maxPromptTokens, ...}`
//! - `rate {model, region, inputTokens, outputTokens}` -> `{rpm, tpm, requestsPerMinute,
//!   binding}` or `{limits: null}`
//! - `media {model, images?: [[w, h]], videos?: [{seconds, width, height}], audio?: [seconds]}`
//!   -> `{images, videos, audio}`: each item's tokens by the model's media rules, or
//!   `{error}` for an item the model does not take (or an invalid size)
//! - `imageSize {bytes: [..]}` -> `{width, height}` or `{error}`
//!
//! In `cost`, `imageTokens`, `videoTokens` and `audioTokens` are parts of `inputTokens`.

use std::io::{self, BufRead, Write};

use qwen_meter::prelude::*;
use qwen_meter::{
    CacheKind, Catalog, ChatOptions, Generation, ImageOptions, ImageSize, Message, Mode, Model,
    Region, Tokenizer, Usage, Video, VideoOptions,
};
use serde_json::{Value, json};

fn main() {
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin is readable");
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<Value>(&line) {
            Ok(q) => answer(&q).unwrap_or_else(|e| json!({ "error": e })),
            Err(e) => json!({ "error": format!("bad query: {e}") }),
        };
        serde_json::to_writer(&mut out, &answer).expect("stdout is writable");
        out.write_all(b"\n").expect("stdout is writable");
        out.flush().expect("stdout is writable");
    }
}

fn str_field<'a>(q: &'a Value, name: &str) -> Result<&'a str, String> {
    q.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("query field {name:?} must be a string"))
}

fn u64_field(q: &Value, name: &str) -> u64 {
    q.get(name).and_then(Value::as_u64).unwrap_or(0)
}

fn bool_field(q: &Value, name: &str) -> bool {
    q.get(name).and_then(Value::as_bool).unwrap_or(false)
}

fn model(q: &Value) -> Result<&'static Model, String> {
    Catalog::builtin()
        .model(str_field(q, "model")?)
        .map_err(|e| e.to_string())
}

fn region(q: &Value) -> Result<Region, String> {
    str_field(q, "region")?
        .parse::<Region>()
        .map_err(|e| e.to_string())
}

fn tokenizer(q: &Value) -> Result<&'static Tokenizer, String> {
    if let Some(g) = q.get("generation").and_then(Value::as_str) {
        let g = Generation::from_name(g).ok_or_else(|| format!("unknown generation {g:?}"))?;
        return Ok(Tokenizer::for_generation(g));
    }
    Ok(model(q)?.tokenizer())
}

fn count(tok: &Tokenizer, text: &str, ordinary: bool) -> usize {
    if ordinary {
        tok.count_ordinary(text)
    } else {
        tok.count(text)
    }
}

fn answer(q: &Value) -> Result<Value, String> {
    match str_field(q, "op")? {
        "count" => {
            let tok = tokenizer(q)?;
            Ok(json!({ "count": count(tok, str_field(q, "text")?, bool_field(q, "ordinary")) }))
        }
        "encode" => {
            let tok = tokenizer(q)?;
            let text = str_field(q, "text")?;
            let ids = if bool_field(q, "ordinary") {
                tok.encode_ordinary(text)
            } else {
                tok.encode(text)
            };
            Ok(json!({ "ids": ids }))
        }
        "models" => {
            let models: Vec<Value> = Catalog::builtin()
                .models()
                .map(|m| {
                    let regions: Vec<Value> = m
                        .offered_regions()
                        .map(|r| {
                            let offer = m.offer(r).expect("offered");
                            let cache = offer.cache.as_ref();
                            json!({
                                "id": r.id(),
                                "currency": offer.currency.to_string(),
                                "batch": offer.batch.is_some(),
                                "implicitCache": cache.is_some_and(|c| c.implicit_hit.is_some()),
                                "explicitCache": cache.is_some_and(|c| c.explicit_hit.is_some()),
                                "rateLimits": m.rate_limits(r).is_some(),
                            })
                        })
                        .collect();
                    json!({
                        "id": m.id,
                        "family": m.family,
                        "aliases": m.aliases,
                        "snapshots": m.snapshots,
                        "generation": m.generation.name(),
                        "thinking": m.supports(Mode::Thinking),
                        "nonThinking": m.supports(Mode::NonThinking),
                        "regions": regions,
                    })
                })
                .collect();
            Ok(json!({ "models": models }))
        }
        "model" => {
            let m = Catalog::builtin()
                .model(str_field(q, "id")?)
                .map_err(|e| e.to_string())?;
            Ok(json!({ "id": m.id, "generation": m.generation.name(), "family": m.family }))
        }
        "cost" => {
            let m = model(q)?;
            let usage = Usage {
                input_tokens: u64_field(q, "inputTokens"),
                output_tokens: u64_field(q, "outputTokens"),
                cached_input_tokens: u64_field(q, "cachedInputTokens"),
                cache: match q.get("cache").and_then(Value::as_str) {
                    Some("explicit") => CacheKind::Explicit,
                    _ => CacheKind::Implicit,
                },
                cache_creation_input_tokens: 0,
                thinking: bool_field(q, "thinking"),
                batch: bool_field(q, "batch"),
                image_tokens: u64_field(q, "imageTokens"),
                video_tokens: u64_field(q, "videoTokens"),
                audio_tokens: u64_field(q, "audioTokens"),
                ..Usage::default()
            };
            match m.cost(region(q)?, &usage) {
                Ok(c) => Ok(json!({
                    "total": c.total.to_string(),
                    "currency": c.currency.to_string(),
                    "tierIndex": c.tier_index,
                    "input": c.breakdown.input.to_string(),
                    "cachedInput": c.breakdown.cached_input.to_string(),
                    "output": c.breakdown.output.to_string(),
                    "imageInput": c.breakdown.image_input.to_string(),
                    "videoInput": c.breakdown.video_input.to_string(),
                    "audioInput": c.breakdown.audio_input.to_string(),
                })),
                Err(e) => Ok(json!({ "error": e.to_string() })),
            }
        }
        "chat" => {
            let m = model(q)?;
            let tok = m.tokenizer();
            let messages: Vec<Message> =
                serde_json::from_value(q.get("messages").cloned().unwrap_or(Value::Array(vec![])))
                    .map_err(|e| format!("messages: {e}"))?;
            let options = ChatOptions {
                add_generation_prompt: true,
                enable_thinking: q.get("enableThinking").and_then(Value::as_bool),
                tools: q.get("tools").and_then(Value::as_array).cloned(),
            };
            match tok.encode_chat(&messages, &options) {
                Ok(ids) => Ok(json!({ "count": ids.len(), "ids": ids })),
                Err(e) => Ok(json!({ "error": e.to_string() })),
            }
        }
        "fit" => {
            let m = model(q)?;
            let fit = m
                .fit(
                    Mode::from_thinking(bool_field(q, "thinking")),
                    u64_field(q, "promptTokens"),
                    u64_field(q, "outputTokens"),
                )
                .map_err(|e| e.to_string())?;
            serde_json::to_value(fit).map_err(|e| e.to_string())
        }
        "rate" => {
            let m = model(q)?;
            let Some(limits) = m.rate_limits(region(q)?) else {
                return Ok(json!({ "limits": null }));
            };
            let plan = limits
                .plan_uniform(1, u64_field(q, "inputTokens"), u64_field(q, "outputTokens"))
                .map_err(|e| e.to_string())?;
            Ok(json!({
                "rpm": limits.rpm,
                "tpm": limits.tpm,
                "requestsPerMinute": plan.requests_per_minute,
                "binding": plan.binding,
            }))
        }
        "media" => Ok(media(model(q)?, q)),
        "imageSize" => {
            let bytes: Vec<u8> = q
                .get("bytes")
                .and_then(Value::as_array)
                .ok_or("query field \"bytes\" must be an array of byte values")?
                .iter()
                .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                .collect::<Option<_>>()
                .ok_or("bytes must be integers 0-255")?;
            match qwen_meter::image_size(&bytes) {
                Ok(s) => Ok(json!({ "width": s.width, "height": s.height })),
                Err(e) => Ok(json!({ "error": e.to_string() })),
            }
        }
        other => Err(format!("unknown op {other:?}")),
    }
}

/// Each media item's tokens with the model's rules (its catalog media entry), straight from
/// the core's image, video and audio functions (not through the chat path the page uses).
fn media(m: &Model, q: &Value) -> Value {
    let rules = m.media_options();
    let list = |name: &str| {
        q.get(name)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let answer = |r: Result<u64, String>| match r {
        Ok(tokens) => json!({ "tokens": tokens }),
        Err(e) => json!({ "error": e }),
    };
    let size = |w: &Value, h: &Value| {
        let side = |v: &Value| v.as_u64().and_then(|n| u32::try_from(n).ok());
        side(w)
            .zip(side(h))
            .map(|(w, h)| ImageSize::new(w, h))
            .ok_or_else(|| "width and height must be pixel counts".to_owned())
    };
    let images: Vec<Value> = list("images")
        .iter()
        .map(|wh| {
            answer((|| {
                let size = size(&wh[0], &wh[1])?;
                let profile = rules
                    .vision
                    .ok_or(format!("{} does not take images", m.id))?;
                profile
                    .image_tokens(size, &ImageOptions::default())
                    .map(|t| t.tokens)
                    .map_err(|e| e.to_string())
            })())
        })
        .collect();
    let videos: Vec<Value> = list("videos")
        .iter()
        .map(|v| {
            answer((|| {
                let size = size(&v["width"], &v["height"])?;
                let seconds = v["seconds"].as_f64().ok_or("seconds must be a number")?;
                let profile = rules
                    .vision
                    .filter(|_| rules.video)
                    .ok_or(format!("{} does not take video", m.id))?;
                profile
                    .video_tokens(&Video::new(seconds, size), &VideoOptions::default())
                    .map(|t| t.tokens)
                    .map_err(|e| e.to_string())
            })())
        })
        .collect();
    let audio: Vec<Value> = list("audio")
        .iter()
        .map(|s| {
            answer((|| {
                let seconds = s.as_f64().ok_or("seconds must be a number")?;
                let profile = rules.audio.ok_or(format!("{} does not take audio", m.id))?;
                profile.tokens(seconds).map_err(|e| e.to_string())
            })())
        })
        .collect();
    json!({ "images": images, "videos": videos, "audio": audio })
}
