"""Misuses mypy must reject (each line is one error), so the stub check can fail."""

from qwen_meter import Tokenizer, estimate_cost

tok = Tokenizer.qwen3()
a: str = tok.count("x")
b: int = tok.encode("x")
tok.count(b"x")
tok.truncate("x", "3")
estimate_cost("qwen3-max")
c: int = tok.count_batch(["x"])
