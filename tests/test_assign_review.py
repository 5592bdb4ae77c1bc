"""`vocmine assign --borderline N`: the closest calls, for a person to review."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from vocmine.cli.app import app

runner = CliRunner()


def test_borderline_lists_the_smallest_gaps_first(project: Path) -> None:
    csv = project / "reviews.csv"
    csv.write_text(
        "id,text,date\n"
        "1,Way too many ads,2026-10-01\n"
        "2,ads and points and crashes and transfers,2026-10-02\n"
        "3,The app crashes on start,2026-10-02\n"
        "4,my bank transfer never arrived,2026-10-03\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["ingest", "file", str(csv), "--kind", "review"]).exit_code == 0
    result = runner.invoke(app, ["assign", "--borderline", "2"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(project / "vocmine.db")
    gaps = conn.execute(
        "SELECT i.external_id, a.score - a.runner_up_score FROM assignments a "
        "JOIN items i ON i.id = a.item_id ORDER BY 2, i.id"
    ).fetchall()
    conn.close()
    shown = [line for line in result.output.splitlines() if "2026-10" in line]
    assert len(shown) == 2
    closest = [external_id for external_id, _ in gaps[:2]]
    widest = gaps[-1][0]
    texts = {"1": "Way too many ads", "2": "ads and points", "3": "The app crashes", "4": "bank"}
    for external_id in closest:
        assert any(texts[external_id] in line for line in shown)
    assert not any(texts[widest] in line for line in shown)
