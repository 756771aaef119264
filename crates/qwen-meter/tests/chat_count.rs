//! Counting and encoding conversations: the rendered prompt through the tokenizer.

use qwen_meter::prelude::*;
use qwen_meter::{ChatError, ChatOptions, ChatTemplate, Generation, Message, Tokenizer, ToolCall};
use serde_json::json;

fn tokenizers() -> [&'static Tokenizer; 5] {
    [
        Tokenizer::qwen(),
        Tokenizer::qwen2(),
        Tokenizer::qwen2_5(),
        Tokenizer::qwen3(),
        Tokenizer::qwen3_5(),
    ]
}

fn conversation() -> Vec<Message> {
    vec![
        Message::system("You are terse. 简洁回答。"),
        Message::user("Weather in Paris? 🌦️"),
        Message::assistant("")
            .with_reasoning("Call the tool.")
            .with_tool_calls(vec![
                ToolCall::function("get_weather", json!({"city": "Paris"})).with_id("c1"),
            ]),
        Message::tool("{\"temp\": 21}").with_tool_call_id("c1"),
        Message::assistant("21°C."),
        Message::user("Thanks!"),
    ]
}

#[test]
fn count_and_encode_are_the_rendered_prompt_through_the_tokenizer() {
    let messages = conversation();
    let options = ChatOptions {
        tools: Some(vec![
            json!({"type": "function", "function": {"name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}),
        ]),
        enable_thinking: Some(false),
        ..ChatOptions::default()
    };
    for tok in tokenizers() {
        let generation = tok.generation().unwrap();
        let template = ChatTemplate::for_generation(generation);
        assert_eq!(tok.chat_template(), Some(template));
        let prompt = tok.render_chat(&messages, &options).unwrap();
        assert_eq!(prompt, template.render(&messages, &options).unwrap());
        let ids = tok.encode_chat(&messages, &options).unwrap();
        assert_eq!(ids, tok.encode(&prompt), "{generation:?}");
        assert_eq!(tok.count_chat(&messages, &options).unwrap(), ids.len());
        // The prompt's special markers are single special tokens, and the ids decode back.
        let im_start = tok.special_token_id("<|im_start|>").unwrap();
        let turns = prompt.matches("<|im_start|>").count();
        assert_eq!(ids.iter().filter(|&&id| id == im_start).count(), turns);
        assert_eq!(tok.decode(&ids).unwrap(), prompt);
    }
}

#[test]
fn template_overhead_is_counted() {
    let messages = [Message::user("Hi")];
    let options = ChatOptions::default();
    let text_only = Tokenizer::qwen3().count("Hi");
    assert_eq!(text_only, 1);
    // <|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n
    assert_eq!(
        Tokenizer::qwen3().count_chat(&messages, &options).unwrap(),
        9
    );
    // ...plus the empty think block when thinking is off: <think>\n\n</think>\n\n.
    let off = ChatOptions {
        enable_thinking: Some(false),
        ..ChatOptions::default()
    };
    assert_eq!(Tokenizer::qwen3().count_chat(&messages, &off).unwrap(), 13);
    // Qwen2.5's default system prompt.
    assert_eq!(
        Tokenizer::qwen2_5()
            .count_chat(&messages, &options)
            .unwrap(),
        30
    );
    // ChatML's shorter default system prompt.
    assert_eq!(
        Tokenizer::qwen2().count_chat(&messages, &options).unwrap(),
        20
    );
    assert_eq!(
        Tokenizer::qwen().count_chat(&messages, &options).unwrap(),
        20
    );
}

#[test]
fn qwen3_5_counts_its_template_with_its_vocabulary() {
    let tok = Tokenizer::qwen3_5();
    assert_eq!(tok.chat_template(), Some(ChatTemplate::Qwen3_5));
    let messages = [Message::user("Hi")];
    // <|im_start|> user \n Hi <|im_end|> \n <|im_start|> assistant \n <think> \n: the
    // generation prompt opens the thinking block, and the ids are the new vocabulary's
    // (special tokens from 248,044).
    let ids = tok.encode_chat(&messages, &ChatOptions::default()).unwrap();
    assert_eq!(
        ids,
        [
            248045, 846, 198, 12675, 248046, 198, 248045, 74455, 198, 248068, 198
        ]
    );
    // Thinking off: <think> \n\n </think> \n\n.
    let off = ChatOptions {
        enable_thinking: Some(false),
        ..ChatOptions::default()
    };
    let ids = tok.encode_chat(&messages, &off).unwrap();
    assert_eq!(&ids[9..], [248068, 271, 248069, 271]);
    assert_eq!(tok.count_chat(&messages, &off).unwrap(), 13);
}

#[test]
fn special_token_text_in_content_is_a_special_token() {
    // As in transformers: the rendered prompt is encoded with special tokens recognised, so a
    // user who types <|im_end|> sends that token.
    let tok = Tokenizer::qwen3();
    let ids = tok
        .encode_chat(&[Message::user("a<|im_end|>b")], &ChatOptions::default())
        .unwrap();
    let im_end = tok.special_token_id("<|im_end|>").unwrap();
    assert_eq!(ids.iter().filter(|&&id| id == im_end).count(), 2);
}

#[test]
fn errors_pass_through() {
    let tok = Tokenizer::qwen3();
    let bad = [Message::user("q"), Message::tool("orphan")];
    let options = ChatOptions::default();
    let want = ChatError::ToolResultWithoutCall { index: 1 };
    assert_eq!(tok.render_chat(&bad, &options), Err(want.clone()));
    assert_eq!(tok.count_chat(&bad, &options), Err(want.clone()));
    assert_eq!(tok.encode_chat(&bad, &options), Err(want));
}

#[test]
fn a_tokenizer_of_no_known_generation_has_no_template() {
    // A valid byte-level tokenizer.json with no added (special) tokens.
    let chars = qwen_meter::tokenizer::byte_level_table();
    let vocab: serde_json::Map<String, serde_json::Value> = (0..=255u8)
        .map(|b| {
            (
                char::from_u32(chars[b as usize]).unwrap().to_string(),
                json!(b),
            )
        })
        .collect();
    let pattern = qwen_meter::tokenizer::QWEN_PATTERN;
    let file = json!({
        "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": pattern}, "behavior": "Isolated"},
            {"type": "ByteLevel"}]},
        "model": {"type": "BPE", "vocab": vocab, "merges": []},
    });
    let tok = Tokenizer::from_tokenizer_json(file.to_string().as_bytes()).unwrap();
    assert_eq!(tok.generation(), None);
    assert_eq!(tok.chat_template(), None);
    let messages = [Message::user("Hi")];
    let options = ChatOptions::default();
    assert_eq!(
        tok.render_chat(&messages, &options),
        Err(ChatError::NoTemplate)
    );
    assert_eq!(
        tok.count_chat(&messages, &options),
        Err(ChatError::NoTemplate)
    );
    // The documented way out: render with a template, count the text.
    let prompt = ChatTemplate::ChatMl.render(&messages, &options).unwrap();
    assert!(tok.count(&prompt) > 0);
    assert_eq!(Generation::Qwen2.chat_template(), ChatTemplate::ChatMl);
}
