"""Chat counting and pricing: the same answers as the core (its documented examples), money
as Decimal, and each failure as its own QwenMeterError subclass with the core's message."""

from decimal import Decimal

import pytest

import qwen_meter
from qwen_meter import Catalog, Tokenizer, Usage, estimate_cost

MESSAGES = [
    {"role": "system", "content": "You are terse."},
    {"role": "user", "content": "What is 2+2?"},
    {"role": "assistant", "content": "4"},
    {"role": "user", "content": "And 3+3? 通义千问"},
]

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "add",
            "description": "Adds two numbers",
            "parameters": {
                "type": "object",
                "properties": {"a": {"type": "number"}, "b": {"type": "number", "default": 0.1}},
            },
        },
    }
]


def test_render_chat_is_chatml():
    text = qwen_meter.render_chat([{"role": "user", "content": "Hi"}])
    assert text == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    no_prompt = qwen_meter.render_chat(
        [{"role": "user", "content": "Hi"}], add_generation_prompt=False
    )
    assert no_prompt == "<|im_start|>user\nHi<|im_end|>\n"


def test_count_chat_counts_the_rendered_prompt():
    tok = Tokenizer.qwen3()
    for kwargs in ({}, {"tools": TOOLS}, {"enable_thinking": False}):
        rendered = tok.render_chat(MESSAGES, **kwargs)
        assert tok.count_chat(MESSAGES, **kwargs) == tok.count(rendered)
        assert tok.encode_chat(MESSAGES, **kwargs) == tok.encode(rendered)
    assert '"name": "add"' in tok.render_chat(MESSAGES, tools=TOOLS)
    assert "<think>\n\n</think>" in tok.render_chat(MESSAGES, enable_thinking=False)
    assert qwen_meter.count_chat(MESSAGES, model="qwen3-max") == tok.count_chat(MESSAGES)
    assert qwen_meter.count_chat(MESSAGES, generation="qwen2.5") == Tokenizer.qwen2_5().count(
        Tokenizer.qwen2_5().render_chat(MESSAGES)
    )


def test_chat_errors():
    with pytest.raises(qwen_meter.ChatError, match=r"messages\[0\]"):
        qwen_meter.count_chat([{"role": "wizard", "content": "x"}])
    with pytest.raises(qwen_meter.ChatError):
        qwen_meter.count_chat([{"content": "no role"}])
    with pytest.raises(TypeError, match="messages: not JSON-serialisable"):
        qwen_meter.count_chat([{"role": "user", "content": object()}])
    with pytest.raises(qwen_meter.InvalidArgumentError, match="not both"):
        qwen_meter.count_chat(MESSAGES, model="qwen3-max", generation="qwen3")


def test_estimate_cost_matches_the_core_examples():
    # The core's documented figures: 4 x 1.2 + 1,000 x 6 USD per 1M tokens.
    cost = estimate_cost(model="qwen3-max", text="Hello, world!", output_tokens=1000)
    assert isinstance(cost.total, Decimal)
    assert cost.total == Decimal("0.0060048")
    assert str(cost) == "0.0060048 USD"
    assert cost.currency == "USD" and cost.region == "international" and cost.model == "qwen3-max"
    assert cost.usage.input_tokens == 4
    parts = cost.breakdown
    assert set(parts) == {"input", "cached_input", "cache_creation", "output"}
    assert sum(parts.values()) == cost.total
    assert estimate_cost(model="qwen3-max", input_tokens=4, output_tokens=1000).total == cost.total


def test_model_cost_with_usage():
    model = Catalog.builtin().model("qwen-plus")
    usage = Usage(model.count_tokens("Hello, world!"), 500, thinking=True)
    cost = model.cost("international", usage)
    assert str(cost) == "0.0020016 USD"
    assert cost.total == Decimal("0.0020016")


def test_batch_and_messages_prices():
    realtime = estimate_cost(model="qwen-plus", input_tokens=10_000, output_tokens=2_000)
    batch = estimate_cost(model="qwen-plus", input_tokens=10_000, output_tokens=2_000, batch=True)
    model = Catalog.builtin().model("qwen-plus")
    assert batch.total == model.cost("international", Usage(10_000, 2_000, batch=True)).total
    assert batch.total * 2 == realtime.total  # the catalog's Batch-API ratio: 0.5
    with pytest.raises(qwen_meter.CostError, match="no batch price"):
        estimate_cost(model="qwen3-max", input_tokens=1, batch=True)
    # The prompt is rendered in the request's mode (non-thinking by default for qwen3-max:
    # the template's empty think block is part of it).
    chat = estimate_cost(model="qwen3-max", messages=MESSAGES, output_tokens=10)
    assert not chat.usage.thinking
    assert chat.usage.input_tokens == qwen_meter.count_chat(
        MESSAGES, model="qwen3-max", enable_thinking=False
    )


def test_catalog():
    catalog = Catalog.builtin()
    models = catalog.models()
    assert len(models) > 10
    assert all(m.id for m in models)
    assert catalog.model("qwen3-max").generation == "qwen3"
    assert "international" in catalog.model("qwen3-max").regions
    assert catalog.model("qwen3-max").tokenizer().generation == "qwen3"
    reloaded = Catalog.from_json(catalog.to_json())
    assert [m.id for m in reloaded.models()] == [m.id for m in models]
    assert len(catalog.as_of) == 10


def test_pricing_errors():
    with pytest.raises(qwen_meter.UnknownModelError, match="gpt-4"):
        estimate_cost(model="gpt-4", input_tokens=1)
    with pytest.raises(qwen_meter.CostError, match="Chinese Mainland"):
        Catalog.builtin().model("qwen-long").cost("international", Usage())
    with pytest.raises(qwen_meter.InvalidArgumentError, match="region"):
        estimate_cost(model="qwen3-max", input_tokens=1, region="mars")
    with pytest.raises(qwen_meter.InvalidArgumentError, match="give only one of"):
        estimate_cost(model="qwen3-max", input_tokens=1, text="x")
    with pytest.raises(qwen_meter.InvalidArgumentError, match='cache: expected "implicit"'):
        Usage(cache="sometimes")
    with pytest.raises(qwen_meter.CostError, match="qwen3-max"):
        estimate_cost(model="qwen3-max", input_tokens=10**9)
    with pytest.raises(qwen_meter.CatalogError):
        Catalog.from_json("{}")
    with pytest.raises(OverflowError):
        Usage(-1)
