//! The Qwen3.5 template: known renders pinned byte for byte, and the conversations it refuses.
//!
//! Each expected string was produced by Python Jinja2 with the same template file, set up as
//! transformers' `apply_chat_template` (`tests/jinja_reference.py`); `chat_reference.rs`
//! compares the two renderers on generated conversations.

use qwen_meter::{ChatError, ChatOptions, ChatTemplate, Content, ContentPart, Message, ToolCall};
use serde_json::json;

/// The tool-calling instructions the template puts after the tool schemas.
const TOOL_INSTRUCTIONS: &str = "\n\nIf you choose to call a function ONLY reply in the \
following format with NO suffix:\n\n<tool_call>\n<function=example_function_name>\n\
<parameter=example_parameter_1>\nvalue_1\n</parameter>\n<parameter=example_parameter_2>\n\
This is the value for the second parameter\nthat can span\nmultiple lines\n</parameter>\n\
</function>\n</tool_call>\n\n<IMPORTANT>\nReminder:\n- Function calls MUST follow the \
specified format: an inner <function=...></function> block must be nested within \
<tool_call></tool_call> XML tags\n- Required parameters MUST be specified\n- You may provide \
optional reasoning for your function call in natural language BEFORE the function call, but \
NOT after\n- If there is no function call available, answer the question like normal with \
your current knowledge and do not tell the user about function calls\n</IMPORTANT>";

fn render(messages: &[Message], options: &ChatOptions) -> Result<String, ChatError> {
    ChatTemplate::Qwen3_5.render(messages, options)
}

#[test]
fn generation_prompt_opens_thinking_unless_it_is_off() {
    let messages = [Message::user("Hi")];
    for enable_thinking in [None, Some(true)] {
        let options = ChatOptions {
            enable_thinking,
            ..ChatOptions::default()
        };
        assert_eq!(
            render(&messages, &options).unwrap(),
            "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n"
        );
    }
    let off = ChatOptions {
        enable_thinking: Some(false),
        ..ChatOptions::default()
    };
    assert_eq!(
        render(&messages, &off).unwrap(),
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
    );
}

#[test]
fn tool_calls_are_xml_with_one_parameter_per_argument() {
    let tools = vec![
        json!({"type": "function", "function": {"name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}),
    ];
    let messages = [
        Message::system("Be brief."),
        Message::user("Weather in Paris?"),
        // OpenAI clients send the arguments as a JSON string: it is parsed for this template.
        Message::assistant("")
            .with_reasoning("Call the tool.")
            .with_tool_calls(vec![ToolCall::function(
                "get_weather",
                json!("{\"city\": \"Paris\", \"days\": 2}"),
            )]),
        Message::tool("{\"temp\": 21}"),
    ];
    let options = ChatOptions {
        tools: Some(tools),
        ..ChatOptions::default()
    };
    let want = format!(
        "<|im_start|>system\n# Tools\n\nYou have access to the following functions:\n\n<tools>\n\
         {{\"type\": \"function\", \"function\": {{\"name\": \"get_weather\", \"parameters\": \
         {{\"type\": \"object\", \"properties\": {{\"city\": {{\"type\": \"string\"}}}}}}}}}}\n\
         </tools>{TOOL_INSTRUCTIONS}\n\nBe brief.<|im_end|>\n\
         <|im_start|>user\nWeather in Paris?<|im_end|>\n\
         <|im_start|>assistant\n<think>\nCall the tool.\n</think>\n\n\
         <tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n\
         <parameter=days>\n2\n</parameter>\n</function>\n</tool_call><|im_end|>\n\
         <|im_start|>user\n<tool_response>\n{{\"temp\": 21}}\n</tool_response><|im_end|>\n\
         <|im_start|>assistant\n<think>\n"
    );
    assert_eq!(render(&messages, &options).unwrap(), want);
}

#[test]
fn reasoning_before_the_last_user_query_is_dropped() {
    let messages = [
        Message::user("Q1"),
        Message::assistant("<think>\nold\n</think>\n\nA1"),
        Message::user("Q2"),
    ];
    let off = ChatOptions {
        enable_thinking: Some(false),
        ..ChatOptions::default()
    };
    assert_eq!(
        render(&messages, &off).unwrap(),
        "<|im_start|>user\nQ1<|im_end|>\n<|im_start|>assistant\nA1<|im_end|>\n\
         <|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
    );
}

#[test]
fn content_parts_are_concatenated_by_the_template() {
    // Other templates get the parts joined with "\n"; this one renders them back to back.
    let mut user = Message::user("");
    user.content = Some(Content::Parts(vec![
        ContentPart::text("a"),
        ContentPart::text("b"),
    ]));
    let messages = [user];
    let options = ChatOptions::default();
    assert_eq!(
        render(&messages, &options).unwrap(),
        "<|im_start|>user\nab<|im_end|>\n<|im_start|>assistant\n<think>\n"
    );
    assert!(
        ChatTemplate::Qwen3
            .render(&messages, &options)
            .unwrap()
            .contains("a\nb")
    );
}

#[test]
fn conversations_the_template_refuses() {
    let options = ChatOptions::default();
    let call = |arguments| {
        [
            Message::user("Hi"),
            Message::assistant("").with_tool_calls(vec![ToolCall::function("f", arguments)]),
            Message::tool("ok"),
        ]
    };
    // A string that holds no JSON object cannot become parameters.
    for arguments in [json!("not json"), json!("[1, 2]"), json!("{\"a\": ")] {
        match render(&call(arguments.clone()), &options) {
            Err(ChatError::InvalidField {
                index: 1, field, ..
            }) => {
                assert_eq!(field, "tool_calls[0].function.arguments", "{arguments}");
            }
            other => panic!("{arguments}: {other:?}"),
        }
    }
    // An empty string is no arguments at all.
    let empty = render(&call(json!("")), &options).unwrap();
    assert!(empty.contains("<tool_call>\n<function=f>\n</function>\n</tool_call>"));

    // The template's own refusals: a late system message, no real user query.
    let late_system = [Message::user("Hi"), Message::system("late")];
    let err = render(&late_system, &options).unwrap_err();
    assert!(
        err.to_string()
            .contains("System message must be at the beginning."),
        "{err}"
    );
    let no_query = [Message::user("<tool_response>\nx\n</tool_response>")];
    let err = render(&no_query, &options).unwrap_err();
    assert!(
        err.to_string().contains("No user query found in messages."),
        "{err}"
    );
}

#[test]
fn scalar_arguments_are_spelled_as_python_str() {
    let messages = [
        Message::user("Hi"),
        Message::assistant("").with_tool_calls(vec![ToolCall::function(
            "f",
            json!({"flag": true, "none": null, "x": 1.5, "big": 1e21, "list": [1, 2],
                   "map": {"k": "v"}, "text": "plain"}),
        )]),
    ];
    let prompt = render(&messages, &ChatOptions::default()).unwrap();
    for parameter in [
        "<parameter=flag>\nTrue\n",
        "<parameter=none>\nNone\n",
        "<parameter=x>\n1.5\n",
        "<parameter=big>\n1e+21\n",
        "<parameter=list>\n[1, 2]\n",
        "<parameter=map>\n{\"k\": \"v\"}\n",
        "<parameter=text>\nplain\n",
    ] {
        assert!(
            prompt.contains(parameter),
            "{parameter:?} not in {prompt:?}"
        );
    }
}
