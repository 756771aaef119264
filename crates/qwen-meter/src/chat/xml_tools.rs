//! What the Qwen3.5 template needs from a conversation before it renders.
//!
//! The Qwen3.5 template writes each tool-call argument as an XML `<parameter=...>` block, so
//! it iterates over the arguments (`arguments|items`), which Jinja2 refuses on a string; and
//! its `render_content` macro writes text parts back to back, where plain-text templates get
//! them joined with `"\n"`. Both are applied here, before the shared preparation, so that
//! everything else (validation, the other templates) stays as it is.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::pystr::is_py_space;
use super::{ChatError, Content, Message};

/// The messages with string tool-call arguments parsed into the JSON object they hold (an
/// empty string is `{}`, as vLLM does) and all-text content parts concatenated; borrowed
/// unchanged when there is nothing to do.
pub(crate) fn for_xml_tools(messages: &[Message]) -> Result<Cow<'_, [Message]>, ChatError> {
    let needs_work = messages.iter().any(|m| {
        text_only_parts(m).is_some()
            || m.tool_calls
                .iter()
                .flatten()
                .any(|c| c.function.arguments.is_string())
    });
    if !needs_work {
        return Ok(Cow::Borrowed(messages));
    }
    let mut out = messages.to_vec();
    for (index, message) in out.iter_mut().enumerate() {
        if let Some(text) = text_only_parts(message) {
            message.content = Some(Content::Text(text));
        }
        for (i, call) in message.tool_calls.iter_mut().flatten().enumerate() {
            if let Value::String(text) = &call.function.arguments {
                call.function.arguments = object_arguments(index, i, text)?;
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// The concatenated text of content made only of text parts that all have their text
/// (anything else is left for the shared preparation to accept or reject).
fn text_only_parts(message: &Message) -> Option<String> {
    match &message.content {
        Some(Content::Parts(parts)) if parts.iter().all(|p| p.kind == "text") => {
            parts.iter().map(|p| p.text.as_deref()).collect()
        }
        _ => None,
    }
}

/// String arguments as the object they hold.
fn object_arguments(index: usize, call: usize, text: &str) -> Result<Value, ChatError> {
    if text.chars().all(is_py_space) {
        return Ok(Value::Object(Map::new()));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(object @ Value::Object(_)) => Ok(object),
        _ => Err(ChatError::InvalidField {
            index,
            field: format!("tool_calls[{call}].function.arguments"),
            reason: "the Qwen3.5 template writes each argument as an XML parameter, so string \
                     arguments must hold a JSON object"
                .to_owned(),
        }),
    }
}
