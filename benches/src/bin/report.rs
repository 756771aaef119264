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
//! the 1 MiB single-character inputs), `--no-startup` (skip running the `bench-startup` binary).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::Command;
use std::time::{Duration, Instant};

use qwen_meter::Tokenizer;
use qwen_meter_benches::{
    corpus, mb_per_s, pathological, reference, reference_encode, tiktoken, tiktoken_encode,
    time_best,
};

struct Options {
    min_time: Duration,
    reference_pathological: bool,
    startup: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    for a in &args {
        if !matches!(
            a.as_str(),
            "--quick" | "--no-reference-pathological" | "--no-startup"
        ) {
            eprintln!(
                "usage: bench-report [--quick] [--no-reference-pathological] [--no-startup]\nunknown argument: {a}"
            );
            std::process::exit(2);
        }
    }
    let quick = args.iter().any(|a| a == "--quick");
    Options {
        min_time: Duration::from_millis(if quick { 200 } else { 2000 }),
        reference_pathological: !args.iter().any(|a| a == "--no-reference-pathological"),
        startup: !args.iter().any(|a| a == "--no-startup"),
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
        eprintln!("note: qwen_meter panicked (engine not implemented yet?): its columns are n/a");
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
        let t_count =
            ours.and_then(|t| try_run(|| time_best(3, 200, opt.min_time, || t.count(&text))));
        let t_encode =
            ours.and_then(|t| try_run(|| time_best(3, 200, opt.min_time, || t.encode(&text))));
        let t_ref = time_best(3, 200, opt.min_time, || reference_encode(&reference, &text));
        let t_tik = time_best(3, 200, opt.min_time, || tiktoken_encode(&tiktoken, &text));
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
        "\nMB/s = 10^6 bytes of UTF-8 input per second, fastest of several runs. \
         reference = Hugging Face `tokenizers` 0.23 with the official Qwen3 tokenizer.json, \
         `encode(text, false)`; tiktoken-rs = `CoreBPE` from qwen.tiktoken with the Qwen split \
         pattern, `encode_with_special_tokens`; ours = `Tokenizer::qwen3()`. \
         Targets: count / ref >= 30x (aim 100x), encode / ref >= 20x."
    );

    // Pathological inputs.
    let avg_ns_per_byte = total[0].map(|d| d.as_secs_f64() * 1e9 / total_bytes as f64);
    println!(
        "\n| input (1 MiB) | ours count ms | ns/byte | vs corpus average | ours encode ms | tokens | reference ms | ids = ref |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|:---:|");
    for (name, text) in pathological() {
        let n = text.len();
        let t_count =
            ours.and_then(|t| try_run(|| time_best(2, 20, opt.min_time / 4, || t.count(&text))));
        let t_encode =
            ours.and_then(|t| try_run(|| time_best(2, 20, opt.min_time / 4, || t.encode(&text))));
        let tokens = ours.and_then(|t| try_run(|| t.count(&text)));
        let (t_ref, same) = if opt.reference_pathological {
            let t = Instant::now();
            let ids = reference_encode(&reference, &text);
            let d = t.elapsed();
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

    if opt.startup {
        startup();
    }
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
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("bench-startup")));
    let Some(exe) = exe.filter(|p| p.exists()) else {
        println!(
            "\nstartup: build it first (`cargo build -p qwen-meter-benches --release --bin bench-startup`)"
        );
        return;
    };
    let mut runs: Vec<(f64, f64)> = Vec::new();
    for _ in 0..7 {
        let Ok(out) = Command::new(&exe).output() else {
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
        if let (Some(ms), Some(rss)) = (field("startup_ms"), field("rss_delta_mib")) {
            runs.push((ms, rss));
        }
    }
    if runs.is_empty() {
        println!("\nstartup: no measurement");
        return;
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let ms = median(runs.iter().map(|r| r.0).collect());
    let rss = median(runs.iter().map(|r| r.1).collect());
    println!(
        "\nStartup (fresh process, median of {}): first `Tokenizer::qwen3()` + one small `count` = \
         {ms:.2} ms (target < 20 ms); resident memory added = {rss:.1} MiB (target < 32 MiB).",
        runs.len()
    );
}
