//! WebAssembly bindings of [`qwen_meter`], packaged as the npm package `qwen-meter`.
//!
//! - [`api`]: the JS API in plain Rust (option parsing, checks, result shapes, errors).
//! - [`pricing`]: catalog, cost, context fit and rate limits (the active catalog lives here).
//! - [`chat`]: chat messages and options, rendered and counted with the model's template.
//! - [`calls`]: one function per JS export, generic over the argument representation, so the
//!   native fixture generator predicts exactly what the WASM build answers.
//! - [`document`]: `createDocument`, an editable text whose count follows its edits.
//! - [`bindings`]: the `#[wasm_bindgen]` exports (JS values in, JS values or a thrown
//!   `QwenMeterError` out).
//!
//! The npm package (`npm/`), its build (`build.sh`) and tests (`test.sh`) live beside this
//! crate; see `npm/README.md`.

pub mod api;
pub mod bindings;
pub mod calls;
pub mod chat;
pub mod document;
pub mod pricing;
