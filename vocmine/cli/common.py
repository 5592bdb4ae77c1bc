"""What every command shares: global options, one-line errors, progress bars, dates.

Errors from the library (VocmineError) become one line on stderr with a non-zero exit code; set
VOCMINE_DEBUG=1 to see the traceback instead.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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

from vocmine.errors import ConfigError, VocmineError

P = ParamSpec("P")
R = TypeVar("R")

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


def options(ctx: typer.Context) -> Options:
    obj = ctx.find_root().obj
    assert isinstance(obj, Options)
    return obj


def config_of(ctx: typer.Context) -> Any:
    from vocmine.config import load_config

    opts = options(ctx)
    return load_config(opts.config, db=opts.db, taxonomy=opts.taxonomy)


@contextmanager
def open_project(ctx: typer.Context, *, needs_data: str | None = None) -> Iterator[tuple[Any, Any]]:
    """(config, store) of the project. ``needs_data`` (what the command takes from the stored
    feedback) refuses a missing database in one line, before opening would create an empty one."""
    from vocmine.store.store import open_store
    from vocmine.themes.embed import resolve_model

    cfg = config_of(ctx)
    if needs_data is not None and not cfg.db.exists():
        raise ConfigError(f"{needs_data} ({cfg.db} does not exist); run 'vocmine ingest' first")
    store = open_store(cfg.db)
    try:
        # [embedding] model = "auto": the model the stored feedback's languages call for.
        cfg = resolve_model(cfg, store)
        yield cfg, store
    finally:
        store.close()


def command_name(ctx: typer.Context) -> str:
    """'vocmine ingest file' whatever the program was called (its options go to runs.args)."""
    return " ".join(["vocmine", *ctx.command_path.split()[1:]])


def progress_bar() -> Progress:
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
    from vocmine.pipeline.update import Hooks

    return Hooks(
        on_embed_start=bar_starter(bar, "embedding"),
        on_assign_start=bar_starter(bar, "assigning"),
        on_tune_start=bar_starter(bar, "tuning the model on the taxonomy"),
    )


def parse_since(value: str | None) -> datetime | None:
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


def load_taxonomy(root: Path) -> Any:
    """The taxonomy at ``root``, after versioning any hand edit of its files (see
    vocmine.taxonomy.handedit): every command that loads the taxonomy goes through here."""
    from vocmine.taxonomy.handedit import record_hand_edits
    from vocmine.taxonomy.model import load_taxonomy as load

    edit = record_hand_edits(root, today=datetime.now(UTC).date())
    if edit is not None:
        old, new = edit.version
        version = f"; version {old} -> {new}" if old != new else ""
        console.print(
            escape(f"{root}: {edit.summary}{version}; recorded in {root}/CHANGELOG.md"),
            soft_wrap=True,
        )
    return load(root)
