//! `cost --image/--video/--audio` and chat request files with images: tokens by modality
//! and costs, against the library.

use std::fs;

use crate::common::{json, qm};
use qwen_meter::{AudioProfile, Catalog, ImageSize, Region, Usage, Video, VisionProfile};

#[test]
fn cost_with_image_video_and_audio_flags() {
    // The issue's command line, with the image as a PNG header on disk.
    let dir = std::env::temp_dir().join(format!("qm-media-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let shot = dir.join("shot.png");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(1920u32.to_be_bytes());
    png.extend(1080u32.to_be_bytes());
    png.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    fs::write(&shot, &png).unwrap();

    let v = json(
        qm().args([
            "cost",
            "--json",
            "--model",
            "qwen3.5-plus",
            "-i",
            "100",
            "-o",
            "500",
            "--image",
        ])
        .arg(&shot)
        .args(["--video", "60s@1920x1080"]),
    );
    let tokens = &v["tokens"];
    assert_eq!(tokens["image_tokens"], 2042, "{v}");
    assert_eq!(tokens["video_tokens"], 35_642);
    assert_eq!(tokens["audio_tokens"], 0);
    assert_eq!(tokens["text_tokens"], 100);
    assert_eq!(tokens["items"][1]["frames"], 120);
    assert_eq!(tokens["items"][1]["resized"], "1056x576");

    let model = Catalog::builtin().model("qwen3.5-plus").unwrap();
    let usage = Usage {
        input_tokens: 100 + 2042 + 35_642,
        image_tokens: 2042,
        video_tokens: 35_642,
        output_tokens: 500,
        thinking: v["cost"]["usage"]["thinking"].as_bool().unwrap(),
        ..Default::default()
    };
    let want = model.cost(Region::International, &usage).unwrap();
    assert_eq!(v["cost"]["total"], want.total.to_string());
    assert_eq!(v["cost"]["usage"]["input_tokens"], 37_784);

    // Omni: audio priced apart, text output at the multimodal-input price.
    let v = json(qm().args([
        "cost",
        "--json",
        "-m",
        "qwen3-omni-flash",
        "-i",
        "20",
        "-o",
        "100",
        "--audio",
        "30s",
        "--image",
        "512x512",
    ]));
    let audio = AudioProfile::Qwen3OmniApi.tokens(30.0).unwrap();
    let image = VisionProfile::Qwen3OmniApi
        .image_tokens(ImageSize::new(512, 512), &Default::default())
        .unwrap()
        .tokens;
    assert_eq!(v["tokens"]["audio_tokens"], audio, "{v}");
    assert_eq!(v["tokens"]["image_tokens"], image);
    assert_eq!(v["cost"]["unit_prices"]["output"], "3.06");
    assert_eq!(v["media_cost"]["audio_input"], "0.00142875");

    // A text model refuses media (exit 5); a bad video spec is a usage error (exit 2).
    qm().args(["cost", "-m", "qwen3-max", "--image", "512x512"])
        .assert()
        .code(5);
    qm().args(["cost", "-m", "qwen3.5-plus", "--video", "60s"])
        .assert()
        .code(2);
    qm().args(["cost", "-m", "qwen3.5-plus", "--image", "10x5000"])
        .assert()
        .code(5);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn chat_files_with_images_are_counted_by_modality() {
    let dir = std::env::temp_dir().join(format!("qm-media-chat-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join("chat.json");
    fs::write(
        &file,
        r#"{"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "width": 1920, "height": 1080}},
            {"type": "video_url", "video_url": {"duration": 10, "width": 640, "height": 360}},
            {"type": "text", "text": "What happens?"}]}]}"#,
    )
    .unwrap();
    let v = json(
        qm().args(["chat", "--json", "-m", "qwen3-vl-plus"])
            .arg(&file),
    );
    let model = Catalog::builtin().model("qwen3-vl-plus").unwrap();
    let video = VisionProfile::Qwen3Api
        .video_tokens(
            &Video::new(10.0, ImageSize::new(640, 360)),
            &Default::default(),
        )
        .unwrap()
        .tokens;
    assert_eq!(v["tokens"]["image_tokens"], 2042, "{v}");
    assert_eq!(v["tokens"]["video_tokens"], video);
    let messages = qwen_meter::ChatRequest::from_json(&fs::read_to_string(&file).unwrap()).unwrap();
    let want = model
        .count_chat_tokens(&messages.messages, &messages.options)
        .unwrap();
    assert_eq!(v["prompt_tokens"], want.input_tokens);
    // Without a model there are no media rules to count with.
    qm().args(["chat"]).arg(&file).assert().code(2);
    let _ = fs::remove_dir_all(&dir);
}
