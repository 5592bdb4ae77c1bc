"""A real process killed in the middle of an ingest leaves the database as it was."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

from tests.helpers import spawn_vocmine


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_sigkill_mid_ingest_keeps_the_database_as_before(project: Path) -> None:
    (project / "small.csv").write_text(
        "id,date,content\n1,2026-10-01,Mon virement n'arrive pas\n", encoding="utf-8"
    )
    first = spawn_vocmine(project, "ingest", "file", "small.csv", "--kind", "review", "--no-embed")
    assert first.wait(timeout=120) == 0, first.stderr.read() if first.stderr else ""
    rows = "\n".join(
        f"{i},2026-10-{1 + i % 28:02d},Les points du jour {i} ne sont pas crédités depuis la mise à jour"
        for i in range(20_000)
    )
    (project / "big.csv").write_text(f"id,date,content\n{rows}\n", encoding="utf-8")
    proc = spawn_vocmine(project, "ingest", "file", "big.csv", "--kind", "review", "--no-embed")
    journal = project / "v.db-journal"
    deadline = time.monotonic() + 60
    while not journal.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    time.sleep(0.5)  # well inside the batch: rows are being written
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    db = project / "v.db"
    assert count(db, "SELECT COUNT(*) FROM items") == 1  # only what was committed before
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    again = spawn_vocmine(project, "ingest", "file", "big.csv", "--kind", "review", "--no-embed")
    assert again.wait(timeout=300) == 0
    assert count(db, "SELECT COUNT(*) FROM items") == 20_001


def test_a_killed_run_is_shown_interrupted_once_its_process_is_gone(project: Path) -> None:
    """kill -9 leaves no chance to record the end: the run stays 'running' in the table, and
    `vocmine status` shows it as interrupted because its process (recorded with the run) is gone."""
    import subprocess
    import sys

    db = project / "v.db"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from vocmine.store.store import open_store\n"
            "store = open_store(Path(sys.argv[1]))\n"
            "store.start_run('vocmine ingest', {'sources': ['ios']})\n"
            "print('recorded', flush=True)\n"
            "time.sleep(120)\n",
            str(db),
        ],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == b"recorded\n"
        alive = spawn_vocmine(project, "status").communicate(timeout=120)[0].decode()
        assert "running" in alive and "interrupted" not in alive
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    conn = sqlite3.connect(db)
    pid, status = conn.execute("SELECT pid, status FROM runs").fetchone()
    conn.close()
    assert (pid, status) == (child.pid, "running")  # nothing could record the kill
    shown = spawn_vocmine(project, "status").communicate(timeout=120)[0].decode()
    assert "interrupted" in shown and "running" not in shown
