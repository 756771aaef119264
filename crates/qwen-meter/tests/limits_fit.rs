//! Context fit: prompt + reserved output against max input, max output and the window.

use qwen_meter::{Catalog, FitError, FitLimit, Mode};

fn model(id: &str) -> &'static qwen_meter::Model {
    Catalog::builtin().model(id).unwrap()
}

#[test]
fn max_input_binds_when_the_window_has_room() {
    // qwen3-max non-thinking: max input 258,048; window 262,144 - 1,000 = 261,144 > 258,048
    let fit = model("qwen3-max")
        .fit(Mode::NonThinking, 258_048, 1_000)
        .unwrap();
    assert!(fit.fits);
    assert_eq!(fit.max_prompt_tokens, 258_048);
    assert_eq!(fit.binding, FitLimit::MaxInput);
    assert_eq!(fit.remaining_tokens, 0);
    let over = model("qwen3-max")
        .fit(Mode::NonThinking, 258_049, 1_000)
        .unwrap();
    assert!(!over.fits);
    assert_eq!(over.overflow_tokens, 1);
}

#[test]
fn the_window_binds_when_much_output_is_reserved() {
    // 262,144 - 65,536 = 196,608 < 258,048
    let fit = model("qwen3-max")
        .fit(Mode::NonThinking, 100_000, 65_536)
        .unwrap();
    assert!(fit.fits);
    assert_eq!(fit.binding, FitLimit::ContextWindow);
    assert_eq!(fit.max_prompt_tokens, 196_608);
    assert_eq!(fit.remaining_tokens, 96_608);
}

#[test]
fn limits_depend_on_the_mode() {
    let turbo = model("qwen-turbo");
    // thinking: window 131,072, max input 98,304
    assert!(!turbo.fit(Mode::Thinking, 98_305, 0).unwrap().fits);
    // non-thinking: 1,000,000 window and max input
    assert!(turbo.fit(Mode::NonThinking, 98_305, 0).unwrap().fits);
    // thinking output counts reasoning: 16,384 answer + 38,912 reasoning may be reserved
    let fit = turbo.fit(Mode::Thinking, 1_000, 16_384 + 38_912).unwrap();
    assert!(fit.fits);
    assert_eq!(fit.max_prompt_tokens, 131_072 - 16_384 - 38_912);
}

#[test]
fn reserving_more_than_the_model_can_write_never_fits() {
    let max = model("qwen-max");
    let fit = max.fit(Mode::NonThinking, 10, 8_193).unwrap();
    assert!(!fit.fits);
    assert_eq!(fit.binding, FitLimit::MaxOutput);
    let err = max.prompt_budget(Mode::NonThinking, 8_193).unwrap_err();
    assert!(
        matches!(
            err,
            FitError::OutputTooLong {
                max_output_tokens: 8_192,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("qwen-max"));
}

#[test]
fn unknown_context_window_falls_back_to_max_input() {
    // qwen3.7-max publishes no window: only max input bounds the prompt.
    let fit = model("qwen3.7-max")
        .fit(Mode::Thinking, 991_808, 65_536)
        .unwrap();
    assert!(fit.fits);
    assert_eq!(fit.binding, FitLimit::MaxInput);
    // qwen3.8-max has a 1,000,000 window: with 131,072 reserved for output it binds before
    // the thinking-mode maximum input (983,616).
    let fit = model("qwen3.8-max")
        .fit(Mode::Thinking, 983_616, 131_072)
        .unwrap();
    assert!(!fit.fits);
    assert_eq!(fit.binding, FitLimit::ContextWindow);
    assert_eq!(fit.max_prompt_tokens, 1_000_000 - 131_072);
    // With 16,384 reserved the maximum input binds.
    let fit = model("qwen3.8-max")
        .fit(Mode::Thinking, 983_616, 16_384)
        .unwrap();
    assert!(fit.fits);
    assert_eq!(fit.binding, FitLimit::MaxInput);
    // qwen-turbo-2024-11-01 publishes no max input: the window bounds it.
    let fit = model("qwen-turbo-2024-11-01")
        .fit(Mode::NonThinking, 0, 8_192)
        .unwrap();
    assert_eq!(fit.max_prompt_tokens, 1_000_000 - 8_192);
    assert_eq!(fit.binding, FitLimit::ContextWindow);
}

#[test]
fn modes_a_model_lacks_are_errors() {
    let err = model("qwq-plus").fit(Mode::NonThinking, 1, 1).unwrap_err();
    assert!(
        matches!(
            err,
            FitError::ModeNotSupported {
                mode: Mode::NonThinking,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        model("qwen2-72b-instruct")
            .prompt_budget(Mode::Thinking, 0)
            .is_err()
    );
    // Qwen2: 131,072 - 6,144 = 124,928 < 128,000
    assert_eq!(
        model("qwen2-72b-instruct")
            .prompt_budget(Mode::NonThinking, 6_144)
            .unwrap(),
        124_928
    );
}

#[test]
fn fit_serialises_with_camel_case() {
    let fit = model("qwen3-max").fit(Mode::NonThinking, 1, 1).unwrap();
    let json = serde_json::to_value(fit).unwrap();
    assert_eq!(json["maxPromptTokens"], 258_048);
    assert_eq!(json["binding"], "maxInput");
}
