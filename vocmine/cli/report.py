"""``vocmine assign``, ``status``, ``report``, ``spot-check`` and ``export``: what is stored, and
what it says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from vocmine.cli.common import (
    bar_hooks,
    console,
    handle_errors,
    open_project,
    out,
    progress_bar,
)
from vocmine.errors import ConfigError

_MOST_BORDERLINE = 100_000


def assign(
    ctx: typer.Context,
    borderline: Annotated[
        int,
        typer.Option(
            help="Then list the N items whose intent was the closest call (for review).",
        ),
    ] = 0,
) -> None:
    """Re-assign intents after a taxonomy or threshold change (from cached vectors, or re-tuned
    and re-embedded with [assign] method "finetune").

    Example: vocmine assign --borderline 20
    """
    from vocmine.cli.common import load_taxonomy
    from vocmine.pipeline.update import reassign
    from vocmine.themes.assign import configured_key

    if not 0 <= borderline <= _MOST_BORDERLINE:
        raise ConfigError(
            f"--borderline must be between 0 and {_MOST_BORDERLINE}, e.g. 20; got {borderline}"
        )
    with open_project(ctx) as (cfg, store), progress_bar() as bar:
        taxonomy = load_taxonomy(cfg.taxonomy)
        embedded, assigned = reassign(store, config=cfg, taxonomy=taxonomy, hooks=bar_hooks(bar))
        out.print(f"embedded {embedded} new texts; assigned {assigned} items")
        if borderline > 0:
            key = configured_key(taxonomy, cfg)
            _print_borderline(store.borderline(key, borderline))


def _print_borderline(rows: list[Any]) -> None:
    """One line per item: scores, chosen intent vs runner-up, where it is, its (redacted) text."""
    out.print(f"{len(rows)} closest calls (score, runner-up score: intent vs runner-up):")
    for item_id, month, intent, score, runner_up, runner_score, text in rows:
        other = "" if runner_score is None else f"{runner_score:.3f}"
        out.print(
            f"  {score:.3f} {other:>5}  {intent or 'unassigned'} vs {runner_up or '-'}  "
            f"[item {item_id}, {month}]  {' '.join(text.split())[:120]}",
            soft_wrap=True,
        )


def status(
    ctx: typer.Context,
    rejects: Annotated[bool, typer.Option("--rejects", help="List every skipped row.")] = False,
) -> None:
    """Show what is stored: items per source, month and language, and the last runs.

    Example: vocmine status --rejects
    """
    from vocmine.measure import status as status_lib

    with open_project(ctx) as (cfg, store):
        summary = status_lib.summarise(store, config=cfg)
    for title, rows in summary.tables():
        table = Table(title=title, title_justify="left")
        for i, col in enumerate(rows[0]):
            numeric = all(re.fullmatch(r"[\d.,%]*", row[i]) for row in rows[1:])
            table.add_column(col, justify="right" if numeric else "left")
        for row in rows[1:]:
            table.add_row(*row)
        out.print(table)
    if rejects:
        for source, location, reason in summary.rejects:
            out.print(f"{location} ({source}): {reason}", soft_wrap=True)


def report(
    ctx: typer.Context,
    month: Annotated[str, typer.Option(help="Month to report, YYYY-MM.")],
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the report. Default: [vocmine] reports."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="md, or html: the Markdown and also one self-contained YYYY-MM.html."
        ),
    ] = "md",
) -> None:
    """Write reports/YYYY-MM.md and its charts for a month (and YYYY-MM.html with --format html).

    Example: vocmine report --month 2026-10 --format html
    """
    from vocmine.cli.common import load_taxonomy
    from vocmine.report.build import generate, validate_month
    from vocmine.report.llm import make_drafter

    validate_month(month)
    if fmt not in ("md", "html"):
        raise ConfigError(f"--format {fmt!r} is not supported; use md or html")
    with open_project(ctx) as (cfg, store):
        _check_folder(out_dir or cfg.reports, "--out" if out_dir else "[vocmine] reports")
        taxonomy = load_taxonomy(cfg.taxonomy)
        # None unless [llm] enabled = true: then drafts are cached in the database, by input.
        drafter = make_drafter(cfg, store, warn=lambda m: console.print(escape(m), soft_wrap=True))
        path = generate(
            store, config=cfg, taxonomy=taxonomy, month=month, out_dir=out_dir, drafter=drafter
        )
    out.print(f"wrote {path}", soft_wrap=True)
    if fmt == "html":
        from vocmine.report.html import write_html

        out.print(f"wrote {write_html(path)}", soft_wrap=True)


def _check_folder(folder: Path, option: str) -> None:
    """A report folder must be a folder, or not exist yet (it is then created)."""
    parent = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise ConfigError(
            f"{option} {str(folder)!r}: {str(parent)!r} is a file, not a folder; "
            "pass --out with a folder (it is created if missing)"
        )


def export(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Option(help="Month to export, YYYY-MM (or use --since/--until).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="First day to export, YYYY-MM-DD (UTC), instead of --month.")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(help="Last day to export, YYYY-MM-DD (UTC). Default: --since's month end."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv or parquet. Default: from --out's extension, else csv."),
    ] = None,
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out", help="File or folder to write. Default: [vocmine] reports/PERIOD-items.FORMAT."
        ),
    ] = None,
) -> None:
    """Export items with their intents, scores and segments to CSV or Parquet, for BI tools.

    Example: vocmine export --month 2026-10 --format parquet
    """
    from vocmine.cli.common import load_taxonomy
    from vocmine.report.export import Period, export_items

    period = Period.from_options(month=month, since=since, until=until)
    with open_project(ctx) as (cfg, store):
        result = export_items(
            store,
            config=cfg,
            taxonomy=load_taxonomy(cfg.taxonomy),
            period=period,
            fmt=fmt,
            out=out_path,
        )
    out.print(f"wrote {result.path} ({result.rows} items, {result.format})", soft_wrap=True)


def spot_check(
    ctx: typer.Context,
    month: Annotated[str, typer.Option(help="Month to read, YYYY-MM.")],
    per_intent: Annotated[
        int, typer.Option(help="Random items drawn of each of the report's top problems.")
    ] = 20,
    top: Annotated[
        int, typer.Option(help="How many of the report's top problems, in its order.")
    ] = 4,
    seed: Annotated[int, typer.Option(help="Seed of the draw.")] = 7,
    force: Annotated[
        bool, typer.Option("--force", help="Draw a new sheet over one that holds answers.")
    ] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder of the sheet. Default: [vocmine] reports."),
    ] = None,
) -> None:
    """Draw random items of the month's top problems for a person to mark on or off theme.

    Writes reports/YYYY-MM-spot-check.csv; fill its on_theme column with y or n, and the report
    shows, on each problem, how many items were read as on theme. Run again to see the tally.

    Example: vocmine spot-check --month 2026-10 --per-intent 20
    """
    from vocmine.cli.common import load_taxonomy
    from vocmine.report.spotcheck import spot_check as draw_sheet

    with open_project(ctx) as (cfg, store):
        _check_folder(out_dir or cfg.reports, "--out" if out_dir else "[vocmine] reports")
        result = draw_sheet(
            store,
            config=cfg,
            taxonomy=load_taxonomy(cfg.taxonomy),
            month=month,
            per_intent=per_intent,
            top=top,
            seed=seed,
            force=force,
            out_dir=out_dir,
        )
    if result.drawn:
        out.print(
            f"wrote {result.path}: {result.rows} items of {len(result.intents)} top problems "
            f"({', '.join(result.intents)}); mark on_theme y or n, then run "
            f"'vocmine report --month {month}'",
            soft_wrap=True,
        )
        return
    out.print(
        f"kept {result.path}: {result.answered} of {result.rows} items answered "
        "(--force draws a new sheet over the answers)",
        soft_wrap=True,
    )
    for r in result.readings:
        low, high = r.interval()
        said = (
            f"{r.on_theme} of {r.read} on theme ({r.share:.0%}, 95% interval {low:.0%}-{high:.0%})"
            if r.read
            else "none read"
        )
        said += f", {r.moved} moved to another intent since" if r.moved else ""
        said += f", {r.unreadable} not y or n" if r.unreadable else ""
        out.print(f"  {r.intent_id}: {said}, {r.blank} to read", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``assign``, ``status``, ``report``, ``spot-check`` and ``export`` to the main app."""
    app.command("assign")(handle_errors(assign))
    app.command("status")(handle_errors(status))
    app.command("report")(handle_errors(report))
    app.command("spot-check")(handle_errors(spot_check))
    app.command("export")(handle_errors(export))
