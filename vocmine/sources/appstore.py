"""App Store reviews from Apple's public customer-reviews feed (iTunes RSS, JSON flavour).

``{base_url}/{country}/rss/customerreviews/page={n}/id={app_id}/sortby=mostrecent/json``: pages 1 to
10 of 50 reviews, newest first; page 11 answers 400. Every value is wrapped as ``{"label": ...}``
and numbers are strings; an app with no reviews has no ``entry``; a page with one review has an
object instead of a list; in some feeds the first entry of page 1 is the app itself (no rating).
The feed's own ``next`` links point to the XML flavour, so the JSON page URLs are built here.

Feeds of 2019-2021 give no per-entry ``updated``: such a review is stored with the feed's own
``updated`` (or, without one, the page's HTTP ``Date``) and flagged ``extra.date_from = "feed"``
(or ``"page"``); those dates say when the review was served, not written, so they do not move
the feed's mark. A review rejected for a reason vocmine could fix (a date or rating it cannot
parse, no id, a page it cannot read) holds the mark before it, so that a fixed vocmine reads
it again; a review with no text is bad at the source and is only listed.

Only the 500 newest reviews of an app and country are served: run the ingest at least as often as
500 reviews arrive. Each (app, country) is a newest-first pull (:mod:`vocmine.sources.newest`)
checkpointed after every page. Reviewer names are used only as the user id, which is hashed.

Example:
    >>> source = from_config("appstore", {"apps": ["1234567890"], "countries": ["fr"]}, Path("."))
"""

from __future__ import annotations

import email.utils
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vocmine.models import RawFeedback, Rejected
from vocmine.sources import Checkpoint
from vocmine.sources.http import (
    HttpClient,
    MalformedPage,
    Response,
    RetryPolicy,
    base_url,
    check_keys,
    parse_json,
    policy_from_table,
    string_list,
)
from vocmine.sources.newest import Pull, pull_feeds

# Rejected because the review itself is empty: nothing a newer vocmine could read from it.
BAD_AT_SOURCE = ("no text",)

DEFAULT_BASE_URL = "https://itunes.apple.com"
LAST_PAGE = 10
CONFIG_KEYS: tuple[str, ...] = ("apps", "countries")


class AppStoreSource:
    """Reviews of some apps in some countries, newest first, resumable.

    Args:
        name: Source name stored with every review.
        apps: Numeric App Store ids (the digits in the app's URL, ``id1234567890``).
        countries: Two-letter storefront codes (``fr``, ``us``).
        client: The HTTP client (retries, back-off).
        base_url: Where the feed is served (Apple's by default).
    """

    resumable = True

    def __init__(
        self,
        name: str,
        apps: list[str],
        countries: list[str],
        *,
        client: HttpClient,
        base_url: str = DEFAULT_BASE_URL,
    ) -> None:
        self.name = name
        self.apps = [app.removeprefix("id") for app in apps]
        self.countries = [country.lower() for country in countries]
        self.client = client
        self.base_url = base_url

    def iter_records(
        self, since: datetime | None, *, state: Mapping[str, Any]
    ) -> Iterator[RawFeedback | Rejected | Checkpoint]:
        """Yield every (app, country)'s new reviews, a :class:`Checkpoint` after each page."""
        feeds = (
            (f"{app}/{country}", (app, country)) for app in self.apps for country in self.countries
        )
        yield from pull_feeds(state, feeds, self._pull, since=since)

    def _pull(
        self, app: str, country: str, pull: Pull, since: datetime | None
    ) -> Iterator[RawFeedback | Rejected | Checkpoint]:
        page = int(pull.cursor or 1)
        while True:
            where = f"{app}/{country} page {page}"
            dates: list[datetime] = []
            served: tuple[datetime, str] | None = None
            try:
                entries, served = self._entries(app, country, page)
            except MalformedPage as exc:
                yield Rejected(self.name, where, f"page skipped: {exc}")
                pull.hold()  # its reviews are read again by the next pull
                entries = []
                more = page < LAST_PAGE
            else:
                more = entries is not None and bool(entries) and page < LAST_PAGE
            for index, entry in enumerate(entries or []):
                if page == 1 and index == 0 and _is_app(entry):
                    continue
                record = _review(entry, self.name, f"{where} entry {index}", country, served)
                if isinstance(record, Rejected) and record.reason not in BAD_AT_SOURCE:
                    pull.hold(dates)
                if isinstance(record, RawFeedback):
                    if "date_from" not in record.extra:  # a served date is no review's date
                        dates.append(record.created_at)
                    if since is not None and record.created_at < since:
                        continue
                yield record
            done = pull.page(dates, next_cursor=page + 1 if more else None)
            yield Checkpoint()
            if done:
                return
            page += 1

    def _entries(
        self, app: str, country: str, page: int
    ) -> tuple[list[Any] | None, tuple[datetime, str] | None]:
        """The entries of a page (None past the last page: Apple answers 400), and when the page
        was served: the feed's ``updated`` ("feed") or the HTTP ``Date`` ("page"), if any."""
        url = (
            f"{self.base_url}/{country}/rss/customerreviews/page={page}/id={app}"
            "/sortby=mostrecent/json"
        )

        def parse(response: Response) -> tuple[Any, str | None]:
            if response.status == 400:
                return None, None
            return parse_json(response), response.date

        document, served_at = self.client.request(
            url,
            what=f"reviews page {page} of app {app} ({country})",
            expect=(200, 400),
            parse=parse,
        )
        if document is None:
            return None, None
        feed = document.get("feed") if isinstance(document, dict) else None
        if not isinstance(feed, dict):
            raise MalformedPage(f"{self.name}: page {page} of app {app} ({country}) has no feed")
        entries = feed.get("entry", [])  # no "entry" at all: no (more) reviews
        listed = [entries] if isinstance(entries, dict) else list(entries or [])
        return listed, _served(_label(feed, "updated"), served_at)


def _label(entry: Any, *path: str) -> str | None:
    """The ``label`` at ``path`` ("author", "name"); None when absent or empty."""
    value = entry
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    if isinstance(value, list):  # some feeds give content as [text, html]
        texts = [v for v in value if isinstance(v, dict) and _type(v) == "text"]
        value = (texts or value or [None])[0]
    label = value.get("label") if isinstance(value, dict) else None
    return str(label).strip() or None if label is not None else None


def _type(value: dict[str, Any]) -> Any:
    attributes = value.get("attributes")
    return attributes.get("type") if isinstance(attributes, dict) else None


def _is_app(entry: Any) -> bool:
    """Whether a feed entry describes the app rather than a review: a name, no rating."""
    return isinstance(entry, dict) and "im:rating" not in entry and "im:name" in entry


def _served(feed_updated: str | None, http_date: str | None) -> tuple[datetime, str] | None:
    """When a page was served, and from what: the feed's ``updated``, else the HTTP Date."""
    if feed_updated is not None:
        try:
            return _utc(datetime.fromisoformat(feed_updated)), "feed"
        except ValueError:
            pass
    if http_date:
        try:
            return _utc(email.utils.parsedate_to_datetime(http_date)), "page"
        except (TypeError, ValueError):
            pass
    return None


def _utc(moment: datetime) -> datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _review(
    entry: Any,
    source: str,
    location: str,
    country: str,
    served: tuple[datetime, str] | None = None,
) -> RawFeedback | Rejected:
    """One feed entry as a review, or the reason it cannot be one.

    An entry without ``updated`` (the older feed format) takes ``served``, the page's date.
    """
    if not isinstance(entry, dict):
        return Rejected(source, location, "not a review: expected a JSON object")
    review_id = _label(entry, "id")
    text, title = _label(entry, "content"), _label(entry, "title")
    rating = _label(entry, "im:rating")
    date = _label(entry, "updated")
    if review_id is None:
        return Rejected(source, location, "no id")
    if text is None and title is None:
        return Rejected(source, f"{location} (review {review_id})", "no text")
    extra: dict[str, Any] = {}
    if date is None and served is not None:
        created, extra["date_from"] = served
    else:
        try:
            created = datetime.fromisoformat(date or "")
        except ValueError:
            where = f"{location} (review {review_id})"
            return Rejected(source, where, f"unparseable date {date!r}")
    stars = int(rating) if rating is not None and rating.isdigit() else None
    if stars is None or not 1 <= stars <= 5:
        return Rejected(source, f"{location} (review {review_id})", f"invalid rating {rating!r}")
    return RawFeedback(
        source=source,
        external_id=review_id,
        kind="review",
        text=text or "",
        created_at=_utc(created),
        location=location,
        rating=float(stars),
        country=country,
        app_version=_label(entry, "im:version"),
        user_id=_label(entry, "author", "name"),  # hashed by the pipeline, never stored
        channel="appstore",
        title=title,
        extra={
            "vote_sum": _int(_label(entry, "im:voteSum")),
            "vote_count": _int(_label(entry, "im:voteCount")),
            **extra,
        },
    )


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.lstrip("-").isdigit() else None


def from_config(name: str, table: Mapping[str, Any], base_dir: Path) -> AppStoreSource:
    """Build an :class:`AppStoreSource` from a ``[sources.NAME]`` table (``type = "appstore"``).

    Keys: ``apps`` (ids), ``countries`` (storefront codes), ``base_url`` and the retry keys
    (``tries``, ``backoff``, ``max_wait``, ``min_interval``, ``timeout``).

    Raises:
        ConfigError: A key is unknown or a value is invalid.
    """
    from vocmine.errors import ConfigError

    check_keys(name, table, CONFIG_KEYS)
    apps = string_list(name, table, "apps", example='["1234567890"]')
    bad = [app for app in apps if not app.removeprefix("id").isdigit()]
    if bad:
        raise ConfigError(
            f"[sources.{name}]: App Store id {bad[0]!r} must be the digits of the app's URL "
            '(apps.apple.com/.../id1234567890 -> "1234567890")'
        )
    countries = string_list(name, table, "countries", example='["fr", "us"]')
    policy = policy_from_table(name, table, RetryPolicy())
    return AppStoreSource(
        name,
        apps,
        countries,
        client=HttpClient(name, policy=policy),
        base_url=base_url(name, table, DEFAULT_BASE_URL),
    )
