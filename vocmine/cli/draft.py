"""``vocmine taxonomy draft``: a first taxonomy drawn from the stored feedback (thin layer).

The work is done by :mod:`vocmine.pipeline.drafting`; this module resolves the options, shows
progress and prints what was drafted and how much of the feedback it covers.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from vocmine.cli.common import bar_hooks, handle_errors, out, progress_bar
from vocmine.cli.edits import command_line, today_utc
from vocmine.cli.taxonomy import taxonomy_app
from vocmine.errors import ConfigError
from vocmine.taxonomy.drafted import DEFAULT_EXAMPLES


@taxonomy_app.command()
@handle_errors
def draft(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option(help="Draw from this month only, YYYY-MM (default: every stored month)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Draw from this day (YYYY-MM-DD) to --month (or the last month)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace a taxonomy that is not the untouched starter (kept in "
            "taxonomy/replaced/, its ids retired).",
        ),
    ] = False,
    seed: Annotated[int | None, typer.Option(help="Seed. Default: [discover] seed.")] = None,
    examples: Annotated[
        int, typer.Option(help="Examples per language per intent, taken from the data.")
    ] = DEFAULT_EXAMPLES,
    reason: Annotated[
        str, typer.Option(help="Why: recorded in taxonomy/CHANGELOG.md.")
    ] = "first taxonomy drawn from the stored feedback",
) -> None:
    """Draft a taxonomy from the stored feedback: themes become intents with examples, sizes
    and quotes from the data, grouped in categories, for review (taxonomy/DRAFT.md). Replaces
    the untouched starter; anything else only with --replace. Run it after 'vocmine ingest'.

    Example: vocmine taxonomy draft --since 2024-05-01
    """
    import re
    from dataclasses import replace as with_fields

    from vocmine.cli.common import open_project, parse_since
    from vocmine.pipeline.drafting import draft_taxonomy
    from vocmine.themes.discover import Period

    if month is not None and not re.fullmatch(r"(19|2\d)\d{2}-(0[1-9]|1[0-2])", month):
        raise ConfigError(f"--month {month!r} is not a month; use YYYY-MM, e.g. 2024-08")
    if seed is not None and not 0 <= seed < 2**32:  # UMAP's random_state takes no other
        raise ConfigError(f"--seed {seed} is out of range; use 0 to 4294967295, e.g. 42")
    if examples < 1 or examples > 100:
        raise ConfigError(f"--examples {examples} is out of range; use 1 to 100, e.g. 60")
    start = parse_since(since)
    command = command_line(
        "draft", ("--month", month), ("--since", since), ("--seed", seed),
        *(["--replace"] if replace else []), ("--reason", reason),
    )  # fmt: skip
    stored = open_project(ctx, needs_data="no feedback is stored yet")
    with stored as (cfg, store), progress_bar() as bar:
        if seed is not None:
            cfg = with_fields(cfg, discover=with_fields(cfg.discover, seed=seed))
        months = store.months()
        chosen = month or (months[-1] if months else "1900-01")
        first = start.date() if start else (None if month else _first_day(months))
        period = Period(chosen, since=first, include_assigned=True)
        task = bar.add_task("drafting", total=8)
        outcome = draft_taxonomy(
            store, config=cfg, period=period, replace=replace, today=today_utc(),
            command=command, reason=reason, per_language=examples, hooks=bar_hooks(bar),
            on_step=lambda name: bar.update(task, advance=1, description=name),
        )  # fmt: skip
        bar.update(task, completed=8, description="done")
    _print_draft(outcome, cfg.taxonomy)


def _first_day(months: list[str]) -> date | None:
    return date.fromisoformat(f"{months[0]}-01") if months else None


def _print_draft(outcome: Any, root: Any) -> None:
    from rich.table import Table

    draft_ = outcome.draft
    table = Table(title=f"drafted taxonomy ({draft_.period})", title_justify="left")
    for col in ("intent", "name", "items", "examples"):
        table.add_column(col, justify="right" if col in {"items", "examples"} else "left")
    for intent in draft_.intents:
        count = sum(len(t) for t in intent.examples.values())
        table.add_row(intent.id, intent.name, str(intent.size), str(count))
    out.print(table)
    written = outcome.written
    replaced = {
        "starter": "; the starter taxonomy was replaced",
        "edited": f"; the previous taxonomy is kept in {written.kept_in}",
    }.get(written.replaced, "")
    out.print(
        f"wrote {root}: {len(draft_.intents)} intents in {len(draft_.categories)} categories, "
        f"version {written.version[1]}{replaced}; review it in {written.review}",
        soft_wrap=True,
    )
    if draft_.left_out:
        out.print(
            f"left out {len(draft_.left_out)} themes without enough short examples "
            f"(listed in {written.review})",
            soft_wrap=True,
        )
    if outcome.off_sign:
        out.print(
            f"took out {outcome.off_sign} examples whose reviews' stars contradict their "
            "intent's type (praise under a problem, complaints under praise)",
            soft_wrap=True,
        )
    done, total = outcome.month_counts
    month_share = f"; {outcome.month}: {done / total:.0%} of {total}" if total else ""
    out.print(
        f"assigned {outcome.assigned} of {outcome.total} items ({outcome.share:.0%}){month_share}",
        soft_wrap=True,
    )
    out.print(
        "next: review with 'vocmine taxonomy edit|rename|merge|retire' (see DRAFT.md), then "
        f"'vocmine report --month {outcome.month}'",
        soft_wrap=True,
    )
