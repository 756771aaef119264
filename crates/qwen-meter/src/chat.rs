//! Chat conversations counted exactly as the model sees them.
//!
//! A chat request is billed for the prompt the model reads, which is more than the message
//! texts: the chat template adds role headers (`<|im_start|>user\n`), a default system prompt
//! (Qwen2.5, Qwen2), the tool schemas and calling instructions, `<tool_call>` /
//! `<tool_response>` wrappers, and thinking markers (Qwen3, Qwen3.5). This module renders a
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
//! `tojson` (Python `json.dumps` formatting, float spelling included), Python string
//! methods and the `trim` / `string` filters re-implemented; the test `tests/chat_reference.rs` compares it byte for byte with
//! Python Jinja2 on generated conversations.
//!
//! What is not the template's doing, and so worth knowing:
//!
//! - Request-level normalizations happen before templating, as OpenAI-compatible servers
//!   do: array `content` is its text parts joined with `"\n"` (except for
//!   [`ChatTemplate::Qwen3_5`], whose template renders the parts itself, back to back), and
//!   a `null` content of an assistant message with tool calls is `""`.
//! - Tool-call `arguments` are passed as given. The Qwen2.5 template JSON-encodes a string
//!   again (`"arguments": "{\"city\": ...}"`), exactly as `apply_chat_template` does; servers
//!   such as vLLM parse the string into an object first, which renders shorter. The Qwen3.5
//!   template writes one `<parameter=...>` per argument and cannot render a string at all
//!   (Jinja2 raises), so for it a string holding a JSON object is parsed into that object
//!   (an empty string is `{}`), as vLLM does, and any other string is an error.
//! - The Qwen3.5 template itself refuses a system message after the first, and a
//!   conversation whose only user turns are tool results (`<tool_response>...`): rendering
//!   fails with [`ChatError::Template`], as `apply_chat_template` does.
//! - [`ChatTemplate::ChatMl`] (Qwen2, commercial API models) has no tool support: tool
//!   schemas and tool calls are not rendered, so they are not counted.
//! - Integers beyond 64 bits in tool schemas or arguments are read as floats (Python keeps
//!   every digit), so they are spelled differently; numbers beyond the `f64` range are a JSON
//!   error.

mod error;
mod media_parts;
mod message;
mod prepare;
mod pyjson;
mod pystr;
mod request;
mod template;
mod xml_tools;

pub use error::ChatError;
pub use media_parts::{ChatTokens, MediaOptions};
pub use message::{Content, ContentPart, FunctionCall, Message, Role, ToolCall};
pub use request::{ChatOptions, ChatRequest, parse_messages};
pub use template::ChatTemplate;

use crate::{Generation, Tokenizer};

/// Chat templates of a [`Generation`]: import it (or `qwen_meter::prelude::*`) to call
/// `generation.chat_template()`.
pub trait GenerationChat {
    /// The chat template this generation's models use.
    ///
    /// ```
    /// use qwen_meter::{ChatTemplate, Generation, GenerationChat};
    ///
    /// assert_eq!(Generation::Qwen2.chat_template(), ChatTemplate::ChatMl);
    /// ```
    fn chat_template(self) -> ChatTemplate;
}

impl GenerationChat for Generation {
    fn chat_template(self) -> ChatTemplate {
        ChatTemplate::for_generation(self)
    }
}

/// Chat methods of a [`Tokenizer`]: import it (or `qwen_meter::prelude::*`) to count or
/// render a conversation with the tokenizer's own chat template.
pub trait TokenizerChat {
    /// The chat template of this tokenizer's generation, or `None` for a tokenizer loaded
    /// from a file whose special tokens match no Qwen generation.
    ///
    /// ```
    /// use qwen_meter::{ChatTemplate, Tokenizer, TokenizerChat};
    ///
    /// assert_eq!(Tokenizer::qwen2_5().chat_template(), Some(ChatTemplate::Qwen2_5));
    /// ```
    fn chat_template(&self) -> Option<ChatTemplate>;

    /// The prompt text the model reads for this conversation: the messages rendered with
    /// this tokenizer's chat template (see [`ChatTemplate::render`]).
    ///
    /// ```
    /// use qwen_meter::{ChatOptions, Message, Tokenizer, TokenizerChat};
    ///
    /// let prompt = Tokenizer::qwen3()
    ///     .render_chat(&[Message::user("Hi")], &ChatOptions::default())
    ///     .unwrap();
    /// assert_eq!(prompt, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    /// ```
    fn render_chat(&self, messages: &[Message], options: &ChatOptions)
    -> Result<String, ChatError>;

    /// Token ids of the rendered conversation, the template's special-token markers
    /// (`<|im_start|>`, `<|im_end|>`, ...) included, as `apply_chat_template(...,
    /// tokenize=True)` returns them. Special-token text typed inside a message is a special
    /// token too, exactly as there.
    ///
    /// ```
    /// use qwen_meter::{ChatOptions, Message, Tokenizer, TokenizerChat};
    ///
    /// let tok = Tokenizer::qwen3();
    /// let ids = tok.encode_chat(&[Message::user("Hi")], &ChatOptions::default()).unwrap();
    /// // <|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n
    /// assert_eq!(ids, [151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198]);
    /// ```
    fn encode_chat(
        &self,
        messages: &[Message],
        options: &ChatOptions,
    ) -> Result<Vec<u32>, ChatError>;

    /// Number of prompt tokens the conversation is billed for: the length of
    /// [`encode_chat`](TokenizerChat::encode_chat).
    ///
    /// ```
    /// use qwen_meter::{ChatOptions, Message, Tokenizer, TokenizerChat};
    ///
    /// let messages = [Message::user("Hi")];
    /// let options = ChatOptions::default();
    /// // Qwen2.5 adds its default system prompt: 30 tokens for the 1 of "Hi".
    /// assert_eq!(Tokenizer::qwen2_5().count_chat(&messages, &options).unwrap(), 30);
    /// assert_eq!(Tokenizer::qwen3().count_chat(&messages, &options).unwrap(), 9);
    /// ```
    fn count_chat(&self, messages: &[Message], options: &ChatOptions) -> Result<usize, ChatError>;
}

impl TokenizerChat for Tokenizer {
    fn chat_template(&self) -> Option<ChatTemplate> {
        self.generation().map(ChatTemplate::for_generation)
    }

    fn render_chat(
        &self,
        messages: &[Message],
        options: &ChatOptions,
    ) -> Result<String, ChatError> {
        let template = self.chat_template().ok_or(ChatError::NoTemplate)?;
        template.render(messages, options)
    }

    fn encode_chat(
        &self,
        messages: &[Message],
        options: &ChatOptions,
    ) -> Result<Vec<u32>, ChatError> {
        Ok(self.encode(&self.render_chat(messages, options)?))
    }

    fn count_chat(&self, messages: &[Message], options: &ChatOptions) -> Result<usize, ChatError> {
        Ok(self.count(&self.render_chat(messages, options)?))
    }
}
