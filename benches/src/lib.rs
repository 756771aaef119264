//! Shared pieces of the qwen-meter benchmarks: the committed bench corpus, the pathological
//! inputs, and the two tokenizers we compare with:
//!
//! - the reference, Hugging Face `tokenizers` loading the official Qwen3 `tokenizer.json`
//!   (`tests/fixtures/qwen3-tokenizer.json.gz`);
//! - `tiktoken-rs`, a `CoreBPE` built from `qwen.tiktoken` (`benches/fixtures/qwen.tiktoken.gz`,
//!   sha256-checked) with the Qwen split pattern and the Qwen3 special tokens;
//! - the fastest exact peers, `fastokens` and `kitoken`, each loading the same official
//!   `tokenizer.json` as the reference.
//!
//! Everything is embedded with `include_bytes!`/`include_str!`: nothing is read from disk at
//! bench time. The criterion benches (`benches/`), the `bench-report` binary and the `bench-startup`
//! binary all use this module, so they measure the same inputs.

use std::collections::HashMap;
use std::io::Read;
use std::time::{Duration, Instant};

pub mod corpus;
pub mod peers;

/// The Qwen pre-tokenizer split pattern (tokenizer.json `Split` regex), from the engine.
pub use qwen_meter_tokenizer::QWEN_PATTERN;

/// The official Qwen3 tokenizer.json, gzip -9 (see /tests/fixtures).
pub const QWEN3_TOKENIZER_JSON_GZ: &[u8] =
    include_bytes!("../../tests/fixtures/qwen3-tokenizer.json.gz");

/// sha256 of the uncompressed Qwen3 tokenizer.json (PROVENANCE.md).
pub const QWEN3_TOKENIZER_JSON_SHA256: &str =
    "aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4";

/// qwen.tiktoken (dashscope 2.0.2), gzip -9.
pub const QWEN_TIKTOKEN_GZ: &[u8] = include_bytes!("../fixtures/qwen.tiktoken.gz");

/// sha256 of the uncompressed qwen.tiktoken (PROVENANCE.md).
pub const QWEN_TIKTOKEN_SHA256: &str =
    "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186";

/// Decompresses a gzip fixture and checks its sha256 (lower-case hex).
///
/// # Panics
/// If the data is not gzip or the checksum differs: a bench on the wrong file is worthless.
pub fn gunzip_checked(gz: &[u8], sha256_hex: &str, what: &str) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("{what}: not a gzip file: {e}"));
    let got = sha256_hex_of(&out);
    assert_eq!(got, sha256_hex, "{what}: sha256 mismatch");
    out
}

/// Lower-case hex sha256 of `data`.
pub fn sha256_hex_of(data: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(data);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The reference tokenizer: HF `tokenizers` with the official Qwen3 tokenizer.json.
pub fn reference() -> tokenizers::Tokenizer {
    tokenizers::Tokenizer::from_bytes(qwen3_tokenizer_json())
        .expect("load the Qwen3 tokenizer.json")
}

/// The Qwen3.5 tokenizer.json that `qwen-meter-gen qwen3_5` writes (see /tests/fixtures).
pub const QWEN3_5_TOKENIZER_JSON_GZ: &[u8] =
    include_bytes!("../../tests/fixtures/qwen3_5-tokenizer.json.gz");

/// sha256 of the uncompressed Qwen3.5 tokenizer.json.
pub const QWEN3_5_TOKENIZER_JSON_SHA256: &str =
    "623f121d5f5f2d8dbdbcd6380f71c23f869c988f45aabc1f6626436a0ef0e05f";

/// The Qwen3.5 reference: HF `tokenizers` with the generated Qwen3.5 tokenizer.json.
pub fn reference_qwen3_5() -> tokenizers::Tokenizer {
    let json = gunzip_checked(
        QWEN3_5_TOKENIZER_JSON_GZ,
        QWEN3_5_TOKENIZER_JSON_SHA256,
        "qwen3.5 tokenizer.json",
    );
    tokenizers::Tokenizer::from_bytes(&json).expect("load the Qwen3.5 tokenizer.json")
}

/// Empties the reference's BPE word cache (10,000 entries by default), so that the next
/// call sees its text for the first time.
pub fn reference_clear_cache(reference: &tokenizers::Tokenizer) {
    if let tokenizers::ModelWrapper::BPE(bpe) = reference.get_model() {
        bpe.clear_cache();
    }
}

/// Reference ids of `text` (`add_special_tokens = false`, as the parity tests use).
pub fn reference_encode(reference: &tokenizers::Tokenizer, text: &str) -> Vec<u32> {
    reference
        .encode(text, false)
        .expect("reference encode")
        .get_ids()
        .to_vec()
}

/// The official Qwen3 tokenizer.json, decompressed and checked.
pub fn qwen3_tokenizer_json() -> Vec<u8> {
    gunzip_checked(
        QWEN3_TOKENIZER_JSON_GZ,
        QWEN3_TOKENIZER_JSON_SHA256,
        "qwen3 tokenizer.json",
    )
}

/// Makes sure the peers run on one thread: fastokens splits long inputs over a thread pool
/// unless `FASTOKENS_BPE_THREADS=1`, and its workers' time would escape the thread CPU clock.
/// The variable is read once, when fastokens first encodes, and setting it from inside a
/// running program is not safe, so a process started without it runs itself again with it
/// (same arguments) and exits with that run's status. Call it first thing in `main`.
pub fn run_peers_single_threaded() {
    if std::env::var_os("FASTOKENS_BPE_THREADS").is_some() {
        return;
    }
    let exe = std::env::current_exe().expect("the bench binary's own path");
    let status = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("FASTOKENS_BPE_THREADS", "1")
        .status()
        .expect("re-run the bench binary with FASTOKENS_BPE_THREADS=1");
    std::process::exit(status.code().unwrap_or(1));
}

/// fastokens loading the official Qwen3 tokenizer.json (see [`run_peers_single_threaded`]).
pub fn fastokens() -> fastokens::Tokenizer {
    let json: serde_json::Value =
        serde_json::from_slice(&qwen3_tokenizer_json()).expect("tokenizer.json is JSON");
    fastokens::Tokenizer::from_json(json).expect("fastokens loads the Qwen3 tokenizer.json")
}

/// fastokens ids of `text` (special-token text recognised, nothing added).
pub fn fastokens_encode(tok: &fastokens::Tokenizer, text: &str) -> Vec<u32> {
    tok.encode(text).expect("fastokens encode")
}

/// kitoken converting the official Qwen3 tokenizer.json.
pub fn kitoken() -> kitoken::Kitoken {
    kitoken::Kitoken::from_tokenizers_slice(&qwen3_tokenizer_json())
        .expect("kitoken converts the Qwen3 tokenizer.json")
}

/// kitoken ids of `text` (special-token text recognised).
pub fn kitoken_encode(tok: &kitoken::Kitoken, text: &str) -> Vec<u32> {
    tok.encode(text, true).expect("kitoken encode")
}

/// The ranks of qwen.tiktoken: `base64(token bytes) rank` per line.
pub fn tiktoken_ranks() -> HashMap<Vec<u8>, u32> {
    use base64::Engine as _;
    let raw = gunzip_checked(QWEN_TIKTOKEN_GZ, QWEN_TIKTOKEN_SHA256, "qwen.tiktoken");
    let text = std::str::from_utf8(&raw).expect("qwen.tiktoken is ASCII");
    let mut ranks = HashMap::with_capacity(151_643);
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        let (b64, rank) = line
            .split_once(' ')
            .unwrap_or_else(|| panic!("qwen.tiktoken line {}: no space", n + 1));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap_or_else(|e| panic!("qwen.tiktoken line {}: bad base64: {e}", n + 1));
        let rank: u32 = rank
            .parse()
            .unwrap_or_else(|_| panic!("qwen.tiktoken line {}: bad rank", n + 1));
        ranks.insert(bytes, rank);
    }
    assert_eq!(ranks.len(), 151_643, "qwen.tiktoken: token count");
    ranks
}

/// tiktoken-rs `CoreBPE` for Qwen3: qwen.tiktoken ranks, the Qwen pattern, the Qwen3
/// special tokens.
pub fn tiktoken() -> tiktoken_rs::CoreBPE {
    // The same special tokens as ours (the parity tests check them against the reference).
    let specials = qwen_meter_tokenizer::Tokenizer::qwen3()
        .special_tokens()
        .into_iter()
        .map(|(s, id)| (s.to_string(), id));
    tiktoken_rs::CoreBPE::new(
        tiktoken_ranks().into_iter().collect(),
        specials.collect(),
        QWEN_PATTERN,
    )
    .expect("build tiktoken-rs CoreBPE")
}

/// tiktoken-rs ids of `text`, special-token text recognised (like `Tokenizer::encode`).
pub fn tiktoken_encode(bpe: &tiktoken_rs::CoreBPE, text: &str) -> Vec<u32> {
    bpe.encode_with_special_tokens(text)
}

/// Size of each pathological input, in bytes (at least; `中` rounds up to whole characters).
pub const PATHOLOGICAL_BYTES: usize = 1 << 20;

/// The pathological inputs: 1 MiB of one repeated character each.
pub fn pathological() -> Vec<(&'static str, String)> {
    [
        ("a", 'a'),
        ("space", ' '),
        ("newline", '\n'),
        ("cjk-zhong", '中'),
        ("bang", '!'),
        ("digit-1", '1'),
    ]
    .into_iter()
    .map(|(name, c)| {
        let n = PATHOLOGICAL_BYTES.div_ceil(c.len_utf8());
        (name, std::iter::repeat_n(c, n).collect())
    })
    .collect()
}

/// Size of each long-run input: 100 MB, enough to show a quadratic or growing-memory path.
pub const LONG_RUN_BYTES: usize = 100_000_000;

/// Long stretches with no split point that a streaming counter could use without looking
/// inside pieces: emoji, CJK without punctuation, letters with combining marks, one letter
/// run, digits; `bytes` long each (rounded up to whole repetitions).
pub fn long_runs(bytes: usize) -> Vec<(&'static str, String)> {
    let cjk: String = (0..4096u32)
        .map(|i| char::from_u32(0x4E00 + (i * 7919) % 20_000).expect("CJK ideograph"))
        .collect();
    let letters: String = (0..4096u32)
        .map(|i| (b'a' + ((i * 2_654_435_761u32) >> 27) as u8 % 26) as char)
        .collect();
    [
        ("emoji", "😀".to_string()),
        ("cjk-no-punct", cjk),
        ("combining-marks", "e\u{301}\u{323}a\u{308}".to_string()),
        ("letters", letters),
        ("digits", "1234567890".to_string()),
    ]
    .into_iter()
    .map(|(name, unit)| (name, unit.repeat(bytes.div_ceil(unit.len()))))
    .collect()
}

/// CPU time consumed so far by the calling thread (`CLOCK_THREAD_CPUTIME_ID`), or `None`
/// where that clock is not available. Unlike wall-clock time it does not count the time the
/// thread waits while other processes run, so measurements on a busy machine stay close to
/// what an idle one gives.
pub fn thread_cpu_time() -> Option<Duration> {
    cpu_clock(CpuClock::Thread)
}

/// CPU time consumed so far by the whole process (`CLOCK_PROCESS_CPUTIME_ID`), if available.
pub fn process_cpu_time() -> Option<Duration> {
    cpu_clock(CpuClock::Process)
}

enum CpuClock {
    Thread,
    Process,
}

// `cpu-time` wraps `clock_gettime` so that this crate needs no `unsafe` of its own.
fn cpu_clock(which: CpuClock) -> Option<Duration> {
    match which {
        CpuClock::Thread => cpu_time::ThreadTime::try_now()
            .ok()
            .map(|t| t.as_duration()),
        CpuClock::Process => cpu_time::ProcessTime::try_now()
            .ok()
            .map(|t| t.as_duration()),
    }
}

/// Which clock [`time_best_each`] and [`time_once`] use.
pub fn clock_name() -> &'static str {
    if thread_cpu_time().is_some() {
        "thread CPU time"
    } else {
        "wall-clock time"
    }
}

fn clock_now() -> Duration {
    thread_cpu_time().unwrap_or_else(|| {
        static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        START.get_or_init(Instant::now).elapsed()
    })
}

/// Timing for the `bench-report` binary: in rounds until at least `min_rounds` rounds and
/// `min_time` of wall-clock time have passed, or `max_rounds`; in each round every function
/// runs twice in a row, an untimed call that warms the caches and a timed one. Returns each
/// function's fastest timed call. Rounds spread any disturbance from other processes over
/// all the contenders, fastest-of-N drops the disturbed calls, and the clock is the thread's
/// CPU time where available ([`clock_name`]), so time spent waiting for the CPU is not
/// counted.
pub fn time_best_each(
    min_rounds: u32,
    max_rounds: u32,
    min_time: Duration,
    fs: &mut [&mut dyn FnMut()],
) -> Vec<Duration> {
    let start = Instant::now();
    let mut best = vec![Duration::MAX; fs.len()];
    let mut rounds = 0;
    while rounds < max_rounds && (rounds < min_rounds || start.elapsed() < min_time) {
        for (f, b) in fs.iter_mut().zip(best.iter_mut()) {
            f();
            let t = clock_now();
            f();
            *b = (*b).min(clock_now().saturating_sub(t));
        }
        rounds += 1;
    }
    best
}

/// One call of `f`, timed with the same clock as [`time_best_each`].
pub fn time_once<R>(f: impl FnOnce() -> R) -> (R, Duration) {
    let t = clock_now();
    let r = f();
    (r, clock_now().saturating_sub(t))
}

/// Megabytes (10^6 bytes) per second.
pub fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

/// Resident set size of this process in bytes, from `/proc/self/statm` (pages) times the
/// page size (`/proc/self/smaps`' `KernelPageSize`, 4096 if unknown). `None` off Linux.
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let resident: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(resident * page_size())
}

fn page_size() -> u64 {
    std::fs::read_to_string("/proc/self/smaps")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("KernelPageSize:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(4096, |kb| kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiktoken_fixture_checksum_and_ranks() {
        let ranks = tiktoken_ranks();
        assert_eq!(ranks.get(b"!".as_slice()), Some(&0));
        assert_eq!(ranks.values().max(), Some(&151_642));
    }

    #[test]
    fn timing_returns_one_duration_per_function() {
        let (mut a, mut b) = (0u64, 0u64);
        let d = time_best_each(
            2,
            3,
            Duration::ZERO,
            &mut [&mut || a += 1, &mut || {
                b = std::hint::black_box((0..1000u64).sum())
            }],
        );
        assert_eq!(d.len(), 2);
        assert_eq!(a, 4); // two rounds of two calls
        assert_eq!(b, 499_500);
    }

    #[test]
    fn pathological_inputs_are_one_mib() {
        for (name, text) in pathological() {
            assert!(text.len() >= PATHOLOGICAL_BYTES, "{name}");
            assert!(text.len() < PATHOLOGICAL_BYTES + 4, "{name}");
        }
    }
}
