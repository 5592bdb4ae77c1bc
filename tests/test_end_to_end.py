"""End to end with the model `make demo` uses: examples/ in, report out, planted facts stated.

Ingests July to October of the examples (a slice, to keep CI fast) through the CLI exactly as a
user would, then reads the report the way a product manager would: what got worse, what got better,
which release the crash comes from, and that no planted personal data shows anywhere.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from vocmine.cli.app import app
from vocmine.taxonomy.model import load_taxonomy

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parent.parent


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "examples_generate", ROOT / "examples" / "generate.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A project reading the repository's examples in place, with its own database."""
    project = tmp_path_factory.mktemp("e2e")
    config = (ROOT / "vocmine.toml").read_text(encoding="utf-8")
    config = config.replace('db = ".demo/vocmine.db"', f'db = "{project / "vocmine.db"}"')
    # A copy: discovery writes its proposals next to the taxonomy, never into the repository.
    shutil.copytree(
        ROOT / "taxonomy", project / "taxonomy", ignore=shutil.ignore_patterns("proposals")
    )
    config = config.replace('taxonomy = "taxonomy"', f'taxonomy = "{project / "taxonomy"}"')
    config = config.replace('reports = "reports"', f'reports = "{project / "reports"}"')
    config = config.replace('path = "examples/', f'path = "{ROOT / "examples"}/')
    (project / "vocmine.toml").write_text(config, encoding="utf-8")
    runner = CliRunner()
    args = ["--config", str(project / "vocmine.toml")]
    ingested = runner.invoke(
        app, [*args, "ingest", "--since", "2026-07-01"], catch_exceptions=False
    )
    assert ingested.exit_code == 0, ingested.output
    again = runner.invoke(app, [*args, "ingest", "--since", "2026-07-01"], catch_exceptions=False)
    assert "embedded 0 new texts; assigned 0 items" in again.output
    assert re.search(r"│ zendesk\s+│\s+\d+ │\s+0 │\s+0 │", again.output)  # nothing new
    # As `make demo` does: "auto" picks the multilingual model for these mostly French items, and
    # discovery finds the new theme among the unassigned items only.
    found = runner.invoke(app, [*args, "discover", "--month", "2026-10"])
    assert found.exit_code == 0, found.output
    reported = runner.invoke(app, [*args, "report", "--month", "2026-10"], catch_exceptions=False)
    assert reported.exit_code == 0, reported.output
    yield project, (project / "reports" / "2026-10.md").read_text(encoding="utf-8")


def names() -> dict[str, str]:
    return {i.id: i.name for i in load_taxonomy(ROOT / "taxonomy").intents}


def summary_line(report: str, label: str) -> str:
    (line,) = [ln for ln in report.splitlines() if ln.startswith(f"- **{label}:**")]
    return line


def section(report: str, intent_id: str) -> str:
    start = report.index(f"`{intent_id}`")
    end = report.find("\n### ", start)
    return report[start:end]


def test_bank_transfer_delays_doubled(demo: tuple[Path, str]) -> None:
    _, report = demo
    assert names()["cashout.bank_transfer_delay"] in summary_line(report, "Got worse")
    items = re.search(
        r"\| Items\s+\|\s+(\d+) \|\s+(\d+) a month \|",
        section(report, "cashout.bank_transfer_delay"),
    )
    assert items is not None
    october, before = int(items.group(1)), int(items.group(2))  # against the monthly baseline
    assert october >= 1.6 * before


def test_new_crash_after_release_4_12_0(demo: tuple[Path, str]) -> None:
    _, report = demo
    assert names()["app.crash"] in summary_line(report, "Got worse")
    versions = re.search(
        r"App versions \(\d+ items with one\): ([\d.]+) \d+ \((\d+)%\)",
        section(report, "app.crash"),
    )
    assert versions is not None
    assert versions.group(1) == "4.12.0"
    assert int(versions.group(2)) >= 60


def test_crash_spike_is_dated_after_the_release(demo: tuple[Path, str]) -> None:
    _, report = demo
    spike = re.search(
        r"\*\*Spike:\*\* (2026-10-\d\d) to (2026-10-\d\d)", section(report, "app.crash")
    )
    assert spike is not None
    # planted: nothing before the 8 October release, the daily spike on 8-12 October
    assert "2026-10-08" <= spike.group(1) <= "2026-10-09"
    assert "2026-10-11" <= spike.group(2) <= "2026-10-13"
    assert "**Concentrated in app version 4.12.0:**" in section(report, "app.crash")


def test_no_false_rising_on_stable_themes(demo: tuple[Path, str]) -> None:
    _, report = demo
    rising = {"app.crash", "cashout.bank_transfer_delay"}
    body = report.split("## Appendix")[0]
    for intent_id, name in names().items():
        if intent_id in rising:
            continue
        rows = [ln for ln in body.splitlines() if ln.startswith(f"|   {name} ")]
        assert all("rising" not in row for row in rows), name
    table = body[body.index("## Rising and emerging") : body.index("## Falling")]
    assert {n for i, n in names().items() if n in table} <= {names()[i] for i in rising}


def test_gift_card_complaints_fell(demo: tuple[Path, str]) -> None:
    _, report = demo
    assert names()["cashout.gift_card_issue"] in summary_line(report, "Got better")


def test_stable_login_is_not_called_rising_or_falling(demo: tuple[Path, str]) -> None:
    _, report = demo
    login = names()["account.login"]
    assert login not in summary_line(report, "Got worse")
    assert login not in summary_line(report, "Got better")
    (row,) = [ln for ln in report.splitlines() if ln.startswith(f"|   {login} ")]
    assert row.rstrip(" |").endswith("stable (within noise)")


def test_report_links_charts_that_exist(demo: tuple[Path, str]) -> None:
    project, report = demo
    for link in re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", report):
        assert (project / "reports" / link).read_bytes().startswith(b"\x89PNG")
    assert "2026-10/top-themes.png" in report


def test_no_planted_personal_data_anywhere(demo: tuple[Path, str]) -> None:
    project, report = demo
    pii = generator().planted_pii()
    assert len(pii) > 100
    stored = stored_values(project / "vocmine.db")
    leaked = [p for p in pii if p in report or p in stored]
    assert leaked == []


def stored_values(db: Path) -> str:
    """Every value of every table, except hex digests (a digit run inside one is not data)."""
    conn = sqlite3.connect(db)
    values = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        wanted = [c for c in columns if not c.endswith(("hash", "_key", "vector")) and c != "value"]
        if wanted:
            for row in conn.execute(f"SELECT {', '.join(wanted)} FROM {table}"):
                values.extend(str(v) for v in row if v is not None)
    conn.close()
    return "\n".join(values)


def test_new_team_challenges_theme_is_found_and_called_new(demo: tuple[Path, str]) -> None:
    """F6: team challenges, absent before September, are outside the taxonomy: discovery finds
    them and the report calls them new on their share of feedback, not on raw counts."""
    _, report = demo
    rising = report[report.index("## Rising and emerging") : report.index("## Falling")]
    outside = rising[rising.index("Outside the taxonomy") :]
    new = re.findall(r"P\d+ ([^(]+) \(new; ", outside)
    assert new, outside
    proposals = (demo[0] / "taxonomy" / "proposals" / "2026-10.yaml").read_text(encoding="utf-8")
    # The name comes from the theme's most frequent words, in whichever of the data's four
    # languages they are: "Equipo / Invitación" is the Spanish for team / invitation.
    team_words = (
        "équipe",
        "equipo",
        "team",
        "défi",
        "reto",
        "challenge",
        "classement",
        "leaderboard",
    )
    assert any(any(w in name.lower() for w in team_words) for name in new), new
    assert "team" in proposals or "équipe" in proposals
    summary = report[report.index("## In one minute") : report.index("## Headline figures")]
    assert "(new, found by discovery:" in summary
