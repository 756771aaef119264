//! Quick benchmark report without criterion: a few wall-clock runs per measurement (the
//! fastest counts), printed as Markdown tables for the README.
//!
//! ```text
//! cargo build -p qwen-meter-benches --release --bins     # bench-report runs bench-startup
//! cargo run -p qwen-meter-benches --release --bin bench-report             # about two minutes
//! cargo run -p qwen-meter-benches --release --bin bench-report -- --quick  # about 20 seconds
//! ```
//!
//! Options: `--quick` (shorter timing), `--no-reference-pathological` (skip the reference on
//! the 1 MiB single-character inputs), `--no-startup` (skip running the `bench-startup` binary),
//! `--no-peers` (skip the tables against fastokens, kitoken and the others, warm and first pass).

use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::Command;
use std::time::{Duration, Instant};

use qwen_meter_benches::{
    clock_name, corpus, mb_per_s, pathological, reference, reference_clear_cache, reference_encode,
    reference_qwen3_5, tiktoken, tiktoken_encode, time_best_each, time_once,
};
use qwen_meter_tokenizer::Tokenizer;

struct Options {
    min_time: Duration,
    reference_pathological: bool,
    startup: bool,
    peers: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    for a in &args {
        if !matches!(
            a.as_str(),
            "--quick" | "--no-reference-pathological" | "--no-startup" | "--no-peers"
        ) {
            eprintln!(
                "usage: bench-report [--quick] [--no-reference-pathological] [--no-startup] [--no-peers]\nunknown argument: {a}"
            );
            std::process::exit(2);
        }
    }
    let quick = args.iter().any(|a| a == "--quick");
    Options {
        min_time: Duration::from_millis(if quick { 200 } else { 2000 }),
        reference_pathological: !args.iter().any(|a| a == "--no-reference-pathological"),
        startup: !args.iter().any(|a| a == "--no-startup"),
        peers: !args.iter().any(|a| a == "--no-peers"),
    }
}

/// Runs `f`, turning a panic (e.g. an engine still `todo!()`) into `None`, quietly.
fn try_run<R>(f: impl FnOnce() -> R) -> Option<R> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let r = catch_unwind(AssertUnwindSafe(f)).ok();
    std::panic::set_hook(hook);
    r
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!(
        "{cpu}, {cores} cores, {} {}; single thread, release build; {rustc}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn fmt_mb(v: Option<f64>) -> String {
    v.map_or("n/a".to_string(), |v| {
        if v >= 100.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    })
}

fn fmt_ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.1}x", a / b),
        _ => "n/a".to_string(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn main() {
    qwen_meter_benches::run_peers_single_threaded();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() == 3 && args[0] == "--first-pass" {
        qwen_meter_benches::peers::first_pass_child(&args[1], &args[2]);
        return;
    }
    let opt = options();
    let t_load = Instant::now();
    let ours: Option<&'static Tokenizer> = try_run(|| {
        let t = Tokenizer::qwen3();
        t.count("warm up");
        t
    });
    let reference = reference();
    let tiktoken = tiktoken();
    eprintln!("loaded the three tokenizers in {:.1?}", t_load.elapsed());
    if ours.is_none() {
        eprintln!(
            "note: qwen_meter_tokenizer panicked (engine not implemented yet?): its columns are n/a"
        );
    }

    println!("Machine: {}\n", machine());
    println!(
        "| kind | size | ours count MB/s | ours encode MB/s | reference MB/s | tiktoken-rs MB/s | count / ref | encode / ref | encode / tiktoken | ids = ref |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");

    // Totals for the "all" row and the pathological comparison.
    let mut total_bytes = 0usize;
    let mut total: [Option<Duration>; 4] = [Some(Duration::ZERO); 4];
    let add = |acc: &mut Option<Duration>, d: Option<Duration>| {
        *acc = match (*acc, d) {
            (Some(a), Some(d)) => Some(a + d),
            _ => None,
        }
    };

    for kind in corpus::KINDS {
        let text = kind.text();
        let n = text.len();
        let ref_ids = reference_encode(&reference, &text);
        let exact = ours.and_then(|t| {
            try_run(|| t.encode(&text) == ref_ids && t.count(&text) == ref_ids.len())
        });
        // `exact` is Some only if our engine ran without panicking.
        let (t_count, t_encode, t_ref, t_tik) = match ours.filter(|_| exact.is_some()) {
            Some(t) => {
                let d = time_best_each(
                    3,
                    500,
                    opt.min_time,
                    &mut [
                        &mut || {
                            black_box(t.count(black_box(&text)));
                        },
                        &mut || {
                            black_box(t.encode(black_box(&text)));
                        },
                        &mut || {
                            black_box(reference_encode(&reference, black_box(&text)));
                        },
                        &mut || {
                            black_box(tiktoken_encode(&tiktoken, black_box(&text)));
                        },
                    ],
                );
                (Some(d[0]), Some(d[1]), d[2], d[3])
            }
            None => {
                let d = time_best_each(
                    3,
                    500,
                    opt.min_time,
                    &mut [
                        &mut || {
                            black_box(reference_encode(&reference, black_box(&text)));
                        },
                        &mut || {
                            black_box(tiktoken_encode(&tiktoken, black_box(&text)));
                        },
                    ],
                );
                (None, None, d[0], d[1])
            }
        };
        total_bytes += n;
        for (acc, d) in total
            .iter_mut()
            .zip([t_count, t_encode, Some(t_ref), Some(t_tik)])
        {
            add(acc, d);
        }
        let mb = |d: Option<Duration>| d.map(|d| mb_per_s(n, d));
        row(
            kind.name,
            n,
            [mb(t_count), mb(t_encode), mb(Some(t_ref)), mb(Some(t_tik))],
            match exact {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "n/a",
            },
        );
    }
    let mb = |d: Option<Duration>| d.map(|d| mb_per_s(total_bytes, d));
    row(
        "**all**",
        total_bytes,
        [mb(total[0]), mb(total[1]), mb(total[2]), mb(total[3])],
        "",
    );
    println!(
        "\nMB/s = 10^6 bytes of UTF-8 input per second, fastest of several rounds (each a warm-up call, then a timed call), \
         timed with the {}. reference = Hugging Face `tokenizers` 0.23 with the official Qwen3 tokenizer.json, \
         `encode(text, false)`; tiktoken-rs = `CoreBPE` from qwen.tiktoken with the Qwen split \
         pattern, `encode_with_special_tokens`; ours = `Tokenizer::qwen3()`. \
         Targets: count / ref >= 30x (aim 100x), encode / ref >= 20x.",
        clock_name()
    );

    if let Some(t) = ours.filter(|_| total[0].is_some()) {
        cold_table(t, &reference, &opt);
        qwen3_5_table(t, &opt);
    }

    // Pathological inputs.
    let avg_ns_per_byte = total[0].map(|d| d.as_secs_f64() * 1e9 / total_bytes as f64);
    println!(
        "\n| input (1 MiB) | ours count ms | ns/byte | vs corpus average | ours encode ms | tokens | reference ms | ids = ref |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|:---:|");
    for (name, text) in pathological() {
        let n = text.len();
        let tokens = ours.and_then(|t| try_run(|| t.count(&text)));
        let (t_count, t_encode) = match ours.filter(|_| tokens.is_some()) {
            Some(t) => {
                let d = time_best_each(
                    2,
                    50,
                    opt.min_time / 2,
                    &mut [
                        &mut || {
                            black_box(t.count(black_box(&text)));
                        },
                        &mut || {
                            black_box(t.encode(black_box(&text)));
                        },
                    ],
                );
                (Some(d[0]), Some(d[1]))
            }
            None => (None, None),
        };
        let (t_ref, same) = if opt.reference_pathological {
            let (ids, d) = time_once(|| reference_encode(&reference, &text));
            let same = ours.and_then(|t| try_run(|| t.encode(&text) == ids));
            (Some(d), same)
        } else {
            (None, None)
        };
        let per_byte = t_count.map(|d| d.as_secs_f64() * 1e9 / n as f64);
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} |",
            t_count.map_or("n/a".into(), ms),
            per_byte.map_or("n/a".into(), |v| format!("{v:.2}")),
            match (per_byte, avg_ns_per_byte) {
                (Some(p), Some(a)) => format!("{:.2}x", p / a),
                _ => "n/a".into(),
            },
            t_encode.map_or("n/a".into(), ms),
            tokens.map_or("n/a".into(), |v| v.to_string()),
            t_ref.map_or("skipped".into(), ms),
            match same {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "n/a",
            }
        );
    }
    println!(
        "\nvs corpus average = (ns/byte of `count` on this input) / (ns/byte of `count` over the \
         whole corpus); the bar is <= 3x. The reference is timed once per input."
    );

    if opt.peers {
        qwen_meter_benches::peers::report(opt.min_time);
    }

    if opt.startup {
        startup();
    }
}

/// Qwen3.5 against Qwen3 on each kind of text: speed of `count` and `encode` (the same
/// timing as the main table, both tokenizers in the same rounds), token counts, and whether
/// Qwen3.5's ids equal its reference's.
fn qwen3_5_table(qwen3: &'static Tokenizer, opt: &Options) {
    let qwen3_5 = Tokenizer::qwen3_5();
    qwen3_5.count("warm up");
    let reference = reference_qwen3_5();
    println!(
        "\nQwen3.5 (`Tokenizer::qwen3_5()`, 248,044 tokens) against Qwen3 on the same texts:\n"
    );
    println!(
        "| kind | Qwen3 count MB/s | Qwen3.5 count MB/s | count 3.5 / 3 | Qwen3 encode MB/s | Qwen3.5 encode MB/s | encode 3.5 / 3 | Qwen3 tokens | Qwen3.5 tokens | tokens 3.5 / 3 | ids = ref |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");
    let (mut bytes, mut sum, mut tokens) = (0usize, [Duration::ZERO; 4], [0usize; 2]);
    for kind in corpus::KINDS {
        let text = kind.text();
        let exact = reference_encode(&reference, &text) == qwen3_5.encode(&text);
        let d = time_best_each(
            3,
            500,
            opt.min_time,
            &mut [
                &mut || {
                    black_box(qwen3.count(black_box(&text)));
                },
                &mut || {
                    black_box(qwen3_5.count(black_box(&text)));
                },
                &mut || {
                    black_box(qwen3.encode(black_box(&text)));
                },
                &mut || {
                    black_box(qwen3_5.encode(black_box(&text)));
                },
            ],
        );
        let n = [qwen3.count(&text), qwen3_5.count(&text)];
        bytes += text.len();
        for (s, d) in sum.iter_mut().zip(&d) {
            *s += *d;
        }
        tokens[0] += n[0];
        tokens[1] += n[1];
        qwen3_5_row(
            kind.name,
            text.len(),
            &d,
            n,
            if exact { "yes" } else { "**no**" },
        );
    }
    qwen3_5_row("**all**", bytes, &sum, tokens, "");
    if opt.startup {
        startup_of("qwen3.5");
    }
}

fn qwen3_5_row(name: &str, n: usize, d: &[Duration], tokens: [usize; 2], exact: &str) {
    let mb = |i: usize| Some(mb_per_s(n, d[i]));
    println!(
        "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {:+.1}% | {exact} |",
        fmt_mb(mb(0)),
        fmt_mb(mb(1)),
        fmt_ratio(mb(1), mb(0)),
        fmt_mb(mb(2)),
        fmt_mb(mb(3)),
        fmt_ratio(mb(3), mb(2)),
        tokens[0],
        tokens[1],
        (tokens[1] as f64 / tokens[0] as f64 - 1.0) * 100.0,
    );
}

/// First calls on text not seen before: our piece memo is per thread, so each of our calls
/// runs on a new thread; the reference's word cache is cleared before each of its calls.
fn cold_table(ours: &'static Tokenizer, reference: &tokenizers::Tokenizer, opt: &Options) {
    println!(
        "\nCold caches (a first call on unseen text: each of our calls on a new thread, so with an \
         empty piece memo; the reference's word cache cleared before each of its calls):\n"
    );
    println!(
        "| kind | ours count MB/s | ours encode MB/s | reference MB/s | count / ref | encode / ref |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    let on_new_thread = |f: &(dyn Fn() + Sync)| {
        std::thread::scope(|s| s.spawn(|| time_once(f).1).join().expect("no panic"))
    };
    let (mut bytes, mut sum) = (0usize, [Duration::ZERO; 3]);
    for kind in corpus::KINDS {
        let text = kind.text();
        let mut best = [Duration::MAX; 3];
        let start = Instant::now();
        let mut rounds = 0;
        while rounds < 3 || (rounds < 50 && start.elapsed() < opt.min_time) {
            let d = [
                on_new_thread(&|| {
                    black_box(ours.count(black_box(&text)));
                }),
                on_new_thread(&|| {
                    black_box(ours.encode(black_box(&text)));
                }),
                {
                    reference_clear_cache(reference);
                    time_once(|| black_box(reference_encode(reference, black_box(&text)))).1
                },
            ];
            for (b, d) in best.iter_mut().zip(d) {
                *b = (*b).min(d);
            }
            rounds += 1;
        }
        bytes += text.len();
        for (s, b) in sum.iter_mut().zip(best) {
            *s += b;
        }
        cold_row(kind.name, text.len(), best);
    }
    cold_row("**all**", bytes, sum);
}

fn cold_row(name: &str, n: usize, d: [Duration; 3]) {
    let [count, encode, reference] = d.map(|d| Some(mb_per_s(n, d)));
    println!(
        "| {name} | {} | {} | {} | {} | {} |",
        fmt_mb(count),
        fmt_mb(encode),
        fmt_mb(reference),
        fmt_ratio(count, reference),
        fmt_ratio(encode, reference),
    );
}

fn row(name: &str, n: usize, mb: [Option<f64>; 4], exact: &str) {
    let [count, encode, reference, tiktoken] = mb;
    println!(
        "| {name} | {:.0} KB | {} | {} | {} | {} | {} | {} | {} | {exact} |",
        n as f64 / 1e3,
        fmt_mb(count),
        fmt_mb(encode),
        fmt_mb(reference),
        fmt_mb(tiktoken),
        fmt_ratio(count, reference),
        fmt_ratio(encode, reference),
        fmt_ratio(encode, tiktoken),
    );
}

/// Runs the sibling `bench-startup` binary (fresh processes) and prints the median.
fn startup() {
    startup_of("qwen3");
}

/// [`startup`] for one generation (`qwen3` or `qwen3.5`).
fn startup_of(generation: &str) {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("bench-startup")));
    let Some(exe) = exe.filter(|p| p.exists()) else {
        println!(
            "\nstartup: build it first (`cargo build -p qwen-meter-benches --release --bin bench-startup`)"
        );
        return;
    };
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..9 {
        let Ok(out) = Command::new(&exe).arg(generation).output() else {
            break;
        };
        if !out.status.success() {
            println!("\nstartup: the `bench-startup` binary failed (engine not implemented yet?)");
            return;
        }
        let line = String::from_utf8_lossy(&out.stdout).to_string();
        let field = |k: &str| {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(k)?.strip_prefix('='))
                .and_then(|v| v.parse::<f64>().ok())
        };
        wall.extend(field("startup_ms"));
        cpu.extend(field("startup_cpu_ms"));
        rss.extend(field("rss_delta_mib"));
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (!v.is_empty()).then(|| v[v.len() / 2])
    };
    let runs = wall.len();
    let (Some(wall), Some(rss)) = (median(wall), median(rss)) else {
        println!("\nstartup: no measurement");
        return;
    };
    let cpu = median(cpu).map_or(String::new(), |c| format!(" ({c:.2} ms of CPU time)"));
    let call = if generation == "qwen3" {
        "Tokenizer::qwen3()"
    } else {
        "Tokenizer::qwen3_5()"
    };
    println!(
        "\nStartup (fresh process, median of {runs}): first `{call}` + one small \
         `count` = {wall:.2} ms{cpu} (target < 20 ms); resident memory added = {rss:.1} MiB \
         (target < 32 MiB)."
    );
}
