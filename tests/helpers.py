"""Small builders shared by tests."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vocmine.models import Item, RawFeedback, Rejected
from vocmine.prepare.normalise import text_hash


def item(external_id: str, text: str = "le virement n'arrive pas", **kw: object) -> Item:
    """An already-normalised item."""
    values: dict[str, object] = {
        "source": "play",
        "external_id": external_id,
        "kind": "review",
        "text": text,
        "text_hash": text_hash(text),
        "created_at": datetime(2026, 10, 3, 8, 0, tzinfo=UTC),
        "language": "fr",
        "language_prob": 0.99,
    }
    values.update(kw)
    return Item(**values)  # type: ignore[arg-type]


class ListSource:
    """A source plugin over a list, optionally failing after ``fail_after`` records."""

    def __init__(
        self, name: str, records: list[RawFeedback | Rejected], fail_after: int | None = None
    ):
        self.name = name
        self.records = records
        self.fail_after = fail_after

    def iter_records(self, since: datetime | None) -> Iterator[RawFeedback | Rejected]:
        for i, record in enumerate(self.records):
            if self.fail_after is not None and i == self.fail_after:
                raise RuntimeError("connection reset")
            yield record


def raw(external_id: str, text: str, *, day: int = 3, month: int = 10, **kw: object) -> RawFeedback:
    """A raw record as a source yields it."""
    values: dict[str, object] = {
        "source": "test",
        "external_id": external_id,
        "kind": "review",
        "text": text,
        "created_at": datetime(2026, month, day, 12, 0, tzinfo=UTC),
        "location": f"test:{external_id}",
    }
    values.update(kw)
    return RawFeedback(**values)  # type: ignore[arg-type]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def themes_now(store: Any, config: Any, taxonomy: Any, month: str = "2026-10", n: int = 2) -> dict:
    """intent id -> ThemeStats of ``month`` (``n`` months of history), under the current
    assignment key: what a report computed right now would show."""
    from vocmine.measure.metrics import compute, load_items, month_window
    from vocmine.themes.assign import configured_key

    key = configured_key(taxonomy, config)
    months = month_window(month, n)
    metrics = compute(
        load_items(store, months, assign_key=key), taxonomy, month=month, months=months
    )
    return {t.intent_id: t for t in metrics.themes}


def ingest_into(db: Path, source: Any, since: datetime | None = None) -> Any:
    """One source ingested into the database at ``db``, nothing embedded: its SourceResult."""
    from vocmine.pipeline.ingest import ingest_source
    from vocmine.store.store import open_store

    store = open_store(db)
    try:
        return ingest_source(store, source, run_id=store.start_run("test", {}), since=since)
    finally:
        store.close()


def rows(db: Path, sql: str) -> list[Any]:
    """The rows ``sql`` selects from the database at ``db``."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def spawn_vocmine(
    project: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """``vocmine ARGS`` as a real process in ``project``, its database at ``project/v.db``."""
    root = Path(__file__).resolve().parent.parent
    full = {
        **os.environ,
        "PYTHONPATH": str(root),
        "VOCMINE_DB": str(project / "v.db"),
        **(env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from vocmine.cli.app import main; main()", *args],
        cwd=project,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def store_records(config: Any, records: list[RawFeedback]) -> None:
    """``records`` ingested (as source "play") into ``config``'s database, embedded and assigned."""
    from vocmine.pipeline.ingest import ingest
    from vocmine.store.store import open_store
    from vocmine.taxonomy.model import load_taxonomy

    store = open_store(config.db)
    try:
        taxonomy = load_taxonomy(config.taxonomy)
        sources = [ListSource("play", list(records))]
        ingest(store, sources, config=config, taxonomy=taxonomy, command="test", args={})
    finally:
        store.close()


def intents_by_text(project: Path) -> dict[str, str | None]:
    """Stored text -> assigned intent (None when unassigned) in the project's database."""
    return {text: intent for text, (intent, _) in assignments_by_text(project).items()}


def assignments_by_text(project: Path) -> dict[str, tuple[str | None, str | None]]:
    """Stored text -> (assigned intent or None, the reason it is unassigned or None)."""
    from vocmine.config import load_config
    from vocmine.store.store import open_store

    store = open_store(load_config(project / "vocmine.toml").db)
    try:
        rows = store.conn.execute(
            "SELECT i.text, a.intent_id, a.reason FROM items i "
            "JOIN assignments a ON a.item_id = i.id"
        ).fetchall()
    finally:
        store.close()
    return {text: (intent, reason) for text, intent, reason in rows}
