//! Checks a conversation and turns it into the values the template sees.
//!
//! The Jinja templates are not written defensively: a `null` content or an unknown role
//! makes them fail with an engine error or, worse, silently drop text (the Qwen3 template has
//! no branch for unknown roles). Everything the templates cannot render faithfully is
//! rejected here, with the message index and field.

use serde_json::{Map, Value};

use super::media_parts::{MediaPart, read_part};
use super::{ChatError, Content, Message, Role};

/// The messages as JSON objects for the template context, after validation.
///
/// Two normalizations happen, the ones an OpenAI-compatible server applies before templating:
/// array content becomes its text parts joined with `"\n"`, and a missing/`null` content of
/// an assistant message with tool calls becomes `""`.
///
/// With `media`, image, video and audio parts are accepted: they become the placeholders the
/// Qwen-VL templates emit, parts are concatenated as those templates do, and the media are
/// collected in prompt order. Without it they are rejected.
pub(crate) fn prepare_messages(
    messages: &[Message],
    mut media: Option<&mut Vec<MediaPart>>,
) -> Result<Vec<Value>, ChatError> {
    if messages.is_empty() {
        return Err(ChatError::NoMessages);
    }
    let mut out = Vec::with_capacity(messages.len());
    // Whether a tool result may come next: right after an assistant tool call, or after
    // another tool result of the same batch.
    let mut answering_tool_calls = false;
    for (index, message) in messages.iter().enumerate() {
        let role = match &message.role {
            Role::Other(role) => {
                return Err(ChatError::UnknownRole {
                    index,
                    role: role.clone(),
                });
            }
            role => role,
        };
        let has_tool_calls = message.tool_calls.as_ref().is_some_and(|c| !c.is_empty());
        if *role != Role::Assistant {
            // The templates only read these on assistant messages; elsewhere they would be
            // dropped silently and the count would be short.
            if message.tool_calls.is_some() {
                return Err(invalid(
                    index,
                    "tool_calls",
                    "only assistant messages can carry tool calls",
                ));
            }
            if message.reasoning_content.is_some() {
                return Err(invalid(
                    index,
                    "reasoning_content",
                    "only assistant messages can carry reasoning_content",
                ));
            }
        }
        if *role == Role::Tool && !answering_tool_calls {
            return Err(ChatError::ToolResultWithoutCall { index });
        }

        let content = match &message.content {
            Some(Content::Text(text)) => text.clone(),
            Some(Content::Parts(parts)) => join_parts(index, parts, media.as_deref_mut())?,
            None if *role == Role::Assistant && has_tool_calls => String::new(),
            None => {
                return Err(ChatError::MissingField {
                    index,
                    field: "content".to_owned(),
                });
            }
        };

        let mut object = Map::new();
        object.insert("role".to_owned(), Value::from(role.as_str()));
        object.insert("content".to_owned(), Value::from(content));
        if let Some(reasoning) = &message.reasoning_content {
            object.insert(
                "reasoning_content".to_owned(),
                Value::from(reasoning.as_str()),
            );
        }
        if let Some(calls) = &message.tool_calls {
            let mut list = Vec::with_capacity(calls.len());
            for (i, call) in calls.iter().enumerate() {
                let arguments = &call.function.arguments;
                match arguments {
                    Value::Object(_) | Value::String(_) => {}
                    Value::Null => {
                        return Err(ChatError::MissingField {
                            index,
                            field: format!("tool_calls[{i}].function.arguments"),
                        });
                    }
                    _ => {
                        return Err(invalid(
                            index,
                            &format!("tool_calls[{i}].function.arguments"),
                            "arguments must be a JSON object or a string",
                        ));
                    }
                }
                let mut function = Map::new();
                function.insert("name".to_owned(), Value::from(call.function.name.as_str()));
                function.insert("arguments".to_owned(), arguments.clone());
                let mut call_object = Map::new();
                if let Some(id) = &call.id {
                    call_object.insert("id".to_owned(), Value::from(id.as_str()));
                }
                if let Some(kind) = &call.kind {
                    call_object.insert("type".to_owned(), Value::from(kind.as_str()));
                }
                call_object.insert("function".to_owned(), Value::Object(function));
                list.push(Value::Object(call_object));
            }
            object.insert("tool_calls".to_owned(), Value::Array(list));
        }
        if let Some(id) = &message.tool_call_id {
            object.insert("tool_call_id".to_owned(), Value::from(id.as_str()));
        }
        if let Some(name) = &message.name {
            object.insert("name".to_owned(), Value::from(name.as_str()));
        }
        out.push(Value::Object(object));

        answering_tool_calls = match role {
            Role::Assistant => has_tool_calls,
            Role::Tool => true,
            _ => false,
        };
    }
    Ok(out)
}

/// Checks that every tool is a JSON object (a function schema).
pub(crate) fn check_tools(tools: &[Value]) -> Result<(), ChatError> {
    for (index, tool) in tools.iter().enumerate() {
        if !tool.is_object() {
            return Err(ChatError::InvalidTool {
                index,
                reason: "a tool must be a JSON object (a function schema)".to_owned(),
            });
        }
    }
    Ok(())
}

fn join_parts(
    index: usize,
    parts: &[super::ContentPart],
    media: Option<&mut Vec<MediaPart>>,
) -> Result<String, ChatError> {
    if let Some(media) = media {
        if parts.iter().any(|p| p.kind != "text") {
            // The Qwen-VL templates write each part in turn, with no separator.
            let mut content = String::new();
            for (i, part) in parts.iter().enumerate() {
                match read_part(index, i, part)? {
                    Some(item) => {
                        content.push_str(item.placeholder());
                        media.push(item);
                    }
                    None => content.push_str(part_text(index, i, part)?),
                }
            }
            return Ok(content);
        }
    }
    let mut texts = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        if part.kind != "text" {
            return Err(invalid(
                index,
                &format!("content[{i}].type"),
                &format!("only text parts can be counted, not {:?}", part.kind),
            ));
        }
        match &part.text {
            Some(text) => texts.push(text.as_str()),
            None => {
                return Err(ChatError::MissingField {
                    index,
                    field: format!("content[{i}].text"),
                });
            }
        }
    }
    Ok(texts.join("\n"))
}

fn part_text(index: usize, i: usize, part: &super::ContentPart) -> Result<&str, ChatError> {
    part.text.as_deref().ok_or_else(|| ChatError::MissingField {
        index,
        field: format!("content[{i}].text"),
    })
}

fn invalid(index: usize, field: &str, reason: &str) -> ChatError {
    ChatError::InvalidField {
        index,
        field: field.to_owned(),
        reason: reason.to_owned(),
    }
}
