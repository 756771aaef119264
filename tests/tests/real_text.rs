//! Real text in many scripts and code (tests/fixtures/real-text.txt): every block, every
//! line, CRLF variants, everything at once, and truncation at every limit for some blocks.

use qwen_meter_tests::check::{check_truncate, run_fixed};
use qwen_meter_tests::generators::REAL_TEXT;
use qwen_meter_tests::ref_encode;
use qwen_meter_tokenizer::Keep;

fn blocks() -> Vec<String> {
    REAL_TEXT
        .split("\n-----\n")
        .map(|b| b.trim_end_matches('\n').to_owned())
        .filter(|b| !b.is_empty())
        .collect()
}

#[test]
fn fixture_has_many_scripts_and_code() {
    let b = blocks();
    assert!(b.len() >= 20, "{} blocks", b.len());
    // Letters from at least 10 scripts (by the first letter block each falls into).
    let scripts: &[(char, char)] = &[
        ('a', 'z'),
        ('\u{0400}', '\u{04FF}'),
        ('\u{0370}', '\u{03FF}'),
        ('\u{0600}', '\u{06FF}'),
        ('\u{05D0}', '\u{05EA}'),
        ('\u{0900}', '\u{097F}'),
        ('\u{0E00}', '\u{0E7F}'),
        ('\u{4E00}', '\u{9FFF}'),
        ('\u{3040}', '\u{309F}'),
        ('\u{AC00}', '\u{D7A3}'),
        ('\u{1EA0}', '\u{1EFF}'),
        ('\u{0530}', '\u{058F}'),
        ('\u{10A0}', '\u{10FF}'),
        ('\u{1200}', '\u{137F}'),
    ];
    let found = scripts
        .iter()
        .filter(|(lo, hi)| REAL_TEXT.chars().any(|c| (*lo..=*hi).contains(&c)))
        .count();
    assert!(found >= 10, "only {found} scripts");
    assert!(
        REAL_TEXT.contains("fn main()")
            && REAL_TEXT.contains("def ")
            && REAL_TEXT.contains("\"model\"")
    );
}

#[test]
fn blocks_lines_and_variants() {
    blocks_lines_and_variants_run();
}

#[test]
fn blocks_lines_and_variants_qwen3_5() {
    qwen_meter_tests::set_target(qwen_meter_tests::Target::Qwen3_5);
    blocks_lines_and_variants_run();
}

fn blocks_lines_and_variants_run() {
    let b = blocks();
    let mut inputs = Vec::new();
    for block in &b {
        inputs.push(block.clone());
        inputs.push(block.replace('\n', "\r\n"));
        inputs.push(format!("{block}\n"));
        inputs.push(format!("  {block}  "));
        inputs.extend(block.lines().map(str::to_owned));
    }
    inputs.push(REAL_TEXT.to_owned());
    inputs.push(REAL_TEXT.replace('\n', "\r\n"));
    inputs.push(b.join(" "));
    run_fixed("real_text", &inputs);
}

#[test]
fn truncate_at_every_limit() {
    truncate_at_every_limit_run();
}

#[test]
fn truncate_at_every_limit_qwen3_5() {
    qwen_meter_tests::set_target(qwen_meter_tests::Target::Qwen3_5);
    truncate_at_every_limit_run();
}

fn truncate_at_every_limit_run() {
    let b = blocks();
    let mut checked = 0;
    for block in b.iter().step_by(3) {
        let count = ref_encode(block).len();
        for n in 0..=count + 1 {
            for keep in [Keep::Start, Keep::End] {
                if let Err(f) = check_truncate(block, count, n, keep) {
                    panic!(
                        "truncate failed on block {:?}: {}: {}",
                        block, f.check, f.detail
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500);
    qwen_meter_tests::report_line(&format!(
        "[qwen-meter-tests] real_text truncate: {checked} (block, limit, end) cases"
    ));
}
