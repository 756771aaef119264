//! Python bindings of [`qwen_meter`]: the native module `qwen_meter._native`, re-exported by
//! the pure-Python package `qwen_meter` (python/qwen_meter), which adds the Spark and Ray
//! helpers and the type stubs.
//!
//! - [`tokenizer`]: `Tokenizer` (single and batch calls, chat).
//! - [`texts`]: batch input from Python sequences or Arrow arrays (C data interface).
//! - [`batch`]: the parallel work of the batch calls and their results.
//! - [`chat`]: message dicts and chat options.
//! - [`pricing`]: `Catalog`, `Model`, `Usage`, `Cost`, `estimate_cost`.
//! - [`errors`]: `QwenMeterError` and its subclasses.

mod batch;
mod chat;
mod errors;
mod pricing;
mod texts;
mod tokenizer;

use pyo3::prelude::*;

/// The native part of `qwen_meter`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<tokenizer::PyTokenizer>()?;
    m.add_class::<pricing::PyCatalog>()?;
    m.add_class::<pricing::PyModel>()?;
    m.add_class::<pricing::PyUsage>()?;
    m.add_class::<pricing::PyCost>()?;
    m.add_class::<texts::ArrowExport>()?;
    m.add_function(wrap_pyfunction!(pricing::estimate_cost, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
