//! One large text (>= 8 MB) counted on 1 and 2 threads: our `Tokenizer::count_parallel` /
//! `encode_parallel` against fastokens, which splits long inputs over its own thread pool
//! (sized by `FASTOKENS_BPE_THREADS`, read once per process).
//!
//! ```text
//! cargo build -p qwen-meter-benches --release --bin bench-parallel
//! target/release/bench-parallel            # 3 rounds, with the reference's ids checked
//! target/release/bench-parallel --quick    # 2 rounds, no reference check
//! ```
//!
//! The text is the whole bench corpus (every kind, then the generated adversarial Unicode)
//! repeated until it reaches 8 MB. Every measurement runs in a child process of its own
//! (`bench-parallel --child PEER THREADS`), so each peer's thread count is set before it
//! starts and each first pass is a true first pass: the child loads the tokenizer, times one
//! call on the text (first pass: nothing built or cached yet), then the fastest of a few more
//! (warm). The children run in rounds, every configuration once per round, so a disturbance
//! from other processes falls on all of them; each cell is the best over the rounds.
//!
//! Threads work in parallel, so the speeds are wall-clock (`Instant`). On a machine shared
//! with other work that says little about scaling (two threads get two cores only when no one
//! else wants them), so each call's CPU times are taken too: the calling thread's and the
//! whole process's. With one helper thread (2 threads) the longer of the caller's time and the
//! rest is the call's critical path, the wall-clock time it takes when each thread has a core
//! of its own; the scaling is reported from it, and from the growth of the process's CPU time
//! from 1 to 2 threads (the cost of splitting: helper threads start with empty caches).

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use qwen_meter_benches::{
    corpus, fastokens, fastokens_encode, mb_per_s, process_cpu_time, reference, reference_encode,
    sha256_hex_of, thread_cpu_time,
};
use qwen_meter_tokenizer::Tokenizer;

/// The text is at least this long (bytes).
const TEXT_BYTES: usize = 8_000_000;

/// Timed warm calls per child (after the first pass and one untimed warm-up).
const WARM_CALLS: usize = 3;

/// The measured configurations: (peer, threads).
const CONFIGS: [(&str, usize); 6] = [
    ("ours", 1),
    ("ours", 2),
    ("ours-qwen3.5", 1),
    ("ours-qwen3.5", 2),
    ("fastokens", 1),
    ("fastokens", 2),
];

/// The bench corpus and the adversarial text, repeated to [`TEXT_BYTES`].
fn large_text() -> String {
    let mut unit: String = corpus::KINDS.iter().map(|k| k.text()).collect();
    unit.push_str(&corpus::adversarial());
    unit.repeat(TEXT_BYTES.div_ceil(unit.len()))
}

/// A short fingerprint of ids.
fn ids_hash(ids: &[u32]) -> String {
    let bytes: Vec<u8> = ids.iter().flat_map(|i| i.to_le_bytes()).collect();
    sha256_hex_of(&bytes)[..16].to_string()
}

/// What a child measured: of one call, or the least of each over several calls.
#[derive(Clone, Copy)]
struct Times {
    /// Wall-clock time.
    wall: Duration,
    /// CPU time of the whole process.
    cpu: Duration,
    /// The longer of the calling thread's CPU time and the other threads' (the process's
    /// less the caller's): the wall-clock time the call would take if each of its threads
    /// had a core of its own (exact with one helper thread, as on 2 threads).
    critical: Duration,
}

impl Times {
    /// The least of each time.
    fn best(self, o: Times) -> Times {
        Times {
            wall: self.wall.min(o.wall),
            cpu: self.cpu.min(o.cpu),
            critical: self.critical.min(o.critical),
        }
    }
}

/// The times of one call (the child runs nothing else meanwhile).
fn timed<R>(f: impl FnOnce() -> R) -> (R, Times) {
    let cpu0 = process_cpu_time().unwrap_or_default();
    let own0 = thread_cpu_time().unwrap_or_default();
    let t = Instant::now();
    let r = f();
    let wall = t.elapsed();
    let own = thread_cpu_time().unwrap_or_default().saturating_sub(own0);
    let cpu = process_cpu_time().unwrap_or_default().saturating_sub(cpu0);
    let critical = own.max(cpu.saturating_sub(own));
    (
        r,
        Times {
            wall,
            cpu,
            critical,
        },
    )
}

/// The child: measures one peer at one thread count and prints `key=value` pairs.
fn child(peer: &str, threads: usize) {
    let text = large_text();
    let mut line = String::new();
    let mut put = |k: &str, t: Times| {
        line += &format!(
            " {k}_wall_ms={:.3} {k}_cpu_ms={:.3} {k}_critical_ms={:.3}",
            t.wall.as_secs_f64() * 1e3,
            t.cpu.as_secs_f64() * 1e3,
            t.critical.as_secs_f64() * 1e3
        )
    };
    let ids = match peer {
        "ours" | "ours-qwen3.5" => {
            let tok = if peer == "ours" {
                Tokenizer::qwen3()
            } else {
                Tokenizer::qwen3_5()
            };
            tok.count("warm up");
            let (n, first) = timed(|| tok.count_parallel(black_box(&text), threads));
            put("first", first);
            let ids = tok.encode_parallel(&text, threads);
            assert_eq!(
                n,
                ids.len(),
                "{peer}: count_parallel = encode_parallel's length"
            );
            assert_eq!(n, tok.count(&text), "{peer}: count_parallel = count");
            let mut warm = timed(|| tok.count_parallel(black_box(&text), threads)).1;
            let mut encode = timed(|| tok.encode_parallel(black_box(&text), threads)).1;
            for _ in 0..WARM_CALLS {
                warm = warm.best(timed(|| tok.count_parallel(black_box(&text), threads)).1);
                encode = encode.best(timed(|| tok.encode_parallel(black_box(&text), threads)).1);
            }
            put("warm", warm);
            put("encode", encode);
            ids
        }
        "fastokens" => {
            let tok = fastokens();
            fastokens_encode(&tok, "warm up");
            let (ids, first) = timed(|| fastokens_encode(&tok, black_box(&text)));
            put("first", first);
            let mut warm = timed(|| fastokens_encode(&tok, black_box(&text))).1;
            for _ in 0..WARM_CALLS {
                warm = warm.best(timed(|| fastokens_encode(&tok, black_box(&text))).1);
            }
            put("warm", warm);
            put("encode", warm);
            ids
        }
        _ => panic!("unknown peer {peer}"),
    };
    println!("tokens={} ids={}{line}", ids.len(), ids_hash(&ids));
}

/// One child's answer.
struct Answer {
    tokens: usize,
    ids: String,
    first: Times,
    warm: Times,
    encode: Times,
}

fn run_child(peer: &str, threads: usize) -> Answer {
    let exe = std::env::current_exe().expect("the bench binary's own path");
    let out = Command::new(exe)
        .args(["--child", peer, &threads.to_string()])
        .env("FASTOKENS_BPE_THREADS", threads.to_string())
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("run a child");
    assert!(
        out.status.success(),
        "child {peer} {threads} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8_lossy(&out.stdout).to_string();
    let field = |k: &str| {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(k)?.strip_prefix('='))
            .unwrap_or_else(|| panic!("child {peer} {threads}: no {k} in {line}"))
            .to_string()
    };
    let ms = |k: &str| Duration::from_secs_f64(field(k).parse::<f64>().expect("a number") / 1e3);
    let times = |k: &str| Times {
        wall: ms(&format!("{k}_wall_ms")),
        cpu: ms(&format!("{k}_cpu_ms")),
        critical: ms(&format!("{k}_critical_ms")),
    };
    Answer {
        tokens: field("tokens").parse().expect("a count"),
        ids: field("ids"),
        first: times("first"),
        warm: times("warm"),
        encode: times("encode"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() == 3 && args[0] == "--child" {
        child(&args[1], args[2].parse().expect("a thread count"));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let rounds = if quick { 2 } else { 3 };
    let text = large_text();
    let n = text.len();
    eprintln!(
        "{:.2} MB of text, {rounds} rounds of {} children",
        n as f64 / 1e6,
        CONFIGS.len()
    );

    let mut best: Vec<Option<Answer>> = CONFIGS.iter().map(|_| None).collect();
    for round in 0..rounds {
        for (i, &(peer, threads)) in CONFIGS.iter().enumerate() {
            let a = run_child(peer, threads);
            eprintln!(
                "round {round}: {peer} x{threads}: first {:.0} ms, warm {:.0} ms",
                a.first.wall.as_secs_f64() * 1e3,
                a.warm.wall.as_secs_f64() * 1e3
            );
            best[i] = Some(match best[i].take() {
                None => a,
                Some(b) => {
                    assert_eq!((a.tokens, &a.ids), (b.tokens, &b.ids), "{peer} x{threads}");
                    Answer {
                        first: b.first.best(a.first),
                        warm: b.warm.best(a.warm),
                        encode: b.encode.best(a.encode),
                        ..b
                    }
                }
            });
        }
    }
    let best: Vec<Answer> = best.into_iter().map(|a| a.expect("measured")).collect();

    let reference_ids = (!quick).then(|| {
        eprintln!("reference ids (Qwen3; a few seconds)...");
        ids_hash(&reference_encode(&reference(), &text))
    });
    let qwen3_ids = ids_hash(&Tokenizer::qwen3().encode(&text));
    let qwen3_5_ids = ids_hash(&Tokenizer::qwen3_5().encode(&text));

    println!(
        "{:.2} MB: the bench corpus (every kind) and the adversarial text, repeated.\n",
        n as f64 / 1e6
    );
    println!(
        "| tokenizer | threads | first pass MB/s | warm count MB/s | warm encode MB/s | warm count MB/s, a core per thread | speed-up, a core per thread | CPU time vs 1 thread | cores busy | tokens | ids |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");
    for (i, ((peer, threads), a)) in CONFIGS.iter().zip(&best).enumerate() {
        // Row i - 1 is the same peer on 1 thread when this row is its 2-thread run.
        let one = if *threads == 1 { a } else { &best[i - 1] };
        let (name, expected) = match *peer {
            "ours" => ("ours (Qwen3) `count_parallel`", &qwen3_ids),
            "ours-qwen3.5" => ("ours (Qwen3.5) `count_parallel`", &qwen3_5_ids),
            _ => ("fastokens (Qwen3) `encode`", &qwen3_ids),
        };
        let same = if &a.ids != expected {
            "**differ**"
        } else if *peer == "ours-qwen3.5" {
            "= `encode`"
        } else {
            match &reference_ids {
                Some(r) if r == expected => "= reference",
                Some(_) => "**differ from reference**",
                None => "= ours `encode`",
            }
        };
        let s = |d: Duration| d.as_secs_f64();
        println!(
            "| {name} | {threads} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2}x | {:.2}x | {:.2} | {} | {same} |",
            mb_per_s(n, a.first.wall),
            mb_per_s(n, a.warm.wall),
            mb_per_s(n, a.encode.wall),
            mb_per_s(n, a.warm.critical),
            s(one.warm.critical) / s(a.warm.critical),
            s(a.warm.cpu) / s(one.warm.cpu),
            s(a.warm.cpu) / s(a.warm.wall),
            a.tokens,
        );
    }
    println!(
        "\nWall-clock MB/s (10^6 bytes per second), best of {rounds} child processes per row, \
         each timing one first call and the fastest of {} warm calls. fastokens has no count: \
         its `encode` is both its count and its encode. A core per thread: the longer of the \
         calling thread's CPU time and the other threads' (what the wall-clock time would be \
         if each thread had an idle core; exact for 2 threads, and not disturbed by other \
         processes), fastest of the warm counts; speed-up = that time on 1 thread / on this \
         many. CPU time vs 1 thread = the work that the split adds (process CPU time of the \
         fastest warm count). cores busy = process CPU time / wall-clock time of the warm count \
         (below the thread count when other processes compete for the cores). ids: \
         fingerprints of every row's ids compared with ours from `encode` on one thread{}.",
        WARM_CALLS + 1,
        if reference_ids.is_some() {
            " and with the reference's (Hugging Face `tokenizers`, Qwen3)"
        } else {
            ""
        }
    );
}
