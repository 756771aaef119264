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
    let mut inputs = inputs();
    assert!(inputs.len() >= 20);
    inputs.push(String::new());
    run_fixed("regressions", &inputs);
}
