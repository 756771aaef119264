//! The exception classes of `qwen_meter` and the conversion of every core error into one of
//! them, so each Rust error reaches Python with its own message and nothing panics across.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    qwen_meter,
    QwenMeterError,
    PyValueError,
    "Base class of every error qwen_meter raises (a subclass of ValueError)."
);
create_exception!(
    qwen_meter,
    InvalidArgumentError,
    QwenMeterError,
    "An argument has a value qwen_meter does not accept (unknown generation, region, keep...)."
);
create_exception!(
    qwen_meter,
    LoadError,
    QwenMeterError,
    "A tokenizer file (tokenizer.json or .tiktoken) could not be loaded."
);
create_exception!(
    qwen_meter,
    DecodeError,
    QwenMeterError,
    "Token ids could not be decoded (unknown id, or bytes that are not UTF-8)."
);
create_exception!(
    qwen_meter,
    UnknownModelError,
    QwenMeterError,
    "The catalog has no model with this id, alias or snapshot."
);
create_exception!(
    qwen_meter,
    CatalogError,
    QwenMeterError,
    "A catalog file is malformed."
);
create_exception!(
    qwen_meter,
    CostError,
    QwenMeterError,
    "A usage cannot be priced (region not offered, limits exceeded...)."
);
create_exception!(
    qwen_meter,
    ChatError,
    QwenMeterError,
    "A chat conversation is malformed or cannot be rendered."
);

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("QwenMeterError", py.get_type::<QwenMeterError>())?;
    m.add(
        "InvalidArgumentError",
        py.get_type::<InvalidArgumentError>(),
    )?;
    m.add("LoadError", py.get_type::<LoadError>())?;
    m.add("DecodeError", py.get_type::<DecodeError>())?;
    m.add("UnknownModelError", py.get_type::<UnknownModelError>())?;
    m.add("CatalogError", py.get_type::<CatalogError>())?;
    m.add("CostError", py.get_type::<CostError>())?;
    m.add("ChatError", py.get_type::<ChatError>())?;
    Ok(())
}

/// An [`InvalidArgumentError`] naming the argument.
pub fn invalid(place: &str, what: impl std::fmt::Display) -> PyErr {
    InvalidArgumentError::new_err(format!("{place}: {what}"))
}

/// Turns a core error into the Python exception of its kind, keeping the core's message.
pub trait IntoPyErr<T> {
    /// The result with the error converted.
    fn py_err(self) -> PyResult<T>;
}

macro_rules! into_py_err {
    ($($rust:ty => $py:ty),* $(,)?) => {$(
        impl<T> IntoPyErr<T> for Result<T, $rust> {
            fn py_err(self) -> PyResult<T> {
                self.map_err(|e| <$py>::new_err(e.to_string()))
            }
        }
    )*};
}

into_py_err! {
    qwen_meter::LoadError => LoadError,
    qwen_meter::DecodeError => DecodeError,
    qwen_meter::UnknownModel => UnknownModelError,
    qwen_meter::CatalogError => CatalogError,
    qwen_meter::CostError => CostError,
    qwen_meter::ChatError => ChatError,
    qwen_meter::ParseRegionError => InvalidArgumentError,
}
