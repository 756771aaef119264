//! The engine's safe cuts (`Tokenizer::is_safe_cut`, which the CLI uses to split large inputs
//! between threads) against the reference: at every place the engine calls safe, the
//! reference's ids of the whole text are its ids of the part before followed by its ids of the
//! part after, with special tokens matched and as ordinary text, for both split patterns.
//! Also `Tokenizer::stable_cut` (the streaming counter's and `Document`'s cut) on every prefix
//! end of the same texts: the reference's ids of the whole text are the `n` tokens it names,
//! followed by the reference's ids of the rest.

use qwen_meter_tests::generators::{Family, generate};
use qwen_meter_tests::rng::Rng;
use qwen_meter_tests::{
    Target, base_seed, case_scale, escape, ref_encode, ref_encode_ordinary, report_line, set_target,
};

/// The kinds of neighbours a cut can have, so the test can show it met each rule.
fn kind(text: &str, p: usize) -> usize {
    let before = text[..p].chars().next_back().unwrap_or('\0');
    let after = text[p..].chars().next().unwrap_or('\0');
    if before == '\n' {
        0
    } else if after.is_ascii_digit() {
        1
    } else if !after.is_ascii() {
        2
    } else {
        3
    }
}

fn safe_cuts_split_the_reference(target: Target, salt: u64) {
    set_target(target);
    let tok = qwen_meter_tests::check::core();
    let texts = ((300.0 * case_scale()).round() as usize).max(1);
    let mut cuts = 0usize;
    let mut stable = 0usize;
    let mut kinds = [0usize; 4];
    for i in 0..texts {
        let mut rng = Rng::new(base_seed() ^ 0x4355_5453 ^ salt ^ i as u64);
        // A few fragments of different kinds back to back, so cuts fall between kinds too.
        let mut text = String::new();
        for _ in 0..rng.range(1, 4) {
            text.push_str(&generate(rng.pick(&Family::SHORT), &mut rng));
        }
        for special in [true, false] {
            let encode = |s: &str| {
                if special {
                    ref_encode(s)
                } else {
                    ref_encode_ordinary(s)
                }
            };
            let whole = encode(&text);
            // A few prefix ends per text (each costs two reference calls), the whole text too.
            let ends: Vec<usize> = (0..8)
                .map(|_| rng.range(1, text.len()))
                .chain([text.len()])
                .filter(|&e| text.is_char_boundary(e))
                .collect();
            for end in ends {
                let Some((p, n)) = tok.stable_cut(&text[..end], special) else {
                    continue;
                };
                stable += 1;
                let head = encode(&text[..end]);
                let rest = encode(&text[p..]);
                assert!(
                    p <= end && n <= head.len() && head[..n] == whole[..n] && whole[n..] == rest,
                    "{target:?}: stable_cut of the first {end} bytes of \"{}\" is ({p}, {n}) \
                     (special tokens {special}), but the reference's ids do not split there",
                    escape(&text)
                );
            }
            for p in 1..text.len() {
                if !tok.is_safe_cut(&text, p, special) {
                    continue;
                }
                cuts += 1;
                kinds[kind(&text, p)] += 1;
                let mut split = encode(&text[..p]);
                split.extend(encode(&text[p..]));
                assert!(
                    split == whole,
                    "{target:?}: the engine calls byte {p} of \"{}\" a safe cut (special tokens \
                     {special}), but the reference's ids differ there",
                    escape(&text)
                );
            }
        }
    }
    report_line(&format!(
        "safe cuts ({target:?}): {cuts} cuts in {texts} texts split the reference exactly \
         (after a newline {}, before a digit {}, before CJK punctuation {}, after a letter {}); \
         {stable} stable cuts of their prefixes too",
        kinds[0], kinds[1], kinds[2], kinds[3]
    ));
    assert!(stable >= 1000, "only {stable} stable cuts were checked");
    assert!(
        kinds.iter().all(|&k| k >= 20),
        "too few cuts of some kind were checked: {kinds:?}"
    );
}

#[test]
fn safe_cuts_split_the_reference_qwen3() {
    safe_cuts_split_the_reference(Target::Qwen3, 0);
}

#[test]
fn safe_cuts_split_the_reference_qwen3_5() {
    safe_cuts_split_the_reference(Target::Qwen3_5, 0x35);
}
