"""Comparability before trends: did the sample change under the theme shares?

A theme's share depends on what the month's feedback is made of: which sources and kinds, which
languages, how long the texts are, how the stars are spread, how much there is. When that mix
changes a lot (a scraper that starts keeping thousands of short, newest-first reviews instead of
a few hundred long 1-star ones) every share moves without anything changing in the product.

Each month of the window is compared with the pooled months before it (up to BASELINE_MONTHS, and
never across an earlier break). A month whose mix moved beyond one of the :data:`BOUNDS` is a
*break*: no rising/falling claim is made across it, and trends start at the last break.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vocmine.measure.coverage import MonthCoverage

# The documented bounds (README, "Comparability"). Distributions are compared by total variation
# distance (half the sum of absolute differences of shares, 0 = same mix, 1 = nothing in common).
MAX_TVD_SOURCES = 0.25  # sources and kinds
MAX_TVD_LANGUAGES = 0.25
MAX_TVD_RATINGS = 0.35  # the 1-5 star distribution, among rated items (a real problem moves it too)
MAX_LENGTH_RATIO = 2.0  # median text length, either way
MAX_VOLUME_RATIO = 3.0  # items per covered day, either way
# A month covering fewer days than this is not compared at all: too little to read a share from.
MIN_COVERED_DAYS = 7
BASELINE_MONTHS = 3


@dataclass(frozen=True)
class Mix:
    """What a month's (or pooled months') feedback is made of."""

    items: int
    per_day: float
    sources: dict[str, float]
    languages: dict[str, float]
    ratings: dict[int, float]
    mean_rating: float | None
    median_length: float


@dataclass(frozen=True)
class Comparison:
    """One month's mix against its baseline; ``changes`` says what moved beyond its bound."""

    month: str
    against: tuple[str, ...]
    now: Mix
    before: Mix | None
    changes: tuple[str, ...]

    @property
    def comparable(self) -> bool:
        return not self.changes


def _shares(series: pd.Series) -> dict[str, float]:
    counts = series.fillna("unknown").astype(str).value_counts()
    total = int(counts.sum())
    return {str(k): int(v) / total for k, v in counts.items()} if total else {}


def tvd(a: dict, b: dict) -> float:
    """Total variation distance between two share distributions.

    Example:
        >>> tvd({"a": 0.5, "b": 0.5}, {"a": 1.0})
        0.5
    """
    return 0.5 * sum(abs(a.get(k, 0.0) - b.get(k, 0.0)) for k in set(a) | set(b))


def mix(frame: pd.DataFrame, covered_days: int) -> Mix:
    """The mix of the items in ``frame`` (covering ``covered_days`` days)."""
    rated = frame["rating"].dropna()
    stars = rated.round().astype(int).value_counts() if len(rated) else pd.Series(dtype=int)
    return Mix(
        items=len(frame),
        per_day=len(frame) / max(1, covered_days),
        sources=_shares(frame["source"].astype(str) + "/" + frame["kind"].astype(str)),
        languages=_shares(frame["language"]),
        ratings={int(k): int(v) / len(rated) for k, v in stars.items()},
        mean_rating=float(rated.mean()) if len(rated) else None,
        median_length=float(frame["text"].str.len().median()) if len(frame) else 0.0,
    )


def _ratio(a: float, b: float) -> float:
    if a <= 0 or b <= 0:
        return float("inf") if a != b else 1.0
    return max(a / b, b / a)


def _changes(now: Mix, before: Mix) -> list[str]:
    out = []
    d = tvd(now.sources, before.sources)
    if d > MAX_TVD_SOURCES:
        out.append(f"sources and kinds differ by {d:.0%} (bound {MAX_TVD_SOURCES:.0%})")
    d = tvd(now.languages, before.languages)
    if d > MAX_TVD_LANGUAGES:
        out.append(f"languages differ by {d:.0%} (bound {MAX_TVD_LANGUAGES:.0%})")
    if now.ratings and before.ratings:
        d = tvd(now.ratings, before.ratings)
        if d > MAX_TVD_RATINGS:
            was, is_ = before.mean_rating or 0.0, now.mean_rating or 0.0
            out.append(
                f"star ratings differ by {d:.0%} (bound {MAX_TVD_RATINGS:.0%}; "
                f"mean {was:.2f}★ → {is_:.2f}★)"
            )
    r = _ratio(now.median_length, before.median_length)
    if r > MAX_LENGTH_RATIO:
        out.append(
            f"median text length {before.median_length:.0f} → {now.median_length:.0f} characters "
            f"(bound ×{MAX_LENGTH_RATIO:g})"
        )
    r = _ratio(now.per_day, before.per_day)
    if r > MAX_VOLUME_RATIO:
        out.append(
            f"volume {before.per_day:.1f} → {now.per_day:.1f} items per covered day "
            f"(×{now.per_day / before.per_day:.1f}; bound ×{MAX_VOLUME_RATIO:g})"
            if before.per_day
            else "volume: nothing before"
        )
    return out


def compare_months(
    frame: pd.DataFrame, months: list[str], coverage: dict[str, MonthCoverage]
) -> list[Comparison]:
    """Compare each month of ``months`` (oldest first) with the pooled months before it.

    The baseline of a month is up to BASELINE_MONTHS earlier months, none before the last break.
    A month covering fewer than MIN_COVERED_DAYS days is itself not comparable.
    """
    out: list[Comparison] = []
    since = 0
    for i, month in enumerate(months):
        days = len(coverage[month].covered)
        now = mix(frame[frame["month"] == month], days)
        earlier = months[max(since, i - BASELINE_MONTHS) : i]
        if not earlier:
            out.append(Comparison(month, (), now, None, ()))
            continue
        pooled = frame[frame["month"].isin(earlier)]
        before = mix(pooled, sum(len(coverage[m].covered) for m in earlier))
        changes = _changes(now, before)
        if days < MIN_COVERED_DAYS:
            changes.insert(0, f"only {days} days covered (at least {MIN_COVERED_DAYS} needed)")
        if changes:
            since = i
        out.append(Comparison(month, tuple(earlier), now, before, tuple(changes)))
    return out


def comparable_since(comparisons: list[Comparison]) -> str | None:
    """The first month of the last comparable stretch (the last break), or None for no break."""
    breaks = [c.month for c in comparisons if not c.comparable]
    return breaks[-1] if breaks else None
