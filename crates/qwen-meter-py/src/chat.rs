//! Chat conversations from Python: OpenAI-shaped message dicts (and tool schemas) read by the
//! core's JSON parser, so a malformed message gets the core's message naming its index and
//! field.

use pyo3::prelude::*;
use qwen_meter::{ChatOptions, Message, parse_messages};
use serde_json::Value;

use crate::errors::ChatError;

/// `obj` as JSON text, written by Python's `json` module (keys in dict order, floats as
/// Python prints them, which is what the chat templates see in transformers).
fn to_json(obj: &Bound<'_, PyAny>, place: &str) -> PyResult<String> {
    let json = obj.py().import("json")?;
    json.call_method1("dumps", (obj,))
        .and_then(|s| s.extract::<String>())
        .map_err(|e| {
            pyo3::exceptions::PyTypeError::new_err(format!("{place}: not JSON-serialisable: {e}"))
        })
}

/// Drops serde's `" at line 1 column 46"`: the positions are in JSON the caller never saw.
fn without_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}

/// The `messages` argument: a list of message dicts.
pub fn messages(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Message>> {
    let text = to_json(obj, "messages")?;
    parse_messages(&text).map_err(|e| ChatError::new_err(without_position(&e.to_string())))
}

/// Chat options from the keyword arguments.
pub fn options(
    tools: Option<&Bound<'_, PyAny>>,
    add_generation_prompt: bool,
    enable_thinking: Option<bool>,
) -> PyResult<ChatOptions> {
    let tools = match tools {
        None => None,
        Some(t) if t.is_none() => None,
        Some(t) => {
            let text = to_json(t, "tools")?;
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Array(items)) => Some(items),
                _ => {
                    return Err(pyo3::exceptions::PyTypeError::new_err(
                        "tools: expected a list of tool schemas (dicts)",
                    ));
                }
            }
        }
    };
    Ok(ChatOptions {
        add_generation_prompt,
        enable_thinking,
        tools,
    })
}
