//! qwen-meter: exact token counting, truncation and cost estimation for Qwen models.
//!
//! (Crate docs are completed with the tokenizer engine.)

mod error;
pub use error::{DecodeError, LoadError};

mod tokenizer;
pub use tokenizer::{Generation, Keep, TokenSpan, Tokenizer};

mod chat;
pub use chat::{
    parse_messages, ChatError, ChatOptions, ChatRequest, ChatTemplate, Content, ContentPart,
    FunctionCall, Message, Role, ToolCall,
};
