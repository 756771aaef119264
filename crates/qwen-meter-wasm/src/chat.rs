//! Chat conversations for JS: `messages` in the OpenAI / DashScope JSON shape, rendered with
//! the model's chat template and counted as the model sees them.
//!
//! Messages are handed to the core's JSON parser (`parse_messages`), so a malformed message
//! gets the core's message naming its index and field (`messages[1].content: ...`).

use qwen_meter::{ChatOptions, Message, Tokenizer, parse_messages};
use serde_json::Value;

use crate::api::{self, ApiError, ApiResult, ErrorCode, Kind, Obj};
use crate::pricing;
use qwen_meter::prelude::*;

fn chat_error(func: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Chat, func, e)
}

/// The `messages` argument: an array of message objects.
pub fn messages(func: &str, place: &str, v: Option<&Value>) -> ApiResult<Vec<Message>> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Err(ApiError::invalid(
            func,
            place,
            "is required (an array of messages)",
        ));
    };
    if !v.is_array() {
        return Err(api::type_error(
            func,
            place,
            "an array of messages",
            Kind::of(v),
        ));
    }
    // Re-serialising plain JSON data cannot fail.
    let text = serde_json::to_string(v).unwrap_or_default();
    parse_messages(&text).map_err(|e| chat_error(func, without_position(&e.to_string())))
}

/// Drops serde's `" at line 1 column 46"` from a message: the JSON text is the one we made
/// from the caller's objects, so its positions mean nothing to them.
pub fn without_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}

/// The `tools` option: an array of tool (function) schemas, passed to the template as is.
pub fn tools(func: &str, place: &str, v: &Value) -> ApiResult<Vec<Value>> {
    match v {
        Value::Array(items) => Ok(items.clone()),
        other => Err(api::type_error(
            func,
            place,
            "an array of tool schemas",
            Kind::of(other),
        )),
    }
}

/// Chat options: `{generation | model, addGenerationPrompt, enableThinking, tools}`.
pub fn options(func: &str, v: &Value) -> ApiResult<(&'static Tokenizer, ChatOptions)> {
    let mut out = ChatOptions::default();
    if v.is_null() {
        return Ok((Tokenizer::qwen3(), out));
    }
    let o = Obj::new(
        func,
        "options",
        v,
        &[
            "generation",
            "model",
            "addGenerationPrompt",
            "enableThinking",
            "tools",
        ],
    )?;
    let tokenizer = match (o.get("generation"), o.str("model")?) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                func,
                &o.at("model"),
                "give either generation or model, not both",
            ));
        }
        (Some(g), None) => {
            let g = api::parse_generation(func, &o.at("generation"), g)?;
            api::tokenizer_for(func, &o.at("generation"), g, None)?
        }
        (None, Some(id)) => {
            let generation = pricing::with_catalog(|c| {
                c.model(id).map(|m| m.generation).map_err(|e| {
                    ApiError::new(
                        ErrorCode::Catalog,
                        func,
                        format_args!("{}: {e}", o.at("model")),
                    )
                })
            })?;
            api::tokenizer_for(func, &o.at("model"), generation, Some(id))?
        }
        (None, None) => Tokenizer::qwen3(),
    };
    if let Some(b) = o.bool("addGenerationPrompt")? {
        out.add_generation_prompt = b;
    }
    out.enable_thinking = o.bool("enableThinking")?;
    if let Some(t) = o.get("tools") {
        out.tools = Some(tools(func, &o.at("tools"), t)?);
    }
    Ok((tokenizer, out))
}

/// `renderChat(messages, options?)`: the prompt text the model reads.
pub fn render(
    func: &str,
    messages: &[Message],
    tok: &Tokenizer,
    o: &ChatOptions,
) -> ApiResult<String> {
    tok.render_chat(messages, o)
        .map_err(|e| chat_error(func, e))
}

/// `countChat(messages, options?)`: prompt tokens billed for the conversation.
pub fn count(
    func: &str,
    messages: &[Message],
    tok: &Tokenizer,
    o: &ChatOptions,
) -> ApiResult<usize> {
    tok.count_chat(messages, o).map_err(|e| chat_error(func, e))
}

/// `encodeChat(messages, options?)`: token ids of the rendered conversation.
pub fn encode(
    func: &str,
    messages: &[Message],
    tok: &Tokenizer,
    o: &ChatOptions,
) -> ApiResult<Vec<u32>> {
    tok.encode_chat(messages, o)
        .map_err(|e| chat_error(func, e))
}
