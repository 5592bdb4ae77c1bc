"""``vocmine ingest``: every configured source, or one file or live source given by flags."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from vocmine.cli.common import (
    Since,
    bar_hooks,
    command_name,
    config_of,
    console,
    handle_errors,
    open_project,
    out,
    parse_since,
    progress_bar,
)
from vocmine.errors import ConfigError, VocmineError

ingest_app = typer.Typer(
    help="Gather feedback, redact it, store it, embed it and assign intents.\n\n"
    "With no sub-command, runs every [sources.NAME] table of vocmine.toml.\n\n"
    "Example: vocmine ingest, or vocmine ingest file reviews.csv --kind review",
    invoke_without_command=True,
)


def _run_ingest(
    ctx: typer.Context,
    sources: list[Any],
    *,
    embed: bool,
    since: str | None,
    args: dict[str, Any],
    restart: bool = False,
) -> None:
    from vocmine.cli.common import load_taxonomy
    from vocmine.pipeline.ingest import IngestError, ingest

    with open_project(ctx) as (cfg, store), progress_bar() as bar, _show_warnings():
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
                command=command_name(ctx),
                args={**args, "since": since},
                since=parse_since(since),
                embed=embed,
                hooks=hooks,
                restart=restart,
            )
        except IngestError as exc:  # a source stopped: show what was done, then the error
            if any(s.error is None or s.read for s in exc.result.sources):
                _print_ingest(exc.result)  # (one source that read nothing: its error says it all)
            raise
        missing = store.sources_without_user_ids([s.source for s in result.sources])
        from vocmine.themes.embed import model_advice

        advice = model_advice(cfg, store)
    _print_ingest(result)
    if advice:
        out.print(advice)
    for source in missing:
        out.print(
            f"note: source {source!r} has no user id: each store review counts as one user, "
            "tickets and comments as none. Map the column that identifies the author "
            "(--user-id-col COLUMN, or user_id under [sources.NAME.columns]) to count "
            "distinct users and allow quotes.",
            soft_wrap=True,
        )


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
    if any(s.repaired for s in result.sources):  # lone surrogates replaced by U+FFFD
        counted.append("repaired")
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
    cfg = config_of(ctx)
    if not cfg.sources:
        raise ConfigError(
            "no sources configured; add a [sources.NAME] table to vocmine.toml "
            "or run 'vocmine ingest file PATH'"
        )
    sources = [_built(name, table, cfg.base_dir) for name, table in sorted(cfg.sources.items())]
    _run_ingest(
        ctx, sources, embed=not no_embed, since=since, args={"sources": sorted(cfg.sources)}
    )


class _Unusable:
    """A configured source that could not be built: it stops with that error when ingested, so
    that the sources after it still run."""

    def __init__(self, name: str, error: VocmineError) -> None:
        self.name, self.error = name, error

    def iter_records(self, since: Any) -> Iterator[Any]:
        raise self.error
        yield  # a generator, like every source


def _built(name: str, table: dict[str, Any], base_dir: Path) -> Any:
    from vocmine.sources import build

    try:
        return build(name, table, base_dir=base_dir)
    except VocmineError as exc:
        return _Unusable(name, exc)


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

    cfg = config_of(ctx)
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
