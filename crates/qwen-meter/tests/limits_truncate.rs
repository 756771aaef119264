//! Truncating text so that it fits a model's context with output reserved.

use qwen_meter::{Catalog, FitError, Keep, Mode};

#[test]
fn truncation_keeps_the_longest_start_that_fits() {
    let model = Catalog::builtin().model("qwen-max").unwrap();
    let text = "word ".repeat(40_000);
    let budget = model.prompt_budget(Mode::NonThinking, 2_000).unwrap();
    assert_eq!(budget, 30_720); // max input binds: 32,768 - 2,000 > 30,720
    let kept = model
        .truncate_to_fit(&text, Mode::NonThinking, 2_000, Keep::Start)
        .unwrap();
    assert!(text.starts_with(kept));
    let n = model.count_tokens(kept);
    assert!(n <= budget);
    assert!(n + 2 >= budget, "kept only {n} of {budget} tokens");
    assert!(model.fit(Mode::NonThinking, n, 2_000).unwrap().fits);
}

#[test]
fn truncation_can_keep_the_end() {
    let model = Catalog::builtin().model("qwen-turbo").unwrap();
    let text = "第一句话。".repeat(60_000);
    let kept = model
        .truncate_to_fit(&text, Mode::Thinking, 16_384, Keep::End)
        .unwrap();
    assert!(text.ends_with(kept));
    // thinking window 131,072 - 16,384 = 114,688 > max input 98,304
    assert!(model.count_tokens(kept) <= 98_304);
    assert!(model.count_tokens(kept) > 90_000);
}

#[test]
fn text_that_fits_is_returned_whole() {
    let model = Catalog::builtin().model("qwen3-max").unwrap();
    let text = "A short prompt.";
    assert_eq!(
        model
            .truncate_to_fit(text, Mode::Thinking, 32_768, Keep::Start)
            .unwrap(),
        text
    );
}

#[test]
fn an_impossible_reservation_is_an_error() {
    let model = Catalog::builtin().model("qwen2-72b-instruct").unwrap();
    let err = model
        .truncate_to_fit("text", Mode::NonThinking, 10_000, Keep::Start)
        .unwrap_err();
    assert!(
        matches!(
            err,
            FitError::OutputTooLong {
                max_output_tokens: 6_144,
                ..
            }
        ),
        "{err}"
    );
}
