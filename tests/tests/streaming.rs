//! Chunked counting (`Tokenizer::counter`, `ordinary_counter`) on texts large enough to make
//! the counter settle its buffer, cut into random chunks: the total must be the reference's
//! count of the whole text, whatever the cuts. Also `count`, `count_within` and `truncate`
//! at a random limit on the same large texts.

use qwen_meter_tests::check::check_truncate;
use qwen_meter_tests::generators::{Family, generate};
use qwen_meter_tests::rng::Rng;
use qwen_meter_tests::{base_seed, case_scale, ref_encode, ref_encode_ordinary, report_line};
use qwen_meter_tokenizer::{Keep, Tokenizer};

/// A text of at least `min_bytes`, concatenated from generated inputs of all families.
fn big_text(rng: &mut Rng, min_bytes: usize) -> String {
    const FAMILIES: [Family; 8] = [
        Family::Mixed,
        Family::Marks,
        Family::Whitespace,
        Family::Contractions,
        Family::DigitsEmoji,
        Family::SpecialTokens,
        Family::RealText,
        Family::AnyChars,
    ];
    let mut s = String::with_capacity(min_bytes + 1024);
    // Sometimes one family only, so the text is dominated by its kind of hard case.
    let only = rng.chance(1, 3).then(|| rng.pick(&FAMILIES));
    while s.len() < min_bytes {
        let f = only.unwrap_or_else(|| rng.pick(&FAMILIES));
        s.push_str(&generate(f, rng));
        if rng.chance(1, 200) {
            s.push_str(&generate(Family::LongRuns, rng));
        }
    }
    s
}

/// Chunk sizes in bytes (moved forward to a char boundary): tiny, random, and around the
/// counter's settle size.
fn chunked(tok: &Tokenizer, text: &str, special: bool, rng: &mut Rng) -> (usize, bool) {
    let mut c = if special {
        tok.counter()
    } else {
        tok.ordinary_counter()
    };
    let mode = rng.below(4);
    let mut settled = false;
    let mut last_settled = 0;
    let mut i = 0;
    while i < text.len() {
        let size = match mode {
            0 => rng.range(1, 8),
            1 => rng.range(1, 5000),
            2 => rng.range(30_000, 100_000),
            _ => *[1usize, 13, 4096, 65_535, 65_536, 65_537]
                .get(rng.below(6))
                .unwrap(),
        };
        let mut j = (i + size).min(text.len());
        while !text.is_char_boundary(j) {
            j += 1;
        }
        c.push(&text[i..j]);
        let now = c.settled_tokens();
        assert!(now >= last_settled, "settled_tokens went down");
        last_settled = now;
        settled |= now > 0;
        i = j;
    }
    let total = c.finish();
    assert!(last_settled <= total, "settled tokens exceed the total");
    (total, settled)
}

#[test]
fn chunked_counts_equal_reference_on_large_texts() {
    chunked_counts(0);
}

/// The same on `Tokenizer::qwen3_5()`, with marks sprinkled in a third of the texts.
#[test]
fn chunked_counts_equal_reference_on_large_texts_qwen3_5() {
    qwen_meter_tests::set_target(qwen_meter_tests::Target::Qwen3_5);
    chunked_counts(0x35);
}

fn chunked_counts(salt: u64) {
    let start = std::time::Instant::now();
    let texts = ((8.0 * case_scale()).round() as usize).max(1);
    let tok = qwen_meter_tests::check::core();
    let mut settled_any = 0;
    let mut bytes = 0;
    for i in 0..texts {
        let mut rng = Rng::new(base_seed() ^ 0x5354_5245_414d ^ salt ^ i as u64);
        let min = rng.range(70_000, 200_000);
        let mut text = big_text(&mut rng, min);
        if salt != 0 && rng.chance(1, 3) {
            qwen_meter_tests::generators::sprinkle_marks(&mut rng, &mut text);
        }
        bytes += text.len();
        let want = ref_encode(&text).len();
        let want_ord = ref_encode_ordinary(&text).len();
        assert_eq!(tok.count(&text), want, "count of large text {i}");
        assert_eq!(
            tok.count_ordinary(&text),
            want_ord,
            "count_ordinary of large text {i}"
        );
        assert_eq!(tok.count_within(&text, want), Some(want));
        assert_eq!(tok.count_within(&text, want - 1), None);
        for round in 0..3 {
            let (got, settled) = chunked(tok, &text, true, &mut rng);
            assert_eq!(got, want, "counter: large text {i}, chunking round {round}");
            settled_any += settled as usize;
            let (got, _) = chunked(tok, &text, false, &mut rng);
            assert_eq!(got, want_ord, "ordinary_counter: text {i}, round {round}");
        }
        let n = rng.below(want + 1);
        let keep = if rng.chance(1, 2) {
            Keep::Start
        } else {
            Keep::End
        };
        if let Err(f) = check_truncate(&text, want, n, keep) {
            // Name the failure without printing 100 KB.
            panic!(
                "truncate on large text {i} (n = {n}, {keep:?}): {}",
                f.check
            );
        }
    }
    assert!(settled_any > 0, "texts were large enough to settle");
    report_line(&format!(
        "[qwen-meter-tests] streaming: {texts} large texts ({:.1} MB), 6 chunkings each, {:.1} s",
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    ));
}
