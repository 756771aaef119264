//! Video tokens: frames sampled at `fps`, each frame pair (temporal patch 2) sized by
//! `smart_resize` and costing `(h/f)*(w/f)` tokens.

use serde::{Deserialize, Serialize};

use super::image::{check_size, grid_tokens, smart_resize};
use super::{ImageSize, MediaError};
use crate::Tokenizer;

/// The frame rate assumed for a video whose own frame rate is not given.
pub const DEFAULT_SOURCE_FPS: f64 = 30.0;

/// Two frames make one temporal patch: the frame count is made even, and each pair costs
/// one frame's tokens.
const TEMPORAL_PATCH: u64 = 2;

/// A video as the token rules see it: duration, frame size and its own frame rate.
///
/// ```
/// use qwen_meter::{ImageSize, Video};
/// let video = Video::new(60.0, ImageSize::new(1920, 1080)).with_source_fps(25.0);
/// assert_eq!(video.source_frames(), 1500);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Video {
    /// Duration in seconds.
    pub seconds: f64,
    /// Frame size.
    pub size: ImageSize,
    /// The video's own frame rate ([`DEFAULT_SOURCE_FPS`] when unknown); it caps the frames
    /// that can be sampled.
    #[serde(default = "default_source_fps")]
    pub source_fps: f64,
}

fn default_source_fps() -> f64 {
    DEFAULT_SOURCE_FPS
}

impl Video {
    /// A video of `seconds` at `size`, at [`DEFAULT_SOURCE_FPS`].
    ///
    /// ```
    /// let v = qwen_meter::Video::new(10.0, qwen_meter::ImageSize::new(640, 360));
    /// assert_eq!(v.source_fps, 30.0);
    /// ```
    pub fn new(seconds: f64, size: ImageSize) -> Video {
        Video {
            seconds,
            size,
            source_fps: DEFAULT_SOURCE_FPS,
        }
    }

    /// The same video with its own frame rate.
    ///
    /// ```
    /// let v = qwen_meter::Video::new(10.0, qwen_meter::ImageSize::new(640, 360)).with_source_fps(24.0);
    /// assert_eq!(v.source_fps, 24.0);
    /// ```
    pub fn with_source_fps(mut self, fps: f64) -> Video {
        self.source_fps = fps;
        self
    }

    /// The frames of the video at its own frame rate (rounded to the nearest whole frame).
    ///
    /// ```
    /// let v = qwen_meter::Video::new(2.5, qwen_meter::ImageSize::new(64, 64));
    /// assert_eq!(v.source_frames(), 75);
    /// ```
    pub fn source_frames(&self) -> u64 {
        let frames = (self.seconds * self.source_fps).round();
        if frames.is_finite() && frames > 0.0 {
            frames as u64
        } else {
            0
        }
    }
}

/// Per-request video options.
///
/// ```
/// use qwen_meter::{ImageSize, Video, VideoOptions, VisionProfile};
/// let video = Video::new(60.0, ImageSize::new(1920, 1080));
/// let slow = VideoOptions { fps: Some(0.5) };
/// let t = VisionProfile::Qwen3Api.video_tokens(&video, &slow)?;
/// assert_eq!(t.frames, 30);
/// # Ok::<(), qwen_meter::MediaError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct VideoOptions {
    /// Frames sampled per second (the profile's default, 2, when unset).
    pub fps: Option<f64>,
}

/// Whether the prompt carries the time of each frame pair as text.
///
/// ```
/// use qwen_meter::{Timestamps, VisionProfile};
/// assert_eq!(VisionProfile::Qwen3OpenWeights.video_rules().timestamps, Timestamps::PerTemporalPatch);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Timestamps {
    /// One `<|vision_start|>` .. `<|vision_end|>` around all the video's pads.
    None,
    /// Qwen3-VL and Qwen3.5 processors: `<{t:.1f} seconds>` + `<|vision_start|>` + pads +
    /// `<|vision_end|>` for every frame pair, `t` the mean time of the pair.
    PerTemporalPatch,
}

/// How a model samples and sizes video frames (qwen-vl-utils' `smart_nframes` and
/// `fetch_video`, with each profile's constants).
///
/// ```
/// use qwen_meter::VisionProfile;
/// let rules = VisionProfile::Qwen3OmniApi.video_rules();
/// assert_eq!((rules.max_frames, rules.frame_max_pixels), (128, 768.0 * 1024.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoRules {
    /// Pixels per token side.
    pub factor: u32,
    /// Frames per second sampled when the request does not say.
    pub default_fps: f64,
    /// Lowest accepted `fps`.
    pub min_fps: f64,
    /// Highest accepted `fps`.
    pub max_fps: f64,
    /// Fewest frames sampled (made even upwards).
    pub min_frames: u64,
    /// Most frames sampled (made even downwards).
    pub max_frames: u64,
    /// Frames are scaled up to at least this many pixels.
    pub frame_min_pixels: f64,
    /// Frames are scaled down to at most this many pixels.
    pub frame_max_pixels: f64,
    /// Pixel budget of all frames together: per frame `total_pixels / frames * 2`.
    pub total_pixels: f64,
    /// Whether frame times are written into the prompt.
    pub timestamps: Timestamps,
}

/// How many tokens a video costs and how it was sampled.
///
/// ```
/// use qwen_meter::{ImageSize, Video, VisionProfile};
/// let t = VisionProfile::Qwen3Api.video_tokens(&Video::new(60.0, ImageSize::new(1920, 1080)), &Default::default())?;
/// assert_eq!(t.temporal_patches * t.tokens_per_patch + 2, t.tokens);
/// # Ok::<(), qwen_meter::MediaError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoTokens {
    /// Frames sampled (even).
    pub frames: u64,
    /// Size each frame is scaled to.
    pub frame_size: ImageSize,
    /// Frame pairs: `frames / 2`.
    pub temporal_patches: u64,
    /// `<|video_pad|>` tokens per frame pair: `(h/f)*(w/f)`.
    pub tokens_per_patch: u64,
    /// The mean time in seconds of each frame pair, when the prompt carries timestamps.
    pub timestamps: Vec<f64>,
    /// Tokens of the timestamp texts (`<0.3 seconds>` ...), 0 without timestamps.
    pub timestamp_tokens: u64,
    /// All tokens of the video: pads, vision start/end markers and timestamp texts.
    pub tokens: u64,
}

impl VideoTokens {
    /// The timestamp texts as the processor writes them, `<{t:.1f} seconds>`.
    ///
    /// ```
    /// use qwen_meter::{ImageSize, Video, VisionProfile};
    /// let t = VisionProfile::Qwen3OpenWeights.video_tokens(&Video::new(2.0, ImageSize::new(320, 240)), &Default::default())?;
    /// assert_eq!(t.timestamp_texts(), ["<0.3 seconds>", "<1.6 seconds>"]);
    /// # Ok::<(), qwen_meter::MediaError>(())
    /// ```
    pub fn timestamp_texts(&self) -> Vec<String> {
        self.timestamps
            .iter()
            .map(|t| format!("<{t:.1} seconds>"))
            .collect()
    }
}

impl VideoRules {
    /// Frames sampled from `video` at `fps`: qwen-vl-utils' `smart_nframes`.
    fn frames(&self, video: &Video, fps: f64) -> Result<u64, MediaError> {
        let total = video.source_frames();
        let min_frames = self.min_frames.div_ceil(TEMPORAL_PATCH) * TEMPORAL_PATCH;
        let max_frames = self.max_frames.min(total) / TEMPORAL_PATCH * TEMPORAL_PATCH;
        let wanted = total as f64 / video.source_fps * fps;
        let clamped = wanted.max(min_frames as f64).min(max_frames as f64);
        let frames = (clamped / TEMPORAL_PATCH as f64).floor() as u64 * TEMPORAL_PATCH;
        if frames < TEMPORAL_PATCH || frames > total {
            return Err(MediaError::VideoTooShort {
                seconds: video.seconds,
                frames: total,
            });
        }
        Ok(frames)
    }

    /// The tokens of `video` sent with `options`.
    ///
    /// ```
    /// use qwen_meter::{ImageSize, Video, VisionProfile};
    /// let rules = VisionProfile::Qwen2_5OpenWeights.video_rules();
    /// let t = rules.tokens(&Video::new(10.0, ImageSize::new(640, 360)), &Default::default())?;
    /// assert_eq!((t.frames, t.frame_size), (20, ImageSize::new(644, 364)));
    /// assert_eq!(t.tokens, 10 * 23 * 13 + 2);
    /// # Ok::<(), qwen_meter::MediaError>(())
    /// ```
    pub fn tokens(&self, video: &Video, options: &VideoOptions) -> Result<VideoTokens, MediaError> {
        if !(video.seconds.is_finite() && video.seconds > 0.0) {
            return Err(MediaError::InvalidDuration {
                seconds: video.seconds,
            });
        }
        if !(video.source_fps.is_finite() && video.source_fps > 0.0) {
            return Err(MediaError::FpsOutOfRange {
                fps: video.source_fps,
                min: f64::MIN_POSITIVE,
                max: f64::MAX,
            });
        }
        let fps = options.fps.unwrap_or(self.default_fps);
        if !(fps >= self.min_fps && fps <= self.max_fps) {
            return Err(MediaError::FpsOutOfRange {
                fps,
                min: self.min_fps,
                max: self.max_fps,
            });
        }
        check_size(video.size, 1)?;
        let frames = self.frames(video, fps)?;
        // fetch_video: max(min(frame max, total / frames * 2), int(frame min * 1.05)).
        let max_pixels = (self.frame_max_pixels)
            .min(self.total_pixels / frames as f64 * TEMPORAL_PATCH as f64)
            .max((self.frame_min_pixels * 1.05).floor());
        let frame_size = smart_resize(video.size, self.factor, self.frame_min_pixels, max_pixels);
        let tokens_per_patch = grid_tokens(frame_size, self.factor);
        let temporal_patches = frames.div_ceil(TEMPORAL_PATCH);
        let pads = temporal_patches * tokens_per_patch;
        let (timestamps, timestamp_tokens, markers) = match self.timestamps {
            Timestamps::None => (Vec::new(), 0, 2),
            Timestamps::PerTemporalPatch => {
                let times = pair_times(video.source_frames(), frames, video.source_fps);
                let tok = Tokenizer::qwen3();
                let text_tokens = times
                    .iter()
                    .map(|t| tok.count(&format!("<{t:.1} seconds>")) as u64)
                    .sum();
                (times, text_tokens, 2 * temporal_patches)
            }
        };
        Ok(VideoTokens {
            frames,
            frame_size,
            temporal_patches,
            tokens_per_patch,
            timestamps,
            timestamp_tokens,
            tokens: pads + markers + timestamp_tokens,
        })
    }
}

/// The Qwen3-VL processor's timestamps: frame indices `linspace(0, total - 1, frames)`
/// rounded (half to even, as NumPy and torch do), divided by the frame rate, averaged per pair.
fn pair_times(total: u64, frames: u64, source_fps: f64) -> Vec<f64> {
    let stop = total.saturating_sub(1) as f64;
    let step = if frames > 1 {
        stop / (frames - 1) as f64
    } else {
        0.0
    };
    let times: Vec<f64> = (0..frames)
        .map(|i| {
            let index = if i + 1 == frames {
                stop
            } else {
                (i as f64 * step).round_ties_even()
            };
            index / source_fps
        })
        .collect();
    times
        .chunks(TEMPORAL_PATCH as usize)
        .map(|pair| (pair[0] + pair[pair.len() - 1]) / 2.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VisionProfile;

    fn video(seconds: f64, w: u32, h: u32) -> Video {
        Video::new(seconds, ImageSize::new(w, h))
    }

    #[test]
    fn sixty_seconds_of_full_hd_on_the_api() {
        // Model Studio's vision guide: 120 frames, 1056x576, 594 tokens per pair, 35,642.
        let t = VisionProfile::Qwen3Api
            .video_tokens(&video(60.0, 1920, 1080), &VideoOptions::default())
            .unwrap();
        assert_eq!(t.frames, 120);
        assert_eq!(t.frame_size, ImageSize::new(1056, 576));
        assert_eq!(t.tokens_per_patch, 594);
        assert_eq!(t.temporal_patches, 60);
        assert_eq!(t.tokens, 35_642);
        assert!(t.timestamps.is_empty());
    }

    #[test]
    fn frame_bounds() {
        let p = VisionProfile::Qwen3Api;
        // One second at 2 fps is raised to the 4-frame minimum.
        let t = p
            .video_tokens(&video(1.0, 640, 480), &VideoOptions::default())
            .unwrap();
        assert_eq!(t.frames, 4);
        // Two hours at 2 fps are capped at 2000 frames, and the per-frame budget shrinks.
        let t = p
            .video_tokens(&video(7200.0, 1920, 1080), &VideoOptions::default())
            .unwrap();
        assert_eq!(t.frames, 2000);
        assert!(t.tokens_per_patch * t.temporal_patches <= 131_072);
        // The frame minimum holds: 4 * 32^2 pixels at least.
        assert!(t.frame_size.pixels() >= 4096);
        // A video shorter than two of its own frames cannot be sampled.
        let err = p
            .video_tokens(&video(0.01, 640, 480), &VideoOptions::default())
            .unwrap_err();
        assert!(
            matches!(err, MediaError::VideoTooShort { frames: 0, .. }),
            "{err}"
        );
    }

    #[test]
    fn fps_is_checked() {
        let p = VisionProfile::Qwen3Api;
        for fps in [0.05, 10.5, f64::NAN] {
            let err = p
                .video_tokens(&video(10.0, 640, 480), &VideoOptions { fps: Some(fps) })
                .unwrap_err();
            assert!(err.to_string().contains("0.1..=10"), "{err}");
        }
        assert!(
            p.video_tokens(&video(10.0, 640, 480), &VideoOptions { fps: Some(10.0) })
                .is_ok()
        );
        let err = p
            .video_tokens(&video(f64::INFINITY, 640, 480), &VideoOptions::default())
            .unwrap_err();
        assert!(matches!(err, MediaError::InvalidDuration { .. }));
    }

    #[test]
    fn open_weight_qwen3_writes_a_timestamp_per_frame_pair() {
        let t = VisionProfile::Qwen3OpenWeights
            .video_tokens(&video(4.0, 640, 360), &VideoOptions::default())
            .unwrap();
        // 8 frames of 120: indices 0,17,34,51,68,85,102,119 -> pairs at 8.5/30 ...
        assert_eq!(t.frames, 8);
        assert_eq!(
            t.timestamp_texts(),
            [
                "<0.3 seconds>",
                "<1.4 seconds>",
                "<2.5 seconds>",
                "<3.7 seconds>"
            ]
        );
        let tok = Tokenizer::qwen3();
        let text: u64 = t
            .timestamp_texts()
            .iter()
            .map(|s| tok.count(s) as u64)
            .sum();
        assert_eq!(t.timestamp_tokens, text);
        assert_eq!(t.tokens, 4 * (t.tokens_per_patch + 2) + text);
    }
}
