//! The `#[wasm_bindgen]` exports: JS values in, [`crate::api`] call, JS values or a thrown
//! `QwenMeterError` out.
//!
//! Every argument is taken as a `JsValue` and checked here (a `&str` parameter would silently
//! turn `undefined` into the text "undefined", and a `u32` parameter turns `-1` into
//! 4294967295), so wrong input becomes an error that names the argument instead of a wrong
//! answer or a trap. Objects (options, messages, requests) are read through `JSON.stringify`
//! into [`serde_json::Value`] and validated by the same code the native tests run.
//!
//! This module compiles on every target so `cargo clippy` and `cargo test` check it natively,
//! but its functions only work inside WebAssembly (wasm-bindgen's imports panic elsewhere).

use std::cell::RefCell;

use js_sys::{Array, Function, Reflect, Uint8Array, Uint32Array};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::api::{self, ApiError, ApiResult, Kind};
use crate::calls::{self, Arg, Json};

thread_local! {
    /// The JS `QwenMeterError` class the entry module registered (see `npm/`).
    static ERROR_CLASS: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the error class thrown by every function (called once by the package's entry
/// module; not part of the public API).
#[wasm_bindgen(js_name = __setErrorClass)]
pub fn set_error_class(class: Function) {
    ERROR_CLASS.with(|c| *c.borrow_mut() = Some(class));
}

/// Turns an [`ApiError`] into the JS value to throw: an instance of the registered class
/// (or a plain `Error` named `QwenMeterError`) with `code` set.
fn to_js_error(e: ApiError) -> JsValue {
    let msg = JsValue::from_str(&e.message);
    let err: JsValue = ERROR_CLASS
        .with(|c| {
            c.borrow()
                .as_ref()
                .and_then(|class| Reflect::construct(class, &Array::of1(&msg)).ok())
        })
        .unwrap_or_else(|| {
            let plain = js_sys::Error::new(&e.message);
            plain.set_name("QwenMeterError");
            plain.into()
        });
    let _ = Reflect::set(&err, &"code".into(), &e.code.as_str().into());
    err
}

/// Result type of the exports: errors are thrown.
type JsResult<T> = Result<T, JsValue>;

pub(crate) fn lift<T>(r: ApiResult<T>) -> JsResult<T> {
    r.map_err(to_js_error)
}

/// The [`Kind`] of a JS value, for messages.
fn kind(v: &JsValue) -> Kind {
    if v.is_undefined() {
        Kind::Undefined
    } else if v.is_null() {
        Kind::Null
    } else if v.as_bool().is_some() {
        Kind::Boolean
    } else if v.as_f64().is_some() {
        Kind::Number
    } else if v.is_string() {
        Kind::String
    } else if Array::is_array(v) {
        Kind::Array
    } else if v.is_bigint() {
        Kind::Other("bigint")
    } else if v.is_symbol() {
        Kind::Other("symbol")
    } else if v.is_function() {
        Kind::Other("function")
    } else {
        Kind::Object
    }
}

impl Arg for JsValue {
    fn kind(&self) -> Kind {
        kind(self)
    }
    fn as_string(&self) -> Option<String> {
        JsValue::as_string(self)
    }
    fn as_f64(&self) -> Option<f64> {
        JsValue::as_f64(self)
    }
    fn is_undefined(&self) -> bool {
        JsValue::is_undefined(self)
    }
    fn to_json(&self, func: &str, place: &str) -> ApiResult<Value> {
        if self.is_undefined() || self.is_null() {
            return Ok(Value::Null);
        }
        json_of(func, place, self)
    }
    fn to_ids(&self, func: &str) -> ApiResult<Vec<u32>> {
        if let Some(typed) = self.dyn_ref::<Uint32Array>() {
            return Ok(typed.to_vec());
        }
        if !Array::is_array(self) {
            return Err(calls::ids_type_error(func, kind(self)));
        }
        // Read through JSON.stringify (see `json_of`), then check each id like native code.
        Json(Some(&json_of(func, "ids", self)?)).to_ids(func)
    }
}

/// A JS value as JSON data, through `JSON.stringify`, whose exceptions (a throwing getter or
/// `toJSON`, a Proxy trap, a BigInt, a cycle) the glue catches and returns as an error.
/// Reading objects property by property from Rust instead would let such an exception unwind
/// through WebAssembly frames, skipping destructors and the restore of the shadow stack
/// pointer. `undefined`, functions and symbols inside objects are dropped, as JSON does.
fn json_of(func: &str, place: &str, v: &JsValue) -> ApiResult<Value> {
    let text = js_sys::JSON::stringify(v)
        .map_err(|e| {
            let why = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .or_else(|| e.as_string())
                .unwrap_or_else(|| "exception".into());
            ApiError::invalid(
                func,
                place,
                format_args!("cannot be read as JSON data ({why})"),
            )
        })?
        .as_string()
        .ok_or_else(|| api::type_error(func, place, "JSON data", kind(v)))?;
    serde_json::from_str(&text).map_err(|e| {
        ApiError::invalid(
            func,
            place,
            format_args!("cannot be read as JSON data ({e})"),
        )
    })
}

/// Serializes a result to plain JS objects (maps as objects, `u64` as numbers).
pub(crate) fn to_js<T: Serialize>(func: &str, value: &T) -> JsResult<JsValue> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&ser).map_err(|e| {
        to_js_error(ApiError::new(
            api::ErrorCode::InvalidArgument,
            func,
            format_args!("internal error converting the result ({e})"),
        ))
    })
}

/// `countTokens(text, options?)`: number of tokens.
#[wasm_bindgen(js_name = countTokens)]
pub fn count_tokens(text: JsValue, options: JsValue) -> JsResult<usize> {
    lift(calls::count_tokens(&text, &options))
}

/// `encode(text, options?)`: token ids as an array of numbers.
#[wasm_bindgen(js_name = encode)]
pub fn encode(text: JsValue, options: JsValue) -> JsResult<Array> {
    let ids = lift(calls::encode(&text, &options))?;
    Ok(Array::from(&Uint32Array::from(&ids[..])))
}

/// `decode(ids, options?)`: the text of token ids.
#[wasm_bindgen(js_name = decode)]
pub fn decode(ids: JsValue, options: JsValue) -> JsResult<String> {
    lift(calls::decode(&ids, &options))
}

/// `decodeBytes(ids, options?)`: the raw bytes of token ids (for ids that split a character).
#[wasm_bindgen(js_name = decodeBytes)]
pub fn decode_bytes(ids: JsValue, options: JsValue) -> JsResult<Uint8Array> {
    let bytes = lift(calls::decode_bytes(&ids, &options))?;
    Ok(Uint8Array::from(&bytes[..]))
}

/// `encodeWithOffsets(text, options?)`: `{id, start, end, byteStart, byteEnd}` per token.
#[wasm_bindgen(js_name = encodeWithOffsets)]
pub fn encode_with_offsets(text: JsValue, options: JsValue) -> JsResult<JsValue> {
    const F: &str = "encodeWithOffsets";
    to_js(F, &lift(calls::encode_with_offsets(&text, &options))?)
}

/// `isWithinTokenLimit(text, limit, options?)`: the count, or `false` once it passes `limit`.
#[wasm_bindgen(js_name = isWithinTokenLimit)]
pub fn is_within_token_limit(text: JsValue, limit: JsValue, options: JsValue) -> JsResult<JsValue> {
    Ok(
        match lift(calls::is_within_token_limit(&text, &limit, &options))? {
            Some(n) => JsValue::from_f64(n as f64),
            None => JsValue::FALSE,
        },
    )
}

/// `truncate(text, maxTokens, options?)`: the longest start (or end, `{keep: "end"}`) of
/// `text` with at most `maxTokens` tokens.
#[wasm_bindgen(js_name = truncate)]
pub fn truncate(text: JsValue, max_tokens: JsValue, options: JsValue) -> JsResult<String> {
    lift(calls::truncate(&text, &max_tokens, &options))
}

/// `specialTokens(options?)`: `{text, id}` for each special token of the generation.
#[wasm_bindgen(js_name = specialTokens)]
pub fn special_tokens(options: JsValue) -> JsResult<JsValue> {
    to_js("specialTokens", &lift(calls::special_tokens(&options))?)
}

/// A JSON result as a JS value (`JSON.parse` of its text: one crossing, native parsing).
fn value_to_js(v: &Value) -> JsValue {
    let text = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL)
}

/// `countChat(messages, options?)`: prompt tokens of the conversation as the model sees it.
#[wasm_bindgen(js_name = countChat)]
pub fn count_chat(messages: JsValue, options: JsValue) -> JsResult<usize> {
    lift(calls::count_chat(&messages, &options))
}

/// `renderChat(messages, options?)`: the prompt text the chat template produces.
#[wasm_bindgen(js_name = renderChat)]
pub fn render_chat(messages: JsValue, options: JsValue) -> JsResult<String> {
    lift(calls::render_chat(&messages, &options))
}

/// `encodeChat(messages, options?)`: token ids of the rendered conversation.
#[wasm_bindgen(js_name = encodeChat)]
pub fn encode_chat(messages: JsValue, options: JsValue) -> JsResult<Array> {
    let ids = lift(calls::encode_chat(&messages, &options))?;
    Ok(Array::from(&Uint32Array::from(&ids[..])))
}

/// `estimateCost(request)`: exact cost with breakdown and tier.
#[wasm_bindgen(js_name = estimateCost)]
pub fn estimate_cost(request: JsValue) -> JsResult<JsValue> {
    lift(calls::estimate_cost(&request)).map(|v| value_to_js(&v))
}

/// `fitsContext(request)`: whether a prompt plus reserved output fits the model.
#[wasm_bindgen(js_name = fitsContext)]
pub fn fits_context(request: JsValue) -> JsResult<JsValue> {
    lift(calls::fits_context(&request)).map(|v| value_to_js(&v))
}

/// `truncateToFit(text, options)`: the longest start (or end) of `text` that fits the model.
#[wasm_bindgen(js_name = truncateToFit)]
pub fn truncate_to_fit(text: JsValue, options: JsValue) -> JsResult<String> {
    lift(calls::truncate_to_fit(&text, &options))
}

/// `planRequests(request)`: minimum time to send a batch within RPM and TPM.
#[wasm_bindgen(js_name = planRequests)]
pub fn plan_requests(request: JsValue) -> JsResult<JsValue> {
    lift(calls::plan_requests(&request)).map(|v| value_to_js(&v))
}

/// `listModels()`: every model of the active catalog.
#[wasm_bindgen(js_name = listModels)]
pub fn list_models() -> JsValue {
    value_to_js(&calls::list_models())
}

/// `getModel(id)`: the model an id, alias or dated snapshot resolves to.
#[wasm_bindgen(js_name = getModel)]
pub fn get_model(id: JsValue) -> JsResult<JsValue> {
    lift(calls::get_model(&id)).map(|v| value_to_js(&v))
}

/// `catalogInfo()`: `{asOf, models, sources, custom}` of the active catalog.
#[wasm_bindgen(js_name = catalogInfo)]
pub fn catalog_info() -> JsValue {
    value_to_js(&calls::catalog_info())
}

/// `loadCatalog(json, options?)`: use your own catalog (or, with `{override: true}`, the
/// built-in one patched by your model entries) in every later call.
#[wasm_bindgen(js_name = loadCatalog)]
pub fn load_catalog(catalog: JsValue, options: JsValue) -> JsResult<JsValue> {
    lift(calls::load_catalog(&catalog, &options)).map(|v| value_to_js(&v))
}

/// `resetCatalog()`: back to the built-in catalog.
#[wasm_bindgen(js_name = resetCatalog)]
pub fn reset_catalog() -> JsValue {
    value_to_js(&calls::reset_catalog())
}

/// `performance.now()` (or `Date.now()` where there is no `performance`).
fn clock_ms() -> f64 {
    let perf = Reflect::get(&js_sys::global(), &"performance".into()).ok();
    perf.and_then(|p| {
        let now = Reflect::get(&p, &"now".into()).ok()?;
        now.dyn_ref::<Function>()?.call0(&p).ok()?.as_f64()
    })
    .unwrap_or_else(js_sys::Date::now)
}

/// A pure RPM/TPM rate limiter (`new RateLimiter({rpm, tpm})` or `({model, region})`).
///
/// Holds WebAssembly memory: freed by `free()` or, if forgotten, by the glue's
/// `FinalizationRegistry` when the object is garbage-collected.
#[wasm_bindgen(js_name = RateLimiter)]
pub struct JsRateLimiter {
    inner: crate::pricing::Limiter,
}

#[wasm_bindgen(js_class = RateLimiter)]
impl JsRateLimiter {
    /// `new RateLimiter(limits)`.
    #[wasm_bindgen(constructor)]
    pub fn new(limits: JsValue) -> JsResult<JsRateLimiter> {
        lift(calls::rate_limiter(&limits)).map(|inner| JsRateLimiter { inner })
    }

    /// `acquire(tokens, nowMs?)`: `{go: true, permit, waitMs: 0}` (recorded: send now) or
    /// `{go: false, permit: null, waitMs}` (ask again later). `nowMs` defaults to
    /// `performance.now()`.
    pub fn acquire(&mut self, tokens: JsValue, now_ms: JsValue) -> JsResult<JsValue> {
        let now = if now_ms.is_undefined() {
            lift(calls::limiter_now(&JsValue::from_f64(clock_ms())))?
        } else {
            lift(calls::limiter_now(&now_ms))?
        };
        lift(calls::limiter_acquire(&mut self.inner, &tokens, now)).map(|v| value_to_js(&v))
    }

    /// `recordUsage(permit, actualTokens)`: replaces a permit's reserved tokens with the real
    /// usage; false when the permit is already recorded or more than a minute old.
    #[wasm_bindgen(js_name = recordUsage)]
    pub fn record_usage(&mut self, permit: JsValue, actual_tokens: JsValue) -> JsResult<bool> {
        lift(calls::limiter_record(
            &mut self.inner,
            &permit,
            &actual_tokens,
        ))
    }

    /// The limits enforced, `{rpm, tpm}`.
    #[wasm_bindgen(getter)]
    pub fn limits(&self) -> JsValue {
        value_to_js(&self.inner.limits())
    }

    /// Permits handed out and not yet recorded or expired (bounded: at most a minute's worth).
    #[wasm_bindgen(getter, js_name = pendingPermits)]
    pub fn pending_permits(&self) -> usize {
        self.inner.tracked_permits()
    }
}

/// `wasmMemoryBytes()`: the size of the WebAssembly linear memory in bytes. It only grows;
/// steady use of the API leaves it unchanged (the package tests check 10,000 calls).
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) * 65536) as f64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}
