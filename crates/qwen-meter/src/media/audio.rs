//! Audio tokens per second of audio, per model family, and per-second billing.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::MediaError;

/// How a family of models turns audio into tokens.
///
/// | profile | rule |
/// |---|---|
/// | `qwen3-omni-api` (qwen3-omni-flash) | 12.5 tokens per second, rounded up |
/// | `qwen-omni-turbo-api` | 25 tokens per second, under 1 s counts as 1 s |
/// | `qwen2-audio-open-weights` (Qwen2-Audio, Qwen2.5-Omni) | 100 mel frames/s, `((L-1)//2+1-2)//2+1` (25/s), plus `<\|audio_bos\|>`/`<\|audio_eos\|>` |
/// | `qwen3-omni-open-weights` (Qwen3-Omni, Qwen3-ASR) | 13 per full second of 100 frames plus the remainder's convolution output, plus start/end |
///
/// ```
/// use qwen_meter::AudioProfile;
/// assert_eq!(AudioProfile::Qwen3OmniApi.tokens(30.0)?, 375);
/// assert_eq!(AudioProfile::QwenOmniTurboApi.tokens(0.4)?, 25);
/// assert_eq!(AudioProfile::Qwen3OmniOpenWeights.tokens(10.0)?, 132); // 130 + start/end
/// # Ok::<(), qwen_meter::MediaError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AudioProfile {
    /// Model Studio qwen3-omni-flash: 12.5 tokens per second.
    #[serde(rename = "qwen3-omni-api")]
    Qwen3OmniApi,
    /// Model Studio qwen-omni-turbo: 25 tokens per second, at least 1 s.
    #[serde(rename = "qwen-omni-turbo-api")]
    QwenOmniTurboApi,
    /// Open weights Qwen2-Audio and Qwen2.5-Omni (Whisper-style encoder, 25 tokens/s).
    #[serde(rename = "qwen2-audio-open-weights")]
    Qwen2AudioOpenWeights,
    /// Open weights Qwen3-Omni and Qwen3-ASR (chunked encoder, 13 tokens/s).
    #[serde(rename = "qwen3-omni-open-weights")]
    Qwen3OmniOpenWeights,
}

/// Mel frames per second of the audio encoders (16 kHz, hop 160).
const MEL_FRAMES_PER_SECOND: f64 = 100.0;

impl AudioProfile {
    /// Every profile.
    ///
    /// ```
    /// assert_eq!(qwen_meter::AudioProfile::ALL.len(), 4);
    /// ```
    pub const ALL: [AudioProfile; 4] = [
        AudioProfile::Qwen3OmniApi,
        AudioProfile::QwenOmniTurboApi,
        AudioProfile::Qwen2AudioOpenWeights,
        AudioProfile::Qwen3OmniOpenWeights,
    ];

    /// The profile's name in the catalog, the CLI and JSON.
    ///
    /// ```
    /// assert_eq!(qwen_meter::AudioProfile::Qwen3OmniApi.name(), "qwen3-omni-api");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            AudioProfile::Qwen3OmniApi => "qwen3-omni-api",
            AudioProfile::QwenOmniTurboApi => "qwen-omni-turbo-api",
            AudioProfile::Qwen2AudioOpenWeights => "qwen2-audio-open-weights",
            AudioProfile::Qwen3OmniOpenWeights => "qwen3-omni-open-weights",
        }
    }

    /// Input tokens of `seconds` of audio (for the open weights: the audio pads plus the
    /// start and end markers).
    ///
    /// ```
    /// use qwen_meter::AudioProfile;
    /// assert_eq!(AudioProfile::Qwen2AudioOpenWeights.tokens(1.0)?, 25 + 2);
    /// assert!(AudioProfile::Qwen3OmniApi.tokens(-1.0).is_err());
    /// # Ok::<(), qwen_meter::MediaError>(())
    /// ```
    pub fn tokens(self, seconds: f64) -> Result<u64, MediaError> {
        if !(seconds.is_finite() && seconds > 0.0) {
            return Err(MediaError::InvalidDuration { seconds });
        }
        // Mel frames: samples at 16 kHz divided by the hop of 160.
        let mel = (seconds * 16_000.0).floor() as u64 / 160;
        Ok(match self {
            AudioProfile::Qwen3OmniApi => (seconds * 12.5).ceil() as u64,
            AudioProfile::QwenOmniTurboApi => (seconds.max(1.0) * 25.0).ceil() as u64,
            AudioProfile::Qwen2AudioOpenWeights => {
                let conv = floor_div(mel as i64 - 1, 2) + 1;
                (floor_div(conv - 2, 2) + 1).max(0) as u64 + 2
            }
            AudioProfile::Qwen3OmniOpenWeights => qwen3_omni_audio_tokens(mel) + 2,
        })
    }
}

/// transformers' Qwen3-Omni `_get_feat_extract_output_lengths` (n_window 50): 13 tokens per
/// full chunk of 100 mel frames, and three stride-2 convolutions over the remainder.
fn qwen3_omni_audio_tokens(mel: u64) -> u64 {
    let chunk = 2 * (MEL_FRAMES_PER_SECOND as u64 / 2);
    let leave = mel % chunk;
    // Python's floor division on the remainder: (0 - 1) // 2 = -1.
    let feat = floor_div(leave as i64 - 1, 2) + 1;
    let out = floor_div(floor_div(feat - 1, 2) + 1 - 1, 2) + 1;
    out as u64 + mel / chunk * 13
}

fn floor_div(a: i64, b: i64) -> i64 {
    a.div_euclid(b)
}

/// Whole seconds billed for `seconds` of audio by per-second pricing (Qwen3-ASR, realtime
/// speech): rounded up to the next second.
///
/// ```
/// assert_eq!(qwen_meter::billed_audio_seconds(61.2)?, 62);
/// # Ok::<(), qwen_meter::MediaError>(())
/// ```
pub fn billed_audio_seconds(seconds: f64) -> Result<u64, MediaError> {
    if !(seconds.is_finite() && seconds > 0.0) {
        return Err(MediaError::InvalidDuration { seconds });
    }
    Ok(seconds.ceil() as u64)
}

impl fmt::Display for AudioProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An audio profile name that is not one of [`AudioProfile::ALL`].
///
/// ```
/// assert!("mp3".parse::<qwen_meter::AudioProfile>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseAudioProfileError {
    /// The text that did not parse.
    pub text: String,
}

impl fmt::Display for ParseAudioProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = AudioProfile::ALL.iter().map(|p| p.name()).collect();
        write!(
            f,
            "unknown audio profile {:?} (expected one of {})",
            self.text,
            names.join(", ")
        )
    }
}

impl std::error::Error for ParseAudioProfileError {}

impl FromStr for AudioProfile {
    type Err = ParseAudioProfileError;

    fn from_str(text: &str) -> Result<AudioProfile, ParseAudioProfileError> {
        AudioProfile::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| ParseAudioProfileError {
                text: text.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_per_second() {
        for seconds in [1.0, 10.0, 60.0, 3600.0] {
            let s = seconds as u64;
            assert_eq!(
                AudioProfile::Qwen3OmniApi.tokens(seconds).unwrap(),
                (s * 25).div_ceil(2)
            );
            assert_eq!(
                AudioProfile::QwenOmniTurboApi.tokens(seconds).unwrap(),
                s * 25
            );
            assert_eq!(
                AudioProfile::Qwen2AudioOpenWeights.tokens(seconds).unwrap(),
                s * 25 + 2
            );
            assert_eq!(
                AudioProfile::Qwen3OmniOpenWeights.tokens(seconds).unwrap(),
                s * 13 + 2
            );
        }
        // Half a token rounds up; under a second is a second on qwen-omni-turbo.
        assert_eq!(AudioProfile::Qwen3OmniApi.tokens(0.1).unwrap(), 2);
        assert_eq!(AudioProfile::QwenOmniTurboApi.tokens(0.01).unwrap(), 25);
    }

    #[test]
    fn encoder_lengths_match_the_processors() {
        // (mel frames, tokens) from transformers 5.24's `_get_feat_extract_output_lengths`
        // of Qwen3-Omni (n_window 50) and Qwen2.5-Omni, run in Python.
        let qwen3 = [
            (0, 0),
            (1, 1),
            (2, 1),
            (3, 1),
            (7, 1),
            (8, 1),
            (9, 2),
            (50, 7),
            (99, 13),
            (100, 13),
            (101, 14),
            (150, 20),
            (199, 26),
            (250, 33),
            (1234, 161),
        ];
        for (mel, tokens) in qwen3 {
            assert_eq!(qwen3_omni_audio_tokens(mel), tokens, "{mel}");
        }
        let qwen2 = [
            (0.01, 0),
            (0.02, 0),
            (0.03, 1),
            (0.07, 2),
            (0.99, 25),
            (1.0, 25),
            (1.01, 25),
            (10.0, 250),
        ];
        for (seconds, tokens) in qwen2 {
            let got = AudioProfile::Qwen2AudioOpenWeights.tokens(seconds).unwrap();
            assert_eq!(got, tokens + 2, "{seconds}");
        }
    }

    #[test]
    fn billing_seconds_round_up() {
        assert_eq!(billed_audio_seconds(1.0).unwrap(), 1);
        assert_eq!(billed_audio_seconds(0.2).unwrap(), 1);
        assert!(billed_audio_seconds(0.0).is_err());
        for p in AudioProfile::ALL {
            assert_eq!(p.name().parse::<AudioProfile>().unwrap(), p);
        }
    }
}
