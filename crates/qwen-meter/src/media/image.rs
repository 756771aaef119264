//! Image sizes and Qwen's `smart_resize`: the rule that fixes how many tokens an image costs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::MediaError;

/// Width and height of an image or video frame, in pixels.
///
/// Parses from and prints as `WIDTHxHEIGHT`.
///
/// ```
/// use qwen_meter::ImageSize;
/// let size: ImageSize = "1920x1080".parse()?;
/// assert_eq!(size, ImageSize::new(1920, 1080));
/// assert_eq!(size.to_string(), "1920x1080");
/// assert_eq!(size.pixels(), 2_073_600);
/// # Ok::<(), qwen_meter::ParseImageSizeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImageSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl ImageSize {
    /// A size of `width` x `height` pixels.
    ///
    /// ```
    /// assert_eq!(qwen_meter::ImageSize::new(640, 480).height, 480);
    /// ```
    pub const fn new(width: u32, height: u32) -> ImageSize {
        ImageSize { width, height }
    }

    /// Number of pixels, `width * height`.
    ///
    /// ```
    /// assert_eq!(qwen_meter::ImageSize::new(640, 480).pixels(), 307_200);
    /// ```
    pub const fn pixels(self) -> u64 {
        self.width as u64 * self.height as u64
    }
}

impl fmt::Display for ImageSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

/// A size that is not `WIDTHxHEIGHT` with two positive whole numbers.
///
/// ```
/// let err = "1920*1080".parse::<qwen_meter::ImageSize>().unwrap_err();
/// assert!(err.to_string().contains("1920*1080"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseImageSizeError {
    /// The text that did not parse.
    pub text: String,
}

impl fmt::Display for ParseImageSizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an image size: expected WIDTHxHEIGHT in pixels, e.g. 1920x1080",
            self.text
        )
    }
}

impl std::error::Error for ParseImageSizeError {}

impl FromStr for ImageSize {
    type Err = ParseImageSizeError;

    fn from_str(text: &str) -> Result<ImageSize, ParseImageSizeError> {
        let err = || ParseImageSizeError {
            text: text.to_owned(),
        };
        let (w, h) = text.trim().split_once(['x', 'X', '×']).ok_or_else(err)?;
        let side = |s: &str| s.trim().parse::<u32>().ok().filter(|&n| n > 0);
        Ok(ImageSize::new(
            side(w).ok_or_else(err)?,
            side(h).ok_or_else(err)?,
        ))
    }
}

/// The parameters of `smart_resize` for one model and request: the patch factor (patch
/// size x merge size: 28 or 32 pixels per token side) and the pixel bounds the image is
/// scaled into.
///
/// The algorithm, as in transformers' Qwen2-VL image processor (also used for Qwen3-VL,
/// Qwen3.5 and Qwen3-Omni) and Model Studio's sample code:
///
/// ```text
/// h = round(H / f) * f;  w = round(W / f) * f           (Python round: half to even)
/// if h * w > max_pixels: b = sqrt(H * W / max_pixels);  h = max(f, floor(H / b / f) * f), same for w
/// elif h * w < min_pixels: b = sqrt(min_pixels / (H * W)); h = ceil(H * b / f) * f, same for w
/// tokens = (h / f) * (w / f) + 2                         (<|vision_start|> and <|vision_end|>)
/// ```
///
/// ```
/// use qwen_meter::{ImageRules, ImageSize};
/// let rules = ImageRules { factor: 32, min_pixels: 4 * 32 * 32, max_pixels: 2560 * 32 * 32, min_side: 11 };
/// let image = rules.tokens(ImageSize::new(1920, 1080))?;
/// assert_eq!(image.resized, ImageSize::new(1920, 1088));
/// assert_eq!(image.tokens, 60 * 34 + 2);
/// # Ok::<(), qwen_meter::MediaError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageRules {
    /// Pixels per token side: 28 (Qwen2/2.5-VL, QVQ, qwen-omni-turbo) or 32 (Qwen3-VL,
    /// Qwen3.5/3.6, Qwen3-Omni).
    pub factor: u32,
    /// Images are scaled up to at least this many pixels.
    pub min_pixels: u64,
    /// Images are scaled down to at most this many pixels.
    pub max_pixels: u64,
    /// Shortest side accepted, in pixels (11 on the API).
    pub min_side: u32,
}

/// How many tokens an image costs, and the size the model sees it at.
///
/// ```
/// use qwen_meter::{ImageSize, VisionProfile};
/// let image = VisionProfile::Qwen2_5Api.image_tokens(ImageSize::new(512, 512), &Default::default())?;
/// assert_eq!((image.resized, image.image_pads, image.tokens), (ImageSize::new(504, 504), 324, 326));
/// # Ok::<(), qwen_meter::MediaError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageTokens {
    /// The size after `smart_resize`: both sides multiples of the factor.
    pub resized: ImageSize,
    /// `<|image_pad|>` tokens: `(height / factor) * (width / factor)`.
    pub image_pads: u64,
    /// All tokens of the image: the pads plus `<|vision_start|>` and `<|vision_end|>`.
    pub tokens: u64,
}

impl ImageRules {
    /// The size the model sees `size` at: Qwen's `smart_resize`.
    ///
    /// ```
    /// use qwen_meter::{ImageRules, ImageSize};
    /// let rules = ImageRules { factor: 32, min_pixels: 4096, max_pixels: 2_621_440, min_side: 11 };
    /// // 720 / 32 = 22.5 rounds half to even: 22, not 23.
    /// assert_eq!(rules.resize(ImageSize::new(1280, 720))?, ImageSize::new(1280, 704));
    /// # Ok::<(), qwen_meter::MediaError>(())
    /// ```
    pub fn resize(&self, size: ImageSize) -> Result<ImageSize, MediaError> {
        check_size(size, self.min_side)?;
        Ok(smart_resize(
            size,
            self.factor,
            self.min_pixels as f64,
            self.max_pixels as f64,
        ))
    }

    /// The tokens of an image of `size`.
    ///
    /// ```
    /// use qwen_meter::{ImageRules, ImageSize};
    /// let rules = ImageRules { factor: 28, min_pixels: 3136, max_pixels: 1_003_520, min_side: 11 };
    /// assert_eq!(rules.tokens(ImageSize::new(1920, 1080))?.tokens, 1224);
    /// # Ok::<(), qwen_meter::MediaError>(())
    /// ```
    pub fn tokens(&self, size: ImageSize) -> Result<ImageTokens, MediaError> {
        let resized = self.resize(size)?;
        let image_pads = grid_tokens(resized, self.factor);
        Ok(ImageTokens {
            resized,
            image_pads,
            tokens: image_pads + 2,
        })
    }
}

/// Rejects what Qwen rejects: a side under `min_side` (or 0) and an aspect ratio over 200.
pub(crate) fn check_size(size: ImageSize, min_side: u32) -> Result<(), MediaError> {
    if size.width.min(size.height) < min_side.max(1) {
        return Err(MediaError::SideTooSmall {
            size,
            min_side: min_side.max(1),
        });
    }
    let (long, short) = (
        size.width.max(size.height) as f64,
        size.width.min(size.height) as f64,
    );
    if long / short > 200.0 {
        return Err(MediaError::AspectRatioTooLarge { size });
    }
    Ok(())
}

/// `(h / f) * (w / f)` for a size that `smart_resize` returned.
pub(crate) fn grid_tokens(resized: ImageSize, factor: u32) -> u64 {
    u64::from(resized.height / factor) * u64::from(resized.width / factor)
}

/// transformers' `smart_resize`, operation for operation in `f64` as Python computes it
/// (the bounds are floats because the video rules derive them by division). Sides up to
/// 2^32 keep every product below 2^53, so the integer-to-float steps are exact.
pub(crate) fn smart_resize(
    size: ImageSize,
    factor: u32,
    min_pixels: f64,
    max_pixels: f64,
) -> ImageSize {
    let (height, width, f) = (
        f64::from(size.height),
        f64::from(size.width),
        f64::from(factor),
    );
    let area = size.pixels() as f64;
    let mut h = (height / f).round_ties_even() * f;
    let mut w = (width / f).round_ties_even() * f;
    if h * w > max_pixels {
        let beta = (area / max_pixels).sqrt();
        h = f.max((height / beta / f).floor() * f);
        w = f.max((width / beta / f).floor() * f);
    } else if h * w < min_pixels {
        let beta = (min_pixels / area).sqrt();
        h = (height * beta / f).ceil() * f;
        w = (width * beta / f).ceil() * f;
    }
    // The results are whole multiples of the factor; beyond u32 only for absurd bounds.
    ImageSize::new(to_side(w), to_side(h))
}

fn to_side(x: f64) -> u32 {
    if x >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        x as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(factor: u32, min_tokens: u64, max_tokens: u64) -> ImageRules {
        let f2 = u64::from(factor * factor);
        ImageRules {
            factor,
            min_pixels: min_tokens * f2,
            max_pixels: max_tokens * f2,
            min_side: 11,
        }
    }

    #[test]
    fn rounding_is_half_to_even() {
        // 720 / 32 = 22.5 -> 22 (f64::round would give 23 and 920 tokens).
        let t = rules(32, 4, 2560)
            .tokens(ImageSize::new(1280, 720))
            .unwrap();
        assert_eq!(t.image_pads, 40 * 22);
        // 23.5 -> 24: ties go to the even neighbour in both directions.
        let t = rules(32, 4, 16384)
            .resize(ImageSize::new(752, 752))
            .unwrap();
        assert_eq!(t, ImageSize::new(768, 768));
    }

    #[test]
    fn small_images_scale_up_to_the_minimum() {
        // 100x100 at the API minimum of 4 tokens: 96x96 = 9 tokens; at 64 tokens 256x256.
        assert_eq!(
            rules(32, 4, 2560)
                .tokens(ImageSize::new(100, 100))
                .unwrap()
                .tokens,
            9 + 2
        );
        assert_eq!(
            rules(32, 64, 16384)
                .tokens(ImageSize::new(100, 100))
                .unwrap()
                .tokens,
            64 + 2
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let r = rules(32, 4, 2560);
        let err = r.tokens(ImageSize::new(10, 500)).unwrap_err();
        assert_eq!(
            err,
            MediaError::SideTooSmall {
                size: ImageSize::new(10, 500),
                min_side: 11
            }
        );
        assert!(err.to_string().contains("at least 11 px"), "{err}");
        let err = r.tokens(ImageSize::new(11, 2201)).unwrap_err();
        assert!(err.to_string().contains("200"), "{err}");
        // Exactly 200 is allowed.
        assert!(r.tokens(ImageSize::new(11, 2200)).is_ok());
        let zero = ImageRules { min_side: 0, ..r };
        assert!(matches!(
            zero.tokens(ImageSize::new(0, 5)),
            Err(MediaError::SideTooSmall { min_side: 1, .. })
        ));
    }

    #[test]
    fn sizes_parse_and_reject_garbage() {
        assert_eq!(
            "12X34".parse::<ImageSize>().unwrap(),
            ImageSize::new(12, 34)
        );
        assert_eq!(
            " 5 × 6 ".parse::<ImageSize>().unwrap(),
            ImageSize::new(5, 6)
        );
        for bad in ["", "12", "0x5", "5x0", "-1x5", "axb", "1x2x3"] {
            assert!(bad.parse::<ImageSize>().is_err(), "{bad}");
        }
    }

    #[test]
    fn huge_sides_do_not_overflow() {
        let t = rules(32, 4, 16384)
            .tokens(ImageSize::new(u32::MAX, u32::MAX / 150))
            .unwrap();
        assert!(t.image_pads <= 16384);
    }
}
