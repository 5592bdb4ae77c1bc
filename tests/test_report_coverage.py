"""Issue 13: coverage per day, comparability before trends, users without ids, drill-down links,
group-readable exports and chart labels that never overlap."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from vocmine.measure.comparability import comparable_since, compare_months
from vocmine.measure.coverage import frame_coverage, month_coverage
from vocmine.measure.metrics import distinct_users
from vocmine.report.charts import _label_line_ends
from vocmine.report.export import COLUMNS, write
from vocmine.report.links import record_link


def test_days_missing_inside_a_month_make_it_partial() -> None:
    # ~140 reviews a day to the 23rd, then three strays: partial from the 24th
    days = [f"2024-08-{d:02d}" for d in range(1, 24) for _ in range(140)]
    cov = month_coverage("2024-08", [*days, "2024-08-26", "2024-08-27", "2024-08-31"])
    assert cov.partial and cov.last == "2024-08-23" and cov.partial_from == "2024-08-24"
    assert cov.gaps == (("2024-08-24", "2024-08-31"),) and cov.strays == 3
    # June without twelve days in the middle: partial although its first and last days are there
    june = [f"2024-06-{d:02d}" for d in [*range(1, 10), *range(22, 31)] for _ in range(100)]
    cov = month_coverage("2024-06", june)
    assert cov.partial and cov.gaps == (("2024-06-10", "2024-06-21"),)
    assert cov.last == "2024-06-30" and cov.partial_from is None


def test_quiet_days_of_a_small_product_are_not_gaps() -> None:
    # 2 items a day with a few empty days here and there: nothing is missing
    days = [f"2026-10-{d:02d}" for d in range(1, 32) if d % 7 not in (0, 3) for _ in range(2)]
    assert not month_coverage("2026-10", days).partial


def _month(month: str, n: int, *, length: int, rating: float, days: int = 28) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": month,
            "day": [f"{month}-{1 + i % days:02d}" for i in range(n)],
            "source": "play",
            "kind": "review",
            "language": "en",
            "rating": rating,
            "text": ["x" * length] * n,
        }
    )


def test_a_change_of_sample_is_a_break_and_trends_start_after_it() -> None:
    frame = pd.concat(
        [
            _month("2024-03", 280, length=350, rating=1.0),
            _month("2024-04", 260, length=350, rating=1.0),
            _month("2024-05", 3700, length=35, rating=5.0),
            _month("2024-06", 3000, length=36, rating=5.0),
        ]
    )
    months = ["2024-03", "2024-04", "2024-05", "2024-06"]
    comparisons = compare_months(frame, months, frame_coverage(frame, months))
    verdicts = {c.month: c.comparable for c in comparisons}
    assert verdicts == {"2024-03": True, "2024-04": True, "2024-05": False, "2024-06": True}
    may = comparisons[2]
    assert any("median text length 350 → 35" in c for c in may.changes)
    assert any("volume" in c for c in may.changes)
    assert comparable_since(comparisons) == "2024-05"
    assert comparisons[3].against == ("2024-05",)  # June is compared with May only


def test_a_store_review_without_user_id_is_one_user() -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "kind": ["review", "review", "ticket", "review"],
            "user_hash": [None, None, None, "u1"],
        }
    )
    assert distinct_users(frame) == 3  # two anonymous reviews + u1; the ticket has no user


def test_records_name_a_link_an_id_or_a_file_line() -> None:
    sources = {
        "zd": {"type": "zendesk", "subdomain": "acme"},
        "gp": {"type": "play", "apps": ["com.example.app"]},
        "as": {"type": "appstore", "apps": ["123"]},
    }
    assert record_link(sources, "zd", "42", "{}") == (
        "ticket 42",
        "https://acme.zendesk.com/agent/tickets/42",
    )
    assert record_link(sources, "zd", "csat-9", '{"ticket_id": "41"}')[1] == (
        "https://acme.zendesk.com/agent/tickets/41"
    )
    _, url = record_link(sources, "gp", "gp:abc", "{}")
    assert url == "https://play.google.com/store/apps/details?id=com.example.app&reviewId=gp%3Aabc"
    assert record_link(sources, "as", "9876", "{}") == ("App Store review id 9876", None)
    assert record_link({}, "play", "x", '{"location": "reviews.csv:17"}') == (
        "reviews.csv:17",
        None,
    )


def test_export_is_readable_by_the_group(tmp_path: Path) -> None:
    frame = pd.DataFrame({c: pd.Series([], dtype=t) for c, t in COLUMNS.items()})
    old = os.umask(0o022)
    try:
        write(frame, tmp_path / "out.csv", "csv")
    finally:
        os.umask(old)
    assert (tmp_path / "out.csv").stat().st_mode & 0o777 == 0o644


def test_line_end_labels_never_overlap() -> None:
    """Close end values on a scale set by a much higher earlier month (the Netflix case)."""
    fig, ax = plt.subplots(figsize=(9, 4.8))
    names = ["Not enough to watch", "Blocked by the household rule", "Videos do not play"]
    ends = [(8.4, names[0], "C0"), (6.8, names[1], "C1"), (6.5, names[2], "C2"), (6.4, "X", "C3")]
    ax.plot([0, 1], [30, 8])
    ax.set_ylim(0, 33)
    _label_line_ends(ax, ends, 1)
    fig.tight_layout()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    # The text itself, not the leader line the annotation draws to its point
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]
    assert len(boxes) == 4
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    plt.close(fig)


def _captured(monkeypatch: pytest.MonkeyPatch) -> list[Figure]:
    """Keep the figures the chart functions save, to read their axes."""
    import vocmine.report.charts as charts

    figures: list[Figure] = []
    monkeypatch.setattr(charts, "_save", lambda fig, path: figures.append(fig) or path)
    return figures


def _theme(intent: str, csat_lift: float | None) -> SimpleNamespace:
    impact = SimpleNamespace(rating_lift=0.12, csat_lift=csat_lift)
    return SimpleNamespace(intent_id=intent, impact=impact)


def test_no_csat_panel_without_csat(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from vocmine.report.charts import impact_chart

    figures = _captured(monkeypatch)
    names = {"a.x": "Crashes", "a.y": "Login"}
    impact_chart([_theme("a.x", None), _theme("a.y", None)], names, tmp_path / "i.png")  # type: ignore[list-item]
    impact_chart([_theme("a.x", 0.04), _theme("a.y", None)], names, tmp_path / "j.png")  # type: ignore[list-item]
    assert [len(f.axes) for f in figures] == [1, 2]
    assert "CSAT" not in " ".join(ax.get_title(loc="left") for ax in figures[0].axes)
    plt.close("all")


def test_count_axes_have_whole_ticks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from vocmine.report.charts import volume_chart

    figures = _captured(monkeypatch)
    months = ["2026-08", "2026-09", "2026-10"]
    headlines = {
        m: SimpleNamespace(by_source={"play": n}) for m, n in zip(months, (1, 2, 3), strict=True)
    }
    metrics = SimpleNamespace(months=months, headlines=headlines, coverage={})
    volume_chart(metrics, tmp_path / "v.png")  # type: ignore[arg-type]
    [fig] = figures
    fig.canvas.draw()
    ticks = fig.axes[0].get_yticks()
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)  # 3 items: no 0.5
    plt.close(fig)
