//! Cost of requests with images, video and audio: one input price on the VL and Qwen3.5
//! models (tiers count all input tokens), prices per modality on Omni.

use qwen_meter::{
    AudioProfile, Catalog, CostError, ImageSize, Region, Usage, Video, VisionProfile,
};

fn usage(text: u64, image: u64, video: u64, audio: u64, output: u64) -> Usage {
    Usage {
        input_tokens: text + image + video + audio,
        image_tokens: image,
        video_tokens: video,
        audio_tokens: audio,
        output_tokens: output,
        ..Default::default()
    }
}

#[test]
fn vision_tokens_cost_the_input_price() {
    let model = Catalog::builtin().model("qwen3.5-plus").unwrap();
    let shot = VisionProfile::Qwen3Api
        .image_tokens(ImageSize::new(1920, 1080), &Default::default())
        .unwrap()
        .tokens;
    let u = usage(58, shot, 0, 0, 500);
    let cost = model.cost(Region::International, &u).unwrap();
    // (58 + 2042) x 0.4 + 500 x 2.4, per 1M.
    assert_eq!(cost.total.to_string(), "0.00204");
    assert_eq!(cost.breakdown.input.to_string(), "0.00084");
    assert!(cost.breakdown.image_input.is_zero());
    assert_eq!(cost.unit_prices.image_input, None);
}

#[test]
fn media_tokens_choose_the_tier() {
    // 30,000 text tokens alone are in qwen3-vl-plus's first tier; a 60 s video moves the
    // request past 32K, and the whole request is billed at the second tier.
    let model = Catalog::builtin().model("qwen3-vl-plus").unwrap();
    let text_only = model
        .cost(Region::International, &usage(30_000, 0, 0, 0, 0))
        .unwrap();
    assert_eq!(text_only.tier_index, 0);
    let video = VisionProfile::Qwen3Api
        .video_tokens(
            &Video::new(60.0, ImageSize::new(1920, 1080)),
            &Default::default(),
        )
        .unwrap()
        .tokens;
    let with_video = model
        .cost(Region::International, &usage(30_000, 0, video, 0, 1_000))
        .unwrap();
    assert_eq!(with_video.tier_index, 1);
    // (30,000 + 35,642) x 0.3 + 1,000 x 2.4, per 1M.
    assert_eq!(with_video.total.to_string(), "0.0220926");
}

#[test]
fn omni_prices_each_modality_and_output_by_input_kind() {
    let model = Catalog::builtin().model("qwen3-omni-flash").unwrap();
    let audio = AudioProfile::Qwen3OmniApi.tokens(30.0).unwrap();
    assert_eq!(audio, 375);
    let cost = model
        .cost(Region::International, &usage(100, 1_000, 0, audio, 200))
        .unwrap();
    let b = &cost.breakdown;
    assert_eq!(b.input.to_string(), "0.000043"); // 100 x 0.43
    assert_eq!(b.image_input.to_string(), "0.00078"); // 1,000 x 0.78
    assert_eq!(b.audio_input.to_string(), "0.00142875"); // 375 x 3.81
    assert_eq!(b.output.to_string(), "0.000612"); // 200 x 3.06 after multimodal input
    assert_eq!(cost.total.to_string(), "0.00286375");
    assert_eq!(cost.unit_prices.output.to_string(), "3.06");

    let text_only = model
        .cost(Region::International, &usage(100, 0, 0, 0, 200))
        .unwrap();
    assert_eq!(text_only.unit_prices.output.to_string(), "1.66");

    // Speech output: 15.11 per 1M speech tokens, the text it speaks is free.
    let spoken = Usage {
        output_tokens: 300,
        output_audio_tokens: 250,
        ..usage(100, 0, 0, 0, 0)
    };
    let cost = model.cost(Region::International, &spoken).unwrap();
    assert_eq!(cost.breakdown.audio_output.to_string(), "0.0037775");
    assert!(cost.breakdown.output.is_zero());
}

#[test]
fn impossible_media_usage_is_an_error() {
    let catalog = Catalog::builtin();
    let vl = catalog.model("qwen3-vl-plus").unwrap();
    let err = vl
        .cost(Region::International, &usage(10, 0, 0, 100, 10))
        .unwrap_err();
    assert!(
        matches!(
            err,
            CostError::ModalityNotSupported {
                modality: "audio",
                ..
            }
        ),
        "{err}"
    );
    let text = catalog.model("qwen3-max").unwrap();
    let err = text
        .cost(Region::International, &usage(10, 100, 0, 0, 10))
        .unwrap_err();
    assert!(err.to_string().contains("image"), "{err}");
    let too_many = Usage {
        input_tokens: 50,
        image_tokens: 100,
        ..Default::default()
    };
    let err = vl.cost(Region::International, &too_many).unwrap_err();
    assert!(
        matches!(
            err,
            CostError::MediaExceedsTotal {
                part: "input",
                media_tokens: 100,
                total_tokens: 50,
                ..
            }
        ),
        "{err}"
    );
    let speech = Usage {
        output_tokens: 10,
        output_audio_tokens: 10,
        ..usage(10, 0, 0, 0, 0)
    };
    assert!(matches!(
        vl.cost(Region::International, &speech),
        Err(CostError::ModalityNotSupported {
            modality: "audio output",
            ..
        })
    ));
}

#[test]
fn catalog_media_rules_match_the_vision_guide() {
    let catalog = Catalog::builtin();
    for (id, profile) in [
        ("qwen3.5-plus", VisionProfile::Qwen3Api),
        ("qwen3.5-flash", VisionProfile::Qwen3Api),
        ("qwen3-vl-plus", VisionProfile::Qwen3Api),
        ("qwen3-vl-flash", VisionProfile::Qwen3Api),
        ("qwen-vl-max", VisionProfile::Qwen3Api),
        ("qwen-vl-plus", VisionProfile::Qwen3Api),
        ("qvq-max", VisionProfile::Qwen2_5Api),
        ("qwen3-omni-flash", VisionProfile::Qwen3OmniApi),
    ] {
        let media = catalog.model(id).unwrap().media.clone().unwrap();
        assert_eq!(media.vision, Some(profile), "{id}");
        assert!(media.video, "{id}");
    }
    // The figures: a 1920x1080 screenshot is 2,042 tokens on qwen3.5-plus and
    // 1,224 on qvq-max.
    let tokens = |id: &str| {
        let profile = catalog
            .model(id)
            .unwrap()
            .media
            .as_ref()
            .unwrap()
            .vision
            .unwrap();
        profile
            .image_tokens(ImageSize::new(1920, 1080), &Default::default())
            .unwrap()
            .tokens
    };
    assert_eq!((tokens("qwen3.5-plus"), tokens("qvq-max")), (2042, 1224));
    assert!(catalog.model("qwen3-max").unwrap().media.is_none());
}
