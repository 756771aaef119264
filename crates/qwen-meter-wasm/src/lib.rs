//! WebAssembly bindings of [`qwen_meter`], packaged as the npm package `qwen-meter`.
//!
//! - [`api`]: the JS API in plain Rust (option parsing, checks, result shapes, errors).
//! - [`pricing`]: catalog, cost, context fit and rate limits (the active catalog lives here).
//! - [`chat`]: chat messages and options, rendered and counted with the model's template.
//! - [`media`]: image tokens and image sizes.
//! - [`calls`]: one function per JS export, generic over the argument representation, so the
//!   native fixture generator predicts exactly what the WASM build answers.
//! - [`exports`]: the table of the JS surface; it generates the `#[wasm_bindgen]` wrappers,
//!   the native dispatcher and the list of names the npm entries are checked against.
//! - [`bindings`]: moving values across the JS boundary (arguments, results, the thrown
//!   `QwenMeterError`) and the `RateLimiter` class.
//! - [`document`]: `createDocument`, an editable text whose count follows its edits.
//!
//! The npm package (`npm/`), its build (`build.sh`) and tests (`test.sh`) live beside this
//! crate; see `npm/README.md`.

pub mod api;
pub mod bindings;
pub mod calls;
pub mod chat;
pub mod document;
pub mod exports;
pub mod media;
pub mod pricing;
