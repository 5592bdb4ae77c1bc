"""The monthly report: Markdown for Product, with charts, redacted and escaped quotes.

Everything in the report is derived from the database and the taxonomy: no wall-clock time, sorted
iteration, deterministic charts. The same database and taxonomy give a byte-identical report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from vocmine.config import Config
from vocmine.errors import ConfigError, VocmineError
from vocmine.measure.fit import TaxonomyFit, taxonomy_fit
from vocmine.measure.metrics import (
    MonthlyMetrics,
    compute,
    database_counts,
    load_items,
    month_window,
    rejects_summary,
)
from vocmine.measure.spotcheck import month_readings
from vocmine.report.context import (
    Context,
    Drafter,
    ReportInputs,
    problem_themes,
    section_themes,
)
from vocmine.report.quotes import add_centrality
from vocmine.store.store import Store
from vocmine.taxonomy.changelog import added_days
from vocmine.taxonomy.model import Taxonomy
from vocmine.taxonomy.proposals import pending_proposals


def validate_month(month: str) -> str:
    """Check 'YYYY-MM'. Raises ConfigError with the expected form."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month) or not 1900 <= int(month[:4]) <= 2999:
        raise ConfigError(f"--month {month!r} is not a month; use the form YYYY-MM, e.g. 2026-10")
    return month


def _load_month(inputs: ReportInputs, month: str) -> tuple[pd.DataFrame, list[str]]:
    """The items of the report's months, starting at the first month that has data."""
    months = month_window(month, inputs.config.report.months)
    frame = load_items(inputs.store, months, assign_key=inputs.assign_key, taxonomy=inputs.taxonomy)
    if not (frame["month"] == month).any():
        stored = inputs.store.months()
        hint = f"months with data: {', '.join(stored)}" if stored else "the database is empty"
        raise VocmineError(f"no feedback stored for {month} ({hint}); run 'vocmine ingest' first")
    # Months before the first stored feedback are "no data", not zero: trends start with the data.
    with_data = set(frame["month"])
    months = months[next(i for i, m in enumerate(months) if m in with_data) :]
    return frame[frame["month"].isin(months)], months


def build_report(inputs: ReportInputs, out_dir: Path) -> tuple[str, list[Path]]:
    """Compute the metrics, draw the charts into ``out_dir/<month>/`` and render the Markdown.

    Returns:
        The Markdown text and the chart files written.

    Raises:
        VocmineError: No item is stored for the month.
    """
    from vocmine.report import charts
    from vocmine.report import markdown as report_md
    from vocmine.themes.embed import canonical_model_id

    month = inputs.month
    frame, metrics = month_metrics(inputs)
    cfg = inputs.config.report
    model = canonical_model_id(inputs.config.embedding.model)
    frame = add_centrality(frame, inputs.store, model, month)
    names = {i.id: i.name for i in inputs.taxonomy.intents}
    problems = problem_themes(inputs.taxonomy, metrics)
    top = section_themes(problems, cfg.top)
    paths = charts.draw_all(
        metrics,
        names,
        out_dir / month,
        top=top,
        impact_themes=problems[: cfg.top],
        problems={i.id for i in inputs.taxonomy.intents if i.type == "problem"},
    )
    context = Context(
        inputs=inputs,
        metrics=metrics,
        frame=frame,
        rejects=rejects_summary(inputs.store),
        db_counts=database_counts(inputs.store),
        charts={p.stem: p.relative_to(out_dir) for p in paths},
        proposals=pending_proposals(inputs.taxonomy.root / "proposals", month),
        fit=_fit(inputs, frame),
        spot_checks=tuple(month_readings(out_dir, month, frame)),
    )
    return report_md.render(context), paths


def month_metrics(inputs: ReportInputs) -> tuple[pd.DataFrame, MonthlyMetrics]:
    """The items of the report's months and their metrics (themes ranked by priority).

    Raises:
        VocmineError: No item is stored for the month.
    """
    month = validate_month(inputs.month)
    frame, months = _load_month(inputs, month)
    cfg = inputs.config.report
    metrics = compute(
        frame,
        inputs.taxonomy,
        month=month,
        months=months,
        weights=(cfg.weight_volume, cfg.weight_growth, cfg.weight_impact),
        cost_per_contact=cfg.cost_per_contact,
    )
    return frame, metrics


def top_problem_ids(inputs: ReportInputs, metrics: MonthlyMetrics) -> list[str]:
    """The problems the report gives a section, in its order (what a reader sees first)."""
    problems = problem_themes(inputs.taxonomy, metrics)
    return [t.intent_id for t in section_themes(problems, inputs.config.report.top)]


def _fit(inputs: ReportInputs, frame: pd.DataFrame) -> TaxonomyFit:
    """The month's fit; the retire window may reach further back than the report's months."""
    cfg = inputs.config.report
    # The last months *with data*: a gap of empty months pushes the window back past the
    # report's own months, so they are read from the store, not from the report's frame.
    window = [m for m in inputs.store.months() if m <= inputs.month][-cfg.retire_after_months :]
    if not set(window) <= set(frame["month"]):
        frame = load_items(
            inputs.store, window, assign_key=inputs.assign_key, taxonomy=inputs.taxonomy
        )
    return taxonomy_fit(
        frame,
        inputs.taxonomy,
        month=inputs.month,
        unassigned_warning=cfg.unassigned_warning,
        retire_after_months=cfg.retire_after_months,
        added=added_days(inputs.taxonomy.root, [i.id for i in inputs.taxonomy.intents]),
    )


def generate(
    store: Store,
    *,
    config: Config,
    taxonomy: Taxonomy,
    month: str,
    out_dir: Path | None = None,
    command: str | None = None,
    drafter: Drafter | None = None,
) -> Path:
    """Bring assignments up to date, then write the month's report; returns the Markdown's path.

    Assignments are recomputed only when the taxonomy, model or thresholds changed since they
    were made, from cached vectors; the model is loaded only if something has no vector yet.

    Args:
        command: The command line shown in the run record; default the canonical
            ``vocmine report --month M`` (no paths, so that the report stays byte-identical).
        drafter: Optional writing help, called as ``drafter("summary", facts)`` and
            ``drafter("proposal", facts)`` with figures and redacted quotes only; its text is
            shown escaped and marked as drafted by a language model.

    Usage::

        generate(store, config=cfg, taxonomy=load_taxonomy(cfg.taxonomy), month="2026-10")
        # -> the Markdown's path: reports/2026-10.md under the project folder
    """
    validate_month(month)
    command = command or f"vocmine report --month {month}"
    with store.recorded_run(command, {"month": month}) as run:
        path = _generate(
            store,
            config=config,
            taxonomy=taxonomy,
            month=month,
            out_dir=out_dir,
            command=command,
            drafter=drafter,
        )
        run.counts["report"] = str(path)
    return path


def _generate(
    store: Store,
    *,
    config: Config,
    taxonomy: Taxonomy,
    month: str,
    out_dir: Path | None,
    command: str,
    drafter: Drafter | None,
) -> Path:
    from vocmine.pipeline.update import embed_and_assign
    from vocmine.themes.assign import configured_key

    embed_and_assign(store, config=config, taxonomy=taxonomy)
    key = configured_key(taxonomy, config)
    inputs = ReportInputs(
        store=store,
        taxonomy=taxonomy,
        config=config,
        month=month,
        assign_key=key,
        command=command,
        drafter=drafter,
    )
    return write_report(inputs, out_dir or config.reports)


def write_report(inputs: ReportInputs, out_dir: Path) -> Path:
    """Write ``out_dir/<month>.md`` and its charts; returns the Markdown file's path."""
    text, _ = build_report(inputs, out_dir)
    path = out_dir / f"{inputs.month}.md"
    path.write_text(text, encoding="utf-8")
    return path
