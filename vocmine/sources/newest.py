"""Resumable pulls of newest-first feeds (Google Play, App Store), shared by both sources.

A newest-first feed cannot keep "the newest review seen" as its only mark: a run killed on page 3
would have stored that mark after page 1, and the next run would stop at once, never fetching the
older pages. So each feed keeps two things:

- ``mark``: the newest date of the last *completed* pull. It only advances when a pull reaches the
  previous mark (or ``--since``) or the end of the feed.
- a pull in progress: where it goes on (page number or continuation token), the newest date it has
  seen (its future mark) and the date it stops at.

A run resumes the pull in progress; a pull that cannot resume (an expired token) starts again from
the newest page with the same target, and what is already stored is skipped by the pipeline.

A record rejected for a reason a newer vocmine could fix (a date or rating it cannot parse, a
page it cannot read) *holds* the pull (:meth:`Pull.hold`): once complete, its mark goes no
further than the oldest date seen before that record, so the next pull reads it again, and a
fixed vocmine stores it. Records bad at the source (no text) do not hold anything.

Example:
    >>> pull = Pull.load({}, since=None)
    >>> pull.page([datetime(2026, 10, 3, tzinfo=UTC)], next_cursor=2)
    False
    >>> pull.dump()["pull"]["cursor"]
    2
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from vocmine.models import RawFeedback, Rejected
from vocmine.sources import Checkpoint

Record = RawFeedback | Rejected | Checkpoint


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class Pull:
    """The state of one newest-first feed (one app in one country or locale).

    Attributes:
        mark: Newest date of the last completed pull (None: never completed).
        stop_at: The pull in progress stops after the page that reaches a record older than this.
        target: Newest date seen by the pull in progress; the next mark once it completes.
        cursor: Where the pull in progress goes on; None means from the newest page.
        oldest: Oldest date the pull in progress has seen on its completed pages.
        held: Whether a record was rejected for a reason the code could fix; ``hold_at`` is
            then the newest mark that still reads it again (None: read everything again).
    """

    mark: datetime | None = None
    stop_at: datetime | None = None
    target: datetime | None = None
    cursor: Any = None
    oldest: datetime | None = None
    held: bool = False
    hold_at: datetime | None = None

    @classmethod
    def load(cls, stored: Mapping[str, Any], *, since: datetime | None) -> Pull:
        """Resume the stored pull in progress, or start one that stops at the mark or ``since``."""
        mark = _parse(stored.get("mark"))
        pull = stored.get("pull")
        if isinstance(pull, Mapping) and pull.get("cursor") is not None:
            return cls(
                mark,
                _parse(pull.get("stop_at")),
                _parse(pull.get("target")),
                pull["cursor"],
                _parse(pull.get("oldest")),
                "hold_at" in pull,
                _parse(pull.get("hold_at")),
            )
        bounds = [moment for moment in (mark, since) if moment is not None]
        return cls(mark, max(bounds) if bounds else None)

    @property
    def resuming(self) -> bool:
        """Whether this pull goes on from a page or token stored by an earlier run."""
        return self.cursor is not None

    def restart(self) -> None:
        """Go on from the newest page (the stored token expired), keeping target and stop."""
        self.cursor = None

    def hold(self, before: Sequence[datetime] = ()) -> None:
        """A record was rejected for a reason the code could fix: keep the mark at or before it.

        Args:
            before: Dates of the records of the current page that came before it (the feed is
                newest first, so the record is no newer than the oldest of them).
        """
        seen = [moment for moment in (*before, self.oldest) if moment is not None]
        at = min(seen) if seen else self.mark
        if not self.held:
            self.held, self.hold_at = True, at
        elif self.hold_at is not None:
            self.hold_at = None if at is None else min(self.hold_at, at)

    def page(self, dates: Sequence[datetime], *, next_cursor: Any) -> bool:
        """Account for a page's record dates; returns True when the pull is complete.

        Args:
            dates: Creation dates of the page's records (any order).
            next_cursor: Where the next page is; None when the feed has no more.
        """
        if dates:
            newest, oldest = max(dates), min(dates)
            self.target = newest if self.target is None else max(self.target, newest)
            self.oldest = oldest if self.oldest is None else min(self.oldest, oldest)
        reached = self.stop_at is not None and any(moment < self.stop_at for moment in dates)
        if reached or next_cursor is None:
            seen = [moment for moment in (self.mark, self.target) if moment is not None]
            self.mark = max(seen) if seen else None
            if self.held:  # read again from the rejected record on (see hold)
                held = self.hold_at
                self.mark = held if held is None or not seen else min(held, max(seen))
            self.stop_at, self.target, self.cursor, self.oldest = None, None, None, None
            self.held, self.hold_at = False, None
            return True
        self.cursor = next_cursor
        return False

    def dump(self) -> dict[str, Any]:
        """The JSON-able state to checkpoint."""
        state: dict[str, Any] = {"mark": _iso(self.mark)}
        if self.cursor is not None:
            state["pull"] = {
                "cursor": self.cursor,
                "stop_at": _iso(self.stop_at),
                "target": _iso(self.target),
            }
            if self.oldest is not None:
                state["pull"]["oldest"] = _iso(self.oldest)
            if self.held:
                state["pull"]["hold_at"] = _iso(self.hold_at)
        return state


def pull_feeds(
    state: Mapping[str, Any],
    feeds: Iterable[tuple[str, tuple[str, ...]]],
    pull_feed: Callable[..., Iterator[Record]],
    *,
    since: datetime | None,
) -> Iterator[Record]:
    """Run every feed's pull in turn, each resumed from its part of ``state["feeds"]``.

    ``feeds`` are (key, arguments): ``pull_feed(*arguments, pull, since)`` yields the feed's
    records and a bare :class:`Checkpoint` after each page, which becomes a checkpoint of every
    feed's state, this one's as it stands after the page.
    """
    stored = dict(state.get("feeds", {}))
    for key, arguments in feeds:
        pull = Pull.load(stored.get(key, {}), since=since)
        for record in pull_feed(*arguments, pull, since):
            if isinstance(record, Checkpoint):
                stored[key] = pull.dump()
                yield Checkpoint({"feeds": dict(stored)})
            else:
                yield record
