"""The vocmine command line: a thin layer that resolves options, calls the library and renders.

Errors from the library (VocmineError) become one line on stderr with a non-zero exit code; set
VOCMINE_DEBUG=1 to see the traceback instead.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from vocmine.errors import ConfigError, VocmineError

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    name="vocmine",
    help="Turn support tickets, CSAT comments and app reviews into monthly problem statements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # main() turns unexpected errors into one line
    pretty_exceptions_show_locals=False,  # and tracebacks must never print API tokens
    # Help texts name config tables ([sources.NAME], [vocmine] db): not markup.
    rich_markup_mode=None,
)
ingest_app = typer.Typer(
    help="Gather feedback, redact it, store it, embed it and assign intents.\n\n"
    "With no sub-command, runs every [sources.NAME] table of vocmine.toml.\n\n"
    "Example: vocmine ingest, or vocmine ingest file reviews.csv --kind review",
    invoke_without_command=True,
)
app.add_typer(ingest_app, name="ingest")

console = Console(stderr=True, highlight=False)
# Plain output: user data and messages contain brackets ([sources.x], [EMAIL]) that are not markup.
out = Console(highlight=False, markup=False)


@dataclass
class Options:
    """Global options, resolved once."""

    config: Path
    db: Path | None
    taxonomy: Path | None


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn VocmineError into a one-line message and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except VocmineError as exc:
            if os.environ.get("VOCMINE_DEBUG"):
                raise
            console.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            console.print("interrupted: the batch in progress was rolled back; re-run to resume")
            raise typer.Exit(130) from None

    return wrapper


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="VOCMINE_DB",
            help="Database file. Default: [vocmine] db, else ./vocmine.db.",
        ),
    ] = None,
    taxonomy: Annotated[
        Path | None,
        typer.Option(
            "--taxonomy",
            envvar="VOCMINE_TAXONOMY",
            help="Taxonomy folder. Default: [vocmine] taxonomy, else ./taxonomy.",
        ),
    ] = None,
    config: Annotated[
        Path, typer.Option("--config", envvar="VOCMINE_CONFIG", help="Config file (optional).")
    ] = Path("vocmine.toml"),
) -> None:
    """vocmine: what users struggle with, how often, and whether it is getting worse.

    Example: vocmine init && vocmine ingest && vocmine report --month 2026-10
    """
    ctx.obj = Options(config=config, db=db, taxonomy=taxonomy)


def _options(ctx: typer.Context) -> Options:
    obj = ctx.find_root().obj
    assert isinstance(obj, Options)
    return obj


def _config(ctx: typer.Context) -> Any:
    from vocmine.config import load_config

    opts = _options(ctx)
    return load_config(opts.config, db=opts.db, taxonomy=opts.taxonomy)


@contextmanager
def _open(ctx: typer.Context) -> Iterator[tuple[Any, Any]]:
    from vocmine.store import open_store

    cfg = _config(ctx)
    store = open_store(cfg.db)
    try:
        yield cfg, store
    finally:
        store.close()


def _command_name(ctx: typer.Context) -> str:
    """'vocmine ingest file' whatever the program was called (its options go to runs.args)."""
    return " ".join(["vocmine", *ctx.command_path.split()[1:]])


# --- init --------------------------------------------------------------------------------------


@app.command()
@handle_errors
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to set up.")] = Path("."),
) -> None:
    """Create vocmine.toml, a starter taxonomy/ and reports/ in a folder. Never overwrites.

    Example: vocmine init my-feedback
    """
    from vocmine.project import init_project

    result = init_project(directory)
    for path in result.created:
        out.print(f"created {path}")
    for path in result.kept:
        out.print(f"kept    {path} (exists)")
    out.print("next: add [sources.NAME] tables to vocmine.toml, then run 'vocmine ingest'")


# --- ingest ------------------------------------------------------------------------------------


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal and not os.environ.get("VOCMINE_PROGRESS"),
    )


def bar_starter(bar: Progress, label: str) -> Callable[[int], Callable[[int], None]]:
    """A callback that adds a ``label`` bar of ``total`` steps and returns its advance function."""

    def start(total: int) -> Callable[[int], None]:
        task = bar.add_task(label, total=total)
        return lambda n: bar.advance(task, n)

    return start


def bar_hooks(bar: Progress) -> Any:
    """Hooks that show embedding, tuning and assignment as bars of ``bar``."""
    from vocmine.pipeline import Hooks

    return Hooks(
        on_embed_start=bar_starter(bar, "embedding"),
        on_assign_start=bar_starter(bar, "assigning"),
        on_tune_start=bar_starter(bar, "tuning the model on the taxonomy"),
    )


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise ConfigError(
            f"--since {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-07-01"
        ) from None


Since = Annotated[
    str | None,
    typer.Option("--since", help="Only feedback created on or after this day (YYYY-MM-DD, UTC)."),
]


def _run_ingest(
    ctx: typer.Context,
    sources: list[Any],
    *,
    embed: bool,
    since: str | None,
    args: dict[str, Any],
    restart: bool = False,
) -> None:
    from vocmine.pipeline import IngestError, ingest
    from vocmine.taxonomy import load_taxonomy

    with _open(ctx) as (cfg, store), _progress() as bar, _show_warnings():
        taxonomy = load_taxonomy(cfg.taxonomy)
        reading = bar.add_task("reading", total=None)
        pages: dict[str, int] = {}

        def described(name: str) -> str:
            done = pages.get(name)
            return f"reading {name}" + ("" if done is None else f", {done} pages stored")

        def page_done(name: str) -> None:
            pages[name] = pages.get(name, 0) + 1
            bar.update(reading, description=described(name))

        hooks = replace(
            bar_hooks(bar),
            on_record=lambda name: bar.update(reading, advance=1, description=described(name)),
            on_page=page_done,
        )
        try:
            result = ingest(
                store,
                sources,
                config=cfg,
                taxonomy=taxonomy,
                command=_command_name(ctx),
                args={**args, "since": since},
                since=_since(since),
                embed=embed,
                hooks=hooks,
                restart=restart,
            )
        except IngestError as exc:  # a live source stopped: show what was done, then the error
            _print_ingest(exc.result)
            raise
    _print_ingest(result)


class _ConsoleHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        console.print(
            f"[yellow]{escape(record.levelname.lower())}:[/] {escape(record.getMessage())}",
            soft_wrap=True,
        )


@contextmanager
def _show_warnings() -> Iterator[None]:
    """Show the library's warnings (a live source waiting on a 429 or retrying) on stderr."""
    logger = logging.getLogger("vocmine")
    handler = _ConsoleHandler(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _print_ingest(result: Any) -> None:
    table = Table(title="ingest", title_justify="left")
    counted = ["read", "new", "updated", "unchanged", "rejected"]
    if any(s.deleted for s in result.sources):  # a deletion at the source reached the store
        counted.append("deleted")
    for col in ("source", *counted, "status"):
        table.add_column(col, justify="left" if col in ("source", "status") else "right")
    for s in result.sources:
        c = s.counts()
        table.add_row(
            s.source,
            *(str(c.get(k, 0)) for k in counted),
            "ok" if s.error is None else "stopped",
        )
    out.print(table)
    out.print(f"embedded {result.embedded} new texts; assigned {result.assigned} items")
    rejects = [r for s in result.sources for r in s.rejected]
    if rejects:
        out.print(f"{len(rejects)} rows skipped:")
        for rej in rejects[:20]:
            out.print(f"  {rej.location}: {rej.reason}", soft_wrap=True)
        if len(rejects) > 20:
            out.print(f"  ... and {len(rejects) - 20} more ('vocmine status --rejects' lists all)")


@ingest_app.callback()
@handle_errors
def ingest_all(
    ctx: typer.Context,
    no_embed: Annotated[bool, typer.Option("--no-embed", help="Store only; embed later.")] = False,
    since: Since = None,
) -> None:
    """Run every source configured in vocmine.toml."""
    if ctx.invoked_subcommand is not None:
        return
    from vocmine.sources import build

    cfg = _config(ctx)
    if not cfg.sources:
        raise ConfigError(
            "no sources configured; add a [sources.NAME] table to vocmine.toml "
            "or run 'vocmine ingest file PATH'"
        )
    sources = [
        build(name, table, base_dir=cfg.base_dir) for name, table in sorted(cfg.sources.items())
    ]
    _run_ingest(
        ctx, sources, embed=not no_embed, since=since, args={"sources": sorted(cfg.sources)}
    )


Col = Annotated[str | None, typer.Option(show_default=False)]


@ingest_app.command("file")
@handle_errors
def ingest_file(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="CSV, JSONL or Zendesk export JSON files.")],
    source: Annotated[
        str | None,
        typer.Option(
            help="Source name (the natural key's first half). Default: 'zendesk' for .json, "
            "else the file name without extension."
        ),
    ] = None,
    kind: Annotated[str | None, typer.Option(help="ticket, csat, review or survey.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="csv, jsonl or zendesk.")] = None,
    text_col: Col = None,
    id_col: Col = None,
    date_col: Col = None,
    rating_col: Col = None,
    csat_col: Col = None,
    language_col: Col = None,
    country_col: Col = None,
    app_version_col: Col = None,
    user_id_col: Col = None,
    channel_col: Col = None,
    title_col: Col = None,
    encoding: Annotated[str, typer.Option(help="File encoding, e.g. latin-1.")] = "utf-8",
    delimiter: Annotated[
        str | None, typer.Option(help="CSV delimiter (sniffed if omitted).")
    ] = None,
    date_format: Annotated[str | None, typer.Option(help="strptime format, e.g. %d/%m/%Y.")] = None,
    timezone: Annotated[str, typer.Option(help="Zone of dates without one.")] = "UTC",
    no_embed: Annotated[bool, typer.Option("--no-embed", help="Store only; embed later.")] = False,
    since: Since = None,
) -> None:
    """Ingest feedback files, mapping their columns with --*-col flags.

    Example: vocmine ingest file play.csv --kind review --text-col content --rating-col score
    """
    from vocmine.sources.files import ColumnMap, FileSource

    given = {
        "text": text_col,
        "id": id_col,
        "date": date_col,
        "rating": rating_col,
        "csat": csat_col,
        "language": language_col,
        "country": country_col,
        "app_version": app_version_col,
        "user_id": user_id_col,
        "channel": channel_col,
        "title": title_col,
    }
    columns = ColumnMap.from_mapping({k: v for k, v in given.items() if v})
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise ConfigError(f"file not found: {missing[0]}; check the path")
    sources = []
    for path in paths:
        name = source or ("zendesk" if path.suffix.lower() == ".json" else path.stem)
        sources.append(
            FileSource(
                name,
                [path],
                format=fmt,
                kind=kind,
                columns=columns,
                encoding=encoding,
                delimiter=delimiter,
                date_format=date_format,
                timezone=timezone,
            )
        )
    _run_ingest(
        ctx, sources, embed=not no_embed, since=since, args={"paths": [str(p) for p in paths]}
    )


Name = Annotated[
    str | None,
    typer.Option("--name", help="Source name, and the [sources.NAME] table whose keys apply."),
]
BaseUrl = Annotated[
    str | None, typer.Option("--base-url", help="A mirror, proxy or test server to read from.")
]
NoEmbed = Annotated[bool, typer.Option("--no-embed", help="Store only; embed later.")]
Restart = Annotated[
    bool,
    typer.Option(
        "--restart",
        help="Forget where this source stopped and read again from --since (or the start); "
        "stored items are updated, not duplicated.",
    ),
]


def _run_live(
    ctx: typer.Context,
    type_name: str,
    name: str,
    flags: dict[str, Any],
    *,
    embed: bool,
    since: str | None,
    restart: bool,
) -> None:
    from vocmine.sources import build

    cfg = _config(ctx)
    table = {**cfg.sources.get(name, {}), **{k: v for k, v in flags.items() if v}}
    if table.setdefault("type", type_name) != type_name:
        raise ConfigError(
            f"[sources.{name}] is of type {table['type']!r}, not {type_name!r}; pass another --name"
        )
    source = build(name, table, base_dir=cfg.base_dir)
    args = {"source": name, **flags, **({"restart": True} if restart else {})}
    _run_ingest(ctx, [source], embed=embed, since=since, args=args, restart=restart)


@ingest_app.command("play")
@handle_errors
def ingest_play(
    ctx: typer.Context,
    apps: Annotated[
        list[str] | None, typer.Argument(help="Package names, e.g. com.example.app.")
    ] = None,
    locale: Annotated[
        list[str] | None, typer.Option("--locale", help="language-COUNTRY, e.g. fr-FR; repeat.")
    ] = None,
    name: Name = None,
    base_url: BaseUrl = None,
    no_embed: NoEmbed = False,
    since: Since = None,
    restart: Restart = False,
) -> None:
    """Pull new Google Play reviews.

    Newest first, down to the last review stored or --since; resumes where a run stopped.

    Example: vocmine ingest play com.example.app --locale fr-FR --locale en-US
    """
    flags = {"apps": apps, "locales": locale, "base_url": base_url}
    _run_live(ctx, "play", name or "play", flags, embed=not no_embed, since=since, restart=restart)


@ingest_app.command("appstore")
@handle_errors
def ingest_appstore(
    ctx: typer.Context,
    apps: Annotated[
        list[str] | None, typer.Argument(help="Numeric App Store ids, e.g. 1234567890.")
    ] = None,
    country: Annotated[
        list[str] | None, typer.Option("--country", help="Storefront code, e.g. fr; repeat.")
    ] = None,
    name: Name = None,
    base_url: BaseUrl = None,
    no_embed: NoEmbed = False,
    since: Since = None,
    restart: Restart = False,
) -> None:
    """Pull new App Store reviews.

    From Apple's customer-reviews feed, newest first; resumes where a run stopped.

    Example: vocmine ingest appstore 1234567890 --country fr --country us
    """
    flags = {"apps": apps, "countries": country, "base_url": base_url}
    _run_live(
        ctx, "appstore", name or "appstore", flags, embed=not no_embed, since=since, restart=restart
    )


@ingest_app.command("zendesk")
@handle_errors
def ingest_zendesk(
    ctx: typer.Context,
    subdomain: Annotated[
        str | None, typer.Option("--subdomain", help="acme for acme.zendesk.com.")
    ] = None,
    name: Name = None,
    base_url: BaseUrl = None,
    no_embed: NoEmbed = False,
    since: Since = None,
    restart: Restart = False,
) -> None:
    """Pull new and changed Zendesk tickets and CSAT comments.

    Incremental export from the stored cursor; resumes where a run stopped.

    Credentials: VOCMINE_ZENDESK_EMAIL and VOCMINE_ZENDESK_TOKEN (an API token).

    Example: vocmine ingest zendesk --subdomain acme
    """
    flags = {"subdomain": subdomain, "base_url": base_url}
    _run_live(
        ctx, "zendesk", name or "zendesk", flags, embed=not no_embed, since=since, restart=restart
    )


# --- assign, status, report ----------------------------------------------------------------------


@app.command()
@handle_errors
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
    from vocmine.assign import configured_key
    from vocmine.pipeline import reassign
    from vocmine.taxonomy import load_taxonomy

    with _open(ctx) as (cfg, store), _progress() as bar:
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


@app.command()
@handle_errors
def status(
    ctx: typer.Context,
    rejects: Annotated[bool, typer.Option("--rejects", help="List every skipped row.")] = False,
) -> None:
    """Show what is stored: items per source, month and language, and the last runs.

    Example: vocmine status --rejects
    """
    from vocmine import status as status_lib

    with _open(ctx) as (cfg, store):
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


@app.command()
@handle_errors
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
    from vocmine.llm import make_drafter
    from vocmine.report import generate, validate_month
    from vocmine.taxonomy import load_taxonomy

    validate_month(month)
    if fmt not in ("md", "html"):
        raise ConfigError(f"--format {fmt!r} is not supported; use md or html")
    with _open(ctx) as (cfg, store):
        taxonomy = load_taxonomy(cfg.taxonomy)
        # None unless [llm] enabled = true: then drafts are cached in the database, by input.
        drafter = make_drafter(cfg, store, warn=lambda m: console.print(escape(m), soft_wrap=True))
        path = generate(
            store, config=cfg, taxonomy=taxonomy, month=month, out_dir=out_dir, drafter=drafter
        )
    out.print(f"wrote {path}", soft_wrap=True)
    if fmt == "html":
        from vocmine.report_html import write_html

        out.print(f"wrote {write_html(path)}", soft_wrap=True)


@app.command()
@handle_errors
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
    from vocmine.export import Period, export_items
    from vocmine.taxonomy import load_taxonomy

    period = Period.from_options(month=month, since=since, until=until)
    with _open(ctx) as (cfg, store):
        result = export_items(
            store,
            config=cfg,
            taxonomy=load_taxonomy(cfg.taxonomy),
            period=period,
            fmt=fmt,
            out=out_path,
        )
    out.print(f"wrote {result.path} ({result.rows} items, {result.format})", soft_wrap=True)


def main() -> None:
    """Entry point of the ``vocmine`` console script.

    A bug must not dump a traceback (with local values) on a user: one line, and the way to get
    the details.
    """
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get("VOCMINE_DEBUG"):
            raise
        # Only the type and the place: an unexpected message could quote a token or user text.
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
        console.print(
            f"[red]internal error:[/] {escape(type(exc).__name__)} at {escape(where)}; "
            "re-run with VOCMINE_DEBUG=1 for the traceback, and please report it",
            soft_wrap=True,
        )
        sys.exit(70)


# Discovery and evaluation live in their own module; registered last, once the helpers exist.
from vocmine.cli_quality import register as _register_quality  # noqa: E402

_register_quality(app)

# The taxonomy sub-commands live in their own module, which imports the helpers above.
from vocmine.cli_taxonomy import taxonomy_app  # noqa: E402

app.add_typer(taxonomy_app, name="taxonomy")
