"""Token counts on Ray Data: a callable for ``Dataset.map_batches`` that adds a count column.

::

    import ray
    from qwen_meter.ray import CountTokens

    ds = ray.data.read_parquet("docs.parquet")
    ds = ds.map_batches(CountTokens("text", model="qwen3-max"), batch_format="pyarrow")
    total = ds.sum("num_tokens")

Works with every batch format (``"pyarrow"`` is the fastest: strings are read in place);
nulls count as null. The callable pickles as its settings; each worker builds the tokenizer
once.
"""

from functools import lru_cache
from typing import Any, Optional

from . import _generation_of

__all__ = ["CountTokens"]


@lru_cache(maxsize=None)
def _tokenizer(generation: str) -> Any:
    from ._native import Tokenizer

    return Tokenizer.for_generation(generation)


class CountTokens:
    """Adds ``output_column`` with the token count of each string of ``column``.

    >>> import pyarrow as pa
    >>> CountTokens("text")(pa.table({"text": ["Hello, world!"]})).column("num_tokens").to_pylist()
    [4]
    """

    def __init__(
        self,
        column: str = "text",
        *,
        output_column: str = "num_tokens",
        generation: Optional[str] = None,
        model: Optional[str] = None,
        ordinary: bool = False,
    ) -> None:
        self.column = column
        self.output_column = output_column
        self.generation = _generation_of(generation, model)
        self.ordinary = ordinary

    def __call__(self, batch: Any) -> Any:
        """The batch with the count column added (same batch format as given)."""
        import pyarrow as pa

        tok = _tokenizer(self.generation)
        if isinstance(batch, pa.Table):
            counts = tok.count_batch(batch.column(self.column), ordinary=self.ordinary)
            return batch.append_column(self.output_column, counts)
        try:
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]
        except ImportError:  # pragma: no cover - Ray Data depends on pandas
            pd = None
        if pd is not None and isinstance(batch, pd.DataFrame):
            texts = pa.Array.from_pandas(batch[self.column], type=pa.large_string())
            counts = tok.count_batch(texts, ordinary=self.ordinary)
            out = batch.copy()
            out[self.output_column] = counts.to_pandas(
                types_mapper={pa.int64(): pd.Int64Dtype()}.get
            ).to_numpy()
            return out
        if isinstance(batch, dict):
            import numpy as np

            texts = pa.array(batch[self.column], type=pa.large_string())
            counts = tok.count_batch(texts, ordinary=self.ordinary)
            out = dict(batch)
            out[self.output_column] = np.asarray(counts.to_numpy(zero_copy_only=False))
            return out
        raise TypeError(
            f"CountTokens: expected a pyarrow Table, pandas DataFrame or dict batch, "
            f"got {type(batch).__name__}"
        )

    def __repr__(self) -> str:
        return (
            f"CountTokens({self.column!r}, output_column={self.output_column!r}, "
            f"generation={self.generation!r}, ordinary={self.ordinary!r})"
        )
