//! The text input of the batch calls: any Python sequence of `str`, or an Arrow string array
//! (pyarrow `Array` or `ChunkedArray`, polars `Series`, anything with `__arrow_c_array__` or
//! `__arrow_c_stream__`) read in place through the Arrow PyCapsule interface.
//!
//! Arrow strings are never turned into Python objects: the imported buffers stay owned by
//! their producer until the [`Texts`] is dropped, and are read with the GIL released.

use arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema, from_ffi};
use arrow_array::ffi_stream::{ArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::{
    Array, ArrayReader, ArrayRef, LargeStringArray, StringArray, StringViewArray, make_array,
};
use arrow_schema::DataType;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyCapsuleMethods, PyString, PyTuple};

/// Texts to tokenize, with where they came from (which decides the result's type).
pub enum Texts {
    /// Strings copied from a Python sequence into one buffer; `ends[i]` is where string `i`
    /// ends in `buf`.
    Owned { buf: String, ends: Vec<usize> },
    /// The chunks of an Arrow string array (string, large_string or string_view).
    Arrow(Vec<ArrayRef>),
}

impl Texts {
    /// Reads `obj`: an Arrow string array or stream, or a sequence of `str` (`place` names the
    /// argument in messages).
    pub fn from_py(obj: &Bound<'_, PyAny>, place: &str) -> PyResult<Texts> {
        if obj.hasattr("__arrow_c_array__")? {
            return Ok(Texts::Arrow(vec![import_array(obj, place)?]));
        }
        if obj.hasattr("__arrow_c_stream__")? {
            return import_stream(obj, place).map(Texts::Arrow);
        }
        if obj.is_instance_of::<PyString>() || obj.is_instance_of::<pyo3::types::PyBytes>() {
            return Err(PyTypeError::new_err(format!(
                "{place}: expected a sequence of str or an Arrow string array, got a single {}; \
                 wrap it in a list or use count()/encode()",
                obj.get_type().name()?
            )));
        }
        let iter = obj.try_iter().map_err(|_| {
            let ty = obj
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default();
            PyTypeError::new_err(format!(
                "{place}: expected a sequence of str or an Arrow string array, got {ty}"
            ))
        })?;
        let mut buf = String::new();
        let mut ends = Vec::new();
        for (i, item) in iter.enumerate() {
            let item = item?;
            let s = item.cast::<PyString>().map_err(|_| {
                let ty = item
                    .get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default();
                PyTypeError::new_err(format!("{place}[{i}]: expected str, got {ty}"))
            })?;
            buf.push_str(&s.to_cow()?);
            ends.push(buf.len());
        }
        Ok(Texts::Owned { buf, ends })
    }

    /// Whether the texts came from Arrow (the result is then an Arrow array too).
    pub fn is_arrow(&self) -> bool {
        matches!(self, Texts::Arrow(_))
    }

    /// Every text in order, `None` for Arrow nulls.
    pub fn strs(&self) -> Vec<Option<&str>> {
        match self {
            Texts::Owned { buf, ends } => {
                let mut start = 0;
                ends.iter()
                    .map(|&end| {
                        let s = &buf[start..end];
                        start = end;
                        Some(s)
                    })
                    .collect()
            }
            Texts::Arrow(chunks) => {
                let mut out = Vec::with_capacity(chunks.iter().map(|c| c.len()).sum());
                for c in chunks {
                    push_strs(c.as_ref(), &mut out);
                }
                out
            }
        }
    }
}

/// Appends the values of a string chunk (its type was checked on import).
fn push_strs<'a>(c: &'a dyn Array, out: &mut Vec<Option<&'a str>>) {
    let any = c.as_any();
    if let Some(a) = any.downcast_ref::<StringArray>() {
        out.extend(a.iter());
    } else if let Some(a) = any.downcast_ref::<LargeStringArray>() {
        out.extend(a.iter());
    } else if let Some(a) = any.downcast_ref::<StringViewArray>() {
        out.extend(a.iter());
    }
}

fn check_string_type(dt: &DataType, place: &str) -> PyResult<()> {
    match dt {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(()),
        other => Err(PyTypeError::new_err(format!(
            "{place}: expected an Arrow array of strings (string, large_string or string_view), \
             got {other}"
        ))),
    }
}

fn arrow_err(place: &str, e: impl std::fmt::Display) -> PyErr {
    PyTypeError::new_err(format!("{place}: cannot read the Arrow data: {e}"))
}

/// Imports one array through `__arrow_c_array__()`.
fn import_array(obj: &Bound<'_, PyAny>, place: &str) -> PyResult<ArrayRef> {
    let pair = obj.call_method0("__arrow_c_array__")?;
    let pair = pair.cast::<PyTuple>()?;
    let schema = pair.get_item(0)?;
    let array = pair.get_item(1)?;
    let schema = schema.cast::<PyCapsule>()?;
    let array = array.cast::<PyCapsule>()?;
    let schema_ptr = schema.pointer_checked(Some(c"arrow_schema"))?;
    let array_ptr = array.pointer_checked(Some(c"arrow_array"))?;
    // SAFETY: the capsules are named as the PyCapsule interface specifies, so they point at
    // a C data interface schema and array. The array is moved out (its release callback now
    // belongs to us, the capsule's copy is marked released); the schema is only borrowed
    // while the capsule is alive.
    let data = unsafe {
        let schema = &*(schema_ptr.as_ptr() as *const FFI_ArrowSchema);
        let array = FFI_ArrowArray::from_raw(array_ptr.as_ptr() as *mut FFI_ArrowArray);
        from_ffi(array, schema).map_err(|e| arrow_err(place, e))?
    };
    check_string_type(data.data_type(), place)?;
    Ok(make_array(data))
}

/// Imports every chunk of a stream through `__arrow_c_stream__()`.
fn import_stream(obj: &Bound<'_, PyAny>, place: &str) -> PyResult<Vec<ArrayRef>> {
    let capsule = obj.call_method0("__arrow_c_stream__")?;
    let capsule = capsule.cast::<PyCapsule>()?;
    let ptr = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
    // SAFETY: a capsule named "arrow_array_stream" holds a C stream interface struct; it is
    // moved out, leaving a released stream in the capsule.
    let stream =
        unsafe { FFI_ArrowArrayStream::from_raw(ptr.as_ptr() as *mut FFI_ArrowArrayStream) };
    let reader = ArrayStreamReader::try_new(stream).map_err(|e| arrow_err(place, e))?;
    check_string_type(reader.field().data_type(), place)?;
    let mut chunks = Vec::new();
    for chunk in reader {
        chunks.push(chunk.map_err(|e| arrow_err(place, e))?);
    }
    Ok(chunks)
}

/// An array handed to pyarrow through `__arrow_c_array__` (the result of a batch call on
/// Arrow input).
#[pyclass(frozen, module = "qwen_meter")]
pub struct ArrowExport(std::sync::Mutex<Option<(FFI_ArrowArray, FFI_ArrowSchema)>>);

#[pymethods]
impl ArrowExport {
    /// The Arrow PyCapsule protocol: `(schema, array)` capsules, once.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let _ = requested_schema;
        let taken = self.0.lock().ok().and_then(|mut g| g.take());
        let Some((array, schema)) = taken else {
            return Err(PyTypeError::new_err("the Arrow array was already exported"));
        };
        let schema = PyCapsule::new_with_value(py, schema, c"arrow_schema")?;
        let array = PyCapsule::new_with_value(py, array, c"arrow_array")?;
        PyTuple::new(py, [schema.into_any(), array.into_any()])
    }
}

/// `array` as a `pyarrow.Array`.
pub fn to_pyarrow<'py>(py: Python<'py>, array: ArrayRef) -> PyResult<Bound<'py, PyAny>> {
    let (ffi_array, ffi_schema) =
        arrow_array::ffi::to_ffi(&array.to_data()).map_err(|e| arrow_err("result", e))?;
    let export = Bound::new(
        py,
        ArrowExport(std::sync::Mutex::new(Some((ffi_array, ffi_schema)))),
    )?;
    py.import("pyarrow")?.call_method1("array", (export,))
}
