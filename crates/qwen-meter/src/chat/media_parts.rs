//! Image, video and audio content parts: read from the OpenAI-shaped message, placed in the
//! prompt as the Qwen-VL templates place them, and counted with the model's media rules.
//!
//! The Qwen2-VL, Qwen2.5-VL and Qwen3-VL chat templates write a message's parts one after
//! the other with no separator, an image as `<|vision_start|><|image_pad|><|vision_end|>` and
//! a video as `<|vision_start|><|video_pad|><|vision_end|>`; the processor then replaces the
//! one pad by the image's (or video's) tokens. So a conversation costs the rendered prompt's
//! tokens, minus each 3-token placeholder, plus each media item's tokens (which include the
//! start and end markers).

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ChatError, ChatOptions, ContentPart, Message};
use crate::{
    AudioProfile, ChatTemplate, ImageOptions, ImageSize, Model, Tokenizer, Usage, Video,
    VideoOptions, VisionProfile,
};

const IMAGE_PLACEHOLDER: &str = "<|vision_start|><|image_pad|><|vision_end|>";
const VIDEO_PLACEHOLDER: &str = "<|vision_start|><|video_pad|><|vision_end|>";

/// A media part of a message, with where it is (message index, part index) for errors.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MediaPart {
    index: usize,
    part: usize,
    kind: MediaKind,
}

#[derive(Debug, Clone, PartialEq)]
enum MediaKind {
    Image {
        size: ImageSize,
        max_pixels: Option<u64>,
    },
    Video {
        video: Video,
        fps: Option<f64>,
    },
    Audio {
        seconds: f64,
    },
}

impl MediaPart {
    /// The text the template writes for this part.
    pub(crate) fn placeholder(&self) -> &'static str {
        match self.kind {
            MediaKind::Image { .. } => IMAGE_PLACEHOLDER,
            MediaKind::Video { .. } => VIDEO_PLACEHOLDER,
            // The audio markers are counted with the audio tokens.
            MediaKind::Audio { .. } => "",
        }
    }
}

/// Reads part `i` of message `index`: `None` for a text part.
pub(crate) fn read_part(
    index: usize,
    i: usize,
    part: &ContentPart,
) -> Result<Option<MediaPart>, ChatError> {
    let at = |field: &str| format!("content[{i}].{field}");
    let invalid = |field: &str, reason: String| ChatError::InvalidField {
        index,
        field: at(field),
        reason,
    };
    let kind = match part.kind.as_str() {
        "text" => return Ok(None),
        "image_url" | "image" => {
            let (name, value) =
                field_of(&part.fields, &["image_url", "image"]).ok_or_else(|| {
                    ChatError::MissingField {
                        index,
                        field: at(&part.kind),
                    }
                })?;
            let inner = value.as_object();
            let size = match (number(inner, "width"), number(inner, "height")) {
                (Some(w), Some(h)) => size_of(w, h).ok_or_else(|| {
                    invalid(
                        name,
                        format!("width {w} and height {h} are not an image size"),
                    )
                })?,
                _ => {
                    let url = value
                        .as_str()
                        .or_else(|| inner.and_then(|o| o.get("url")).and_then(Value::as_str))
                        .unwrap_or("");
                    image_from_url(url).map_err(|reason| invalid(name, reason))?
                }
            };
            let max_pixels = number(inner, "max_pixels")
                .or_else(|| number(Some(&part.fields), "max_pixels"))
                .map(|n| n as u64);
            MediaKind::Image { size, max_pixels }
        }
        "video_url" | "video" => {
            let (name, value) =
                field_of(&part.fields, &["video_url", "video"]).ok_or_else(|| {
                    ChatError::MissingField {
                        index,
                        field: at(&part.kind),
                    }
                })?;
            if value.is_array() {
                return Err(invalid(
                    name,
                    "a video given as a list of frames is not counted: give it as an object with duration, width and height".to_owned(),
                ));
            }
            let inner = value.as_object();
            let seconds = number(inner, "duration").or_else(|| number(inner, "seconds"));
            let size = match (number(inner, "width"), number(inner, "height")) {
                (Some(w), Some(h)) => size_of(w, h),
                _ => None,
            };
            let (Some(seconds), Some(size)) = (seconds, size) else {
                return Err(invalid(
                    name,
                    "a video is counted from its duration (seconds), width and height: qwen-meter does not fetch or decode it".to_owned(),
                ));
            };
            let mut video = Video::new(seconds, size);
            if let Some(rate) = number(inner, "source_fps") {
                video = video.with_source_fps(rate);
            }
            let fps = number(inner, "fps").or_else(|| number(Some(&part.fields), "fps"));
            MediaKind::Video { video, fps }
        }
        "input_audio" | "audio" => {
            let (name, value) =
                field_of(&part.fields, &["input_audio", "audio"]).ok_or_else(|| {
                    ChatError::MissingField {
                        index,
                        field: at(&part.kind),
                    }
                })?;
            let inner = value.as_object();
            let seconds = number(inner, "duration")
                .or_else(|| number(inner, "seconds"))
                .or_else(|| {
                    let data = inner?.get("data")?.as_str()?;
                    wav_seconds(&decode_base64(data).ok()?)
                })
                .ok_or_else(|| {
                    invalid(
                        name,
                        "audio is counted from its duration (seconds) or WAV data: give input_audio.duration".to_owned(),
                    )
                })?;
            MediaKind::Audio { seconds }
        }
        other => {
            return Err(invalid(
                "type",
                format!("{other:?} is not a text, image_url, video_url or input_audio part"),
            ));
        }
    };
    Ok(Some(MediaPart {
        index,
        part: i,
        kind,
    }))
}

fn field_of<'a>(
    fields: &'a Map<String, Value>,
    names: &[&'static str],
) -> Option<(&'static str, &'a Value)> {
    names
        .iter()
        .find_map(|&name| fields.get(name).map(|value| (name, value)))
}

fn number(object: Option<&Map<String, Value>>, key: &str) -> Option<f64> {
    object?.get(key)?.as_f64()
}

fn size_of(width: f64, height: f64) -> Option<ImageSize> {
    let side =
        |x: f64| (x.fract() == 0.0 && x >= 1.0 && x <= f64::from(u32::MAX)).then_some(x as u32);
    Some(ImageSize::new(side(width)?, side(height)?))
}

fn image_from_url(url: &str) -> Result<ImageSize, String> {
    if let Some(rest) = url.strip_prefix("data:") {
        let (_, data) = rest
            .split_once(";base64,")
            .ok_or_else(|| "a data: URL must be base64 (data:image/png;base64,...)".to_owned())?;
        let bytes =
            decode_base64(data).map_err(|err| format!("bad base64 in the data: URL: {err}"))?;
        return crate::image_size(&bytes).map_err(|err| err.to_string());
    }
    Err(format!(
        "the size of {:?} is unknown: give image_url.width and image_url.height, or the image as a data: URL (qwen-meter fetches nothing)",
        url.chars().take(80).collect::<String>()
    ))
}

fn decode_base64(data: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact)
}

/// The duration of a PCM WAV file: its `data` chunk size over the `fmt ` byte rate.
fn wav_seconds(bytes: &[u8]) -> Option<f64> {
    if bytes.get(0..4)? != b"RIFF" || bytes.get(8..12)? != b"WAVE" {
        return None;
    }
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let (mut at, mut byte_rate) = (12usize, None);
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32_at(at + 4)?;
        if id == b"fmt " {
            byte_rate = u32_at(at + 16);
        } else if id == b"data" {
            let rate = byte_rate.filter(|&r| r > 0)?;
            return Some(f64::from(size) / f64::from(rate));
        }
        at = at
            .checked_add(8)?
            .checked_add(size as usize + (size as usize & 1))?;
    }
    None
}

/// Which media a model takes and how they become tokens, for counting a conversation.
///
/// ```
/// use qwen_meter::{ChatOptions, ContentPart, Content, ImageSize, MediaOptions, Message, Tokenizer, VisionProfile};
/// let mut message = Message::user("");
/// message.content = Some(Content::Parts(vec![
///     ContentPart::image(ImageSize::new(1920, 1080)),
///     ContentPart::text("What is on the screen?"),
/// ]));
/// let media = MediaOptions { vision: Some(VisionProfile::Qwen3Api), video: true, ..Default::default() };
/// let tokens = media.count_chat(Tokenizer::qwen3(), &[message], &ChatOptions::default())?;
/// assert_eq!(tokens.image_tokens, 2042);
/// assert_eq!(tokens.input_tokens, tokens.text_tokens + 2042);
/// # Ok::<(), qwen_meter::ChatError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MediaOptions {
    /// How images (and video frames) become tokens; `None` rejects images.
    pub vision: Option<VisionProfile>,
    /// Whether videos are accepted.
    pub video: bool,
    /// How audio becomes tokens; `None` rejects audio.
    pub audio: Option<AudioProfile>,
    /// The request's `vl_high_resolution_images`.
    pub high_resolution: bool,
}

/// Input tokens of a conversation by modality; `input_tokens` is the whole prompt.
///
/// ```
/// let t = qwen_meter::ChatTokens { input_tokens: 2100, text_tokens: 58, image_tokens: 2042, ..Default::default() };
/// let usage = t.usage(500);
/// assert_eq!((usage.input_tokens, usage.image_tokens, usage.output_tokens), (2100, 2042, 500));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatTokens {
    /// All input tokens: text (template included) and media.
    pub input_tokens: u64,
    /// Tokens of the rendered prompt's text.
    pub text_tokens: u64,
    /// Tokens of the images (each with its start and end markers).
    pub image_tokens: u64,
    /// Tokens of the videos.
    pub video_tokens: u64,
    /// Tokens of the audio.
    pub audio_tokens: u64,
}

impl ChatTokens {
    /// A [`Usage`] with these input tokens and `output_tokens` of output.
    ///
    /// ```
    /// let usage = qwen_meter::ChatTokens { input_tokens: 10, text_tokens: 10, ..Default::default() }.usage(5);
    /// assert_eq!(usage.output_tokens, 5);
    /// ```
    pub fn usage(&self, output_tokens: u64) -> Usage {
        Usage {
            input_tokens: self.input_tokens,
            output_tokens,
            image_tokens: self.image_tokens,
            video_tokens: self.video_tokens,
            audio_tokens: self.audio_tokens,
            ..Usage::default()
        }
    }
}

impl MediaOptions {
    /// Tokens of a conversation whose messages may hold image, video and audio parts,
    /// rendered with `tokenizer`'s chat template.
    ///
    /// Parts: `{"type": "image_url", "image_url": {"url": "data:image/png;base64,..."}}` or
    /// with `"width"`/`"height"` instead of a data URL (optional `max_pixels`);
    /// `{"type": "video_url", "video_url": {"duration": 60, "width": 1920, "height": 1080}}`
    /// (optional `fps`, `source_fps`); `{"type": "input_audio", "input_audio": {"duration":
    /// 30}}` or WAV `data`. Nothing is fetched.
    ///
    /// ```
    /// use qwen_meter::{AudioProfile, ChatOptions, MediaOptions, Tokenizer};
    /// let messages = qwen_meter::parse_messages(r#"[{"role": "user", "content": [
    ///     {"type": "input_audio", "input_audio": {"duration": 30}},
    ///     {"type": "text", "text": "Transcribe."}]}]"#)?;
    /// let media = MediaOptions { audio: Some(AudioProfile::Qwen3OmniApi), ..Default::default() };
    /// let tokens = media.count_chat(Tokenizer::qwen3(), &messages, &ChatOptions::default())?;
    /// assert_eq!(tokens.audio_tokens, 375);
    /// # Ok::<(), qwen_meter::ChatError>(())
    /// ```
    pub fn count_chat(
        &self,
        tokenizer: &Tokenizer,
        messages: &[Message],
        options: &ChatOptions,
    ) -> Result<ChatTokens, ChatError> {
        let template = tokenizer
            .generation()
            .map(ChatTemplate::for_generation)
            .ok_or(ChatError::NoTemplate)?;
        let mut media = Vec::new();
        let prompt = template.render_collecting(messages, options, Some(&mut media))?;
        let mut tokens = ChatTokens {
            input_tokens: tokenizer.count(&prompt) as u64,
            ..ChatTokens::default()
        };
        let mut placeholders = 0u64;
        for item in &media {
            let fail = |reason: String| ChatError::InvalidField {
                index: item.index,
                field: format!("content[{}]", item.part),
                reason,
            };
            let refuse = |what: &str| fail(format!("this model does not take {what} input"));
            placeholders += tokenizer.count(item.placeholder()) as u64;
            match &item.kind {
                MediaKind::Image { size, max_pixels } => {
                    let profile = self.vision.ok_or_else(|| refuse("image"))?;
                    let options = ImageOptions {
                        max_pixels: *max_pixels,
                        high_resolution: self.high_resolution,
                    };
                    let image = profile
                        .image_tokens(*size, &options)
                        .map_err(|e| fail(e.to_string()))?;
                    tokens.image_tokens += image.tokens;
                }
                MediaKind::Video { video, fps } => {
                    let profile = self
                        .vision
                        .filter(|_| self.video)
                        .ok_or_else(|| refuse("video"))?;
                    let clip = profile
                        .video_tokens(video, &VideoOptions { fps: *fps })
                        .map_err(|e| fail(e.to_string()))?;
                    tokens.video_tokens += clip.tokens;
                }
                MediaKind::Audio { seconds } => {
                    let profile = self.audio.ok_or_else(|| refuse("audio"))?;
                    tokens.audio_tokens +=
                        profile.tokens(*seconds).map_err(|e| fail(e.to_string()))?;
                }
            }
        }
        tokens.text_tokens = tokens.input_tokens.saturating_sub(placeholders);
        tokens.input_tokens =
            tokens.text_tokens + tokens.image_tokens + tokens.video_tokens + tokens.audio_tokens;
        Ok(tokens)
    }
}

impl Model {
    /// The media options of this model's catalog entry (text only when it has none).
    ///
    /// ```
    /// use qwen_meter::{Catalog, VisionProfile};
    /// let media = Catalog::builtin().model("qwen3.5-plus")?.media_options();
    /// assert_eq!((media.vision, media.video), (Some(VisionProfile::Qwen3Api), true));
    /// # Ok::<(), qwen_meter::UnknownModel>(())
    /// ```
    pub fn media_options(&self) -> MediaOptions {
        self.media
            .as_ref()
            .map_or_else(MediaOptions::default, |m| MediaOptions {
                vision: m.vision,
                video: m.video,
                audio: m.audio,
                high_resolution: false,
            })
    }

    /// Input tokens of a conversation for this model, media parts included, by modality.
    ///
    /// ```
    /// use qwen_meter::{Catalog, ChatOptions, Region};
    /// let model = Catalog::builtin().model("qwen3.5-plus")?;
    /// let messages = qwen_meter::parse_messages(r#"[{"role": "user", "content": [
    ///     {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "width": 1920, "height": 1080}},
    ///     {"type": "video_url", "video_url": {"duration": 60, "width": 1920, "height": 1080}},
    ///     {"type": "text", "text": "Compare the two."}]}]"#)?;
    /// let tokens = model.count_chat_tokens(&messages, &ChatOptions::default())?;
    /// assert_eq!((tokens.image_tokens, tokens.video_tokens), (2042, 35_642));
    /// let cost = model.cost(Region::International, &tokens.usage(1_000))?;
    /// assert_eq!(cost.usage.input_tokens, tokens.input_tokens);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn count_chat_tokens(
        &self,
        messages: &[Message],
        options: &ChatOptions,
    ) -> Result<ChatTokens, ChatError> {
        self.media_options()
            .count_chat(self.tokenizer(), messages, options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Content, TokenizerChat, parse_messages};

    fn user(parts: Vec<ContentPart>) -> Message {
        let mut m = Message::user("");
        m.content = Some(Content::Parts(parts));
        m
    }

    const QWEN3_API: MediaOptions = MediaOptions {
        vision: Some(VisionProfile::Qwen3Api),
        video: true,
        audio: None,
        high_resolution: false,
    };

    #[test]
    fn placeholders_are_replaced_by_the_media_tokens() {
        let tok = Tokenizer::qwen3();
        let messages = [user(vec![
            ContentPart::text("Look:"),
            ContentPart::image(ImageSize::new(512, 512)),
            ContentPart::text("and"),
            ContentPart::image(ImageSize::new(1920, 1080)),
        ])];
        let options = ChatOptions::default();
        let t = QWEN3_API.count_chat(tok, &messages, &options).unwrap();
        // The prompt the template writes, with one 3-token placeholder per image.
        let written = "<|im_start|>user\nLook:<|vision_start|><|image_pad|><|vision_end|>and\
                       <|vision_start|><|image_pad|><|vision_end|><|im_end|>\n<|im_start|>assistant\n";
        assert_eq!(t.text_tokens, tok.count(written) as u64 - 6);
        assert_eq!(t.image_tokens, 258 + 2042);
        assert_eq!(t.input_tokens, t.text_tokens + 258 + 2042);
        // Text-only rendering still refuses images rather than undercounting them.
        assert!(tok.count_chat(&messages, &options).is_err());
    }

    #[test]
    fn text_only_parts_keep_the_newline_join() {
        let tok = Tokenizer::qwen3();
        let messages = [user(vec![ContentPart::text("a"), ContentPart::text("b")])];
        let options = ChatOptions::default();
        let t = QWEN3_API.count_chat(tok, &messages, &options).unwrap();
        assert_eq!(
            t.input_tokens,
            tok.count_chat(&messages, &options).unwrap() as u64
        );
        assert_eq!(t.text_tokens, t.input_tokens);
    }

    #[test]
    fn data_urls_and_wav_data_are_read() {
        let png = [
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0,
            0, 0x0F, 0xA0, 0, 0, 0x0B, 0xB8, 8, 6, 0, 0, 0,
        ];
        let b64 = base64::engine::general_purpose::STANDARD.encode(png);
        let mut wav =
            b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x80\x3e\0\0\0\x7d\0\0\x02\0\x10\0data"
                .to_vec();
        wav.extend(480_000u32.to_le_bytes()); // 15 s of 16 kHz 16-bit mono
        let wav64 = base64::engine::general_purpose::STANDARD.encode(&wav);
        let json = format!(
            r#"[{{"role": "user", "content": [
                {{"type": "image_url", "image_url": {{"url": "data:image/png;base64,{b64}"}}}},
                {{"type": "input_audio", "input_audio": {{"data": "{wav64}", "format": "wav"}}}}]}}]"#
        );
        let messages = parse_messages(&json).unwrap();
        let media = MediaOptions {
            audio: Some(AudioProfile::Qwen3OmniApi),
            ..QWEN3_API
        };
        let t = media
            .count_chat(Tokenizer::qwen3(), &messages, &ChatOptions::default())
            .unwrap();
        assert_eq!(t.image_tokens, 2496); // 4000x3000
        assert_eq!(t.audio_tokens, 188); // 15 s x 12.5, rounded up
    }

    #[test]
    fn errors_name_the_part() {
        let tok = Tokenizer::qwen3();
        let options = ChatOptions::default();
        let count = |json: &str, media: MediaOptions| {
            media
                .count_chat(tok, &parse_messages(json).unwrap(), &options)
                .unwrap_err()
                .to_string()
        };
        let err = count(
            r#"[{"role": "user", "content": [{"type": "text", "text": "x"}, {"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}]"#,
            QWEN3_API,
        );
        assert!(
            err.starts_with("messages[0].content[1].image_url: the size of"),
            "{err}"
        );
        let err = count(
            r#"[{"role": "user", "content": [{"type": "input_audio", "input_audio": {"duration": 3}}]}]"#,
            QWEN3_API,
        );
        assert_eq!(
            err,
            "messages[0].content[0]: this model does not take audio input"
        );
        let err = count(
            r#"[{"role": "user", "content": [{"type": "image_url", "image_url": {"width": 10000, "height": 20}}]}]"#,
            QWEN3_API,
        );
        assert!(err.contains("aspect ratio 500"), "{err}");
        let err = count(
            r#"[{"role": "user", "content": [{"type": "video_url", "video_url": {"url": "https://x/v.mp4"}}]}]"#,
            QWEN3_API,
        );
        assert!(
            err.contains("duration (seconds), width and height"),
            "{err}"
        );
        let err = count(
            r#"[{"role": "user", "content": [{"type": "file", "file": {}}]}]"#,
            QWEN3_API,
        );
        assert!(err.contains("\"file\" is not a text"), "{err}");
    }

    #[test]
    fn wav_headers() {
        assert_eq!(wav_seconds(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(wav_seconds(b"not a wav file at all"), None);
    }
}
