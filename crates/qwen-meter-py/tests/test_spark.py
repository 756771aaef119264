"""qwen_meter.spark on PySpark in local mode: a generated Parquet dataset of 100,000 rows
counted by one Spark job gives the Rust core's counts, and the README's Batch-API cost
example gives the per-request sum."""

import os
import sys
from decimal import Decimal

import pytest

from conftest import need

pyspark = need("pyspark")

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

import qwen_meter  # noqa: E402
from qwen_meter.spark import count_tokens  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    # Workers run this interpreter (the one with qwen_meter installed).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("qwen-meter-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_column_sums_equal_the_core(spark, parquet_dataset):
    path, total, weighted, _ = parquet_dataset
    df = spark.read.parquet(str(path))
    n = count_tokens("text", generation="qwen3")
    row = df.select(
        F.sum(n).alias("total"),
        F.sum(n * F.col("id")).alias("weighted"),
        F.count(n).alias("non_null"),
        F.count("*").alias("rows"),
    ).first()
    assert row["rows"] == 100_000
    assert row["non_null"] == 100_000 - len(range(0, 100_000, 9973))
    assert row["total"] == total
    assert row["weighted"] == weighted


def test_model_and_ordinary_options(spark):
    df = spark.createDataFrame([("<|im_start|>",), (None,), ("Hello, world!",)], ["text"])
    rows = df.select(
        count_tokens(F.col("text"), model="qwen3-max").alias("special"),
        count_tokens("text", ordinary=True).alias("ordinary"),
    ).collect()
    assert [r["special"] for r in rows] == [1, None, 4]
    assert rows[0]["ordinary"] > 1 and rows[1]["ordinary"] is None
    with pytest.raises(qwen_meter.UnknownModelError):
        count_tokens("text", model="gpt-4")
    with pytest.raises(qwen_meter.InvalidArgumentError):
        count_tokens("text", model="qwen3-max", generation="qwen3")


def test_pandas_udf_of_older_pyspark(spark):
    # pyspark < 4.1 has no arrow_udf: the pandas UDF gives the same counts.
    from qwen_meter.spark import _arrow_udf, _pandas_udf

    df = spark.createDataFrame([("<|im_start|>",), (None,), ("Hello, world!",)], ["text"])
    rows = df.select(
        _pandas_udf("qwen3", False)("text").alias("pandas"),
        _arrow_udf("qwen3", False)("text").alias("arrow"),
    ).collect()
    assert [r["pandas"] for r in rows] == [r["arrow"] for r in rows] == [1, None, 4]


def test_readme_batch_cost_example(spark, parquet_dataset):
    path, total, _, counts = parquet_dataset
    # The README's example, as written there.
    from qwen_meter import Catalog, Usage

    model = Catalog.builtin().model("qwen-plus")
    df = spark.read.parquet(str(path))
    sizes = (
        df.groupBy(count_tokens("text", model=model.id).alias("tokens"))
        .count()
        .where("tokens IS NOT NULL")
        .collect()
    )
    total_tokens = sum(r["tokens"] * r["count"] for r in sizes)
    batch_cost = sum(
        model.cost("international", Usage(r["tokens"], 200, batch=True)).total * r["count"]
        for r in sizes
    )
    # Each document priced on its own, without Spark.
    per_request = sum(
        (model.cost("international", Usage(c, 200, batch=True)).total for c in counts if c is not None),
        Decimal(0),
    )
    assert total_tokens == total
    assert isinstance(batch_cost, Decimal)
    assert batch_cost == per_request
