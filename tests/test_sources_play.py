"""Google Play reviews: google-play-scraper's request replaced by payloads in its recorded format."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote_plus

import pytest

from tests.fake_server import FakeServer, closed_port, play_payload, play_review, serve
from tests.helpers import ingest_into, rows
from vocmine.errors import ConfigError
from vocmine.sources import SourceError
from vocmine.sources.play import PlaySource, from_config

APP = "com.example.walk"


class Recorded:
    """Stands in for google-play-scraper's ``post(url, body, headers)``: answers pages in turn."""

    def __init__(self, answers: list[str | Exception]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str]] = []

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> str:
        self.calls.append((url, unquote_plus(body.decode())))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def play(post: Recorded, locales: tuple[tuple[str, str], ...] = (("fr", "fr"),)) -> PlaySource:
    return PlaySource("play", [APP], list(locales), post=post, base_url="https://play.test")


def test_pages_follow_the_continuation_token(tmp_path: Path) -> None:
    post = Recorded([
        play_payload([play_review(n) for n in range(0, 3)], "tok-A"),
        play_payload([play_review(n) for n in range(3, 5)], None),
    ])  # fmt: skip
    db = tmp_path / "v.db"
    result = ingest_into(db, play(post))
    assert (result.new, result.error) == (5, None)
    assert post.calls[0][0] == "https://play.test/_/PlayStoreUi/data/batchexecute?hl=fr&gl=fr"
    assert '\\"tok-A\\"' not in post.calls[0][1] and '\\"tok-A\\"' in post.calls[1][1]
    assert f'[\\"{APP}\\",7]' in post.calls[0][1]


def test_fields_are_kept_and_dates_are_utc(tmp_path: Path) -> None:
    review = play_review(2, reply="Merci, corrigé en 4.12.1", thumbs=12, version="4.12.0", score=1)
    db = tmp_path / "v.db"
    ingest_into(db, play(Recorded([play_payload([review], None)])))
    got = rows(
        db, "SELECT external_id, rating, app_version, created_at, channel, extra FROM items"
    )[0]
    assert got[:5] == ("gp:review-2", 1.0, "4.12.0", "2026-10-20T10:00:00Z", "play")
    extra = json.loads(got[5])
    assert extra == {
        "thumbs_up": 12,
        "developer_reply": "Merci, corrigé en 4.12.1",
        "replied_at": "2026-10-20T11:00:00+00:00",
    }


def test_dates_do_not_depend_on_the_machine_timezone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        db = tmp_path / "v.db"
        ingest_into(db, play(Recorded([play_payload([play_review(0)], None)])))
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert rows(db, "SELECT created_at FROM items") == [("2026-10-20T12:00:00Z",)]


def test_a_failure_is_an_error_not_zero_new_reviews(tmp_path: Path) -> None:
    failure = SourceError(
        "play: the reviews request failed after 5 tries: HTTP 503; the next run resumes"
    )
    result = ingest_into(tmp_path / "v.db", play(Recorded([failure])))
    assert result.error is not None and "HTTP 503" in result.error and result.new == 0


def test_an_unreadable_answer_is_an_error(tmp_path: Path) -> None:
    result = ingest_into(tmp_path / "v.db", play(Recorded(["<html>Sorry, unusual traffic</html>"])))
    assert result.error is not None and "not a reviews page" in result.error


def test_a_killed_pull_resumes_with_its_token_and_keeps_its_mark(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    first = Recorded([
        play_payload([play_review(n) for n in range(0, 3)], "tok-A"),
        SourceError("play: connection lost; the next run resumes"),
    ])  # fmt: skip
    assert ingest_into(db, play(first)).new == 3
    second = Recorded([
        play_payload([play_review(n) for n in range(3, 6)], "tok-B"),
        play_payload([play_review(n) for n in range(6, 8)], None),
    ])  # fmt: skip
    assert ingest_into(db, play(second)).new == 5
    assert '\\"tok-A\\"' in second.calls[0][1]  # resumed where it stopped, not from the top
    # Complete: the next pull stops at the first page that reaches review 0.
    third = Recorded([play_payload([play_review(n) for n in range(-2, 3)], "tok-C")])
    result = ingest_into(db, play(third))
    assert (result.new, len(third.calls)) == (2, 1)
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM items") == [(10, 10)]


def test_an_expired_token_restarts_from_the_newest_page(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    first = Recorded([
        play_payload([play_review(n) for n in range(0, 3)], "tok-A"),
        SourceError("play: killed"),
    ])  # fmt: skip
    ingest_into(db, play(first))
    second = Recorded([
        SourceError("play: the reviews request failed: HTTP 400"),  # the old token is refused
        play_payload([play_review(n) for n in range(0, 3)], "tok-X"),
        play_payload([play_review(n) for n in range(3, 5)], None),
    ])  # fmt: skip
    result = ingest_into(db, play(second))
    assert (result.new, result.unchanged, result.error) == (2, 3, None)
    assert '\\"tok-X\\"' in second.calls[2][1]


def test_since_stops_the_pull(tmp_path: Path) -> None:
    post = Recorded([play_payload([play_review(n) for n in range(0, 5)], "tok-A")])
    result = ingest_into(
        tmp_path / "v.db", play(post), since=datetime(2026, 10, 20, 9, 30, tzinfo=UTC)
    )
    assert (result.new, len(post.calls)) == (3, 1)


@pytest.fixture
def fake() -> Iterator[FakeServer]:
    yield from serve(FakeServer(play={APP: [play_review(n) for n in range(450)]}))


def test_through_http_with_base_url(fake: FakeServer, tmp_path: Path) -> None:
    table = {"apps": [APP], "locales": ["fr-FR"], "base_url": fake.url, "backoff": 0}
    fake.fault("batchexecute", 500)
    result = ingest_into(tmp_path / "v.db", from_config("play", table, tmp_path))
    assert (result.new, result.error) == (450, None)
    assert len(fake.paths("batchexecute")) == 1 + 3  # one 500 retried, then pages of 200


def test_config() -> None:
    built = from_config("play", {"apps": APP, "locales": ["fr_FR", "en-US"]}, Path("."))
    assert (
        built.locales == [("fr", "fr"), ("en", "us")]
        and built.base_url == "https://play.google.com"
    )
    with pytest.raises(ConfigError, match=r'must be language-COUNTRY, e\.g\. "fr-FR"'):
        from_config("play", {"apps": [APP], "locales": ["french"]}, Path("."))


def test_the_recorded_format_is_what_google_play_scraper_itself_parses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its own request function replaced by our payload: it reads the same reviews and token."""
    from google_play_scraper.features import reviews as gps_reviews

    payload = play_payload([play_review(n, reply="Merci") for n in range(3)], "tok-A")
    monkeypatch.setattr(gps_reviews, "post", lambda url, data, headers: payload)
    found, token = gps_reviews._fetch_review_items("https://x", APP, 2, 3, None, None, None)
    assert token == "tok-A" and [r[0] for r in found] == [
        "gp:review-0",
        "gp:review-1",
        "gp:review-2",
    ]
    # Ours reads the same, and keeps dates in UTC where the library gives naive local times.
    ours = play(Recorded([payload]))._fetch("https://x", APP, None)
    assert ours == (found, "tok-A")
    parsed = gps_reviews.reviews(APP, count=3)[0][0]
    assert parsed["replyContent"] == "Merci" and parsed["at"].tzinfo is None


def test_google_play_scraper_hides_failures_and_vocmine_does_not(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from google_play_scraper.features import reviews as gps_reviews

    def down(url: str, data: bytes, headers: Mapping[str, str]) -> str:
        raise ConnectionResetError("connection reset by peer")

    monkeypatch.setattr(gps_reviews, "post", down)
    assert gps_reviews.reviews(APP)[0] == []  # the defect: a network failure as "no reviews"
    # vocmine sends the same request through its own client: the failure is an error.
    url = f"http://127.0.0.1:{closed_port()}"
    table = {"apps": [APP], "locales": ["fr-FR"], "base_url": url, "backoff": 0}
    result = ingest_into(tmp_path / "v.db", from_config("play", {**table, "tries": 2}, tmp_path))
    assert result.error == (
        "play: the reviews request failed after 2 tries: cannot connect ([Errno 111] Connection "
        f"refused) ({url}/_/PlayStoreUi/data/batchexecute); the next run resumes "
        "from the last page stored"
    )
