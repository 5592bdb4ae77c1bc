"""`vocmine ingest` with live sources, end to end through the CLI, against a local server."""

from __future__ import annotations

import base64
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tests.fake_server import FakeServer, appstore_review, play_review, rating, serve, ticket
from vocmine.cli.app import app

TOKEN = "zd-T0KEN-never-shown-42"
EMAIL = "ops@example.com"
APP_IOS, APP_PLAY = "1234567890", "com.example.walk"
runner = CliRunner()


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    server = FakeServer(
        tickets=[ticket(n) for n in range(7, 0, -1)],
        ratings=[rating(n) for n in range(1, 4)],
        appstore={(APP_IOS, "fr"): [appstore_review(n) for n in range(60)]},
        play={APP_PLAY: [play_review(n) for n in range(250)]},
    )
    yield from serve(server)


@pytest.fixture
def live(project: Path, fake: FakeServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test project with one table per live source, all pointed at the local server."""
    monkeypatch.setenv("VOCMINE_ZENDESK_EMAIL", EMAIL)
    monkeypatch.setenv("VOCMINE_ZENDESK_TOKEN", TOKEN)
    with (project / "vocmine.toml").open("a", encoding="utf-8") as toml:
        toml.write(sources_toml(fake.url))
    return project


def sources_toml(url: str) -> str:
    return f"""
[sources.zendesk]
type = "zendesk"
base_url = "{url}"
min_interval = 0
backoff = 0

[sources.ios]
type = "appstore"
apps = ["{APP_IOS}"]
countries = ["fr"]
base_url = "{url}"

[sources.android]
type = "play"
apps = ["{APP_PLAY}"]
locales = ["fr-FR"]
base_url = "{url}"
backoff = 0
"""


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), catch_exceptions=False)


def counts(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        return dict(
            conn.execute(
                "SELECT source, COUNT(*) || '/' || COUNT(DISTINCT external_id) FROM items GROUP BY source"
            ).fetchall()
        )
    finally:
        conn.close()


def table(output: str) -> list[list[str]]:
    """The ingest table's data rows, as cells."""
    return [
        [cell.strip() for cell in line.strip("│┃ ").split("│")]
        for line in output.splitlines()
        if line.startswith("│")
    ]


def test_ingest_twice_stores_each_item_exactly_once(live: Path) -> None:
    first = invoke("ingest")
    assert first.exit_code == 0, first.output
    assert table(first.output) == [
        ["android", "250", "250", "0", "0", "0", "ok"],
        ["ios", "60", "60", "0", "0", "0", "ok"],
        ["zendesk", "10", "10", "0", "0", "0", "ok"],
    ]
    assert counts(live / "vocmine.db") == {"android": "250/250", "ios": "60/60", "zendesk": "10/10"}
    second = invoke("ingest")
    assert second.exit_code == 0, second.output
    assert [row[2] for row in table(second.output)] == ["0", "0", "0"]  # nothing new
    assert counts(live / "vocmine.db") == {"android": "250/250", "ios": "60/60", "zendesk": "10/10"}
    assert "embedded 0 new texts" in second.output


def test_each_source_runs_alone_with_flags(
    project: Path, fake: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = invoke(
        "ingest", "appstore", APP_IOS, "--country", "fr", "--base-url", fake.url, "--no-embed"
    )
    assert result.exit_code == 0, result.output
    assert table(result.output) == [["appstore", "60", "60", "0", "0", "0", "ok"]]
    result = invoke(
        "ingest",
        "play",
        APP_PLAY,
        "--locale",
        "fr-FR",
        "--base-url",
        fake.url,
        "--name",
        "gp",
        "--no-embed",
    )
    assert table(result.output) == [["gp", "250", "250", "0", "0", "0", "ok"]]
    monkeypatch.setenv("VOCMINE_ZENDESK_EMAIL", EMAIL)
    monkeypatch.setenv("VOCMINE_ZENDESK_TOKEN", TOKEN)
    # The export's 10-a-minute pace comes from [sources.zendesk]; flags add the rest.
    (project / "vocmine.toml").write_text(
        '[sources.zendesk]\ntype = "zendesk"\nmin_interval = 0\n', encoding="utf-8"
    )
    result = invoke("ingest", "zendesk", "--base-url", fake.url, "--no-embed")
    assert table(result.output) == [["zendesk", "10", "10", "0", "0", "0", "ok"]]
    assert counts(project / "vocmine.db") == {
        "appstore": "60/60",
        "gp": "250/250",
        "zendesk": "10/10",
    }


def test_the_ingest_table_shows_tickets_deleted_in_zendesk(
    project: Path, fake: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOCMINE_ZENDESK_EMAIL", EMAIL)
    monkeypatch.setenv("VOCMINE_ZENDESK_TOKEN", TOKEN)
    (project / "vocmine.toml").write_text(
        '[sources.zendesk]\ntype = "zendesk"\nmin_interval = 0\n', encoding="utf-8"
    )
    invoke("ingest", "zendesk", "--base-url", fake.url, "--no-embed")
    fake.tickets.append(ticket(2, status="deleted", updated_at="2026-10-21T09:00:00Z"))
    result = invoke("ingest", "zendesk", "--base-url", fake.url, "--no-embed")
    # Ticket 1002 and its CSAT comment are gone (the re-read ratings are the 2 others); the
    # column only appears when a deletion reached the store.
    assert "deleted" in result.output
    assert table(result.output) == [["zendesk", "2", "0", "0", "2", "0", "2", "ok"]]
    assert counts(project / "vocmine.db") == {"zendesk": "8/8"}


def test_restart_pulls_again_from_the_start_without_duplicates(
    live: Path, fake: FakeServer
) -> None:
    invoke("ingest", "zendesk", "--no-embed")
    invoke("ingest", "zendesk", "--no-embed")
    assert "cursor=" in fake.paths("/incremental/tickets")[-1]  # resumed from the cursor
    result = invoke("ingest", "zendesk", "--no-embed", "--restart")
    starts = [path for path in fake.paths("/incremental/tickets") if "start_time=" in path]
    assert len(starts) == 2  # the first run's first page, and the restart's
    assert table(result.output) == [["zendesk", "10", "0", "0", "10", "0", "ok"]]
    assert counts(live / "vocmine.db")["zendesk"] == "10/10"
    assert "--restart" in invoke("ingest", "play", "--help").output


def test_a_failing_source_does_not_stop_the_others(live: Path, fake: FakeServer) -> None:
    fake.fault("/incremental/", 503, 503, 503, 503, 503)
    result = invoke("ingest", "--no-embed")
    assert result.exit_code == 1
    assert table(result.output)[-1] == ["zendesk", "0", "0", "0", "0", "0", "stopped"]
    assert counts(live / "vocmine.db") == {"android": "250/250", "ios": "60/60"}
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert lines == [
        f"error: zendesk: the ticket export failed after 5 tries: HTTP 503 "
        f"({fake.url}/api/v2/incremental/tickets/cursor.json); the next run resumes from the last "
        "page stored"
    ]
    assert result.output.count("warning: zendesk: HTTP 503 (") == 4  # each retry is shown
    fake.fault("/incremental/", "429:0")
    again = invoke("ingest", "--no-embed")  # the server is back: it catches up
    assert again.exit_code == 0
    assert (
        f"warning: zendesk: HTTP 429 (rate limited) ({fake.url}/api/v2/incremental/tickets/"
        "cursor.json); retrying in 0 s" in again.output
    )
    assert counts(live / "vocmine.db")["zendesk"] == "10/10"


def test_the_token_never_appears_in_output_errors_or_the_database(
    live: Path, fake: FakeServer
) -> None:
    secrets = [TOKEN, base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()]
    outputs = []
    for fault in (401, 403, 500, "truncated"):
        fake.fault("/api/v2/", *[fault] * 5)
        outputs.append(invoke("ingest", "zendesk", "--no-embed").output)
        fake.faults.clear()
    outputs.append(invoke("ingest").output)
    outputs.append(invoke("status", "--rejects").output)
    assert (
        "refused (HTTP 401)" in outputs[0]
        and "check VOCMINE_ZENDESK_EMAIL and VOCMINE_ZENDESK_TOKEN" in outputs[0]
    )
    assert "refused (HTTP 403)" in outputs[1]
    db = (live / "vocmine.db").read_bytes()
    for secret in secrets:
        assert all(secret not in out for out in outputs)
        assert secret.encode() not in db
    assert EMAIL.encode() not in db


def test_missing_credentials_name_the_variables(project: Path, fake: FakeServer) -> None:
    result = invoke("ingest", "zendesk", "--base-url", fake.url)
    assert result.exit_code == 1
    assert re.search(
        r"^error: zendesk: no Zendesk credentials; set VOCMINE_ZENDESK_EMAIL", result.output, re.M
    )


def test_a_table_of_another_type_is_refused(project: Path) -> None:
    (project / "vocmine.toml").write_text(
        '[sources.play]\ntype = "file"\npath = "x.csv"\n', encoding="utf-8"
    )
    result = invoke("ingest", "play", APP_PLAY, "--locale", "fr-FR")
    assert result.exit_code == 2
    assert "[sources.play] is of type 'file', not 'play'; pass another --name" in result.output


def test_the_readme_examples_build_and_name_every_key() -> None:
    import tomllib

    from vocmine.sources import build
    from vocmine.sources.http import POLICY_KEYS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Live sources") : readme.index("## Privacy")]
    blocks = re.findall(r"```toml\n(.*?)```", section, re.S)
    tables = tomllib.loads(blocks[0])["sources"]
    built = {name: build(name, table, base_dir=Path(".")) for name, table in tables.items()}
    assert {type(s).__name__ for s in built.values()} == {
        "PlaySource",
        "AppStoreSource",
        "ZendeskSource",
    }
    assert set(tomllib.loads(blocks[1])) == {"base_url", *POLICY_KEYS}


def test_status_shows_where_each_live_source_resumes(live: Path) -> None:
    from vocmine.config import load_config
    from vocmine.measure.status import summarise
    from vocmine.store.store import open_store

    assert invoke("ingest").exit_code == 0
    assert "live sources: where the next pull starts" in invoke("status").output
    store = open_store(live / "vocmine.db")
    table_rows = summarise(store, config=load_config(live / "vocmine.toml")).live_sources
    newest = dict(
        store.conn.execute("SELECT source, MAX(created_at) FROM items GROUP BY source").fetchall()
    )
    run = store.conn.execute("SELECT MAX(id) FROM runs").fetchone()[0]
    store.close()
    rows = {row[0]: row for row in table_rows[1:]}
    # The high-water mark is the newest review stored; no pull is left half done.
    for source in ("android", "ios"):
        day, time = newest[source][:10], newest[source][11:16]  # stored as ...T12:00:00Z
        assert rows[source][1] == f"reviews to {day} {time} UTC"
    assert rows["android"][2] == rows["ios"][2] == rows["zendesk"][2] == "no"
    assert rows["zendesk"][1].startswith("tickets: cursor saved; ratings to ")
    assert all(r[3].startswith(f"{run} (") for r in rows.values())


def test_a_half_done_pull_and_several_feeds_are_described() -> None:
    from vocmine.measure.status import describe_state

    state = {
        "feeds": {
            "app/fr": {"mark": "2026-10-31T08:00:00+00:00"},
            "app/de": {"mark": "2026-10-02T10:30:00+00:00", "pull": {"cursor": "abc"}},
        }
    }
    assert describe_state(state) == (
        "2 feeds: reviews to 2026-10-02 10:30 UTC .. 2026-10-31 08:00 UTC",
        "yes: the next run goes on from its page",
    )
    assert describe_state({}) == ("nothing yet", "no")
