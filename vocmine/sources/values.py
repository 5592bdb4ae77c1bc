"""Value parsing for file sources: text coercion, star ratings and dates in their many forms.

Dates come as ISO 8601, a caller's ``strptime`` format, slashed day-first (or month-first) dates
with an optional clock, or epoch seconds or milliseconds; all become aware UTC datetimes.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
_SLASHED = re.compile(
    r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)


def valid_unicode(text: str) -> tuple[str, int]:
    """``text`` made valid Unicode, and how many lone surrogates were replaced by U+FFFD.

    JSON may escape half an emoji (``"\\ud83d"``): valid JSON, but not text that UTF-8 can encode,
    hash or store. A surrogate pair written as two code points becomes the one character it
    stands for; a lone half becomes U+FFFD.

    Example:
        >>> valid_unicode("ok \\ud83d")
        ('ok \\ufffd', 1)
    """
    if _SURROGATE.search(text) is None:
        return text, 0
    repaired = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return repaired, repaired.count(REPLACEMENT) - text.count(REPLACEMENT)


def as_text(value: Any) -> str | None:
    """A value as a stripped string; None when missing or blank. Integral floats lose '.0'."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value).strip()
    return text or None


def parse_rating(value: Any) -> float | None:
    """A 1-5 star rating; None when missing, not a number or out of range (not a reject)."""
    try:  # None, True and "abc" all fail float(), like any other non-number
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) and 1 <= number <= 5 else None


def parse_date(value: Any, *, date_format: str | None, zone: tzinfo) -> datetime | None:
    """Parse a date in any supported form; naive times are taken in ``zone``.

    Tried in order: ``date_format``, ISO 8601, day-first slashed dates (month-first when the day
    cannot be first), then epoch seconds or milliseconds.
    """
    if isinstance(value, int | float):  # a bool is 1970, rejected as implausible
        return _from_epoch(value)
    text = str(value).strip()
    parsed = (
        (date_format and _attempt(datetime.strptime, text, date_format))
        or _attempt(datetime.fromisoformat, text)
        or _from_slashed(text)
    )
    if parsed is None:
        return _from_epoch(float(text)) if _NUMBER.fullmatch(text) else None  # 1e999 is inf
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


def _attempt(parse: Callable[..., datetime], *args: str) -> datetime | None:
    try:
        return parse(*args)
    except (ValueError, OverflowError, re.error):
        return None


def _from_slashed(text: str) -> datetime | None:
    """Parse "03/10/2026 14:05" as 3 October (French-first), "10/31/2026" as 31 October."""
    match = _SLASHED.fullmatch(text)
    if match is None:
        return None
    first, _, second, year, hour, minute, seconds, meridiem = match.groups()
    hours = int(hour or 0)
    if meridiem is not None:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if meridiem.lower() == "pm" else 0)
    clock = (hours, int(minute or 0), int(seconds or 0))
    for day, month in ((first, second), (second, first)):
        try:
            return datetime(int(year), int(month), int(day), *clock)
        except ValueError:
            continue
    return None


def _from_epoch(number: float) -> datetime | None:
    # 1e11 seconds is the year 5138 and 1e11 milliseconds is 1973: a safe cut between the two.
    try:
        seconds = number / 1000 if abs(number) >= 1e11 else number
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
