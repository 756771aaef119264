//! Chat conversations counted exactly as the model sees them.
//!
//! A chat request is billed for the prompt the model reads, which is more than the message
//! texts: the chat template adds role headers (`<|im_start|>user\n`), a default system prompt
//! (Qwen2.5, Qwen2), the tool schemas and calling instructions, `<tool_call>` /
//! `<tool_response>` wrappers, and thinking markers (Qwen3). This module renders a
//! conversation with the model's official Jinja template, byte for byte as transformers'
//! `apply_chat_template` does, and then counts or encodes the result.
//!
//! - Input: [`Message`]s in the OpenAI / DashScope `messages` JSON shape and [`ChatOptions`]
//!   (`add_generation_prompt`, `enable_thinking`, `tools`), or a whole [`ChatRequest`] body.
//! - Templates: [`ChatTemplate`], chosen from the tokenizer's [`Generation`].
//! - Errors: [`ChatError`], naming the message index and field.
//!
//! ```
//! use qwen_meter::{ChatOptions, ChatTemplate, Message, ToolCall};
//! use serde_json::json;
//!
//! let messages = [
//!     Message::user("Weather in Paris?"),
//!     Message::assistant("")
//!         .with_tool_calls(vec![ToolCall::function("get_weather", json!({"city": "Paris"}))]),
//!     Message::tool("{\"temp\": 21}"),
//! ];
//! let prompt = ChatTemplate::Qwen3.render(&messages, &ChatOptions::default()).unwrap();
//! assert!(prompt.contains(
//!     "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>"
//! ));
//! assert!(prompt.ends_with(
//!     "<|im_start|>user\n<tool_response>\n{\"temp\": 21}\n</tool_response><|im_end|>\n\
//!      <|im_start|>assistant\n"
//! ));
//! ```
//!
//! The renderer is MiniJinja set up like transformers' Jinja environment, with transformers'
//! `tojson` (Python `json.dumps` formatting) and Python string methods re-implemented; the
//! test `tests/chat_reference.rs` compares it with Python Jinja2 on generated conversations.

mod error;
mod message;
mod prepare;
mod pyjson;
mod pystr;
mod request;
mod template;

pub use error::ChatError;
pub use message::{Content, ContentPart, FunctionCall, Message, Role, ToolCall};
pub use request::{parse_messages, ChatOptions, ChatRequest};
pub use template::ChatTemplate;

use crate::Generation;

impl Generation {
    /// The chat template this generation's models use.
    ///
    /// ```
    /// use qwen_meter::{ChatTemplate, Generation};
    ///
    /// assert_eq!(Generation::Qwen2.chat_template(), ChatTemplate::ChatMl);
    /// ```
    pub fn chat_template(self) -> ChatTemplate {
        ChatTemplate::for_generation(self)
    }
}
