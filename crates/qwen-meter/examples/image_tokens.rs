//! Image tokens for sizes read from stdin, one per line, for the differential test against
//! transformers' `smart_resize` (`tests/media_reference.py`).
//!
//! Each line is `RULES WIDTHxHEIGHT`, where RULES is a vision profile name (`qwen3-api`) or
//! `FACTOR:MIN_PIXELS:MAX_PIXELS` for the bare algorithm. Each output line is
//! `RESIZED_WIDTHxRESIZED_HEIGHT TOKENS`, or `error: MESSAGE`.
//!
//! ```text
//! $ echo "qwen3-api 1920x1080" | cargo run -q -p qwen-meter --example image_tokens
//! 1920x1088 2042
//! ```

use std::io::{self, BufRead, BufWriter, Write};

use qwen_meter::{ImageOptions, ImageRules, ImageSize, ImageTokens, VisionProfile};

fn tokens(line: &str) -> Result<ImageTokens, String> {
    let (rules, size) = line
        .split_once(' ')
        .ok_or_else(|| format!("expected RULES WIDTHxHEIGHT, got {line:?}"))?;
    let size: ImageSize = size.parse().map_err(|e| format!("{e}"))?;
    let parts: Vec<&str> = rules.split(':').collect();
    if let [factor, min, max] = parts[..] {
        let number = |s: &str| s.parse::<u64>().map_err(|e| format!("{s:?}: {e}"));
        let rules = ImageRules {
            factor: u32::try_from(number(factor)?).map_err(|e| e.to_string())?,
            min_pixels: number(min)?,
            max_pixels: number(max)?,
            min_side: 1,
        };
        rules.tokens(size).map_err(|e| e.to_string())
    } else {
        let profile: VisionProfile = rules.parse().map_err(|e| format!("{e}"))?;
        profile
            .image_tokens(size, &ImageOptions::default())
            .map_err(|e| e.to_string())
    }
}

fn main() -> io::Result<()> {
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lines() {
        match tokens(line?.trim()) {
            Ok(t) => writeln!(out, "{} {}", t.resized, t.tokens)?,
            Err(e) => writeln!(out, "error: {e}")?,
        }
    }
    out.flush()
}
