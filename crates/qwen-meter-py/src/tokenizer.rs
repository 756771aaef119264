//! `qwen_meter.Tokenizer`: counting, encoding, decoding and truncation, one text at a time
//! or in batches over every core.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use qwen_meter::TokenizerChat;
use qwen_meter::{Catalog, Generation, Keep, Tokenizer};

use crate::errors::{IntoPyErr, invalid};
use crate::texts::Texts;
use crate::{batch, chat};

/// A built-in tokenizer (shared, built once per process) or one loaded from a file.
#[derive(Clone)]
enum Shared {
    Builtin(&'static Tokenizer),
    Loaded(Arc<Tokenizer>),
}

impl std::ops::Deref for Shared {
    type Target = Tokenizer;
    fn deref(&self) -> &Tokenizer {
        match self {
            Shared::Builtin(t) => t,
            Shared::Loaded(t) => t,
        }
    }
}

/// The Qwen tokenizer: exact token counts and ids, as the official tokenizer gives them.
///
/// >>> tok = Tokenizer.qwen3()
/// >>> tok.count("Hello, world!")
/// 4
/// >>> tok.count_batch(["Hello", "通义千问"])
/// [1, 4]
#[pyclass(frozen, name = "Tokenizer", module = "qwen_meter")]
pub struct PyTokenizer {
    tok: Shared,
}

impl PyTokenizer {
    /// The built-in tokenizer of `g`.
    pub fn builtin(g: Generation) -> PyTokenizer {
        PyTokenizer {
            tok: Shared::Builtin(Tokenizer::for_generation(g)),
        }
    }

    /// The core tokenizer.
    pub fn inner(&self) -> &Tokenizer {
        &self.tok
    }
}

/// The generation named `name` ("qwen3", "qwen2.5", ...), or an error listing the names.
pub fn parse_generation(place: &str, name: &str) -> PyResult<Generation> {
    Generation::from_name(name).ok_or_else(|| {
        let names = Generation::ALL
            .iter()
            .map(|g| format!("{:?}", g.name()))
            .collect::<Vec<_>>()
            .join(", ");
        invalid(
            place,
            format_args!("unknown generation {name:?} (expected one of {names})"),
        )
    })
}

fn parse_keep(keep: &str) -> PyResult<Keep> {
    match keep {
        "start" => Ok(Keep::Start),
        "end" => Ok(Keep::End),
        other => Err(invalid(
            "keep",
            format_args!("expected \"start\" or \"end\", got {other:?}"),
        )),
    }
}

/// Bytes of a `bytes`/`bytearray`/`memoryview`, or the UTF-8 of a `str`.
fn file_bytes(data: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(s) = data.cast::<PyString>() {
        return Ok(s.to_cow()?.as_bytes().to_vec());
    }
    if let Ok(b) = data.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    data.extract::<Vec<u8>>()
        .map_err(|_| pyo3::exceptions::PyTypeError::new_err("data: expected bytes or str"))
}

/// Byte offsets of `text` as `str` (code point) indices; `bytes_to_chars[b]` is the index of
/// the character starting at byte `b` (and `len` at the end).
fn char_index(text: &str) -> Vec<u32> {
    let mut map = vec![0u32; text.len() + 1];
    let mut chars = 0u32;
    for (b, c) in text.char_indices() {
        for slot in &mut map[b..b + c.len_utf8()] {
            *slot = chars;
        }
        chars += 1;
    }
    map[text.len()] = chars;
    map
}

#[pymethods]
impl PyTokenizer {
    /// The Qwen3 tokenizer (also Qwen3-Max, Qwen-Plus, Qwen-Flash, QwQ...).
    #[staticmethod]
    fn qwen3() -> PyTokenizer {
        PyTokenizer::builtin(Generation::Qwen3)
    }

    /// The Qwen3.5 tokenizer (Qwen3.5 and Qwen3.6: the 248,044-token vocabulary).
    #[staticmethod]
    fn qwen3_5() -> PyTokenizer {
        PyTokenizer::builtin(Generation::Qwen3_5)
    }

    /// The Qwen2.5 tokenizer.
    #[staticmethod]
    fn qwen2_5() -> PyTokenizer {
        PyTokenizer::builtin(Generation::Qwen2_5)
    }

    /// The Qwen2 tokenizer.
    #[staticmethod]
    fn qwen2() -> PyTokenizer {
        PyTokenizer::builtin(Generation::Qwen2)
    }

    /// The first-generation Qwen tokenizer.
    #[staticmethod]
    fn qwen() -> PyTokenizer {
        PyTokenizer::builtin(Generation::Qwen)
    }

    /// The built-in tokenizer of a generation by name ("qwen3", "qwen2.5", ...).
    #[staticmethod]
    fn for_generation(generation: &str) -> PyResult<PyTokenizer> {
        Ok(PyTokenizer::builtin(parse_generation(
            "generation",
            generation,
        )?))
    }

    /// The tokenizer of a catalog model id, alias or snapshot ("qwen3-max", "qwen-plus").
    ///
    /// >>> Tokenizer.for_model("qwen3-max").generation
    /// 'qwen3'
    #[staticmethod]
    fn for_model(model: &str) -> PyResult<PyTokenizer> {
        let m = Catalog::builtin().model(model).py_err()?;
        Ok(PyTokenizer {
            tok: Shared::Builtin(m.tokenizer()),
        })
    }

    /// A tokenizer from a Hugging Face `tokenizer.json` (bytes or str).
    #[staticmethod]
    fn from_tokenizer_json(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<PyTokenizer> {
        let bytes = file_bytes(data)?;
        let tok = py
            .detach(|| Tokenizer::from_tokenizer_json(&bytes))
            .py_err()?;
        Ok(PyTokenizer {
            tok: Shared::Loaded(Arc::new(tok)),
        })
    }

    /// A tokenizer from a `.tiktoken` ranks file and the generation whose special tokens it uses.
    #[staticmethod]
    #[pyo3(signature = (data, generation = "qwen3"))]
    fn from_tiktoken(
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        generation: &str,
    ) -> PyResult<PyTokenizer> {
        let g = parse_generation("generation", generation)?;
        let bytes = file_bytes(data)?;
        let tok = py.detach(|| Tokenizer::from_tiktoken(&bytes, g)).py_err()?;
        Ok(PyTokenizer {
            tok: Shared::Loaded(Arc::new(tok)),
        })
    }

    /// The generation whose special tokens this tokenizer has, or None.
    #[getter]
    fn generation(&self) -> Option<&'static str> {
        self.tok.generation().map(Generation::name)
    }

    /// Number of ids (ordinary and special tokens).
    #[getter]
    fn vocab_size(&self) -> usize {
        self.tok.vocab_size()
    }

    /// Special tokens and their ids.
    #[getter]
    fn special_tokens(&self) -> Vec<(String, u32)> {
        self.tok
            .special_tokens()
            .into_iter()
            .map(|(s, id)| (s.to_string(), id))
            .collect()
    }

    /// Number of tokens of `text` (special-token text such as `<|im_start|>` is one token).
    /// A string of 1 MiB or more is counted on every core, with the same result.
    ///
    /// >>> Tokenizer.qwen3().count("<|im_start|>user")
    /// 2
    fn count(&self, py: Python<'_>, text: String) -> usize {
        py.detach(|| self.tok.count_parallel(&text, 0))
    }

    /// Number of tokens of `text`, special-token text counted as plain text.
    ///
    /// >>> Tokenizer.qwen3().count_ordinary("<|im_start|>user")
    /// 7
    fn count_ordinary(&self, py: Python<'_>, text: String) -> usize {
        py.detach(|| self.tok.count_ordinary_parallel(&text, 0))
    }

    /// The count of `text` if it is at most `limit`, else None (stops early on long texts).
    ///
    /// >>> tok = Tokenizer.qwen3()
    /// >>> tok.count_within("Hello, world!", 10), tok.count_within("Hello, world!", 3)
    /// (4, None)
    #[pyo3(signature = (text, limit, *, ordinary = false))]
    fn count_within(
        &self,
        py: Python<'_>,
        text: String,
        limit: usize,
        ordinary: bool,
    ) -> Option<usize> {
        py.detach(|| {
            if ordinary {
                self.tok.count_ordinary_within(&text, limit)
            } else {
                self.tok.count_within(&text, limit)
            }
        })
    }

    /// Token ids of `text`. A string of 1 MiB or more is encoded on every core, with the same
    /// result.
    ///
    /// >>> Tokenizer.qwen3().encode("Hello, world!")
    /// [9707, 11, 1879, 0]
    fn encode(&self, py: Python<'_>, text: String) -> Vec<u32> {
        py.detach(|| self.tok.encode_parallel(&text, 0))
    }

    /// Token ids of `text`, special-token text encoded as plain text.
    fn encode_ordinary(&self, py: Python<'_>, text: String) -> Vec<u32> {
        py.detach(|| self.tok.encode_ordinary_parallel(&text, 0))
    }

    /// `(id, start, end)` of each token; `text[start:end]` is what the token covers.
    ///
    /// >>> Tokenizer.qwen3().encode_with_offsets("Hello, world!")
    /// [(9707, 0, 5), (11, 5, 6), (1879, 6, 12), (0, 12, 13)]
    #[pyo3(signature = (text, *, ordinary = false))]
    fn encode_with_offsets(
        &self,
        py: Python<'_>,
        text: String,
        ordinary: bool,
    ) -> Vec<(u32, u32, u32)> {
        py.detach(|| {
            let spans = if ordinary {
                self.tok.encode_ordinary_with_offsets(&text)
            } else {
                self.tok.encode_with_offsets(&text)
            };
            let at = char_index(&text);
            spans
                .iter()
                .map(|s| (s.id, at[s.start], at[s.end]))
                .collect()
        })
    }

    /// The text of token ids.
    ///
    /// >>> Tokenizer.qwen3().decode([9707, 11, 1879, 0])
    /// 'Hello, world!'
    fn decode(&self, py: Python<'_>, ids: Vec<u32>) -> PyResult<String> {
        py.detach(|| self.tok.decode(&ids)).py_err()
    }

    /// The bytes of token ids (a token can hold part of a character).
    fn decode_bytes<'py>(&self, py: Python<'py>, ids: Vec<u32>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = py.detach(|| self.tok.decode_bytes(&ids)).py_err()?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// The longest start (or end, with `keep="end"`) of `text` of at most `max_tokens` tokens.
    ///
    /// >>> tok = Tokenizer.qwen3()
    /// >>> tok.truncate("Hello, world!", 2), tok.truncate("Hello, world!", 2, keep="end")
    /// ('Hello,', ' world!')
    #[pyo3(signature = (text, max_tokens, keep = "start", *, ordinary = false))]
    fn truncate(
        &self,
        py: Python<'_>,
        text: String,
        max_tokens: usize,
        keep: &str,
        ordinary: bool,
    ) -> PyResult<String> {
        let keep = parse_keep(keep)?;
        Ok(py.detach(|| {
            if ordinary {
                self.tok.truncate_ordinary(&text, max_tokens, keep)
            } else {
                self.tok.truncate(&text, max_tokens, keep)
            }
            .to_string()
        }))
    }

    /// Token counts of many texts, on every core with the GIL released.
    ///
    /// `texts` is any sequence of str (the result is a list) or a pyarrow string array or
    /// chunked array, read in place (the result is an int64 pyarrow array, null where the
    /// input is null). `threads` limits the threads (default: one a core).
    ///
    /// >>> Tokenizer.qwen3().count_batch(["Hello", "Hello, world!"])
    /// [1, 4]
    #[pyo3(signature = (texts, *, ordinary = false, threads = None))]
    fn count_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        ordinary: bool,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let texts = Texts::from_py(texts, "texts")?;
        let counts = batch::count(py, &self.tok, &texts, ordinary, threads)?;
        batch::counts_to_py(py, counts, texts.is_arrow())
    }

    /// Token ids of many texts, on every core with the GIL released.
    ///
    /// Takes what `count_batch` takes; returns a list of lists, or a `large_list<uint32>`
    /// pyarrow array for Arrow input.
    ///
    /// >>> Tokenizer.qwen3().encode_batch(["Hello", "world"])
    /// [[9707], [14615]]
    #[pyo3(signature = (texts, *, ordinary = false, threads = None))]
    fn encode_batch<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        ordinary: bool,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let texts = Texts::from_py(texts, "texts")?;
        let ids = batch::encode(py, &self.tok, &texts, ordinary, threads)?;
        batch::ids_to_py(py, ids, texts.is_arrow())
    }

    /// The prompt text the model reads for a conversation (its chat template rendered).
    #[pyo3(signature = (messages, *, tools = None, add_generation_prompt = true, enable_thinking = None))]
    fn render_chat(
        &self,
        py: Python<'_>,
        messages: &Bound<'_, PyAny>,
        tools: Option<&Bound<'_, PyAny>>,
        add_generation_prompt: bool,
        enable_thinking: Option<bool>,
    ) -> PyResult<String> {
        let m = chat::messages(messages)?;
        let o = chat::options(tools, add_generation_prompt, enable_thinking)?;
        py.detach(|| self.tok.render_chat(&m, &o)).py_err()
    }

    /// Prompt tokens billed for a conversation.
    ///
    /// >>> Tokenizer.qwen3().count_chat([{"role": "user", "content": "Hi"}])
    /// 9
    #[pyo3(signature = (messages, *, tools = None, add_generation_prompt = true, enable_thinking = None))]
    fn count_chat(
        &self,
        py: Python<'_>,
        messages: &Bound<'_, PyAny>,
        tools: Option<&Bound<'_, PyAny>>,
        add_generation_prompt: bool,
        enable_thinking: Option<bool>,
    ) -> PyResult<usize> {
        let m = chat::messages(messages)?;
        let o = chat::options(tools, add_generation_prompt, enable_thinking)?;
        py.detach(|| self.tok.count_chat(&m, &o)).py_err()
    }

    /// Token ids of a rendered conversation.
    #[pyo3(signature = (messages, *, tools = None, add_generation_prompt = true, enable_thinking = None))]
    fn encode_chat(
        &self,
        py: Python<'_>,
        messages: &Bound<'_, PyAny>,
        tools: Option<&Bound<'_, PyAny>>,
        add_generation_prompt: bool,
        enable_thinking: Option<bool>,
    ) -> PyResult<Vec<u32>> {
        let m = chat::messages(messages)?;
        let o = chat::options(tools, add_generation_prompt, enable_thinking)?;
        py.detach(|| self.tok.encode_chat(&m, &o)).py_err()
    }

    fn __repr__(&self) -> String {
        match self.tok.generation() {
            Some(g) => format!("Tokenizer({})", g.name()),
            None => "Tokenizer(custom)".to_string(),
        }
    }
}
