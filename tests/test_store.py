import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from vocmine.errors import StoreError
from vocmine.models import Item, Rejected
from vocmine.store.migrations import MIGRATIONS
from vocmine.store.store import migrate, open_store

from .helpers import item


def raw_pairs(*items: Item) -> list[tuple[Item, str]]:
    """Items with a made-up raw hash each (what the pipeline passes)."""
    return [(i, f"raw-{i.external_id}-{i.text_hash[:8]}") for i in items]


def test_open_creates_schema_and_records_migrations(tmp_path: Path) -> None:
    store = open_store(tmp_path / "sub" / "v.db")
    names = [r[0] for r in store.conn.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == [name for name, _ in MIGRATIONS]
    salt = store.salt()
    assert len(salt) == 32
    store.close()
    again = open_store(tmp_path / "sub" / "v.db")
    assert again.salt() == salt  # the salt is made once and kept


def test_failed_migration_leaves_no_trace(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    broken = [*MIGRATIONS, ("9999_broken", "CREATE TABLE half (x INTEGER);\nNOT SQL;")]
    monkeypatch.setattr("vocmine.store.store.MIGRATIONS", broken)
    conn = sqlite3.connect(str(tmp_path / "m.db"), isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "items" in tables  # earlier migrations committed
    assert "half" not in tables  # the broken one rolled back entirely, its first statement too
    assert [r[0] for r in conn.execute("SELECT name FROM migrations")] == [n for n, _ in MIGRATIONS]


def test_newer_database_is_refused(tmp_path: Path) -> None:
    store = open_store(tmp_path / "v.db")
    store.conn.execute("INSERT INTO migrations VALUES ('9999_future', 'x')")
    store.close()
    with pytest.raises(StoreError, match="newer vocmine"):
        open_store(tmp_path / "v.db")


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a vocmine database"):
        open_store(path)


def test_upsert_new_unchanged_updated(tmp_path: Path) -> None:
    store = open_store(tmp_path / "v.db")
    run = store.start_run("test", {})
    with store.transaction():
        first = store.upsert_items(raw_pairs(item("1"), item("2")), run_id=run)
    with store.transaction():
        second = store.upsert_items(raw_pairs(item("1"), item("2", text="autre texte")), run_id=run)
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.new, second.updated, second.unchanged) == (0, 1, 1)
    texts = dict(store.conn.execute("SELECT external_id, text FROM items"))
    assert texts == {"1": "le virement n'arrive pas", "2": "autre texte"}


def test_updated_item_loses_its_assignment(tmp_path: Path) -> None:
    store = open_store(tmp_path / "v.db")
    run = store.start_run("test", {})
    with store.transaction():
        store.upsert_items(raw_pairs(item("1")), run_id=run)
    store.put_assignments([(1, "key", "a.b", 0.9, None, 0.1, None)])
    with store.transaction():
        store.upsert_items(raw_pairs(item("1", rating=2.0)), run_id=run)
    assert store.conn.execute("SELECT COUNT(*) FROM assignments").fetchone()[0] == 0
    assert store.items_needing_assignment("key") == [(1, item("1").text_hash)]


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    store = open_store(tmp_path / "v.db")
    run = store.start_run("test", {})
    with pytest.raises(RuntimeError), store.transaction():
        store.upsert_items(raw_pairs(item("1")), run_id=run)
        raise RuntimeError("boom")
    assert store.conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 0


def test_vectors_round_trip_as_little_endian_float32(tmp_path: Path) -> None:
    store = open_store(tmp_path / "v.db")
    vectors = np.array([[0.5, -1.25, 3.0], [1.0, 0.0, 2.0]], dtype=np.float32)
    store.put_vectors("m", ["h1", "h2"], vectors)
    blob = store.conn.execute("SELECT vector FROM embeddings WHERE text_hash = 'h1'").fetchone()[0]
    assert blob == np.array([0.5, -1.25, 3.0], dtype="<f4").tobytes()
    assert np.array_equal(store.vectors("m", ["h2", "h1", "h2"]), vectors[[1, 0, 1]])
    assert store.missing_vectors("m", ["h1", "h3"]) == {"h3"}
    assert store.missing_vectors("other-model", ["h1"]) == {"h1"}
    with pytest.raises(StoreError, match="run 'vocmine ingest'"):
        store.vectors("m", ["h3"])


def test_rejects_are_recorded_once(tmp_path: Path) -> None:
    store = open_store(tmp_path / "v.db")
    rejects = [Rejected("play", "a.csv:3", "no text"), Rejected("play", "a.csv:9", "no text")]
    for _ in range(2):
        run = store.start_run("ingest", {})
        with store.transaction():
            store.record_rejects(rejects, run_id=run)
    rows = store.conn.execute(
        "SELECT location, first_run, last_run FROM rejects ORDER BY id"
    ).fetchall()
    assert rows == [("a.csv:3", 1, 2), ("a.csv:9", 1, 2)]


def test_runs_record_status_and_counts(tmp_path: Path) -> None:
    store = open_store(tmp_path / "v.db")
    run = store.start_run("vocmine ingest", {"paths": ["a.csv"]})
    store.finish_run(run, "ok", {"play": {"new": 3}})
    row = store.conn.execute("SELECT command, status, counts, vocmine_version FROM runs").fetchone()
    assert row[0] == "vocmine ingest" and row[1] == "ok"
    assert row[2] == '{"play": {"new": 3}}'
    assert row[3]


def test_a_database_from_an_older_vocmine_is_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vocmine.store.store.MIGRATIONS", MIGRATIONS[:1])
    old = open_store(tmp_path / "v.db")
    run = old.start_run("test", {})
    with old.transaction():
        old.conn.execute(
            "INSERT INTO items (source, external_id, kind, text, text_hash, row_hash, created_at, "
            "month, language, language_prob) VALUES ('play', '1', 'review', 't', 'h', 'r', "
            "'2026-10-01T00:00:00Z', '2026-10', 'fr', 1.0)"
        )
    old.close()
    monkeypatch.setattr("vocmine.store.store.MIGRATIONS", MIGRATIONS)
    new = open_store(tmp_path / "v.db")
    assert new.raw_hash("play", "1") == ""  # the new column, empty for old rows
    assert new.conn.execute("SELECT COUNT(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)
    assert run == 1


@pytest.mark.parametrize(
    ("error", "status"), [(None, "ok"), (RuntimeError, "error"), (KeyboardInterrupt, "interrupted")]
)
def test_recorded_run_keeps_status_and_partial_counts(
    tmp_path: Path, error: type[BaseException] | None, status: str
) -> None:
    store = open_store(tmp_path / "v.db")
    try:
        with store.recorded_run("vocmine test", {"x": 1}) as run:
            run.counts["done"] = 3
            if error is not None:
                raise error
    except BaseException as exc:
        assert error is not None and isinstance(exc, error)
    row = store.conn.execute("SELECT command, status, counts, finished_at FROM runs").fetchone()
    assert row[:3] == ("vocmine test", status, '{"done": 3}')
    assert row[3]


def test_a_running_run_whose_process_is_gone_is_shown_interrupted(tmp_path: Path) -> None:
    import socket

    from vocmine.measure.metrics import runs

    store = open_store(tmp_path / "v.db")
    alive = store.start_run("vocmine ingest", {})  # this process: still running
    gone, elsewhere, done = (store.start_run("vocmine ingest", {}) for _ in range(3))
    store.finish_run(done, "ok", {})
    with store.transaction() as conn:
        conn.execute("UPDATE runs SET pid = ? WHERE id = ?", (2**22 + 1, gone))  # no such pid
        conn.execute("UPDATE runs SET host = 'another-host' WHERE id = ?", (elsewhere,))
    row = store.conn.execute("SELECT pid, host FROM runs WHERE id = ?", (alive,)).fetchone()
    assert row == (os.getpid(), socket.gethostname())
    shown = {run["id"]: run["status"] for run in runs(store)}
    assert shown == {alive: "running", gone: "interrupted", elsewhere: "running", done: "ok"}
    # Shown, not rewritten: the table keeps what was recorded.
    stored = store.conn.execute("SELECT status FROM runs WHERE id = ?", (gone,)).fetchone()
    assert stored == ("running",)


def test_credentials_never_reach_the_runs_table(tmp_path: Path) -> None:
    store = open_store(tmp_path / "v.db")
    run = store.start_run("vocmine ingest appstore", {"base_url": "https://ann:pw1@proxy/x"})
    store.finish_run(run, "error", {"ios": {"error": "failed (http://ann:pw1@proxy/x)"}})
    row = store.conn.execute("SELECT args, counts FROM runs").fetchone()
    assert "pw1" not in row[0] + row[1] and "https://***@proxy/x" in row[0]
