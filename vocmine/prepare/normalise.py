"""Normalise raw feedback: clean the text, redact personal data, tag the language.

RawFeedback -> clean_text (a lone name on the last line marked) -> redact -> detect_language -> Item.
Personal data must never be stored, so the Item keeps neither the raw text nor the raw user id. The steps live in the sibling modules
clean, redact and language; this module assembles them and keys the cache on their code.

Example:
    >>> from datetime import UTC, datetime
    >>> now = datetime(2026, 10, 3, tzinfo=UTC)
    >>> raw = RawFeedback("play", "r1", "review", "Appelez-moi au 06 12 34 56 78", now)
    >>> normalise(raw, salt="s3cret").text
    'Appelez-moi au [PHONE]'
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from vocmine.models import UNDETERMINED, Item, RawFeedback
from vocmine.prepare.clean import clean_lines, collapse_whitespace, replace_lone_name_line
from vocmine.prepare.language import detect_language
from vocmine.prepare.redact import hash_user, redact

_SOURCE_LANGUAGE_RE = re.compile(r"[a-z]{2,3}")
# The modules whose code decides the output of normalise(), in a fixed order for fingerprint().
_CODE_MODULES = ("clean.py", "redact.py", "language.py", "normalise.py")

# -- CSAT ---------------------------------------------------------------------------------------

_CSAT_GOOD = frozenset(("good", "satisfied", "satisfait", "satisfaite", "yes", "oui", "👍"))
_CSAT_BAD = frozenset(("bad", "unsatisfied", "insatisfait", "insatisfaite", "no", "non", "👎"))
_CSAT_NUMBER_RE = re.compile(r"(?P<score>\d{1,2}(?:[.,]0+)?)\s*(?:/\s*(?P<scale>5|10))?")
_EMOJI_MODIFIERS_RE = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")


@functools.cache
def fingerprint(languages: tuple[str, ...] = (), order_patterns: tuple[str, ...] = ()) -> str:
    """What the output of :func:`normalise` depends on besides the record: the code of this
    module and of clean, redact and language, langdetect's version, the candidate languages and
    the configured order-number patterns. Part of every raw-record cache key, so that improving
    redaction (or adding a pattern) makes the next ingest normalise everything again.
    """
    from importlib.metadata import version

    here = Path(__file__).parent
    code = b"\x00".join((here / name).read_bytes() for name in _CODE_MODULES)
    extra = f"|{version('langdetect')}|{','.join(languages)}".encode()
    if order_patterns:
        extra += json.dumps(order_patterns, ensure_ascii=False).encode()
    return hashlib.sha256(code + extra).hexdigest()[:16]


def raw_hash(
    raw: RawFeedback, *, languages: tuple[str, ...] = (), order_patterns: tuple[str, ...] = ()
) -> str:
    """Cache key of a raw record: its content (not where it was read) and the normaliser's."""
    content = {k: v for k, v in dataclasses.asdict(raw).items() if k != "location"}
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return text_hash(f"{fingerprint(languages, order_patterns)}|{payload}")


def text_hash(text: str) -> str:
    """Hex sha256 of the UTF-8 text: the key for embeddings and change detection.

    Example:
        >>> text_hash("")[:8]
        'e3b0c442'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_csat(value: str | None) -> tuple[str | None, bool | None]:
    """Normalise a CSAT answer to (score text, is negative).

    Words and thumbs ("good", "satisfait", "👍" / "bad", "non", "👎"), 1-5 scores (1-2 negative)
    and 0-10 scores (recognised when above 5, 0, or written "x/10"; 0-6 negative). "offered",
    empty and unknown values give (None, None).

    Example:
        >>> parse_csat("Insatisfait"), parse_csat("4"), parse_csat("6")
        (('bad', True), ('4', False), ('6', True))
    """
    if value is None:
        return None, None
    cleaned = _EMOJI_MODIFIERS_RE.sub("", value).strip().lower()
    if cleaned in _CSAT_GOOD:
        return "good", False
    if cleaned in _CSAT_BAD:
        return "bad", True
    number = _CSAT_NUMBER_RE.fullmatch(cleaned)
    if number is None:
        return None, None
    score = int(float(number.group("score").replace(",", ".")))
    scale = int(number.group("scale") or (10 if score > 5 or score == 0 else 5))
    if scale == 5 and 1 <= score <= 5:
        return str(score), score <= 2
    if scale == 10 and 0 <= score <= 10:
        # NPS: 0-6 are detractors. A 0 can only come from a 0-10 scale.
        return str(score), score <= 6
    return None, None


def normalise(
    raw: RawFeedback,
    *,
    salt: str,
    languages: tuple[str, ...] = (),
    order_patterns: tuple[str, ...] = (),
) -> Item:
    """Turn a source record into a storable Item: cleaned, redacted, language-tagged.

    Args:
        raw: The record as a source yielded it.
        salt: The store's salt for user-id hashes.
        languages: Candidate languages for detection (see :func:`detect_language`).
        order_patterns: Extra order-number regexes (``[privacy] order_patterns``).

    Returns:
        The Item. It holds neither the raw text nor the raw user id; string values of ``extra``
        are redacted too (developer replies can quote an email address).

    Example:
        >>> from datetime import UTC, datetime
        >>> now = datetime(2026, 10, 3, tzinfo=UTC)
        >>> raw = RawFeedback("play", "r1", "review", "Appelez-moi au 06 12 34 56 78", now)
        >>> normalise(raw, salt="s3cret").text
        'Appelez-moi au [PHONE]'
    """
    lines = clean_lines(_with_title(raw.title, raw.text), kind=raw.kind)
    text = collapse_whitespace(replace_lone_name_line(lines))
    text = redact(text, user_id=raw.user_id, order_patterns=order_patterns)
    language, probability = _source_language(raw.language) or detect_language(
        text, candidates=languages
    )
    csat_score, csat_negative = parse_csat(raw.csat)
    return Item(
        source=raw.source,
        external_id=raw.external_id,
        kind=raw.kind,
        text=text,
        text_hash=text_hash(text),
        created_at=raw.created_at,
        language=language,
        language_prob=probability,
        rating=raw.rating,
        csat_score=csat_score,
        csat_negative=csat_negative,
        country=raw.country,
        app_version=raw.app_version,
        user_hash=hash_user(raw.user_id, salt=salt) if raw.user_id else None,
        channel=raw.channel,
        extra={
            **{
                key: _redact_value(value, raw.user_id, order_patterns)
                for key, value in raw.extra.items()
            },
            **_location(raw),
        },
    )


def _location(raw: RawFeedback) -> dict[str, str]:
    """Where a file's record was read ("reviews.csv:17"), for drill-down; not for API pages."""
    where = raw.location or ""
    return {"location": where} if re.fullmatch(r"[^\s()]+:\d+", where) else {}


def _with_title(title: str | None, text: str) -> str:
    title = (title or "").strip()
    if not title or text.strip().casefold().startswith(title.casefold()):
        return text
    separator = " " if title[-1] in ".!?…" else ". "
    return title + separator + text


def _source_language(value: str | None) -> tuple[str, float] | None:
    """A language stated by the source ("FR", "fr-FR", "en_GB") as (code, 1.0), or None."""
    code = re.split(r"[-_]", (value or "").strip().lower(), maxsplit=1)[0]
    if _SOURCE_LANGUAGE_RE.fullmatch(code) and code != UNDETERMINED:
        return code, 1.0
    return None


def _redact_value(value: Any, user_id: str | None, order_patterns: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return redact(value, user_id=user_id, order_patterns=order_patterns)
    if isinstance(value, dict):
        return {key: _redact_value(item, user_id, order_patterns) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item, user_id, order_patterns) for item in value]
    return value
