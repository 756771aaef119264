//! Decoding against the reference: every id alone, and random id sequences (which may split
//! characters). The reference's decoder (ByteLevel) replaces invalid UTF-8 lossily;
//! qwen-meter's `decode_bytes` gives the raw bytes and `decode` an error naming the position.

use qwen_meter_tests::check::core;
use qwen_meter_tests::rng::Rng;
use qwen_meter_tests::{
    Target, added_tokens, base_seed, bpe_vocab_size, case_scale, reference, report_line, set_target,
};
use qwen_meter_tokenizer::Tokenizer;

/// Every id of the target: BPE tokens and added tokens.
fn all_ids() -> u32 {
    bpe_vocab_size() + added_tokens().len() as u32
}

fn check_ids(tok: &Tokenizer, ids: &[u32]) -> Result<(), String> {
    let want = reference().decode(ids, false).map_err(|e| e.to_string())?;
    let bytes = tok
        .decode_bytes(ids)
        .map_err(|e| format!("decode_bytes({ids:?}) failed: {e}"))?;
    let lossy = String::from_utf8_lossy(&bytes);
    if lossy != want {
        return Err(format!(
            "ids {ids:?}: decode_bytes = {bytes:?} (lossy {lossy:?}), reference decode {want:?}"
        ));
    }
    match (tok.decode(ids), std::str::from_utf8(&bytes)) {
        (Ok(s), Ok(v)) if s == v => Ok(()),
        (Err(_), Err(_)) => Ok(()),
        (got, valid) => Err(format!(
            "ids {ids:?}: decode = {got:?} but the bytes are {}",
            if valid.is_ok() {
                "valid UTF-8"
            } else {
                "invalid UTF-8"
            }
        )),
    }
}

#[test]
fn every_id_decodes_like_the_reference() {
    every_id_decodes();
}

#[test]
fn every_id_decodes_like_the_reference_qwen3_5() {
    set_target(Target::Qwen3_5);
    every_id_decodes();
}

fn every_id_decodes() {
    let tok = core();
    let all_ids = all_ids();
    let mut failures = Vec::new();
    for id in 0..all_ids {
        if let Err(e) = check_ids(tok, &[id]) {
            failures.push(e);
        }
    }
    report_line(&format!(
        "[qwen-meter-tests] decode: all {all_ids} ids, {} failing",
        failures.len()
    ));
    assert!(
        failures.is_empty(),
        "{} ids decode differently, e.g.:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn random_id_sequences_decode_like_the_reference() {
    random_id_sequences_decode();
}

#[test]
fn random_id_sequences_decode_like_the_reference_qwen3_5() {
    set_target(Target::Qwen3_5);
    random_id_sequences_decode();
}

fn random_id_sequences_decode() {
    let tok = core();
    let all_ids = all_ids();
    let cases = ((20_000.0 * case_scale()) as usize).max(1);
    let mut rng = Rng::new(base_seed() ^ 0xdec0de);
    let mut failures = Vec::new();
    for _ in 0..cases {
        let n = rng.range(1, 8);
        let ids: Vec<u32> = (0..n)
            .map(|_| match rng.below(4) {
                // Low ids: the 256 single bytes and short tokens, so sequences often split
                // or join characters.
                0 | 1 => rng.range_u32(0, 1000),
                2 => rng.range_u32(0, bpe_vocab_size() - 1),
                _ => rng.range_u32(0, all_ids - 1),
            })
            .collect();
        if let Err(e) = check_ids(tok, &ids) {
            failures.push(e);
            if failures.len() >= 20 {
                break;
            }
        }
    }
    report_line(&format!(
        "[qwen-meter-tests] decode: {cases} random id sequences, {} failing",
        failures.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unknown_ids_are_errors_naming_the_id() {
    unknown_ids_are_errors(Tokenizer::qwen3(), &[151_669, 151_670, 151_936, u32::MAX]);
    unknown_ids_are_errors(Tokenizer::qwen3_5(), &[248_077, 248_078, 248_320, u32::MAX]);
}

fn unknown_ids_are_errors(tok: &Tokenizer, ids: &[u32]) {
    for &id in ids {
        let err = tok
            .decode(&[0, id])
            .expect_err("an id outside the vocabulary is an error");
        assert!(err.to_string().contains(&id.to_string()), "{err}");
        assert!(tok.decode_bytes(&[id]).is_err());
    }
}
