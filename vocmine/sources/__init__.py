r"""Sources are plugins with one method: ``iter_records(since)`` yields raw feedback.

Batching, cleaning, redaction, language detection, de-duplication and storage are shared code
(:mod:`vocmine.pipeline.update`); a source only knows how to read its records. Built-in sources register
exactly like an outside one would, through :func:`register`.

A live source (an API read page by page) sets ``resumable = True``: it then receives the state it
last checkpointed, ``iter_records(since, state=...)``, and yields a :class:`Checkpoint` after each
page. The pipeline stores the records yielded before a checkpoint together with its state in one
transaction, so a run killed at any point resumes from the last page stored, without gaps. A live
source may also yield :class:`~vocmine.models.Deleted` for records deleted at the source, and
name in ``kept_on_restart`` the state keys that ``ingest --restart`` must not forget.

Example:
    >>> import tempfile
    >>> from vocmine.sources import build
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "reviews.csv").write_text("id,date,text\n1,2026-10-03,The app crashes\n")
    >>> table = {"type": "file", "path": "reviews.csv", "kind": "review"}
    >>> source = build("play_export", table, base_dir=folder)
    >>> [(record.external_id, record.text) for record in source.iter_records(None)]
    [('1', 'The app crashes')]
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from vocmine.errors import ConfigError, VocmineError
from vocmine.models import Deleted, RawFeedback, Rejected


class SourceError(VocmineError):
    """A live source stopped (network, server, credentials); what it checkpointed is kept.

    The message names the source, what happened and, when it matters, the variable to check.
    """


@dataclass(frozen=True)
class Checkpoint:
    """Yielded by a resumable source: every record yielded so far is covered by ``state``.

    ``state`` is JSON-serialisable (a cursor, a high-water mark, a page in progress); the next run
    receives it back as ``iter_records(since, state=...)``.
    """

    state: dict[str, Any] = field(default_factory=dict)


class Source(Protocol):
    """What every source provides."""

    name: str

    def iter_records(self, since: datetime | None) -> Iterator[RawFeedback | Rejected]:
        """Yield feedback created at or after ``since`` (all of it when None), and rejects."""
        ...


class ResumableSource(Protocol):
    """A live source: its one method also takes the state it last checkpointed."""

    name: str
    resumable: bool

    def iter_records(
        self, since: datetime | None, *, state: Mapping[str, Any]
    ) -> Iterator[RawFeedback | Rejected | Deleted | Checkpoint]:
        """Yield records, and a :class:`Checkpoint` after each page.

        A source that learns of deletions yields :class:`~vocmine.models.Deleted`; the
        pipeline removes those items and what was derived from them.
        """
        ...


SourceFactory = Callable[[str, Mapping[str, Any], Path], "Source | ResumableSource"]

# type name -> "module:function"; imported on first use so that `vocmine --help` stays fast.
DEFAULT_SOURCES: dict[str, str] = {
    "file": "vocmine.sources.files:from_config",
    "play": "vocmine.sources.play:from_config",
    "appstore": "vocmine.sources.appstore:from_config",
    "zendesk": "vocmine.sources.zendesk:from_config",
}

_registry: dict[str, SourceFactory] = {}


def register(type_name: str, factory: SourceFactory) -> None:
    """Register a source type, for ``type = "NAME"`` in a ``[sources.X]`` table."""
    _registry[type_name] = factory


def source_types() -> list[str]:
    """All known source type names, sorted."""
    return sorted(set(DEFAULT_SOURCES) | set(_registry))


def _factory(type_name: str) -> SourceFactory:
    if type_name in _registry:
        return _registry[type_name]
    if type_name in DEFAULT_SOURCES:
        module_name, _, attr = DEFAULT_SOURCES[type_name].partition(":")
        factory: SourceFactory = getattr(importlib.import_module(module_name), attr)
        _registry[type_name] = factory
        return factory
    raise ConfigError(f"unknown source type {type_name!r}; use one of: {', '.join(source_types())}")


def build(name: str, table: Mapping[str, Any], *, base_dir: Path) -> Source | ResumableSource:
    """Build the source described by the ``[sources.NAME]`` table.

    Args:
        name: The source's name (the table key), stored with every item.
        table: The table's values; ``type`` defaults to ``"file"``.
        base_dir: Directory that relative paths in the table are resolved against.

    Raises:
        ConfigError: The type is unknown or the table is invalid.
    """
    type_name = str(table.get("type", "file"))
    return _factory(type_name)(name, table, base_dir)
