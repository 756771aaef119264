"""Exact token counting, truncation and cost estimation for Alibaba's Qwen models.

>>> import qwen_meter
>>> tok = qwen_meter.Tokenizer.qwen3()
>>> tok.count("Hello, world!")
4
>>> tok.decode(tok.encode("通义千问")) == "通义千问"
True
>>> tok.count_batch(["one", "two words"])
[1, 2]
>>> str(qwen_meter.estimate_cost(model="qwen3-max", input_tokens=4, output_tokens=1000))
'0.0060048 USD'

The batch calls (``count_batch``, ``encode_batch``) release the GIL and use every core; they
take any sequence of ``str`` or a pyarrow string array (read in place, no Python object per
string). ``qwen_meter.spark`` and ``qwen_meter.ray`` count columns on Spark and Ray Data.
"""

from typing import Any, Mapping, Optional, Sequence

from ._native import (
    CatalogError,
    ChatError,
    Catalog,
    Cost,
    CostError,
    DecodeError,
    InvalidArgumentError,
    LoadError,
    Model,
    QwenMeterError,
    Tokenizer,
    UnknownModelError,
    Usage,
    __version__,
    estimate_cost,
)

__all__ = [
    "Catalog",
    "CatalogError",
    "ChatError",
    "Cost",
    "CostError",
    "DecodeError",
    "InvalidArgumentError",
    "LoadError",
    "Model",
    "QwenMeterError",
    "Tokenizer",
    "UnknownModelError",
    "Usage",
    "__version__",
    "count_chat",
    "estimate_cost",
    "render_chat",
    "tokenizer",
]


def tokenizer(*, generation: Optional[str] = None, model: Optional[str] = None) -> Tokenizer:
    """The tokenizer of a generation ("qwen3", "qwen2.5", ...) or of a catalog model id.

    Give at most one; with neither, Qwen3's.

    >>> tokenizer(model="qwen2.5-72b-instruct").generation
    'qwen2.5'
    """
    if generation is not None and model is not None:
        raise InvalidArgumentError("model: give either generation or model, not both")
    if model is not None:
        return Tokenizer.for_model(model)
    return Tokenizer.for_generation(generation or "qwen3")


def _generation_of(generation: Optional[str], model: Optional[str]) -> str:
    """The generation name a (generation, model) choice resolves to, checked."""
    return tokenizer(generation=generation, model=model).generation or "qwen3"


def count_chat(
    messages: Sequence[Mapping[str, Any]],
    *,
    generation: Optional[str] = None,
    model: Optional[str] = None,
    tools: Optional[Sequence[Mapping[str, Any]]] = None,
    add_generation_prompt: bool = True,
    enable_thinking: Optional[bool] = None,
) -> int:
    """Prompt tokens billed for a conversation of OpenAI-shaped message dicts.

    >>> count_chat([{"role": "user", "content": "Hi"}], model="qwen3-max")
    9
    """
    return tokenizer(generation=generation, model=model).count_chat(
        messages,
        tools=tools,
        add_generation_prompt=add_generation_prompt,
        enable_thinking=enable_thinking,
    )


def render_chat(
    messages: Sequence[Mapping[str, Any]],
    *,
    generation: Optional[str] = None,
    model: Optional[str] = None,
    tools: Optional[Sequence[Mapping[str, Any]]] = None,
    add_generation_prompt: bool = True,
    enable_thinking: Optional[bool] = None,
) -> str:
    """The prompt text the model reads for a conversation (its chat template rendered).

    >>> print(render_chat([{"role": "user", "content": "Hi"}]), end="")
    <|im_start|>user
    Hi<|im_end|>
    <|im_start|>assistant
    """
    return tokenizer(generation=generation, model=model).render_chat(
        messages,
        tools=tools,
        add_generation_prompt=add_generation_prompt,
        enable_thinking=enable_thinking,
    )
