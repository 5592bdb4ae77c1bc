"""What a theme costs: ratings, CSAT, support cost, and where it concentrates.

Every figure compares the theme's items of the month with the rest of the month's items, so that
"1.4★" reads against what everyone else gave, not against an absolute scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from vocmine.measure.stats import mean_difference, newcombe, two_proportion_p

# Segments the report looks at, with the column that holds each.
SEGMENTS = {"app version": "app_version", "country": "country", "language": "language"}
# A segment value is called out when it holds at least this share of the theme's items (that
# carry a value), at least CONCENTRATION_LIFT times its share of the rest, CONCENTRATION_MIN
# items, and the difference is significant at CONCENTRATION_P (strict: several values are tried).
CONCENTRATION_SHARE = 0.5
CONCENTRATION_LIFT = 1.5
CONCENTRATION_MIN = 10
CONCENTRATION_P = 0.001


@dataclass(frozen=True)
class Impact:
    """A theme's weight on ratings and CSAT for one month, against the rest of the month."""

    rating_diff: tuple[float, float, float] | None
    csat_theme: tuple[int, int]
    csat_rest: tuple[int, int]
    csat_diff: tuple[float, float] | None
    rating_lift: float | None
    csat_lift: float | None
    cost: float | None
    tickets: int

    @property
    def csat_share(self) -> float | None:
        """Share of the theme's CSAT answers that are negative."""
        bad, n = self.csat_theme
        return bad / n if n else None

    @property
    def csat_rest_share(self) -> float | None:
        """Share of the other CSAT answers of the month that are negative."""
        bad, n = self.csat_rest
        return bad / n if n else None


@dataclass(frozen=True)
class Concentration:
    """A segment value that holds most of a theme: a release regression, a country's issue."""

    segment: str
    value: str
    count: int
    of: int
    rest_share: float
    p_value: float

    @property
    def share(self) -> float:
        """The value's share of the theme's items that carry a value."""
        return self.count / self.of if self.of else 0.0


def impact(
    month_frame: pd.DataFrame, mask: pd.Series, cost_per_contact: dict[str, float]
) -> Impact:
    """Ratings, CSAT and cost of the items selected by ``mask`` against the rest of the month.

    ``rating_lift`` is how much the month's average rating would change without the theme's
    reviews (mean of the rest minus mean of all: +0.12 means the rating would be 0.12★ higher).
    ``csat_lift`` is how many points the negative-CSAT share would drop without the theme.

    Example:
        >>> month = pd.DataFrame({"rating": [1, 2, 4, 5], "csat_negative": None,
        ...                       "kind": "review", "source": "play"})
        >>> round(impact(month, month["rating"] < 3, {}).rating_lift, 2)  # 3★ with, 4.5★ without
        1.5
    """
    ratings = month_frame["rating"]
    mine, rest = ratings[mask].dropna().tolist(), ratings[~mask].dropna().tolist()
    every = mine + rest
    rating_lift = None
    if mine and rest:
        rating_lift = sum(rest) / len(rest) - sum(every) / len(every)
    csat = month_frame["csat_negative"].astype("float64")
    bad_t, n_t = int(csat[mask].sum()), int(csat[mask].notna().sum())
    bad_r, n_r = int(csat[~mask].sum()), int(csat[~mask].notna().sum())
    csat_lift = None
    if n_t and n_r:
        csat_lift = (bad_t + bad_r) / (n_t + n_r) - bad_r / n_r
    tickets = month_frame[mask & (month_frame["kind"] == "ticket")]
    return Impact(
        rating_diff=mean_difference(mine, rest),
        csat_theme=(bad_t, n_t),
        csat_rest=(bad_r, n_r),
        csat_diff=newcombe(bad_t, n_t, bad_r, n_r) if n_t and n_r else None,
        rating_lift=rating_lift,
        csat_lift=csat_lift,
        cost=ticket_cost(tickets["source"], cost_per_contact),
        tickets=len(tickets),
    )


def ticket_cost(sources: pd.Series, cost_per_contact: dict[str, float]) -> float | None:
    """Cost of these tickets: each source's cost per contact ('*' for any source); None if unset.

    Example:
        >>> ticket_cost(pd.Series(["zendesk", "zendesk"]), {"*": 4.0})
        8.0
    """
    if not cost_per_contact:
        return None
    default = cost_per_contact.get("*", 0.0)
    return float(sum(cost_per_contact.get(s, default) for s in sources))


def concentrations(month_frame: pd.DataFrame, mask: pd.Series) -> list[Concentration]:
    """Segment values where the theme concentrates (see CONCENTRATION_* for the rule).

    Each value is compared with the rest of the month's items that carry a value of the same
    segment: app versions mostly come with store reviews, so versions compare with versions.
    """
    found = []
    for segment, column in SEGMENTS.items():
        values = month_frame[column]
        has = values.notna() & (values != "und")
        mine, rest = values[mask & has], values[~mask & has]
        if len(mine) < CONCENTRATION_MIN or rest.empty:
            continue
        counts = mine.value_counts()
        top = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]
        value, count = str(top[0]), int(top[1])
        in_rest = int((rest == value).sum())
        rest_share = in_rest / len(rest)
        p = two_proportion_p(count, len(mine), in_rest, len(rest))
        share = count / len(mine)
        if (
            count >= CONCENTRATION_MIN
            and share >= CONCENTRATION_SHARE
            and share >= CONCENTRATION_LIFT * rest_share
            and p < CONCENTRATION_P
        ):
            found.append(Concentration(segment, value, count, len(mine), rest_share, p))
    return found


def segment_counts(month_frame: pd.DataFrame, mask: pd.Series, column: str) -> dict[str, int]:
    """The theme's items per value of a segment column, largest first ('unknown' when missing)."""
    values = month_frame.loc[mask, column].fillna("unknown").value_counts()
    return {str(k): int(v) for k, v in sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))}
