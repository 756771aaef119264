//! [`ChatOptions`] and [`ChatRequest`], and JSON parsing whose errors name the message.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ChatError, Message};

/// How to render a conversation: the `apply_chat_template` arguments besides the messages.
///
/// JSON field names are the snake_case ones of the chat-completions APIs; camelCase aliases
/// are accepted for JavaScript callers. Every field is optional:
///
/// ```json
/// {"add_generation_prompt": true,      // alias "addGenerationPrompt"; default true
///  "enable_thinking": false,           // alias "enableThinking"; default: not set
///  "tools": [{"type": "function", "function": {"name": "...", "parameters": {...}}}]}
/// ```
///
/// `add_generation_prompt` defaults to `true` (unlike `apply_chat_template`), because a
/// served request always ends with the assistant header the model continues from, and that
/// header is billed. `enable_thinking: None` leaves the template variable undefined, which is
/// the template's default (thinking on for Qwen3); only `Some(false)` changes the Qwen3
/// prompt. `tools` are passed to the template unchanged (key order kept).
///
/// ```
/// use qwen_meter::ChatOptions;
///
/// let o: ChatOptions = serde_json::from_str(r#"{"enableThinking": false}"#).unwrap();
/// assert_eq!(o.enable_thinking, Some(false));
/// assert!(o.add_generation_prompt);
/// assert_eq!(o, ChatOptions { enable_thinking: Some(false), ..ChatOptions::default() });
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChatOptions {
    /// End the prompt with the assistant header (`<|im_start|>assistant\n`).
    #[serde(alias = "addGenerationPrompt")]
    pub add_generation_prompt: bool,
    /// Qwen3 thinking switch; `Some(false)` appends an empty `<think>` block after the
    /// generation prompt. Ignored by the other templates.
    #[serde(alias = "enableThinking", skip_serializing_if = "Option::is_none")]
    pub enable_thinking: Option<bool>,
    /// Tool (function) schemas offered to the model, as JSON objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Value>>,
}

impl Default for ChatOptions {
    /// `add_generation_prompt: true`, thinking left to the template, no tools.
    fn default() -> ChatOptions {
        ChatOptions {
            add_generation_prompt: true,
            enable_thinking: None,
            tools: None,
        }
    }
}

/// A whole chat-completions request body: `messages` plus the [`ChatOptions`] fields at the
/// top level, as OpenAI and DashScope's compatible mode take them. Other request fields
/// (`model`, `temperature`, ...) are ignored.
///
/// ```
/// use qwen_meter::{ChatRequest, Message};
///
/// let req = ChatRequest::from_json(
///     r#"{"model": "qwen3-8b", "messages": [{"role": "user", "content": "Hi"}],
///         "enable_thinking": false}"#,
/// )
/// .unwrap();
/// assert_eq!(req.messages, vec![Message::user("Hi")]);
/// assert_eq!(req.options.enable_thinking, Some(false));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RequestFields")]
pub struct ChatRequest {
    /// The conversation.
    pub messages: Vec<Message>,
    /// Rendering options, at the top level of the request object.
    #[serde(flatten)]
    pub options: ChatOptions,
}

/// How a [`ChatRequest`] is read: the option fields spelled out, because serde's `flatten`
/// buffers them and error paths would lose the field name.
#[derive(Deserialize)]
struct RequestFields {
    messages: Vec<Message>,
    #[serde(default = "default_true", alias = "addGenerationPrompt")]
    add_generation_prompt: bool,
    #[serde(default, alias = "enableThinking")]
    enable_thinking: Option<bool>,
    #[serde(default)]
    tools: Option<Vec<Value>>,
}

fn default_true() -> bool {
    true
}

impl From<RequestFields> for ChatRequest {
    fn from(fields: RequestFields) -> ChatRequest {
        ChatRequest {
            messages: fields.messages,
            options: ChatOptions {
                add_generation_prompt: fields.add_generation_prompt,
                enable_thinking: fields.enable_thinking,
                tools: fields.tools,
            },
        }
    }
}

impl ChatRequest {
    /// Parses a request body; a shape error names its JSON path
    /// (`messages[2].content`) and message index.
    ///
    /// ```
    /// use qwen_meter::{ChatError, ChatRequest};
    ///
    /// let err = ChatRequest::from_json(r#"{"messages": [{"role": "user", "content": 5}]}"#)
    ///     .unwrap_err();
    /// assert!(matches!(err, ChatError::Json { index: Some(0), ref path, .. }
    ///     if path == "messages[0].content"));
    /// ```
    pub fn from_json(json: &str) -> Result<ChatRequest, ChatError> {
        parse_with_path(json, "")
    }
}

/// Parses a JSON array of messages; a shape error names the message index and its JSON path.
///
/// Only the JSON shape is checked here; whether the messages make a valid conversation
/// (known roles, content present, tool results after tool calls) is checked by rendering.
///
/// ```
/// use qwen_meter::{parse_messages, ChatError, Message};
///
/// let messages = parse_messages(r#"[{"role": "user", "content": "Hi"}]"#).unwrap();
/// assert_eq!(messages, vec![Message::user("Hi")]);
///
/// let err = parse_messages(r#"[{"role": "user", "content": "Hi"}, {"content": "x"}]"#)
///     .unwrap_err();
/// assert!(matches!(err, ChatError::Json { index: Some(1), .. }));
/// assert!(err.to_string().starts_with("messages[1]: missing field `role`"));
/// ```
pub fn parse_messages(json: &str) -> Result<Vec<Message>, ChatError> {
    parse_with_path(json, "messages")
}

/// Deserializes `json`, turning a failure into [`ChatError::Json`] with the path of the
/// failing value prefixed by `root` (the name of the value the text is).
fn parse_with_path<T: serde::de::DeserializeOwned>(json: &str, root: &str) -> Result<T, ChatError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    // Trailing characters after the value are an error too, as in `serde_json::from_str`.
    let value = result.map_err(|err| {
        let path = err.path();
        let segments: Vec<&serde_path_to_error::Segment> = path.iter().collect();
        json_error(root, &segments, err.inner().to_string())
    })?;
    deserializer
        .end()
        .map_err(|err| json_error(root, &[], err.to_string()))?;
    Ok(value)
}

fn json_error(
    root: &str,
    segments: &[&serde_path_to_error::Segment],
    message: String,
) -> ChatError {
    use serde_path_to_error::Segment;

    // The message index is the first array index under `messages`.
    let index = match (root, segments) {
        ("messages", [Segment::Seq { index }, ..]) => Some(*index),
        ("", [Segment::Map { key }, Segment::Seq { index }, ..]) if key == "messages" => {
            Some(*index)
        }
        _ => None,
    };
    let mut path = root.to_owned();
    for segment in segments {
        match segment {
            Segment::Seq { index } => path.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Segment::Unknown => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push('?');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    ChatError::Json {
        index,
        path,
        message,
    }
}
