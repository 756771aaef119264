//! Known renders of the bundled templates, pinned byte for byte.
//!
//! Each expected string was produced by Python Jinja2 with the same template file, set up as
//! transformers' `apply_chat_template` (`tests/jinja_reference.py`).

use qwen_meter::prelude::*;
use qwen_meter::{ChatOptions, ChatRequest, ChatTemplate, Generation, Message, ToolCall};
use serde_json::json;

const QWEN2_5_HI: &str = "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a \
                          helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n\
                          <|im_start|>assistant\n";

fn options() -> ChatOptions {
    ChatOptions::default()
}

#[test]
fn qwen2_5_adds_its_default_system_prompt() {
    let prompt = ChatTemplate::Qwen2_5
        .render(&[Message::user("Hi")], &options())
        .unwrap();
    assert_eq!(prompt, QWEN2_5_HI);
}

#[test]
fn qwen2_5_keeps_a_given_system_prompt() {
    let prompt = ChatTemplate::Qwen2_5
        .render(
            &[Message::system("Be brief."), Message::user("Hi")],
            &options(),
        )
        .unwrap();
    assert_eq!(
        prompt,
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n\
         <|im_start|>assistant\n"
    );
}

#[test]
fn qwen3_thinking_off_appends_an_empty_think_block() {
    let messages = [Message::user("Hi")];
    let off = ChatOptions {
        enable_thinking: Some(false),
        ..options()
    };
    assert_eq!(
        ChatTemplate::Qwen3.render(&messages, &off).unwrap(),
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
    );
    // Thinking on, or left to the template, adds nothing: the model opens <think> itself.
    for enable_thinking in [Some(true), None] {
        let on = ChatOptions {
            enable_thinking,
            ..options()
        };
        assert_eq!(
            ChatTemplate::Qwen3.render(&messages, &on).unwrap(),
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
    }
}

#[test]
fn qwen3_has_no_default_system_prompt() {
    let no_prompt = ChatOptions {
        add_generation_prompt: false,
        ..options()
    };
    assert_eq!(
        ChatTemplate::Qwen3
            .render(&[Message::user("Hi")], &no_prompt)
            .unwrap(),
        "<|im_start|>user\nHi<|im_end|>\n"
    );
}

#[test]
fn qwen3_drops_reasoning_of_earlier_turns() {
    let messages = [
        Message::user("2+2?"),
        Message::assistant("4").with_reasoning("2+2=4"),
        Message::user("And 3+3?"),
    ];
    assert_eq!(
        ChatTemplate::Qwen3.render(&messages, &options()).unwrap(),
        "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n\
         <|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n"
    );
}

#[test]
fn qwen3_parses_think_tags_in_the_last_reply() {
    let no_prompt = ChatOptions {
        add_generation_prompt: false,
        ..options()
    };
    let messages = [
        Message::user("2+2?"),
        Message::assistant("<think>\nadd\n</think>\n\n4"),
    ];
    assert_eq!(
        ChatTemplate::Qwen3.render(&messages, &no_prompt).unwrap(),
        "<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n<think>\nadd\n</think>\n\n4\
         <|im_end|>\n"
    );
}

/// A tool round trip in the OpenAI JSON shape: string arguments, `content: null`.
fn weather_request() -> ChatRequest {
    ChatRequest::from_json(
        r#"{
          "messages": [
            {"role": "user", "content": "Weather in Paris?"},
            {"role": "assistant", "content": null, "reasoning_content": "Need the tool.",
             "tool_calls": [{"id": "c1", "type": "function",
                             "function": {"name": "get_weather",
                                          "arguments": "{\"city\": \"Paris\"}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "21°C"},
            {"role": "assistant", "content": "It is 21°C.", "reasoning_content": "Report it."}
          ],
          "tools": [{"type": "function", "function": {"name": "get_weather",
                     "description": "Weather", "parameters": {"type": "object",
                     "properties": {"city": {"type": "string"}}, "required": ["city"]}}}],
          "addGenerationPrompt": false
        }"#,
    )
    .unwrap()
}

const TOOLS_BLOCK: &str = "# Tools\n\nYou may call one or more functions to assist with the user \
    query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n\
    <tools>\n{\"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"description\": \
    \"Weather\", \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \
    \"string\"}}, \"required\": [\"city\"]}}}\n</tools>\n\nFor each function call, return a json \
    object with function name and arguments within <tool_call></tool_call> XML tags:\n\
    <tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>\
    <|im_end|>\n";

#[test]
fn qwen3_tools_tool_calls_and_results() {
    let request = weather_request();
    let prompt = ChatTemplate::Qwen3
        .render(&request.messages, &request.options)
        .unwrap();
    let want = format!(
        "<|im_start|>system\n{TOOLS_BLOCK}<|im_start|>user\nWeather in Paris?<|im_end|>\n\
         <|im_start|>assistant\n<think>\nNeed the tool.\n</think>\n\n<tool_call>\n\
         {{\"name\": \"get_weather\", \"arguments\": {{\"city\": \"Paris\"}}}}\n</tool_call>\
         <|im_end|>\n<|im_start|>user\n<tool_response>\n21°C\n</tool_response><|im_end|>\n\
         <|im_start|>assistant\n<think>\nReport it.\n</think>\n\nIt is 21°C.<|im_end|>\n"
    );
    assert_eq!(prompt, want);
}

#[test]
fn qwen2_5_tools_encode_string_arguments_again() {
    // Qwen2.5's template pipes arguments through tojson, so an OpenAI-style string is
    // rendered as a quoted JSON string; that is what apply_chat_template produces.
    let request = weather_request();
    let prompt = ChatTemplate::Qwen2_5
        .render(&request.messages, &request.options)
        .unwrap();
    let want = format!(
        "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful \
         assistant.\n\n{TOOLS_BLOCK}<|im_start|>user\nWeather in Paris?<|im_end|>\n\
         <|im_start|>assistant\n<tool_call>\n{{\"name\": \"get_weather\", \"arguments\": \
         \"{{\\\"city\\\": \\\"Paris\\\"}}\"}}\n</tool_call><|im_end|>\n<|im_start|>user\n\
         <tool_response>\n21°C\n</tool_response><|im_end|>\n<|im_start|>assistant\n\
         It is 21°C.<|im_end|>\n"
    );
    assert_eq!(prompt, want);
}

#[test]
fn object_arguments_use_python_json_spacing() {
    let messages = [
        Message::user("Add"),
        Message::assistant("").with_tool_calls(vec![ToolCall::function(
            "add",
            json!({"a": 1, "b": 2.0, "note": "é"}),
        )]),
    ];
    let no_prompt = ChatOptions {
        add_generation_prompt: false,
        ..options()
    };
    for template in [ChatTemplate::Qwen3, ChatTemplate::Qwen2_5] {
        let prompt = template.render(&messages, &no_prompt).unwrap();
        assert!(
            prompt.contains(
                "<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2.0, \
                 \"note\": \"é\"}}\n</tool_call><|im_end|>\n"
            ),
            "{template:?}: {prompt}"
        );
    }
}

#[test]
fn chatml_is_plain_with_a_default_system_prompt() {
    assert_eq!(
        ChatTemplate::ChatMl
            .render(&[Message::user("Hi")], &options())
            .unwrap(),
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi\
         <|im_end|>\n<|im_start|>assistant\n"
    );
    assert_eq!(
        ChatTemplate::ChatMl
            .render(
                &[
                    Message::system("S"),
                    Message::user("Hi"),
                    Message::assistant("Yo")
                ],
                &ChatOptions {
                    add_generation_prompt: false,
                    ..options()
                }
            )
            .unwrap(),
        "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n\
         <|im_start|>assistant\nYo<|im_end|>\n"
    );
}

#[test]
fn content_parts_are_joined_with_newlines() {
    let request = ChatRequest::from_json(
        r#"{"messages": [{"role": "user", "content": [{"type": "text", "text": "a"},
                                                      {"type": "text", "text": "b"}]}]}"#,
    )
    .unwrap();
    assert_eq!(
        ChatTemplate::Qwen3
            .render(&request.messages, &request.options)
            .unwrap(),
        "<|im_start|>user\na\nb<|im_end|>\n<|im_start|>assistant\n"
    );
}

#[test]
fn special_token_text_and_jinja_syntax_in_content_are_literal() {
    let text = "<|im_end|>{{ messages }}{% if true %}x{% endif %}";
    let prompt = ChatTemplate::Qwen3
        .render(&[Message::user(text)], &options())
        .unwrap();
    assert_eq!(
        prompt,
        format!("<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n")
    );
}

#[test]
fn generations_map_to_templates() {
    assert_eq!(Generation::Qwen3.chat_template(), ChatTemplate::Qwen3);
    assert_eq!(Generation::Qwen2_5.chat_template(), ChatTemplate::Qwen2_5);
    assert_eq!(Generation::Qwen2.chat_template(), ChatTemplate::ChatMl);
    assert_eq!(Generation::Qwen.chat_template(), ChatTemplate::ChatMl);
}

#[test]
fn messages_round_trip_through_json() {
    let request = weather_request();
    let json = serde_json::to_string(&request).unwrap();
    let again = ChatRequest::from_json(&json).unwrap();
    assert_eq!(again, request);
    // Serialized options use the snake_case names.
    assert!(json.contains("\"add_generation_prompt\":false"));
}
