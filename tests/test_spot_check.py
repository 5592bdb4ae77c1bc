"""`vocmine spot-check`: a sheet of random items per top problem, read by a person, and the
reading on the report's problem cards.

The database is built through the real pipeline with the fake model from records planted here:
October holds two problem themes with a report section each (transfers, crashes), September one
item only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from vocmine.cli.app import app
from vocmine.config import load_config
from vocmine.measure.spotcheck import COLUMNS, answer
from vocmine.measure.stats import wilson

from .helpers import raw, store_records

runner = CliRunner()
TRANSFER = "Mon virement bancaire n'est toujours pas arrivé sur mon compte"
CRASH = "L'application plante et se ferme au démarrage"
SHEET = Path("reports") / "2026-10-spot-check.csv"


def planted() -> list:
    transfers = [raw(f"t{n}", f"{TRANSFER} {tail}", day=n + 1, rating=1.0) for n, tail in
                 enumerate(["depuis dix jours", "toujours rien", "encore", "help", "svp",
                            "depuis lundi", "une semaine"])]  # fmt: skip
    crashes = [raw(f"c{n}", f"{CRASH} {tail}", day=n + 1, rating=2.0) for n, tail in
               enumerate(["encore", "depuis la mise à jour", "sur Android", "ce matin",
                          "tout le temps", "sans arrêt"])]  # fmt: skip
    return [*transfers, *crashes, raw("sep", f"{TRANSFER} en septembre", day=20, month=9)]


@pytest.fixture
def db(project: Path) -> Path:
    cfg = load_config(project / "vocmine.toml")
    store_records(cfg, planted())
    return cfg.db


def vocmine(*args: str) -> object:
    return runner.invoke(app, list(args), catch_exceptions=False)


def report_order(project: Path) -> list[str]:
    assert vocmine("report", "--month", "2026-10").exit_code == 0
    text = (project / "reports" / "2026-10.md").read_text(encoding="utf-8")
    return re.findall(r"^### \d+\. .*\n\n`([^`]+)`", text, flags=re.MULTILINE)


def export_intents(project: Path) -> dict[str, str]:
    assert vocmine("export", "--month", "2026-10").exit_code == 0
    frame = pd.read_csv(project / "reports" / "2026-10-items.csv", dtype=str)
    return dict(zip(frame["external_id"], frame["intent_id"], strict=True))


def sheet(project: Path) -> pd.DataFrame:
    return pd.read_csv(project / SHEET, dtype=str, keep_default_na=False)


def answer_rows(project: Path, answers: dict[int, str]) -> None:
    frame = sheet(project)
    for row, said in answers.items():
        frame.loc[row, "on_theme"] = said
    frame.to_csv(project / SHEET, index=False)


def test_draws_the_reports_top_problems_in_its_order_and_the_same_again(
    db: Path, project: Path
) -> None:
    order = report_order(project)
    assert sorted(order) == ["app.crash", "cashout.bank_transfer_delay"]
    result = vocmine("spot-check", "--month", "2026-10", "--per-intent", "3")
    assert result.exit_code == 0, result.output
    assert f"wrote {project / SHEET}: 6 items of 2 top problems ({', '.join(order)})" in (
        result.output.replace("\n", " ")
    )
    drawn = sheet(project)
    assert list(drawn.columns) == COLUMNS
    assert drawn["intent_id"].drop_duplicates().tolist() == order
    assert (drawn["on_theme"] == "").all()
    now = export_intents(project)
    assert all(now[e] == i for e, i in zip(drawn["external_id"], drawn["intent_id"], strict=True))
    assert drawn["external_id"].is_unique
    names = drawn.set_index("intent_id")["intent_name"].to_dict()
    assert names["app.crash"] == "Crashes and freezes"
    before = (project / SHEET).read_bytes()
    assert vocmine("spot-check", "--month", "2026-10", "--per-intent", "3").exit_code == 0
    assert (project / SHEET).read_bytes() == before  # no answer yet: drawn again, identically


def test_a_sheet_with_answers_is_kept_tallied_and_only_forced_over(db: Path, project: Path) -> None:
    assert vocmine("spot-check", "--month", "2026-10", "--per-intent", "3").exit_code == 0
    first = sheet(project)["intent_id"].iloc[0]
    other = sheet(project)["intent_id"].iloc[3]
    answer_rows(project, {0: "y", 1: " N ", 2: "maybe"})
    kept = (project / SHEET).read_bytes()
    result = vocmine("spot-check", "--month", "2026-10", "--per-intent", "3", "--seed", "8")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        f"kept {project / SHEET}: 3 of 6 items answered (--force draws a new sheet over the "
        "answers)"
    )
    low, high = wilson(1, 2)
    assert lines[1] == (
        f"  {first}: 1 of 2 on theme (50%, 95% interval {low:.0%}-{high:.0%}), 1 not y or n, "
        "0 to read"
    )
    assert lines[2] == f"  {other}: none read, 3 to read"
    assert (project / SHEET).read_bytes() == kept
    result = vocmine("spot-check", "--month", "2026-10", "--per-intent", "2", "--force")
    assert result.exit_code == 0, result.output
    assert len(sheet(project)) == 4 and (sheet(project)["on_theme"] == "").all()


def test_the_report_shows_the_reading_and_leaves_out_moved_items(db: Path, project: Path) -> None:
    order = report_order(project)
    report = project / "reports" / "2026-10.md"
    assert "Read by a person" not in report.read_text(encoding="utf-8")
    assert vocmine("spot-check", "--month", "2026-10", "--per-intent", "3").exit_code == 0
    frame = sheet(project)
    # Row 3 was drawn from the second problem; read as if it were the first one's, it stands
    # for an item an edit moved away from the intent it was read under.
    frame.loc[3, "intent_id"] = order[0]
    frame.loc[[0, 1, 2, 3], "on_theme"] = ["y", "y", "n", "y"]
    frame.to_csv(project / SHEET, index=False)
    assert vocmine("report", "--month", "2026-10").exit_code == 0
    text = report.read_text(encoding="utf-8")
    low, high = wilson(2, 3)
    expected = (
        f"**Read by a person:** 2 of 3 random items on theme (67%; 95% interval "
        f"{100 * low:.0f}%-{100 * high:.0f}%) in [2026-10-spot-check.csv](2026-10-spot-check.csv) "
        "(1 more read before an edit moved them)."
    )
    assert re.search(
        r"\| Spot check +\| `2026-10-spot-check.csv`: 3 answers counted for 1 intent +\|", text
    )
    first = text[text.index("### 1.") : text.index("### 2.")]
    assert expected in first
    second = text[text.index("### 2.") :]
    assert "Read by a person" not in second.split("### 3.")[0]  # nothing of it answered


def test_errors_name_the_fix_and_write_nothing(db: Path, project: Path) -> None:
    result = vocmine("spot-check", "--month", "2026-09")
    assert result.exit_code != 0
    assert "no problem theme has a section in the 2026-09 report" in result.output
    assert not (project / "reports" / "2026-09-spot-check.csv").exists()
    result = vocmine("spot-check", "--month", "2026-10", "--per-intent", "0")
    assert result.exit_code != 0 and "must be 1 or more" in result.output
    assert not (project / SHEET).exists()
    (project / SHEET).parent.mkdir(exist_ok=True)
    (project / SHEET).write_text("id,verdict\n1,y\n", encoding="utf-8")
    for command in (["spot-check", "--month", "2026-10"], ["report", "--month", "2026-10"]):
        result = vocmine(*command)
        assert result.exit_code != 0
        assert (
            result.output.strip()
            .splitlines()[-1]
            .endswith(
                "has no column intent_id, source, external_id, on_theme; save it as CSV with "
                "its header row, or draw a new one with 'vocmine spot-check --month 2026-10 "
                "--force'"
            )
        )
    assert vocmine("spot-check", "--month", "2026-10", "--force").exit_code == 0
    assert list(sheet(project).columns) == COLUMNS


@pytest.mark.parametrize(
    ("value", "expected"),
    [("y", True), ("YES", True), ("1", True), ("oui", True), ("n", False), (" no ", False),
     ("0", False), ("non", False), ("", None), ("  ", None), (None, None)],
)  # fmt: skip
def test_answers_are_read_in_the_usual_spellings(value: object, expected: bool | None) -> None:
    assert answer(value) is expected


def test_anything_else_is_not_an_answer() -> None:
    for value in ("maybe", "?", "yy", "2"):
        with pytest.raises(ValueError):
            answer(value)


def test_a_sheet_saved_by_a_french_spreadsheet_still_counts(db: Path, project: Path) -> None:
    assert vocmine("spot-check", "--month", "2026-10", "--per-intent", "3").exit_code == 0
    frame = sheet(project)
    frame.loc[[0, 1, 2], "on_theme"] = ["oui", "non", "oui"]
    # Excel in a French locale: ";" between cells, cp1252 text ("é" of "démarrage", "arrivé").
    frame.to_csv(project / SHEET, index=False, sep=";", encoding="cp1252")
    result = vocmine("spot-check", "--month", "2026-10")
    assert result.exit_code == 0, result.output
    assert "3 of 6 items answered" in result.output
    assert f"  {frame.loc[0, 'intent_id']}: 2 of 3 on theme (67%" in result.output


def test_a_theme_whose_read_items_all_moved_says_so(db: Path, project: Path) -> None:
    order = report_order(project)
    assert vocmine("spot-check", "--month", "2026-10", "--per-intent", "3").exit_code == 0
    frame = sheet(project)
    # The first problem's three items, read as if under the second: none is in it now.
    frame.loc[[0, 1, 2], "intent_id"] = order[1]
    frame.loc[[0, 1, 2], "on_theme"] = ["y", "n", "y"]
    frame.to_csv(project / SHEET, index=False)
    assert vocmine("report", "--month", "2026-10").exit_code == 0
    text = (project / "reports" / "2026-10.md").read_text(encoding="utf-8")
    second = text[text.index("### 2.") :]
    assert (
        "**Read by a person:** no item read in [2026-10-spot-check.csv](2026-10-spot-check.csv) "
        "is still in this theme (3 read before an edit moved them)."
    ) in second
    assert "Read by a person" not in text[text.index("### 1.") : text.index("### 2.")]
