"""Zendesk tickets and CSAT through the REST API, incremental and resumable.

Tickets come from the cursor-based incremental export
(``/api/v2/incremental/tickets/cursor.json``): ``start_time`` the first time, then ``cursor`` =
the last ``after_cursor`` until ``end_of_stream``. The cursor is checkpointed with every page, and
kept after the end of the stream: the next run asks for what changed since. The export allows
about 10 requests a minute (``min_interval`` = 6 s by default) and never returns the newest
minute, which is simply picked up next time. A ticket deleted in Zendesk comes through the export
with status "deleted": it is removed from the store together with its CSAT comments, assignment
and vectors (a deletion request reaches vocmine at the next ingest).

CSAT comes from ``/api/v2/satisfaction_ratings.json`` (answered ratings only, cursor pagination
with ``page[size]``/``page[after]``, oldest first from ``start_time``; each pull re-reads the last
seven days, because a comment often comes after the score). A rating with a comment is
a ``csat`` item linked to its ticket (``extra.ticket_id``). A score-only rating is not an item of
its own (an empty text would count in every theme's share and in the unassigned share): its score
is stored on its ticket, so the negative-CSAT share still counts every answer exactly once.

A ticket or rating rejected for a reason a newer vocmine could fix (a date it cannot parse, no
id, not an object) holds the source's mark before it: once the stream is read to its end, the
tickets cursor goes back to the page that held it (``tickets_held``), and the ratings' newest
date stays at the last one before it, so the next run reads it again (what is stored is
skipped). A ticket with no text is bad at the source and does not hold anything.

Credentials come only from ``VOCMINE_ZENDESK_EMAIL`` and ``VOCMINE_ZENDESK_TOKEN`` (an API token,
sent as basic auth ``email/token:TOKEN``); they are never logged, stored or shown.

Example:
    >>> source = from_config("zendesk", {"subdomain": "acme"}, Path("."))
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from vocmine.models import Deleted, RawFeedback, Rejected
from vocmine.sources import Checkpoint, SourceError
from vocmine.sources.http import (
    RESUMES,
    HttpClient,
    RetryPolicy,
    base_url,
    check_keys,
    policy_from_table,
)

EMAIL_VAR = "VOCMINE_ZENDESK_EMAIL"
TOKEN_VAR = "VOCMINE_ZENDESK_TOKEN"
AUTH_HINT = f"{EMAIL_VAR} and {TOKEN_VAR} (an API token of an admin, Admin Center > Apps and integrations > Zendesk API)"
CONFIG_KEYS: tuple[str, ...] = ("subdomain",)
# The incremental export allows 10 requests a minute; the other endpoints far more.
EXPORT_POLICY = RetryPolicy(min_interval=6.0)
API_POLICY = RetryPolicy()
PAGE_SIZE = 100
# Ratings are filtered by creation date, and a customer often adds the comment after the score:
# each pull re-reads the last week (unchanged ones are skipped) so that late comments are stored.
RATINGS_LOOKBACK = 7 * 24 * 3600
_NEWEST_MINUTE = 60
# Rejected because the record itself is empty: nothing a newer vocmine could read from it.
BAD_AT_SOURCE = ("no text",)


def _fixable(record: object) -> bool:
    return isinstance(record, Rejected) and record.reason not in BAD_AT_SOURCE


class ZendeskSource:
    """Tickets (incremental export) and CSAT comments (satisfaction ratings) of one Zendesk.

    Args:
        name: Source name stored with every item.
        base_url: ``https://SUBDOMAIN.zendesk.com`` or a proxy or test server.
        export_policy: Retry policy of the incremental export (with its minimum interval).
        api_policy: Retry policy of the satisfaction ratings.
        environ: Where credentials are read (the process environment).
        sleep: How to wait between retries (tests pass a recorder).
    """

    resumable = True
    # `--restart` forgets the cursors, not which tickets were deleted (see _remember_deleted).
    kept_on_restart = ("deleted_tickets",)

    def __init__(
        self,
        name: str,
        *,
        base_url: str,
        export_policy: RetryPolicy = EXPORT_POLICY,
        api_policy: RetryPolicy = API_POLICY,
        environ: Mapping[str, str] = os.environ,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = name
        self.base_url = base_url
        self.export_policy, self.api_policy = export_policy, api_policy
        self.environ = environ
        self.sleep = sleep

    def iter_records(
        self, since: datetime | None, *, state: Mapping[str, Any]
    ) -> Iterator[RawFeedback | Rejected | Deleted | Checkpoint]:
        """Yield new and changed tickets, then new CSAT comments, checkpointing every page.

        Raises:
            SourceError: Credentials missing or refused, or the API kept failing.
        """
        headers = {"Authorization": self._authorization()}
        state = dict(state)
        export = HttpClient(
            self.name,
            policy=self.export_policy,
            headers=headers,
            auth_hint=AUTH_HINT,
            sleep=self.sleep,
        )
        api = HttpClient(
            self.name,
            policy=self.api_policy,
            headers=headers,
            auth_hint=AUTH_HINT,
            sleep=self.sleep,
        )
        yield from self._tickets(export, since, state)
        yield from self._ratings(api, since, state)

    def _authorization(self) -> str:
        email, token = self.environ.get(EMAIL_VAR, "").strip(), self.environ.get(TOKEN_VAR, "")
        if not email or not token.strip():
            raise SourceError(
                f"{self.name}: no Zendesk credentials; set {EMAIL_VAR} (the agent's email) and "
                f"{TOKEN_VAR} (an API token) in the environment"
            )
        pair = f"{email}/token:{token.strip()}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def _tickets(
        self, client: HttpClient, since: datetime | None, state: dict[str, Any]
    ) -> Iterator[RawFeedback | Rejected | Deleted | Checkpoint]:
        cursor = state.get("tickets_cursor")
        while True:
            query = {"cursor": cursor} if cursor else {"start_time": _start_time(since, None)}
            # Deleted tickets stay in the stream (status "deleted") so that they leave the store.
            url = f"{self.base_url}/api/v2/incremental/tickets/cursor.json?" + urlencode(query)
            page = client.get_json(url, what="the ticket export")
            tickets = page.get("tickets") if isinstance(page, dict) else None
            if not isinstance(tickets, list):
                raise SourceError(
                    f"{self.name}: the ticket export answered without a tickets list; {RESUMES}"
                )
            for index, ticket in enumerate(tickets):
                record = _ticket(ticket, self.name, f"tickets after {cursor or 'start'} #{index}")
                old = isinstance(record, RawFeedback) and since and record.created_at < since
                if _fixable(record) and "tickets_held" not in state:
                    state["tickets_held"] = {"cursor": cursor}  # read again from this page
                if isinstance(record, Deleted):
                    _remember_deleted(state, record.external_id)
                elif isinstance(record, RawFeedback):  # restored from Zendesk's deleted tickets
                    _forget_deleted(state, record.external_id)
                if not old:
                    yield record
            after = page.get("after_cursor")
            if isinstance(after, str) and after:
                state["tickets_cursor"] = after
            done = page.get("end_of_stream") is True or not after or after == cursor
            if done and "tickets_held" in state:  # the next run starts at the held page
                held = state.pop("tickets_held").get("cursor")
                if held:
                    state["tickets_cursor"] = held
                else:
                    state.pop("tickets_cursor", None)
            yield Checkpoint(dict(state))
            if done:
                return  # caught up (up to a minute ago); the cursor is where the next run starts
            cursor = after

    def _ratings(
        self, client: HttpClient, since: datetime | None, state: dict[str, Any]
    ) -> Iterator[RawFeedback | Rejected | Deleted | Checkpoint]:
        stored = state.get("ratings")
        progress: dict[str, Any] = dict(stored) if isinstance(stored, dict) else {}
        mark = progress.get("newest")
        after = progress.get("after")
        if after:  # a pull in progress: go on with its start and cursor
            start = int(progress["start_time"])
        else:  # re-read the last days: a comment is often added after the score
            start = _start_time(since, mark - RATINGS_LOOKBACK if mark else None)
        newest = int(mark or 0)
        held = progress.get("held")  # newest date before a rating this vocmine could not read
        while True:
            query: dict[str, Any] = {"score": "received", "start_time": start}
            query["page[size]"] = PAGE_SIZE
            if after:
                query["page[after]"] = after
            url = f"{self.base_url}/api/v2/satisfaction_ratings.json?" + urlencode(query)
            page = client.get_json(url, what="the satisfaction ratings")
            ratings = page.get("satisfaction_ratings") if isinstance(page, dict) else None
            if not isinstance(ratings, list):
                raise SourceError(
                    f"{self.name}: the satisfaction ratings answered without a list; {RESUMES}"
                )
            for index, rating in enumerate(ratings):
                created = _date(rating.get("created_at")) if isinstance(rating, dict) else None
                newest = max(newest, int(created.timestamp())) if created else newest
                record = _rating(rating, self.name, f"ratings after {after or 'start'} #{index}")
                if _fixable(record) and held is None:
                    held = newest  # ratings come oldest first: it is no older than this
                if record is not None and not _of_deleted_ticket(record, state):
                    yield record
            meta = page.get("meta") if isinstance(page.get("meta"), dict) else {}
            more = meta.get("has_more") is True and bool(meta.get("after_cursor"))
            if more and meta.get("after_cursor") != after:
                after = meta["after_cursor"]
                state["ratings"] = {"start_time": start, "after": after, "newest": newest}
                if held is not None:
                    state["ratings"]["held"] = held
                yield Checkpoint(dict(state))
                continue
            if held is not None:
                newest = min(newest, int(held))
            state["ratings"] = {"newest": newest or None}
            yield Checkpoint(dict(state))
            return


def _remember_deleted(state: dict[str, Any], ticket_id: str) -> None:
    # The ratings endpoint may still list a deleted ticket's rating, and every pull re-reads a
    # week of ratings: without this list, its CSAT comment would be stored again.
    known = state.get("deleted_tickets")
    ids = set(known) if isinstance(known, list) else set()
    state["deleted_tickets"] = sorted(ids | {ticket_id})


def _forget_deleted(state: dict[str, Any], ticket_id: str) -> None:
    known = state.get("deleted_tickets")
    if isinstance(known, list) and ticket_id in known:
        state["deleted_tickets"] = [known_id for known_id in known if known_id != ticket_id]


def _of_deleted_ticket(record: RawFeedback | Rejected, state: Mapping[str, Any]) -> bool:
    known = state.get("deleted_tickets")
    if not isinstance(record, RawFeedback) or not isinstance(known, list):
        return False
    return record.extra.get("ticket_id") in known


def _start_time(since: datetime | None, stored: Any) -> int:
    """Unix time to export from: the stored mark, or ``since``, whichever is later; never within
    the newest minute, which Zendesk refuses to export."""
    bounds = [int(stored)] if isinstance(stored, int | float) else []
    if since is not None:
        bounds.append(int(since.timestamp()))
    start = max(bounds, default=0)
    return min(start, int(time.time()) - _NEWEST_MINUTE)


def _text(value: Any) -> str | None:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def _date(value: Any) -> datetime | None:
    text = _text(value)
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _ticket(ticket: Any, source: str, location: str) -> RawFeedback | Rejected | Deleted:
    """A ticket of the export as feedback, or its deletion (with its CSAT comments)."""
    if not isinstance(ticket, dict):
        return Rejected(source, location, "not a ticket: expected a JSON object")
    ticket_id = _text(ticket.get("id"))
    if ticket_id is None:
        return Rejected(source, location, "no id")
    if ticket.get("status") == "deleted":
        return Deleted(source, ticket_id, linked=("ticket_id", ticket_id))
    where = f"{location} (ticket {ticket_id})"
    text = _text(ticket.get("description")) or _first_public_comment(ticket)
    if text is None:
        return Rejected(source, where, "no text")
    created = _date(ticket.get("created_at"))
    if created is None:
        return Rejected(source, where, f"unparseable date {ticket.get('created_at')!r}")
    via = ticket.get("via")
    rating = ticket.get("satisfaction_rating")
    rating = rating if isinstance(rating, dict) else {}
    tags = ticket.get("tags")
    return RawFeedback(
        source=source,
        external_id=ticket_id,
        kind="ticket",
        text=text,
        created_at=created,
        location=where,
        # A rating with a comment is its own csat item; only a score-only one is counted here.
        csat=rating.get("score") if _score_only(rating) else None,
        user_id=_text(ticket.get("requester_id")),
        channel=_text(via.get("channel")) if isinstance(via, dict) else None,
        title=_text(ticket.get("subject")),
        extra={
            "tags": [str(tag) for tag in tags] if isinstance(tags, list) else [],
            "status": _text(ticket.get("status")),
        },
    )


def _score_only(rating: Mapping[str, Any]) -> bool:
    return rating.get("score") in ("good", "bad") and _text(rating.get("comment")) is None


def _first_public_comment(ticket: Mapping[str, Any]) -> str | None:
    comments = ticket.get("comments")
    for comment in comments if isinstance(comments, list) else []:
        if isinstance(comment, dict) and comment.get("public") is True:
            return _text(comment.get("body")) or _text(comment.get("html_body"))
    return None


def _rating(rating: Any, source: str, location: str) -> RawFeedback | Rejected | None:
    """A satisfaction rating with a comment as a csat item; None for a score-only one."""
    if not isinstance(rating, dict):
        return Rejected(source, location, "not a satisfaction rating: expected a JSON object")
    rating_id = _text(rating.get("id"))
    if rating_id is None:
        return Rejected(source, location, "no id")
    score = rating.get("score")
    if score not in ("good", "bad") or _score_only(rating):
        return None  # offered but unanswered, or counted on its ticket
    where = f"{location} (rating {rating_id})"
    created = _date(rating.get("created_at"))
    if created is None:
        return Rejected(source, where, f"unparseable date {rating.get('created_at')!r}")
    return RawFeedback(
        source=source,
        external_id=f"csat-{rating_id}",
        kind="csat",
        text=str(_text(rating.get("comment"))),
        created_at=created,
        location=where,
        csat=str(score),
        user_id=_text(rating.get("requester_id")),
        extra={"ticket_id": _text(rating.get("ticket_id")), "reason": _text(rating.get("reason"))},
    )


def from_config(name: str, table: Mapping[str, Any], base_dir: Path) -> ZendeskSource:
    """Build a :class:`ZendeskSource` from a ``[sources.NAME]`` table (``type = "zendesk"``).

    Keys: ``subdomain`` (``acme`` for acme.zendesk.com) or ``base_url``, and the retry keys;
    ``min_interval`` applies to the incremental export (default 6 s: 10 requests a minute).

    Raises:
        ConfigError: A key is unknown, or neither subdomain nor base_url is given.
    """
    from vocmine.errors import ConfigError

    check_keys(name, table, CONFIG_KEYS)
    subdomain = table.get("subdomain")
    if subdomain is not None and not (
        isinstance(subdomain, str) and subdomain.replace("-", "").isalnum()
    ):
        raise ConfigError(
            f'[sources.{name}]: subdomain must be the first part of your Zendesk address, e.g. "acme"'
        )
    if subdomain is None and "base_url" not in table:
        raise ConfigError(
            f'[sources.{name}]: set subdomain = "acme" (for acme.zendesk.com) or base_url, '
            "or pass --subdomain"
        )
    default = f"https://{subdomain}.zendesk.com" if subdomain else "https://example.zendesk.com"
    api_keys = {key: value for key, value in table.items() if key != "min_interval"}
    return ZendeskSource(
        name,
        base_url=base_url(name, table, default),
        export_policy=policy_from_table(name, table, EXPORT_POLICY),
        api_policy=policy_from_table(name, api_keys, API_POLICY),
    )
