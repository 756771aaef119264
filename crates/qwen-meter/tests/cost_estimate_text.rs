//! Text-based estimates: the prompt is counted with the model's own tokenizer generation.

use qwen_meter::{Catalog, Region, Tokenizer, Usage};

#[test]
fn hello_world_is_four_tokens_and_priced_at_the_first_tier() {
    let model = Catalog::builtin().model("qwen3-max").unwrap();
    // "Hello" "," " world" "!" in the Qwen BPE
    assert_eq!(model.count_tokens("Hello, world!"), 4);
    let cost = model
        .estimate_text(Region::International, "Hello, world!", 1_000)
        .unwrap();
    // 4 x 1.2 / 1M = 0.0000048; 1,000 x 6 / 1M = 0.006
    assert_eq!(cost.to_string(), "0.0060048 USD");
}

#[test]
fn estimate_text_equals_cost_of_the_counted_usage() {
    let prompt = "Summarise the following report in three bullet points.\n".repeat(50);
    for id in ["qwen3-max", "qwen-plus", "qwen2-72b-instruct", "qwq-plus"] {
        let model = Catalog::builtin().model(id).unwrap();
        let counted = Tokenizer::for_generation(model.generation).count(&prompt) as u64;
        for region in model.offered_regions() {
            let by_text = model.estimate_text(region, &prompt, 500).unwrap();
            let usage = Usage {
                input_tokens: counted,
                output_tokens: 500,
                thinking: id == "qwq-plus", // thinking-only models default to thinking
                ..Default::default()
            };
            assert_eq!(
                by_text,
                model.cost(region, &usage).unwrap(),
                "{id} {region}"
            );
        }
    }
}

#[test]
fn each_model_counts_with_its_own_generation_special_tokens() {
    let catalog = Catalog::builtin();
    // <think> is a single special token from Qwen3 on; Qwen2.5 and Qwen2 read it as text.
    assert_eq!(
        catalog.model("qwen3-max").unwrap().count_tokens("<think>"),
        1
    );
    assert!(
        catalog
            .model("qwen2.5-72b-instruct")
            .unwrap()
            .count_tokens("<think>")
            > 1
    );
    assert!(
        catalog
            .model("qwen2-72b-instruct")
            .unwrap()
            .count_tokens("<tool_call>")
            > 1
    );
    assert_eq!(
        catalog
            .model("qwen2.5-72b-instruct")
            .unwrap()
            .count_tokens("<tool_call>"),
        1
    );
}

#[test]
fn usage_for_text_can_be_adjusted_before_pricing() {
    let model = Catalog::builtin().model("qwen-plus").unwrap();
    let usage = Usage {
        thinking: true,
        ..model.usage_for_text("Hello, world!", 100)
    };
    let cost = model.cost(Region::International, &usage).unwrap();
    // 4 x 0.4 / 1M = 0.0000016; thinking 100 x 4 / 1M = 0.0004
    assert_eq!(cost.total.to_string(), "0.0004016");
}
