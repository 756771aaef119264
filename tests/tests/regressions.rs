//! Replays tests/fixtures/regressions.txt: inputs that once broke qwen-meter (found by the
//! fuzzer or the property tests) and the known traps of the reference, through every check.

use qwen_meter_tests::check::run_fixed;
use qwen_meter_tests::unescape;

const REGRESSIONS: &str = include_str!("../fixtures/regressions.txt");

fn inputs() -> Vec<String> {
    REGRESSIONS
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| unescape(l).unwrap_or_else(|e| panic!("bad line in regressions.txt: {e}")))
        .collect()
}

#[test]
fn regressions_replay() {
    regressions_replay_run();
}

#[test]
fn regressions_replay_qwen3_5() {
    qwen_meter_tests::set_target(qwen_meter_tests::Target::Qwen3_5);
    regressions_replay_run();
}

fn regressions_replay_run() {
    let mut inputs = inputs();
    assert!(inputs.len() >= 20);
    inputs.push(String::new());
    run_fixed("regressions", &inputs);
    // Short inputs also at every truncation limit (findings are often about one limit).
    for text in inputs.iter().filter(|t| t.chars().count() <= 200) {
        if let Err(f) = qwen_meter_tests::check::check_truncate_every_limit(text) {
            panic!(
                "regression \"{}\": {}: {}",
                qwen_meter_tests::escape(text),
                f.check,
                f.detail
            );
        }
    }
}

/// Every added token between short contexts, truncated at every limit from both ends:
/// cuts that fall inside special-token text turn it into plain text that merges with its
/// neighbours (`" <|"` is one token), which a truncation must account for.
#[test]
fn special_token_text_truncated_at_every_limit() {
    special_token_text_truncated();
}

#[test]
fn special_token_text_truncated_at_every_limit_qwen3_5() {
    qwen_meter_tests::set_target(qwen_meter_tests::Target::Qwen3_5);
    special_token_text_truncated();
}

fn special_token_text_truncated() {
    use qwen_meter_tests::check::{check_text, check_truncate};
    use qwen_meter_tests::{escape, generators::special_tokens, ref_encode, report_line};
    use qwen_meter_tokenizer::Keep;
    let befores = ["", " ", "a", "'", "\n", "x<", "<", "<|", "\u{3000}", "é"];
    let afters = ["", " ", "a", ">", "|>", "\n", "s", "\u{338}"];
    let mut failures = Vec::new();
    let mut cases = 0;
    for tok in special_tokens() {
        for b in befores {
            for a in afters {
                let text = format!("{b}{tok}{a}");
                if let Err(f) = check_text(&text) {
                    failures.push(format!("\"{}\": {}: {}", escape(&text), f.check, f.detail));
                }
                let count = ref_encode(&text).len();
                for n in 0..=count {
                    for keep in [Keep::Start, Keep::End] {
                        cases += 1;
                        if let Err(f) = check_truncate(&text, count, n, keep) {
                            failures.push(format!(
                                "truncate(\"{}\", {n}, Keep::{keep:?}): {}",
                                escape(&text),
                                f.detail
                            ));
                        }
                    }
                }
            }
        }
    }
    report_line(&format!(
        "[qwen-meter-tests] special-token truncation: {cases} (text, limit, end) cases, {} failing",
        failures.len()
    ));
    assert!(
        failures.is_empty(),
        "{} failures, first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
