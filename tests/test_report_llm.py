"""`vocmine report` with [llm] enabled: drafts come from the endpoint once, then from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vocmine.cli.app import app
from vocmine.config import load_config

from .fake_llm import serve_fake_llm
from .helpers import store_records
from .test_report import planted

KEY = "sk-test-never-shown-0123456789"
MARK = "Drafted by a language model from the figures above; check before quoting."


def _project_with_items(project: Path, base_url: str) -> None:
    config = project / "vocmine.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f'\n[llm]\nenabled = true\nbase_url = "{base_url}"\nmodel = "fake-model"\n',
        encoding="utf-8",
    )
    store_records(load_config(config), planted())


def _report(project: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["report", "--month", "2026-10"], catch_exceptions=False)
    text = (project / "reports" / "2026-10.md").read_text(encoding="utf-8")
    return result.exit_code, text, result.output


def test_report_drafts_once_then_reads_the_cache(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOCMINE_LLM_API_KEY", KEY)
    with serve_fake_llm() as fake:
        fake.answer = "Bank transfers are the problem that grew most this month."
        _project_with_items(project, fake.url)
        code, first, output = _report(project)
        assert code == 0
        assert fake.answer in first and MARK in first
        calls = len(fake.requests)
        assert calls >= 1
        code, second, _ = _report(project)
        assert second == first  # byte-identical from the cache
        assert len(fake.requests) == calls  # and the endpoint was not asked again
    assert KEY not in output and KEY not in first


def test_report_is_written_when_the_endpoint_fails(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOCMINE_LLM_API_KEY", KEY)
    with serve_fake_llm() as fake:
        fake.status = 500
        _project_with_items(project, fake.url)
        code, text, output = _report(project)
    assert code == 0
    assert MARK not in text
    assert "## In one minute" in text
    assert "warning" in output.lower() and KEY not in output
