//! Image dimensions from the first bytes of a file, without decoding it (the `imagesize`
//! crate reads the header), with errors that say which format and what is missing.

use imagesize::{ImageError, ImageType};

use super::{ImageSize, MediaError};

/// The width and height stored in the header of a PNG, JPEG, WebP, GIF, BMP, TIFF or HEIF
/// image. Only the first bytes are needed (a few hundred for most files; a JPEG's size comes
/// after its metadata segments).
///
/// ```
/// // The first 24 bytes of a 640x480 PNG: signature, IHDR length and type, width, height.
/// let png = [
///     0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
///     0, 0, 0x02, 0x80, 0, 0, 0x01, 0xE0,
/// ];
/// assert_eq!(qwen_meter::image_size(&png)?, qwen_meter::ImageSize::new(640, 480));
/// let err = qwen_meter::image_size(&png[..20]).unwrap_err();
/// assert_eq!(err.to_string(), "PNG header truncated or damaged: its size is not in the first 20 bytes");
/// # Ok::<(), qwen_meter::MediaError>(())
/// ```
pub fn image_size(bytes: &[u8]) -> Result<ImageSize, MediaError> {
    let kind = imagesize::image_type(bytes).map_err(|err| match err {
        ImageError::NotSupported => unknown(bytes),
        // Too short to tell the format: name what we can from the signature.
        _ => match signature_format(bytes) {
            Some(format) => truncated(format, bytes),
            None => unknown(bytes),
        },
    })?;
    let format = format_name(kind);
    if format.is_none() {
        return Err(unknown(bytes));
    }
    let format = format.unwrap_or("image");
    let size = imagesize::blob_size(bytes).map_err(|_| truncated(format, bytes))?;
    let (width, height) = (
        u32::try_from(size.width).map_err(|_| truncated(format, bytes))?,
        u32::try_from(size.height).map_err(|_| truncated(format, bytes))?,
    );
    // A top-down BMP stores its height negated; imagesize reads the field unsigned.
    let height = if kind == ImageType::Bmp {
        (height as i32).unsigned_abs()
    } else {
        height
    };
    if width == 0 || height == 0 {
        return Err(truncated(format, bytes));
    }
    Ok(ImageSize::new(width, height))
}

fn format_name(kind: ImageType) -> Option<&'static str> {
    Some(match kind {
        ImageType::Png => "PNG",
        ImageType::Jpeg => "JPEG",
        ImageType::Webp => "WebP",
        ImageType::Gif => "GIF",
        ImageType::Bmp => "BMP",
        ImageType::Tiff => "TIFF",
        ImageType::Heif(_) => "HEIF",
        _ => return None,
    })
}

/// The format a too-short header starts like, so the error can name it.
fn signature_format(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 7] = [
        (b"\x89PNG", "PNG"),
        (b"\xFF\xD8", "JPEG"),
        (b"RIFF", "WebP"),
        (b"GIF8", "GIF"),
        (b"BM", "BMP"),
        (b"II*\0", "TIFF"),
        (b"MM\0*", "TIFF"),
    ];
    SIGNATURES.iter().find_map(|(sig, name)| {
        let n = sig.len().min(bytes.len());
        (n >= 2 && bytes[..n] == sig[..n]).then_some(*name)
    })
}

fn truncated(format: &str, bytes: &[u8]) -> MediaError {
    MediaError::TruncatedImage {
        format: format.to_owned(),
        len: bytes.len(),
    }
}

fn unknown(bytes: &[u8]) -> MediaError {
    let first: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    MediaError::UnknownImageFormat {
        first_bytes: if first.is_empty() {
            "none: the input is empty".to_owned()
        } else {
            first.join(" ")
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    fn gif(w: u16, h: u16) -> Vec<u8> {
        let mut b = b"GIF89a".to_vec();
        b.extend(w.to_le_bytes());
        b.extend(h.to_le_bytes());
        b.extend([0, 0, 0]);
        b
    }

    fn bmp(w: i32, h: i32) -> Vec<u8> {
        let mut b = b"BM".to_vec();
        b.extend([0u8; 12]);
        b.extend(40u32.to_le_bytes());
        b.extend(w.to_le_bytes());
        b.extend(h.to_le_bytes());
        b.extend([1, 0, 24, 0]);
        b
    }

    fn jpeg(w: u16, h: u16) -> Vec<u8> {
        // SOI, an APP0 segment to skip, then SOF0 with height before width.
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        b.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        b.extend([0xFF, 0xC0, 0, 17, 8]);
        b.extend(h.to_be_bytes());
        b.extend(w.to_be_bytes());
        b.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        b
    }

    fn webp_vp8x(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"RIFF\0\0\0\0WEBPVP8X".to_vec();
        b.extend([10, 0, 0, 0, 0, 0, 0, 0]);
        b.extend(&(w - 1).to_le_bytes()[..3]);
        b.extend(&(h - 1).to_le_bytes()[..3]);
        b
    }

    #[test]
    fn reads_each_format() {
        assert_eq!(
            image_size(&png(1920, 1080)).unwrap(),
            ImageSize::new(1920, 1080)
        );
        assert_eq!(
            image_size(&gif(320, 200)).unwrap(),
            ImageSize::new(320, 200)
        );
        assert_eq!(
            image_size(&bmp(800, 600)).unwrap(),
            ImageSize::new(800, 600)
        );
        // A top-down BMP stores a negative height.
        assert_eq!(
            image_size(&bmp(800, -600)).unwrap(),
            ImageSize::new(800, 600)
        );
        assert_eq!(
            image_size(&jpeg(4000, 3000)).unwrap(),
            ImageSize::new(4000, 3000)
        );
        assert_eq!(
            image_size(&webp_vp8x(1024, 768)).unwrap(),
            ImageSize::new(1024, 768)
        );
    }

    #[test]
    fn truncated_headers_name_the_format() {
        for (name, bytes) in [
            ("PNG", png(10, 10)),
            ("GIF", gif(10, 10)),
            ("JPEG", jpeg(10, 10)),
            ("WebP", webp_vp8x(10, 10)),
            ("BMP", bmp(10, 10)),
        ] {
            // Every prefix that stops before the size fields is an error, never a size.
            for cut in 2..bytes.len() {
                match image_size(&bytes[..cut]) {
                    Ok(size) => assert_eq!(size, ImageSize::new(10, 10), "{name} cut at {cut}"),
                    Err(MediaError::TruncatedImage { format, len }) => {
                        assert_eq!((format.as_str(), len), (name, cut), "{name} cut at {cut}")
                    }
                    Err(other) => panic!("{name} cut at {cut}: {other}"),
                }
            }
        }
    }

    #[test]
    fn unknown_bytes_are_shown() {
        let err = image_size(b"%PDF-1.7\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a PNG, JPEG, WebP, GIF, BMP, TIFF or HEIF image (first bytes: 25 50 44 46 2d 31 2e 37)"
        );
        assert!(image_size(b"").unwrap_err().to_string().contains("empty"));
        assert!(matches!(
            image_size(b"x"),
            Err(MediaError::UnknownImageFormat { .. })
        ));
    }
}
