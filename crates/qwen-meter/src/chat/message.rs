//! The conversation types: [`Message`] and its parts, in the OpenAI / DashScope `messages`
//! JSON shape.
//!
//! Deserialization is deliberately lenient (unknown roles, missing content and stray fields
//! all parse): the checks happen when the conversation is rendered, where a failure can name
//! the message index and field instead of a line and column of the JSON text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Who speaks a [`Message`]: the `role` field.
///
/// Serialized as the lowercase string (`"system"`, `"user"`, `"assistant"`, `"tool"`). Any
/// other string deserializes to [`Role::Other`] so that the error can be reported with the
/// message index when the conversation is rendered ([`ChatError::UnknownRole`]).
///
/// ```
/// use qwen_meter::Role;
///
/// let role: Role = serde_json::from_str("\"assistant\"").unwrap();
/// assert_eq!(role, Role::Assistant);
/// assert_eq!(Role::from("bot"), Role::Other("bot".into()));
/// assert_eq!(serde_json::to_string(&Role::Tool).unwrap(), "\"tool\"");
/// ```
///
/// [`ChatError::UnknownRole`]: crate::ChatError::UnknownRole
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    /// Instructions for the model (`"system"`).
    System,
    /// The person talking to the model (`"user"`).
    User,
    /// The model (`"assistant"`), possibly with tool calls and reasoning.
    Assistant,
    /// The result of a tool call (`"tool"`).
    Tool,
    /// Any other role string; rendering rejects it.
    Other(String),
}

impl Role {
    /// The role as it appears in JSON and in the rendered prompt.
    ///
    /// ```
    /// assert_eq!(qwen_meter::Role::User.as_str(), "user");
    /// ```
    pub fn as_str(&self) -> &str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
            Role::Other(other) => other,
        }
    }
}

impl From<&str> for Role {
    fn from(role: &str) -> Role {
        match role {
            "system" => Role::System,
            "user" => Role::User,
            "assistant" => Role::Assistant,
            "tool" => Role::Tool,
            other => Role::Other(other.to_owned()),
        }
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Role, D::Error> {
        let role = String::deserialize(deserializer)?;
        Ok(Role::from(role.as_str()))
    }
}

/// The `content` of a message: a string, or the OpenAI array of content parts.
///
/// Only text parts can be rendered; their texts are joined with `"\n"`, which is what
/// OpenAI-compatible servers such as vLLM do before applying the chat template (the Jinja
/// templates themselves only take strings).
///
/// ```
/// use qwen_meter::Content;
///
/// let parts: Content =
///     serde_json::from_str(r#"[{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]"#)
///         .unwrap();
/// assert!(matches!(parts, Content::Parts(ref p) if p.len() == 2));
/// assert_eq!(Content::from("hi"), Content::Text("hi".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Content {
    /// Plain text.
    Text(String),
    /// Content parts: `[{"type": "text", "text": "..."}]`.
    Parts(Vec<ContentPart>),
}

impl From<&str> for Content {
    fn from(text: &str) -> Content {
        Content::Text(text.to_owned())
    }
}

impl From<String> for Content {
    fn from(text: String) -> Content {
        Content::Text(text)
    }
}

/// One element of an array `content`: `{"type": "text", "text": "..."}`, or an image, video
/// or audio part.
///
/// Media parts (`image_url`, `video_url`/`video`, `input_audio`) keep their fields in
/// [`fields`](ContentPart::fields). Text-only rendering rejects them, since their tokens are
/// not text; [`Model::count_chat_tokens`](crate::Model::count_chat_tokens) and
/// [`MediaOptions::count_chat`](crate::MediaOptions::count_chat) count them.
///
/// ```
/// use qwen_meter::ContentPart;
///
/// let part = ContentPart::text("hello");
/// assert_eq!(serde_json::to_string(&part).unwrap(), r#"{"type":"text","text":"hello"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentPart {
    /// The part type, `"text"` for the parts that can be counted.
    #[serde(rename = "type")]
    pub kind: String,
    /// The text of a text part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The part's other fields as given (`image_url`, `video_url`, `input_audio`,
    /// `max_pixels`, `fps`, ...).
    #[serde(flatten)]
    pub fields: serde_json::Map<String, Value>,
}

impl ContentPart {
    /// A text part.
    ///
    /// ```
    /// assert_eq!(qwen_meter::ContentPart::text("x").text.as_deref(), Some("x"));
    /// ```
    pub fn text(text: impl Into<String>) -> ContentPart {
        ContentPart {
            kind: "text".to_owned(),
            text: Some(text.into()),
            fields: serde_json::Map::new(),
        }
    }

    fn media(kind: &str, field: &str, value: Value) -> ContentPart {
        let mut fields = serde_json::Map::new();
        fields.insert(field.to_owned(), value);
        ContentPart {
            kind: kind.to_owned(),
            text: None,
            fields,
        }
    }

    /// An `image_url` part for an image of known size (qwen-meter reads `width` and
    /// `height` in `image_url`; nothing is fetched).
    ///
    /// ```
    /// use qwen_meter::{ContentPart, ImageSize};
    /// let part = ContentPart::image(ImageSize::new(1920, 1080));
    /// assert_eq!(
    ///     serde_json::to_string(&part).unwrap(),
    ///     r#"{"type":"image_url","image_url":{"width":1920,"height":1080}}"#
    /// );
    /// ```
    pub fn image(size: crate::ImageSize) -> ContentPart {
        ContentPart::media(
            "image_url",
            "image_url",
            serde_json::json!({"width": size.width, "height": size.height}),
        )
    }

    /// An `image_url` part for an image's bytes: its size is read from the header.
    ///
    /// ```
    /// let png = [
    ///     0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ///     0, 0, 0x02, 0x00, 0, 0, 0x02, 0x00,
    /// ];
    /// let part = qwen_meter::ContentPart::image_bytes(&png)?;
    /// assert_eq!(part.fields["image_url"]["width"], 512);
    /// # Ok::<(), qwen_meter::MediaError>(())
    /// ```
    pub fn image_bytes(bytes: &[u8]) -> Result<ContentPart, crate::MediaError> {
        Ok(ContentPart::image(crate::image_size(bytes)?))
    }

    /// A `video_url` part for a video of `seconds` at `size` (`duration`, `width` and
    /// `height` in `video_url`).
    ///
    /// ```
    /// use qwen_meter::{ContentPart, ImageSize};
    /// let part = ContentPart::video(60.0, ImageSize::new(1920, 1080));
    /// assert_eq!(part.fields["video_url"]["duration"], 60.0);
    /// ```
    pub fn video(seconds: f64, size: crate::ImageSize) -> ContentPart {
        ContentPart::media(
            "video_url",
            "video_url",
            serde_json::json!({"duration": seconds, "width": size.width, "height": size.height}),
        )
    }

    /// An `input_audio` part for `seconds` of audio (`duration` in `input_audio`).
    ///
    /// ```
    /// let part = qwen_meter::ContentPart::audio(30.0);
    /// assert_eq!(part.fields["input_audio"]["duration"], 30.0);
    /// ```
    pub fn audio(seconds: f64) -> ContentPart {
        ContentPart::media(
            "input_audio",
            "input_audio",
            serde_json::json!({"duration": seconds}),
        )
    }
}

/// A tool call made by the assistant: `{"id": ..., "type": "function", "function": {...}}`.
///
/// ```
/// use qwen_meter::ToolCall;
/// use serde_json::json;
///
/// let call: ToolCall = serde_json::from_value(json!({
///     "id": "call_1",
///     "type": "function",
///     "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\"}"}
/// }))
/// .unwrap();
/// assert_eq!(call.function.name, "get_weather");
/// assert_eq!(call.function.arguments, json!("{\"city\": \"Paris\"}"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCall {
    /// The call id that a tool result's `tool_call_id` refers to (not rendered by the Qwen
    /// templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The call type, `"function"`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The function called.
    pub function: FunctionCall,
}

impl ToolCall {
    /// A function call with `type: "function"` and no id.
    ///
    /// ```
    /// use qwen_meter::ToolCall;
    /// use serde_json::json;
    ///
    /// let call = ToolCall::function("get_weather", json!({"city": "Paris"}));
    /// assert_eq!(call.kind.as_deref(), Some("function"));
    /// ```
    pub fn function(name: impl Into<String>, arguments: Value) -> ToolCall {
        ToolCall {
            id: None,
            kind: Some("function".to_owned()),
            function: FunctionCall {
                name: name.into(),
                arguments,
            },
        }
    }

    /// The same call with an `id`.
    ///
    /// ```
    /// use qwen_meter::ToolCall;
    ///
    /// let call = ToolCall::function("f", serde_json::json!({})).with_id("call_1");
    /// assert_eq!(call.id.as_deref(), Some("call_1"));
    /// ```
    pub fn with_id(mut self, id: impl Into<String>) -> ToolCall {
        self.id = Some(id.into());
        self
    }
}

/// The `function` of a [`ToolCall`]: its name and arguments.
///
/// `arguments` is kept as JSON, exactly as given: OpenAI sends a JSON *string*, Hugging Face
/// examples use an *object*. The templates differ on strings: Qwen3 inserts a string
/// verbatim, while Qwen2.5 passes it through `tojson` and so renders it as a quoted JSON
/// string, which is what `apply_chat_template` produces for the same input. Qwen3.5 lists
/// the arguments one by one, so a string there must hold a JSON object (it is parsed first).
///
/// ```
/// use qwen_meter::FunctionCall;
///
/// let f: FunctionCall =
///     serde_json::from_str(r#"{"name": "add", "arguments": {"a": 1, "b": 2}}"#).unwrap();
/// assert_eq!(f.arguments["b"], 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionCall {
    /// The function name.
    pub name: String,
    /// The arguments: a JSON object or a string (usually JSON text). Missing or `null` is
    /// rejected at render time.
    #[serde(default)]
    pub arguments: Value,
}

/// One message of a conversation, in the OpenAI / DashScope `messages` shape.
///
/// Accepted JSON (unknown fields such as `name` of other APIs are ignored):
///
/// ```json
/// {"role": "system" | "user" | "assistant" | "tool",
///  "content": "text" | [{"type": "text", "text": "..."}] | null,
///  "reasoning_content": "...",                       // assistant only
///  "tool_calls": [{"id": "...", "type": "function",
///                  "function": {"name": "...", "arguments": {...} | "..."}}],  // assistant only
///  "tool_call_id": "...",                            // tool results
///  "name": "..."}
/// ```
///
/// `content` may be `null` or absent only on an assistant message with tool calls (it then
/// renders as `""`).
///
/// ```
/// use qwen_meter::{Message, Role};
///
/// let m: Message = serde_json::from_str(r#"{"role": "user", "content": "Hi"}"#).unwrap();
/// assert_eq!(m, Message::user("Hi"));
/// assert_eq!(m.role, Role::User);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Who speaks.
    pub role: Role,
    /// The text, `None` when absent or `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    /// The assistant's reasoning (thinking) text, as returned by Qwen3 / QwQ APIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_content: Option<String>,
    /// The assistant's tool calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_calls: Option<Vec<ToolCall>>,
    /// For a tool result, the id of the call it answers (not rendered by the Qwen templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
    /// An optional participant or tool name (not rendered by the Qwen templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Message {
    /// A message with `role` and text `content` and nothing else.
    ///
    /// ```
    /// use qwen_meter::{Message, Role};
    ///
    /// assert_eq!(Message::new(Role::User, "Hi"), Message::user("Hi"));
    /// ```
    pub fn new(role: Role, content: impl Into<String>) -> Message {
        Message {
            role,
            content: Some(Content::Text(content.into())),
            reasoning_content: None,
            tool_calls: None,
            tool_call_id: None,
            name: None,
        }
    }

    /// A system message.
    ///
    /// ```
    /// assert_eq!(qwen_meter::Message::system("Be brief.").role, qwen_meter::Role::System);
    /// ```
    pub fn system(content: impl Into<String>) -> Message {
        Message::new(Role::System, content)
    }

    /// A user message.
    ///
    /// ```
    /// assert_eq!(qwen_meter::Message::user("Hi").role, qwen_meter::Role::User);
    /// ```
    pub fn user(content: impl Into<String>) -> Message {
        Message::new(Role::User, content)
    }

    /// An assistant message.
    ///
    /// ```
    /// assert_eq!(qwen_meter::Message::assistant("Hello!").role, qwen_meter::Role::Assistant);
    /// ```
    pub fn assistant(content: impl Into<String>) -> Message {
        Message::new(Role::Assistant, content)
    }

    /// A tool result (role `tool`); it must follow an assistant message with tool calls.
    ///
    /// ```
    /// let m = qwen_meter::Message::tool("{\"temp\": 21}").with_tool_call_id("call_1");
    /// assert_eq!(m.tool_call_id.as_deref(), Some("call_1"));
    /// ```
    pub fn tool(content: impl Into<String>) -> Message {
        Message::new(Role::Tool, content)
    }

    /// The same message with `reasoning_content`.
    ///
    /// ```
    /// let m = qwen_meter::Message::assistant("4").with_reasoning("2 + 2 = 4");
    /// assert_eq!(m.reasoning_content.as_deref(), Some("2 + 2 = 4"));
    /// ```
    pub fn with_reasoning(mut self, reasoning: impl Into<String>) -> Message {
        self.reasoning_content = Some(reasoning.into());
        self
    }

    /// The same message with `tool_calls`.
    ///
    /// ```
    /// use qwen_meter::{Message, ToolCall};
    /// use serde_json::json;
    ///
    /// let m = Message::assistant("")
    ///     .with_tool_calls(vec![ToolCall::function("get_time", json!({}))]);
    /// assert_eq!(m.tool_calls.unwrap().len(), 1);
    /// ```
    pub fn with_tool_calls(mut self, tool_calls: Vec<ToolCall>) -> Message {
        self.tool_calls = Some(tool_calls);
        self
    }

    /// The same message with `tool_call_id`.
    ///
    /// ```
    /// let m = qwen_meter::Message::tool("ok").with_tool_call_id("call_9");
    /// assert_eq!(m.tool_call_id.as_deref(), Some("call_9"));
    /// ```
    pub fn with_tool_call_id(mut self, id: impl Into<String>) -> Message {
        self.tool_call_id = Some(id.into());
        self
    }
}
