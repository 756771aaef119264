//! Catalog and cost from Python: `Catalog.builtin().model(id).cost(region, usage)` and the
//! one-call `estimate_cost(...)`, with money as `decimal.Decimal` (exact, as the core's).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use qwen_meter::{Amount, CacheKind, Catalog, Mode, Model, Region, TokenizerChat, Usage};

use crate::chat;
use crate::errors::{ChatError, IntoPyErr, invalid};
use crate::tokenizer::PyTokenizer;

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `amount` as a `decimal.Decimal` (through its exact decimal text).
fn decimal<'py>(py: Python<'py>, amount: Amount) -> PyResult<Bound<'py, PyAny>> {
    let class = DECIMAL.get_or_try_init(py, || {
        py.import("decimal")?.getattr("Decimal").map(Bound::unbind)
    })?;
    class.bind(py).call1((amount.to_string(),))
}

fn parse_region(region: &str) -> PyResult<Region> {
    region.parse::<Region>().map_err(|e| invalid("region", e))
}

fn parse_cache(cache: &str) -> PyResult<CacheKind> {
    match cache {
        "implicit" => Ok(CacheKind::Implicit),
        "explicit" => Ok(CacheKind::Explicit),
        other => Err(invalid(
            "cache",
            format_args!("expected \"implicit\" or \"explicit\", got {other:?}"),
        )),
    }
}

/// The built-in catalog or one loaded from JSON.
#[derive(Clone)]
enum SharedCatalog {
    Builtin(&'static Catalog),
    Loaded(Arc<Catalog>),
}

impl std::ops::Deref for SharedCatalog {
    type Target = Catalog;
    fn deref(&self) -> &Catalog {
        match self {
            SharedCatalog::Builtin(c) => c,
            SharedCatalog::Loaded(c) => c,
        }
    }
}

/// The model catalog: prices, limits and tokenizers of Qwen models on Alibaba Cloud.
#[pyclass(frozen, name = "Catalog", module = "qwen_meter")]
pub struct PyCatalog {
    catalog: SharedCatalog,
}

#[pymethods]
impl PyCatalog {
    /// The catalog built into this version of qwen-meter.
    #[staticmethod]
    fn builtin() -> PyCatalog {
        PyCatalog {
            catalog: SharedCatalog::Builtin(Catalog::builtin()),
        }
    }

    /// A catalog from the text of a catalog JSON file.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyCatalog> {
        Ok(PyCatalog {
            catalog: SharedCatalog::Loaded(Arc::new(Catalog::from_json(text).py_err()?)),
        })
    }

    /// This catalog with model entries (a JSON list) added or replaced.
    fn with_overrides(&self, text: &str) -> PyResult<PyCatalog> {
        Ok(PyCatalog {
            catalog: SharedCatalog::Loaded(Arc::new(self.catalog.with_overrides(text).py_err()?)),
        })
    }

    /// The date the prices were checked (YYYY-MM-DD).
    #[getter]
    fn as_of(&self) -> String {
        self.catalog.as_of().to_string()
    }

    /// The model an id, alias or snapshot names.
    fn model(&self, id: &str) -> PyResult<PyModel> {
        let m = self.catalog.model(id).py_err()?;
        Ok(PyModel {
            model: Arc::new(m.clone()),
        })
    }

    /// Every model of the catalog.
    fn models(&self) -> Vec<PyModel> {
        self.catalog
            .models()
            .map(|m| PyModel {
                model: Arc::new(m.clone()),
            })
            .collect()
    }

    /// The catalog as JSON text.
    fn to_json(&self) -> String {
        self.catalog.to_json()
    }

    fn __repr__(&self) -> String {
        format!(
            "Catalog(as_of={:?}, models={})",
            self.catalog.as_of(),
            self.catalog.models().count()
        )
    }
}

/// One model of the catalog.
#[pyclass(frozen, name = "Model", module = "qwen_meter")]
pub struct PyModel {
    model: Arc<Model>,
}

#[pymethods]
impl PyModel {
    /// The model id ("qwen3-max").
    #[getter]
    fn id(&self) -> &str {
        &self.model.id
    }

    /// Other ids of the same model.
    #[getter]
    fn aliases(&self) -> Vec<String> {
        self.model.aliases.clone()
    }

    /// Model family ("qwen3-max").
    #[getter]
    fn family(&self) -> &str {
        &self.model.family
    }

    /// The tokenizer generation ("qwen3").
    #[getter]
    fn generation(&self) -> &'static str {
        self.model.generation.name()
    }

    /// "thinking" or "non-thinking": the mode requests run in unless told otherwise.
    #[getter]
    fn default_mode(&self) -> String {
        self.model.default_mode().to_string()
    }

    /// The region ids the model is priced in.
    #[getter]
    fn regions(&self) -> Vec<&'static str> {
        self.model.offered_regions().map(Region::id).collect()
    }

    /// The model's tokenizer.
    fn tokenizer(&self) -> PyTokenizer {
        PyTokenizer::builtin(self.model.generation)
    }

    /// Tokens of `text` with the model's tokenizer.
    fn count_tokens(&self, py: Python<'_>, text: String) -> u64 {
        py.detach(|| self.model.count_tokens(&text))
    }

    /// The cost of one request's usage in a region.
    fn cost(&self, region: &str, usage: &PyUsage) -> PyResult<PyCost> {
        let region = parse_region(region)?;
        let cost = self.model.cost(region, &usage.usage).py_err()?;
        Ok(PyCost { cost })
    }

    fn __repr__(&self) -> String {
        format!("Model({:?})", self.model.id)
    }
}

/// The token usage of one request, as the API reports it.
#[pyclass(frozen, name = "Usage", module = "qwen_meter")]
#[derive(Clone)]
pub struct PyUsage {
    usage: Usage,
}

#[pymethods]
impl PyUsage {
    #[new]
    #[pyo3(signature = (input_tokens = 0, output_tokens = 0, *, cached_input_tokens = 0, cache = "implicit", cache_creation_input_tokens = 0, thinking = false, batch = false))]
    fn new(
        input_tokens: u64,
        output_tokens: u64,
        cached_input_tokens: u64,
        cache: &str,
        cache_creation_input_tokens: u64,
        thinking: bool,
        batch: bool,
    ) -> PyResult<PyUsage> {
        Ok(PyUsage {
            usage: Usage {
                input_tokens,
                output_tokens,
                cached_input_tokens,
                cache: parse_cache(cache)?,
                cache_creation_input_tokens,
                thinking,
                batch,
                ..Usage::default()
            },
        })
    }

    /// Prompt tokens (cached and cache-creating ones included).
    #[getter]
    fn input_tokens(&self) -> u64 {
        self.usage.input_tokens
    }

    /// Output tokens (reasoning included).
    #[getter]
    fn output_tokens(&self) -> u64 {
        self.usage.output_tokens
    }

    /// Prompt tokens read from the context cache.
    #[getter]
    fn cached_input_tokens(&self) -> u64 {
        self.usage.cached_input_tokens
    }

    /// "implicit" or "explicit".
    #[getter]
    fn cache(&self) -> String {
        self.usage.cache.to_string()
    }

    /// Prompt tokens written to the explicit cache.
    #[getter]
    fn cache_creation_input_tokens(&self) -> u64 {
        self.usage.cache_creation_input_tokens
    }

    /// Thinking mode.
    #[getter]
    fn thinking(&self) -> bool {
        self.usage.thinking
    }

    /// Sent through the Batch API.
    #[getter]
    fn batch(&self) -> bool {
        self.usage.batch
    }

    fn __repr__(&self) -> String {
        let u = &self.usage;
        format!(
            "Usage(input_tokens={}, output_tokens={}, cached_input_tokens={}, cache={:?}, \
             cache_creation_input_tokens={}, thinking={}, batch={})",
            u.input_tokens,
            u.output_tokens,
            u.cached_input_tokens,
            u.cache.to_string(),
            u.cache_creation_input_tokens,
            if u.thinking { "True" } else { "False" },
            if u.batch { "True" } else { "False" },
        )
    }
}

/// The price of one request: total and parts, as exact `Decimal`s in the region's currency.
#[pyclass(frozen, name = "Cost", module = "qwen_meter")]
pub struct PyCost {
    cost: qwen_meter::Cost,
}

#[pymethods]
impl PyCost {
    /// Model id.
    #[getter]
    fn model(&self) -> &str {
        &self.cost.model
    }

    /// Region id.
    #[getter]
    fn region(&self) -> &'static str {
        self.cost.region.id()
    }

    /// "USD" or "CNY".
    #[getter]
    fn currency(&self) -> String {
        self.cost.currency.to_string()
    }

    /// The total.
    #[getter]
    fn total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, self.cost.total)
    }

    /// The parts: `input`, `cached_input`, `cache_creation`, `output`.
    #[getter]
    fn breakdown<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let b = &self.cost.breakdown;
        let d = PyDict::new(py);
        d.set_item("input", decimal(py, b.input)?)?;
        d.set_item("cached_input", decimal(py, b.cached_input)?)?;
        d.set_item("cache_creation", decimal(py, b.cache_creation)?)?;
        d.set_item("output", decimal(py, b.output)?)?;
        Ok(d)
    }

    /// Index of the price tier the input fell in.
    #[getter]
    fn tier_index(&self) -> usize {
        self.cost.tier_index
    }

    /// The usage priced.
    #[getter]
    fn usage(&self) -> PyUsage {
        PyUsage {
            usage: self.cost.usage,
        }
    }

    fn __str__(&self) -> String {
        self.cost.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Cost(model={:?}, region={:?}, total=Decimal('{}'), currency={:?})",
            self.cost.model,
            self.cost.region.id(),
            self.cost.total,
            self.cost.currency.to_string()
        )
    }
}

/// The cost of one request: the prompt given as a token count, a text or chat messages.
#[pyfunction]
#[pyo3(signature = (*, model, region = "international", input_tokens = None, text = None, messages = None, tools = None, output_tokens = 0, thinking = None, batch = false, cached_input_tokens = 0, cache = "implicit", cache_creation_input_tokens = 0))]
#[allow(clippy::too_many_arguments)]
pub fn estimate_cost(
    py: Python<'_>,
    model: &str,
    region: &str,
    input_tokens: Option<u64>,
    text: Option<String>,
    messages: Option<&Bound<'_, PyAny>>,
    tools: Option<&Bound<'_, PyAny>>,
    output_tokens: u64,
    thinking: Option<bool>,
    batch: bool,
    cached_input_tokens: u64,
    cache: &str,
    cache_creation_input_tokens: u64,
) -> PyResult<PyCost> {
    let region = parse_region(region)?;
    let cache = parse_cache(cache)?;
    let m = Catalog::builtin().model(model).py_err()?;
    let thinking = thinking.unwrap_or(m.default_mode() == Mode::Thinking);
    let prompt = match (input_tokens, text, messages) {
        (Some(n), None, None) => n,
        (None, Some(t), None) => py.detach(|| m.count_tokens(&t)),
        (None, None, Some(msgs)) => {
            let msgs = chat::messages(msgs)?;
            let options = chat::options(tools, true, Some(thinking))?;
            let n = py
                .detach(|| m.tokenizer().count_chat(&msgs, &options))
                .map_err(|e| ChatError::new_err(e.to_string()))?;
            n as u64
        }
        (None, None, None) => {
            return Err(invalid(
                "input_tokens",
                "give one of input_tokens, text or messages",
            ));
        }
        _ => {
            return Err(invalid(
                "input_tokens",
                "give only one of input_tokens, text or messages",
            ));
        }
    };
    let usage = Usage {
        input_tokens: prompt,
        output_tokens,
        cached_input_tokens,
        cache,
        cache_creation_input_tokens,
        thinking,
        batch,
        ..Usage::default()
    };
    let cost = m.cost(region, &usage).py_err()?;
    Ok(PyCost { cost })
}
