//! The JS surface of the package in one table: each line names a JS function, the Rust
//! function that implements it and its parameters.
//!
//! [`js_exports!`] turns the table into everything that must agree with it:
//! - a `#[wasm_bindgen]` wrapper per line (JS values in, the result as a JS value or a thrown
//!   `QwenMeterError` out), which wasm-bindgen puts in the glue that `build.sh` reads to write
//!   the export lists of the ESM, CommonJS and browser entries (`npm/gen-entries.mjs`);
//! - [`dispatch`], the same calls on JSON arguments, which the native fixture generator runs
//!   to predict what the WASM build answers;
//! - [`NAMES`], the list the npm tests compare the entries' exports with.
//!
//! Adding a JS export is therefore one Rust function taking `&impl Arg` per parameter and
//! returning `ApiResult<T>` (`T` one of the types [`Output`] knows), plus one line here (and
//! its declaration in the hand-written `npm/index.d.ts`). A parameter named `ids` is turned
//! into a `Uint32Array` by the entries before it crosses (see `npm/shared.js`).

use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::api::{self, ApiError, ApiResult};
use crate::bindings::{JsResult, Output, lift};
use crate::calls::{self, Json};

/// Generates the wrappers, [`dispatch`] and [`NAMES`] from the table below.
macro_rules! js_exports {
    ($( $(#[$doc:meta])* $js:ident = $func:path [ $($arg:ident),* ]; )*) => {
        $(
            $(#[$doc])*
            #[allow(non_snake_case)]
            #[wasm_bindgen]
            pub fn $js($($arg: JsValue),*) -> JsResult<JsValue> {
                lift($func($(&$arg),*))?.into_js(stringify!($js))
            }
        )*

        /// Runs the export `name` on JSON arguments (missing ones are `undefined`) and returns
        /// its result as JSON, as JS would see it (`isWithinTokenLimit`'s "over" is `false`).
        #[allow(non_snake_case)] // the table's parameter names are the JS ones
        pub fn dispatch(name: &str, args: &[Value]) -> ApiResult<Value> {
            #[allow(unused_mut, unused_variables)]
            let mut next = args.iter().map(Some).chain(std::iter::repeat(None));
            match name {
                $(
                    stringify!($js) => {
                        $( let $arg = Json(next.next().flatten()); )*
                        $func($(&$arg),*)?.into_json(name)
                    }
                )*
                _ => Err(ApiError::new(
                    api::ErrorCode::InvalidArgument,
                    name,
                    "no such function",
                )),
            }
        }

        /// The JS names of the table's functions, in table order.
        pub const NAMES: &[&str] = &[$(stringify!($js)),*];
    };
}

js_exports! {
    /// `countTokens(text, options?)`: number of tokens.
    countTokens = calls::count_tokens[text, options];
    /// `encode(text, options?)`: token ids as an array of numbers.
    encode = calls::encode[text, options];
    /// `decode(ids, options?)`: the text of token ids.
    decode = calls::decode[ids, options];
    /// `decodeBytes(ids, options?)`: the raw bytes of token ids (for ids that split a
    /// character).
    decodeBytes = calls::decode_bytes[ids, options];
    /// `encodeWithOffsets(text, options?)`: `{id, start, end, byteStart, byteEnd}` per token.
    encodeWithOffsets = calls::encode_with_offsets[text, options];
    /// `isWithinTokenLimit(text, limit, options?)`: the count, or `false` once it passes
    /// `limit`.
    isWithinTokenLimit = calls::is_within_token_limit[text, limit, options];
    /// `truncate(text, maxTokens, options?)`: the longest start (or end, `{keep: "end"}`) of
    /// `text` with at most `maxTokens` tokens.
    truncate = calls::truncate[text, maxTokens, options];
    /// `specialTokens(options?)`: `{text, id}` for each special token of the generation.
    specialTokens = calls::special_tokens[options];
    /// `wasmMemoryBytes()`: the size of the WebAssembly linear memory in bytes. It only grows;
    /// steady use of the API leaves it unchanged (the package tests check 10,000 calls).
    wasmMemoryBytes = calls::wasm_memory_bytes[];
    /// `countChat(messages, options?)`: prompt tokens of the conversation as the model sees it.
    countChat = calls::count_chat[messages, options];
    /// `renderChat(messages, options?)`: the prompt text the chat template produces.
    renderChat = calls::render_chat[messages, options];
    /// `encodeChat(messages, options?)`: token ids of the rendered conversation.
    encodeChat = calls::encode_chat[messages, options];
    /// `estimateCost(request)`: exact cost with breakdown and tier.
    estimateCost = calls::estimate_cost[request];
    /// `countImageTokens({width, height}, options?)`: an image's tokens by Qwen's
    /// `smart_resize`.
    countImageTokens = calls::count_image_tokens[size, options];
    /// `imageSize(bytes)`: `{width, height}` from the first bytes of an image file.
    imageSize = calls::image_size[bytes];
    /// `fitsContext(request)`: whether a prompt plus reserved output fits the model.
    fitsContext = calls::fits_context[request];
    /// `truncateToFit(text, options)`: the longest start (or end) of `text` that fits the
    /// model.
    truncateToFit = calls::truncate_to_fit[text, options];
    /// `planRequests(request)`: minimum time to send a batch within RPM and TPM.
    planRequests = calls::plan_requests[request];
    /// `listModels()`: every model of the active catalog.
    listModels = calls::list_models[];
    /// `getModel(id)`: the model an id, alias or dated snapshot resolves to.
    getModel = calls::get_model[id];
    /// `catalogInfo()`: `{asOf, models, sources, custom}` of the active catalog.
    catalogInfo = calls::catalog_info[];
    /// `loadCatalog(json, options?)`: use your own catalog (or, with `{override: true}`, the
    /// built-in one patched by your model entries) in every later call.
    loadCatalog = calls::load_catalog[catalog, options];
    /// `resetCatalog()`: back to the built-in catalog.
    resetCatalog = calls::reset_catalog[];
    /// `hasVocabulary(generation)`: whether the generation's vocabulary is loaded (Qwen3.5's
    /// comes as a second file, loaded on first use).
    hasVocabulary = calls::has_vocabulary[generation];
    /// `installVocabulary(generation, bytes)`: installs the Qwen3.5 vocabulary from the bytes
    /// of the package's `qwen3_5.vocab`; true when this call installed it.
    installVocabulary = calls::install_vocabulary[generation, bytes];
    /// `createDocument(text, options?)`: an editable text whose count follows its edits (a
    /// `Document` object holding WebAssembly memory; see `document.rs`).
    createDocument = crate::document::DocumentCalls::create[text, options];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_dispatched() {
        let mut seen = std::collections::HashSet::new();
        for name in NAMES {
            assert!(seen.insert(name), "{name} twice in the table");
            let e = dispatch(
                name,
                &[Value::Bool(true), Value::Bool(true), Value::Bool(true)],
            );
            if let Err(e) = e {
                assert_ne!(e.message, format!("{name}: no such function"));
            }
        }
        assert_eq!(
            dispatch("nope", &[]).unwrap_err().message,
            "nope: no such function"
        );
    }
}
