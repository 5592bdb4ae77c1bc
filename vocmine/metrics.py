"""Monthly metrics: how often each theme appears, how it moves, what it costs in ratings and CSAT.

Months are calendar months in UTC. Shares are of all items stored for the month (assigned or
not), so a month with more feedback overall does not look like a rise in every theme.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from vocmine.store import Store
from vocmine.taxonomy import Taxonomy

UNASSIGNED = "unassigned"
BASELINE_MONTHS = 3


def month_window(month: str, n: int) -> list[str]:
    """The ``n`` months ending with ``month``, oldest first: ('2026-10', 3) -> 2026-08..10."""
    period = pd.Period(month, freq="M")
    return [str(period - i) for i in range(n - 1, -1, -1)]


def load_items(store: Store, months: list[str], *, assign_key: str) -> pd.DataFrame:
    """Items of ``months`` with their current assignment (intent None when unassigned)."""
    marks = ", ".join("?" for _ in months)
    frame = pd.read_sql_query(
        "SELECT i.id, i.source, i.kind, i.text, i.created_at, i.month, i.language, i.rating, "
        "i.csat_negative, i.country, i.app_version, i.user_hash, i.channel, "
        "CASE WHEN a.assign_key = ? THEN a.intent_id END AS intent_id, "
        "CASE WHEN a.assign_key = ? THEN a.score END AS score "
        f"FROM items i LEFT JOIN assignments a ON a.item_id = i.id WHERE i.month IN ({marks}) "
        "ORDER BY i.id",
        store.conn,
        params=[assign_key, assign_key, *months],
    )
    frame["intent_id"] = frame["intent_id"].fillna(UNASSIGNED)
    frame["negative"] = _negative_signal(frame)
    return frame


def _negative_signal(frame: pd.DataFrame) -> pd.Series:
    """1.0 for a 1-2 star review or a bad CSAT, 0.0 for a positive signal, NaN without signal."""
    stars = frame["rating"].map(lambda r: float("nan") if pd.isna(r) else float(r <= 2))
    csat = frame["csat_negative"].astype("float64")
    return stars.where(stars.notna(), csat)


@dataclass(frozen=True)
class ThemeStats:
    """One intent's figures for the report month, with its history."""

    intent_id: str
    count: int
    previous: int
    share: float
    previous_share: float
    history: dict[str, int]
    users: int
    avg_rating: float | None
    ratings: int
    negative_csat: float | None
    csat_answers: int
    negativity: float
    priority: float
    baseline: int
    baseline_total: int
    baseline_months: int
    p_value: float
    q_value: float
    by_source: dict[str, int]
    by_language: dict[str, int]
    by_version: dict[str, int]

    @property
    def baseline_share(self) -> float:
        """The theme's share of all feedback over the baseline months, pooled."""
        return self.baseline / self.baseline_total if self.baseline_total else 0.0

    @property
    def baseline_average(self) -> float:
        """Items per month over the baseline months."""
        return self.baseline / self.baseline_months if self.baseline_months else 0.0


@dataclass(frozen=True)
class Headline:
    """Totals for one month."""

    items: int
    by_source: dict[str, int]
    by_kind: dict[str, int]
    by_language: dict[str, int]
    avg_rating: float | None
    ratings: int
    negative_csat: float | None
    csat_answers: int
    unassigned: int


@dataclass(frozen=True)
class MonthlyMetrics:
    """Everything the report needs about one month and the months before it."""

    month: str
    months: list[str]
    headlines: dict[str, Headline]
    themes: list[ThemeStats]
    categories: dict[str, dict[str, int]]


def two_proportion_p(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p-value of a two-proportion z-test (x1/n1 against x2/n2)."""
    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = (x1 + x2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if var <= 0:
        return 1.0
    z = (x1 / n1 - x2 / n2) / math.sqrt(var)
    return math.erfc(abs(z) / math.sqrt(2))


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order.

    Every month about 25 themes are tested at once; at p < 0.05 one of them would be called
    rising or falling by chance in most reports. q < 0.05 keeps the expected share of false calls
    among the flagged themes at 5%.

    Example:
        >>> benjamini_hochberg([0.01, 0.04, 0.03])
        [0.03, 0.04, 0.04]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = min(1.0, running)
    return q


def _counts(series: pd.Series) -> dict[str, int]:
    values = series.fillna("unknown").value_counts()
    return {str(k): int(v) for k, v in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))}


def _mean(series: pd.Series) -> float | None:
    clean = series.dropna()
    return None if clean.empty else float(clean.mean())


def headline(frame: pd.DataFrame) -> Headline:
    """Totals for the items of one month."""
    return Headline(
        items=len(frame),
        by_source=_counts(frame["source"]),
        by_kind=_counts(frame["kind"]),
        by_language=_counts(frame["language"]),
        avg_rating=_mean(frame["rating"]),
        ratings=int(frame["rating"].notna().sum()),
        negative_csat=_mean(frame["csat_negative"].astype("float64")),
        csat_answers=int(frame["csat_negative"].notna().sum()),
        unassigned=int((frame["intent_id"] == UNASSIGNED).sum()),
    )


def _theme(
    intent_id: str, frame: pd.DataFrame, month: str, months: list[str], totals: dict[str, int]
) -> ThemeStats:
    mine = frame[frame["intent_id"] == intent_id]
    now = mine[mine["month"] == month]
    prev_month = months[-2] if len(months) > 1 else ""  # "" : no earlier month, counts as 0
    history = {m: int((mine["month"] == m).sum()) for m in months}
    count, previous = history[month], history.get(prev_month, 0)
    # The baseline pools up to three earlier months: one month alone is too noisy to compare with.
    earlier = months[:-1][-BASELINE_MONTHS:]
    baseline = sum(history[m] for m in earlier)
    baseline_total = sum(totals[m] for m in earlier)
    signals = now["negative"].dropna()
    # Laplace-smoothed share of negative signals: 0.5 when a theme has no ratings or CSAT at all.
    negativity = (float(signals.sum()) + 1) / (len(signals) + 2)
    return ThemeStats(
        intent_id=intent_id,
        count=count,
        previous=previous,
        share=count / totals[month] if totals[month] else 0.0,
        previous_share=previous / totals[prev_month] if totals.get(prev_month) else 0.0,
        history=history,
        users=int(now["user_hash"].dropna().nunique()),
        avg_rating=_mean(now["rating"]),
        ratings=int(now["rating"].notna().sum()),
        negative_csat=_mean(now["csat_negative"].astype("float64")),
        csat_answers=int(now["csat_negative"].notna().sum()),
        negativity=negativity,
        priority=count * (0.5 + negativity),
        baseline=baseline,
        baseline_total=baseline_total,
        baseline_months=len(earlier),
        p_value=two_proportion_p(count, totals[month], baseline, baseline_total),
        q_value=1.0,  # set across all themes by compute()
        by_source=_counts(now["source"]),
        by_language=_counts(now["language"]),
        by_version=_counts(now["app_version"].dropna()),
    )


def compute(
    frame: pd.DataFrame, taxonomy: Taxonomy, *, month: str, months: list[str]
) -> MonthlyMetrics:
    """Compute every figure of the report from the items of ``months`` (the last is ``month``).

    Example:
        >>> months = month_window("2026-10", 6)
        >>> metrics = compute(load_items(store, months, assign_key=key), taxonomy,
        ...                   month="2026-10", months=months)
    """
    totals = {m: int((frame["month"] == m).sum()) for m in months}
    headlines = {m: headline(frame[frame["month"] == m]) for m in months}
    themes = [_theme(i.id, frame, month, months, totals) for i in taxonomy.intents]
    # A theme with no item now or before was not tested: it must not dilute the correction.
    tested = [t for t in themes if t.count + t.baseline > 0]
    q_values = dict(
        zip(
            [t.intent_id for t in tested],
            benjamini_hochberg([t.p_value for t in tested]),
            strict=True,
        )
    )
    themes = [replace(t, q_value=q_values.get(t.intent_id, 1.0)) for t in themes]
    themes.sort(key=lambda t: (-t.priority, t.intent_id))
    categories: dict[str, dict[str, int]] = {}
    for intent in taxonomy.intents:
        cat = categories.setdefault(intent.category, {m: 0 for m in months})
        for m in months:
            cat[m] += int(((frame["intent_id"] == intent.id) & (frame["month"] == m)).sum())
    return MonthlyMetrics(
        month=month, months=months, headlines=headlines, themes=themes, categories=categories
    )


def rejects_summary(store: Store) -> tuple[dict[str, int], list[tuple[str, str, str]]]:
    """Rows skipped at ingest: counts by reason kind, and every (source, location, reason)."""
    rows = store.conn.execute("SELECT source, location, reason FROM rejects").fetchall()
    # Natural order: file.csv:251 before file.csv:1141.
    rows.sort(key=lambda r: (r[0], _natural(r[1]), r[2]))
    by_reason: dict[str, int] = {}
    for _, _, reason in rows:
        key = reason.split(" '")[0].split(":")[0]
        by_reason[key] = by_reason.get(key, 0) + 1
    return dict(sorted(by_reason.items())), [(r[0], r[1], r[2]) for r in rows]


def _natural(text: str) -> list[tuple[int, int | str]]:
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]


def database_counts(store: Store) -> dict[str, Any]:
    """Counts that identify the database a report was made from."""
    conn = store.conn
    return {
        "items": conn.execute("SELECT COUNT(*) FROM items").fetchone()[0],
        "sources": conn.execute("SELECT COUNT(DISTINCT source) FROM items").fetchone()[0],
        "first": conn.execute("SELECT MIN(created_at) FROM items").fetchone()[0],
        "last": conn.execute("SELECT MAX(created_at) FROM items").fetchone()[0],
        "rejects": conn.execute("SELECT COUNT(*) FROM rejects").fetchone()[0],
    }


def runs(store: Store, limit: int = 10) -> list[dict[str, Any]]:
    """The last ``limit`` command runs, newest first."""
    rows = store.conn.execute(
        "SELECT id, command, started_at, finished_at, status, counts, vocmine_version "
        "FROM runs ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    keys = ["id", "command", "started_at", "finished_at", "status", "counts", "version"]
    out = [dict(zip(keys, r, strict=True)) for r in rows]
    for run in out:
        run["counts"] = json.loads(run["counts"])
    return out
