//! Malformed conversations are errors that name the message index and field.

use qwen_meter::{
    ChatError, ChatOptions, ChatRequest, ChatTemplate, Message, Role, ToolCall, parse_messages,
};
use serde_json::json;

fn render(messages: &[Message]) -> Result<String, ChatError> {
    ChatTemplate::Qwen3.render(messages, &ChatOptions::default())
}

fn render_json(messages: &str) -> Result<String, ChatError> {
    render(&parse_messages(messages)?)
}

#[test]
fn empty_conversation() {
    assert_eq!(render(&[]), Err(ChatError::NoMessages));
}

#[test]
fn unknown_role() {
    let err = render_json(r#"[{"role": "user", "content": "a"}, {"role": "bot", "content": "b"}]"#)
        .unwrap_err();
    assert_eq!(
        err,
        ChatError::UnknownRole {
            index: 1,
            role: "bot".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "messages[1].role: unknown role \"bot\" (expected \"system\", \"user\", \"assistant\" \
         or \"tool\")"
    );
    // Every template rejects it, including ChatML which would otherwise print it.
    for template in ChatTemplate::ALL {
        let m = [Message::new(Role::Other("developer".into()), "x")];
        assert!(matches!(
            template.render(&m, &ChatOptions::default()),
            Err(ChatError::UnknownRole { index: 0, .. })
        ));
    }
}

#[test]
fn missing_content() {
    for json in [
        r#"[{"role": "user"}]"#,
        r#"[{"role": "user", "content": null}]"#,
        r#"[{"role": "assistant"}]"#,
        r#"[{"role": "assistant", "content": null, "tool_calls": []}]"#,
    ] {
        let err = render_json(json).unwrap_err();
        assert_eq!(
            err,
            ChatError::MissingField {
                index: 0,
                field: "content".into()
            },
            "{json}"
        );
        assert_eq!(err.to_string(), "messages[0].content: missing");
    }
    // ...but an assistant message that only calls tools may omit it.
    let ok = render_json(
        r#"[{"role": "user", "content": "x"},
            {"role": "assistant", "tool_calls": [{"function": {"name": "f", "arguments": {}}}]}]"#,
    );
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn tool_result_without_a_call() {
    for (json, index) in [
        (r#"[{"role": "tool", "content": "x"}]"#, 0),
        (
            r#"[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"},
                {"role": "tool", "content": "x"}]"#,
            2,
        ),
        (
            r#"[{"role": "user", "content": "q"},
                {"role": "assistant", "content": "", "tool_calls": [
                    {"function": {"name": "f", "arguments": "{}"}}]},
                {"role": "tool", "content": "x"}, {"role": "user", "content": "more"},
                {"role": "tool", "content": "late"}]"#,
            4,
        ),
    ] {
        let err = render_json(json).unwrap_err();
        assert_eq!(err, ChatError::ToolResultWithoutCall { index }, "{json}");
        assert!(
            err.to_string()
                .starts_with(&format!("messages[{index}].role: "))
        );
    }
    // Several results may answer one batch of calls.
    let ok = render(&[
        Message::user("q"),
        Message::assistant("").with_tool_calls(vec![
            ToolCall::function("f", json!({})),
            ToolCall::function("g", json!({})),
        ]),
        Message::tool("1"),
        Message::tool("2"),
    ]);
    assert!(ok.is_ok(), "{ok:?}");
}

#[test]
fn fields_only_assistants_carry() {
    let err = render(&[Message::user("q").with_tool_calls(vec![])]).unwrap_err();
    assert!(
        matches!(err, ChatError::InvalidField { index: 0, ref field, .. } if field == "tool_calls")
    );
    let err = render(&[Message::user("q"), Message::system("s").with_reasoning("r")]).unwrap_err();
    assert!(
        matches!(err, ChatError::InvalidField { index: 1, ref field, .. } if field == "reasoning_content")
    );
}

#[test]
fn tool_call_arguments() {
    let call = |arguments: serde_json::Value| {
        render(&[
            Message::user("q"),
            Message::assistant("").with_tool_calls(vec![
                ToolCall::function("ok", json!({})),
                ToolCall::function("f", arguments),
            ]),
        ])
    };
    assert_eq!(
        call(serde_json::Value::Null).unwrap_err(),
        ChatError::MissingField {
            index: 1,
            field: "tool_calls[1].function.arguments".into()
        }
    );
    let err = call(json!([1, 2])).unwrap_err();
    assert!(
        matches!(err, ChatError::InvalidField { index: 1, ref field, .. }
        if field == "tool_calls[1].function.arguments")
    );
    assert_eq!(
        err.to_string(),
        "messages[1].tool_calls[1].function.arguments: arguments must be a JSON object or a string"
    );
    assert!(call(json!("{\"a\": 1}")).is_ok());
    assert!(call(json!({"a": 1})).is_ok());
}

#[test]
fn content_parts() {
    let err = render_json(
        r#"[{"role": "user", "content": [{"type": "text", "text": "a"},
            {"type": "image_url", "image_url": {"url": "x"}}]}]"#,
    )
    .unwrap_err();
    assert!(
        matches!(err, ChatError::InvalidField { index: 0, ref field, .. } if field == "content[1].type")
    );
    let err = render_json(r#"[{"role": "user", "content": [{"type": "text"}]}]"#).unwrap_err();
    assert_eq!(
        err,
        ChatError::MissingField {
            index: 0,
            field: "content[0].text".into()
        }
    );
}

#[test]
fn tools_must_be_objects() {
    let options = ChatOptions {
        tools: Some(vec![json!({"type": "function"}), json!("get_weather")]),
        ..ChatOptions::default()
    };
    let err = ChatTemplate::Qwen2_5
        .render(&[Message::user("q")], &options)
        .unwrap_err();
    assert!(matches!(err, ChatError::InvalidTool { index: 1, .. }));
    assert!(err.to_string().starts_with("tools[1]: "));
}

#[test]
fn json_shape_errors_name_the_path() {
    let err =
        parse_messages(r#"[{"role": "user", "content": "a"}, {"role": "user", "content": 5}]"#)
            .unwrap_err();
    match &err {
        ChatError::Json { index, path, .. } => {
            assert_eq!(*index, Some(1));
            assert_eq!(path, "messages[1].content");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().starts_with("messages[1].content: "));

    let err = ChatRequest::from_json(
        r#"{"messages": [{"role": "assistant", "content": "", "tool_calls": [{"function": {"arguments": {}}}]}]}"#,
    )
    .unwrap_err();
    assert!(
        matches!(err, ChatError::Json { index: Some(0), ref path, ref message }
            if path == "messages[0].tool_calls[0].function" && message.contains("name")),
        "{err:?}"
    );

    let err = ChatRequest::from_json(r#"{"messages": [], "enable_thinking": "yes"}"#).unwrap_err();
    assert!(
        matches!(err, ChatError::Json { index: None, ref path, .. } if path == "enable_thinking"),
        "{err:?}"
    );

    for text in ["not json", "[] trailing", r#"{"model": "x"}"#] {
        let err = ChatRequest::from_json(text).unwrap_err();
        assert!(
            matches!(err, ChatError::Json { index: None, .. }),
            "{text}: {err:?}"
        );
    }
    assert!(parse_messages("[] trailing").is_err());
}

#[test]
fn options_accept_both_spellings() {
    let snake: ChatOptions = serde_json::from_str(
        r#"{"add_generation_prompt": false, "enable_thinking": false, "tools": []}"#,
    )
    .unwrap();
    let camel: ChatOptions = serde_json::from_str(
        r#"{"addGenerationPrompt": false, "enableThinking": false, "tools": []}"#,
    )
    .unwrap();
    assert_eq!(snake, camel);
    assert!(!snake.add_generation_prompt);
    let request = ChatRequest::from_json(
        r#"{"messages": [], "enableThinking": true, "addGenerationPrompt": false}"#,
    )
    .unwrap();
    assert_eq!(request.options.enable_thinking, Some(true));
    assert!(!request.options.add_generation_prompt);
    let defaults: ChatOptions = serde_json::from_str("{}").unwrap();
    assert_eq!(defaults, ChatOptions::default());
    assert!(defaults.add_generation_prompt);
}

#[test]
fn errors_are_std_errors() {
    fn takes(_: &dyn std::error::Error) {}
    takes(&ChatError::NoMessages);
    assert_eq!(
        ChatError::NoMessages.to_string(),
        "messages: the conversation has no messages"
    );
}
