"""Issue 12: the report knows when the taxonomy does not fit the month, and names intents to retire."""

from __future__ import annotations

import shlex
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from vocmine.cli.app import app
from vocmine.config import load_config
from vocmine.measure.fit import MIN_RETIRE_ITEMS, TaxonomyFit, taxonomy_fit
from vocmine.report.html import render_html
from vocmine.taxonomy.changelog import added_days
from vocmine.taxonomy.model import load_taxonomy

from .conftest import ROOT
from .helpers import raw
from .test_report import CRASH, LOGIN, TRANSFER, build, cells, planted

TAXONOMY = load_taxonomy(ROOT / "taxonomy")
KNOWN = ("cashout.bank_transfer_delay", "app.crash", "account.login")


def frame(months: dict[str, int], *, days: int = 28, unassigned: float = 0.0) -> pd.DataFrame:
    """``n`` items per month over ``days`` days, the three KNOWN intents in turn, some unassigned."""
    rows = []
    for month, n in months.items():
        cut = round(n * unassigned)
        for i in range(n):
            intent = "unassigned" if i < cut else KNOWN[i % 3]
            rows.append({"month": month, "day": f"{month}-{1 + i % days:02d}", "intent_id": intent})
    return pd.DataFrame(rows)


def fit_of(data: pd.DataFrame, month: str = "2026-10", **kw: object) -> TaxonomyFit:
    args: dict = {"unassigned_warning": 0.4, "retire_after_months": 3, "added": {}} | kw
    return taxonomy_fit(data, TAXONOMY, month=month, **args)


def test_defaults() -> None:
    report = load_config(None).report
    assert (report.unassigned_warning, report.retire_after_months) == (0.4, 3)


THREE = {"2026-08": 250, "2026-09": 250, "2026-10": 250}


@pytest.mark.parametrize(
    ("share", "warned"), [(0.81, True), (0.41, True), (0.40, False), (0.1, False), (0.0, False)]
)
def test_warning_only_above_the_share(share: float, warned: bool) -> None:
    fit = fit_of(frame({"2026-10": 1000}, unassigned=share))
    assert fit.items == 1000 and fit.unassigned == round(1000 * share)
    assert fit.warn is warned


@pytest.mark.parametrize(("items", "warned"), [(10, False), (29, False), (30, True), (200, True)])
def test_no_fit_warning_from_a_handful_of_items(items: int, warned: bool) -> None:
    # 80% unassigned of a 10-item month is 8 items: not enough to say the taxonomy does not fit.
    fit = fit_of(frame({"2026-10": items}, unassigned=0.8))
    assert fit.items == items and fit.share > fit.threshold
    assert fit.warn is warned


def test_intents_without_items_are_candidates_unless_added_in_the_window() -> None:
    added = {
        "support.no_response": "2026-08-01",
        "app.bug": "2026-07-31",
        "app.crash": "2026-10-02",
    }
    fit = fit_of(frame(THREE), added=added)
    ids = [c.intent_id for c in fit.candidates]
    assert fit.window == ("2026-08", "2026-09", "2026-10") and fit.window_items == 750
    assert not set(KNOWN) & set(ids)  # intents with items never, however recent
    assert "support.no_response" not in ids and fit.recent == ("support.no_response",)
    assert "app.bug" in ids  # added the day before the window: it had the three months
    assert {c.intent_id: c.added for c in fit.candidates}["app.bug"] == "2026-07-31"
    assert len(ids) == len(TAXONOMY.intents) - 3 - 1
    assert ids == [i.id for i in TAXONOMY.intents if i.id in ids]  # taxonomy order


def test_one_item_in_any_month_of_the_window_keeps_an_intent() -> None:
    data = frame(THREE)
    data.loc[0, "intent_id"] = "app.bug"  # August: the window's oldest month
    assert "app.bug" not in [c.intent_id for c in fit_of(data).candidates]
    # ... but an item before the window does not
    older = pd.concat([frame({"2026-07": 30}).assign(intent_id="app.bug"), frame(THREE)])
    assert "app.bug" in [c.intent_id for c in fit_of(older).candidates]


def test_the_window_is_the_last_months_with_data_not_the_calendar() -> None:
    # Nothing stored in September: the three months with data are July, August and October.
    data = frame({"2026-07": 250, "2026-08": 250, "2026-10": 250})
    fit = fit_of(data)
    assert fit.window == ("2026-07", "2026-08", "2026-10") and fit.candidates


@pytest.mark.parametrize(
    ("months", "days", "why"),
    [
        ({"2026-09": 400, "2026-10": 400}, 28, "2 month(s) with data up to 2026-10, 3 needed"),
        (
            {"2026-08": 150, "2026-09": 150, "2026-10": 150},
            28,
            f"450 items in 2026-08 to 2026-10; {MIN_RETIRE_ITEMS:,} needed",
        ),
        (THREE, 5, "2026-08 covers 5 days (at least 7 needed)"),
    ],
)
def test_no_retire_claim_from_too_little_data(months: dict, days: int, why: str) -> None:
    fit = fit_of(frame(months, days=days))
    assert not fit.candidates and not fit.window and why in fit.not_judged


def test_retire_after_months_sets_the_window() -> None:
    data = frame({"2026-06": 300, "2026-07": 300, **THREE})
    assert fit_of(data, retire_after_months=5).window == (
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
    )
    assert "5 needed" in fit_of(frame(THREE), retire_after_months=5).not_judged


def test_changelog_days_of_added_intents(tmp_path: Path) -> None:
    (tmp_path / "CHANGELOG.md").write_text(
        "# Taxonomy changelog\n\n"
        "## 2026-12-01 hand-edit\n"
        "- change: edited by hand: added app.new_a, app.new_b; modified app.crash "
        "(files: app.yaml)\n\n"
        "## 2026-11-23 accept\n"
        "- change: accepted proposal p3 as new intent 'app.from_discovery'\n\n"
        "## 2026-11-22 add-intent\n"
        "- change: added intent 'app.by_command' (5 examples: en)\n\n"
        "## 2026-11-21 accept\n"
        "- change: added 4 examples of proposal to 'app.crash'\n\n"
        "## 2026-11-20 hand-edit\n"
        "- change: edited by hand: removed app.old; modified app.bug (files: app.yaml)\n",
        encoding="utf-8",
    )
    assert added_days(tmp_path) == {
        "app.new_a": "2026-12-01",
        "app.new_b": "2026-12-01",
        "app.from_discovery": "2026-11-23",
        "app.by_command": "2026-11-22",
    }
    assert added_days(tmp_path / "none") == {}


def test_a_drafted_taxonomy_counts_every_intent_as_added_on_the_draft_day(tmp_path: Path) -> None:
    # A draft names no ids in its changelog line; without this its intents would look old
    # enough to retire in the first quiet month.
    (tmp_path / "CHANGELOG.md").write_text(
        "# Taxonomy changelog\n\n"
        "## 2026-12-03 add-intent\n"
        "- change: added intent 'app.later' (5 examples: en)\n\n"
        "## 2026-12-02 draft\n"
        "- change: drafted 2 intents in 1 categories from 900 items (all months)\n",
        encoding="utf-8",
    )
    ids = ["app.drafted", "app.later"]
    assert added_days(tmp_path, ids) == {"app.drafted": "2026-12-02", "app.later": "2026-12-03"}
    assert added_days(tmp_path) == {"app.later": "2026-12-03"}


def noise(n: int, month: int = 10) -> list:
    """Texts that share nothing with the taxonomy's examples: they stay unassigned."""
    return [
        raw(f"z{month}-{i}", f"qqxz{i} wvvk{i % 7} plmb yyhj", month=month, day=1 + i % 28)
        for i in range(n)
    ]


def summary(report: str) -> list[str]:
    part = report[report.index("## In one minute") :]
    return part[: part.index("\n## ", 4)].strip().splitlines()[2:]


def test_a_month_that_does_not_fit_says_so_first(project: Path) -> None:
    # October: 81 planted items that match their intents and 150 that match none (65%)
    report = build(project, [*planted(), *noise(150)])
    lines = summary(report)
    assert lines[0] == (
        "- **The taxonomy does not fit this month:** 65% of 231 items (150) matched no intent "
        "(warning above 40%, `[report] unassigned_warning`), so the themes below describe only "
        "the 35% that did. Run `vocmine discover --month 2026-10` to propose intents from the "
        "unassigned feedback (or `vocmine taxonomy draft` to draw a first taxonomy from the data, "
        "for a new product) before reading the themes below."
    )
    assert lines[1].startswith(
        "- **Top problems of the taxonomy** (only 35% of the month matched an intent: the largest "
        "themes it knows, not necessarily the month's main problems): **Bank transfer not "
        "received** (41, 17.7% of feedback)"
    )
    top = report[report.index("## Top problems") :]
    assert "**Only 35% of this month's items matched an intent**" in top[:400]
    # the HTML page is rendered from the same Markdown: the same warning, first
    page = render_html(report, base_dir=project / "reports")
    first = page[page.index("In one minute") :]
    assert first.index("The taxonomy does not fit this month") < first.index("Top problems")
    # a higher share in vocmine.toml: no warning for the same month
    with (project / "vocmine.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[report]\nunassigned_warning = 0.7\n")
    relaxed = build(project, [])
    assert "does not fit" not in relaxed
    assert summary(relaxed)[0].startswith("- **Top problems** (volume, growth and impact): ")


def test_a_month_that_fits_has_no_warning(project: Path) -> None:
    report = build(project, [*planted(), *noise(10)])  # 10 of 91 unassigned
    assert "does not fit" not in report and "**Only" not in report
    assert summary(report)[0] == (
        "- **Top problems** (volume, growth and impact): **Bank transfer not received** (41), "
        "**Cannot log in** (20), **Crashes and freezes** (20)."
    )
    # two months of data: no intent is called a candidate to retire
    assert "Intents to retire" not in report and "**Taxonomy:**" not in report


def three_months() -> list:
    """August to October 2026: 210 items a month, the same three intents; 630 in all."""
    out = []
    for month in (8, 9, 10):
        for i in range(210):
            text = (TRANSFER, CRASH, LOGIN)[i % 3]
            out.append(
                raw(f"{month}-{i}", f"{text} ({i} fois)", month=month, day=1 + i % 28, rating=2.0)
            )
    return out


@pytest.mark.parametrize("months", [6, 2])  # 2: the retire window reaches before the report's
def test_intents_without_items_for_three_months_are_listed_to_retire(
    project: Path, months: int
) -> None:
    with (project / "vocmine.toml").open("a", encoding="utf-8") as fh:
        fh.write(f"\n[report]\nmonths = {months}\nretire_after_months = 3\n")
    (project / "taxonomy" / "CHANGELOG.md").write_text(
        "# Taxonomy changelog\n\n"
        "## 2026-09-15 add-intent\n- change: added intent 'support.no_response' (5 examples)\n\n"
        "## 2026-01-10 add-intent\n- change: added intent 'ads.too_many_ads' (5 examples)\n",
        encoding="utf-8",
    )
    report = build(project, three_months())
    section = report[report.index("## Intents to retire") :]
    section = section[: section.index("\n## ")]
    n = len(TAXONOMY.intents) - 3 - 1
    assert (
        f"- **Taxonomy:** {n} of {len(TAXONOMY.intents)} intents had no item in August 2026 "
        "to October 2026: candidates to retire (see Intents to retire)."
    ) in report
    assert "none among 630 items puts each under 0.48% of feedback" in section
    assert cells(section, "Too many ads") == ["`ads.too_many_ads`", "2026-01-10"]
    assert cells(section, "Steps not counted") == [
        "`tracking.steps_not_counted`",
        "not in the changelog",
    ]
    # One command retires them all (re-assigning once); run as printed, it does.
    block = section[section.index("```sh\n") + 6 :]
    words = shlex.split(block[: block.index("```")].replace("\\\n", " "))
    assert words[:3] == ["vocmine", "taxonomy", "retire"]
    assert words[-2:] == ["--reason", "no item in August 2026 to October 2026"]
    listed = words[3:-2]
    assert len(listed) == n and "tracking.steps_not_counted" in listed
    result = CliRunner().invoke(app, ["--config", str(project / "vocmine.toml"), *words[1:]])
    assert result.exit_code == 0, result.output
    assert set(listed) <= set(load_taxonomy(project / "taxonomy").retired)
    for known in KNOWN:  # they have items
        assert f"`{known}`" not in section
    # added in September, inside the window: too recent to judge
    assert "support.no_response" not in listed
    assert "Not listed though without items: `support.no_response`, added on or after " in section
