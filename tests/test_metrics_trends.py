"""compute() on frames written here: longer trends, the ranking mix and the size rule.

No database or model: a frame with the columns load_items() returns, for the shipped taxonomy.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from vocmine.measure.metrics import MonthlyMetrics, ThemeStats, compute, month_window
from vocmine.taxonomy.model import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
MONTHS = month_window("2026-10", 6)


def frame(
    counts: dict[str, list[int]], total: int = 400, **extra: dict[str, object]
) -> pd.DataFrame:
    """``counts[intent]`` items per month (May..Oct), the rest of ``total`` unassigned."""
    rows = []
    for m_i, month in enumerate(MONTHS):
        used = 0
        for intent, per_month in counts.items():
            for k in range(per_month[m_i]):
                rows.append(row(len(rows), month, intent, k, **extra.get(intent, {})))
            used += per_month[m_i]
        rows += [row(len(rows), month, "unassigned", k) for k in range(total - used)]
    return pd.DataFrame(rows)


def row(i: int, month: str, intent: str, k: int, **values: object) -> dict[str, object]:
    day = f"{month}-{1 + k % 28:02d}"
    base: dict[str, object] = {
        "id": i,
        "source": "play",
        "kind": "review",
        "text": f"t{i}",
        "text_hash": f"h{i}",
        "created_at": f"{day}T10:00:00Z",
        "month": month,
        "language": "fr",
        "rating": 3.0,
        "csat_negative": None,
        "country": "FR",
        "app_version": None,
        "user_hash": f"u{i}",
        "channel": None,
        "intent_id": intent,
        "score": 0.9,
        "day": day,
        "negative": 0.0,
    }
    base.update(values)
    return base


def metrics(data: pd.DataFrame, **kw: object) -> MonthlyMetrics:
    taxonomy = load_taxonomy(ROOT / "taxonomy")
    return compute(data, taxonomy, month="2026-10", months=MONTHS, **kw)  # type: ignore[arg-type]


def theme(m: MonthlyMetrics, intent_id: str) -> ThemeStats:
    return next(t for t in m.themes if t.intent_id == intent_id)


def test_steady_fall_is_a_falling_trend_over_3_and_6_months() -> None:
    m = metrics(
        frame(
            {
                "cashout.gift_card_issue": [70, 64, 57, 45, 34, 24],
                "account.login": [35, 36, 34, 35, 36, 35],
            }
        )
    )
    gift = theme(m, "cashout.gift_card_issue")
    assert [(tr.months, tr.verdict) for tr in gift.trends] == [(3, "falling"), (6, "falling")]
    assert gift.verdict == "falling"
    login = theme(m, "account.login")
    assert [tr.verdict for tr in login.trends] == ["flat", "flat"]
    assert login.verdict == "stable"


def test_ranking_mix_is_the_documented_weighted_sum() -> None:
    data = frame(
        {"app.crash": [10, 10, 10, 10, 10, 60], "account.login": [40, 40, 40, 40, 40, 40]},
        **{"app.crash": {"rating": 1.0}},
    )
    m = metrics(data, weights=(0.4, 0.3, 0.3))
    crash, login = theme(m, "app.crash"), theme(m, "account.login")
    # volume: 60 is the largest; growth: crash is the only rising problem; impact: only crash
    # lowers the rating (all others are 3★), and there is no CSAT
    assert crash.rank_parts == pytest.approx((1.0, 1.0, 0.5))
    assert login.rank_parts == pytest.approx((40 / 60, 0.0, 0.0))
    assert crash.priority == pytest.approx(0.4 + 0.3 + 0.15)
    assert login.priority == pytest.approx(0.4 * 40 / 60)
    assert m.themes[0].intent_id == "app.crash"


def test_volume_growth_without_share_growth_is_not_rising() -> None:
    # login keeps 10% of feedback while the month has 50% more feedback overall
    months = {m: 400 for m in MONTHS[:-1]} | {"2026-10": 600}
    rows = []
    for month, total in months.items():
        n = total // 10
        rows += [row(len(rows), month, "account.login", k) for k in range(n)]
        rows += [row(len(rows), month, "unassigned", k) for k in range(total - n)]
    m = metrics(pd.DataFrame(rows))
    login = theme(m, "account.login")
    assert (login.count, login.baseline_average) == (60, 40)
    assert login.verdict == "stable"
