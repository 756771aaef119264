//! Moving values across the JS boundary: arguments ([`Arg`] for `JsValue`), results
//! ([`Output`]), the thrown `QwenMeterError`, and the `RateLimiter` class. The exported
//! functions themselves are generated from the table in [`crate::exports`].
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
pub type JsResult<T> = Result<T, JsValue>;

/// An [`ApiResult`] as a JS result: the error becomes the thrown `QwenMeterError`.
pub fn lift<T>(r: ApiResult<T>) -> JsResult<T> {
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
    fn to_bytes(&self) -> Option<Vec<u8>> {
        if let Some(typed) = self.dyn_ref::<Uint8Array>() {
            return Some(typed.to_vec());
        }
        // A plain array of byte values (as the native fixtures pass them).
        let items = self.dyn_ref::<Array>()?;
        items
            .iter()
            .map(|x| {
                x.as_f64()
                    .filter(|b| b.fract() == 0.0 && (0.0..=255.0).contains(b))
                    .map(|b| b as u8)
            })
            .collect()
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

/// A JSON result as a JS value (`JSON.parse` of its text: one crossing, native parsing).
fn value_to_js(v: &Value) -> JsValue {
    let text = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL)
}

/// A result of a JS export (see [`crate::exports`]), as JS receives it and as the native
/// dispatcher writes it in JSON. Both forms must agree: the fixtures compare them.
pub trait Output: Sized {
    /// The value handed to JS.
    fn into_js(self, func: &str) -> JsResult<JsValue>;
    /// The same value as JSON data.
    fn into_json(self, func: &str) -> ApiResult<Value>;
}

impl Output for usize {
    fn into_js(self, _: &str) -> JsResult<JsValue> {
        Ok(JsValue::from_f64(self as f64))
    }
    fn into_json(self, _: &str) -> ApiResult<Value> {
        Ok(Value::from(self))
    }
}

impl Output for f64 {
    fn into_js(self, _: &str) -> JsResult<JsValue> {
        Ok(JsValue::from_f64(self))
    }
    fn into_json(self, _: &str) -> ApiResult<Value> {
        Ok(Value::from(self))
    }
}

impl Output for bool {
    fn into_js(self, _: &str) -> JsResult<JsValue> {
        Ok(JsValue::from_bool(self))
    }
    fn into_json(self, _: &str) -> ApiResult<Value> {
        Ok(Value::from(self))
    }
}

impl Output for String {
    fn into_js(self, _: &str) -> JsResult<JsValue> {
        Ok(JsValue::from_str(&self))
    }
    fn into_json(self, _: &str) -> ApiResult<Value> {
        Ok(Value::from(self))
    }
}

/// `isWithinTokenLimit`: the count, or `false` once over the limit.
impl Output for Option<usize> {
    fn into_js(self, _: &str) -> JsResult<JsValue> {
        Ok(match self {
            Some(n) => JsValue::from_f64(n as f64),
            None => JsValue::FALSE,
        })
    }
    fn into_json(self, _: &str) -> ApiResult<Value> {
        Ok(self.map_or(Value::Bool(false), Value::from))
    }
}

/// Token ids: a plain array of numbers (filled from one `Uint32Array` copy).
impl Output for Vec<u32> {
    fn into_js(self, _: &str) -> JsResult<JsValue> {
        Ok(Array::from(&Uint32Array::from(&self[..])).into())
    }
    fn into_json(self, _: &str) -> ApiResult<Value> {
        Ok(Value::from(self))
    }
}

/// Raw bytes: a `Uint8Array`.
impl Output for Vec<u8> {
    fn into_js(self, _: &str) -> JsResult<JsValue> {
        Ok(Uint8Array::from(&self[..]).into())
    }
    fn into_json(self, _: &str) -> ApiResult<Value> {
        Ok(Value::from(self))
    }
}

/// JSON data the Rust side built (catalog entries, costs, plans): parsed by JS in one go.
impl Output for Value {
    fn into_js(self, _: &str) -> JsResult<JsValue> {
        Ok(value_to_js(&self))
    }
    fn into_json(self, _: &str) -> ApiResult<Value> {
        Ok(self)
    }
}

/// Lists of small records: serialized straight to JS objects.
macro_rules! serialized_output {
    ($($t:ty),*) => {$(
        impl Output for $t {
            fn into_js(self, func: &str) -> JsResult<JsValue> {
                to_js(func, &self)
            }
            fn into_json(self, func: &str) -> ApiResult<Value> {
                serde_json::to_value(self)
                    .map_err(|e| ApiError::new(api::ErrorCode::InvalidArgument, func, e))
            }
        }
    )*};
}

serialized_output!(Vec<api::JsSpan>, Vec<api::SpecialToken>);

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
