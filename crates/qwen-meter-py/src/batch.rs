//! Batch tokenization over every core with the GIL released: the work of `count_batch` and
//! `encode_batch`, and their results as Python lists or Arrow arrays.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use arrow_array::builder::Int64Builder;
use arrow_array::{ArrayRef, LargeListArray};
use arrow_buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field};
use pyo3::prelude::*;
use qwen_meter::Tokenizer;
use rayon::prelude::*;

use crate::errors::invalid;
use crate::texts::{Texts, to_pyarrow};

/// Thread pools by size, for calls that ask for a thread count other than the default.
static POOLS: Mutex<Option<HashMap<usize, Arc<rayon::ThreadPool>>>> = Mutex::new(None);

/// Runs `f` on `threads` threads (rayon's global pool, one thread a core, when `None`).
fn on_threads<R: Send>(threads: Option<usize>, f: impl FnOnce() -> R + Send) -> PyResult<R> {
    let Some(n) = threads else {
        return Ok(f());
    };
    if n == 0 {
        return Err(invalid(
            "threads",
            "must be at least 1 (or None for every core)",
        ));
    }
    let pool = {
        let mut pools = POOLS.lock().unwrap_or_else(|p| p.into_inner());
        let pools = pools.get_or_insert_with(HashMap::new);
        match pools.get(&n) {
            Some(p) => p.clone(),
            None => {
                let p = rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| invalid("threads", e))?;
                let p = Arc::new(p);
                pools.insert(n, p.clone());
                p
            }
        }
    };
    Ok(pool.install(f))
}

/// How many tokens each text has; `None` for Arrow nulls.
pub fn count(
    py: Python<'_>,
    tok: &Tokenizer,
    texts: &Texts,
    ordinary: bool,
    threads: Option<usize>,
) -> PyResult<Vec<Option<i64>>> {
    py.detach(|| {
        let strs = texts.strs();
        on_threads(threads, || {
            strs.par_iter()
                .map(|s| {
                    s.map(|s| {
                        let n = if ordinary {
                            tok.count_ordinary(s)
                        } else {
                            tok.count(s)
                        };
                        n as i64
                    })
                })
                .collect()
        })
    })
}

/// The token ids of each text; `None` for Arrow nulls.
pub fn encode(
    py: Python<'_>,
    tok: &Tokenizer,
    texts: &Texts,
    ordinary: bool,
    threads: Option<usize>,
) -> PyResult<Vec<Option<Vec<u32>>>> {
    py.detach(|| {
        let strs = texts.strs();
        on_threads(threads, || {
            strs.par_iter()
                .map(|s| {
                    s.map(|s| {
                        if ordinary {
                            tok.encode_ordinary(s)
                        } else {
                            tok.encode(s)
                        }
                    })
                })
                .collect()
        })
    })
}

/// Counts as a list of `int`, or an `int64` pyarrow array when the input was Arrow.
pub fn counts_to_py<'py>(
    py: Python<'py>,
    counts: Vec<Option<i64>>,
    arrow: bool,
) -> PyResult<Bound<'py, PyAny>> {
    if arrow {
        let mut b = Int64Builder::with_capacity(counts.len());
        b.extend(counts);
        return to_pyarrow(py, Arc::new(b.finish()) as ArrayRef);
    }
    // Lists come only from sequences of str, which have no nulls.
    let plain: Vec<i64> = counts.into_iter().map(|c| c.unwrap_or(0)).collect();
    Ok(plain.into_pyobject(py)?.into_any())
}

/// Ids as a list of lists of `int`, or a `large_list<uint32>` pyarrow array for Arrow input.
pub fn ids_to_py<'py>(
    py: Python<'py>,
    ids: Vec<Option<Vec<u32>>>,
    arrow: bool,
) -> PyResult<Bound<'py, PyAny>> {
    if arrow {
        let array = py.detach(|| large_list(ids));
        return to_pyarrow(py, array);
    }
    let plain: Vec<Vec<u32>> = ids.into_iter().map(Option::unwrap_or_default).collect();
    Ok(plain.into_pyobject(py)?.into_any())
}

/// One `large_list<uint32>` array (64-bit offsets: a big batch can exceed 2^31 ids).
fn large_list(ids: Vec<Option<Vec<u32>>>) -> ArrayRef {
    let total: usize = ids.iter().flatten().map(Vec::len).sum();
    let mut values = Vec::with_capacity(total);
    let mut lengths = Vec::with_capacity(ids.len());
    let mut valid = Vec::with_capacity(ids.len());
    for item in &ids {
        match item {
            Some(v) => {
                values.extend_from_slice(v);
                lengths.push(v.len());
                valid.push(true);
            }
            None => {
                lengths.push(0);
                valid.push(false);
            }
        }
    }
    let nulls = valid.contains(&false).then(|| NullBuffer::from(valid));
    let offsets = OffsetBuffer::<i64>::from_lengths(lengths);
    let values = Arc::new(arrow_array::UInt32Array::new(
        ScalarBuffer::from(values),
        None,
    ));
    let field = Arc::new(Field::new("item", DataType::UInt32, true));
    Arc::new(LargeListArray::new(field, offsets, values, nulls))
}
