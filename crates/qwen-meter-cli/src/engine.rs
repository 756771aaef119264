//! The parallel counting engine behind `qwen-meter count`.
//!
//! One reader (the calling thread) walks the inputs in order and cuts each into chunks at safe
//! points ([`crate::chunk`]); `jobs` worker threads count the chunks. Chunks of one large file
//! and of many small files all flow through one bounded queue, so every core is busy in both
//! cases and memory stays at about `(3 * jobs + 1) * chunk_size` whatever the input sizes. A
//! stretch of 2 chunk sizes without any safe point is counted by the reader itself with the
//! library's streaming counter, so memory stays bounded even then.

use std::fs::File;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use qwen_meter::Tokenizer;
use serde::Serialize;

use crate::chunk::{Chunk, ChunkError, ChunkReader};
use crate::source::Source;

/// Chunk sizes without a safe point after which the reader counts the stretch itself.
const OVERFLOW_CHUNKS: usize = 2;

/// How to count.
#[derive(Clone, Copy)]
pub struct CountConfig {
    /// The tokenizer.
    pub tokenizer: &'static Tokenizer,
    /// Treat special-token text as ordinary text.
    pub ordinary: bool,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    pub lossy: bool,
    /// Target chunk size in bytes.
    pub chunk_size: usize,
    /// Worker threads.
    pub jobs: usize,
    /// Draw a progress bar on stderr.
    pub progress: bool,
}

/// Counts of one input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Tokens.
    pub tokens: u64,
    /// Unicode scalar values (after `--lossy` replacement).
    pub chars: u64,
    /// Input bytes.
    pub bytes: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.tokens += o.tokens;
        self.chars += o.chars;
        self.bytes += o.bytes;
    }
}

/// Why an input could not be counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    /// `not_found`, `permission_denied`, `invalid_utf8` or `io`.
    pub kind: &'static str,
    /// Human-readable reason.
    pub message: String,
    /// Byte offset of the first invalid byte, for `invalid_utf8`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl InputError {
    fn io(e: &std::io::Error) -> InputError {
        let (kind, message) = match e.kind() {
            std::io::ErrorKind::NotFound => ("not_found", "no such file or directory".into()),
            std::io::ErrorKind::PermissionDenied => {
                ("permission_denied", "permission denied".into())
            }
            std::io::ErrorKind::IsADirectory => ("io", "is a directory".into()),
            _ => ("io", e.to_string()),
        };
        InputError {
            kind,
            message,
            offset: None,
        }
    }

    fn from_chunk(e: ChunkError) -> InputError {
        match e {
            ChunkError::Io(e) => InputError::io(&e),
            ChunkError::InvalidUtf8(u) => InputError {
                kind: "invalid_utf8",
                message: format!(
                    "invalid UTF-8 at byte offset {} (use --lossy to replace invalid bytes)",
                    u.offset
                ),
                offset: Some(u.offset),
            },
        }
    }
}

/// The result for one input.
pub type CountResult = Result<Counts, InputError>;

fn progress_bar(sources: &[Source]) -> ProgressBar {
    let mut total = 0u64;
    let mut known = true;
    for s in sources {
        match s {
            Source::File(p) => total += std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Source::Text(t) => total += t.len() as u64,
            Source::Stdin => known = false,
            Source::Failed { .. } => {}
        }
    }
    let pb = if known {
        let pb = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} {bar:30} {bytes}/{total_bytes} ({bytes_per_sec}, {eta}) {msg}",
            )
            .expect("valid template"),
        );
        pb
    } else {
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{spinner} {bytes} ({bytes_per_sec}) {msg}")
                .expect("valid template"),
        );
        pb
    };
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// Counts every source; the results are in the order of `sources`.
pub fn count_sources(sources: &[Source], cfg: CountConfig) -> Vec<CountResult> {
    let n = sources.len();
    let tokens: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(0)).collect();
    let chars: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(0)).collect();
    let mut results: Vec<Result<u64, InputError>> = Vec::with_capacity(n);
    let jobs = cfg.jobs.max(1);
    let pb = if cfg.progress {
        progress_bar(sources)
    } else {
        ProgressBar::hidden()
    };

    let counted = Counted {
        tokens: &tokens,
        chars: &chars,
        pb: &pb,
    };
    std::thread::scope(|scope| {
        let (tx, rx) = crossbeam_channel::bounded::<(usize, String)>(jobs * 2);
        for _ in 0..jobs {
            let rx = rx.clone();
            let (tokens, chars, pb) = (&tokens, &chars, &pb);
            scope.spawn(move || {
                for (i, text) in rx {
                    let t = if cfg.ordinary {
                        cfg.tokenizer.count_ordinary(&text)
                    } else {
                        cfg.tokenizer.count(&text)
                    };
                    tokens[i].fetch_add(t as u64, Ordering::Relaxed);
                    chars[i].fetch_add(text.chars().count() as u64, Ordering::Relaxed);
                    pb.inc(text.len() as u64);
                }
            });
        }
        drop(rx);
        for (i, src) in sources.iter().enumerate() {
            pb.set_message(src.name());
            let r = match src {
                Source::Failed { kind, message, .. } => Err(InputError {
                    kind,
                    message: message.clone(),
                    offset: None,
                }),
                Source::Text(t) => feed(i, t.as_bytes(), &cfg, &tx, &counted),
                Source::Stdin => feed(i, std::io::stdin().lock(), &cfg, &tx, &counted),
                Source::File(p) => match File::open(p) {
                    Ok(f) => feed(i, f, &cfg, &tx, &counted),
                    Err(e) => Err(InputError::io(&e)),
                },
            };
            results.push(r);
        }
        drop(tx);
    });
    pb.finish_and_clear();

    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.map(|bytes| Counts {
                tokens: tokens[i].load(Ordering::Relaxed),
                chars: chars[i].load(Ordering::Relaxed),
                bytes,
            })
        })
        .collect()
}

/// Where the reader adds what it counted itself (stretches without a safe point).
struct Counted<'a> {
    tokens: &'a [AtomicU64],
    chars: &'a [AtomicU64],
    pb: &'a ProgressBar,
}

/// Cuts one input into chunks and queues them; returns the number of input bytes.
fn feed<R: Read>(
    i: usize,
    reader: R,
    cfg: &CountConfig,
    tx: &crossbeam_channel::Sender<(usize, String)>,
    counted: &Counted<'_>,
) -> Result<u64, InputError> {
    let pb = counted.pb.clone();
    let mut chunks = ChunkReader::new(
        reader,
        cfg.chunk_size,
        cfg.lossy,
        cfg.tokenizer,
        cfg.ordinary,
    )
    .with_overflow(cfg.chunk_size.saturating_mul(OVERFLOW_CHUNKS))
    .with_progress(move |n| pb.inc(n));
    loop {
        match chunks.next_chunk() {
            Ok(Some(Chunk::Text(text))) => {
                // The workers only stop after the queue is closed, so sending cannot fail.
                let _ = tx.send((i, text));
            }
            // The progress bar moved as the stretch was counted (`with_progress` above).
            Ok(Some(Chunk::Counted { tokens, chars, .. })) => {
                counted.tokens[i].fetch_add(tokens, Ordering::Relaxed);
                counted.chars[i].fetch_add(chars, Ordering::Relaxed);
            }
            Ok(None) => return Ok(chunks.bytes_read()),
            Err(e) => return Err(InputError::from_chunk(e)),
        }
    }
}
