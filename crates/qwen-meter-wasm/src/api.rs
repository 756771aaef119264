//! The JavaScript API in plain Rust: argument validation, option parsing and result shapes.
//!
//! Everything here is target independent, so the native fixture generator
//! (`src/bin/fixtures.rs`) and the unit tests run exactly the code the WASM build runs. The
//! [`crate::bindings`] layer only moves values across the JS boundary: it turns JS values into
//! `&str`, `f64` or [`serde_json::Value`], calls a function here, and turns the result (or the
//! [`ApiError`]) back into JS.
//!
//! Error messages follow one pattern, `"<jsFunction>: <where>: <what>"`, for example
//! `countTokens: options.generation: unknown generation "gpt" (expected "qwen", "qwen2",
//! "qwen2.5", "qwen3" or "qwen3.5")`, so the caller learns which call, which argument or field,
//! and why.
//!
//! The Qwen3.5 vocabulary is not compiled into the package (it would double the download): JS
//! installs it on first use ([`install_vocabulary`]), and until then every call that would
//! tokenize with it fails with [`ErrorCode::VocabularyNotLoaded`] before doing anything, so the
//! Node entries can load the file and call again, and browsers get an error that names the
//! call to make. A Qwen3.5 model is never counted with the Qwen3 vocabulary instead.

use std::fmt;

use qwen_meter::{DecodeError, Generation, Keep, TokenSpan, Tokenizer};
use serde::Serialize;
use serde_json::Value;

/// What went wrong, as the `code` property of the thrown `QwenMeterError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// An argument has the wrong type, range or shape.
    InvalidArgument,
    /// Token ids could not be decoded.
    Decode,
    /// A model, region or catalog problem (unknown id, malformed catalog file).
    Catalog,
    /// A cost could not be computed (limits exceeded, option not offered).
    Cost,
    /// A chat conversation is malformed or could not be rendered.
    Chat,
    /// The call needs a vocabulary that is loaded on first use (Qwen3.5) and is not loaded
    /// yet: `await loadVocabulary('qwen3.5')` (the Node entries load it by themselves).
    VocabularyNotLoaded,
}

impl ErrorCode {
    /// The string JS sees in `error.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::Decode => "DECODE",
            ErrorCode::Catalog => "CATALOG",
            ErrorCode::Cost => "COST",
            ErrorCode::Chat => "CHAT",
            ErrorCode::VocabularyNotLoaded => "VOCABULARY_NOT_LOADED",
        }
    }
}

/// An error thrown to JS as a `QwenMeterError` with `message` and `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The kind of error.
    pub code: ErrorCode,
    /// The full message, starting with the JS function name.
    pub message: String,
}

impl ApiError {
    /// An error of `code` raised by JS function `func`.
    pub fn new(code: ErrorCode, func: &str, what: impl fmt::Display) -> ApiError {
        ApiError {
            code,
            message: format!("{func}: {what}"),
        }
    }

    /// An [`ErrorCode::InvalidArgument`] error about the argument or field `place`.
    pub fn invalid(func: &str, place: &str, what: impl fmt::Display) -> ApiError {
        ApiError::new(
            ErrorCode::InvalidArgument,
            func,
            format_args!("{place}: {what}"),
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

/// Result of an API function.
pub type ApiResult<T> = Result<T, ApiError>;

/// The kind of a JS value, as error messages name it (`got number`, `got undefined`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `undefined`.
    Undefined,
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// A JS number.
    Number,
    /// A JS string.
    String,
    /// A JS array.
    Array,
    /// Any other object.
    Object,
    /// `bigint`, `symbol`, `function`: values JSON cannot hold.
    Other(&'static str),
}

impl Kind {
    /// The kind of a JSON value.
    pub fn of(v: &Value) -> Kind {
        match v {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Boolean,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Undefined => "undefined",
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
            Kind::Other(name) => name,
        }
    }
}

/// `"<place>: expected <expected>, got <kind>"`.
pub fn type_error(func: &str, place: &str, expected: &str, got: Kind) -> ApiError {
    ApiError::invalid(
        func,
        place,
        format_args!("expected {expected}, got {}", got.name()),
    )
}

/// The generation names accepted in options, for messages.
const GENERATIONS: &str = r#""qwen", "qwen2", "qwen2.5", "qwen3" or "qwen3.5""#;

/// Tokenizer choice common to every tokenizer function: `{generation, ordinary}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokOptions {
    /// Which generation's special tokens (default Qwen3).
    pub generation: Generation,
    /// Treat special-token text as plain text (default false: `<|im_start|>` is one token).
    pub ordinary: bool,
}

impl Default for TokOptions {
    fn default() -> TokOptions {
        TokOptions {
            generation: Generation::Qwen3,
            ordinary: false,
        }
    }
}

impl TokOptions {
    /// The tokenizer chosen. [`tok_options`] has checked that it is available; options built
    /// by hand with a generation whose vocabulary is not loaded get the error here.
    pub fn tokenizer(&self) -> &'static Tokenizer {
        Tokenizer::for_generation(self.generation)
    }
}

/// The name users know a generation's vocabulary by, in messages: `"Qwen3.5"`.
fn vocabulary_name(generation: Generation) -> &'static str {
    match generation {
        Generation::Qwen3_5 => "Qwen3.5",
        _ => "Qwen3",
    }
}

/// The tokenizer of `generation`, or the [`ErrorCode::VocabularyNotLoaded`] error naming
/// `place` (the argument that chose it) and the call that loads it. `model` is the model id
/// when a model chose the generation.
pub fn tokenizer_for(
    func: &str,
    place: &str,
    generation: Generation,
    model: Option<&str>,
) -> ApiResult<&'static Tokenizer> {
    Tokenizer::try_for_generation(generation).ok_or_else(|| {
        let name = generation.name();
        let why = match model {
            Some(id) => format!(
                "{id:?} counts with the {} vocabulary, which",
                vocabulary_name(generation)
            ),
            None => format!("the {} vocabulary", vocabulary_name(generation)),
        };
        ApiError::new(
            ErrorCode::VocabularyNotLoaded,
            func,
            format_args!(
                "{place}: {why} is not loaded yet: call `await loadVocabulary('{name}')` first \
                 (or installVocabulary('{name}', bytes) with the file's bytes)"
            ),
        )
    })
}

/// Whether the vocabulary of `generation` is available now (`hasVocabulary`).
pub fn has_vocabulary(generation: Generation) -> bool {
    Tokenizer::try_for_generation(generation).is_some()
}

/// `installVocabulary(generation, bytes)`: makes a generation whose vocabulary is loaded on
/// first use (Qwen3.5) available from its compact file (`qwen3_5.vocab` of the package).
/// Returns true when this call installed it, false when it was available already (then
/// `bytes` are not read).
pub fn install_vocabulary(func: &str, generation: Generation, bytes: &[u8]) -> ApiResult<bool> {
    if has_vocabulary(generation) {
        return Ok(false);
    }
    Tokenizer::install_compact(generation, bytes)
        .map_err(|e| ApiError::invalid(func, "bytes", e))?;
    Ok(true)
}

/// The fields an options object may have, for the "unknown option" message.
fn check_fields(
    func: &str,
    place: &str,
    map: &serde_json::Map<String, Value>,
    allowed: &[&str],
) -> ApiResult<()> {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            let list = allowed
                .iter()
                .map(|a| format!("{a:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ApiError::invalid(
                func,
                &format!("{place}.{key}"),
                format_args!("unknown option (allowed: {list})"),
            ));
        }
    }
    Ok(())
}

/// The options object as a map; `undefined`/`null` (passed as `Value::Null`) is empty.
fn options_map<'a>(
    func: &str,
    opts: &'a Value,
) -> ApiResult<Option<&'a serde_json::Map<String, Value>>> {
    match opts {
        Value::Null => Ok(None),
        Value::Object(m) => Ok(Some(m)),
        other => Err(type_error(func, "options", "an object", Kind::of(other))),
    }
}

/// A field of an options object; `null` counts as absent (JS `undefined` arrives as `null`).
fn field<'a>(map: Option<&'a serde_json::Map<String, Value>>, name: &str) -> Option<&'a Value> {
    map.and_then(|m| m.get(name)).filter(|v| !v.is_null())
}

/// Parses a generation name (`"qwen3"`, `"qwen2.5"`, ...) at `place`.
pub fn parse_generation(func: &str, place: &str, v: &Value) -> ApiResult<Generation> {
    let Value::String(name) = v else {
        return Err(type_error(func, place, "a generation name", Kind::of(v)));
    };
    let generation = Generation::from_name(name).ok_or_else(|| {
        ApiError::invalid(
            func,
            place,
            format_args!("unknown generation {name:?} (expected {GENERATIONS})"),
        )
    })?;
    Ok(generation)
}

fn parse_bool(func: &str, place: &str, v: &Value) -> ApiResult<bool> {
    v.as_bool()
        .ok_or_else(|| type_error(func, place, "a boolean", Kind::of(v)))
}

/// Parses `{generation?, ordinary?}` plus any `extra` fields the caller handles itself.
pub fn tok_options(func: &str, opts: &Value, extra: &[&str]) -> ApiResult<TokOptions> {
    let map = options_map(func, opts)?;
    if let Some(m) = map {
        let mut allowed = vec!["generation", "ordinary"];
        allowed.extend_from_slice(extra);
        check_fields(func, "options", m, &allowed)?;
    }
    let mut o = TokOptions::default();
    if let Some(g) = field(map, "generation") {
        o.generation = parse_generation(func, "options.generation", g)?;
        tokenizer_for(func, "options.generation", o.generation, None)?;
    }
    if let Some(b) = field(map, "ordinary") {
        o.ordinary = parse_bool(func, "options.ordinary", b)?;
    }
    Ok(o)
}

/// Parses truncate's options: `{keep?: "start" | "end", generation?, ordinary?}`.
pub fn truncate_options(func: &str, opts: &Value) -> ApiResult<(TokOptions, Keep)> {
    let o = tok_options(func, opts, &["keep"])?;
    let keep = match field(options_map(func, opts)?, "keep") {
        None => Keep::Start,
        Some(Value::String(s)) if s == "start" => Keep::Start,
        Some(Value::String(s)) if s == "end" => Keep::End,
        Some(Value::String(s)) => {
            return Err(ApiError::invalid(
                func,
                "options.keep",
                format_args!(r#"expected "start" or "end", got {s:?}"#),
            ));
        }
        Some(v) => {
            return Err(type_error(
                func,
                "options.keep",
                r#""start" or "end""#,
                Kind::of(v),
            ));
        }
    };
    Ok((o, keep))
}

/// Largest integer a JS number holds exactly (2^53 - 1).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A non-negative integer count (token limit, token number) given as a JS number.
///
/// `Infinity` means "no limit" and becomes `usize::MAX`; integers beyond what `usize` holds on
/// the target (2^32 - 1 on wasm32) saturate, since no text has that many tokens.
pub fn count_arg(func: &str, place: &str, v: Option<f64>, got: Kind) -> ApiResult<usize> {
    let Some(x) = v else {
        return Err(type_error(func, place, "a non-negative integer", got));
    };
    if x == f64::INFINITY {
        return Ok(usize::MAX);
    }
    if !(x >= 0.0 && x.fract() == 0.0 && x <= MAX_SAFE_INTEGER) {
        return Err(ApiError::invalid(
            func,
            place,
            format_args!("expected a non-negative integer, got {}", js_number(x)),
        ));
    }
    Ok(if x >= usize::MAX as f64 {
        usize::MAX
    } else {
        x as usize
    })
}

/// A non-negative integer (token count) given as a JS number, up to 2^53 - 1.
pub fn u64_arg(func: &str, place: &str, v: Option<f64>, got: Kind) -> ApiResult<u64> {
    let Some(x) = v else {
        return Err(type_error(func, place, "a non-negative integer", got));
    };
    if !(x >= 0.0 && x.fract() == 0.0 && x <= MAX_SAFE_INTEGER) {
        return Err(ApiError::invalid(
            func,
            place,
            format_args!("expected a non-negative integer, got {}", js_number(x)),
        ));
    }
    Ok(x as u64)
}

/// A token id given as a JS number: an integer in 0..=2^32-1.
pub fn token_id_arg(func: &str, place: &str, v: Option<f64>, got: Kind) -> ApiResult<u32> {
    let Some(x) = v else {
        return Err(type_error(func, place, "a token id (integer)", got));
    };
    if !(x >= 0.0 && x.fract() == 0.0 && x <= u32::MAX as f64) {
        return Err(ApiError::invalid(
            func,
            place,
            format_args!(
                "expected a token id (integer from 0 to 4294967295), got {}",
                js_number(x)
            ),
        ));
    }
    Ok(x as u32)
}

/// A JSON object argument read field by field, with messages that name `place.field`.
pub struct Obj<'a> {
    func: &'a str,
    place: &'a str,
    map: &'a serde_json::Map<String, Value>,
}

impl<'a> Obj<'a> {
    /// Reads `v` as an object whose fields are all in `allowed`.
    pub fn new(func: &'a str, place: &'a str, v: &'a Value, allowed: &[&str]) -> ApiResult<Self> {
        let Value::Object(map) = v else {
            return Err(type_error(func, place, "an object", Kind::of(v)));
        };
        check_fields(func, place, map, allowed)?;
        Ok(Obj { func, place, map })
    }

    /// The function name, for messages.
    pub fn func(&self) -> &'a str {
        self.func
    }

    /// `place.key`, for messages.
    pub fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.place)
    }

    /// A field; `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// Whether the field is present (and not null).
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// An optional string field.
    pub fn str(&self, key: &str) -> ApiResult<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => Err(type_error(
                self.func,
                &self.at(key),
                "a string",
                Kind::of(v),
            )),
        }
    }

    /// A required string field.
    pub fn req_str(&self, key: &str) -> ApiResult<&'a str> {
        self.str(key)?
            .ok_or_else(|| ApiError::invalid(self.func, &self.at(key), "is required (a string)"))
    }

    /// An optional boolean field.
    pub fn bool(&self, key: &str) -> ApiResult<Option<bool>> {
        self.get(key)
            .map(|v| parse_bool(self.func, &self.at(key), v))
            .transpose()
    }

    /// An optional non-negative integer field (a token count), up to 2^53 - 1.
    pub fn u64(&self, key: &str) -> ApiResult<Option<u64>> {
        self.get(key)
            .map(|v| u64_value(self.func, &self.at(key), v))
            .transpose()
    }
}

/// A non-negative integer (token count) as JSON, up to 2^53 - 1 (what JS numbers hold).
pub fn u64_value(func: &str, place: &str, v: &Value) -> ApiResult<u64> {
    u64_arg(func, place, v.as_f64(), Kind::of(v))
}

/// Formats a number as JS prints it, for messages (`-1`, `1.5`, `NaN`).
pub fn js_number(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if x.fract() == 0.0 && x.abs() < 1e21 {
        format!("{}", x as i128)
    } else {
        format!("{x}")
    }
}

/// `countTokens(text, options)`.
pub fn count_tokens(text: &str, o: &TokOptions) -> usize {
    let tok = o.tokenizer();
    if o.ordinary {
        tok.count_ordinary(text)
    } else {
        tok.count(text)
    }
}

/// `encode(text, options)`.
pub fn encode(text: &str, o: &TokOptions) -> Vec<u32> {
    let tok = o.tokenizer();
    if o.ordinary {
        tok.encode_ordinary(text)
    } else {
        tok.encode(text)
    }
}

/// `isWithinTokenLimit(text, limit, options)`: `Some(count)` or `None` (JS `false`).
pub fn within_limit(text: &str, limit: usize, o: &TokOptions) -> Option<usize> {
    let tok = o.tokenizer();
    if o.ordinary {
        tok.count_ordinary_within(text, limit)
    } else {
        tok.count_within(text, limit)
    }
}

/// `truncate(text, maxTokens, options)`: the kept slice.
pub fn truncate<'a>(text: &'a str, max: usize, keep: Keep, o: &TokOptions) -> &'a str {
    let tok = o.tokenizer();
    if o.ordinary {
        tok.truncate_ordinary(text, max, keep)
    } else {
        tok.truncate(text, max, keep)
    }
}

/// `decode(ids, options)`.
pub fn decode(func: &str, ids: &[u32], o: &TokOptions) -> ApiResult<String> {
    o.tokenizer()
        .decode(ids)
        .map_err(|e| decode_error(func, &e))
}

/// `decodeBytes(ids, options)`.
pub fn decode_bytes(func: &str, ids: &[u32], o: &TokOptions) -> ApiResult<Vec<u8>> {
    o.tokenizer()
        .decode_bytes(ids)
        .map_err(|e| decode_error(func, &e))
}

fn decode_error(func: &str, e: &DecodeError) -> ApiError {
    // The core's hint names its Rust method; point JS callers at theirs.
    let msg = e.to_string().replace("decode_bytes", "decodeBytes");
    ApiError::new(ErrorCode::Decode, func, msg)
}

/// One token of `encodeWithOffsets`: id, UTF-16 range (`start`, `end`, what JS strings index)
/// and UTF-8 byte range (`byteStart`, `byteEnd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JsSpan {
    /// Token id.
    pub id: u32,
    /// Start in UTF-16 code units (`text.slice(start, end)`).
    pub start: u32,
    /// End in UTF-16 code units, exclusive.
    pub end: u32,
    /// Start byte offset in the UTF-8 encoding of the text.
    pub byte_start: u32,
    /// End byte offset, exclusive.
    pub byte_end: u32,
}

/// Maps byte offsets of `text` (on character boundaries) to UTF-16 offsets, walking forward
/// from the last answer; tokens come in text order so the walk is linear overall.
struct Utf16Cursor<'a> {
    text: &'a str,
    byte: usize,
    unit: usize,
}

impl<'a> Utf16Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Utf16Cursor {
            text,
            byte: 0,
            unit: 0,
        }
    }

    fn advance_to(&mut self, target: usize) -> usize {
        if target < self.byte {
            // Not expected (offsets are monotone), but stay correct: restart from the top.
            self.byte = 0;
            self.unit = 0;
        }
        let seg = &self.text[self.byte..target];
        // ASCII is one unit per byte; count the rest by character.
        self.unit += if seg.is_ascii() {
            seg.len()
        } else {
            seg.chars().map(char::len_utf16).sum()
        };
        self.byte = target;
        self.unit
    }
}

/// `encodeWithOffsets(text, options)`.
pub fn encode_with_offsets(text: &str, o: &TokOptions) -> Vec<JsSpan> {
    let tok = o.tokenizer();
    let spans: Vec<TokenSpan> = if o.ordinary {
        tok.encode_ordinary_with_offsets(text)
    } else {
        tok.encode_with_offsets(text)
    };
    let mut starts = Utf16Cursor::new(text);
    let mut ends = Utf16Cursor::new(text);
    spans
        .iter()
        .map(|s| JsSpan {
            id: s.id,
            start: starts.advance_to(s.start) as u32,
            end: ends.advance_to(s.end) as u32,
            byte_start: s.start as u32,
            byte_end: s.end as u32,
        })
        .collect()
}

/// `specialTokens(options)`: `{text, id}` pairs in id order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecialToken {
    /// The token's text, such as `<|im_start|>`.
    pub text: String,
    /// Its id.
    pub id: u32,
}

/// `specialTokens(options)`.
pub fn special_tokens(o: &TokOptions) -> Vec<SpecialToken> {
    o.tokenizer()
        .special_tokens()
        .into_iter()
        .map(|(text, id)| SpecialToken {
            text: text.to_string(),
            id,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The one test that installs the Qwen3.5 vocabulary in this process (the others leave
    /// it alone, so "not loaded" holds until here when the core is built without it).
    #[test]
    fn qwen3_5_fails_until_installed_then_counts_with_its_vocabulary() {
        let q35 = json!({"generation": "qwen3.5"});
        if !has_vocabulary(Generation::Qwen3_5) {
            let e = tok_options("countTokens", &q35, &[]).unwrap_err();
            assert_eq!(e.code, ErrorCode::VocabularyNotLoaded);
            assert_eq!(
                e.message,
                "countTokens: options.generation: the Qwen3.5 vocabulary is not loaded yet: call \
                 `await loadVocabulary('qwen3.5')` first (or installVocabulary('qwen3.5', bytes) \
                 with the file's bytes)"
            );
            let e =
                install_vocabulary("installVocabulary", Generation::Qwen3_5, b"QMV3").unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidArgument);
            assert!(
                e.message.starts_with("installVocabulary: bytes: "),
                "{}",
                e.message
            );
            assert!(!has_vocabulary(Generation::Qwen3_5));
            let bytes = include_bytes!("../../qwen-meter-tokenizer/data/qwen3_5.vocab");
            assert!(install_vocabulary("installVocabulary", Generation::Qwen3_5, bytes).unwrap());
        }
        assert!(!install_vocabulary("installVocabulary", Generation::Qwen3_5, b"").unwrap());
        let o = tok_options("encode", &q35, &[]).unwrap();
        assert_eq!(encode("人工智能", &o), [109015]);
        assert_eq!(encode("<|im_start|>", &o), [248045]);
        assert_ne!(encode("人工智能", &TokOptions::default()), [109015]);
    }

    #[test]
    fn options_parse_and_errors_name_the_field() {
        let o = tok_options("countTokens", &json!({"generation": "qwen2.5"}), &[]).unwrap();
        assert_eq!(o.generation, Generation::Qwen2_5);
        assert!(!o.ordinary);
        assert_eq!(
            tok_options("countTokens", &Value::Null, &[]).unwrap(),
            TokOptions::default()
        );
        let e = tok_options("countTokens", &json!({"generation": "gpt"}), &[]).unwrap_err();
        assert_eq!(
            e.message,
            r#"countTokens: options.generation: unknown generation "gpt" (expected "qwen", "qwen2", "qwen2.5", "qwen3" or "qwen3.5")"#
        );
        let e = tok_options("encode", &json!({"ordinary": 1}), &[]).unwrap_err();
        assert_eq!(
            e.message,
            "encode: options.ordinary: expected a boolean, got number"
        );
        let e = tok_options("encode", &json!({"keep": "end"}), &[]).unwrap_err();
        assert!(
            e.message
                .starts_with("encode: options.keep: unknown option")
        );
        let e = tok_options("encode", &json!("qwen3"), &[]).unwrap_err();
        assert_eq!(e.message, "encode: options: expected an object, got string");
        let (_, keep) = truncate_options("truncate", &json!({"keep": "end"})).unwrap();
        assert_eq!(keep, Keep::End);
        let e = truncate_options("truncate", &json!({"keep": "middle"})).unwrap_err();
        assert_eq!(
            e.message,
            r#"truncate: options.keep: expected "start" or "end", got "middle""#
        );
    }

    #[test]
    fn numbers_are_checked() {
        let f = |x: f64| count_arg("truncate", "maxTokens", Some(x), Kind::Number);
        assert_eq!(f(3.0).unwrap(), 3);
        assert_eq!(f(f64::INFINITY).unwrap(), usize::MAX);
        assert_eq!(
            f(-1.0).unwrap_err().message,
            "truncate: maxTokens: expected a non-negative integer, got -1"
        );
        assert!(f(1.5).unwrap_err().message.ends_with("got 1.5"));
        assert!(f(f64::NAN).unwrap_err().message.ends_with("got NaN"));
        let e = count_arg("truncate", "maxTokens", None, Kind::String).unwrap_err();
        assert_eq!(
            e.message,
            "truncate: maxTokens: expected a non-negative integer, got string"
        );
    }

    #[test]
    fn utf16_offsets_index_js_strings() {
        let text = "a👋é\u{301}x<|im_end|>中";
        let spans = encode_with_offsets(text, &TokOptions::default());
        let units: Vec<u16> = text.encode_utf16().collect();
        for s in &spans {
            let bytes = &text[s.byte_start as usize..s.byte_end as usize];
            let js = String::from_utf16(&units[s.start as usize..s.end as usize]).unwrap();
            assert_eq!(bytes, js);
        }
        assert_eq!(spans.last().unwrap().end as usize, units.len());
    }

    #[test]
    fn decode_errors_carry_the_core_message() {
        let e = decode("decode", &[9707, 999_999], &TokOptions::default()).unwrap_err();
        assert_eq!(e.code, ErrorCode::Decode);
        assert_eq!(e.message, "decode: unknown token id 999999 at position 1");
    }
}
