"""Docstring examples that cannot lie: every ``>>>`` example in the package runs, and must print
what it shows.

An example that needs a model, a database or a whole pipeline run is written as a plain usage
block (``Usage::`` and indented code, no ``>>>``); everything else is an example this test runs.
Examples run in an empty folder (the ``isolated`` fixture) with ``tempfile`` pointed into it, so
one that writes a file cannot touch the checkout. Same flags as ``pytest --doctest-modules``
(ELLIPSIS), so either way of running them agrees.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil
import tempfile
import types
from pathlib import Path

import pytest

import vocmine

FLAGS = doctest.ELLIPSIS


def package_modules() -> list[str]:
    """Every module of the package, by name (walked, so a new module is never left out)."""
    return sorted(m.name for m in pkgutil.walk_packages(vocmine.__path__, prefix="vocmine."))


def run_examples(module: types.ModuleType) -> tuple[doctest.TestResults, str]:
    """Run the examples of ``module``'s docstrings; (failed and attempted counts, the report)."""
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in doctest.DocTestFinder().find(module, module.__name__):
        runner.run(test, out=report.write)
    return runner.summarize(verbose=False), report.getvalue()


@pytest.mark.parametrize("name", package_modules())
def test_docstring_examples_show_what_they_print(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # mkdtemp() lands in tmp_path
    results, report = run_examples(importlib.import_module(name))
    assert results.failed == 0, report


def test_the_package_has_examples_to_run() -> None:
    # The walk must reach the modules: a finder that finds nothing would pass every test above.
    names = package_modules()
    assert "vocmine.measure.stats" in names and "vocmine.taxonomy.edit" in names
    results, _ = run_examples(importlib.import_module("vocmine.measure.stats"))
    assert results.attempted >= 10


def test_a_wrong_example_fails() -> None:
    # What the test is for: a planted example whose shown output is not what the code returns.
    planted = types.ModuleType("planted")
    planted.__doc__ = "Example:\n    >>> sorted([3, 1, 2])\n    [1, 2]\n"
    results, report = run_examples(planted)
    assert (results.failed, results.attempted) == (1, 1)
    assert "Expected:" in report and "[1, 2, 3]" in report
