//! `countImageTokens` and `imageSize`: image tokens by Qwen's `smart_resize` with a model's
//! (or a profile's) rules, and image sizes from the first bytes of a file.

use qwen_meter::{ImageOptions, ImageSize, VisionProfile};
use serde_json::{Value, json};

use crate::api::{ApiError, ApiResult, ErrorCode, Obj};
use crate::pricing::{find_model, with_catalog};

/// `countImageTokens({width, height}, {model?, profile?, maxPixels?, highResolution?})`.
pub fn count_image_tokens(size: &Value, options: &Value) -> ApiResult<Value> {
    const F: &str = "countImageTokens";
    let s = Obj::new(F, "size", size, &["width", "height"])?;
    let side = |key: &str| -> ApiResult<u32> {
        let n = s
            .u64(key)?
            .ok_or_else(|| ApiError::invalid(F, &s.at(key), "is required (a positive integer)"))?;
        u32::try_from(n).ok().filter(|&n| n > 0).ok_or_else(|| {
            ApiError::invalid(
                F,
                &s.at(key),
                format_args!("{n} is not a pixel count above 0"),
            )
        })
    };
    let size = ImageSize::new(side("width")?, side("height")?);
    let empty = Value::Object(serde_json::Map::new());
    let options = if options.is_null() { &empty } else { options };
    let o = Obj::new(
        F,
        "options",
        options,
        &["model", "profile", "maxPixels", "highResolution"],
    )?;
    let profile = match (o.str("model")?, o.str("profile")?) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                F,
                &o.at("profile"),
                "give model or profile, not both",
            ));
        }
        (Some(id), None) => with_catalog(|c| {
            let model = find_model(F, &o.at("model"), c, id)?;
            model.media.as_ref().and_then(|m| m.vision).ok_or_else(|| {
                ApiError::invalid(
                    F,
                    &o.at("model"),
                    format_args!("{} does not take images", model.id),
                )
            })
        })?,
        (None, Some(name)) => name
            .parse::<VisionProfile>()
            .map_err(|e| ApiError::invalid(F, &o.at("profile"), e))?,
        (None, None) => VisionProfile::Qwen3Api,
    };
    let image_options = ImageOptions {
        max_pixels: o.u64("maxPixels")?,
        high_resolution: o.bool("highResolution")?.unwrap_or(false),
    };
    let t = profile
        .image_tokens(size, &image_options)
        .map_err(|e| ApiError::new(ErrorCode::InvalidArgument, F, e))?;
    Ok(json!({
        "tokens": t.tokens,
        "imagePads": t.image_pads,
        "resized": {"width": t.resized.width, "height": t.resized.height},
        "profile": profile.name(),
    }))
}

/// `imageSize(bytes)`: `{width, height}` from a PNG, JPEG, WebP, GIF, BMP, TIFF or HEIF header.
pub fn image_size(bytes: &[u8]) -> ApiResult<Value> {
    let size = qwen_meter::image_size(bytes)
        .map_err(|e| ApiError::new(ErrorCode::InvalidArgument, "imageSize", e))?;
    Ok(json!({"width": size.width, "height": size.height}))
}
