//! Other generations and the tokenizer.json loader, against references built from the same
//! official file.
//!
//! Qwen2 and Qwen2.5 share Qwen3's tokenizer.json pipeline (NFC, the split pattern, the
//! byte-level BPE); only the added tokens differ: the first 3 (Qwen2) or the first 22
//! (Qwen2.5) of Qwen3's 26, as those generations' official tokenizer configs list them. So
//! their reference is the official file with `added_tokens` cut to that prefix.
//! (`Generation::Qwen`, the dashscope tiktoken tokenizer, has no tokenizer.json reference
//! and is not covered here.)

use std::sync::OnceLock;

use qwen_meter_tests::check::ids_diff;
use qwen_meter_tests::generators::{Family, generate};
use qwen_meter_tests::rng::Rng;
use qwen_meter_tests::{
    Target, base_seed, case_scale, escape, report_line, set_target, tokenizer_json,
};
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

/// `from_tokenizer_json` on the Qwen3.5 reference file is Qwen3.5 (its split pattern, its
/// 33 added tokens), identical to the reference.
#[test]
fn tokenizer_json_loader_matches_reference_qwen3_5() {
    set_target(Target::Qwen3_5);
    let loaded = Tokenizer::from_tokenizer_json(tokenizer_json()).expect("the file loads");
    assert_eq!(loaded.generation(), Some(Generation::Qwen3_5));
    assert_eq!(loaded.vocab_size(), 248_044);
    compare(
        "from_tokenizer_json(qwen3.5)",
        &loaded,
        qwen_meter_tests::reference(),
        cases(4_000),
    );
}

/// A file whose ids are shuffled (same tokens, same merges in the same order, so the same
/// priorities): the loader follows the merge list, not the ids. It segments as the original
/// with the ids permuted, and equals the reference loading the same shuffled file.
#[test]
fn tokenizer_json_with_permuted_ids_matches_reference() {
    set_target(Target::Qwen3_5);
    let mut json: serde_json::Value = serde_json::from_slice(tokenizer_json()).unwrap();
    let vocab = json["model"]["vocab"].as_object_mut().unwrap();
    let n = vocab.len();
    // A seeded Fisher-Yates shuffle of the ids.
    let mut perm: Vec<u32> = (0..n as u32).collect();
    let mut rng = Rng::new(base_seed() ^ 0x7065_726d);
    for i in (1..n).rev() {
        perm.swap(i, rng.below(i + 1));
    }
    for v in vocab.values_mut() {
        *v = serde_json::Value::from(perm[v.as_u64().unwrap() as usize]);
    }
    let bytes = serde_json::to_vec(&json).unwrap();
    let reference = tokenizers::Tokenizer::from_bytes(&bytes).unwrap();
    let loaded = Tokenizer::from_tokenizer_json(&bytes).expect("a permuted file loads");
    assert_eq!(loaded.vocab_size(), n);
    let original = Tokenizer::qwen3_5();
    for text in [
        "Hello, world! transformers 人工智能",
        "नमस्ते दुनिया e\u{301} <|im_start|>user\n",
        "สวัสดีครับ ผมชื่ออเล็กซ์ 🎉 2026",
    ] {
        let want: Vec<u32> = original
            .encode(text)
            .iter()
            .map(|&id| {
                if (id as usize) < n {
                    perm[id as usize]
                } else {
                    id
                }
            })
            .collect();
        assert_eq!(loaded.encode(text), want, "{text:?}");
        let spans = loaded.encode_with_offsets(text);
        assert_eq!(spans.iter().map(|s| s.id).collect::<Vec<_>>(), want);
        assert_eq!(
            loaded.decode(&want).unwrap(),
            original.decode(&original.encode(text)).unwrap()
        );
        for &id in &want {
            assert!(loaded.token_bytes(id).is_some());
        }
    }
    compare(
        "from_tokenizer_json(permuted ids)",
        &loaded,
        &reference,
        cases(4_000),
    );
}
