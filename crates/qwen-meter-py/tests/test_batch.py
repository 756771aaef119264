"""Batch calls: the same answers as single calls, on Python sequences and on every kind of
Arrow string array, with nulls and slices, on one thread or all."""

import threading

import pyarrow as pa
import pytest

import qwen_meter
from qwen_meter import Tokenizer

from conftest import fixture_texts, generated_texts, need

TEXTS = fixture_texts() + generated_texts(300, seed=7)


@pytest.fixture(scope="module")
def tok():
    return Tokenizer.qwen3()


@pytest.mark.parametrize("threads", [None, 1, 3])
def test_batch_equals_single_calls(tok, threads):
    assert tok.count_batch(TEXTS, threads=threads) == [tok.count(t) for t in TEXTS]
    assert tok.encode_batch(TEXTS, threads=threads) == [tok.encode(t) for t in TEXTS]
    assert tok.count_batch(TEXTS, ordinary=True, threads=threads) == [
        tok.count_ordinary(t) for t in TEXTS
    ]
    assert tok.encode_batch(TEXTS, ordinary=True) == [tok.encode_ordinary(t) for t in TEXTS]


def test_batch_matches_reference(tok, reference):
    refs = reference.encode_batch(TEXTS, add_special_tokens=False)
    assert tok.encode_batch(TEXTS) == [r.ids for r in refs]


def test_any_sequence_or_iterable_of_str(tok):
    expected = [tok.count(t) for t in TEXTS[:10]]
    assert tok.count_batch(tuple(TEXTS[:10])) == expected
    assert tok.count_batch(t for t in TEXTS[:10]) == expected
    assert tok.count_batch([]) == []
    assert tok.encode_batch([]) == []
    pd = need("pandas")
    # A pandas Series is read through `__arrow_c_stream__` where pandas has it (>= 2.2):
    # Arrow in, Arrow out.
    counts = tok.count_batch(pd.Series(TEXTS[:10]))
    if hasattr(pd.Series, "__arrow_c_stream__"):
        assert counts.to_pylist() == expected
    else:
        assert counts == expected


@pytest.mark.parametrize("arrow_type", [pa.string(), pa.large_string(), pa.string_view()])
def test_arrow_arrays(tok, arrow_type):
    texts = TEXTS[:50] + [None, ""]
    array = pa.array(texts, type=arrow_type)
    counts = tok.count_batch(array)
    assert isinstance(counts, pa.Array) and counts.type == pa.int64()
    assert counts.to_pylist() == [None if t is None else tok.count(t) for t in texts]
    ids = tok.encode_batch(array)
    assert isinstance(ids, pa.Array) and ids.type == pa.large_list(pa.uint32())
    assert ids.to_pylist() == [None if t is None else tok.encode(t) for t in texts]


def test_arrow_sliced_and_chunked(tok):
    array = pa.array(TEXTS[:100])
    sliced = array.slice(17, 40)
    assert tok.count_batch(sliced).to_pylist() == [tok.count(t) for t in TEXTS[17:57]]
    chunked = pa.chunked_array([array.slice(0, 30), array.slice(30, 0), array.slice(30)])
    counts = tok.count_batch(chunked)
    assert counts.to_pylist() == [tok.count(t) for t in TEXTS[:100]]
    large = pa.chunked_array([pa.array(TEXTS[:5], type=pa.large_string())])
    assert tok.encode_batch(large).to_pylist() == [tok.encode(t) for t in TEXTS[:5]]
    table = pa.table({"text": array})
    assert tok.count_batch(table.column("text")).to_pylist() == tok.count_batch(TEXTS[:100])


def test_arrow_input_is_not_copied_into_python_strings(tok):
    # A 30 MB column: counting it must not build a Python str per row (that would show up
    # as tens of MB of new Python objects; the Arrow path allocates only the result).
    import tracemalloc

    array = pa.array(["Hello, world! 你好，世界。" * 20] * 40_000)
    tracemalloc.start()
    counts = tok.count_batch(array)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert counts.to_pylist()[:1] == [tok.count(array[0].as_py())]
    assert peak < 5_000_000


def test_batch_releases_the_gil(tok):
    # While one thread counts a big batch, another keeps running Python code.
    texts = ["Hello, world! " * 300] * 3000
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)

    t = threading.Thread(target=tick)
    t.start()
    try:
        tok.count_batch(texts, threads=1)
    finally:
        done.set()
        t.join()
    assert len(ticks) > 1000


def test_batch_errors(tok):
    with pytest.raises(TypeError, match=r"texts\[1\]: expected str, got int"):
        tok.count_batch(["a", 1])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="got a single str"):
        tok.count_batch("abc")
    with pytest.raises(TypeError, match="expected a sequence of str"):
        tok.count_batch(5)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="expected an Arrow array of strings"):
        tok.count_batch(pa.array([1, 2]))
    with pytest.raises(TypeError, match=r"texts\[0\]: expected str, got NoneType"):
        tok.encode_batch([None])  # type: ignore[list-item]
    with pytest.raises(qwen_meter.InvalidArgumentError, match="threads"):
        tok.count_batch(["a"], threads=0)
