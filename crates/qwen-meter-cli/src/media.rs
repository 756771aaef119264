//! `--image`, `--video` and `--audio` of `qwen-meter cost`: media inputs turned into tokens
//! with the model's media rules, and their breakdown for the text and JSON output.

use std::io::Read;

use qwen_meter::{
    ImageOptions, ImageSize, Model, Usage, Video, VideoOptions, VisionProfile, image_size,
};
use serde::Serialize;

use crate::error::{CliError, CliResult};

/// At most this much of an image file is read: the size is in its first bytes (a JPEG's may
/// follow a large metadata segment).
const HEADER_BYTES: u64 = 4 << 20;

/// The media flags of a `cost` command line.
#[derive(Debug, Clone, Default)]
pub struct MediaFlags {
    /// `--image FILE|WIDTHxHEIGHT`, repeated.
    pub images: Vec<String>,
    /// `--video DURATION@WIDTHxHEIGHT`, repeated.
    pub videos: Vec<String>,
    /// `--audio DURATION`, repeated.
    pub audio: Vec<String>,
    /// `--fps`: frames per second sampled from videos.
    pub fps: Option<f64>,
    /// `--high-resolution`: the request's `vl_high_resolution_images`.
    pub high_resolution: bool,
}

impl MediaFlags {
    /// Whether any media flag was given.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty() && self.videos.is_empty() && self.audio.is_empty()
    }
}

/// One media input and its tokens.
#[derive(Debug, Clone, Serialize)]
pub struct MediaItem {
    /// `image`, `video` or `audio`.
    pub kind: &'static str,
    /// The flag's value (file name, size or duration).
    pub input: String,
    /// For images and videos: the size the model sees (frames for videos).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resized: Option<String>,
    /// For videos: frames sampled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frames: Option<u64>,
    /// Tokens of this input.
    pub tokens: u64,
}

/// Input tokens by modality, for the JSON output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MediaTokens {
    /// Text input tokens (`--input-tokens`).
    pub text_tokens: u64,
    /// All image tokens.
    pub image_tokens: u64,
    /// All video tokens.
    pub video_tokens: u64,
    /// All audio tokens.
    pub audio_tokens: u64,
    /// Every media input with its tokens.
    pub items: Vec<MediaItem>,
}

impl MediaTokens {
    /// `usage` with these media tokens added to its input.
    pub fn add_to(&self, usage: Usage) -> Usage {
        Usage {
            input_tokens: usage
                .input_tokens
                .saturating_add(self.image_tokens)
                .saturating_add(self.video_tokens)
                .saturating_add(self.audio_tokens),
            image_tokens: self.image_tokens,
            video_tokens: self.video_tokens,
            audio_tokens: self.audio_tokens,
            ..usage
        }
    }

    /// Lines for the text output: one per input.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for item in &self.items {
            let detail = match (&item.resized, item.frames) {
                (Some(size), Some(frames)) => format!(" ({frames} frames at {size})"),
                (Some(size), None) => format!(" (seen at {size})"),
                _ => String::new(),
            };
            out.push_str(&format!(
                "{:<6}  {}{}: {} tokens\n",
                item.kind, item.input, detail, item.tokens
            ));
        }
        out
    }
}

/// Money of the media priced apart from text (Omni), as exact decimal strings.
#[derive(Debug, Clone, Serialize)]
pub struct MediaCost {
    /// Image input part.
    pub image_input: String,
    /// Video input part.
    pub video_input: String,
    /// Audio input part.
    pub audio_input: String,
}

impl MediaCost {
    /// The media parts of `cost`, or `None` when media cost the input price (they are then
    /// in the cost's `input`).
    pub fn of(cost: &qwen_meter::Cost) -> Option<MediaCost> {
        let p = &cost.unit_prices;
        let apart = p.image_input.is_some() || p.video_input.is_some() || p.audio_input.is_some();
        apart.then(|| MediaCost {
            image_input: cost.breakdown.image_input.to_string(),
            video_input: cost.breakdown.video_input.to_string(),
            audio_input: cost.breakdown.audio_input.to_string(),
        })
    }
}

/// The tokens of the media flags for `model`.
pub fn tokens(model: &Model, flags: &MediaFlags, text_tokens: u64) -> CliResult<MediaTokens> {
    let media = model.media_options();
    let refuse = |what: &str| {
        CliError::limit(format!("model {} does not take {what} input", model.id))
            .hint("qwen-meter models --model <id> lists what a model takes")
    };
    let mut out = MediaTokens {
        text_tokens,
        ..MediaTokens::default()
    };
    for input in &flags.images {
        let profile = media.vision.ok_or_else(|| refuse("image"))?;
        let size = image_arg(input)?;
        let options = ImageOptions {
            high_resolution: flags.high_resolution,
            ..ImageOptions::default()
        };
        let image = profile
            .image_tokens(size, &options)
            .map_err(|e| CliError::limit(format!("--image {input}: {e}")))?;
        out.image_tokens += image.tokens;
        out.items.push(MediaItem {
            kind: "image",
            input: input.clone(),
            resized: Some(image.resized.to_string()),
            frames: None,
            tokens: image.tokens,
        });
    }
    for input in &flags.videos {
        let profile: VisionProfile = media
            .vision
            .filter(|_| media.video)
            .ok_or_else(|| refuse("video"))?;
        let video = video_arg(input)?;
        let clip = profile
            .video_tokens(&video, &VideoOptions { fps: flags.fps })
            .map_err(|e| CliError::limit(format!("--video {input}: {e}")))?;
        out.video_tokens += clip.tokens;
        out.items.push(MediaItem {
            kind: "video",
            input: input.clone(),
            resized: Some(clip.frame_size.to_string()),
            frames: Some(clip.frames),
            tokens: clip.tokens,
        });
    }
    for input in &flags.audio {
        let profile = media.audio.ok_or_else(|| refuse("audio"))?;
        let seconds = duration_arg("--audio", input)?;
        let tokens = profile
            .tokens(seconds)
            .map_err(|e| CliError::limit(format!("--audio {input}: {e}")))?;
        out.audio_tokens += tokens;
        out.items.push(MediaItem {
            kind: "audio",
            input: input.clone(),
            resized: None,
            frames: None,
            tokens,
        });
    }
    Ok(out)
}

/// A conversation's input tokens by modality, in the CLI's snake_case JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ChatTokensJson {
    /// All input tokens.
    pub input_tokens: u64,
    /// Text (template included).
    pub text_tokens: u64,
    /// Images.
    pub image_tokens: u64,
    /// Videos.
    pub video_tokens: u64,
    /// Audio.
    pub audio_tokens: u64,
}

impl From<&qwen_meter::ChatTokens> for ChatTokensJson {
    fn from(t: &qwen_meter::ChatTokens) -> ChatTokensJson {
        ChatTokensJson {
            input_tokens: t.input_tokens,
            text_tokens: t.text_tokens,
            image_tokens: t.image_tokens,
            video_tokens: t.video_tokens,
            audio_tokens: t.audio_tokens,
        }
    }
}

/// Whether a conversation has image, video or audio parts.
pub fn has_media(messages: &[qwen_meter::Message]) -> bool {
    messages.iter().any(|m| {
        matches!(&m.content, Some(qwen_meter::Content::Parts(parts)) if parts.iter().any(|p| p.kind != "text"))
    })
}

/// Tokens of a conversation with media parts, by modality: they need the model's media rules.
pub fn chat_tokens(
    model: Option<&Model>,
    messages: &[qwen_meter::Message],
    options: &qwen_meter::ChatOptions,
    name: &str,
) -> CliResult<qwen_meter::ChatTokens> {
    let model = model.ok_or_else(|| {
        CliError::usage(format!(
            "{name}: images, video and audio are counted with a model's rules: give --model"
        ))
    })?;
    model
        .count_chat_tokens(messages, options)
        .map_err(|e| CliError::data(format!("{name}: {e}")))
}

/// `WIDTHxHEIGHT`, or a file whose header gives the size.
fn image_arg(input: &str) -> CliResult<ImageSize> {
    if let Ok(size) = input.parse::<ImageSize>() {
        return Ok(size);
    }
    let file = std::fs::File::open(input).map_err(|e| {
        CliError::input(format!("--image {input}: {e}"))
            .hint("give an image file or its size as WIDTHxHEIGHT, e.g. 1920x1080")
    })?;
    let mut head = Vec::new();
    file.take(HEADER_BYTES)
        .read_to_end(&mut head)
        .map_err(|e| CliError::input(format!("--image {input}: {e}")))?;
    image_size(&head).map_err(|e| CliError::data(format!("--image {input}: {e}")))
}

/// `DURATION@WIDTHxHEIGHT`, e.g. `60s@1920x1080` or `1m30s@1280x720`.
fn video_arg(input: &str) -> CliResult<Video> {
    let (duration, size) = input.split_once('@').ok_or_else(|| {
        CliError::usage(format!(
            "--video {input}: expected DURATION@WIDTHxHEIGHT, e.g. 60s@1920x1080"
        ))
    })?;
    let seconds = duration_arg("--video", duration)?;
    let size = size
        .parse::<ImageSize>()
        .map_err(|e| CliError::usage(format!("--video {input}: {e}")))?;
    Ok(Video::new(seconds, size))
}

/// A duration: `30`, `30s`, `2.5s`, `2m`, `1m30s`, `1h`.
fn duration_arg(flag: &str, input: &str) -> CliResult<f64> {
    let bad = || {
        CliError::usage(format!(
            "{flag} {input}: not a duration (e.g. 30s, 2.5s, 1m30s, 1h)"
        ))
    };
    let text = input.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        return (seconds.is_finite() && seconds > 0.0)
            .then_some(seconds)
            .ok_or_else(bad);
    }
    let mut total = 0.0;
    let mut number = String::new();
    let mut any = false;
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600.0,
            'm' => 60.0,
            's' => 1.0,
            _ => return Err(bad()),
        };
        let value: f64 = number.parse().map_err(|_| bad())?;
        total += value * unit;
        number.clear();
        any = true;
    }
    if !(number.is_empty() && any && total.is_finite() && total > 0.0) {
        return Err(bad());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (text, seconds) in [
            ("30", 30.0),
            ("30s", 30.0),
            ("2.5s", 2.5),
            ("1m30s", 90.0),
            ("1h", 3600.0),
        ] {
            assert_eq!(duration_arg("--audio", text).unwrap(), seconds, "{text}");
        }
        for bad in ["", "s", "0", "-3", "3x", "1m30", "inf"] {
            assert!(duration_arg("--audio", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn videos_and_sizes() {
        let v = video_arg("60s@1920x1080").unwrap();
        assert_eq!((v.seconds, v.size), (60.0, ImageSize::new(1920, 1080)));
        assert!(video_arg("60s").is_err());
        assert_eq!(image_arg("512x512").unwrap(), ImageSize::new(512, 512));
        let err = image_arg("/nonexistent/shot.png").unwrap_err();
        assert_eq!(err.code, crate::error::EXIT_INPUT);
    }
}
