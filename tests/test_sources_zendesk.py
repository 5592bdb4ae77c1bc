"""Zendesk tickets and CSAT against a local server that answers like the real API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from tests.fake_server import FakeServer, rating, serve, ticket
from tests.helpers import ingest_into, rows
from vocmine.errors import ConfigError
from vocmine.pipeline.ingest import ingest_source
from vocmine.sources.http import RetryPolicy
from vocmine.sources.zendesk import ZendeskSource, from_config
from vocmine.store.store import open_store

TOKEN = "zd-s3cret-T0KEN-value"
ENV = {"VOCMINE_ZENDESK_EMAIL": "ops@example.com", "VOCMINE_ZENDESK_TOKEN": TOKEN}
EXPORT = "/incremental/tickets"


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    server = FakeServer(
        tickets=[ticket(n) for n in range(8, 0, -1)], ratings=[rating(n) for n in range(1, 5)]
    )
    yield from serve(server)


def source(
    fake: FakeServer, environ: dict[str, str] = ENV, waits: list[float] | None = None
) -> ZendeskSource:
    policy = RetryPolicy(tries=3, backoff=0.5)
    return ZendeskSource(
        "zendesk",
        base_url=fake.url,
        export_policy=policy,
        api_policy=policy,
        environ=environ,
        sleep=(waits if waits is not None else []).append,
    )


def test_tickets_and_csat_comments_are_stored_once(fake: FakeServer, tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    first = ingest_into(db, source(fake))
    assert (first.new, first.error, first.rejected) == (8 + 4, None, [])
    tickets = rows(
        db, "SELECT external_id, kind, text, channel, extra FROM items WHERE kind = 'ticket'"
    )
    assert len(tickets) == 8
    one = next(t for t in tickets if t[0] == "1003")
    assert one[2].startswith("Virement numéro 3 pas reçu. Bonjour, mon virement 3")
    assert one[3] == "email" and json.loads(one[4])["tags"] == ["virement", "paiement"]
    csat = rows(
        db,
        "SELECT external_id, csat_score, csat_negative, extra FROM items WHERE kind = 'csat' ORDER BY external_id",
    )
    assert [c[:3] for c in csat] == [
        ("csat-7001", "bad", 1),
        ("csat-7002", "good", 0),
        ("csat-7003", "bad", 1),
        ("csat-7004", "good", 0),
    ]
    assert json.loads(csat[0][3])["ticket_id"] == "1001"
    # 3 ticket pages (3 + 3 + 2), then one ratings page; the cursor is kept for the next run.
    assert len(fake.paths(EXPORT)) == 3
    again = ingest_into(db, source(fake))
    assert (again.new, again.updated) == (0, 0)
    assert "cursor=" in fake.paths(EXPORT)[-1] and len(fake.paths(EXPORT)) == 4


def test_requester_ids_are_hashed_and_the_token_is_sent_as_basic_auth(
    fake: FakeServer, tmp_path: Path
) -> None:
    db = tmp_path / "v.db"
    ingest_into(db, source(fake))
    hashes = [r[0] for r in rows(db, "SELECT user_hash FROM items WHERE kind = 'ticket'")]
    assert len(set(hashes)) == 8 and not {str(500 + n) for n in range(1, 9)} & set(hashes)
    auth = fake.requests[0][2]["Authorization"]
    import base64

    assert base64.b64decode(auth.split()[1]).decode() == f"ops@example.com/token:{TOKEN}"


def test_a_changed_ticket_comes_back_through_the_cursor(fake: FakeServer, tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    ingest_into(db, source(fake))
    fake.tickets.append(
        ticket(3, updated_at="2026-10-21T09:00:00Z", description="Finalement reçu, merci.")
    )
    fake.tickets.append(ticket(-5))  # a new one
    result = ingest_into(db, source(fake))
    assert (result.new, result.updated) == (1, 1)
    assert rows(db, "SELECT text FROM items WHERE external_id = '1003'")[0][0].endswith(
        "Finalement reçu, merci."
    )


def test_score_only_ratings_count_once_on_their_ticket(fake: FakeServer, tmp_path: Path) -> None:
    fake.tickets = [
        ticket(2, satisfaction_rating={"score": "bad", "id": 9, "comment": ""}),
        ticket(1, satisfaction_rating={"score": "good", "id": 8, "comment": "Merci !"}),
    ]
    fake.ratings = [
        rating(1, id=8, score="good", comment="Merci !", ticket_id=1001),
        rating(2, id=9, score="bad", comment="", ticket_id=1002),
    ]
    db = tmp_path / "v.db"
    ingest_into(db, source(fake))
    got = rows(db, "SELECT external_id, kind, csat_score FROM items ORDER BY external_id")
    # The bad score-only answer is on ticket 1002; the good one with a comment is its own item.
    assert got == [("1001", "ticket", None), ("1002", "ticket", "bad"), ("csat-8", "csat", "good")]


def test_500_then_success_and_429_with_and_without_retry_after(
    fake: FakeServer, tmp_path: Path
) -> None:
    fake.fault("start_time", 500, "429:2")  # page 1
    fake.fault("cursor=", "429")  # page 2
    waits: list[float] = []
    result = ingest_into(tmp_path / "v.db", source(fake, waits=waits))
    assert result.error is None and result.new == 12
    assert waits == [0.5, 2.0, 0.5]  # 500: back-off; 429: its Retry-After; bare 429: back-off


def test_401_names_the_variables_and_keeps_nothing_half_done(
    fake: FakeServer, tmp_path: Path
) -> None:
    fake.fault(EXPORT, 401)
    result = ingest_into(tmp_path / "v.db", source(fake))
    assert result.error is not None and result.new == 0
    assert (
        "HTTP 401" in result.error
        and "VOCMINE_ZENDESK_EMAIL and VOCMINE_ZENDESK_TOKEN" in result.error
    )
    assert TOKEN not in result.error


def test_missing_credentials_are_a_one_line_error(fake: FakeServer, tmp_path: Path) -> None:
    result = ingest_into(tmp_path / "v.db", source(fake, environ={}))
    assert result.error == (
        "zendesk: no Zendesk credentials; set VOCMINE_ZENDESK_EMAIL (the agent's email) and "
        "VOCMINE_ZENDESK_TOKEN (an API token) in the environment"
    )
    assert fake.requests == []


def test_a_truncated_page_stops_after_the_pages_before_it(fake: FakeServer, tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    fake.fault("cursor=", "truncated", "truncated", "truncated")  # page 2, every try
    result = ingest_into(db, source(fake))
    assert result.error is not None and "not complete JSON" in result.error
    assert "next run resumes" in result.error
    assert rows(db, "SELECT COUNT(*) FROM items") == [(3,)]  # page 1, committed with its cursor
    again = ingest_into(db, source(fake))
    assert again.error is None and again.new == 5 + 4
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM items") == [(12, 12)]


def test_an_empty_export_and_an_empty_ratings_page(fake: FakeServer, tmp_path: Path) -> None:
    fake.tickets, fake.ratings = [], []
    result = ingest_into(tmp_path / "v.db", source(fake))
    assert (result.read, result.error) == (0, None)


def test_malformed_records_are_counted_and_the_rest_stored(
    fake: FakeServer, tmp_path: Path
) -> None:
    fake.tickets = [
        ticket(3),
        ticket(2, description="", comments=[]),
        ticket(1, created_at="yesterday"),
        ticket(0, status="deleted"),
    ]
    result = ingest_into(tmp_path / "v.db", source(fake))
    assert result.new == 1 + 4
    assert sorted(r.reason for r in result.rejected) == ["no text", "unparseable date 'yesterday'"]


def _derive_everything(db: Path) -> None:
    """Give every stored item a vector and an assignment, as ingest would."""
    store = open_store(db)
    try:
        items = store.conn.execute("SELECT id, text_hash FROM items").fetchall()
        store.put_vectors("m", [h for _, h in items], np.ones((len(items), 3)))
        store.put_assignments([(i, "k", "app.bug", 0.9, None, None, None) for i, _ in items])
    finally:
        store.close()


def test_a_ticket_deleted_in_zendesk_leaves_the_store_with_its_csat_and_vectors(
    fake: FakeServer, tmp_path: Path
) -> None:
    db = tmp_path / "v.db"
    ingest_into(db, source(fake))
    _derive_everything(db)
    gone = rows(db, "SELECT text_hash FROM items WHERE external_id IN ('1001', 'csat-7001')")
    # Zendesk sends a deleted ticket through the export again, with status "deleted"; the
    # ratings endpoint may still list its rating, which the weekly re-read would store again.
    fake.tickets.append(ticket(1, status="deleted", updated_at="2026-10-21T09:00:00Z"))
    result = ingest_into(db, source(fake))
    assert (result.deleted, result.new, result.error) == (2, 0, None)
    assert result.counts()["deleted"] == 2
    assert not any("exclude_deleted" in path for path in fake.paths(EXPORT))
    ids = {r[0] for r in rows(db, "SELECT external_id FROM items")}
    assert "1001" not in ids and "csat-7001" not in ids and len(ids) == 8 + 4 - 2
    assert rows(db, "SELECT COUNT(*) FROM assignments")[0][0] == 10
    left = {r[0] for r in rows(db, "SELECT text_hash FROM embeddings")}
    assert len(left) == 10 and not {h for (h,) in gone} & left
    again = ingest_into(db, source(fake))  # re-running is safe and stores nothing back
    assert (again.deleted, again.new) == (0, 0)
    assert len(rows(db, "SELECT 1 FROM items")) == 10


def test_a_deletion_keeps_a_vector_another_item_still_uses_and_ignores_unknown_tickets(
    fake: FakeServer, tmp_path: Path
) -> None:
    fake.tickets = [ticket(2, description="Même texte"), ticket(1, description="Même texte")]
    fake.ratings = []
    db = tmp_path / "v.db"
    ingest_into(db, source(fake))
    _derive_everything(db)
    fake.tickets += [
        ticket(1, status="deleted", updated_at="2026-10-21T09:00:00Z"),
        ticket(77, status="deleted", updated_at="2026-10-21T09:01:00Z"),  # never stored
    ]
    result = ingest_into(db, source(fake))
    assert result.deleted == 1 and "deleted" in result.counts()
    assert rows(db, "SELECT external_id FROM items") == [("1002",)]
    assert len(rows(db, "SELECT 1 FROM embeddings")) == 1  # ticket 1002 has the same text


def test_restart_reads_again_from_since_and_still_knows_the_deleted_tickets(
    fake: FakeServer, tmp_path: Path
) -> None:
    db = tmp_path / "v.db"
    # Rating 7001 (on ticket 1001) is answered after the ticket is deleted, as can happen.
    fake.ratings = [rating(1, created_at="2026-10-22T00:00:00Z"), rating(2)]
    fake.tickets.append(ticket(1, status="deleted", updated_at="2026-10-21T09:00:00Z"))
    first = ingest_into(db, source(fake))  # ticket 1001, then its deletion, in one page
    assert (first.new, first.deleted) == (7 + 1, 0)  # so it is never stored
    assert "csat-7001" not in {r[0] for r in rows(db, "SELECT external_id FROM items")}
    store = open_store(db)
    try:
        # From after the deletion: the export does not send it again, the rating is re-read.
        since = datetime(2026, 10, 21, 12, tzinfo=UTC)
        again = ingest_source(
            store, source(fake), run_id=store.start_run("t", {}), since=since, restart=True
        )
        state = store.source_state("zendesk")
    finally:
        store.close()
    assert "cursor=" not in fake.paths(EXPORT)[-1] and "start_time=" in fake.paths(EXPORT)[-1]
    assert (again.new, again.error) == (0, None)
    assert state["deleted_tickets"] == ["1001"] and "tickets_cursor" in state


@pytest.mark.parametrize("page", [3, 100], ids=["over-pages", "in-one-page"])
def test_the_last_record_wins_a_ticket_deleted_then_restored_is_kept(
    fake: FakeServer, tmp_path: Path, page: int
) -> None:
    fake.ticket_page = page
    fake.ratings = [rating(1), rating(2)]
    fake.tickets += [
        ticket(1, status="deleted", updated_at="2026-10-21T09:00:00Z"),
        ticket(1, status="open", updated_at="2026-10-21T10:00:00Z"),  # restored in Zendesk
        ticket(2, status="deleted", updated_at="2026-10-21T11:00:00Z"),
    ]
    db = tmp_path / "v.db"
    store = open_store(db)
    try:
        ingest_source(store, source(fake), run_id=store.start_run("t", {}))
        state = store.source_state("zendesk")
    finally:
        store.close()
    ids = {r[0] for r in rows(db, "SELECT external_id FROM items")}
    assert "1001" in ids and "csat-7001" in ids
    assert "1002" not in ids and "csat-7002" not in ids
    assert state["deleted_tickets"] == ["1002"]


def test_since_and_the_newest_minute(fake: FakeServer, tmp_path: Path) -> None:
    since = datetime(2026, 10, 20, 8, 30, tzinfo=UTC)  # tickets 1-3 are newer
    store = open_store(tmp_path / "v.db")
    result = ingest_source(store, source(fake), run_id=store.start_run("t", {}), since=since)
    assert result.new == 3
    start = next(p for p in fake.paths(EXPORT) if "start_time" in p)
    assert f"start_time={int(since.timestamp())}" in start


def test_config_needs_a_subdomain_or_base_url() -> None:
    with pytest.raises(ConfigError, match='set subdomain = "acme"'):
        from_config("zendesk", {"type": "zendesk"}, Path("."))
    with pytest.raises(ConfigError, match="unknown key 'token'"):
        from_config("zendesk", {"subdomain": "acme", "token": "x"}, Path("."))
    built = from_config("zendesk", {"subdomain": "acme", "min_interval": 0}, Path("."))
    assert built.base_url == "https://acme.zendesk.com" and built.export_policy.min_interval == 0
    assert from_config("zd", {"subdomain": "acme"}, Path(".")).export_policy.min_interval == 6.0


def test_the_export_never_asks_for_the_newest_minute() -> None:
    import time

    from vocmine.sources.zendesk import _start_time

    now = datetime.now(UTC)
    assert _start_time(now, None) <= int(time.time()) - 60  # Zendesk refuses a start that recent
    assert _start_time(None, None) == 0
    since = datetime(2026, 1, 1, tzinfo=UTC)
    assert _start_time(since, 1_700_000_000) == int(since.timestamp())  # the later of the two
    assert _start_time(since, 1_780_000_000) == 1_780_000_000


def test_a_comment_added_after_the_score_is_picked_up_and_counted_once(
    fake: FakeServer, tmp_path: Path
) -> None:
    fake.tickets = [ticket(1, satisfaction_rating={"score": "bad", "id": 8, "comment": None})]
    fake.ratings = [rating(1, id=8, score="bad", comment=None, ticket_id=1001)]
    db = tmp_path / "v.db"
    ingest_into(db, source(fake))
    answers = "SELECT kind, csat_score FROM items WHERE csat_score IS NOT NULL ORDER BY kind"
    assert rows(db, answers) == [("ticket", "bad")]
    # Hours later the customer adds a comment: the rating and its ticket change.
    fake.ratings[0]["comment"] = "Personne ne répond depuis une semaine"
    fake.tickets.append(  # the export sends a changed ticket again, after the cursor
        ticket(
            1,
            updated_at="2026-10-21T09:00:00Z",
            satisfaction_rating={"score": "bad", "id": 8, "comment": fake.ratings[0]["comment"]},
        )
    )
    result = ingest_into(db, source(fake))
    assert (result.new, result.updated) == (1, 1)
    assert rows(db, answers) == [("csat", "bad")]  # one answer, now with its comment
    ratings = fake.paths("satisfaction_ratings")
    assert f"start_time={fake_epoch(rating(1)['created_at']) - 7 * 24 * 3600}" in ratings[-1]


def fake_epoch(value: str) -> int:
    return int(datetime.fromisoformat(value).timestamp())


def _state(db: Path) -> dict:
    return json.loads(rows(db, "SELECT state FROM source_state WHERE source = 'zendesk'")[0][0])


def test_a_ticket_the_code_could_not_read_is_read_again(fake: FakeServer, tmp_path: Path) -> None:
    # Pages of 3 in updated order: tickets 8-6, 5-3, 2-1. Ticket 5's date is unreadable to
    # this vocmine: the cursor stays at its page, and a fixed vocmine stores it next run.
    fake.tickets[3] = ticket(5, created_at="le 20 octobre")
    db = tmp_path / "v.db"
    first = ingest_into(db, source(fake))
    assert [r.reason for r in first.rejected] == ["unparseable date 'le 20 octobre'"]
    state = _state(db)
    assert "tickets_held" not in state and state["tickets_cursor"] == "Mw=="  # offset 3
    fake.tickets[3] = ticket(5)  # readable now
    fake.requests.clear()
    again = ingest_into(db, source(fake))
    assert (again.new, again.rejected) == (1, [])
    assert fake.paths(EXPORT)[0].endswith("cursor=Mw%3D%3D")
    assert _state(db)["tickets_cursor"] == "OA=="  # offset 8: the end, nothing held


def test_a_ticket_bad_at_the_source_does_not_hold_the_cursor(
    fake: FakeServer, tmp_path: Path
) -> None:
    fake.tickets[3] = ticket(5, description="", comments=[])
    db = tmp_path / "v.db"
    assert [r.reason for r in ingest_into(db, source(fake)).rejected] == ["no text"]
    assert _state(db)["tickets_cursor"] == "OA=="


def test_a_rating_the_code_could_not_read_holds_the_newest_date(
    fake: FakeServer, tmp_path: Path
) -> None:
    fake.ratings[2] = rating(3, id=None)  # ratings 1-4, oldest first: the third has no id
    db = tmp_path / "v.db"
    assert [r.reason for r in ingest_into(db, source(fake)).rejected] == ["no id"]
    third = int(datetime.fromisoformat(rating(3)["created_at"]).timestamp())
    assert _state(db)["ratings"] == {"newest": third}  # its own date, not rating 4's
    fake.ratings[2] = rating(3)
    again = ingest_into(db, source(fake))
    assert (again.new, again.rejected) == (1, []) and _state(db)["ratings"]["newest"] > third


def test_a_lone_surrogate_in_a_page_is_repaired_and_the_pull_goes_on(
    fake: FakeServer, tmp_path: Path
) -> None:
    # Half an emoji in a ticket of the first page: valid JSON ("\ud83d"), not encodable text.
    fake.tickets[-1] = ticket(1, description="Mon virement n'arrive pas \ud83d depuis lundi")
    fake.ratings = [rating(1, comment="Aucune r\u00e9ponse \udc00")]
    db = tmp_path / "v.db"
    first = ingest_into(db, source(fake))
    assert (first.new, first.error, first.rejected, first.repaired) == (8 + 1, None, [], 2)
    [(text,)] = rows(db, "SELECT text FROM items WHERE external_id = '1001'")
    assert "pas \ufffd depuis" in text
    again = ingest_into(db, source(fake))  # the page was committed: nothing stuck, nothing redone
    assert (again.new, again.updated, again.error) == (0, 0, None)
    assert len(rows(db, "SELECT 1 FROM items")) == 9


def test_a_deletion_removes_the_vectors_of_the_tickets_sentences_too(
    fake: FakeServer, tmp_path: Path
) -> None:
    from vocmine.prepare.sentences import sentence_pairs

    fake.tickets = [
        ticket(1, description="Mon virement n'est pas arrivé.\nJ'attends depuis dix jours déjà"),
        ticket(2, description="Les pas ne sont pas comptés.\nDepuis la mise à jour de lundi"),
    ]
    fake.ratings = []
    db = tmp_path / "v.db"
    ingest_into(db, source(fake))
    texts = dict(rows(db, "SELECT external_id, text FROM items"))
    sentences = {key: [h for h, _ in sentence_pairs([text])] for key, text in texts.items()}
    assert all(len(found) >= 2 for found in sentences.values()), texts
    store = open_store(db)
    try:
        hashes = [h for found in sentences.values() for h in found]
        store.put_vectors("m", hashes, np.ones((len(hashes), 3)))
    finally:
        store.close()
    fake.tickets.append(ticket(1, status="deleted", updated_at="2026-10-21T09:00:00Z"))
    assert ingest_into(db, source(fake)).deleted == 1
    left = {r[0] for r in rows(db, "SELECT text_hash FROM embeddings")}
    assert left == set(sentences["1002"])  # the deleted ticket's words leave no vector behind
