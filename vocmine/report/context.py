"""What a report is made from (:class:`ReportInputs`) and what its renderers see (:class:`Context`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from vocmine.config import Config
from vocmine.measure.fit import TaxonomyFit
from vocmine.measure.metrics import BASELINE_MONTHS, Headline, MonthlyMetrics, ThemeStats
from vocmine.measure.spotcheck import Reading
from vocmine.report.format import escape_name
from vocmine.store.store import Store
from vocmine.taxonomy.model import Taxonomy
from vocmine.taxonomy.proposals import Proposal

# A theme with fewer items than this gets a line in the All themes table, not a section with a
# chart: a handful of items says nothing about a trend.
MIN_SECTION_ITEMS = 5

# drafter(kind, facts) -> text or None: optional writing help (issue 5b's [llm] module).
Drafter = Callable[[str, dict[str, Any]], str | None]


def problem_themes(
    taxonomy: Taxonomy, metrics: MonthlyMetrics, *, seen_only: bool = True
) -> list[ThemeStats]:
    """Themes of type 'problem' seen in the month (or, ``seen_only=False``, also those with no
    item this month: a problem that fell to 0), by priority."""
    types = {i.id: i.type for i in taxonomy.intents}
    return [
        t
        for t in metrics.themes
        if types[t.intent_id] == "problem" and (t.count > 0 or not seen_only)
    ]


def section_themes(problems: list[ThemeStats], top: int) -> list[ThemeStats]:
    """The problems that get a section: the first ``top`` with MIN_SECTION_ITEMS or more items
    (the report's cards, and the themes ``vocmine spot-check`` draws from)."""
    return [t for t in problems if t.count >= MIN_SECTION_ITEMS][:top]


@dataclass(frozen=True)
class ReportInputs:
    """What a report is made from."""

    store: Store
    taxonomy: Taxonomy
    config: Config
    month: str
    assign_key: str
    command: str
    drafter: Drafter | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Context:
    """Everything the renderer needs."""

    inputs: ReportInputs
    metrics: MonthlyMetrics
    frame: pd.DataFrame
    rejects: tuple[dict[str, int], list[tuple[str, str, str]]]
    db_counts: dict[str, Any]
    charts: dict[str, Path]
    proposals: list[Proposal] | None = None
    fit: TaxonomyFit | None = None
    spot_checks: tuple[Reading, ...] = ()  # a person's reading of random items, per intent

    def spot_check(self, intent_id: str) -> Reading | None:
        """The reading of ``intent_id``'s items in the month's spot-check sheet, if any was read."""
        found = next((r for r in self.spot_checks if r.intent_id == intent_id), None)
        return found if found is not None and (found.read or found.moved) else None

    @property
    def now(self) -> Headline:
        return self.metrics.headlines[self.metrics.month]

    @property
    def before(self) -> Headline | None:
        months = self.metrics.months
        return self.metrics.headlines[months[-2]] if len(months) > 1 else None

    @property
    def partial(self) -> bool:
        """The report month's data stops before its last day (or starts after its first)."""
        return self.metrics.partial(self.metrics.month)

    @property
    def per_day_mode(self) -> bool:
        """Counts are compared per day when the month or a baseline month is partial."""
        months = [*self.metrics.trend_months[:-1][-BASELINE_MONTHS:], self.metrics.month]
        return any(self.metrics.partial(m) for m in months)

    def name(self, intent_id: str) -> str:
        """The intent's name as written in the taxonomy (for the drafter's facts)."""
        return self.inputs.taxonomy.intent(intent_id).name

    def label(self, intent_id: str) -> str:
        """The intent's name for the Markdown: escaped, the taxonomy is a file users edit."""
        return escape_name(self.name(intent_id))

    def problems(self) -> list[ThemeStats]:
        """Themes of type 'problem' seen this month, by priority."""
        return problem_themes(self.inputs.taxonomy, self.metrics)

    def top(self) -> list[ThemeStats]:
        """The problems that get a section: the first ``[report] top`` with MIN_SECTION_ITEMS+."""
        return section_themes(self.problems(), self.inputs.config.report.top)

    def chart(self, stem: str, alt: str) -> str:
        path = self.charts.get(stem)
        return f"![{escape_name(alt)}]({path.as_posix()})" if path else ""

    def per_day(self, count: float, month: str) -> float:
        return count / max(1, self.metrics.days(month))
