"""Which days of a month the data really covers, overall and per source.

A month is *partial* when days are missing inside it, not only at its ends: a scraper that stopped
for twelve days in June, or a file that holds reviews up to the 23rd and then three strays, leaves
a month whose counts cannot be read as if it were whole.

A day is *low* when it holds under :data:`REGULAR_SHARE` of the month's median day of data (or
nothing). A run of low days is a *gap* when a run that long would happen by chance with
probability under :data:`GAP_ALPHA` over the month (Poisson at the median day's rate): quiet days
of a small product are not gaps. Every other day is *covered*. Items on gap days are *strays*:
they are still counted in every total and share, but a month's "data up to" is its last covered
day, and counts are compared per covered day.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from scipy.special import gammaincc

# A day holding under 20% of the month's median day is not regular coverage (August with ~140
# reviews a day to the 23rd, then 1 on the 26th, 27th and 31st: covered to the 23rd).
REGULAR_SHARE = 0.2
GAP_ALPHA = 0.001


@dataclass(frozen=True)
class MonthCoverage:
    """The days of one month that the data covers.

    Attributes:
        month: 'YYYY-MM'.
        days: Calendar days of the month.
        covered: Days of regular coverage, sorted ('YYYY-MM-DD').
        gaps: Runs of days without regular coverage, as (first, last) days, in order.
        strays: Items on days without regular coverage.
    """

    month: str
    days: int
    covered: tuple[str, ...]
    gaps: tuple[tuple[str, str], ...]
    strays: int

    @property
    def partial(self) -> bool:
        return len(self.covered) < self.days

    @property
    def last(self) -> str | None:
        """The last day of regular coverage: what "data up to" means."""
        return self.covered[-1] if self.covered else None

    @property
    def first(self) -> str | None:
        return self.covered[0] if self.covered else None

    @property
    def partial_from(self) -> str | None:
        """The day after the last covered day, when the month's end is not covered."""
        if not self.covered or self.covered[-1] == self.all_days()[-1]:
            return None
        return (date.fromisoformat(self.covered[-1]) + timedelta(days=1)).isoformat()

    def all_days(self) -> list[str]:
        year, mon = (int(v) for v in self.month.split("-"))
        return [date(year, mon, d).isoformat() for d in range(1, self.days + 1)]

    def gap_text(self) -> str:
        """'2024-08-24 to 2024-08-31, 2024-06-05' (or 'none')."""
        parts = [a if a == b else f"{a} to {b}" for a, b in self.gaps]
        return ", ".join(parts) or "none"


def month_coverage(month: str, days: pd.Series | list[str]) -> MonthCoverage:
    """Coverage of ``month`` from the day ('YYYY-MM-DD') of each of its items.

    Example:
        >>> c = month_coverage("2024-08", [f"2024-08-{d:02d}" for d in range(1, 24)
        ...                                for _ in range(50)] + ["2024-08-26", "2024-08-31"])
        >>> c.last, c.partial_from, c.gap_text(), c.strays
        ('2024-08-23', '2024-08-24', '2024-08-24 to 2024-08-31', 2)
    """
    year, mon = (int(v) for v in month.split("-"))
    n_days = calendar.monthrange(year, mon)[1]
    counts = pd.Series(list(days), dtype="object").value_counts()
    all_days = [date(year, mon, d).isoformat() for d in range(1, n_days + 1)]
    per_day = [int(counts.get(day, 0)) for day in all_days]
    nonzero = sorted(v for v in per_day if v)
    median = float(pd.Series(nonzero).median()) if nonzero else 0.0
    floor = max(1, math.ceil(REGULAR_SHARE * median))
    # How likely a regular day falls under the floor (Poisson with the median day's rate): a run
    # of low days is a gap only when a run that long is implausible by chance (GAP_ALPHA over the
    # month's days). At 140 items a day one empty day is a gap; at 2.6 a day it takes four.
    p_low = float(gammaincc(floor, median)) if median else 1.0
    covered, gaps, strays = [], [], 0
    i = 0
    while i < n_days:
        if per_day[i] >= floor:
            covered.append(all_days[i])
            i += 1
            continue
        j = i
        while j < n_days and per_day[j] < floor:
            j += 1
        if not nonzero or p_low ** (j - i) < GAP_ALPHA / n_days:
            gaps.append((all_days[i], all_days[j - 1]))
            strays += sum(per_day[i:j])
        else:  # quiet days, not a gap
            covered += all_days[i:j]
        i = j
    return MonthCoverage(month, n_days, tuple(covered), tuple(gaps), strays)


def frame_coverage(frame: pd.DataFrame, months: list[str]) -> dict[str, MonthCoverage]:
    """Coverage of each month from a frame with ``month`` and ``day`` columns."""
    return {m: month_coverage(m, frame.loc[frame["month"] == m, "day"]) for m in months}


def source_coverage(frame: pd.DataFrame, month: str) -> dict[str, MonthCoverage]:
    """Coverage of ``month`` for each source that has items in it."""
    now = frame[frame["month"] == month]
    return {
        str(s): month_coverage(month, now.loc[now["source"] == s, "day"])
        for s in sorted(now["source"].unique())
    }


def coverage(store: Any, months: list[str]) -> dict[str, tuple[int, int]]:
    """(days of regular coverage, days in month) per month (see vocmine.measure.coverage).

    Days missing inside a month count as well as days missing at its ends.
    """
    out = {}
    for m in months:
        days = [
            r[0]
            for r in store.conn.execute(
                "SELECT substr(created_at, 1, 10) FROM items WHERE month = ?", (m,)
            )
        ]
        c = month_coverage(m, days)
        out[m] = (len(c.covered), c.days)
    return out
