//! Exhaustive re-check of the core's Unicode tables (NFC, `\p{L}`, `\p{N}`, `\s`, case
//! folding) against the reference: for every scalar value c (U+0000..U+10FFFF without
//! surrogates), probe strings around c are encoded by both tokenizers and compared, and
//! decoded back against the reference's normalised text. For every c that has a canonical
//! decomposition in the newest Unicode, the decomposed sequence is probed too (compositions
//! the reference's Unicode 9.0 NFC does or does not make).
//!
//! Probes are batched: many probes are joined with `<|endoftext|>`, which the reference
//! splits off before normalising and pre-tokenising, so each probe is encoded
//! independently; a batch that differs is re-checked probe by probe to name the culprits.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use qwen_meter_tests::check::{Checks, check_text_with, core, guard, ids_diff, shrink};
use qwen_meter_tests::{escape, ref_encode, ref_normalized, report_line};
use unicode_normalization::char::decompose_canonical;

/// Probes joined into one batch text with this separator. A newline keeps most probes in
/// their own pre-tokens while costing the reference no extra pieces (joining with a special
/// token would make it split, normalise and pre-tokenise every probe separately, twice as
/// slow). Probes still interact across it (a whitespace `c` joins the newline): that is
/// fine for a differential check, and a failing batch is re-checked probe by probe.
const SEP: &str = "\n";

type Probe = (&'static str, fn(char) -> String);

/// Probes run for every code point.
const PROBES: &[Probe] = &[
    ("a+c", |c| format!("a{c}")),
    ("c+a", |c| format!("{c}a")),
    ("c+c", |c| format!("{c}{c}")),
    ("!+c+!", |c| format!("!{c}!")),
    ("space+c", |c| format!(" {c}")),
    ("c+U+0301", |c| format!("{c}\u{301}")),
    ("'+c", |c| format!("'{c}")),
];

/// Probes added for Qwen3.5, whose pattern puts marks in letter runs: a mark after
/// punctuation before a letter, and before punctuation.
const QWEN3_5_PROBES: &[Probe] = &[
    ("!+c+a", |c| format!("!{c}a")),
    ("c+!", |c| format!("{c}!")),
];

/// More probes for every code point in heavy mode (`QWEN_METER_HEAVY=1`).
const HEAVY_PROBES: &[Probe] = &[
    ("a+c+U+0316", |c| format!("a{c}\u{316}")),
    ("c+1+c", |c| format!("{c}1{c}")),
    ("c+\\n+space+c", |c| format!("{c}\n {c}")),
    ("x+'+c+t", |c| format!("x'{c}t")),
];

fn all_chars() -> Vec<char> {
    (0..=0x10FFFFu32).filter_map(char::from_u32).collect()
}

/// The newest Unicode's full canonical decomposition of `c`, if it has one.
fn nfd(c: char) -> Option<String> {
    let mut s = String::new();
    decompose_canonical(c, |d| s.push(d));
    (s.chars().ne(std::iter::once(c))).then_some(s)
}

struct Mismatch {
    probe: &'static str,
    c: char,
    input: String,
    what: String,
}

#[derive(Default)]
struct Findings {
    mismatches: Vec<Mismatch>,
    per_probe: std::collections::BTreeMap<&'static str, Vec<u32>>,
}

fn check_one(probe: &'static str, c: char, input: &str, out: &Mutex<Findings>) {
    let want = ref_encode(input);
    let ours = match guard("encode", || core().encode(input)) {
        Ok(ids) => ids,
        Err(f) => {
            record(out, probe, c, input, f.detail);
            return;
        }
    };
    if ours != want {
        record(out, probe, c, input, ids_diff(&ours, &want));
        return;
    }
    let norm = ref_normalized(input);
    match guard("decode", || core().decode(&ours)) {
        Ok(Ok(d)) if d == norm => {}
        other => record(
            out,
            probe,
            c,
            input,
            format!(
                "decode = {:?}, reference normalised \"{}\"",
                other.map(|r| r.map(|s| escape(&s))),
                escape(&norm)
            ),
        ),
    }
}

fn record(out: &Mutex<Findings>, probe: &'static str, c: char, input: &str, what: String) {
    let mut f = out.lock().unwrap();
    f.per_probe.entry(probe).or_default().push(c as u32);
    if f.mismatches.len() < 40 {
        f.mismatches.push(Mismatch {
            probe,
            c,
            input: input.to_owned(),
            what,
        });
    }
}

/// Compress sorted code points into `U+X..U+Y` ranges.
fn ranges(cps: &[u32]) -> String {
    let mut cps = cps.to_vec();
    cps.sort_unstable();
    cps.dedup();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cps.len() {
        let mut j = i;
        while j + 1 < cps.len() && cps[j + 1] == cps[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            format!("U+{:04X}", cps[i])
        } else {
            format!("U+{:04X}..U+{:04X}", cps[i], cps[j])
        });
        i = j + 1;
    }
    if out.len() > 60 {
        let n = out.len();
        out.truncate(60);
        out.push(format!("... ({} more ranges)", n - 60));
    }
    out.join(", ")
}

#[test]
fn every_code_point_through_probes() {
    every_code_point_with(&[]);
}

/// The same for `Tokenizer::qwen3_5()` against the Qwen3.5 reference, with two more probes.
#[test]
fn every_code_point_through_probes_qwen3_5() {
    qwen_meter_tests::set_target(qwen_meter_tests::Target::Qwen3_5);
    every_code_point_with(QWEN3_5_PROBES);
}

fn every_code_point_with(extra: &'static [Probe]) {
    let start = Instant::now();
    let chars = all_chars();
    assert_eq!(chars.len(), 0x110000 - 0x800);

    // Work items: (probe name, char, probe text).
    let mut items: Vec<(&'static str, char, String)> = Vec::with_capacity(chars.len() * 11);
    let probes: Vec<&Probe> = if qwen_meter_tests::heavy() {
        PROBES.iter().chain(HEAVY_PROBES).chain(extra).collect()
    } else {
        PROBES.iter().chain(extra).collect()
    };
    for &c in &chars {
        for (name, f) in probes.iter().copied() {
            items.push((name, c, f(c)));
        }
        if let Some(d) = nfd(c) {
            items.push(("nfd(c)", c, d.clone()));
            items.push(("a+nfd(c)+U+0334", c, format!("a{d}\u{334}")));
        }
    }
    let total = items.len();
    let batch = 4096;
    let batches = total.div_ceil(batch);
    let next = AtomicUsize::new(0);
    let findings = Mutex::new(Findings::default());
    let panicked_batches = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(4);
    let target = qwen_meter_tests::target();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                qwen_meter_tests::set_target(target);
                loop {
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    if b >= batches || panicked_batches.load(Ordering::Relaxed) >= 3 {
                        break;
                    }
                    let chunk = &items[b * batch..((b + 1) * batch).min(total)];
                    let mut text = String::with_capacity(chunk.len() * 24);
                    for (i, (_, _, p)) in chunk.iter().enumerate() {
                        if i > 0 {
                            text.push_str(SEP);
                        }
                        text.push_str(p);
                    }
                    let want = ref_encode(&text);
                    let ours = match guard("encode", || core().encode(&text)) {
                        Ok(ids) => ids,
                        Err(_) => {
                            // Name the culprits probe by probe, unless the core panics on
                            // everything (then stop early: the report says it all).
                            if panicked_batches.fetch_add(1, Ordering::Relaxed) >= 2 {
                                break;
                            }
                            for (name, c, p) in chunk.iter().take(20) {
                                check_one(name, *c, p, &findings);
                            }
                            continue;
                        }
                    };
                    let mut bad = ours != want;
                    if !bad {
                        bad = guard("decode", || core().decode(&ours))
                            .ok()
                            .and_then(|r| r.ok())
                            .is_none_or(|d| d != ref_normalized(&text));
                    }
                    if bad {
                        let before = findings
                            .lock()
                            .unwrap()
                            .per_probe
                            .values()
                            .map(Vec::len)
                            .sum::<usize>();
                        for (name, c, p) in chunk {
                            check_one(name, *c, p, &findings);
                        }
                        let after = findings
                            .lock()
                            .unwrap()
                            .per_probe
                            .values()
                            .map(Vec::len)
                            .sum::<usize>();
                        if after == before {
                            // Only the joined text fails: shrink it and report that.
                            let encode_only = |t: &str| {
                                check_text_with(
                                    t,
                                    Checks {
                                        ordinary: false,
                                        decode: true,
                                        offsets: false,
                                        truncate: false,
                                    },
                                )
                            };
                            if let Err(f0) = encode_only(&text) {
                                let (small, f1) = shrink(&text, &f0, &encode_only);
                                record(
                                    &findings,
                                    "joined probes",
                                    small.chars().next().unwrap_or(' '),
                                    &small,
                                    f1.detail,
                                );
                            }
                        }
                    }
                }
            });
        }
    });
    let f = findings.into_inner().unwrap();
    report_line(&format!(
        "[qwen-meter-tests] codepoints: {total} probes of {} code points ({} probe kinds + 2 on each canonical decomposition), {} s",
        chars.len(),
        probes.len(),
        start.elapsed().as_secs()
    ));
    if !f.per_probe.is_empty() || panicked_batches.load(Ordering::Relaxed) > 0 {
        let mut msg = String::from("core disagrees with the reference on code points:\n");
        for (probe, cps) in &f.per_probe {
            msg.push_str(&format!(
                "  probe {probe}: {} code points: {}\n",
                cps.len(),
                ranges(cps)
            ));
        }
        msg.push_str("examples:\n");
        for m in &f.mismatches {
            msg.push_str(&format!(
                "  [{}] c = U+{:04X}, input \"{}\"\n    {}\n",
                m.probe,
                m.c as u32,
                escape(&m.input),
                m.what
            ));
        }
        panic!("{msg}");
    }
}
