//! Counting and encoding one text on several threads (`Tokenizer::count_parallel` and
//! friends) against the reference: the parts the engine cuts a text into, tokenized on their
//! own threads and joined, give the reference's ids of the whole text, with special tokens
//! matched and as ordinary text, for both generations.
//!
//! The public calls cut only texts of a megabyte or more, into parts of 256 KiB or more, so a
//! test of them would see few cuts. The hidden `count_in_parts` / `encode_in_parts` are the
//! same code with the part size given: here parts of a few bytes to a few hundred, so that
//! nearly every safe cut of adversarial text is used, on 1 to 8 threads.

use qwen_meter_tests::generators::{Family, generate};
use qwen_meter_tests::rng::Rng;
use qwen_meter_tests::{
    Target, base_seed, case_scale, escape, ref_encode, ref_encode_ordinary, report_line, set_target,
};

/// Part sizes (bytes) the texts are cut into: from every safe cut to a few per text.
const PARTS: [usize; 4] = [1, 7, 40, 300];

/// Thread counts.
const THREADS: [usize; 4] = [1, 2, 3, 8];

fn parts_join_to_the_reference(target: Target, salt: u64) {
    set_target(target);
    let tok = qwen_meter_tests::check::core();
    let texts = ((200.0 * case_scale()).round() as usize).max(1);
    let (mut cuts, mut bytes) = (0usize, 0usize);
    for i in 0..texts {
        let mut rng = Rng::new(base_seed() ^ 0x5041_5254 ^ salt ^ i as u64);
        let mut text = String::new();
        for _ in 0..rng.range(2, 8) {
            text.push_str(&generate(rng.pick(&Family::SHORT), &mut rng));
        }
        bytes += text.len();
        for special in [true, false] {
            let reference = if special {
                ref_encode(&text)
            } else {
                ref_encode_ordinary(&text)
            };
            for part in PARTS {
                let n = tok.parallel_cuts(&text, special, part).len();
                cuts += n;
                for threads in THREADS {
                    let count = tok.count_in_parts(&text, special, threads, part);
                    let ids = tok.encode_in_parts(&text, special, threads, part);
                    assert!(
                        count == reference.len() && ids == reference,
                        "{target:?}: \"{}\" cut into {} parts of about {part} bytes \
                         (special tokens {special}) on {threads} threads gives {count} tokens, \
                         ids {}equal to the reference's, which has {}",
                        escape(&text),
                        n + 1,
                        if ids == reference { "" } else { "not " },
                        reference.len()
                    );
                }
            }
        }
    }
    report_line(&format!(
        "parallel ({target:?}): {texts} texts ({bytes} bytes), {cuts} cuts over {} part sizes \
         and both special-token modes, each on {THREADS:?} threads: counts and ids = reference",
        PARTS.len()
    ));
    // Parts of one byte use nearly every safe cut, and this mix has one every few bytes
    // (about one cut per 5 bytes over all part sizes and both modes at the fixed seed).
    assert!(
        cuts * 10 >= bytes,
        "only {cuts} cuts in {bytes} bytes of text were exercised"
    );
}

#[test]
fn parts_join_to_the_reference_qwen3() {
    parts_join_to_the_reference(Target::Qwen3, 0);
}

#[test]
fn parts_join_to_the_reference_qwen3_5() {
    parts_join_to_the_reference(Target::Qwen3_5, 0x35);
}

/// The public calls, on a text over their 1 MiB threshold: several fragments of every
/// family repeated with variations, against the reference and the single-threaded calls.
#[test]
fn large_text_counts_like_the_reference() {
    for (target, salt) in [(Target::Qwen3, 0), (Target::Qwen3_5, 0x35)] {
        set_target(target);
        let tok = qwen_meter_tests::check::core();
        let mut rng = Rng::new(base_seed() ^ 0x4C41_5247 ^ salt);
        let mut text = String::new();
        while text.len() < 1_300_000 {
            text.push_str(&generate(rng.pick(&Family::SHORT), &mut rng));
        }
        let (reference, ordinary) = (ref_encode(&text), ref_encode_ordinary(&text));
        for threads in [0, 2, 3] {
            assert_eq!(
                tok.count_parallel(&text, threads),
                reference.len(),
                "{target:?}"
            );
            assert_eq!(
                tok.count_ordinary_parallel(&text, threads),
                ordinary.len(),
                "{target:?}"
            );
        }
        assert!(tok.encode_parallel(&text, 2) == reference, "{target:?}");
        assert!(
            tok.encode_ordinary_parallel(&text, 2) == ordinary,
            "{target:?}"
        );
        report_line(&format!(
            "parallel ({target:?}): a {} byte text on 0 (every core), 2 and 3 threads = reference",
            text.len()
        ));
    }
}
