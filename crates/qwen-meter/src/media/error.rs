//! [`MediaError`]: why an image, video or audio input cannot be counted.

use std::fmt;

use super::ImageSize;

/// Why a media input cannot be turned into tokens. Every variant says what is out of bounds
/// and by how much, in the words of the rule it breaks.
///
/// ```
/// use qwen_meter::{ImageSize, MediaError, VisionProfile};
/// let err = VisionProfile::Qwen3Api
///     .image_tokens(ImageSize::new(10_000, 20), &Default::default())
///     .unwrap_err();
/// assert!(matches!(err, MediaError::AspectRatioTooLarge { .. }));
/// assert!(err.to_string().contains("aspect ratio 500"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum MediaError {
    /// A side is shorter than the profile accepts (the API needs both sides over 10 px;
    /// open-weight processors need at least 1 px).
    SideTooSmall {
        /// The image (or video frame) size.
        size: ImageSize,
        /// The shortest side accepted, in pixels.
        min_side: u32,
    },
    /// The long side is more than 200 times the short side (Qwen rejects it).
    AspectRatioTooLarge {
        /// The image (or video frame) size.
        size: ImageSize,
    },
    /// A `max_pixels` outside what the profile accepts.
    MaxPixelsOutOfRange {
        /// The value asked for.
        max_pixels: u64,
        /// The smallest accepted value (the profile's `min_pixels`).
        min: u64,
        /// The largest accepted value.
        max: u64,
    },
    /// `vl_high_resolution_images` asked for on a model that does not support it.
    HighResolutionNotSupported {
        /// The profile's name.
        profile: &'static str,
    },
    /// A video without video support in the profile (or audio without audio support).
    NotSupported {
        /// The profile's name.
        profile: &'static str,
        /// `"video"` or `"audio"`.
        modality: &'static str,
    },
    /// A frame rate outside the accepted range.
    FpsOutOfRange {
        /// The frame rate asked for.
        fps: f64,
        /// Lowest accepted.
        min: f64,
        /// Highest accepted.
        max: f64,
    },
    /// A duration that is not a finite positive number of seconds.
    InvalidDuration {
        /// What was given.
        seconds: f64,
    },
    /// A video too short to give the two frames of one temporal patch.
    VideoTooShort {
        /// The video's duration in seconds.
        seconds: f64,
        /// Its frames at its own frame rate.
        frames: u64,
    },
    /// The bytes are not an image format whose size can be read (PNG, JPEG, WebP, GIF, BMP,
    /// TIFF, HEIF).
    UnknownImageFormat {
        /// The first bytes, in hex, to tell what was given.
        first_bytes: String,
    },
    /// The header ends (or is damaged) before the size fields.
    TruncatedImage {
        /// The format recognised from the signature.
        format: String,
        /// How many bytes were given.
        len: usize,
    },
}

impl fmt::Display for MediaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MediaError::SideTooSmall { size, min_side } => {
                write!(f, "image {size}: each side must be at least {min_side} px")
            }
            MediaError::AspectRatioTooLarge { size } => {
                let (long, short) = (
                    size.width.max(size.height) as f64,
                    size.width.min(size.height) as f64,
                );
                write!(
                    f,
                    "image {size}: aspect ratio {:.1} exceeds Qwen's limit of 200 (long side / short side)",
                    long / short
                )
            }
            MediaError::MaxPixelsOutOfRange {
                max_pixels,
                min,
                max,
            } => write!(
                f,
                "max_pixels {max_pixels} is outside the accepted range {min}..={max}"
            ),
            MediaError::HighResolutionNotSupported { profile } => write!(
                f,
                "{profile}: vl_high_resolution_images is not supported by these models"
            ),
            MediaError::NotSupported { profile, modality } => {
                write!(f, "{profile}: {modality} input is not supported")
            }
            MediaError::FpsOutOfRange { fps, min, max } => {
                write!(f, "fps {fps} is outside the accepted range {min}..={max}")
            }
            MediaError::InvalidDuration { seconds } => write!(
                f,
                "duration {seconds} s: must be a finite number of seconds above 0"
            ),
            MediaError::VideoTooShort { seconds, frames } => write!(
                f,
                "video of {seconds} s has {frames} frame(s): at least 2 are needed"
            ),
            MediaError::UnknownImageFormat { first_bytes } => write!(
                f,
                "not a PNG, JPEG, WebP, GIF, BMP, TIFF or HEIF image (first bytes: {first_bytes})"
            ),
            MediaError::TruncatedImage { format, len } => write!(
                f,
                "{format} header truncated or damaged: its size is not in the first {len} bytes"
            ),
        }
    }
}

impl std::error::Error for MediaError {}
