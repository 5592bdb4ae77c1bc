"""App Store reviews against a local server that answers like Apple's customer-reviews JSON feed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fake_server import FakeServer, appstore_review, appstore_review_2019, serve
from tests.helpers import ingest_into, rows
from vocmine.errors import ConfigError
from vocmine.sources.appstore import AppStoreSource, from_config
from vocmine.sources.http import HttpClient, RetryPolicy
from vocmine.sources.newest import Pull

APP = "1234567890"


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    # 120 reviews: pages of 50, 50 and 20, newest (review 0) first.
    server = FakeServer(appstore={(APP, "fr"): [appstore_review(n) for n in range(120)]})
    yield from serve(server)


def source(fake: FakeServer, *, countries: tuple[str, ...] = ("fr",)) -> AppStoreSource:
    client = HttpClient("appstore", policy=RetryPolicy(tries=2, backoff=0), sleep=lambda s: None)
    return AppStoreSource("appstore", [APP], list(countries), client=client, base_url=fake.url)


def pages(fake: FakeServer) -> list[int]:
    return [int(p.split("page=")[1].split("/")[0]) for p in fake.paths("customerreviews")]


def test_every_page_is_read_until_the_feed_ends(fake: FakeServer, tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    result = ingest_into(db, source(fake))
    assert (result.new, result.error, result.rejected) == (120, None, [])
    assert pages(fake) == [1, 2, 3, 4]  # page 4 has no "entry": the end
    review = rows(
        db,
        "SELECT external_id, kind, text, rating, app_version, created_at, channel, country, user_hash FROM items WHERE external_id = '11000003'",
    )[0]
    assert review[:5] == (
        "11000003",
        "review",
        "Bug 3. L'application plante au démarrage depuis la mise à jour 3",
        4.0,
        "4.12.0",
    )
    assert review[5:8] == (
        "2026-10-20T09:00:00Z",
        "appstore",
        "fr",
    )  # -07:00 in the feed, UTC stored
    assert len(review[8]) >= 16


def test_author_names_are_never_stored(fake: FakeServer, tmp_path: Path) -> None:
    fake.appstore[(APP, "fr")][0]["content"] = {"label": "Signé Camille Dupont0, très déçue"}
    db = tmp_path / "v.db"
    ingest_into(db, source(fake))
    assert b"Camille Dupont" not in db.read_bytes()


def test_a_second_run_stops_at_the_first_page(fake: FakeServer, tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    ingest_into(db, source(fake))
    fake.requests.clear()
    fake.appstore[(APP, "fr")].insert(0, appstore_review(-1))  # one new review
    again = ingest_into(db, source(fake))
    assert (again.new, again.updated) == (1, 0)
    assert pages(fake) == [1]


def test_the_app_entry_a_single_entry_and_no_entry(fake: FakeServer, tmp_path: Path) -> None:
    fake.appstore_app_entry = True
    fake.appstore[(APP, "fr")] = [appstore_review(0)]  # one review: "entry" is an object
    fake.appstore[(APP, "us")] = []  # no reviews: no "entry" at all
    result = ingest_into(tmp_path / "v.db", source(fake, countries=("fr", "us")))
    assert (result.new, result.rejected, result.error) == (1, [], None)


def test_page_11_answers_400_which_ends_the_feed(fake: FakeServer, tmp_path: Path) -> None:
    fake.appstore[(APP, "fr")] = [appstore_review(n) for n in range(600)]  # more than Apple serves
    result = ingest_into(tmp_path / "v.db", source(fake))
    assert (result.new, result.error) == (500, None)
    assert pages(fake) == list(range(1, 11))


def test_a_malformed_page_is_counted_and_skipped(fake: FakeServer, tmp_path: Path) -> None:
    fake.fault("page=2/", "truncated", "truncated")
    result = ingest_into(tmp_path / "v.db", source(fake))
    assert result.error is None and result.new == 70
    assert [(r.location, r.reason.split(":")[0]) for r in result.rejected] == [
        (f"{APP}/fr page 2", "page skipped")
    ]


def test_bad_records_are_rejected_and_the_rest_stored(fake: FakeServer, tmp_path: Path) -> None:
    entries = fake.appstore[(APP, "fr")]
    entries[1]["im:rating"] = {"label": "9"}
    entries[2]["updated"] = {"label": "hier"}
    entries[3]["content"] = {"label": " "}
    entries[3]["title"] = {"label": ""}
    result = ingest_into(tmp_path / "v.db", source(fake))
    assert result.new == 117
    assert sorted(r.reason for r in result.rejected) == [
        "invalid rating '9'",
        "no text",
        "unparseable date 'hier'",
    ]


def test_since_stops_the_pull(fake: FakeServer, tmp_path: Path) -> None:
    since = datetime(2026, 10, 19, 0, 0, tzinfo=UTC)  # 36 hours before T0: reviews 0-36
    result = ingest_into(tmp_path / "v.db", source(fake), since=since)
    assert result.new == 37 and pages(fake) == [1]


def test_config() -> None:
    built = from_config(
        "ios",
        {"type": "appstore", "apps": ["id1234567890"], "countries": "FR", "tries": 2},
        Path("."),
    )
    assert (built.apps, built.countries, built.base_url) == (
        [APP],
        ["fr"],
        "https://itunes.apple.com",
    )
    assert built.client.policy.tries == 2
    with pytest.raises(ConfigError, match="must be the digits"):
        from_config("ios", {"apps": ["com.example"], "countries": ["fr"]}, Path("."))
    with pytest.raises(ConfigError, match=r"no countries; set countries = \["):
        from_config("ios", {"apps": [APP]}, Path("."))
    with pytest.raises(ConfigError, match="countries must be a list of strings"):
        from_config("ios", {"apps": [APP], "countries": [1]}, Path("."))
    with pytest.raises(ConfigError, match="base_url must be an http"):
        from_config("ios", {"apps": [APP], "countries": ["fr"], "base_url": "ftp://x"}, Path("."))


def test_entries_of_the_older_feed_format_take_the_feed_date(
    fake: FakeServer, tmp_path: Path
) -> None:
    # Feeds of 2019-2021: no "updated" per entry, only the feed's own (issue 15, item 3).
    fake.appstore[(APP, "fr")] = [appstore_review_2019(n) for n in range(120)]
    db = tmp_path / "v.db"
    result = ingest_into(db, source(fake))
    assert (result.new, result.rejected, result.error) == (120, [], None)
    stored = rows(db, "SELECT DISTINCT created_at, extra ->> '$.date_from' FROM items")
    assert stored == [("2026-10-20T12:00:00Z", "feed")]  # the feed's 05:00-07:00, flagged
    # Served dates are not review dates: they never move the mark, so the next pull reads on.
    fake.requests.clear()
    fake.appstore[(APP, "fr")].insert(0, appstore_review_2019(-1))
    fake.appstore_updated = "2026-11-02T05:00:00-07:00"  # served again, a month later
    again = ingest_into(db, source(fake))
    assert (again.new, again.updated, again.rejected) == (1, 0, [])
    # A review keeps the date it was first served with: it does not move to November.
    assert rows(db, "SELECT COUNT(*) FROM items WHERE month = '2026-10'") == [(120,)]


def test_without_a_feed_date_the_page_date_is_used(fake: FakeServer, tmp_path: Path) -> None:
    fake.appstore_updated = None
    fake.appstore[(APP, "fr")] = [appstore_review_2019(0), appstore_review(1)]
    db = tmp_path / "v.db"
    result = ingest_into(db, source(fake))
    assert (result.new, result.rejected) == (2, [])
    old = rows(
        db, "SELECT created_at, extra ->> '$.date_from' FROM items WHERE external_id = '11000000'"
    )
    assert old[0][1] == "page"  # the HTTP Date header of the page
    assert datetime.fromisoformat(old[0][0]) > datetime(2026, 1, 1, tzinfo=UTC)
    new = rows(db, "SELECT extra ->> '$.date_from' FROM items WHERE external_id = '11000001'")
    assert new == [(None,)]


def test_a_record_the_code_could_not_read_is_read_again(fake: FakeServer, tmp_path: Path) -> None:
    # Review 60 (page 2) has a date this vocmine cannot parse: rejected, and the mark stays
    # before it. Once it is readable (a fixed vocmine), the next run stores it.
    fake.appstore[(APP, "fr")][60]["updated"] = {"label": "20/10/2026"}
    db = tmp_path / "v.db"
    first = ingest_into(db, source(fake))
    assert [r.reason for r in first.rejected] == ["unparseable date '20/10/2026'"]
    fake.requests.clear()
    fake.appstore[(APP, "fr")].insert(0, appstore_review(-1))
    fake.appstore[(APP, "fr")][61] = appstore_review(60)  # now readable
    again = ingest_into(db, source(fake))
    assert (again.new, again.rejected) == (2, [])
    assert pages(fake) == [1, 2]  # read back to the held record, not further
    fake.requests.clear()
    third = ingest_into(db, source(fake))
    assert third.new == 0 and pages(fake) == [1]  # nothing held any more


def test_a_record_bad_at_the_source_does_not_hold_the_mark(
    fake: FakeServer, tmp_path: Path
) -> None:
    fake.appstore[(APP, "fr")][60]["content"] = {"label": " "}
    fake.appstore[(APP, "fr")][60]["title"] = {"label": ""}
    db = tmp_path / "v.db"
    assert [r.reason for r in ingest_into(db, source(fake)).rejected] == ["no text"]
    fake.requests.clear()
    fake.appstore[(APP, "fr")].insert(0, appstore_review(-1))
    assert ingest_into(db, source(fake)).new == 1
    assert pages(fake) == [1]


def test_a_skipped_page_is_read_again_by_the_next_run(fake: FakeServer, tmp_path: Path) -> None:
    fake.fault("page=2/", "truncated", "truncated")
    db = tmp_path / "v.db"
    assert ingest_into(db, source(fake)).new == 70
    again = ingest_into(db, source(fake))
    assert (again.new, again.rejected) == (50, [])


def test_a_hold_survives_a_checkpoint() -> None:
    t = [datetime(2026, 10, d, tzinfo=UTC) for d in range(1, 6)]
    pull = Pull.load({"mark": t[0].isoformat()}, since=None)
    assert not pull.page([t[4], t[3]], next_cursor=2)
    pull.hold([t[2]])  # rejected after a record of day 3 on page 2
    resumed = Pull.load(pull.dump(), since=None)  # a run killed here resumes the hold
    assert resumed.page([t[2], t[1]], next_cursor=None)
    assert resumed.mark == t[2]
    fresh = Pull.load({}, since=None)
    fresh.hold()  # the very first record: nothing dated before it
    assert fresh.page([t[4]], next_cursor=None) and fresh.mark is None
