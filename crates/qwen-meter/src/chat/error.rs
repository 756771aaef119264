//! [`ChatError`]: why a conversation could not be rendered, and where.

use std::fmt;

/// A conversation that cannot be rendered, with the place that is wrong.
///
/// Every variant about a message names the message's index in the `messages` array and the
/// field (a JSON path relative to that message, such as `content[1].type` or
/// `tool_calls[0].function.arguments`), so a CLI or web page can point at the exact spot.
///
/// ```
/// use qwen_meter::{ChatError, ChatOptions, ChatTemplate, Message};
///
/// let messages = [Message::user("Hi"), Message::tool("42")];
/// let err = ChatTemplate::Qwen3.render(&messages, &ChatOptions::default()).unwrap_err();
/// assert_eq!(err, ChatError::ToolResultWithoutCall { index: 1 });
/// assert_eq!(
///     err.to_string(),
///     "messages[1].role: a tool result must follow an assistant message with tool_calls \
///      (or another tool result)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatError {
    /// The `messages` array is empty: there is no conversation to render.
    NoMessages,
    /// `messages[index].role` is not one of `system`, `user`, `assistant`, `tool`.
    UnknownRole {
        /// Index of the message in `messages`.
        index: usize,
        /// The role as given.
        role: String,
    },
    /// `messages[index].<field>` is required here but absent (or `null`).
    MissingField {
        /// Index of the message in `messages`.
        index: usize,
        /// Path of the field inside the message, e.g. `content`.
        field: String,
    },
    /// `messages[index].<field>` is present but cannot be rendered.
    InvalidField {
        /// Index of the message in `messages`.
        index: usize,
        /// Path of the field inside the message, e.g. `content[1].type`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `messages[index]` has role `tool` but does not answer an assistant tool call: the
    /// previous message is neither an assistant message with `tool_calls` nor another tool
    /// result.
    ToolResultWithoutCall {
        /// Index of the tool message in `messages`.
        index: usize,
    },
    /// `tools[index]` is not a JSON object (a tool schema).
    InvalidTool {
        /// Index of the tool in `tools`.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// JSON text did not have the expected shape (raised by [`parse_messages`] and
    /// [`ChatRequest::from_json`]).
    ///
    /// [`parse_messages`]: crate::parse_messages
    /// [`ChatRequest::from_json`]: crate::ChatRequest::from_json
    Json {
        /// Index of the message the error is in, when it is inside `messages`.
        index: Option<usize>,
        /// JSON path of the offending value, e.g. `messages[2].content` (`.` for the root).
        path: String,
        /// What serde found wrong there.
        message: String,
    },
    /// The tokenizer matches no Qwen generation (it was loaded from a file with other
    /// special tokens), so it has no chat template: render with a [`ChatTemplate`] and count
    /// the text instead.
    ///
    /// [`ChatTemplate`]: crate::ChatTemplate
    NoTemplate,
    /// The chat template itself failed (a `raise_exception` call in the template, or an
    /// engine error). The validation above is meant to make this unreachable for the
    /// bundled templates.
    Template {
        /// The engine's message.
        message: String,
    },
}

impl fmt::Display for ChatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChatError::NoMessages => write!(f, "messages: the conversation has no messages"),
            ChatError::UnknownRole { index, role } => write!(
                f,
                "messages[{index}].role: unknown role {role:?} \
                 (expected \"system\", \"user\", \"assistant\" or \"tool\")"
            ),
            ChatError::MissingField { index, field } => {
                write!(f, "messages[{index}].{field}: missing")
            }
            ChatError::InvalidField {
                index,
                field,
                reason,
            } => write!(f, "messages[{index}].{field}: {reason}"),
            ChatError::ToolResultWithoutCall { index } => write!(
                f,
                "messages[{index}].role: a tool result must follow an assistant message with \
                 tool_calls (or another tool result)"
            ),
            ChatError::InvalidTool { index, reason } => write!(f, "tools[{index}]: {reason}"),
            ChatError::Json { path, message, .. } => write!(f, "{path}: {message}"),
            ChatError::NoTemplate => write!(
                f,
                "tokenizer: no chat template (its special tokens match no Qwen generation)"
            ),
            ChatError::Template { message } => write!(f, "chat template: {message}"),
        }
    }
}

impl std::error::Error for ChatError {}
