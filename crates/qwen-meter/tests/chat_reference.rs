//! Exactness of the chat renderer against the reference: Python Jinja2 rendering the same
//! committed template files the way transformers' `apply_chat_template` does
//! (`tests/jinja_reference.py`).
//!
//! A deterministic generator builds varied conversations (every role, empty and multi-line
//! content, tools, tool-call arguments as objects and as strings, unicode, special-token text
//! inside content, thinking on/off/unset, with and without system messages, multi-step tool
//! use, historical reasoning). Each is rendered with every bundled template by the Rust code
//! and by Python in the same test run, and the outputs must be byte-identical.
//!
//! Python 3 with Jinja2 is required: without it this test fails and says so (it never skips).
//! Set `QWEN_METER_PYTHON` to use another interpreter than `python3`.

use std::io::Write;
use std::process::{Command, Stdio};

use qwen_meter::{ChatRequest, ChatTemplate};
use serde_json::{Value, json};

/// Conversations generated; each is rendered with every bundled template.
const CONVERSATIONS: usize = 420;

/// xorshift64*: a fixed seed gives the same conversations on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Message texts: the edge cases a template can get wrong.
const TEXTS: &[&str] = &[
    "",
    "Hi",
    "Hello, how are you?",
    "What is 2 + 2?",
    "line one\nline two\n\nline four",
    "\n\nleading newlines",
    "trailing newlines\n\n",
    "  padded with spaces  ",
    "windows\r\nline endings\r\n",
    "tabs\tand\u{b}vertical\u{c}feeds",
    "你好，世界！请用中文回答。",
    "日本語のテキストと한국어 텍스트",
    "emoji 👋🏽 family 👨‍👩‍👧‍👦 flag 🇫🇷 and 🎉",
    "مرحبا بالعالم (right-to-left)",
    "combining e\u{301} and ñ vs n\u{303}",
    "<|im_start|>user\nfake turn<|im_end|>",
    "<|endoftext|> in the middle",
    "<think>\nnot really thinking\n</think>",
    "</think>",
    "<tool_call>\n{\"name\": \"fake\", \"arguments\": {}}\n</tool_call>",
    "<tool_response>\nlooks like a tool result\n</tool_response>",
    "{{ messages }} {% if true %}jinja syntax{% endif %} {# comment #}",
    "\"double quotes\" 'single quotes' \\backslashes\\",
    "control \u{1} \u{1f} \u{7f} chars",
    "unicode spaces\u{a0}\u{2028}\u{3000}\u{1c}",
    "<|vision_start|><|image_pad|><|vision_end|>",
    "A long paragraph about tokenizers. Byte-pair encoding merges frequent pairs of bytes into \
     tokens, so common words become single tokens while rare words split into pieces.",
];

/// Assistant replies, including the `<think>` forms the Qwen3 template parses.
const REPLIES: &[&str] = &[
    "Hello! How can I help you today?",
    "4",
    "",
    "<think>\nThe user greets me.\n</think>\n\nHello!",
    "<think>\n\n</think>\n\nNo thinking here.",
    "reasoning without an opening tag\n</think>\n\nanswer after it",
    "\n\nanswer with leading newlines",
    "答案是四。🙂",
    "Multi-line\nanswer\n",
];

const REASONINGS: &[&str] = &[
    "Let me think step by step.\n1. 2 + 2\n2. = 4",
    "",
    "\n\nreasoning padded with newlines\n\n",
    "推理：先算 2+2。",
    "mentions </think> and <think> tags",
];

const TOOL_RESULTS: &[&str] = &[
    "{\"temperature\": 21, \"unit\": \"celsius\"}",
    "",
    "晴，25°C ☀️",
    "line1\nline2",
    "<tool_response>nested</tool_response>",
    "Error: timeout after 30s",
    "[1, 2, 3]",
];

/// Tool schemas, parsed from JSON text so numbers keep their written form (int vs float).
const TOOLS: &[&str] = &[
    r#"{"type": "function", "function": {"name": "get_weather", "description": "Get the current weather in a city — returns °C", "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "城市名"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["city"]}}}"#,
    r#"{"type": "function", "function": {"name": "calc", "description": "Evaluate \"math\" with \\ escapes\nand newlines", "parameters": {"type": "object", "properties": {"x": {"type": "number", "minimum": -1.5, "maximum": 1e21, "default": 0.1, "multipleOf": 1e-7}, "n": {"type": "integer", "default": 100.0, "examples": [0, -0, -0.0, 12345678901234567890, -9223372036854775808, 2.5e-8, 1E5, 3.0e16, 0.1e1, 1e-5, 123456789.123456789]}}}}}"#,
    r#"{"type": "function", "function": {"name": "get_time", "parameters": {}}}"#,
    r#"{"type": "function", "function": {"name": "search", "description": "", "parameters": {"type": "object", "properties": {"filters": {"type": "array", "items": {"type": "object"}}, "strict": true, "x-null": null, "empty": []}}}}"#,
    r#"{"type": "function", "function": {"name": "emoji_😀", "description": "<|im_end|> inside a description\u0001", "parameters": {"type": "object", "properties": {"🔑": {"type": "string"}, "key with \"quotes\"": {}}}}}"#,
    r#"{"name": "legacy_flat", "description": "A tool given without the type/function wrapper", "parameters": {"zeta": 1, "alpha": 2}}"#,
];

/// Tool-call arguments as objects.
const ARGUMENTS: &[&str] = &[
    r#"{"city": "Paris"}"#,
    r#"{"city": "北京", "unit": "celsius"}"#,
    r#"{}"#,
    r#"{"x": 1.5, "n": -3, "big": 1e21, "tiny": 1e-7, "flag": true, "none": null, "list": [1, 2, [3]], "nested": {"a": {"b": "c"}}}"#,
    r#"{"text": "line1\nline2\t\"quoted\" \\ 🎉 <|im_start|>"}"#,
    r#"{"ctrl": "\u0001\u001f\u007f\u2028"}"#,
];

/// Tool-call arguments as strings (OpenAI sends JSON text; some clients send anything).
const STRING_ARGUMENTS: &[&str] = &[
    r#"{"city":"Paris"}"#,
    r#"{"city": "Paris", "unit": "celsius"}"#,
    "not json at all",
    "",
    r#"{"incomplete": "#,
    "{\n  \"pretty\": true\n}",
];

/// What the generator put into the cases, to show (and assert) that the variety is real.
#[derive(Default, Debug)]
struct Coverage {
    system_first: usize,
    system_later: usize,
    no_system: usize,
    tool_messages: usize,
    tool_call_object_args: usize,
    tool_call_string_args: usize,
    null_or_absent_content: usize,
    content_parts: usize,
    reasoning_content: usize,
    multi_step_tools: usize,
    with_tools: usize,
    thinking_false: usize,
    thinking_true: usize,
    thinking_unset: usize,
    no_generation_prompt: usize,
    ends_with_assistant: usize,
    ends_with_tool: usize,
}

fn text(rng: &mut Rng) -> String {
    let first = rng.pick(TEXTS).to_string();
    if rng.chance(20) {
        format!("{first}\n{}", rng.pick(TEXTS))
    } else {
        first
    }
}

fn user_message(rng: &mut Rng, coverage: &mut Coverage) -> Value {
    if rng.chance(12) {
        coverage.content_parts += 1;
        let parts: Vec<Value> = (0..1 + rng.below(3))
            .map(|_| json!({"type": "text", "text": text(rng)}))
            .collect();
        json!({"role": "user", "content": parts})
    } else if rng.chance(6) {
        // A user turn that looks like a tool result: Qwen3 skips it when looking for the
        // last real query.
        json!({"role": "user", "content": format!("<tool_response>\n{}\n</tool_response>", rng.pick(TOOL_RESULTS))})
    } else {
        json!({"role": "user", "content": text(rng)})
    }
}

fn assistant_reply(rng: &mut Rng, coverage: &mut Coverage) -> Value {
    let mut message = json!({"role": "assistant", "content": rng.pick(REPLIES)});
    match rng.below(4) {
        0 | 1 => {}
        2 => {
            coverage.reasoning_content += 1;
            message["reasoning_content"] = json!(rng.pick(REASONINGS));
        }
        _ => message["reasoning_content"] = Value::Null,
    }
    message
}

/// Arguments with random number literals: parsing and Python's float repr must agree on
/// every one (integers stay within 64 bits, see the crate docs).
fn random_numbers(rng: &mut Rng) -> Value {
    let mut literals = Vec::new();
    for _ in 0..4 {
        let sign = if rng.chance(30) { "-" } else { "" };
        let int_digits = 1 + rng.below(18);
        let mut literal = format!("{sign}{}", 1 + rng.below(9));
        for _ in 1..int_digits {
            literal.push(char::from(b'0' + rng.below(10) as u8));
        }
        if rng.chance(70) {
            literal.push('.');
            for _ in 0..1 + rng.below(20) {
                literal.push(char::from(b'0' + rng.below(10) as u8));
            }
        }
        if rng.chance(40) {
            literal.push_str(&format!("e{}", rng.below(80) as i64 - 40));
        }
        literals.push(literal);
    }
    serde_json::from_str(&format!("{{\"numbers\": [{}]}}", literals.join(", "))).unwrap()
}

fn tool_call_message(rng: &mut Rng, coverage: &mut Coverage) -> Value {
    let calls: Vec<Value> = (0..1 + rng.below(3))
        .map(|i| {
            let arguments: Value = if rng.chance(10) {
                coverage.tool_call_object_args += 1;
                random_numbers(rng)
            } else if rng.chance(50) {
                coverage.tool_call_object_args += 1;
                serde_json::from_str(rng.pick(ARGUMENTS)).unwrap()
            } else {
                coverage.tool_call_string_args += 1;
                json!(rng.pick(STRING_ARGUMENTS))
            };
            let name = rng.pick(&["get_weather", "calc", "search", "emoji_😀"]);
            let mut call = json!({"function": {"name": name, "arguments": arguments}});
            if rng.chance(80) {
                call["id"] = json!(format!("call_{i}"));
                call["type"] = json!("function");
            }
            call
        })
        .collect();
    let mut message = json!({"role": "assistant", "tool_calls": calls});
    match rng.below(5) {
        0 => {
            coverage.null_or_absent_content += 1;
        }
        1 => {
            coverage.null_or_absent_content += 1;
            message["content"] = Value::Null;
        }
        2 => message["content"] = json!(""),
        _ => message["content"] = json!(rng.pick(REPLIES)),
    }
    if rng.chance(30) {
        coverage.reasoning_content += 1;
        message["reasoning_content"] = json!(rng.pick(REASONINGS));
    }
    message
}

fn tool_results(rng: &mut Rng, coverage: &mut Coverage, messages: &mut Vec<Value>) {
    for i in 0..1 + rng.below(3) {
        coverage.tool_messages += 1;
        messages.push(json!({
            "role": "tool",
            "tool_call_id": format!("call_{i}"),
            "content": rng.pick(TOOL_RESULTS),
        }));
    }
}

/// One conversation as a chat-completions request body.
fn conversation(rng: &mut Rng, coverage: &mut Coverage) -> Value {
    let mut messages = Vec::new();
    if rng.chance(50) {
        coverage.system_first += 1;
        let system = if rng.chance(15) {
            String::new()
        } else {
            text(rng)
        };
        messages.push(json!({"role": "system", "content": system}));
    } else {
        coverage.no_system += 1;
    }
    let turns = 1 + rng.below(4);
    for turn in 0..turns {
        let last = turn + 1 == turns;
        if turn > 0 && rng.chance(8) {
            coverage.system_later += 1;
            messages.push(json!({"role": "system", "content": text(rng)}));
        }
        messages.push(user_message(rng, coverage));
        if last && rng.chance(40) {
            break; // ends with the user's question, the usual request
        }
        if rng.chance(40) {
            messages.push(tool_call_message(rng, coverage));
            tool_results(rng, coverage, &mut messages);
            if rng.chance(30) {
                coverage.multi_step_tools += 1;
                messages.push(tool_call_message(rng, coverage));
                tool_results(rng, coverage, &mut messages);
            }
            if !last || rng.chance(50) {
                messages.push(assistant_reply(rng, coverage));
            }
        } else {
            messages.push(assistant_reply(rng, coverage));
        }
    }
    match messages.last().and_then(|m| m["role"].as_str()) {
        Some("assistant") => coverage.ends_with_assistant += 1,
        Some("tool") => coverage.ends_with_tool += 1,
        _ => {}
    }

    let mut request = json!({"model": "qwen-test", "messages": messages});
    let add_generation_prompt = rng.chance(75);
    if !add_generation_prompt {
        coverage.no_generation_prompt += 1;
    }
    request["add_generation_prompt"] = json!(add_generation_prompt);
    match rng.below(3) {
        0 => {
            coverage.thinking_false += 1;
            request["enable_thinking"] = json!(false);
        }
        1 => {
            coverage.thinking_true += 1;
            request["enable_thinking"] = json!(true);
        }
        _ => coverage.thinking_unset += 1,
    }
    match rng.below(10) {
        0..=3 => {
            coverage.with_tools += 1;
            let tools: Vec<Value> = (0..1 + rng.below(4))
                .map(|_| serde_json::from_str(rng.pick(TOOLS)).unwrap())
                .collect();
            request["tools"] = Value::Array(tools);
        }
        4 => request["tools"] = json!([]),
        _ => {}
    }
    request
}

/// Renders `cases` with the Python reference; panics with instructions if it cannot run.
fn python_renders(cases: &[Value]) -> Vec<Value> {
    let python = std::env::var("QWEN_METER_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/jinja_reference.py");
    let templates = concat!(env!("CARGO_MANIFEST_DIR"), "/data/templates");
    let mut child = Command::new(&python)
        .arg(script)
        .arg(templates)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| {
            panic!(
                "cannot run `{python}` ({err}): the chat exactness test needs Python 3 with \
                 Jinja2 (apt-get install python3-jinja2, or pip install jinja2); set \
                 QWEN_METER_PYTHON to another interpreter"
            )
        });
    let input = serde_json::to_vec(&json!({ "cases": cases })).unwrap();
    // Write from a thread: the child's stdout could fill up while we are still writing.
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "the Python reference renderer failed ({}); it needs Python 3 with Jinja2 \
         (apt-get install python3-jinja2, or pip install jinja2):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: Value = serde_json::from_slice(&output.stdout).unwrap();
    parsed["renders"].as_array().unwrap().clone()
}

/// Whether a Rust refusal and a Python exception name the same cause: the template's own
/// `raise_exception` message, or unparseable string arguments.
fn refusals_agree(rust: &str, python: &Value) -> bool {
    let python = python.as_str().unwrap_or_default();
    match python.split_once(": ") {
        Some(("TemplateError", message)) => rust.contains(message),
        Some(("JSONDecodeError" | "ValueError", _)) => rust.contains("function.arguments"),
        _ => false,
    }
}

/// The first byte where two renders differ, with some context of both.
fn first_difference(rust: &str, python: &str) -> String {
    let at = rust
        .bytes()
        .zip(python.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(rust.len().min(python.len()));
    let window = |s: &str| {
        let mut start = at.saturating_sub(60);
        while !s.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (at + 60).min(s.len());
        while !s.is_char_boundary(end) {
            end += 1;
        }
        format!("{:?}", &s[start..end])
    };
    format!(
        "first difference at byte {at}\n  rust:   {}\n  python: {}",
        window(rust),
        window(python)
    )
}

#[test]
fn renders_match_python_jinja2_byte_for_byte() {
    let mut rng = Rng(0x5157_454e_4d45_5445); // "QWENMETE"
    let mut coverage = Coverage::default();
    let requests: Vec<Value> = (0..CONVERSATIONS)
        .map(|_| conversation(&mut rng, &mut coverage))
        .collect();

    let mut cases = Vec::new();
    let mut rust_renders = Vec::new();
    for (i, request) in requests.iter().enumerate() {
        // The Rust side goes through the public JSON entry point, as the CLI and WASM do.
        let parsed = ChatRequest::from_json(&request.to_string())
            .unwrap_or_else(|err| panic!("conversation {i} does not parse: {err}\n{request}"));
        let mut options = json!({"add_generation_prompt": request["add_generation_prompt"]});
        for key in ["enable_thinking", "tools"] {
            if let Some(value) = request.get(key) {
                options[key] = value.clone();
            }
        }
        for template in ChatTemplate::ALL {
            let rendered = template.render(&parsed.messages, &parsed.options);
            // Only the Qwen3.5 template refuses some generated conversations (a system
            // message after the first, no real user query, string arguments that hold no
            // JSON object); the reference must refuse exactly the same ones.
            if template != ChatTemplate::Qwen3_5
                && let Err(err) = &rendered
            {
                panic!("conversation {i} fails with {template:?}: {err}\n{request}");
            }
            rust_renders.push(rendered.map_err(|err| err.to_string()));
            cases.push(json!({
                "template": template.name(),
                "messages": request["messages"],
                "options": options,
            }));
        }
    }

    let python = python_renders(&cases);
    assert_eq!(
        python.len(),
        cases.len(),
        "the reference rendered a different number of cases"
    );
    let mut mismatches = Vec::new();
    let (mut qwen3_5_rendered, mut qwen3_5_tool_calls, mut qwen3_5_refused) = (0, 0, 0);
    for (i, (rust, python)) in rust_renders.iter().zip(&python).enumerate() {
        let is_qwen3_5 = cases[i]["template"] == ChatTemplate::Qwen3_5.name();
        let verdict = match (rust, python.as_str()) {
            (Ok(r), Some(p)) if p == r => {
                if is_qwen3_5 {
                    qwen3_5_rendered += 1;
                    qwen3_5_tool_calls += usize::from(r.contains("<function="));
                }
                continue;
            }
            (Ok(r), Some(p)) => first_difference(r, p),
            (Ok(_), None) => format!("Python raised {}", python["error"]),
            (Err(err), Some(_)) => format!("Rust refused ({err}), Python rendered"),
            (Err(err), None) => match refusals_agree(err, &python["error"]) {
                true => {
                    qwen3_5_refused += 1;
                    continue;
                }
                false => format!(
                    "both refused, for different reasons: {err} / {}",
                    python["error"]
                ),
            },
        };
        mismatches.push(format!(
            "case {i} (conversation {}, template {}): {verdict}\n  input: {}",
            i / ChatTemplate::ALL.len(),
            cases[i]["template"],
            cases[i]
        ));
    }

    println!(
        "compared {} renders ({} conversations x {} templates) with Python Jinja2 {}",
        rust_renders.len(),
        CONVERSATIONS,
        ChatTemplate::ALL.len(),
        if mismatches.is_empty() {
            "byte-identical"
        } else {
            "with mismatches"
        }
    );
    println!("generated: {coverage:?}");
    assert!(
        mismatches.is_empty(),
        "{} of {} renders differ from the Python reference:\n{}",
        mismatches.len(),
        rust_renders.len(),
        mismatches
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );

    // The Qwen3.5 comparison must be mostly renders, not refusals, and include tool calls.
    println!(
        "qwen3_5: {qwen3_5_rendered} rendered ({qwen3_5_tool_calls} with tool calls), \
         {qwen3_5_refused} refused by both"
    );
    assert!(
        qwen3_5_rendered >= CONVERSATIONS / 2,
        "only {qwen3_5_rendered} Qwen3.5 renders"
    );
    assert!(
        qwen3_5_tool_calls >= 40,
        "only {qwen3_5_tool_calls} Qwen3.5 tool-call renders"
    );
    assert!(qwen3_5_refused >= 5, "the refusal paths were not exercised");

    // The generator's variety is part of the claim: every feature must actually occur.
    let c = &coverage;
    for (what, n) in [
        ("system first", c.system_first),
        ("system later", c.system_later),
        ("no system", c.no_system),
        ("tool messages", c.tool_messages),
        ("object arguments", c.tool_call_object_args),
        ("string arguments", c.tool_call_string_args),
        ("null/absent assistant content", c.null_or_absent_content),
        ("content parts", c.content_parts),
        ("reasoning_content", c.reasoning_content),
        ("multi-step tool use", c.multi_step_tools),
        ("tools", c.with_tools),
        ("thinking off", c.thinking_false),
        ("thinking on", c.thinking_true),
        ("thinking unset", c.thinking_unset),
        ("no generation prompt", c.no_generation_prompt),
        ("ends with assistant", c.ends_with_assistant),
        ("ends with tool", c.ends_with_tool),
    ] {
        assert!(n >= 5, "the generator produced only {n} cases with {what}");
    }
    assert!(rust_renders.len() >= 300);
}

#[test]
fn float_spelling_matches_python() {
    // Tool schemas full of doubles: random bit patterns (every magnitude), plus values with
    // short binary mantissas, where two shortest decimal spellings can tie exactly and Python
    // takes the even one.
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let mut numbers = Vec::new();
    while numbers.len() < 4000 {
        let x = if rng.chance(50) {
            f64::from_bits(rng.next())
        } else {
            let mantissa = (rng.next() % (1 << (1 + rng.below(53)))) as f64;
            mantissa * 2f64.powi(rng.below(200) as i32 - 100)
        };
        if x.is_finite() {
            // Rust's shortest spelling reads back as the same double in Python.
            numbers.push(format!("{x:e}"));
        }
    }
    let mut cases = Vec::new();
    let mut rust_renders = Vec::new();
    for chunk in numbers.chunks(200) {
        let request = format!(
            r#"{{"messages": [{{"role": "user", "content": "x"}}],
                "tools": [{{"type": "function", "function": {{"name": "f",
                            "parameters": {{"enum": [{}]}}}}}}]}}"#,
            chunk.join(", ")
        );
        let parsed = ChatRequest::from_json(&request).unwrap();
        rust_renders.push(
            ChatTemplate::Qwen3
                .render(&parsed.messages, &parsed.options)
                .unwrap(),
        );
        let request: Value = serde_json::from_str(&request).unwrap();
        cases.push(json!({
            "template": "qwen3",
            "messages": request["messages"],
            "options": {"add_generation_prompt": true, "tools": request["tools"]},
        }));
    }
    // The Qwen3.5 template writes scalar arguments with `|string` (Python's str()): the same
    // numbers as tool-call arguments.
    for chunk in numbers.chunks(200) {
        let arguments: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, x)| format!("\"x{i}\": {x}"))
            .collect();
        let request = format!(
            r#"{{"messages": [{{"role": "user", "content": "x"}},
                {{"role": "assistant", "content": "", "tool_calls": [{{"function":
                  {{"name": "f", "arguments": {{{}}}}}}}]}}]}}"#,
            arguments.join(", ")
        );
        let parsed = ChatRequest::from_json(&request).unwrap();
        rust_renders.push(
            ChatTemplate::Qwen3_5
                .render(&parsed.messages, &parsed.options)
                .unwrap(),
        );
        let request: Value = serde_json::from_str(&request).unwrap();
        cases.push(json!({
            "template": "qwen3_5",
            "messages": request["messages"],
            "options": {"add_generation_prompt": true},
        }));
    }
    let python = python_renders(&cases);
    assert_eq!(python.len(), rust_renders.len());
    for (rust, python) in rust_renders.iter().zip(&python) {
        let python = python.as_str().expect("Python rendered every case");
        assert!(rust == python, "{}", first_difference(rust, python));
    }
    println!(
        "compared {} floats with Python's repr (tojson) and str (|string)",
        numbers.len()
    );
}
