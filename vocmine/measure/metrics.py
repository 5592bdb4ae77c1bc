"""Monthly metrics: how often each theme appears, how it moves, what it costs in ratings and CSAT.

Months are calendar months in UTC. Shares are of all items stored for the month (assigned or
not), so a month with more feedback overall does not look like a rise in every theme. The tests
themselves live in vocmine.measure.stats, the ratings/CSAT/segment figures in vocmine.impact.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from vocmine.measure.comparability import Comparison, comparable_since, compare_months
from vocmine.measure.coverage import MonthCoverage, coverage, frame_coverage
from vocmine.measure.impact import Concentration, Impact, concentrations, impact, segment_counts
from vocmine.measure.stats import benjamini_hochberg, spike_days, trend_test, two_proportion_p
from vocmine.measure.users import distinct_users, user_keys
from vocmine.models import UNASSIGNED
from vocmine.store.store import Store, shown_status
from vocmine.taxonomy.model import Taxonomy

__all__ = [  # kept importable from here
    "benjamini_hochberg",
    "coverage",
    "distinct_users",
    "two_proportion_p",
    "user_keys",
]

BASELINE_MONTHS = 3
SIGNIFICANCE = 0.05
# "Large enough to matter": a change is called only when, on top of q < SIGNIFICANCE, the theme
# has at least MIN_ITEMS more (or fewer) items than its baseline share predicts for this month's
# volume, and its share moved by at least MIN_RELATIVE of the baseline share.
MIN_ITEMS = 5
MIN_RELATIVE = 0.2
# Emerging: a rising theme that was small before (baseline share under this) or absent.
EMERGING_SHARE = 0.005
TREND_WINDOWS = (3, 6)
SPIKE_GAP = 2


def month_window(month: str, n: int) -> list[str]:
    """The ``n`` months ending with ``month``, oldest first: ('2026-10', 3) -> 2026-08..10."""
    period = pd.Period(month, freq="M")
    return [str(period - i) for i in range(n - 1, -1, -1)]


def load_items(
    store: Store, months: list[str], *, assign_key: str, taxonomy: Taxonomy | None = None
) -> pd.DataFrame:
    """Items of ``months`` with their current assignment ('unassigned' when none).

    With ``taxonomy``, stored intent ids go through :meth:`Taxonomy.resolve`, so a merged or
    renamed intent's earlier months count under its current id; ids it does not know are
    unassigned.
    """
    marks = ", ".join("?" for _ in months)
    frame = pd.read_sql_query(
        "SELECT i.id, i.source, i.external_id, i.kind, i.text, i.text_hash, i.created_at, i.month, i.language, "
        "i.rating, i.csat_negative, i.country, i.app_version, i.user_hash, i.channel, "
        "CASE WHEN a.assign_key = ? THEN a.intent_id END AS intent_id, "
        "CASE WHEN a.assign_key = ? THEN a.score END AS score, "
        "CASE WHEN a.assign_key = ? THEN a.runner_up_score END AS runner_up_score, "
        "CASE WHEN a.assign_key = ? THEN a.reason END AS reason, i.extra "
        f"FROM items i LEFT JOIN assignments a ON a.item_id = i.id WHERE i.month IN ({marks}) "
        "ORDER BY i.id",
        store.conn,
        params=[*[assign_key] * 4, *months],
    )
    if taxonomy is not None:
        frame["intent_id"] = frame["intent_id"].map(
            lambda i: taxonomy.resolve(i) if isinstance(i, str) else None
        )
    frame["intent_id"] = frame["intent_id"].fillna(UNASSIGNED)
    frame["day"] = frame["created_at"].str[:10]
    # Sources write countries as "fr" or "FR": one segment per country.
    frame["country"] = frame["country"].str.upper()
    frame["negative"] = _negative_signal(frame)
    return frame


def _negative_signal(frame: pd.DataFrame) -> pd.Series:
    """1.0 for a 1-2 star review or a bad CSAT, 0.0 for a positive signal, NaN without signal."""
    stars = frame["rating"].map(lambda r: float("nan") if pd.isna(r) else float(r <= 2))
    csat = frame["csat_negative"].astype("float64")
    return stars.where(stars.notna(), csat)


@dataclass(frozen=True)
class Trend:
    """A linear trend of a theme's share over the last ``months`` months (Cochran-Armitage)."""

    months: int
    slope: float
    p_value: float
    q_value: float = 1.0
    verdict: str = "flat"


@dataclass(frozen=True)
class Spike:
    """Days of the month when a theme jumped well above a normal day (an incident)."""

    first: str
    last: str
    peak: str
    peak_count: int
    expected: float
    items: int


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
    by_country: dict[str, int] = field(default_factory=dict)
    total: int = 0
    verdict: str = "stable"
    trends: tuple[Trend, ...] = ()
    spikes: tuple[Spike, ...] = ()
    daily: dict[str, int] = field(default_factory=dict)
    impact: Impact | None = None
    concentrations: tuple[Concentration, ...] = ()
    rank_parts: tuple[float, float, float] = (0.0, 0.0, 0.0)
    # source -> (items now, all items of the source now, items in baseline, all in baseline)
    source_rates: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    @property
    def baseline_share(self) -> float:
        """The theme's share of all feedback over the baseline months, pooled."""
        return self.baseline / self.baseline_total if self.baseline_total else 0.0

    @property
    def baseline_average(self) -> float:
        """Items per month over the baseline months."""
        return self.baseline / self.baseline_months if self.baseline_months else 0.0

    @property
    def excess(self) -> float:
        """Items above (or below) what the baseline share predicts for this month's volume."""
        return self.count - self.baseline_share * self.total

    @property
    def emerging(self) -> bool:
        """Rising from (nearly) nothing: absent or under EMERGING_SHARE of feedback before."""
        return self.verdict == "rising" and self.baseline_share < EMERGING_SHARE


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
    """Everything the report needs about one month and the months before it.

    ``coverage`` maps each month to (days with data coverage, days in the month): a month whose
    data starts late or ends early is partial, and its counts are compared per day.
    """

    month: str
    months: list[str]
    headlines: dict[str, Headline]
    themes: list[ThemeStats]
    categories: dict[str, dict[str, int]]
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)
    day_coverage: dict[str, MonthCoverage] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)
    # The first month of the last comparable stretch: baselines and trends start there.
    since: str | None = None

    @property
    def trend_months(self) -> list[str]:
        """The months that baselines and trends use: none before the last break."""
        if self.since is None or self.since not in self.months:
            return self.months
        return self.months[self.months.index(self.since) :]

    def comparison(self, month: str) -> Comparison | None:
        return next((c for c in self.comparisons if c.month == month), None)

    def days(self, month: str) -> int:
        """Days of ``month`` that the data covers."""
        return self.coverage.get(month, (0, 0))[0]

    def partial(self, month: str) -> bool:
        """True when the data does not cover every day of ``month``."""
        covered, total = self.coverage.get(month, (1, 1))
        return covered < total


def matters(count: int, share: float, baseline_share: float, total: int) -> bool:
    """Whether a change of share is large enough to call (see MIN_ITEMS and MIN_RELATIVE).

    Example:
        >>> matters(85, 0.086, 0.059, 991)   # 26 more items than expected, +46% in share
        True
        >>> matters(45, 0.0454, 0.0494, 991)  # 4 fewer than expected
        False
    """
    excess = count - baseline_share * total
    relative = abs(share - baseline_share) >= MIN_RELATIVE * baseline_share
    return abs(excess) >= MIN_ITEMS and relative


def verdict(t: ThemeStats) -> str:
    """'rising', 'falling' or 'stable': significant (q) and large enough to matter."""
    if t.baseline_months == 0 or t.q_value >= SIGNIFICANCE:
        return "stable"
    if not matters(t.count, t.share, t.baseline_share, t.total):
        return "stable"
    return "rising" if t.share > t.baseline_share else "falling"


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


@dataclass(frozen=True)
class _MonthData:
    """The report month's items and the totals the per-theme figures share."""

    frame: pd.DataFrame
    now: pd.DataFrame
    totals: dict[str, int]
    day_totals: dict[str, int]
    cost_per_contact: dict[str, float]


def _theme(
    intent_id: str, data: _MonthData, month: str, months: list[str], trend_months: list[str]
) -> ThemeStats:
    """``trend_months``: the comparable months (from the last break on) for baseline and trends."""
    frame, totals = data.frame, data.totals
    mine = frame[frame["intent_id"] == intent_id]
    mask = data.now["intent_id"] == intent_id
    now = data.now[mask]
    prev_month = months[-2] if len(months) > 1 else ""  # "" : no earlier month, counts as 0
    history = {m: int((mine["month"] == m).sum()) for m in months}
    count, previous = history[month], history.get(prev_month, 0)
    # The baseline pools up to three earlier months: one month alone is too noisy to compare with.
    earlier = trend_months[:-1][-BASELINE_MONTHS:]
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
        users=distinct_users(now),
        avg_rating=_mean(now["rating"]),
        ratings=int(now["rating"].notna().sum()),
        negative_csat=_mean(now["csat_negative"].astype("float64")),
        csat_answers=int(now["csat_negative"].notna().sum()),
        negativity=negativity,
        priority=0.0,  # set across all themes by rank()
        baseline=baseline,
        baseline_total=baseline_total,
        baseline_months=len(earlier),
        p_value=two_proportion_p(count, totals[month], baseline, baseline_total),
        q_value=1.0,  # set across all themes by compute()
        by_source=_counts(now["source"]),
        by_language=_counts(now["language"]),
        by_version=_counts(now["app_version"].dropna()),
        by_country=segment_counts(data.now, mask, "country"),
        source_rates=_source_rates(frame, intent_id, month, earlier),
        total=totals[month],
        trends=tuple(_trends(history, totals, trend_months)),
        daily=_daily(now["day"], list(data.day_totals)),
        impact=impact(data.now, mask, data.cost_per_contact),
        concentrations=tuple(concentrations(data.now, mask)),
    )


def _source_rates(
    frame: pd.DataFrame, intent_id: str, month: str, earlier: list[str]
) -> dict[str, tuple[int, int, int, int]]:
    """Per source: the theme's items and the source's items, this month and over the baseline."""
    now, before = frame["month"] == month, frame["month"].isin(earlier)
    mine = frame["intent_id"] == intent_id
    out = {}
    for source in sorted(frame.loc[now, "source"].unique()):
        src = frame["source"] == source
        out[str(source)] = (
            int((now & src & mine).sum()),
            int((now & src).sum()),
            int((before & src & mine).sum()),
            int((before & src).sum()),
        )
    return out


def _daily(days: pd.Series, span: list[str]) -> dict[str, int]:
    """Items per day over ``span``, zeros included."""
    counts = days.value_counts()
    return {d: int(counts.get(d, 0)) for d in span}


def _trends(history: dict[str, int], totals: dict[str, int], months: list[str]) -> list[Trend]:
    out = []
    for n in TREND_WINDOWS:
        if len(months) < n:
            continue
        window = months[-n:]
        slope, p = trend_test([history[m] for m in window], [totals[m] for m in window])
        out.append(Trend(months=n, slope=slope, p_value=p))
    return out


def _trend_verdict(trend: Trend, counts: list[int], totals: list[int]) -> str:
    """Significant (q) and large: the fitted share moves by MIN_RELATIVE and MIN_ITEMS or more."""
    mean_share = sum(counts) / sum(totals) if sum(totals) else 0.0
    moved = trend.slope * (trend.months - 1)
    items = abs(moved) * sum(totals) / len(totals)
    if trend.q_value >= SIGNIFICANCE or items < MIN_ITEMS or abs(moved) < MIN_RELATIVE * mean_share:
        return "flat"
    return "rising" if trend.slope > 0 else "falling"


def _spikes(t: ThemeStats, day_totals: dict[str, int], alpha: float) -> tuple[Spike, ...]:
    """Runs of spike days; a normal day has the baseline share (else this month's) of feedback."""
    reference = min(0.95, t.baseline_share if t.baseline else t.share)
    days = list(day_totals)
    observed = [t.daily.get(d, 0) for d in days]
    # From the day's other feedback: a spike must not raise its own expectation.
    odds = reference / (1 - reference)
    expected = [odds * (day_totals[d] - k) for d, k in zip(days, observed, strict=True)]
    flagged = spike_days(observed, expected, alpha=alpha)
    runs: list[list[int]] = []
    for i in flagged:
        # Spike days at most SPIKE_GAP days apart are one incident (8 and 11 October: one).
        if runs and i - runs[-1][-1] <= SPIKE_GAP + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    for run in runs:
        peak = max(run, key=lambda i: (observed[i], -i))
        out.append(
            Spike(
                first=days[run[0]],
                last=days[run[-1]],
                peak=days[peak],
                peak_count=observed[peak],
                expected=expected[peak],
                items=sum(observed[run[0] : run[-1] + 1]),
            )
        )
    return tuple(out)


def _with_q_values(themes: list[ThemeStats], months: list[str], totals: dict[str, int]) -> list:
    """Benjamini-Hochberg across the themes tested, for the month test and each trend window."""
    # A theme with no item now or before was not tested: it must not dilute the correction.
    tested = [t for t in themes if sum(t.history.values()) > 0]
    q = dict(
        zip(
            [t.intent_id for t in tested],
            benjamini_hochberg([t.p_value for t in tested]),
            strict=True,
        )
    )
    out = [replace(t, q_value=q.get(t.intent_id, 1.0)) for t in themes]
    for w, n in enumerate(n for n in TREND_WINDOWS if len(months) >= n):
        window = months[-n:]
        qs = benjamini_hochberg([t.trends[w].p_value for t in tested])
        q_trend = dict(zip([t.intent_id for t in tested], qs, strict=True))
        updated = []
        for t in out:
            trend = replace(t.trends[w], q_value=q_trend.get(t.intent_id, 1.0))
            counts, tot = [t.history[m] for m in window], [totals[m] for m in window]
            trend = replace(trend, verdict=_trend_verdict(trend, counts, tot))
            trends = list(t.trends)
            trends[w] = trend
            updated.append(replace(t, trends=tuple(trends)))
        out = updated
    return [replace(t, verdict=verdict(t)) for t in out]


def rank(themes: list[ThemeStats], weights: tuple[float, float, float]) -> list[ThemeStats]:
    """Set each theme's priority = the weighted mix of volume, growth and impact, each in [0, 1].

    volume = items / the largest theme's items; growth = excess items over the baseline share /
    the largest such excess, counted only for themes called rising; impact = the mean of the
    rating lift and the negative-CSAT lift, each divided by the largest one (negative lifts count
    as 0). Sorted by priority, highest first, then by id.
    """

    def top(values: list[float]) -> float:
        return max([*values, 0.0]) or 1.0

    growth = [max(0.0, t.excess) if t.verdict == "rising" else 0.0 for t in themes]
    rating = [max(0.0, (t.impact.rating_lift or 0.0) if t.impact else 0.0) for t in themes]
    csat = [max(0.0, (t.impact.csat_lift or 0.0) if t.impact else 0.0) for t in themes]
    most, most_g = top([float(t.count) for t in themes]), top(growth)
    most_r, most_c = top(rating), top(csat)
    ranked = []
    for t, g, r, c in zip(themes, growth, rating, csat, strict=True):
        parts = (t.count / most, g / most_g, (r / most_r + c / most_c) / 2)
        score = sum(w * p for w, p in zip(weights, parts, strict=True))
        ranked.append(replace(t, rank_parts=parts, priority=score))
    ranked.sort(key=lambda t: (-t.priority, t.intent_id))
    return ranked


def compute(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    month: str,
    months: list[str],
    coverage: dict[str, tuple[int, int]] | None = None,
    weights: tuple[float, float, float] = (0.4, 0.3, 0.3),
    cost_per_contact: dict[str, float] | None = None,
) -> MonthlyMetrics:
    """Compute every figure of the report from the items of ``months`` (the last is ``month``).

    Usage::

        months = month_window("2026-10", 6)
        metrics = compute(load_items(store, months, assign_key=key), taxonomy,
                          month="2026-10", months=months)
    """
    totals = {m: int((frame["month"] == m).sum()) for m in months}
    now = frame[frame["month"] == month]
    day_coverage = frame_coverage(frame, months)
    if coverage is None:
        coverage = {m: (len(c.covered), c.days) for m, c in day_coverage.items()}
    comparisons = compare_months(frame, months, day_coverage)
    since = comparable_since(comparisons)
    trend_months = months[months.index(since) :] if since in months else months
    # Every calendar day of the month, zeros included: gaps show on the daily charts.
    days = day_coverage[month].all_days() if len(now) else []
    data = _MonthData(
        frame=frame,
        now=now,
        totals=totals,
        day_totals={d: int((now["day"] == d).sum()) for d in days},
        cost_per_contact=cost_per_contact or {},
    )
    themes = [_theme(i.id, data, month, months, trend_months) for i in taxonomy.intents]
    themes = _with_q_values(themes, trend_months, totals)
    # Bonferroni over every (theme, day with data) looked at: incidents must stand out.
    looked = sum(1 for n in data.day_totals.values() if n)
    alpha = SIGNIFICANCE / max(1, looked * len(themes))
    themes = [replace(t, spikes=_spikes(t, data.day_totals, alpha)) for t in themes]
    problems = {i.id for i in taxonomy.intents if i.type == "problem"}
    ranked = rank([t for t in themes if t.intent_id in problems], weights)
    others = sorted(
        (t for t in themes if t.intent_id not in problems), key=lambda t: (-t.count, t.intent_id)
    )
    categories: dict[str, dict[str, int]] = {}
    for intent in taxonomy.intents:
        cat = categories.setdefault(intent.category, {m: 0 for m in months})
        for m in months:
            cat[m] += int(((frame["intent_id"] == intent.id) & (frame["month"] == m)).sum())
    return MonthlyMetrics(
        month=month,
        months=months,
        headlines={m: headline(frame[frame["month"] == m]) for m in months},
        themes=ranked + others,
        categories=categories,
        coverage=coverage,
        day_coverage=day_coverage,
        comparisons=comparisons,
        since=since,
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
    """The last ``limit`` command runs, newest first.

    A run still ``running`` whose process is gone from this host (killed) is ``interrupted``.
    """
    rows = store.conn.execute(
        "SELECT id, command, started_at, finished_at, status, counts, vocmine_version, pid, host "
        "FROM runs ORDER BY id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    keys = ["id", "command", "started_at", "finished_at", "status", "counts", "version"]
    out = []
    for row in rows:
        run = dict(zip(keys, row[:7], strict=True))
        run["counts"] = json.loads(run["counts"])
        run["status"] = shown_status(run["status"], row[7], row[8])
        out.append(run)
    return out


@dataclass(frozen=True)
class DiscoveredTrend:
    """A discovered theme's month against its baseline, by the same rules as an intent's."""

    count: int
    share: float
    baseline_average: float
    baseline_share: float
    p_value: float
    q_value: float = 1.0
    verdict: str = "stable"

    @property
    def emerging(self) -> bool:
        """Rising from (nearly) nothing, as for intents (EMERGING_SHARE)."""
        return self.verdict == "rising" and self.baseline_share < EMERGING_SHARE


def discovered_trends(
    growth: dict[str, dict[str, int]], totals: dict[str, int], month: str
) -> dict[str, DiscoveredTrend]:
    """Test each discovered theme's share of all feedback against the previous months.

    A proposal's ``growth`` counts its items per month, and a month with more feedback has more
    of everything: so, as for intents, the share of the month's feedback is compared with the
    pooled share of the BASELINE_MONTHS before, with Benjamini-Hochberg across the proposals and
    the same "large enough to matter" rule. Months without feedback totals are left out.

    Args:
        growth: proposal key -> {"YYYY-MM": items}.
        totals: all feedback items per month.
        month: the month reported.

    Example:
        >>> t = discovered_trends({"P01": {"2026-09": 1, "2026-10": 30}},
        ...                       {"2026-09": 700, "2026-10": 990}, "2026-10")
        >>> t["P01"].verdict, t["P01"].emerging
        ('rising', True)
    """
    before = [m for m in month_window(month, BASELINE_MONTHS + 1)[:-1] if totals.get(m)]
    total_now = totals.get(month, 0)
    base_total = sum(totals[m] for m in before)
    raw: dict[str, DiscoveredTrend] = {}
    for key, counts in growth.items():
        now = int(counts.get(month, 0))
        base = sum(int(counts.get(m, 0)) for m in before)
        raw[key] = DiscoveredTrend(
            count=now,
            share=now / total_now if total_now else 0.0,
            baseline_average=base / len(before) if before else 0.0,
            baseline_share=base / base_total if base_total else 0.0,
            p_value=two_proportion_p(now, total_now, base, base_total) if before else 1.0,
        )
    keys = sorted(raw)
    out = {}
    for key, q in zip(keys, benjamini_hochberg([raw[k].p_value for k in keys]), strict=True):
        t = replace(raw[key], q_value=q)
        called = (
            bool(before)
            and q < SIGNIFICANCE
            and matters(t.count, t.share, t.baseline_share, total_now)
        )
        direction = "rising" if t.share > t.baseline_share else "falling"
        out[key] = replace(t, verdict=direction if called else "stable")
    return out
