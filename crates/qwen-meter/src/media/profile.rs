//! [`VisionProfile`]: which factor and which defaults turn a model's images and videos into
//! tokens, on Model Studio's API and in the open-weight processors.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::video::{Timestamps, VideoRules};
use super::{ImageRules, ImageSize, ImageTokens, MediaError, Video, VideoOptions, VideoTokens};

/// Per-request image options, as the API takes them.
///
/// ```
/// use qwen_meter::{ImageOptions, ImageSize, VisionProfile};
/// let size = ImageSize::new(4000, 3000);
/// let default = VisionProfile::Qwen3Api.image_tokens(size, &ImageOptions::default())?;
/// let high = ImageOptions { high_resolution: true, ..Default::default() };
/// let high = VisionProfile::Qwen3Api.image_tokens(size, &high)?;
/// assert_eq!((default.tokens, high.tokens), (2496, 11752));
/// # Ok::<(), qwen_meter::MediaError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ImageOptions {
    /// The image item's `max_pixels`, when set (the profile's default otherwise). It must lie
    /// between the profile's minimum and its hard maximum.
    pub max_pixels: Option<u64>,
    /// The request's `vl_high_resolution_images`: the cap becomes the hard maximum and
    /// `max_pixels` is ignored (Qwen3-VL, Qwen3.5 and qwen-vl-max/plus from 2025-08 only).
    pub high_resolution: bool,
}

/// How a family of models turns images and videos into tokens.
///
/// The API profiles follow Model Studio's documented defaults; the open-weight profiles follow
/// the released processors, which differ for small images (a higher minimum) and for video
/// (timestamps in the prompt on Qwen3-VL and Qwen3.5).
///
/// | profile | factor | image min .. default max (tokens) | hard max | video |
/// |---|---|---|---|---|
/// | `qwen3-api` (Qwen3.5/3.6, Qwen3-VL, qwen-vl-max/plus) | 32 | 4 .. 2560 | 16384 (`high_resolution`) | 4-2000 frames, 4-640 tokens each |
/// | `qwen2.5-api` (QVQ, Qwen2.5-VL) | 28 | 4 .. 1280 | 16384 | as qwen3-api, 28 px |
/// | `qwen3-omni-api` (qwen3-omni-flash) | 32 | 4 .. 1280 | 1280 | 4-128 frames, 128-768 tokens each |
/// | `qwen-omni-turbo-api` | 28 | 4 .. 1280 | 1280 | as qwen3-omni-api, 28 px |
/// | `qwen3-open-weights` (transformers processor) | 32 | 64 .. 16384 | - | qwen-vl-utils, `<t seconds>` per frame pair |
/// | `qwen2.5-open-weights` (transformers, qwen-vl-utils) | 28 | 4 .. 16384 | - | qwen-vl-utils |
///
/// ```
/// use qwen_meter::{ImageSize, VisionProfile};
/// let shot = ImageSize::new(1920, 1080);
/// let tokens = |p: VisionProfile| p.image_tokens(shot, &Default::default()).map(|t| t.tokens);
/// assert_eq!(tokens(VisionProfile::Qwen3Api)?, 2042); // qwen3.5-plus
/// assert_eq!(tokens(VisionProfile::Qwen2_5Api)?, 1224); // qvq-max
/// assert_eq!("qwen3-api".parse::<VisionProfile>()?, VisionProfile::Qwen3Api);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum VisionProfile {
    /// Model Studio: Qwen3.5/3.6, Qwen3-VL, qwen-vl-max/plus (2025-08 and later).
    #[serde(rename = "qwen3-api")]
    Qwen3Api,
    /// Model Studio: QVQ and the Qwen2.5-VL models.
    #[serde(rename = "qwen2.5-api")]
    Qwen2_5Api,
    /// Model Studio: qwen3-omni-flash.
    #[serde(rename = "qwen3-omni-api")]
    Qwen3OmniApi,
    /// Model Studio: qwen-omni-turbo.
    #[serde(rename = "qwen-omni-turbo-api")]
    QwenOmniTurboApi,
    /// Open weights Qwen3-VL, Qwen3.5, Qwen3-Omni: the Hub's `preprocessor_config.json`
    /// (64..16384 tokens per image) and qwen-vl-utils video sampling with timestamps.
    #[serde(rename = "qwen3-open-weights")]
    Qwen3OpenWeights,
    /// Open weights Qwen2-VL, Qwen2.5-VL, QVQ: 4..16384 tokens per image, qwen-vl-utils video.
    #[serde(rename = "qwen2.5-open-weights")]
    Qwen2_5OpenWeights,
}

impl VisionProfile {
    /// Every profile.
    ///
    /// ```
    /// assert_eq!(qwen_meter::VisionProfile::ALL.len(), 6);
    /// ```
    pub const ALL: [VisionProfile; 6] = [
        VisionProfile::Qwen3Api,
        VisionProfile::Qwen2_5Api,
        VisionProfile::Qwen3OmniApi,
        VisionProfile::QwenOmniTurboApi,
        VisionProfile::Qwen3OpenWeights,
        VisionProfile::Qwen2_5OpenWeights,
    ];

    /// The profile's name in the catalog, the CLI and JSON.
    ///
    /// ```
    /// assert_eq!(qwen_meter::VisionProfile::Qwen2_5Api.name(), "qwen2.5-api");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            VisionProfile::Qwen3Api => "qwen3-api",
            VisionProfile::Qwen2_5Api => "qwen2.5-api",
            VisionProfile::Qwen3OmniApi => "qwen3-omni-api",
            VisionProfile::QwenOmniTurboApi => "qwen-omni-turbo-api",
            VisionProfile::Qwen3OpenWeights => "qwen3-open-weights",
            VisionProfile::Qwen2_5OpenWeights => "qwen2.5-open-weights",
        }
    }

    /// Pixels per token side: patch size times merge size.
    ///
    /// ```
    /// use qwen_meter::VisionProfile;
    /// assert_eq!((VisionProfile::Qwen3Api.factor(), VisionProfile::Qwen2_5Api.factor()), (32, 28));
    /// ```
    pub fn factor(self) -> u32 {
        match self {
            VisionProfile::Qwen3Api
            | VisionProfile::Qwen3OmniApi
            | VisionProfile::Qwen3OpenWeights => 32,
            VisionProfile::Qwen2_5Api
            | VisionProfile::QwenOmniTurboApi
            | VisionProfile::Qwen2_5OpenWeights => 28,
        }
    }

    /// Whether the profile is an open-weight processor (no API limits; prompts built by the
    /// processor).
    ///
    /// ```
    /// assert!(qwen_meter::VisionProfile::Qwen3OpenWeights.is_open_weights());
    /// ```
    pub fn is_open_weights(self) -> bool {
        matches!(
            self,
            VisionProfile::Qwen3OpenWeights | VisionProfile::Qwen2_5OpenWeights
        )
    }

    /// (min, default max, hard max) image tokens, and whether `high_resolution` is allowed.
    fn image_bounds(self) -> (u64, u64, u64, bool) {
        match self {
            VisionProfile::Qwen3Api => (4, 2560, 16384, true),
            VisionProfile::Qwen2_5Api => (4, 1280, 16384, false),
            VisionProfile::Qwen3OmniApi | VisionProfile::QwenOmniTurboApi => (4, 1280, 1280, false),
            VisionProfile::Qwen3OpenWeights => (64, 16384, u64::MAX, false),
            VisionProfile::Qwen2_5OpenWeights => (4, 16384, u64::MAX, false),
        }
    }

    /// The `smart_resize` parameters for an image sent with `options`.
    ///
    /// ```
    /// use qwen_meter::{ImageOptions, VisionProfile};
    /// let rules = VisionProfile::Qwen3Api.image_rules(&ImageOptions { max_pixels: Some(1_048_576), ..Default::default() })?;
    /// assert_eq!((rules.min_pixels, rules.max_pixels), (4096, 1_048_576));
    /// assert!(VisionProfile::Qwen2_5Api
    ///     .image_rules(&ImageOptions { high_resolution: true, ..Default::default() })
    ///     .is_err());
    /// # Ok::<(), qwen_meter::MediaError>(())
    /// ```
    pub fn image_rules(self, options: &ImageOptions) -> Result<ImageRules, MediaError> {
        let f2 = u64::from(self.factor() * self.factor());
        let (min_tokens, default_tokens, hard_tokens, high_ok) = self.image_bounds();
        let min_pixels = min_tokens * f2;
        let hard_max = hard_tokens.saturating_mul(f2);
        let max_pixels = if options.high_resolution {
            if !high_ok {
                return Err(MediaError::HighResolutionNotSupported {
                    profile: self.name(),
                });
            }
            hard_max
        } else {
            match options.max_pixels {
                Some(max) if max < min_pixels || max > hard_max => {
                    return Err(MediaError::MaxPixelsOutOfRange {
                        max_pixels: max,
                        min: min_pixels,
                        max: hard_max,
                    });
                }
                Some(max) => max,
                None => default_tokens * f2,
            }
        };
        Ok(ImageRules {
            factor: self.factor(),
            min_pixels,
            max_pixels,
            // The API needs both sides over 10 px; the processors take any positive size.
            min_side: if self.is_open_weights() { 1 } else { 11 },
        })
    }

    /// The tokens of one image of `size` sent with `options`: `smart_resize` then
    /// `(h/f)*(w/f) + 2`.
    ///
    /// ```
    /// use qwen_meter::{ImageSize, VisionProfile};
    /// let t = VisionProfile::Qwen3OpenWeights.image_tokens(ImageSize::new(100, 100), &Default::default())?;
    /// assert_eq!(t.tokens, 66); // the processor's minimum of 64 tokens, plus 2
    /// # Ok::<(), qwen_meter::MediaError>(())
    /// ```
    pub fn image_tokens(
        self,
        size: ImageSize,
        options: &ImageOptions,
    ) -> Result<ImageTokens, MediaError> {
        self.image_rules(options)?.tokens(size)
    }

    /// How this profile samples and sizes video frames.
    ///
    /// ```
    /// let rules = qwen_meter::VisionProfile::Qwen3Api.video_rules();
    /// assert_eq!((rules.default_fps, rules.max_frames), (2.0, 2000));
    /// ```
    pub fn video_rules(self) -> VideoRules {
        let f = self.factor();
        let f2 = f64::from(f * f);
        match self {
            VisionProfile::Qwen3Api | VisionProfile::Qwen2_5Api => VideoRules {
                factor: f,
                default_fps: 2.0,
                min_fps: 0.1,
                max_fps: 10.0,
                min_frames: 4,
                max_frames: 2000,
                frame_min_pixels: 4.0 * f2,
                frame_max_pixels: 640.0 * f2,
                total_pixels: 131_072.0 * f2,
                timestamps: Timestamps::None,
            },
            VisionProfile::Qwen3OmniApi | VisionProfile::QwenOmniTurboApi => VideoRules {
                factor: f,
                default_fps: 2.0,
                min_fps: 0.1,
                max_fps: 10.0,
                min_frames: 4,
                max_frames: 128,
                frame_min_pixels: 128.0 * f2,
                frame_max_pixels: 768.0 * f2,
                total_pixels: 16_384.0 * f2,
                timestamps: Timestamps::None,
            },
            VisionProfile::Qwen3OpenWeights | VisionProfile::Qwen2_5OpenWeights => VideoRules {
                factor: f,
                default_fps: 2.0,
                min_fps: f64::MIN_POSITIVE,
                max_fps: f64::MAX,
                min_frames: 4,
                max_frames: 768,
                frame_min_pixels: 128.0 * f2,
                frame_max_pixels: 768.0 * f2,
                // qwen-vl-utils: MODEL_SEQ_LEN (128000) * f^2 * 0.9, a float.
                total_pixels: 128_000.0 * f2 * 0.9,
                timestamps: if self == VisionProfile::Qwen3OpenWeights {
                    Timestamps::PerTemporalPatch
                } else {
                    Timestamps::None
                },
            },
        }
    }

    /// The tokens of one video.
    ///
    /// ```
    /// use qwen_meter::{ImageSize, Video, VisionProfile};
    /// let video = Video::new(60.0, ImageSize::new(1920, 1080));
    /// let t = VisionProfile::Qwen3Api.video_tokens(&video, &Default::default())?;
    /// assert_eq!((t.frames, t.frame_size, t.tokens), (120, ImageSize::new(1056, 576), 35_642));
    /// # Ok::<(), qwen_meter::MediaError>(())
    /// ```
    pub fn video_tokens(
        self,
        video: &Video,
        options: &VideoOptions,
    ) -> Result<VideoTokens, MediaError> {
        self.video_rules().tokens(video, options)
    }
}

impl fmt::Display for VisionProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A profile name that is not one of [`VisionProfile::ALL`].
///
/// ```
/// assert!("qwen9-api".parse::<qwen_meter::VisionProfile>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseVisionProfileError {
    /// The text that did not parse.
    pub text: String,
}

impl fmt::Display for ParseVisionProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = VisionProfile::ALL.iter().map(|p| p.name()).collect();
        write!(
            f,
            "unknown vision profile {:?} (expected one of {})",
            self.text,
            names.join(", ")
        )
    }
}

impl std::error::Error for ParseVisionProfileError {}

impl FromStr for VisionProfile {
    type Err = ParseVisionProfileError;

    fn from_str(text: &str) -> Result<VisionProfile, ParseVisionProfileError> {
        VisionProfile::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| ParseVisionProfileError {
                text: text.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked examples of Model Studio's vision guide and the processors (+2 included).
    #[test]
    fn worked_examples() {
        let cases: [(u32, u32, VisionProfile, ImageOptions, u32, u32, u64); 12] = [
            // (W, H, profile, options, resized W, resized H, tokens)
            (
                1920,
                1080,
                VisionProfile::Qwen3Api,
                ImageOptions::default(),
                1920,
                1088,
                2042,
            ),
            (1920, 1080, VisionProfile::Qwen3Api, HIGH, 1920, 1088, 2042),
            (
                1920,
                1080,
                VisionProfile::Qwen3OpenWeights,
                ImageOptions::default(),
                1920,
                1088,
                2042,
            ),
            (
                1920,
                1080,
                VisionProfile::Qwen2_5Api,
                ImageOptions::default(),
                1316,
                728,
                1224,
            ),
            (
                1920,
                1080,
                VisionProfile::Qwen2_5Api,
                QVQ_MAX,
                1932,
                1092,
                2693,
            ),
            (
                512,
                512,
                VisionProfile::Qwen3Api,
                ImageOptions::default(),
                512,
                512,
                258,
            ),
            (512, 512, VisionProfile::Qwen3Api, HIGH, 512, 512, 258),
            (
                512,
                512,
                VisionProfile::Qwen2_5Api,
                ImageOptions::default(),
                504,
                504,
                326,
            ),
            (512, 512, VisionProfile::Qwen2_5Api, QVQ_MAX, 504, 504, 326),
            (
                4000,
                3000,
                VisionProfile::Qwen3Api,
                ImageOptions::default(),
                1856,
                1376,
                2496,
            ),
            (4000, 3000, VisionProfile::Qwen3Api, HIGH, 4000, 3008, 11752),
            (
                4000,
                3000,
                VisionProfile::Qwen2_5Api,
                ImageOptions::default(),
                1148,
                840,
                1232,
            ),
        ];
        for (w, h, profile, options, rw, rh, tokens) in cases {
            let t = profile
                .image_tokens(ImageSize::new(w, h), &options)
                .unwrap();
            assert_eq!(
                (t.resized, t.tokens),
                (ImageSize::new(rw, rh), tokens),
                "{w}x{h} {profile} {options:?}"
            );
        }
        let t = VisionProfile::Qwen2_5Api
            .image_tokens(ImageSize::new(4000, 3000), &QVQ_MAX)
            .unwrap();
        assert_eq!((t.resized, t.tokens), (ImageSize::new(4004, 2996), 15303));
        let t = VisionProfile::Qwen3OpenWeights
            .image_tokens(ImageSize::new(4000, 3000), &ImageOptions::default())
            .unwrap();
        assert_eq!(t.tokens, 11752);
        // Small images: 9 + 2 on the API, the processor's 64 + 2 locally.
        let small = ImageSize::new(100, 100);
        assert_eq!(
            VisionProfile::Qwen3Api
                .image_tokens(small, &ImageOptions::default())
                .unwrap()
                .tokens,
            11
        );
    }

    const HIGH: ImageOptions = ImageOptions {
        max_pixels: None,
        high_resolution: true,
    };
    const QVQ_MAX: ImageOptions = ImageOptions {
        max_pixels: Some(12_845_056),
        high_resolution: false,
    };

    #[test]
    fn options_are_checked() {
        let p = VisionProfile::Qwen3Api;
        let too_big = ImageOptions {
            max_pixels: Some(16_777_217),
            ..Default::default()
        };
        let err = p.image_rules(&too_big).unwrap_err();
        assert_eq!(
            err,
            MediaError::MaxPixelsOutOfRange {
                max_pixels: 16_777_217,
                min: 4096,
                max: 16_777_216
            }
        );
        let too_small = ImageOptions {
            max_pixels: Some(4095),
            ..Default::default()
        };
        assert!(p.image_rules(&too_small).is_err());
        // High resolution ignores max_pixels.
        let both = ImageOptions {
            max_pixels: Some(4096),
            high_resolution: true,
        };
        assert_eq!(p.image_rules(&both).unwrap().max_pixels, 16_777_216);
        let err = VisionProfile::Qwen3OmniApi.image_rules(&HIGH).unwrap_err();
        assert!(err.to_string().contains("qwen3-omni-api"), "{err}");
    }

    #[test]
    fn names_round_trip() {
        for p in VisionProfile::ALL {
            assert_eq!(p.name().parse::<VisionProfile>().unwrap(), p);
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.name()));
            assert_eq!(serde_json::from_str::<VisionProfile>(&json).unwrap(), p);
        }
    }
}
