//! One function per JS export, generic over how arguments are represented (the table in
//! [`crate::exports`] wires each to JS and to the native dispatcher).
//!
//! The WASM build passes `JsValue`s (see [`crate::bindings`]); the native fixture generator
//! and tests pass JSON values ([`Json`]). Both run the same checks in the same order, so an
//! error message the native side predicts is the one JS sees.

use std::time::Duration;

use qwen_meter::{ChatOptions, Keep, Message, Tokenizer};
use serde_json::{Value, json};

use crate::api::{self, ApiError, ApiResult, JsSpan, Kind, SpecialToken, TokOptions};
use crate::{chat, media, pricing};

/// A JS argument as the calls see it.
pub trait Arg {
    /// Its kind, for messages.
    fn kind(&self) -> Kind;
    /// The string, if it is one.
    fn as_string(&self) -> Option<String>;
    /// The number, if it is one.
    fn as_f64(&self) -> Option<f64>;
    /// `undefined` (or a missing argument).
    fn is_undefined(&self) -> bool;
    /// The value as JSON data (`undefined` and `null` give `Value::Null`).
    fn to_json(&self, func: &str, place: &str) -> ApiResult<Value>;
    /// Token ids: an array of numbers (each checked) or, in JS, a `Uint32Array`.
    fn to_ids(&self, func: &str) -> ApiResult<Vec<u32>>;
    /// Bytes: an array of byte values or, in JS, a `Uint8Array`; `None` for anything else.
    fn to_bytes(&self) -> Option<Vec<u8>>;
}

/// A JSON argument; `None` is a missing argument (`undefined`).
#[derive(Debug, Clone, Copy)]
pub struct Json<'a>(pub Option<&'a Value>);

impl Arg for Json<'_> {
    fn kind(&self) -> Kind {
        self.0.map_or(Kind::Undefined, Kind::of)
    }
    fn as_string(&self) -> Option<String> {
        self.0.and_then(Value::as_str).map(str::to_string)
    }
    fn as_f64(&self) -> Option<f64> {
        self.0.and_then(Value::as_f64)
    }
    fn is_undefined(&self) -> bool {
        self.0.is_none()
    }
    fn to_json(&self, _func: &str, _place: &str) -> ApiResult<Value> {
        Ok(self.0.cloned().unwrap_or(Value::Null))
    }
    fn to_ids(&self, func: &str) -> ApiResult<Vec<u32>> {
        match self.0 {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    api::token_id_arg(func, &format!("ids[{i}]"), x.as_f64(), Kind::of(x))
                })
                .collect(),
            _ => Err(ids_type_error(func, self.kind())),
        }
    }
    fn to_bytes(&self) -> Option<Vec<u8>> {
        self.0.and_then(Value::as_array).and_then(|items| {
            items
                .iter()
                .map(|x| x.as_u64().and_then(|b| u8::try_from(b).ok()))
                .collect()
        })
    }
}

/// The message for `ids` of the wrong type.
pub fn ids_type_error(func: &str, got: Kind) -> ApiError {
    api::type_error(func, "ids", "an array or Uint32Array of token ids", got)
}

/// A string argument at `place`.
pub fn string(func: &str, place: &str, v: &impl Arg) -> ApiResult<String> {
    v.as_string()
        .ok_or_else(|| api::type_error(func, place, "a string", v.kind()))
}

/// A non-negative integer argument at `place`.
pub fn count(func: &str, place: &str, v: &impl Arg) -> ApiResult<usize> {
    api::count_arg(func, place, v.as_f64(), v.kind())
}

/// Tokenizer options (`undefined` is the default, without converting anything).
pub fn tok_options(func: &str, options: &impl Arg) -> ApiResult<TokOptions> {
    if options.is_undefined() {
        return Ok(TokOptions::default());
    }
    api::tok_options(func, &optional_object(func, "options", options)?, &[])
}

/// `countTokens(text, options?)`.
pub fn count_tokens(text: &impl Arg, options: &impl Arg) -> ApiResult<usize> {
    const F: &str = "countTokens";
    let text = string(F, "text", text)?;
    let o = tok_options(F, options)?;
    Ok(api::count_tokens(&text, &o))
}

/// `encode(text, options?)`.
pub fn encode(text: &impl Arg, options: &impl Arg) -> ApiResult<Vec<u32>> {
    const F: &str = "encode";
    let text = string(F, "text", text)?;
    let o = tok_options(F, options)?;
    Ok(api::encode(&text, &o))
}

/// `decode(ids, options?)`.
pub fn decode(ids: &impl Arg, options: &impl Arg) -> ApiResult<String> {
    const F: &str = "decode";
    let ids = ids.to_ids(F)?;
    let o = tok_options(F, options)?;
    api::decode(F, &ids, &o)
}

/// `decodeBytes(ids, options?)`.
pub fn decode_bytes(ids: &impl Arg, options: &impl Arg) -> ApiResult<Vec<u8>> {
    const F: &str = "decodeBytes";
    let ids = ids.to_ids(F)?;
    let o = tok_options(F, options)?;
    api::decode_bytes(F, &ids, &o)
}

/// `encodeWithOffsets(text, options?)`.
pub fn encode_with_offsets(text: &impl Arg, options: &impl Arg) -> ApiResult<Vec<JsSpan>> {
    const F: &str = "encodeWithOffsets";
    let text = string(F, "text", text)?;
    let o = tok_options(F, options)?;
    Ok(api::encode_with_offsets(&text, &o))
}

/// `isWithinTokenLimit(text, limit, options?)`: `None` is JS `false`.
pub fn is_within_token_limit(
    text: &impl Arg,
    limit: &impl Arg,
    options: &impl Arg,
) -> ApiResult<Option<usize>> {
    const F: &str = "isWithinTokenLimit";
    let text = string(F, "text", text)?;
    let limit = count(F, "limit", limit)?;
    let o = tok_options(F, options)?;
    Ok(api::within_limit(&text, limit, &o))
}

/// `truncate(text, maxTokens, options?)`.
pub fn truncate(text: &impl Arg, max_tokens: &impl Arg, options: &impl Arg) -> ApiResult<String> {
    const F: &str = "truncate";
    let text = string(F, "text", text)?;
    let max = count(F, "maxTokens", max_tokens)?;
    let (o, keep): (TokOptions, Keep) = if options.is_undefined() {
        (TokOptions::default(), Keep::Start)
    } else {
        api::truncate_options(F, &optional_object(F, "options", options)?)?
    };
    Ok(api::truncate(&text, max, keep, &o).to_string())
}

/// `specialTokens(options?)`.
pub fn special_tokens(options: &impl Arg) -> ApiResult<Vec<SpecialToken>> {
    const F: &str = "specialTokens";
    let o = tok_options(F, options)?;
    Ok(api::special_tokens(&o))
}

/// A generation name argument (`"qwen3.5"`).
fn generation(func: &str, v: &impl Arg) -> ApiResult<qwen_meter::Generation> {
    let name = string(func, "generation", v)?;
    api::parse_generation(func, "generation", &Value::String(name))
}

/// `hasVocabulary(generation)`: whether the generation's vocabulary is available now (always
/// for Qwen to Qwen3; for Qwen3.5 once loaded).
pub fn has_vocabulary(generation: &impl Arg) -> ApiResult<bool> {
    Ok(api::has_vocabulary(self::generation(
        "hasVocabulary",
        generation,
    )?))
}

/// `installVocabulary(generation, bytes)`: installs a vocabulary loaded on first use from the
/// bytes of its file (`qwen3_5.vocab`); true when this call installed it.
pub fn install_vocabulary(generation: &impl Arg, bytes: &impl Arg) -> ApiResult<bool> {
    const F: &str = "installVocabulary";
    let g = self::generation(F, generation)?;
    let bytes = bytes
        .to_bytes()
        .ok_or_else(|| api::type_error(F, "bytes", "a Uint8Array", bytes.kind()))?;
    api::install_vocabulary(F, g, &bytes)
}

/// An object argument (a request) as JSON.
pub fn object(func: &str, place: &str, v: &impl Arg) -> ApiResult<Value> {
    match v.kind() {
        Kind::Object => v.to_json(func, place),
        other => Err(api::type_error(func, place, "an object", other)),
    }
}

/// An optional object argument (options): `undefined` and `null` give `Value::Null`.
pub fn optional_object(func: &str, place: &str, v: &impl Arg) -> ApiResult<Value> {
    match v.kind() {
        Kind::Undefined | Kind::Null => Ok(Value::Null),
        Kind::Object => v.to_json(func, place),
        other => Err(api::type_error(func, place, "an object", other)),
    }
}

type ChatArgs = (Vec<Message>, &'static Tokenizer, ChatOptions);

fn chat_args(func: &str, messages: &impl Arg, options: &impl Arg) -> ApiResult<ChatArgs> {
    let m = match messages.kind() {
        Kind::Array => messages.to_json(func, "messages")?,
        Kind::Undefined | Kind::Null => Value::Null,
        other => {
            return Err(api::type_error(
                func,
                "messages",
                "an array of messages",
                other,
            ));
        }
    };
    let msgs = chat::messages(func, "messages", Some(&m))?;
    let (tok, o) = chat::options(func, &optional_object(func, "options", options)?)?;
    Ok((msgs, tok, o))
}

/// `countChat(messages, options?)`.
pub fn count_chat(messages: &impl Arg, options: &impl Arg) -> ApiResult<usize> {
    const F: &str = "countChat";
    let (m, tok, o) = chat_args(F, messages, options)?;
    chat::count(F, &m, tok, &o)
}

/// `renderChat(messages, options?)`.
pub fn render_chat(messages: &impl Arg, options: &impl Arg) -> ApiResult<String> {
    const F: &str = "renderChat";
    let (m, tok, o) = chat_args(F, messages, options)?;
    chat::render(F, &m, tok, &o)
}

/// `encodeChat(messages, options?)`.
pub fn encode_chat(messages: &impl Arg, options: &impl Arg) -> ApiResult<Vec<u32>> {
    const F: &str = "encodeChat";
    let (m, tok, o) = chat_args(F, messages, options)?;
    chat::encode(F, &m, tok, &o)
}

/// `estimateCost(request)`.
pub fn estimate_cost(request: &impl Arg) -> ApiResult<Value> {
    pricing::estimate_cost(&object("estimateCost", "request", request)?)
}

/// `countImageTokens(size, options?)`.
pub fn count_image_tokens(size: &impl Arg, options: &impl Arg) -> ApiResult<Value> {
    const F: &str = "countImageTokens";
    let size = object(F, "size", size)?;
    let options = if options.is_undefined() {
        Value::Null
    } else {
        object(F, "options", options)?
    };
    media::count_image_tokens(&size, &options)
}

/// `imageSize(bytes)`: in JS a `Uint8Array` (or an array of byte values, as the native
/// fixtures pass them).
pub fn image_size(bytes: &impl Arg) -> ApiResult<Value> {
    const F: &str = "imageSize";
    let bytes = bytes
        .to_bytes()
        .ok_or_else(|| api::type_error(F, "bytes", "a Uint8Array", bytes.kind()))?;
    media::image_size(&bytes)
}

/// `fitsContext(request)`.
pub fn fits_context(request: &impl Arg) -> ApiResult<Value> {
    pricing::fits_context(&object("fitsContext", "request", request)?)
}

/// `truncateToFit(text, options)`.
pub fn truncate_to_fit(text: &impl Arg, options: &impl Arg) -> ApiResult<String> {
    const F: &str = "truncateToFit";
    let text = string(F, "text", text)?;
    pricing::truncate_to_fit(&text, &object(F, "options", options)?)
}

/// `planRequests(request)`.
pub fn plan_requests(request: &impl Arg) -> ApiResult<Value> {
    pricing::plan_requests(&object("planRequests", "request", request)?)
}

/// `listModels()`.
pub fn list_models() -> ApiResult<Value> {
    Ok(pricing::list_models())
}

/// `getModel(id)`.
pub fn get_model(id: &impl Arg) -> ApiResult<Value> {
    pricing::get_model(&string("getModel", "id", id)?)
}

/// `catalogInfo()`.
pub fn catalog_info() -> ApiResult<Value> {
    Ok(pricing::info())
}

/// `loadCatalog(json, options?)`: `json` is the file's text or the parsed object (or, with
/// `{override: true}`, a list of model entries).
pub fn load_catalog(catalog: &impl Arg, options: &impl Arg) -> ApiResult<Value> {
    const F: &str = "loadCatalog";
    let text = match catalog.kind() {
        Kind::String => catalog.as_string().unwrap_or_default(),
        Kind::Object | Kind::Array => {
            serde_json::to_string(&catalog.to_json(F, "catalog")?).unwrap_or_default()
        }
        other => {
            return Err(api::type_error(
                F,
                "catalog",
                "JSON text or a catalog object",
                other,
            ));
        }
    };
    let opts = optional_object(F, "options", options)?;
    let over = if opts.is_null() {
        false
    } else {
        api::Obj::new(F, "options", &opts, &["override"])?
            .bool("override")?
            .unwrap_or(false)
    };
    pricing::load(&text, over)
}

/// `resetCatalog()`.
pub fn reset_catalog() -> ApiResult<Value> {
    Ok(pricing::reset())
}

/// `wasmMemoryBytes()`: the size of the WebAssembly linear memory (0 natively).
pub fn wasm_memory_bytes() -> ApiResult<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        Ok((core::arch::wasm32::memory_size(0) * 65536) as f64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Ok(0.0)
    }
}

/// `new RateLimiter(limits)`.
pub fn rate_limiter(limits: &impl Arg) -> ApiResult<pricing::Limiter> {
    pricing::Limiter::new(&object("RateLimiter", "limits", limits)?)
}

/// `limiter.acquire(tokens, nowMs)`; `now` is already resolved (JS defaults it to
/// `performance.now()`).
pub fn limiter_acquire(
    l: &mut pricing::Limiter,
    tokens: &impl Arg,
    now: Duration,
) -> ApiResult<Value> {
    const F: &str = "RateLimiter.acquire";
    let tokens = api::u64_arg(F, "tokens", tokens.as_f64(), tokens.kind())?;
    l.acquire(tokens, now)
}

/// The `nowMs` argument of `acquire`.
pub fn limiter_now(now: &impl Arg) -> ApiResult<Duration> {
    pricing::now_arg("RateLimiter.acquire", "nowMs", now.as_f64(), now.kind())
}

/// `limiter.recordUsage(permit, actualTokens)`.
pub fn limiter_record(
    l: &mut pricing::Limiter,
    permit: &impl Arg,
    actual: &impl Arg,
) -> ApiResult<bool> {
    const F: &str = "RateLimiter.recordUsage";
    let permit = api::u64_arg(F, "permit", permit.as_f64(), permit.kind())?;
    let actual = api::u64_arg(F, "actualTokens", actual.as_f64(), actual.kind())?;
    l.record_usage(permit, actual)
}

/// Runs a list of steps `[name, ...args]` in order (state carries over: the active catalog, and
/// the limiter made by a `"RateLimiter"` step for `"RateLimiter.*"` steps). Each step gives
/// `{"value": ...}` or `{"error": {"code", "message"}}`.
pub fn sequence(steps: &[Value]) -> Vec<Value> {
    let mut limiter: Option<pricing::Limiter> = None;
    steps
        .iter()
        .map(|step| {
            let (name, args) = match step.as_array().and_then(|a| a.split_first()) {
                Some((Value::String(n), rest)) => (n.as_str(), rest),
                _ => return json!({"error": {"code": "INVALID_ARGUMENT", "message": "bad step"}}),
            };
            let a = |i: usize| Json(args.get(i));
            let r = match name {
                "RateLimiter" => rate_limiter(&a(0)).map(|l| {
                    limiter = Some(l);
                    Value::Null
                }),
                "RateLimiter.acquire" | "RateLimiter.recordUsage" | "RateLimiter.limits" => {
                    match limiter.as_mut() {
                        None => Err(ApiError::new(
                            api::ErrorCode::InvalidArgument,
                            name,
                            "no limiter",
                        )),
                        Some(l) => match name {
                            "RateLimiter.acquire" => {
                                limiter_now(&a(1)).and_then(|now| limiter_acquire(l, &a(0), now))
                            }
                            "RateLimiter.recordUsage" => {
                                limiter_record(l, &a(0), &a(1)).map(Value::from)
                            }
                            _ => Ok(l.limits()),
                        },
                    }
                }
                other => crate::exports::dispatch(other, args),
            };
            match r {
                Ok(v) => json!({"value": v}),
                Err(e) => json!({"error": {"code": e.code.as_str(), "message": e.message}}),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::exports::dispatch;
    use serde_json::json;

    #[test]
    fn arguments_are_checked_in_order() {
        let e = dispatch("truncate", &[json!(5), json!(-1), json!(7)]).unwrap_err();
        assert_eq!(e.message, "truncate: text: expected a string, got number");
        let e = dispatch("truncate", &[json!("x"), json!(-1), json!(7)]).unwrap_err();
        assert_eq!(
            e.message,
            "truncate: maxTokens: expected a non-negative integer, got -1"
        );
        let e = dispatch("truncate", &[json!("x"), json!(1), json!(7)]).unwrap_err();
        assert_eq!(
            e.message,
            "truncate: options: expected an object, got number"
        );
        let e = dispatch("countTokens", &[]).unwrap_err();
        assert_eq!(
            e.message,
            "countTokens: text: expected a string, got undefined"
        );
        let e = dispatch("decode", &[json!({"0": 1})]).unwrap_err();
        assert_eq!(
            e.message,
            "decode: ids: expected an array or Uint32Array of token ids, got object"
        );
    }

    #[test]
    fn results_have_the_js_shape() {
        assert_eq!(
            dispatch("isWithinTokenLimit", &[json!("Hello, world!"), json!(3)]).unwrap(),
            json!(false)
        );
        assert_eq!(
            dispatch("isWithinTokenLimit", &[json!("Hello, world!"), json!(4)]).unwrap(),
            json!(4)
        );
        assert_eq!(
            dispatch("encode", &[json!("Hello, world!")]).unwrap(),
            json!([9707, 11, 1879, 0])
        );
        let spans = dispatch("encodeWithOffsets", &[json!("Hi")]).unwrap();
        assert_eq!(
            spans,
            json!([{"id": 13048, "start": 0, "end": 2, "byteStart": 0, "byteEnd": 2}])
        );
    }
}
