"""A real `vocmine ingest` process killed in the middle of a live pull resumes without gaps or
duplicates: the local server stalls on a later page, the test waits until the first pages are
committed, sends SIGKILL, and runs the same command again."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_server import FakeServer, appstore_review, serve, ticket
from tests.helpers import spawn_vocmine

APP = "1234567890"


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    server = FakeServer(
        tickets=[ticket(n) for n in range(20, 0, -1)],
        ticket_page=4,
        appstore={(APP, "fr"): [appstore_review(n) for n in range(230)]},
    )
    yield from serve(server)


def vocmine(project: Path, *args: str) -> subprocess.Popen[bytes]:
    credentials = {"VOCMINE_ZENDESK_EMAIL": "ops@example.com", "VOCMINE_ZENDESK_TOKEN": "tok"}
    return spawn_vocmine(project, *args, env=credentials)


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def wait_for(condition: object, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        assert proc.poll() is None, f"vocmine ended before {what}: {proc.communicate()}"
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def kill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def finish(proc: subprocess.Popen[bytes]) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    return out.decode()


def test_zendesk_killed_mid_export_resumes_from_its_cursor(project: Path, fake: FakeServer) -> None:
    (project / "vocmine.toml").write_text(
        f'[sources.zendesk]\ntype = "zendesk"\nbase_url = "{fake.url}"\nmin_interval = 0\n',
        encoding="utf-8",
    )
    db = project / "v.db"
    fake.fault("cursor=", None, "stall")  # page 2 answers, page 3 hangs
    proc = vocmine(project, "ingest", "zendesk", "--no-embed")
    wait_for(fake.stalled.is_set, proc, "the third page was requested")
    # Pages 1 and 2 are committed, with the cursor that leads to page 3.
    assert query(db, "SELECT COUNT(*) FROM items") == [(8,)]
    state = json.loads(str(query(db, "SELECT state FROM source_state")[0][0]))
    kill(proc)
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    fake.release()
    fake.requests.clear()
    finish(vocmine(project, "ingest", "zendesk", "--no-embed"))
    # The second run went on from the stored cursor, never from the start.
    assert f"cursor={state['tickets_cursor']}" in fake.paths("/incremental/")[0].replace("%3D", "=")
    assert not any("start_time" in p for p in fake.paths("/incremental/"))
    ids = [r[0] for r in query(db, "SELECT external_id FROM items WHERE kind = 'ticket'")]
    assert sorted(ids) == sorted(str(1000 + n) for n in range(1, 21))  # all, once each


def test_appstore_killed_mid_pull_resumes_and_keeps_its_mark(
    project: Path, fake: FakeServer
) -> None:
    (project / "vocmine.toml").write_text(
        f'[sources.ios]\ntype = "appstore"\napps = ["{APP}"]\ncountries = ["fr"]\n'
        f'base_url = "{fake.url}"\n',
        encoding="utf-8",
    )
    db = project / "v.db"
    fake.fault("page=3/", "stall")
    proc = vocmine(project, "ingest", "--no-embed")
    wait_for(fake.stalled.is_set, proc, "page 3 was requested")
    assert query(db, "SELECT COUNT(*) FROM items") == [(100,)]
    kill(proc)
    # Meanwhile two new reviews arrive: every page shifts by two.
    reviews = fake.appstore[(APP, "fr")]
    reviews[:0] = [appstore_review(-2), appstore_review(-1)]
    fake.release()
    fake.requests.clear()
    finish(vocmine(project, "ingest", "--no-embed"))
    assert "page=3/" in fake.paths("customerreviews")[0]  # resumed, not restarted
    stored = {r[0] for r in query(db, "SELECT external_id FROM items")}
    assert stored == {str(11_000_000 + n) for n in range(230)}  # the older pages, none missing
    # The mark came from the interrupted pull's first page: the next run fetches the two new ones.
    fake.requests.clear()
    finish(vocmine(project, "ingest", "--no-embed"))
    assert [p.split("page=")[1][0] for p in fake.paths("customerreviews")] == ["1"]
    rows = query(db, "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM items")
    assert rows == [(232, 232)]
