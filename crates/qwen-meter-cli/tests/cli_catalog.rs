//! The subcommands that use the model catalog: `cost`, `count --model`, `models`, `chat`,
//! `plan`, `truncate --model` and `--catalog FILE`, against the library.

use std::fs;

use crate::common::{json, mixed_text, qm};
use predicates::prelude::*;
use qwen_meter::prelude::*;
use qwen_meter::{
    Catalog, ChatOptions, Keep, Message, Mode, PlannedRequest, RateLimits, Region, ToolCall, Usage,
};

fn builtin_model(id: &str) -> &'static qwen_meter::Model {
    Catalog::builtin().model(id).unwrap()
}

#[test]
fn cost_matches_the_library_and_the_documented_examples() {
    let v = json(qm().args([
        "cost",
        "--json",
        "-m",
        "qwen3-max",
        "-i",
        "50000",
        "-o",
        "2000",
    ]));
    assert_eq!(v["cost"]["total"], "0.144");
    assert_eq!(v["cost"]["currency"], "USD");
    assert_eq!(v["cost"]["region"], "international");
    assert_eq!(v["cost"]["tier"]["index"], 1);

    // Global price of the 2025-09-23 snapshot, first tier: 0.861 in / 3.441 out per 1M.
    let v = json(qm().args([
        "cost",
        "--json",
        "-m",
        "qwen3-max-2025-09-23",
        "-r",
        "global",
        "-i",
        "1000000",
    ]));
    assert_eq!(v["error"]["code"], 5, "over the maximum input: {v}");
    assert!(v.get("cost").is_none());
    let v = json(qm().args([
        "cost",
        "--json",
        "-m",
        "qwen3-max-2025-09-23",
        "-r",
        "global",
        "-i",
        "32000",
        "-o",
        "1000",
    ]));
    assert_eq!(v["cost"]["unit_prices"]["input"], "0.861");
    assert_eq!(v["cost"]["unit_prices"]["output"], "3.441");

    let cases: &[(&str, &str, Usage)] = &[
        (
            "qwen3-max",
            "international",
            Usage {
                input_tokens: 32_000,
                output_tokens: 10,
                ..Default::default()
            },
        ),
        (
            "qwen3-max",
            "international",
            Usage {
                input_tokens: 32_001,
                output_tokens: 10,
                ..Default::default()
            },
        ),
        (
            "qwen3-max",
            "chinese-mainland",
            Usage {
                input_tokens: 200_000,
                output_tokens: 5_000,
                thinking: true,
                ..Default::default()
            },
        ),
        (
            "qwen-plus",
            "international",
            Usage {
                input_tokens: 10_000,
                cached_input_tokens: 8_000,
                output_tokens: 100,
                ..Default::default()
            },
        ),
        (
            "qwen-plus",
            "international",
            Usage {
                input_tokens: 10_000,
                output_tokens: 100,
                batch: true,
                ..Default::default()
            },
        ),
        (
            "qwen2-72b-instruct",
            "international",
            Usage {
                input_tokens: 7_000,
                output_tokens: 700,
                ..Default::default()
            },
        ),
    ];
    for (id, region, usage) in cases {
        let m = builtin_model(id);
        let want = m.cost(region.parse::<Region>().unwrap(), usage).unwrap();
        let mut cmd = qm();
        cmd.args(["cost", "--json", "-m", id, "-r", region])
            .args(["-i", &usage.input_tokens.to_string()])
            .args(["-o", &usage.output_tokens.to_string()])
            .args(["--cached-tokens", &usage.cached_input_tokens.to_string()]);
        if usage.thinking {
            cmd.arg("--thinking");
        }
        if usage.batch {
            cmd.arg("--batch");
        }
        let v = json(&mut cmd);
        assert_eq!(v["cost"]["total"], want.total.to_string(), "{id} {usage:?}");
        assert_eq!(v["cost"]["input"], want.breakdown.input.to_string());
        assert_eq!(
            v["cost"]["cached_input"],
            want.breakdown.cached_input.to_string()
        );
        assert_eq!(v["cost"]["output"], want.breakdown.output.to_string());
        assert_eq!(v["cost"]["tier"]["index"], want.tier_index);
    }
    qm().args(["cost", "-m", "qwen3-max", "-i", "50000", "-o", "2000"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0.144 USD"))
        .stdout(predicate::str::contains("32,000 < input <= 128,000"));
}

#[test]
fn model_and_region_errors_exit_3_with_suggestions() {
    qm().args(["cost", "-m", "qwen3max", "-i", "10"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("unknown model 'qwen3max'"))
        .stderr(predicate::str::contains("did you mean: qwen3-max"));
    qm().args(["count", "--text", "hi", "--model", "gpt-4o"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("qwen-meter models"));
    qm().args(["cost", "-m", "qwen-long", "-i", "10", "-r", "intl"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("priced in: chineseMainland"));
    qm().args(["cost", "-m", "qwen3-max", "-i", "10", "-r", "mars"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("unknown region"));
    qm().args(["models", "--model", "nope"]).assert().code(3);
    qm().args(["count", "--text", "hi", "--region", "intl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("need --model"));
}

#[test]
fn requests_that_do_not_fit_exit_5() {
    qm().args(["cost", "-m", "qwen-max", "-i", "10", "--thinking"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("no thinking mode"));
    qm().args(["cost", "-m", "qwen-max", "-i", "40000"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("exceed the maximum input"));
    qm().args(["cost", "-m", "qwen3-max", "-i", "10", "-o", "1000000"])
        .assert()
        .code(5);
    qm().args([
        "cost",
        "-m",
        "qwen-plus",
        "-i",
        "10",
        "--cached-tokens",
        "5",
        "--batch",
    ])
    .assert()
    .code(5);
    qm().args([
        "truncate",
        "-m",
        "qwen-max",
        "--reserve-output",
        "100000",
        "x",
    ])
    .assert()
    .code(5);

    // A file too long for the model: reported, the others still priced.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    fs::write(&big, mixed_text(40, 200_000)).unwrap();
    let small = dir.path().join("small.txt");
    fs::write(&small, "Hello, world!").unwrap();
    let v = json(
        qm().args(["count", "--json", "-m", "qwen-max"])
            .arg(&big)
            .arg(&small),
    );
    assert!(v["files"][0]["cost"].is_null());
    assert!(
        v["files"][0]["cost_error"]
            .as_str()
            .unwrap()
            .contains("maximum input")
    );
    assert_eq!(v["files"][1]["cost"], "0.0000064");
    assert!(v["total"]["cost"].is_null());
    qm().args(["count", "-m", "qwen-max"])
        .arg(&big)
        .arg(&small)
        .assert()
        .code(5)
        .stdout(predicate::str::contains("n/a"))
        .stderr(predicate::str::contains("big.txt"));
}

#[test]
fn count_with_a_model_uses_its_tokenizer_and_prices_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = mixed_text(41, 20_000);
    let b = mixed_text(42, 9_000);
    fs::write(dir.path().join("a.txt"), &a).unwrap();
    fs::write(dir.path().join("b.txt"), &b).unwrap();
    for (id, region) in [
        ("qwen3-max", Region::International),
        ("qwen2-72b-instruct", Region::International),
        ("qwq-plus", Region::ChineseMainland),
    ] {
        let m = builtin_model(id);
        let v = json(
            qm().args(["count", "--json", "-m", id, "-r", region.id(), "-o", "300"])
                .arg(dir.path()),
        );
        assert_eq!(v["tokenizer"]["generation"], m.generation.name());
        let mut total = qwen_meter::Amount::ZERO;
        for (f, text) in v["files"].as_array().unwrap().iter().zip([&a, &b]) {
            assert_eq!(f["tokens"], m.count_tokens(text));
            let usage = Usage {
                thinking: m.default_mode() == Mode::Thinking,
                ..m.usage_for_text(text, 300)
            };
            let cost = m.cost(region, &usage).unwrap();
            assert_eq!(f["cost"], cost.total.to_string(), "{id}");
            total = total.checked_add(cost.total).unwrap();
        }
        assert_eq!(v["total"]["cost"], total.to_string());
        assert_eq!(v["model"]["id"], id);
        assert_eq!(v["model"]["currency"], region.currency().to_string());
    }
}

#[test]
fn the_readme_main_job_command_works() {
    let readme = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let text = fs::read_to_string(readme).unwrap();
    let m = builtin_model("qwen3-max");
    let want = m.estimate_text(Region::International, &text, 0).unwrap();
    qm().args(["count", readme, "--model", "qwen3-max"])
        .assert()
        .success()
        .stdout(predicate::str::contains(m.count_tokens(&text).to_string()))
        .stdout(predicate::str::contains(want.total.to_string()));
}

#[test]
fn models_lists_the_catalog_and_shows_one_in_full() {
    let catalog = Catalog::builtin();
    let v = json(qm().args(["models", "--json"]));
    let ids: Vec<&str> = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = catalog.models().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, want);
    assert_eq!(v["as_of"], catalog.as_of());

    let v = json(qm().args(["models", "--json", "-r", "us"]));
    for m in v["models"].as_array().unwrap() {
        assert!(m["regions"].as_array().unwrap().contains(&"us".into()));
        assert_eq!(m["price"]["region"], "us");
    }

    let v = json(qm().args(["models", "--json", "--model", "qwen3-max-2026-01-23"]));
    let entry = serde_json::to_value(builtin_model("qwen3-max")).unwrap();
    assert_eq!(v["model"], entry);
    assert_eq!(v["chat_template"], "qwen3");
    assert!(v["sources"]["S1"].is_string());

    qm().args(["models"])
        .assert()
        .success()
        .stdout(predicate::str::contains("qwen3-max"))
        .stdout(predicate::str::contains("qwen2-72b-instruct"));
    qm().args(["models", "--model", "qwen3-max"])
        .assert()
        .success()
        .stdout(predicate::str::contains("32,000 < input <= 128,000"))
        .stdout(predicate::str::contains("sources:"));
}

#[test]
fn a_user_catalog_adds_or_patches_models_and_bad_ones_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let over = dir.path().join("mine.json");
    fs::write(
        &over,
        r#"[{"id": "qwen3-max", "regions": {"international": {"tiers": [
            {"above": 0, "upTo": 252000, "input": "1", "output": "2"}]}}}]"#,
    )
    .unwrap();
    let v = json(
        qm().args([
            "cost",
            "--json",
            "-m",
            "qwen3-max",
            "-i",
            "1000000",
            "-o",
            "0",
        ])
        .arg("--catalog")
        .arg(&over),
    );
    assert_eq!(v["error"]["code"], 5, "over max input: {v}");
    let v = json(
        qm().args(["cost", "--json", "-m", "qwen3-max", "-i", "100000"])
            .arg("--catalog")
            .arg(&over),
    );
    assert_eq!(v["cost"]["total"], "0.1");

    // A whole catalog file replaces the built-in one.
    let whole = dir.path().join("whole.json");
    fs::write(&whole, Catalog::builtin().to_json()).unwrap();
    qm().args(["models", "--catalog"])
        .arg(&whole)
        .assert()
        .success()
        .stdout(predicate::str::contains("qwen3-max"));

    let bad = dir.path().join("bad.json");
    fs::write(
        &bad,
        r#"[{"id": "qwen3-max", "regions": {"international": {"tiers": [
            {"above": 0, "upTo": 252000, "input": "one", "output": "2"}]}}}]"#,
    )
    .unwrap();
    qm().args(["cost", "-m", "qwen3-max", "-i", "10", "--catalog"])
        .arg(&bad)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("qwen3-max"))
        .stderr(predicate::str::contains("input"));
    qm().args(["models", "--catalog", "/no/such/catalog.json"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("cannot read catalog file"));
    // The catalog is only read when a model is needed.
    qm().args([
        "count",
        "--text",
        "hi",
        "--catalog",
        "/no/such/catalog.json",
    ])
    .assert()
    .success();
}

#[test]
fn chat_counts_like_the_library_and_reports_bad_messages_by_index() {
    let messages = vec![
        Message::system("You are terse."),
        Message::user("Weather in Paris?\nAnd <think> in text."),
        Message::assistant("").with_tool_calls(vec![ToolCall::function(
            "get_weather",
            serde_json::json!({"city": "Paris"}),
        )]),
        Message::tool("{\"temp\": 21}"),
        Message::user("Thanks 🙏"),
    ];
    let tools = serde_json::json!([{"type": "function", "function": {"name": "get_weather",
        "description": "Weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chat.json");
    fs::write(
        &file,
        serde_json::to_string(&serde_json::json!({"messages": messages, "tools": tools})).unwrap(),
    )
    .unwrap();
    let arr = dir.path().join("arr.json");
    fs::write(&arr, serde_json::to_string(&messages).unwrap()).unwrap();

    for (gen_model, extra) in [
        (None, vec![]),
        (Some("qwen3-max"), vec!["--disable-thinking"]),
        (Some("qwen2.5-72b-instruct"), vec![]),
        (Some("qwen2-72b-instruct"), vec!["--no-generation-prompt"]),
    ] {
        let m = gen_model.map(builtin_model);
        let tok = m
            .map(|m| m.tokenizer())
            .unwrap_or(qwen_meter::Tokenizer::qwen3());
        let options = ChatOptions {
            tools: Some(tools.as_array().unwrap().clone()),
            enable_thinking: extra.contains(&"--disable-thinking").then_some(false),
            add_generation_prompt: !extra.contains(&"--no-generation-prompt"),
        };
        let mut cmd = qm();
        cmd.args(["chat", "--json", "--show-prompt"])
            .arg(&file)
            .args(&extra);
        if let Some(id) = gen_model {
            cmd.args(["-m", id, "-o", "50"]);
        }
        let v = json(&mut cmd);
        let prompt = tok.render_chat(&messages, &options).unwrap();
        assert_eq!(v["prompt"], prompt, "{gen_model:?}");
        assert_eq!(
            v["prompt_tokens"],
            tok.count_chat(&messages, &options).unwrap()
        );
        assert_eq!(v["messages"], 5);
        assert_eq!(v["tools"], 1);
        if let Some(m) = m {
            let region = m.offered_regions().next().unwrap();
            let usage = Usage {
                input_tokens: v["prompt_tokens"].as_u64().unwrap(),
                output_tokens: 50,
                ..Default::default()
            };
            assert_eq!(
                v["cost"]["total"],
                m.cost(region, &usage).unwrap().total.to_string()
            );
        }
    }

    // A plain array of messages, with the tools from another file.
    let tools_file = dir.path().join("tools.json");
    fs::write(&tools_file, tools.to_string()).unwrap();
    let v = json(
        qm().args(["chat", "--json"])
            .arg(&arr)
            .arg("--tools")
            .arg(&tools_file),
    );
    let options = ChatOptions {
        tools: Some(tools.as_array().unwrap().clone()),
        ..Default::default()
    };
    assert_eq!(
        v["prompt_tokens"],
        qwen_meter::Tokenizer::qwen3()
            .count_chat(&messages, &options)
            .unwrap()
    );

    qm().args(["chat", "-"])
        .write_stdin(r#"[{"role": "user", "content": "Hi"}, {"role": "tool", "content": "x"}]"#)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("messages[1]"));
    qm().args(["chat", "-"])
        .write_stdin(r#"{"messages": [{"role": "user", "content": 5}]}"#)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("messages[0].content"));
    qm().args(["chat", "-"])
        .write_stdin("not json")
        .assert()
        .code(4);
    qm().args(["chat", "/no/such/chat.json"]).assert().code(1);
    qm().args(["chat", "--ordinary", "-"])
        .write_stdin("[]")
        .assert()
        .code(2);
}

#[test]
fn plan_matches_the_library_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reqs.jsonl");
    let mut lines = String::new();
    let mut reqs = Vec::new();
    for i in 0..300u64 {
        let r = PlannedRequest {
            input_tokens: 1_000 + 37 * i,
            output_tokens: 200 + i,
        };
        lines.push_str(&format!(
            "{{\"input_tokens\": {}, \"output_tokens\": {}}}\n",
            r.input_tokens, r.output_tokens
        ));
        if i % 50 == 0 {
            lines.push('\n');
        }
        reqs.push(r);
    }
    lines.push_str("{\"text\": \"Hello, world!\", \"output_tokens\": 1}\n");
    reqs.push(PlannedRequest {
        input_tokens: 4,
        output_tokens: 1,
    });
    fs::write(&file, &lines).unwrap();

    let m = builtin_model("qwen3-max");
    let limits = m.rate_limits(Region::ChineseMainland).unwrap();
    let want = limits.plan(&reqs).unwrap();
    // Issue 17: plan's default region is every command's (the first one priced in), where
    // qwen3-max has no catalog rate limits: the error says where it has them.
    let out = qm()
        .args(["plan", "-m", "qwen3-max"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("it has them in: chinese-mainland"), "{err}");
    let v = json(
        qm().args([
            "plan",
            "--json",
            "-m",
            "qwen3-max",
            "-r",
            "chinese-mainland",
        ])
        .arg(&file),
    );
    assert_eq!(v["region"], "chineseMainland");
    assert_eq!(v["requests"], reqs.len());
    assert_eq!(v["total_tokens"], want.total_tokens);
    assert_eq!(
        v["minimum_duration_ms"],
        want.minimum_duration.as_millis() as u64
            + u64::from(want.minimum_duration.subsec_nanos() % 1_000_000 != 0)
    );
    assert_eq!(v["limits"]["rpm"], limits.rpm);
    assert_eq!(v["limits"]["source"], "catalog");
    let mut cost = qwen_meter::Amount::ZERO;
    for r in &reqs {
        let u = Usage {
            input_tokens: r.input_tokens,
            output_tokens: r.output_tokens,
            ..Default::default()
        };
        cost = cost
            .checked_add(m.cost(Region::ChineseMainland, &u).unwrap().total)
            .unwrap();
    }
    assert_eq!(v["cost"]["total"], cost.to_string());
    assert_eq!(v["cost"]["currency"], "CNY");

    let mine = RateLimits {
        rpm: 5,
        tpm: 10_000_000,
    };
    let want = mine.plan(&reqs).unwrap();
    let v = json(
        qm().args(["plan", "--json", "--rpm", "5", "--tpm", "10000000"])
            .arg(&file),
    );
    assert_eq!(v["binding"], "rpm");
    assert_eq!(
        v["minimum_duration_ms"],
        want.minimum_duration.as_millis() as u64
    );
    assert_eq!(v["limits"]["source"], "flags");
    qm().args(["plan", "--rpm", "5", "--tpm", "10000000"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("requests per minute (RPM)"));

    qm().args(["plan", "-", "--rpm", "1", "--tpm", "1000"])
        .write_stdin("{\"input_tokens\": 5}\n{\"input_tokens\": \"x\"}\n")
        .assert()
        .code(4)
        .stderr(predicate::str::contains("standard input:2"));
    qm().args(["plan", "-", "--rpm", "1", "--tpm", "1000"])
        .write_stdin("{\"input_tokens\": 5}\n\n{\"input_tokens\": 5000}\n")
        .assert()
        .code(5)
        .stderr(predicate::str::contains("standard input:3"));
    qm().args(["plan", "-", "-m", "qwen3-coder-plus"])
        .write_stdin("{\"input_tokens\": 5}\n")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("--rpm"));
    qm().args(["plan", "reqs.jsonl"]).assert().code(2);
}

#[test]
fn truncate_to_fit_a_model_matches_the_library() {
    let text = mixed_text(43, 200_000);
    let m = builtin_model("qwen-max");
    let want = m
        .truncate_to_fit(&text, Mode::NonThinking, 2_000, Keep::End)
        .unwrap();
    qm().args([
        "truncate",
        "-m",
        "qwen-max",
        "--reserve-output",
        "2000",
        "--keep",
        "end",
    ])
    .write_stdin(text.clone())
    .assert()
    .success()
    .stdout(want.to_string());
    let v = json(
        qm().args([
            "truncate",
            "--json",
            "-m",
            "qwen-max",
            "--reserve-output",
            "2000",
            "-n",
            "100",
        ])
        .write_stdin(text.clone()),
    );
    assert_eq!(v["max_tokens"], 100);
    assert_eq!(
        v["model"]["budget"],
        m.prompt_budget(Mode::NonThinking, 2_000).unwrap()
    );
    assert_eq!(v["tokenizer"]["generation"], "qwen2.5");
}
