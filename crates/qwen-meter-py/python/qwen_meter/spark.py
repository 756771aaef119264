"""Token counts as a Spark column: ``count_tokens(col, generation=... or model=...)``.

The column is computed by an Arrow UDF (pyspark >= 4.1) or a pandas UDF (older pyspark) that
calls ``Tokenizer.count_batch`` on each Arrow batch, so every executor core counts in Rust::

    from pyspark.sql import functions as F
    from qwen_meter.spark import count_tokens

    df = spark.read.parquet("docs.parquet")
    total = df.select(F.sum(count_tokens("text", model="qwen3-max"))).first()[0]

Nulls count as null. The tokenizer is built once per executor process.
"""

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional, Union

from . import _generation_of

if TYPE_CHECKING:
    from pyspark.sql import Column

__all__ = ["count_tokens"]


@lru_cache(maxsize=None)
def _tokenizer(generation: str) -> Any:
    from ._native import Tokenizer

    return Tokenizer.for_generation(generation)


def count_tokens(
    col: "Union[Column, str]",
    *,
    generation: Optional[str] = None,
    model: Optional[str] = None,
    ordinary: bool = False,
) -> "Column":
    """A ``long`` column: the token count of each string of ``col``.

    ``generation`` ("qwen3", "qwen2.5", ...) or ``model`` (a catalog id such as "qwen3-max")
    picks the tokenizer (Qwen3's when neither is given); ``ordinary=True`` counts
    special-token text as plain text. Errors in the arguments are raised here, on the driver.

    >>> df.select(count_tokens("text", model="qwen3-max").alias("tokens"))  # doctest: +SKIP
    """
    from pyspark.sql import functions as F

    gen = _generation_of(generation, model)
    if hasattr(F, "arrow_udf"):
        return _arrow_udf(gen, ordinary)(col)  # type: ignore[no-any-return,unused-ignore]
    return _pandas_udf(gen, ordinary)(col)  # type: ignore[no-any-return,unused-ignore]


def _arrow_udf(gen: str, ordinary: bool) -> Any:
    """Arrow in, Arrow out (pyspark >= 4.1): no pandas or Python string per row."""
    import pyarrow as pa
    from pyspark.sql import functions as F

    # getattr: pyspark's own annotations of arrow_udf vary between releases.
    arrow_udf = getattr(F, "arrow_udf")

    @arrow_udf("long")  # type: ignore[misc,untyped-decorator,unused-ignore]
    # Real (not string) annotations: Spark reads them to pick the UDF kind.
    def count_arrow(texts: pa.Array) -> pa.Array:  # type: ignore[type-arg,unused-ignore]
        counts = _tokenizer(gen).count_batch(texts, ordinary=ordinary)
        return counts  # type: ignore[no-any-return,unused-ignore]

    return count_arrow


def _pandas_udf(gen: str, ordinary: bool) -> Any:
    """The pandas UDF of older pyspark: the Series goes back to Arrow for count_batch."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    import pyarrow as pa
    from pyspark.sql import functions as F

    pandas_udf = getattr(F, "pandas_udf")

    @pandas_udf("long")  # type: ignore[misc,untyped-decorator,unused-ignore]
    def count_pandas(texts: pd.Series) -> pd.Series:
        array = pa.Array.from_pandas(texts, type=pa.large_string())
        counts = _tokenizer(gen).count_batch(array, ordinary=ordinary)
        return counts.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)

    return count_pandas
