"""Does the taxonomy fit the feedback? The month's unassigned share and the intents gone quiet.

Two questions the report answers before any theme (README, "When the taxonomy does not fit"):

- **Fit.** When more than ``[report] unassigned_warning`` of the month's items matched no intent,
  the themes describe a minority of the feedback: a taxonomy written for another product (the
  starter's walking-app intents on streaming-app reviews) still ranks its few matches as "top
  problems". The report then says so first and points at discovery.
- **Retire candidates.** An intent with no item in the last ``[report] retire_after_months``
  months with data may describe something that no longer happens. The claim is only made from
  enough data: each of those months covers at least MIN_COVERED_DAYS days, together they hold at
  least :data:`MIN_RETIRE_ITEMS` items, and an intent the changelog added on or after the first
  of those months is too recent to judge (it was written for what is coming, or has not had the
  months yet).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from vocmine.measure.comparability import MIN_COVERED_DAYS
from vocmine.measure.coverage import month_coverage
from vocmine.models import UNASSIGNED
from vocmine.taxonomy.model import Taxonomy

# Below 30 items a share's 95% interval is wider than +-18 points: two or three items would decide
# "the taxonomy does not fit", and a thin month is already flagged as such by the report.
MIN_FIT_ITEMS = 30

# Emerging means under 0.5% of feedback (metrics.EMERGING_SHARE). No item among n items puts the
# share under 3/n at 95% (the rule of three): 600 items rule out a theme at 0.5%, so "no item"
# then means "rarer than anything the report would call emerging", not "too little data to see".
RULED_OUT_SHARE = 0.005
MIN_RETIRE_ITEMS = math.ceil(3 / RULED_OUT_SHARE)


@dataclass(frozen=True)
class RetireCandidate:
    """An intent without any item in the judged months.

    Attributes:
        intent_id: Its id.
        added: The day the changelog added it, or None when the changelog does not say.
    """

    intent_id: str
    added: str | None


@dataclass(frozen=True)
class TaxonomyFit:
    """How well the taxonomy covers one month, and which intents had nothing for months.

    Attributes:
        month: The report's month.
        items: Items of the month.
        unassigned: Items of the month that matched no intent.
        threshold: ``[report] unassigned_warning``.
        retire_after: ``[report] retire_after_months``.
        window: The months judged for retire candidates, oldest first (empty when not judged).
        window_items: Items in those months.
        candidates: Intents with no item in ``window``, in taxonomy order.
        recent: Intents with no item either, but added on or after the window's first month.
        not_judged: Why no retire candidate is named ("" when the window was judged).
    """

    month: str
    items: int
    unassigned: int
    threshold: float
    retire_after: int
    window: tuple[str, ...] = ()
    window_items: int = 0
    candidates: tuple[RetireCandidate, ...] = ()
    recent: tuple[str, ...] = ()
    not_judged: str = ""

    @property
    def share(self) -> float:
        """Share of the month's items that matched no intent."""
        return self.unassigned / self.items if self.items else 0.0

    @property
    def warn(self) -> bool:
        """More of the month is unassigned than ``[report] unassigned_warning`` allows, in a
        month with at least :data:`MIN_FIT_ITEMS` items."""
        return self.items >= MIN_FIT_ITEMS and self.share > self.threshold


def taxonomy_fit(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    month: str,
    unassigned_warning: float,
    retire_after_months: int,
    added: Mapping[str, str],
) -> TaxonomyFit:
    """Measure the month's fit and name the intents to consider retiring.

    Args:
        frame: Items with ``month``, ``day`` and ``intent_id`` (aliases resolved, 'unassigned'
            when none), covering at least the ``retire_after_months`` months with data up to
            ``month`` when there are that many.
        taxonomy: The taxonomy the items were assigned with.
        month: The report's month.
        unassigned_warning: Share above which the month is flagged.
        retire_after_months: How many months with data an intent must be absent from.
        added: Intent id -> day it was added (:func:`vocmine.taxonomy.changelog.added_days`).

    Example:
        >>> from vocmine.project import starter_taxonomy
        >>> from vocmine.taxonomy.model import load_taxonomy
        >>> days = [str(d.date()) for d in pd.date_range("2024-06-01", "2024-08-31")] * 10
        >>> frame = pd.DataFrame({"day": days, "month": [d[:7] for d in days],  # half unassigned
        ...                       "intent_id": ["app.crash", "unassigned"] * (len(days) // 2)})
        >>> taxonomy = load_taxonomy(starter_taxonomy())
        >>> fit = taxonomy_fit(frame, taxonomy, month="2024-08", unassigned_warning=0.4,
        ...                    retire_after_months=3, added={})
        >>> fit.warn, fit.candidates[0].intent_id, len(fit.candidates) == len(taxonomy.intents) - 1
        (True, 'account.login', True)
    """
    now = frame[frame["month"] == month]
    unassigned = int((now["intent_id"] == UNASSIGNED).sum())
    fit = TaxonomyFit(month, len(now), unassigned, unassigned_warning, retire_after_months)
    stored = sorted(m for m in frame["month"].unique() if m <= month)
    window = stored[-retire_after_months:]
    if len(window) < retire_after_months:
        return _not_judged(
            fit, f"{len(window)} month(s) with data up to {month}, {retire_after_months} needed"
        )
    for m in window:
        days = len(month_coverage(m, frame.loc[frame["month"] == m, "day"]).covered)
        if days < MIN_COVERED_DAYS:
            return _not_judged(fit, f"{m} covers {days} days (at least {MIN_COVERED_DAYS} needed)")
    judged = frame[frame["month"].isin(window)]
    if len(judged) < MIN_RETIRE_ITEMS:
        return _not_judged(
            fit,
            f"{len(judged):,} items in {window[0]} to {window[-1]}; {MIN_RETIRE_ITEMS:,} needed "
            f"to tell an intent under {RULED_OUT_SHARE:.1%} of feedback from one that is gone",
        )
    seen = set(judged["intent_id"])
    # Added on or after the window's first day: it has not been in the taxonomy for the months.
    start = f"{window[0]}-01"
    candidates, recent = [], []
    for intent in taxonomy.intents:
        if intent.id in seen:
            continue
        day = added.get(intent.id)
        if day is not None and day >= start:
            recent.append(intent.id)
        else:
            candidates.append(RetireCandidate(intent.id, day))
    return TaxonomyFit(
        month,
        fit.items,
        unassigned,
        unassigned_warning,
        retire_after_months,
        window=tuple(window),
        window_items=len(judged),
        candidates=tuple(candidates),
        recent=tuple(recent),
    )


def _not_judged(fit: TaxonomyFit, why: str) -> TaxonomyFit:
    return TaxonomyFit(
        fit.month, fit.items, fit.unassigned, fit.threshold, fit.retire_after, not_judged=why
    )
