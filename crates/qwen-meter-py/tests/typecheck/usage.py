"""Typed use of the whole API: mypy --strict must accept this file (tests/test_stubs.py)."""

from decimal import Decimal
from typing import List, Optional, Tuple

import pyarrow as pa

import qwen_meter
from qwen_meter import Catalog, Cost, Tokenizer, Usage, estimate_cost
from qwen_meter.ray import CountTokens

tok: Tokenizer = Tokenizer.qwen3()
n: int = tok.count("Hello")
ids: List[int] = tok.encode("Hello")
ids = tok.encode_ordinary("<|im_start|>")
text: str = tok.decode(ids)
raw: bytes = tok.decode_bytes(ids)
within: Optional[int] = tok.count_within("Hello", 10)
cut: str = tok.truncate("Hello world", 1, keep="end")
spans: List[Tuple[int, int, int]] = tok.encode_with_offsets("Hello")
counts: List[int] = tok.count_batch(["a", "b"], threads=1)
all_ids: List[List[int]] = tok.encode_batch(("a", "b"))
arrow_counts: pa.Int64Array = tok.count_batch(pa.array(["a"]))
gen: Optional[str] = Tokenizer.for_model("qwen3-max").generation
loaded: Tokenizer = Tokenizer.from_tiktoken(b"", "qwen2.5")
chat_tokens: int = qwen_meter.count_chat([{"role": "user", "content": "Hi"}], model="qwen3-max")
prompt: str = tok.render_chat([{"role": "user", "content": "Hi"}], enable_thinking=False)
cost: Cost = Catalog.builtin().model("qwen3-max").cost("international", Usage(10, 5, batch=True))
total: Decimal = cost.total + estimate_cost(model="qwen3-max", input_tokens=1).total
parts: Decimal = sum(cost.breakdown.values(), Decimal(0))
counter = CountTokens("text", model="qwen3-max")
try:
    tok.decode([1 << 40])
except qwen_meter.QwenMeterError as e:
    message: str = str(e)
