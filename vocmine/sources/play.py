"""Google Play reviews, newest first, with google-play-scraper's request format and parser.

google-play-scraper 1.2.7 knows how to ask Google Play for reviews (the ``batchexecute`` body, the
response's framing, where each field sits) and vocmine uses exactly that: ``Formats.Reviews``,
``Regex.REVIEWS`` and ``ElementSpecs.Review``. Two of its defects are contained here:

- importing it sets ``ssl._create_default_https_context = ssl._create_unverified_context``, which
  turns certificate checks off for every HTTPS call of the process (the Zendesk token included).
  The verified default is restored right after the import, so its own ``urlopen`` calls verify
  again, and vocmine's requests use a verifying context of their own anyway;
- ``reviews()`` catches every exception and returns an empty list, so a network failure looks like
  "no new reviews". vocmine does not call it: it sends the same request through the shared
  :class:`~vocmine.sources.http.HttpClient` (retries, back-off, verified TLS, ``base_url``) and
  parses the answer itself, so every failure is an error that names the source.

Its dates are naive local times (``datetime.fromtimestamp``); vocmine reads the epoch seconds from
the payload and stores them as UTC. Each (app, locale) is a newest-first pull
(:mod:`vocmine.sources.newest`); a stored continuation token that no longer works (they expire)
restarts the pull from the newest page, and what is already stored is skipped. A review rejected
for a reason other than "no text" (no id, no date: a payload vocmine could not read) keeps the
mark before it, so that a fixed vocmine reads it again.

Example:
    >>> source = from_config("play", {"apps": ["com.example.app"], "locales": ["fr-FR"]}, Path("."))
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import google_play_scraper  # noqa: F401 - imported here, once, so the TLS fix below follows it
from google_play_scraper import Sort
from google_play_scraper.constants.element import ElementSpecs
from google_play_scraper.constants.regex import Regex
from google_play_scraper.constants.request import Formats

from vocmine.models import RawFeedback, Rejected
from vocmine.sources import Checkpoint, SourceError
from vocmine.sources.http import (
    HttpClient,
    MalformedPage,
    Response,
    RetryPolicy,
    base_url,
    check_keys,
    malformed,
    policy_from_table,
    string_list,
)
from vocmine.sources.newest import Pull, pull_feeds

# Undo google_play_scraper.utils.request's process-wide downgrade (only if it is still in place:
# whoever set another default on purpose keeps it).
if ssl._create_default_https_context is ssl._create_unverified_context:
    ssl._create_default_https_context = ssl.create_default_context

DEFAULT_BASE_URL = "https://play.google.com"
PAGE_SIZE = 200  # Google Play serves at most about 200 reviews a request
CONFIG_KEYS: tuple[str, ...] = ("apps", "locales")
_FORM = {"content-type": "application/x-www-form-urlencoded"}
# Same signature as google_play_scraper.utils.request.post: (url, body, headers) -> text.
Transport = Callable[[str, bytes, Mapping[str, str]], str]


def http_transport(client: HttpClient) -> Transport:
    """Send google-play-scraper's requests through vocmine's client (retries, verified TLS)."""

    def decode(response: Response) -> str:
        text = response.body.decode("utf-8", errors="replace")
        if "com.google.play.gateway.proto.PlayGatewayError" in text:
            raise malformed("Google Play asks to slow down (PlayGatewayError)")
        return text

    def post(url: str, body: bytes, headers: Mapping[str, str]) -> str:
        return str(
            client.request(
                url, what="the reviews request", data=body, headers=headers, parse=decode
            )
        )

    return post


class PlaySource:
    """Reviews of some apps in some locales (``fr-FR``: language fr, country fr).

    Args:
        name: Source name stored with every review.
        apps: Package names (``com.example.app``).
        locales: ``language-COUNTRY`` pairs; Google Play serves the reviews written in that
            language, so list one per language your users write in.
        post: Sends a request body and returns the response text.
        base_url: Where Google Play is (a proxy or a test server).
    """

    resumable = True

    def __init__(
        self,
        name: str,
        apps: list[str],
        locales: list[tuple[str, str]],
        *,
        post: Transport,
        base_url: str = DEFAULT_BASE_URL,
    ) -> None:
        self.name = name
        self.apps = apps
        self.locales = locales
        self.post = post
        self.base_url = base_url

    def iter_records(
        self, since: datetime | None, *, state: Mapping[str, Any]
    ) -> Iterator[RawFeedback | Rejected | Checkpoint]:
        """Yield every (app, locale)'s new reviews, a :class:`Checkpoint` after each page.

        Raises:
            SourceError: Google Play kept failing or answered something unreadable.
        """
        feeds = (
            (f"{app}/{lang}-{country}", (app, lang, country))
            for app in self.apps
            for lang, country in self.locales
        )
        yield from pull_feeds(state, feeds, self._pull, since=since)

    def _pull(
        self, app: str, lang: str, country: str, pull: Pull, since: datetime | None
    ) -> Iterator[RawFeedback | Rejected | Checkpoint]:
        url = f"{self.base_url}/_/PlayStoreUi/data/batchexecute?hl={lang}&gl={country}"
        page = 1
        while True:
            try:
                reviews, token = self._fetch(url, app, pull.cursor)
            except SourceError:
                if not pull.resuming or page > 1:
                    raise
                pull.restart()  # the stored token expired: from the newest page again
                reviews, token = self._fetch(url, app, None)
            dates: list[datetime] = []
            for index, review in enumerate(reviews):
                record = _review(review, self.name, f"{app} {lang}-{country} page {page} #{index}")
                if isinstance(record, Rejected) and record.reason != "no text":
                    pull.hold(dates)  # a newer vocmine could read it: the next pull reads it again
                if isinstance(record, RawFeedback):
                    dates.append(record.created_at)
                    if since is not None and record.created_at < since:
                        continue
                yield record
            done = pull.page(dates, next_cursor=token if reviews else None)
            yield Checkpoint()
            if done:
                return
            page += 1

    def _fetch(self, url: str, app: str, token: str | None) -> tuple[list[Any], str | None]:
        """One page of reviews and the continuation token (None on the last page)."""
        body = Formats.Reviews.build_body(app, Sort.NEWEST.value, PAGE_SIZE, "null", "null", token)
        text = self.post(url, body, _FORM)
        found = Regex.REVIEWS.findall(text)
        try:
            envelope = json.loads(found[0])
            inner = envelope[0][2]
            results = json.loads(inner) if inner is not None else []
        except (IndexError, TypeError, KeyError, json.JSONDecodeError):
            raise MalformedPage(
                f"{self.name}: Google Play answered something that is not a reviews page for "
                f"{app}; the next run resumes from the last page stored (if it persists, "
                "google-play-scraper may need an update)"
            ) from None
        reviews = results[0] if results and isinstance(results[0], list) else []
        try:
            next_token = results[-2][-1]  # where google-play-scraper 1.2.7 finds it
        except (IndexError, TypeError, KeyError):
            next_token = None
        return reviews, next_token if isinstance(next_token, str) and next_token else None


def _spec(review: list[Any], field: str) -> Any:
    return ElementSpecs.Review[field].extract_content(review)


def _epoch(review: Any, *path: int) -> datetime | None:
    """An epoch-seconds field as an aware UTC datetime (the library's are naive local times)."""
    value = review
    for step in path:
        if not isinstance(value, list) or len(value) <= step:
            return None
        value = value[step]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, tz=UTC)


def _review(review: Any, source: str, location: str) -> RawFeedback | Rejected:
    if not isinstance(review, list):
        return Rejected(source, location, "not a review: expected a list")
    review_id = _spec(review, "reviewId")
    if not isinstance(review_id, str) or not review_id:
        return Rejected(source, location, "no id")
    where = f"{location} (review {review_id})"
    text = _spec(review, "content")
    if not isinstance(text, str) or not text.strip():
        return Rejected(source, where, "no text")
    created = _epoch(review, 5, 0)
    if created is None:
        return Rejected(source, where, "no date")
    score = _spec(review, "score")
    reply = _spec(review, "replyContent")
    replied = _epoch(review, 7, 2, 0)
    thumbs = _spec(review, "thumbsUpCount")
    version = _spec(review, "appVersion")
    return RawFeedback(
        source=source,
        external_id=review_id,
        kind="review",
        text=text,
        created_at=created,
        location=where,
        rating=float(score) if isinstance(score, int) and 1 <= score <= 5 else None,
        app_version=version if isinstance(version, str) else None,
        user_id=_spec(review, "userName") or None,  # hashed by the pipeline, never stored
        channel="play",
        extra={
            "thumbs_up": thumbs if isinstance(thumbs, int) else 0,
            "developer_reply": reply if isinstance(reply, str) else None,
            "replied_at": replied.isoformat() if replied else None,
        },
    )


def _locale(name: str, value: str) -> tuple[str, str]:
    from vocmine.errors import ConfigError

    lang, _, country = value.replace("_", "-").partition("-")
    if not (lang.isalpha() and country.isalpha() and len(country) == 2):
        raise ConfigError(
            f'[sources.{name}]: locale {value!r} must be language-COUNTRY, e.g. "fr-FR" or "en-US"'
        )
    return lang.lower(), country.lower()


def from_config(
    name: str, table: Mapping[str, Any], base_dir: Path, *, post: Transport | None = None
) -> PlaySource:
    """Build a :class:`PlaySource` from a ``[sources.NAME]`` table (``type = "play"``).

    Keys: ``apps`` (package names), ``locales`` (``language-COUNTRY``), ``base_url`` and the
    retry keys.

    Raises:
        ConfigError: A key is unknown or a value is invalid.
    """
    check_keys(name, table, CONFIG_KEYS)
    apps = string_list(name, table, "apps", example='["com.example.app"]')
    locales = [
        _locale(name, value)
        for value in string_list(name, table, "locales", example='["fr-FR", "en-US"]')
    ]
    client = HttpClient(name, policy=policy_from_table(name, table, RetryPolicy()))
    return PlaySource(
        name,
        apps,
        locales,
        post=post or http_transport(client),
        base_url=base_url(name, table, DEFAULT_BASE_URL),
    )
