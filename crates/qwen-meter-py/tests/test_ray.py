"""qwen_meter.ray on Ray Data in local mode: the 100,000-row Parquet dataset counted with
map_batches gives the Rust core's counts, in every batch format."""

import pytest

from conftest import need

ray = need("ray")

from qwen_meter.ray import CountTokens  # noqa: E402


@pytest.fixture(scope="module")
def ray_session():
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        object_store_memory=300 * 1024 * 1024,
        log_to_driver=False,
        configure_logging=False,
    )
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield
    ray.shutdown()


def test_map_batches_sums_equal_the_core(ray_session, parquet_dataset):
    path, total, weighted, _ = parquet_dataset
    ds = ray.data.read_parquet(str(path))
    counted = ds.map_batches(CountTokens("text", generation="qwen3"), batch_format="pyarrow")
    table = counted.to_arrow_refs()
    import pyarrow as pa

    result = pa.concat_tables(ray.get(table))
    assert result.num_rows == 100_000
    assert result.column_names == ["id", "text", "num_tokens"]
    ids = result.column("id").to_pylist()
    ns = result.column("num_tokens").to_pylist()
    assert sum(n for n in ns if n is not None) == total
    assert sum(n * i for i, n in zip(ids, ns) if n is not None) == weighted
    assert ns.count(None) == len(range(0, 100_000, 9973))


@pytest.mark.parametrize("batch_format", ["pandas", "numpy"])
def test_other_batch_formats(ray_session, batch_format):
    ds = ray.data.from_items([{"text": "Hello, world!"}, {"text": "<|im_start|>"}])
    out = ds.map_batches(
        CountTokens(model="qwen3-max", output_column="n"), batch_format=batch_format
    ).take_all()
    assert sorted(int(r["n"]) for r in out) == [1, 4]
