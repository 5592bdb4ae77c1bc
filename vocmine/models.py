"""Typed values that cross the pipeline's stage boundaries.

sources -> RawFeedback | Rejected -> normalise -> Item -> store -> embed -> assign -> metrics -> report
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Kind = Literal["ticket", "csat", "review", "survey"]
KINDS: tuple[str, ...] = ("ticket", "csat", "review", "survey")

# Placeholder language code for text too short or too symbolic to call.
UNDETERMINED = "und"
# The intent of an item that matches none well enough: counted and reported, never hidden.
UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class RawFeedback:
    """One piece of feedback as a source yields it, before cleaning and redaction.

    Attributes:
        source: Name of the source it came from (part of the natural key).
        external_id: Id inside that source (part of the natural key).
        kind: ticket, csat, review or survey.
        text: The raw text (may contain HTML, quoted replies, personal data).
        created_at: When the user wrote it, timezone-aware UTC.
        location: Where it was read, for error messages ("file.csv:12").
        rating: Star rating 1-5, for reviews.
        csat: CSAT score as given by the source ("good", "bad", "4", "2"...).
        language: Language code if the source states it (trusted over detection).
        country: Country code or name.
        app_version: App version the feedback is about.
        user_id: Raw user id; hashed before storage, never stored as is.
        channel: Channel (email, chat, web, play, appstore...).
        title: Optional title (review titles, ticket subjects).
        extra: Source-specific values worth keeping (tags, thumbs up, developer reply).
    """

    source: str
    external_id: str
    kind: Kind
    text: str
    created_at: datetime
    location: str = ""
    rating: float | None = None
    csat: str | None = None
    language: str | None = None
    country: str | None = None
    app_version: str | None = None
    user_id: str | None = None
    channel: str | None = None
    title: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejected:
    """A record a source could not turn into feedback: counted and listed, never silent.

    Attributes:
        source: Name of the source.
        location: File and line (or page and index) of the record.
        reason: Short human reason, e.g. "no text" or "unparseable date '31/13/2026'".
    """

    source: str
    location: str
    reason: str


@dataclass(frozen=True)
class Deleted:
    """A record the source says was deleted: it and what was derived from it leave the store.

    A user's right to erasure follows their feedback here: when a ticket is deleted in Zendesk,
    vocmine deletes its item, its assignment, its vector (once no other item has the same text)
    and the items linked to it.

    Attributes:
        source: Name of the source.
        external_id: Id inside that source, as in :class:`RawFeedback`.
        linked: ``(key, value)``: also delete the source's items whose ``extra[key]`` is
            ``value`` (a ticket's CSAT comments carry ``extra["ticket_id"]``).
    """

    source: str
    external_id: str
    linked: tuple[str, str] | None = None


@dataclass(frozen=True)
class Item:
    """Feedback after normalisation: cleaned, redacted, language-tagged. This is what is stored."""

    source: str
    external_id: str
    kind: Kind
    text: str
    text_hash: str
    created_at: datetime
    language: str
    language_prob: float
    rating: float | None = None
    csat_score: str | None = None
    csat_negative: bool | None = None
    country: str | None = None
    app_version: str | None = None
    user_hash: str | None = None
    channel: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
