"""Shared fixtures of the pytest suite: the repository's test inputs, generated strings, and
the reference tokenizer (Hugging Face `tokenizers` loading the official Qwen3 tokenizer.json
that the Rust parity tests use too)."""

import gzip
import importlib
import os
import random
import re
from pathlib import Path
from typing import List

import pytest

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures"

def need(module: str):
    """`module`, imported; where it is missing the test is skipped, except under
    QWEN_METER_PY_STRICT=1 (test.sh sets it: there a missing dependency is a failure)."""
    if os.environ.get("QWEN_METER_PY_STRICT") == "1":
        return importlib.import_module(module)
    return pytest.importorskip(module)


_ESCAPE = re.compile(r"\\(?:u\{([0-9A-Fa-f]+)\}|(.))")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "0": "\0", "'": "'", '"': '"'}


def unescape(line: str) -> str:
    """A regressions.txt line (Rust-style escapes) as the string it stands for."""

    def one(m: "re.Match[str]") -> str:
        if m.group(1) is not None:
            return chr(int(m.group(1), 16))
        return _SIMPLE.get(m.group(2), "\\" + m.group(2))

    return _ESCAPE.sub(one, line)


def fixture_texts() -> List[str]:
    """Every case of tests/fixtures: real-text.txt blocks and regressions.txt lines."""
    real = (FIXTURES / "real-text.txt").read_text(encoding="utf-8")
    blocks = [b.strip("\n") for b in real.split("\n-----\n")]
    regressions = [
        unescape(line)
        for line in (FIXTURES / "regressions.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    return blocks + regressions + [real]


# Pieces generated strings are made of: the character classes the pre-tokenizer and NFC
# treat differently, special tokens, and whitespace runs.
_PIECES = [
    "a", "Z", "ſ", "K", "é", "é", "ﬁ", "ß", "İ", "1", "23", "٣", "五", "中文", "日本語", "한국어",
    "ا", "ह", "ि", "ไ", "👋", "👨‍👩‍👧", "🇨🇳", "\u0301", "\u200d", "\ufeff", " ", "  ", "\t",
    "\n", "\r\n", "\u3000", "\u00a0", "'s", "'LL", "’t", ".", ",", "!?", "...", "—", "«", "$",
    "{", "}", "()", "=>", "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<think>", "<|im_",
    "\x00", "\x7f", "\ud7ff", "\U0010ffff",
]


def generated_texts(n: int, seed: int = 16) -> List[str]:
    """`n` deterministic strings of 0-200 random pieces."""
    rng = random.Random(seed)
    return [
        "".join(rng.choice(_PIECES) for _ in range(rng.randrange(0, 200)))
        for _ in range(n)
    ]


@pytest.fixture(scope="session")
def reference():
    """The reference tokenizer, or a skip where the `tokenizers` package is missing."""
    tokenizers = need("tokenizers")
    data = gzip.decompress((FIXTURES / "qwen3-tokenizer.json.gz").read_bytes())
    return tokenizers.Tokenizer.from_str(data.decode("utf-8"))


@pytest.fixture(scope="session")
def tokenizer_json() -> bytes:
    return gzip.decompress((FIXTURES / "qwen3-tokenizer.json.gz").read_bytes())


ROWS = 100_000


@pytest.fixture(scope="session")
def parquet_dataset(tmp_path_factory):
    """A generated Parquet dataset of ROWS documents (a few null) and its expected counts,
    from the Rust core through `count_batch`: (path, sum of counts, sum of count x id)."""
    pa = need("pyarrow")
    pq = need("pyarrow.parquet")
    from qwen_meter import Tokenizer

    rng = random.Random(100_000)
    corpus = [t for t in fixture_texts() if t]
    texts = []
    for i in range(ROWS):
        if i % 9973 == 0:
            texts.append(None)
            continue
        base = corpus[rng.randrange(len(corpus))]
        start = rng.randrange(len(base))
        texts.append(base[start : start + rng.randrange(1, 400)] + " " + str(i))
    table = pa.table({"id": pa.array(range(ROWS), pa.int64()), "text": pa.array(texts)})
    path = tmp_path_factory.mktemp("dataset") / "docs.parquet"
    pq.write_table(table, path, row_group_size=25_000)
    counts = Tokenizer.qwen3().count_batch(table.column("text")).to_pylist()
    total = sum(c for c in counts if c is not None)
    weighted = sum(c * i for i, c in enumerate(counts) if c is not None)
    return path, total, weighted, counts
