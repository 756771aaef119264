//! Catalog, cost, context fit and rate limits for JS: the active catalog, request objects
//! read field by field, and results as JSON values (amounts as exact decimal strings, with
//! float companions for charts).
//!
//! The active catalog is the built-in one until `loadCatalog` replaces it (or patches it,
//! with `{override: true}`); `resetCatalog` goes back. It is per WebAssembly instance.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use qwen_meter::{
    CacheKind, Catalog, ChatOptions, Decision, Keep, Mode, Model, Permit, PlannedRequest,
    RateLimiter, RateLimits, Region, Usage,
};
use serde_json::{Value, json};

use crate::api::{self, ApiError, ApiResult, ErrorCode, Kind, Obj};
use crate::chat;

thread_local! {
    /// The catalog loaded with `loadCatalog`, if any.
    static CUSTOM: RefCell<Option<Rc<Catalog>>> = const { RefCell::new(None) };
}

/// Runs `f` on the active catalog.
pub fn with_catalog<R>(f: impl FnOnce(&Catalog) -> R) -> R {
    let custom = CUSTOM.with(|c| c.borrow().clone());
    match custom {
        Some(c) => f(&c),
        None => f(Catalog::builtin()),
    }
}

fn catalog_info(c: &Catalog, custom: bool) -> Value {
    json!({
        "asOf": c.as_of(),
        "models": c.models().count(),
        "sources": c.sources(),
        "custom": custom,
    })
}

/// `catalogInfo()`: `{asOf, models, sources, custom}` of the active catalog.
pub fn info() -> Value {
    let custom = CUSTOM.with(|c| c.borrow().is_some());
    with_catalog(|c| catalog_info(c, custom))
}

/// `loadCatalog(json, {override?})`: replaces the active catalog with a whole catalog file,
/// or (with `override: true`) with the built-in catalog patched by a list of model entries.
pub fn load(json_text: &str, override_builtin: bool) -> ApiResult<Value> {
    const F: &str = "loadCatalog";
    let loaded = if override_builtin {
        Catalog::builtin().with_overrides(json_text)
    } else {
        Catalog::from_json(json_text)
    }
    .map_err(|e| ApiError::new(ErrorCode::Catalog, F, e))?;
    let info = catalog_info(&loaded, true);
    CUSTOM.with(|c| *c.borrow_mut() = Some(Rc::new(loaded)));
    Ok(info)
}

/// `resetCatalog()`: back to the built-in catalog.
pub fn reset() -> Value {
    CUSTOM.with(|c| *c.borrow_mut() = None);
    info()
}

/// Looks a model up in the active catalog, or fails naming `place` and close matches.
pub fn find_model<'c>(func: &str, place: &str, c: &'c Catalog, id: &str) -> ApiResult<&'c Model> {
    c.model(id)
        .map_err(|e| ApiError::new(ErrorCode::Catalog, func, format_args!("{place}: {e}")))
}

/// Fails with [`ErrorCode::VocabularyNotLoaded`] when the model's vocabulary is one loaded on
/// first use and is not loaded yet, so that nothing is ever counted with another vocabulary.
pub fn require_vocabulary(func: &str, place: &str, model: &Model) -> ApiResult<()> {
    api::tokenizer_for(func, place, model.generation, Some(&model.id)).map(|_| ())
}

fn model_json(m: &Model) -> Value {
    // Plain data (strings, numbers, maps): serialising cannot fail.
    serde_json::to_value(m).unwrap_or(Value::Null)
}

/// `listModels()`: every model entry, as in the catalog file.
pub fn list_models() -> Value {
    with_catalog(|c| Value::Array(c.models().map(model_json).collect()))
}

/// `getModel(id)`: the entry an id, alias or snapshot resolves to.
pub fn get_model(id: &str) -> ApiResult<Value> {
    with_catalog(|c| find_model("getModel", "id", c, id).map(model_json))
}

fn parse_region(func: &str, place: &str, s: &str) -> ApiResult<Region> {
    s.parse::<Region>()
        .map_err(|e| ApiError::invalid(func, place, e))
}

/// The prompt of a request: exactly one of `<tokens_key>`, `text` or `messages`, counted
/// with the model's tokenizer (messages through its chat template).
fn prompt_tokens(o: &Obj, tokens_key: &str, model: &Model, thinking: bool) -> ApiResult<u64> {
    let given: Vec<&str> = [tokens_key, "text", "messages"]
        .into_iter()
        .filter(|k| o.has(k))
        .collect();
    let func = o.func();
    match given.as_slice() {
        [] => Err(ApiError::invalid(
            func,
            &o.at(tokens_key),
            format_args!("give one of {tokens_key}, text or messages"),
        )),
        [one] if *one == tokens_key => Ok(o.u64(tokens_key)?.unwrap_or(0)),
        [one] if *one == "text" => {
            let text = o.req_str("text")?;
            require_vocabulary(func, &o.at("model"), model)?;
            Ok(model.count_tokens(text))
        }
        [_] => {
            let messages = chat::messages(func, &o.at("messages"), o.get("messages"))?;
            require_vocabulary(func, &o.at("model"), model)?;
            let mut options = ChatOptions {
                enable_thinking: Some(thinking),
                ..ChatOptions::default()
            };
            if let Some(tools) = o.get("tools") {
                options.tools = Some(chat::tools(func, &o.at("tools"), tools)?);
            }
            // Image, video and audio parts count with the model's media rules.
            let n = model
                .count_chat_tokens(&messages, &options)
                .map_err(|e| ApiError::new(ErrorCode::Chat, func, e))?;
            Ok(n.input_tokens)
        }
        _ => Err(ApiError::invalid(
            func,
            &o.at(given[1]),
            format_args!("give only one of {tokens_key}, text or messages"),
        )),
    }
}

/// Image, video and audio tokens of a request: its `imageTokens`, `videoTokens` and
/// `audioTokens` (added to the prompt's tokens) plus the media parts of its `messages`.
fn media_tokens(o: &Obj, model: &Model, thinking: bool) -> ApiResult<[u64; 3]> {
    let mut out = [
        o.u64("imageTokens")?.unwrap_or(0),
        o.u64("videoTokens")?.unwrap_or(0),
        o.u64("audioTokens")?.unwrap_or(0),
    ];
    if o.has("messages") && !o.has("text") && !o.has("inputTokens") {
        let func = o.func();
        let messages = chat::messages(func, &o.at("messages"), o.get("messages"))?;
        require_vocabulary(func, &o.at("model"), model)?;
        let options = ChatOptions {
            enable_thinking: Some(thinking),
            ..ChatOptions::default()
        };
        let t = model
            .count_chat_tokens(&messages, &options)
            .map_err(|e| ApiError::new(ErrorCode::Chat, func, e))?;
        out[0] += t.image_tokens;
        out[1] += t.video_tokens;
        out[2] += t.audio_tokens;
    }
    Ok(out)
}

/// Thinking on or off: the request's `thinking`, else the model's default mode.
fn thinking(o: &Obj, model: &Model) -> ApiResult<bool> {
    Ok(o.bool("thinking")?
        .unwrap_or(model.default_mode() == Mode::Thinking))
}

/// `estimateCost(request)`.
pub fn estimate_cost(request: &Value) -> ApiResult<Value> {
    const F: &str = "estimateCost";
    let o = Obj::new(
        F,
        "request",
        request,
        &[
            "model",
            "region",
            "inputTokens",
            "text",
            "messages",
            "tools",
            "outputTokens",
            "thinking",
            "batch",
            "cachedInputTokens",
            "cache",
            "cacheCreationInputTokens",
            "imageTokens",
            "videoTokens",
            "audioTokens",
        ],
    )?;
    let id = o.req_str("model")?;
    let region = match o.str("region")? {
        Some(r) => parse_region(F, &o.at("region"), r)?,
        None => Region::International,
    };
    let cache = match o.get("cache") {
        None => CacheKind::Implicit,
        Some(Value::String(s)) if s == "implicit" => CacheKind::Implicit,
        Some(Value::String(s)) if s == "explicit" => CacheKind::Explicit,
        Some(Value::String(s)) => {
            return Err(ApiError::invalid(
                F,
                &o.at("cache"),
                format_args!(r#"expected "implicit" or "explicit", got {s:?}"#),
            ));
        }
        Some(v) => {
            return Err(api::type_error(
                F,
                &o.at("cache"),
                r#""implicit" or "explicit""#,
                Kind::of(v),
            ));
        }
    };
    with_catalog(|c| {
        let model = find_model(F, &o.at("model"), c, id)?;
        let thinking = thinking(&o, model)?;
        let [image, video, audio] = media_tokens(&o, model, thinking)?;
        let usage = Usage {
            input_tokens: prompt_tokens(&o, "inputTokens", model, thinking)?
                .saturating_add(o.u64("imageTokens")?.unwrap_or(0))
                .saturating_add(o.u64("videoTokens")?.unwrap_or(0))
                .saturating_add(o.u64("audioTokens")?.unwrap_or(0)),
            image_tokens: image,
            video_tokens: video,
            audio_tokens: audio,
            output_tokens: o.u64("outputTokens")?.unwrap_or(0),
            cached_input_tokens: o.u64("cachedInputTokens")?.unwrap_or(0),
            cache,
            cache_creation_input_tokens: o.u64("cacheCreationInputTokens")?.unwrap_or(0),
            thinking,
            batch: o.bool("batch")?.unwrap_or(false),
            ..Usage::default()
        };
        let cost = model
            .cost(region, &usage)
            .map_err(|e| ApiError::new(ErrorCode::Cost, F, e))?;
        let mut v = serde_json::to_value(&cost).unwrap_or(Value::Null);
        let b = &cost.breakdown;
        v["totalNumber"] = json!(cost.total.to_f64());
        v["breakdownNumbers"] = json!({
            "input": b.input.to_f64(),
            "cachedInput": b.cached_input.to_f64(),
            "cacheCreation": b.cache_creation.to_f64(),
            "output": b.output.to_f64(),
        });
        Ok(v)
    })
}

/// `fitsContext(request)`.
pub fn fits_context(request: &Value) -> ApiResult<Value> {
    const F: &str = "fitsContext";
    let o = Obj::new(
        F,
        "request",
        request,
        &[
            "model",
            "promptTokens",
            "text",
            "messages",
            "tools",
            "reservedOutputTokens",
            "thinking",
        ],
    )?;
    let id = o.req_str("model")?;
    with_catalog(|c| {
        let model = find_model(F, &o.at("model"), c, id)?;
        let thinking = thinking(&o, model)?;
        let prompt = prompt_tokens(&o, "promptTokens", model, thinking)?;
        let reserved = o.u64("reservedOutputTokens")?.unwrap_or(0);
        let mode = Mode::from_thinking(thinking);
        let fit = model
            .fit(mode, prompt, reserved)
            .map_err(|e| ApiError::new(ErrorCode::Cost, F, e))?;
        let mut v = serde_json::to_value(fit).unwrap_or(Value::Null);
        v["model"] = json!(model.id);
        v["thinking"] = json!(thinking);
        Ok(v)
    })
}

/// `truncateToFit(text, request)`: the longest start (or end) of `text` that fits the model
/// with `reservedOutputTokens` reserved.
pub fn truncate_to_fit(text: &str, request: &Value) -> ApiResult<String> {
    const F: &str = "truncateToFit";
    let o = Obj::new(
        F,
        "options",
        request,
        &["model", "reservedOutputTokens", "thinking", "keep"],
    )?;
    let id = o.req_str("model")?;
    let keep = match o.str("keep")? {
        None | Some("start") => Keep::Start,
        Some("end") => Keep::End,
        Some(s) => {
            return Err(ApiError::invalid(
                F,
                &o.at("keep"),
                format_args!(r#"expected "start" or "end", got {s:?}"#),
            ));
        }
    };
    with_catalog(|c| {
        let model = find_model(F, &o.at("model"), c, id)?;
        let thinking = thinking(&o, model)?;
        let reserved = o.u64("reservedOutputTokens")?.unwrap_or(0);
        require_vocabulary(F, &o.at("model"), model)?;
        model
            .truncate_to_fit(text, Mode::from_thinking(thinking), reserved, keep)
            .map(str::to_string)
            .map_err(|e| ApiError::new(ErrorCode::Cost, F, e))
    })
}

/// Rate limits from `{rpm, tpm}` or from the catalog: `{model, region}`.
pub fn limits_from(o: &Obj) -> ApiResult<RateLimits> {
    let func = o.func();
    let explicit = (o.u64("rpm")?, o.u64("tpm")?);
    if o.has("model") {
        if o.has("rpm") || o.has("tpm") {
            return Err(ApiError::invalid(
                func,
                &o.at("model"),
                "give either rpm and tpm or model (with region), not both",
            ));
        }
        let id = o.req_str("model")?;
        let region = match o.str("region")? {
            Some(r) => parse_region(func, &o.at("region"), r)?,
            None => Region::International,
        };
        return with_catalog(|c| {
            let model = find_model(func, &o.at("model"), c, id)?;
            model.rate_limits_for(id, region).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Catalog,
                    func,
                    format_args!(
                        "{}: the catalog has no rate limits for {id} in region {region}; pass rpm and tpm",
                        o.at("model")
                    ),
                )
            })
        });
    }
    match explicit {
        (Some(rpm), Some(tpm)) => Ok(RateLimits { rpm, tpm }),
        (None, _) => Err(ApiError::invalid(
            func,
            &o.at("rpm"),
            "is required (or give model and region to use the catalog's limits)",
        )),
        (_, None) => Err(ApiError::invalid(
            func,
            &o.at("tpm"),
            "is required (or give model and region to use the catalog's limits)",
        )),
    }
}

fn rate_error(func: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::InvalidArgument, func, e)
}

/// `planRequests(request)`.
pub fn plan_requests(request: &Value) -> ApiResult<Value> {
    const F: &str = "planRequests";
    let o = Obj::new(
        F,
        "request",
        request,
        &[
            "rpm",
            "tpm",
            "model",
            "region",
            "requests",
            "count",
            "inputTokens",
            "outputTokens",
        ],
    )?;
    let limits = limits_from(&o)?;
    let plan = match o.get("requests") {
        Some(list) => {
            if o.has("count") || o.has("inputTokens") || o.has("outputTokens") {
                return Err(ApiError::invalid(
                    F,
                    &o.at("requests"),
                    "give either requests or count with inputTokens and outputTokens, not both",
                ));
            }
            let Value::Array(items) = list else {
                return Err(api::type_error(
                    F,
                    &o.at("requests"),
                    "an array",
                    Kind::of(list),
                ));
            };
            let mut planned = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let place = format!("{}[{i}]", o.at("requests"));
                let r = Obj::new(F, &place, item, &["inputTokens", "outputTokens"])?;
                planned.push(PlannedRequest {
                    input_tokens: r.u64("inputTokens")?.unwrap_or(0),
                    output_tokens: r.u64("outputTokens")?.unwrap_or(0),
                });
            }
            limits.plan(&planned)
        }
        None => {
            let count = o.u64("count")?.ok_or_else(|| {
                ApiError::invalid(
                    F,
                    &o.at("requests"),
                    "give requests (a list) or count with inputTokens and outputTokens",
                )
            })?;
            limits.plan_uniform(
                count,
                o.u64("inputTokens")?.unwrap_or(0),
                o.u64("outputTokens")?.unwrap_or(0),
            )
        }
    }
    .map_err(|e| rate_error(F, e))?;
    Ok(serde_json::to_value(plan).unwrap_or(Value::Null))
}

/// A time in milliseconds (any monotonic origin, such as `performance.now()`).
pub fn now_arg(func: &str, place: &str, ms: Option<f64>, got: Kind) -> ApiResult<Duration> {
    let Some(ms) = ms else {
        return Err(api::type_error(func, place, "a time in milliseconds", got));
    };
    if !(0.0..=api::MAX_SAFE_INTEGER).contains(&ms) {
        return Err(ApiError::invalid(
            func,
            place,
            format_args!(
                "expected a non-negative time in milliseconds, got {}",
                api::js_number(ms)
            ),
        ));
    }
    Duration::try_from_secs_f64(ms / 1000.0).map_err(|e| ApiError::invalid(func, place, e))
}

/// The JS `RateLimiter`: the core limiter plus the permits handed out, keyed by a number.
///
/// Permits are forgotten once their request is a minute old (the core ignores them then),
/// or when recorded, so the limiter's memory stays bounded however it is used.
pub struct Limiter {
    inner: RateLimiter,
    permits: VecDeque<(u64, Permit, Duration)>,
    next: u64,
}

impl Limiter {
    /// `new RateLimiter(limits)`.
    pub fn new(limits: &Value) -> ApiResult<Limiter> {
        const F: &str = "RateLimiter";
        let o = Obj::new(F, "limits", limits, &["rpm", "tpm", "model", "region"])?;
        let limits = limits_from(&o)?;
        let inner = RateLimiter::new(limits).map_err(|e| rate_error(F, e))?;
        Ok(Limiter {
            inner,
            permits: VecDeque::new(),
            next: 1,
        })
    }

    /// The limits enforced, `{rpm, tpm}`.
    pub fn limits(&self) -> Value {
        serde_json::to_value(self.inner.limits()).unwrap_or(Value::Null)
    }

    /// `acquire(tokens, nowMs)`: `{go: true, permit, waitMs: 0}` or `{go: false, permit:
    /// null, waitMs}`.
    pub fn acquire(&mut self, tokens: u64, now: Duration) -> ApiResult<Value> {
        while self
            .permits
            .front()
            .is_some_and(|p| p.2.saturating_add(Duration::from_secs(60)) <= now)
        {
            self.permits.pop_front();
        }
        match self
            .inner
            .acquire(now, tokens)
            .map_err(|e| rate_error("RateLimiter.acquire", e))?
        {
            Decision::Go(permit) => {
                let id = self.next;
                self.next += 1;
                self.permits.push_back((id, permit, now));
                Ok(json!({"go": true, "permit": id, "waitMs": 0}))
            }
            Decision::Wait(d) => {
                Ok(json!({"go": false, "permit": null, "waitMs": d.as_secs_f64() * 1000.0}))
            }
        }
    }

    /// `recordUsage(permit, actualTokens)`: true when the permit was still tracked.
    pub fn record_usage(&mut self, permit: u64, actual_tokens: u64) -> ApiResult<bool> {
        const F: &str = "RateLimiter.recordUsage";
        if permit == 0 || permit >= self.next {
            return Err(ApiError::invalid(
                F,
                "permit",
                format_args!("{permit} was not issued by this limiter"),
            ));
        }
        let removed = self
            .permits
            .iter()
            .position(|p| p.0 == permit)
            .and_then(|i| self.permits.remove(i));
        match removed {
            Some((_, p, _)) => {
                self.inner.record_usage(p, actual_tokens);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Permits still tracked (for leak checks).
    pub fn tracked_permits(&self) -> usize {
        self.permits.len()
    }
}
