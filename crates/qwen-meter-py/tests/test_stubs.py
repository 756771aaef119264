"""The type stubs: mypy accepts typed use of the API and rejects misuse, and stubtest finds
the stubs consistent with the native module at run time."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import need

need("mypy")

HERE = Path(__file__).parent / "typecheck"


def mypy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--strict", *args],
        capture_output=True,
        text=True,
    )


SOURCE = Path(__file__).resolve().parents[1] / "python" / "qwen_meter"


def test_typed_usage_passes_and_misuse_is_rejected():
    # One mypy run (its start-up dominates) over the package's own source, a typed use of
    # the API, and misuses.
    r = mypy(str(SOURCE), str(HERE / "usage.py"), str(HERE / "wrong.py"))
    errors = [line for line in r.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if "wrong.py" not in e], r.stdout
    lines = sorted({int(e.split(":")[1]) for e in errors if "wrong.py" in e})
    assert lines == [6, 7, 8, 9, 10, 11], r.stdout


def test_stubtest_agrees_with_the_module():
    r = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "qwen_meter._native"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_package_ships_stubs_and_marker():
    import qwen_meter

    root = Path(qwen_meter.__file__).parent
    assert (root / "py.typed").exists()
    assert (root / "_native.pyi").exists()
