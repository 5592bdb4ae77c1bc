"""The vocmine command line: a thin layer that resolves options, calls the library and renders.

Each command group lives in its own module (ingest, taxonomy, discover and eval, report and
export); this one builds the app from them and turns unexpected errors into one line.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from vocmine.cli import discover as discover_commands
from vocmine.cli import draft as _draft_command  # noqa: F401  (adds 'taxonomy draft')
from vocmine.cli import report as report_commands
from vocmine.cli.common import Options, console, handle_errors, out
from vocmine.cli.ingest import ingest_app
from vocmine.cli.taxonomy import taxonomy_app

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
app.add_typer(ingest_app, name="ingest")
app.add_typer(taxonomy_app, name="taxonomy")
discover_commands.register(app)
report_commands.register(app)


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


# --- init --------------------------------------------------------------------------------------


@app.command()
@handle_errors
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to set up.")] = Path("."),
    starter: Annotated[
        bool,
        typer.Option(
            "--starter",
            help="Copy the starter taxonomy (the default, said explicitly): an example "
            "that 'vocmine taxonomy draft' replaces once your feedback is ingested.",
        ),
    ] = True,
) -> None:
    """Create vocmine.toml, a starter taxonomy/ and reports/ in a folder. Never overwrites.

    The starter taxonomy (a walking-rewards app) lets ingest run at once; after ingesting your
    own feedback, 'vocmine taxonomy draft' replaces it with one drawn from the data.

    Example: vocmine init my-feedback
    """
    from vocmine.project import init_project

    result = init_project(directory)
    for path in result.created:
        out.print(f"created {path}")
    for path in result.kept:
        out.print(f"kept    {path} (exists)")
    out.print(
        "next: add [sources.NAME] tables to vocmine.toml, then run 'vocmine ingest'; then "
        "'vocmine taxonomy draft' replaces the starter taxonomy with one drawn from your feedback",
        soft_wrap=True,
    )
    out.print(_model_line(directory))


def _model_line(directory: Path) -> str:
    """Which embedding model the project's feedback calls for (one line)."""
    from vocmine.config import load_config

    cfg = load_config(directory / "vocmine.toml")
    if cfg.db.exists():  # init in a project that already has feedback: look at its languages
        from vocmine.store.store import open_store
        from vocmine.themes.embed import model_advice

        store = open_store(cfg.db)
        try:
            advice = model_advice(cfg, store)
        finally:
            store.close()
        if advice:
            return advice
    return (
        f"embedding model: {cfg.embedding.model} (multilingual-e5-small when 20% or more of the "
        "feedback is not in English, else the bundled English model)"
        if cfg.embedding.model == "auto"
        else f"embedding model: {cfg.embedding.model}"
    )


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
