"""The docstring examples of the package run and hold."""

import doctest

import pytest

import qwen_meter
import qwen_meter.ray
import qwen_meter.spark


@pytest.mark.parametrize("module", [qwen_meter, qwen_meter.ray, qwen_meter.spark])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_native_docstrings_have_examples():
    finder = doctest.DocTestFinder()
    tests = [t for t in finder.find(qwen_meter._native.Tokenizer) if t.examples]
    assert len(tests) >= 5
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for t in tests:
        t.globs = {"qwen_meter": qwen_meter, "Tokenizer": qwen_meter.Tokenizer}
        runner.run(t)
    assert runner.failures == 0
