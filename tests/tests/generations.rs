//! Other generations and the tokenizer.json loader, against references built from the same
//! official file.
//!
//! Qwen2 and Qwen2.5 share Qwen3's tokenizer.json pipeline (NFC, the split pattern, the
//! byte-level BPE); only the added tokens differ: the first 3 (Qwen2) or the first 22
//! (Qwen2.5) of Qwen3's 26 (../shared/catalog/PRICING-RULES.md, "Tokenizer facts"). So their
//! reference is the official file with `added_tokens` cut to that prefix.
//! (`Generation::Qwen`, the dashscope tiktoken tokenizer, has no tokenizer.json reference
//! and is not covered here.)

use std::sync::OnceLock;

use qwen_meter_tests::check::ids_diff;
use qwen_meter_tests::generators::{Family, generate};
use qwen_meter_tests::rng::Rng;
use qwen_meter_tests::{base_seed, case_scale, escape, report_line, tokenizer_json};
use qwen_meter_tokenizer::{Generation, Tokenizer};

fn json_with_added_prefix(n: usize) -> Vec<u8> {
    let mut json: serde_json::Value = serde_json::from_slice(tokenizer_json()).unwrap();
    let added = json["added_tokens"].as_array_mut().unwrap();
    added.truncate(n);
    serde_json::to_vec(&json).unwrap()
}

fn reference_with(n: usize) -> &'static tokenizers::Tokenizer {
    static R3: OnceLock<tokenizers::Tokenizer> = OnceLock::new();
    static R22: OnceLock<tokenizers::Tokenizer> = OnceLock::new();
    let cell = match n {
        3 => &R3,
        22 => &R22,
        _ => unreachable!(),
    };
    cell.get_or_init(|| tokenizers::Tokenizer::from_bytes(json_with_added_prefix(n)).unwrap())
}

/// Compare `core` with `reference` on generated special-token-heavy and mixed text.
fn compare(name: &str, core: &Tokenizer, reference: &tokenizers::Tokenizer, cases: usize) {
    let start = std::time::Instant::now();
    let mut failures = Vec::new();
    let seed = base_seed() ^ qwen_meter_tests::rng::fnv1a(name.as_bytes());
    for i in 0..cases {
        let mut rng = Rng::new(seed.wrapping_add(i as u64));
        let family = if i % 2 == 0 {
            Family::SpecialTokens
        } else {
            Family::Mixed
        };
        let text = generate(family, &mut rng);
        let want = reference
            .encode(text.as_str(), false)
            .unwrap()
            .get_ids()
            .to_vec();
        let ours = core.encode(&text);
        if ours != want {
            failures.push(format!(
                "encode \"{}\": {}",
                escape(&text),
                ids_diff(&ours, &want)
            ));
        } else if core.count(&text) != want.len() {
            failures.push(format!("count \"{}\"", escape(&text)));
        } else {
            let dec = reference.decode(&want, false).unwrap();
            if core.decode(&ours).as_deref() != Ok(dec.as_str()) {
                failures.push(format!("decode \"{}\"", escape(&text)));
            }
        }
        if failures.len() >= 5 {
            break;
        }
    }
    report_line(&format!(
        "[qwen-meter-tests] {name}: {cases} generated cases, {} failing, {:.1} s",
        failures.len(),
        start.elapsed().as_secs_f64()
    ));
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

fn cases(base: usize) -> usize {
    ((base as f64) * case_scale()).round().max(1.0) as usize
}

#[test]
fn qwen2_5_matches_reference_with_22_added_tokens() {
    let core = Tokenizer::qwen2_5();
    assert_eq!(core.generation(), Some(Generation::Qwen2_5));
    assert_eq!(core.special_tokens().len(), 22);
    compare("qwen2_5", core, reference_with(22), cases(4_000));
}

#[test]
fn qwen2_matches_reference_with_3_added_tokens() {
    let core = Tokenizer::qwen2();
    assert_eq!(core.generation(), Some(Generation::Qwen2));
    assert_eq!(core.special_tokens().len(), 3);
    compare("qwen2", core, reference_with(3), cases(4_000));
}

/// `from_tokenizer_json` on the official file is Qwen3; on the cut files, Qwen2 / Qwen2.5.
#[test]
fn tokenizer_json_loader_matches_reference() {
    let loaded = Tokenizer::from_tokenizer_json(tokenizer_json()).expect("official file loads");
    assert_eq!(loaded.generation(), Some(Generation::Qwen3));
    assert_eq!(loaded.vocab_size(), 151_643);
    compare(
        "from_tokenizer_json(qwen3)",
        &loaded,
        qwen_meter_tests::reference(),
        cases(4_000),
    );
    for (n, g) in [(3, Generation::Qwen2), (22, Generation::Qwen2_5)] {
        let t = Tokenizer::from_tokenizer_json(&json_with_added_prefix(n)).unwrap();
        assert_eq!(t.generation(), Some(g));
        compare(
            &format!("from_tokenizer_json({} added)", n),
            &t,
            reference_with(n),
            cases(500),
        );
    }
}
