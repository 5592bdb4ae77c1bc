"""``vocmine spot-check``: draw the month's sheet of random items per top problem, or show what
a person has read of it so far (:mod:`vocmine.measure.spotcheck` says why and how it is read)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vocmine.config import Config
from vocmine.errors import ConfigError, VocmineError
from vocmine.measure.spotcheck import (
    Reading,
    answered,
    current_intents,
    draw,
    read_sheet,
    readings,
    sheet_path,
)
from vocmine.report.build import month_metrics, top_problem_ids, validate_month
from vocmine.report.context import ReportInputs
from vocmine.report.export import write
from vocmine.store.store import Store
from vocmine.taxonomy.model import Taxonomy


@dataclass(frozen=True)
class SpotCheck:
    """The sheet and what became of it: ``drawn`` anew, or kept because it holds answers."""

    path: Path
    drawn: bool
    rows: int
    answered: int
    intents: list[str] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)


def spot_check(
    store: Store,
    *,
    config: Config,
    taxonomy: Taxonomy,
    month: str,
    per_intent: int,
    seed: int,
    top: int = 4,
    force: bool = False,
    out_dir: Path | None = None,
) -> SpotCheck:
    """Bring assignments up to date, then draw ``per_intent`` random items of each of the
    month's first ``top`` problems (the report's, in its order) into
    ``reports/YYYY-MM-spot-check.csv``.

    A sheet that already holds answers is kept, and its readings returned, unless ``force``:
    answers are a person's work, and re-running a command must not lose them.

    Raises:
        ConfigError: ``per_intent`` or ``top`` is under 1.
        VocmineError: No feedback for the month, no problem with a section in the report, or
            an existing sheet that cannot be read.
    """
    from vocmine.pipeline.update import embed_and_assign
    from vocmine.themes.assign import configured_key

    validate_month(month)
    if per_intent < 1 or top < 1:
        raise ConfigError(f"--per-intent {per_intent} --top {top}: both must be 1 or more")
    path = sheet_path(out_dir or config.reports, month)
    args = {"month": month, "per_intent": per_intent, "top": top, "seed": seed, "force": force}
    with store.recorded_run(f"vocmine spot-check --month {month}", args) as run:
        embed_and_assign(store, config=config, taxonomy=taxonomy)
        inputs = ReportInputs(
            store=store,
            taxonomy=taxonomy,
            config=config,
            month=month,
            assign_key=configured_key(taxonomy, config),
            command="",
        )
        frame, metrics = month_metrics(inputs)
        if path.exists() and not force:
            sheet = read_sheet(path)
            if done := answered(sheet):
                run.counts.update(kept=str(path))
                return SpotCheck(path, False, len(sheet), done, [],
                                 readings(sheet, current_intents(frame, month)))  # fmt: skip
        chosen = top_problem_ids(inputs, metrics)[:top]
        if not chosen:
            raise VocmineError(
                f"no problem theme has a section in the {month} report (5 items or more); "
                "nothing to spot-check: run 'vocmine report --month' to see the month's themes"
            )
        intents = [(i, taxonomy.intent(i).name, taxonomy.intent(i).problem) for i in chosen]
        sheet = draw(frame[frame["month"] == month], intents, per_intent=per_intent, seed=seed)
        write(sheet, path, "csv")
        run.counts.update(drawn=str(path), rows=len(sheet))
    return SpotCheck(path, True, len(sheet), 0, chosen)
