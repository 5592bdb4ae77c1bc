"""The embedded database: one SQLite file, migrated on open.

SQLite because it is a single file with no server to run, is in the standard library, and its
transactions give us the guarantee the pipeline needs: a batch is stored whole or not at all.

Items are keyed by (source, external_id); ``row_hash`` decides whether a re-ingested item changed.
Vectors are cached per (model, text_hash) as little-endian float32.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from vocmine import __version__
from vocmine.errors import StoreError
from vocmine.models import Deleted, Item, Rejected
from vocmine.store.migrations import MIGRATIONS
from vocmine.urls import scrub_value

_ITEM_COLUMNS = (
    "source", "external_id", "kind", "text", "text_hash", "row_hash", "created_at", "month",
    "language", "language_prob", "rating", "csat_score", "csat_negative", "country",
    "app_version", "user_hash", "channel", "extra",
)  # fmt: skip


@dataclass
class Run:
    """A command run being recorded: its id, and the counts it will be recorded with."""

    id: int
    counts: dict[str, Any] = field(default_factory=dict)


@dataclass
class UpsertCounts:
    """What storing a batch did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0


def utc_now() -> str:
    """The current time as ISO 8601 UTC, for run records only (never in reports)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_utc(moment: datetime) -> str:
    """Format a timezone-aware datetime as 'YYYY-MM-DDTHH:MM:SSZ' in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _statements(script: str) -> Iterator[str]:
    # executescript() would COMMIT first; run statement by statement inside our transaction.
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


def _row_values(item: Item) -> dict[str, Any]:
    values = asdict(item)
    values["created_at"] = iso_utc(item.created_at)
    values["month"] = values["created_at"][:7]
    values["extra"] = json.dumps(item.extra, sort_keys=True, ensure_ascii=False)
    values["csat_negative"] = None if item.csat_negative is None else int(item.csat_negative)
    values["row_hash"] = ""
    content = json.dumps([values[c] for c in _ITEM_COLUMNS if c != "row_hash"], ensure_ascii=False)
    from vocmine.prepare.normalise import text_hash  # one hash function for the whole project

    values["row_hash"] = text_hash(content)
    return values


class Store:
    """A vocmine database. Open it with :func:`open_store`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # -- transactions and runs -------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one transaction: everything is committed, or nothing is."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def start_run(self, command: str, args: dict[str, Any]) -> int:
        """Record the start of a command, its process id and host; returns the run id.

        Credentials in URLs among ``args`` (``--base-url https://user:pw@...``) are replaced
        by ``***``.
        """
        args_json = json.dumps(scrub_value(args), sort_keys=True, default=str)
        values: list[str | int] = [command, args_json, utc_now(), __version__]
        columns = ["command", "args", "started_at", "vocmine_version"]
        if self._runs_have_pid():  # always, once migrated; not under an older schema in tests
            values += [os.getpid(), socket.gethostname()]
            columns += ["pid", "host"]
        with self.transaction() as conn:
            cur = conn.execute(
                f"INSERT INTO runs ({', '.join(columns)}) VALUES ({', '.join('?' * len(values))})",
                values,
            )
        return int(cur.lastrowid or 0)

    def _runs_have_pid(self) -> bool:
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(runs)")}
        return "pid" in columns

    @contextmanager
    def recorded_run(self, command: str, args: dict[str, Any]) -> Iterator[Run]:
        """Record a command run around a block: ok, interrupted (Ctrl-C) or error.

        The block fills ``run.counts``; whatever it has filled is recorded, even on failure.
        """
        run = Run(self.start_run(command, args))
        status = "error"
        try:
            yield run
            status = "ok"
        except KeyboardInterrupt:
            status = "interrupted"
            raise
        finally:
            self.finish_run(run.id, status, run.counts)

    def finish_run(self, run_id: int, status: str, counts: dict[str, Any]) -> None:
        """Record how a command ended (ok, error, interrupted) and what it counted."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
                (utc_now(), status, json.dumps(scrub_value(counts), sort_keys=True), run_id),
            )

    # -- items --------------------------------------------------------------------------------

    def raw_hash(self, source: str, external_id: str) -> str | None:
        """The raw-record hash stored with an item, or None if the item is not stored."""
        row = self.conn.execute(
            "SELECT raw_hash FROM items WHERE source = ? AND external_id = ?", (source, external_id)
        ).fetchone()
        return None if row is None else str(row[0])

    def upsert_items(self, items: Iterable[tuple[Item, str]], *, run_id: int) -> UpsertCounts:
        """Insert new items, update changed ones, leave identical ones alone.

        Args:
            items: (item, raw_hash) pairs; the raw hash is kept to skip the record next time.
            run_id: The run that stores them.

        Call inside :meth:`transaction`. An updated item loses its intent assignment (its text may
        have changed), so the next assignment pass recomputes it.
        """
        counts = UpsertCounts()
        placeholders = ", ".join("?" for _ in _ITEM_COLUMNS)
        for item, raw in items:
            row = self.conn.execute(
                "SELECT id, row_hash, created_at FROM items WHERE source = ? AND external_id = ?",
                (item.source, item.external_id),
            ).fetchone()
            if row is not None and item.extra.get("date_from"):
                # The source dated it by when it was served (an older App Store feed), not
                # written: the first such date stays, or the review would move month each run.
                first_seen = datetime.fromisoformat(row[2].replace("Z", "+00:00"))
                item = replace(item, created_at=first_seen)
            values = {**_row_values(item), "raw_hash": raw}
            if row is None:
                self.conn.execute(
                    f"INSERT INTO items ({', '.join(_ITEM_COLUMNS)}, raw_hash, first_run, last_run) "
                    f"VALUES ({placeholders}, ?, ?, ?)",
                    [*(values[c] for c in _ITEM_COLUMNS), raw, run_id, run_id],
                )
                counts.new += 1
            elif row[1] != values["row_hash"]:
                sets = ", ".join(f"{c} = ?" for c in _ITEM_COLUMNS)
                self.conn.execute(
                    f"UPDATE items SET {sets}, raw_hash = ?, last_run = ? WHERE id = ?",
                    [*(values[c] for c in _ITEM_COLUMNS), raw, run_id, row[0]],
                )
                self.conn.execute("DELETE FROM assignments WHERE item_id = ?", (row[0],))
                counts.updated += 1
            else:
                # Same stored content from a different raw record: remember the new raw hash.
                self.conn.execute("UPDATE items SET raw_hash = ? WHERE id = ?", (raw, row[0]))
                counts.unchanged += 1
        return counts

    def delete_items(self, deletions: Sequence[Deleted]) -> int:
        """Remove deleted records, the items linked to them, their assignments and orphan vectors.

        A vector is removed once no stored item has its text any more (it was computed from the
        user's words), and so are the vectors of its sentences (the assignment gate's). A sentence
        another item also contains loses its vector too: the next assignment embeds it again.
        Call inside :meth:`transaction`. Returns the number of items removed.
        """
        ids: set[int] = set()
        for gone in deletions:
            found = self.conn.execute(
                "SELECT id FROM items WHERE source = ? AND external_id = ?",
                (gone.source, gone.external_id),
            ).fetchall()
            if gone.linked is not None:
                key, value = gone.linked
                found += self.conn.execute(
                    "SELECT id FROM items WHERE source = ? AND json_extract(extra, ?) = ?",
                    (gone.source, f"$.{key}", value),
                ).fetchall()
            ids.update(int(row[0]) for row in found)
        if not ids:
            return 0
        marks = ", ".join("?" for _ in ids)
        from vocmine.prepare.sentences import sentence_pairs

        texts = self.conn.execute(
            f"SELECT DISTINCT text_hash, text FROM items WHERE id IN ({marks})", sorted(ids)
        ).fetchall()
        hashes = sorted(
            {str(h) for h, _ in texts} | {h for h, _ in sentence_pairs(t for _, t in texts)}
        )
        # Their assignments go with them: ON DELETE CASCADE, foreign keys are on (open_store).
        self.conn.execute(f"DELETE FROM items WHERE id IN ({marks})", sorted(ids))
        for text_hash in hashes:
            self.conn.execute(
                "DELETE FROM embeddings WHERE text_hash = ? AND NOT EXISTS "
                "(SELECT 1 FROM items WHERE text_hash = ?)",
                (text_hash, text_hash),
            )
        return len(ids)

    def record_rejects(self, rejects: Sequence[Rejected], *, run_id: int) -> None:
        """Remember rejected records (once per source, location and reason). Call in a transaction."""
        for rej in rejects:
            self.conn.execute(
                "INSERT INTO rejects (source, location, reason, first_run, last_run) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, location, reason) "
                "DO UPDATE SET last_run = excluded.last_run",
                (rej.source, rej.location, rej.reason, run_id, run_id),
            )

    # -- source state ---------------------------------------------------------------------------

    def source_state(self, source: str) -> dict[str, Any]:
        """Where a live source stopped (its cursor or high-water mark); {} when it never ran."""
        row = self.conn.execute(
            "SELECT state FROM source_state WHERE source = ?", (source,)
        ).fetchone()
        return {} if row is None else dict(json.loads(row[0]))

    def set_source_state(self, source: str, state: dict[str, Any], *, run_id: int) -> None:
        """Remember where a source stopped. Call in the transaction that stores what it covers."""
        self.conn.execute(
            "INSERT INTO source_state (source, state, run) VALUES (?, ?, ?) "
            "ON CONFLICT (source) DO UPDATE SET state = excluded.state, run = excluded.run",
            (source, json.dumps(state, sort_keys=True), run_id),
        )

    # -- embeddings ---------------------------------------------------------------------------

    def texts_without_vectors(self, model: str) -> list[tuple[str, str]]:
        """(text_hash, text) of stored items that have no vector for ``model``, sorted by hash."""
        rows = self.conn.execute(
            "SELECT text_hash, MIN(text) FROM items i WHERE NOT EXISTS "
            "(SELECT 1 FROM embeddings e WHERE e.model = ? AND e.text_hash = i.text_hash) "
            "GROUP BY text_hash ORDER BY text_hash",
            (model,),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def stored_hashes(self) -> list[str]:
        """The text hash of every distinct stored text, sorted (:meth:`texts_of` reads texts)."""
        rows = self.conn.execute("SELECT DISTINCT text_hash FROM items ORDER BY text_hash")
        return [str(r[0]) for r in rows]

    def texts_of(self, hashes: Iterable[str]) -> dict[str, str]:
        """The stored item text of each of ``hashes`` (items with one hash share one text)."""
        rows = self._per_hash(
            "SELECT text_hash, MIN(text) FROM items WHERE text_hash IN ({})", hashes
        )
        return {str(h): str(t) for h, t in rows}

    def stars_of_texts(self, hashes: Iterable[str]) -> dict[str, float]:
        """Mean star rating of the items with each of ``hashes`` (absent where none is rated)."""
        rows = self._per_hash(
            "SELECT text_hash, AVG(rating) FROM items WHERE text_hash IN ({}) "
            "AND rating IS NOT NULL",
            hashes,
        )
        return {str(h): float(mean) for h, mean in rows}

    def distinct_texts(self) -> list[tuple[str, str, str, float | None]]:
        """Every distinct stored text once: (hash, text, language, mean stars or None),
        sorted by hash."""
        rows = self.conn.execute(
            "SELECT text_hash, MIN(text), MIN(language), AVG(rating) FROM items "
            "GROUP BY text_hash ORDER BY text_hash"
        )
        return [
            (str(h), str(t), str(lang), None if r is None else float(r)) for h, t, lang, r in rows
        ]

    def _per_hash(self, select: str, hashes: Iterable[str]) -> list[tuple[Any, Any]]:
        """Rows of ``select`` (its ``{}`` the hash placeholders) grouped by text hash, in
        chunks of 500 hashes: SQLite caps the bound parameters of one statement."""
        unique = sorted(set(hashes))
        rows: list[tuple[Any, Any]] = []
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows += self.conn.execute(f"{select.format(marks)} GROUP BY text_hash", chunk)
        return rows

    def drop_other_vectors(self, prefix: str, *, keep: str) -> int:
        """Delete cached vectors of every model whose id starts with ``prefix``, except ``keep``.

        Tuned models change with each taxonomy edit; their old vectors would otherwise pile up
        (1.5 KB per item per edit). Returns the number of vectors deleted.
        """
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM embeddings WHERE model LIKE ? ESCAPE '\\' AND model != ?",
                (pattern, keep),
            )
        return cursor.rowcount

    def missing_vectors(self, model: str, hashes: Iterable[str]) -> set[str]:
        """Which of ``hashes`` have no cached vector for ``model``."""
        wanted = set(hashes)
        have = {
            r[0]
            for r in self.conn.execute("SELECT text_hash FROM embeddings WHERE model = ?", (model,))
        }
        return wanted - have

    def put_vectors(self, model: str, hashes: Sequence[str], vectors: np.ndarray) -> None:
        """Cache vectors (rows of ``vectors``) for (model, text_hash), little-endian float32."""
        data = np.ascontiguousarray(vectors, dtype="<f4")
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO embeddings (model, text_hash, dim, vector) VALUES (?, ?, ?, ?)",
                [(model, h, data.shape[1], data[i].tobytes()) for i, h in enumerate(hashes)],
            )

    def vectors(self, model: str, hashes: Sequence[str]) -> np.ndarray:
        """Cached vectors for ``hashes`` in that order.

        Raises:
            StoreError: A vector is missing (run ``vocmine ingest`` again to embed it).
        """
        found: dict[str, np.ndarray] = {}
        unique = sorted(set(hashes))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for text_hash, blob in self.conn.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                [model, *chunk],
            ):
                found[text_hash] = np.frombuffer(blob, dtype="<f4")
        missing = [h for h in unique if h not in found]
        if missing:
            raise StoreError(
                f"{len(missing)} texts have no cached vector for model {model}; "
                "run 'vocmine ingest' (or 'vocmine assign') to embed them"
            )
        if not hashes:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[h] for h in hashes]).astype(np.float32)

    # -- assignments --------------------------------------------------------------------------

    def items_needing_assignment(self, assign_key: str) -> list[tuple[int, str]]:
        """(item id, text_hash) of items with no assignment under ``assign_key``."""
        rows = self.conn.execute(
            "SELECT i.id, i.text_hash FROM items i LEFT JOIN assignments a ON a.item_id = i.id "
            "WHERE a.item_id IS NULL OR a.assign_key != ? ORDER BY i.id",
            (assign_key,),
        ).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def ratings_of(self, item_ids: Sequence[int]) -> dict[int, float | None]:
        """The stars of each item (None where the source gives none)."""
        out: dict[int, float | None] = {}
        for start in range(0, len(item_ids), 900):  # SQLite's bound-parameter limit
            part = list(item_ids[start : start + 900])
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(f"SELECT id, rating FROM items WHERE id IN ({marks})", part)
            out.update({int(i): (None if r is None else float(r)) for i, r in rows})
        return out

    def put_assignments(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Store (item_id, assign_key, intent_id, score, runner_up, runner_up_score, reason)
        rows; ``reason`` says why ``intent_id`` is None (:data:`vocmine.themes.gate.REASONS`)."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO assignments (item_id, assign_key, intent_id, "
                "score, runner_up, runner_up_score, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    # -- drafting help cache ------------------------------------------------------------------

    def llm_cached(self, key: str) -> str | None:
        """A drafted text cached under ``key`` (see vocmine.report.llm), or None."""
        row = self.conn.execute("SELECT response FROM llm_cache WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put_llm_cache(self, key: str, *, model: str, kind: str, response: str) -> None:
        """Cache a drafted text; a second answer for the same key replaces the first."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO llm_cache (key, model, kind, response, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, model, kind, response, utc_now()),
            )

    def borderline(self, assign_key: str, limit: int) -> list[tuple[Any, ...]]:
        """The ``limit`` items whose intent was the closest call under ``assign_key``.

        Rows of (item id, month, intent or None, score, runner-up, runner-up score, text), the
        smallest gap between the two scores first.
        """
        return self.conn.execute(
            "SELECT i.id, i.month, a.intent_id, a.score, a.runner_up, a.runner_up_score, i.text "
            "FROM assignments a JOIN items i ON i.id = a.item_id WHERE a.assign_key = ? "
            "ORDER BY a.score - COALESCE(a.runner_up_score, 0), i.id LIMIT ?",
            (assign_key, limit),
        ).fetchall()

    def months(self) -> list[str]:
        """Every month ('YYYY-MM') that has items, oldest first."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT month FROM items ORDER BY month")]

    def sources_without_user_ids(self, sources: list[str]) -> list[str]:
        """The sources among ``sources`` whose stored items carry no user id at all (sorted)."""
        out = []
        for source in sorted(set(sources)):
            total, with_user = self.conn.execute(
                "SELECT COUNT(*), COUNT(user_hash) FROM items WHERE source = ?", (source,)
            ).fetchone()
            if total and not with_user:
                out.append(source)
        return out

    def current_intents(self) -> dict[int, str | None]:
        """item id -> stored intent (None = unassigned), whatever key it was assigned under."""
        rows = self.conn.execute("SELECT item_id, intent_id FROM assignments").fetchall()
        return {int(r[0]): r[1] for r in rows}

    # -- meta ---------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A value from the meta table."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the meta table (replacing the one it had)."""
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def salt(self) -> str:
        """This database's secret salt for hashing user ids (made once, kept in the file)."""
        value = self.meta("user_hash_salt")
        if value is None:
            raise StoreError("database has no salt; it was not opened with open_store()")
        return value

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host (a zombie counts as gone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OSError:
        return False
    try:  # a killed child not yet reaped by its parent is a zombie: its run is over
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[:1] != ["Z"]
    except OSError:
        return True


def shown_status(status: str, pid: int | None, host: str | None) -> str:
    """A run's status for people: a ``running`` run whose process is gone (on this host) was
    killed (``kill -9``, power loss) and is shown as ``interrupted``.

    A run of another host, or recorded before process ids were (no pid), stays ``running``:
    nothing here can tell.

    Example:
        >>> shown_status("running", 2**22 + 1, socket.gethostname())
        'interrupted'
    """
    if status != "running" or pid is None or host != socket.gethostname():
        return status
    return status if process_alive(pid) else "interrupted"


def _applied(conn: sqlite3.Connection) -> set[str]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    return {r[0] for r in conn.execute("SELECT name FROM migrations")}


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet applied, each in its own transaction. Returns their names."""
    done = _applied(conn)
    applied = []
    for name, script in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute("INSERT INTO migrations VALUES (?, ?)", (name, utc_now()))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(name)
    return applied


def open_store(path: Path) -> Store:
    """Open (creating and migrating if needed) the database at ``path``.

    Raises:
        StoreError: The file is not a SQLite database or was written by a newer vocmine.

    Example:
        >>> import tempfile
        >>> store = open_store(Path(tempfile.mkdtemp()) / "data" / "vocmine.db")  # folder created
        >>> store.path.is_file()
        True
        >>> store.close()
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        known = {name for name, _ in MIGRATIONS}
        unknown = _applied(conn) - known
        if unknown:
            raise StoreError(
                f"{path} was written by a newer vocmine (migration {sorted(unknown)[-1]}); "
                "upgrade vocmine to use it"
            )
        migrate(conn)
        if conn.execute("SELECT 1 FROM meta WHERE key = 'user_hash_salt'").fetchone() is None:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('user_hash_salt', ?)",
                (secrets.token_hex(16),),
            )
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path} is not a vocmine database ({exc}); pass another --db or move the file away"
        ) from None
    return Store(conn, path)
