//! Images, video and audio as input tokens, the way Qwen's models and Model Studio count them.
//!
//! Pure: sizes and durations in, tokens out; nothing is decoded (a file's dimensions come
//! from its header with [`image_size`]).
//!
//! - **Images**: Qwen's `smart_resize` scales the image so both sides are multiples of the
//!   factor (28 px for Qwen2/2.5-VL, QVQ and qwen-omni-turbo; 32 px for Qwen3-VL, Qwen3.5/3.6
//!   and Qwen3-Omni) and its area lies within the model's pixel bounds; each factor x factor
//!   square is one `<|image_pad|>` token, and `<|vision_start|>`/`<|vision_end|>` add 2.
//!   Rounding is Python's `round` (half to even), as in the reference code. The bounds are a
//!   [`VisionProfile`]: Model Studio's defaults per model family, or the open-weight
//!   processor's.
//! - **Video**: frames sampled at `fps` (2 by default, 0.1-10 on the API), made even, sized
//!   like images within per-frame and total budgets; each pair of frames (temporal patch 2)
//!   costs one frame's tokens, plus 2 per video (per pair, with a timestamp text, on the
//!   open-weight Qwen3-VL/3.5 processor).
//! - **Audio**: tokens per second per [`AudioProfile`]; per-second billing with
//!   [`billed_audio_seconds`].
//!
//! ```
//! use qwen_meter::{AudioProfile, ImageSize, Video, VisionProfile};
//! let api = VisionProfile::Qwen3Api; // qwen3.5-plus, qwen3-vl-plus, qwen-vl-max ...
//! let shot = api.image_tokens(ImageSize::new(1920, 1080), &Default::default())?;
//! assert_eq!(shot.tokens, 2042);
//! let clip = api.video_tokens(&Video::new(60.0, ImageSize::new(1920, 1080)), &Default::default())?;
//! assert_eq!(clip.tokens, 35_642);
//! assert_eq!(AudioProfile::Qwen3OmniApi.tokens(30.0)?, 375);
//! # Ok::<(), qwen_meter::MediaError>(())
//! ```

mod audio;
mod error;
mod header;
mod image;
mod profile;
mod video;

pub use audio::{AudioProfile, ParseAudioProfileError, billed_audio_seconds};
pub use error::MediaError;
pub use header::image_size;
pub use image::{ImageRules, ImageSize, ImageTokens, ParseImageSizeError};
pub use profile::{ImageOptions, ParseVisionProfileError, VisionProfile};
pub use video::{DEFAULT_SOURCE_FPS, Timestamps, Video, VideoOptions, VideoRules, VideoTokens};
