"""Readers of the file formats: decoded text lines, CSV, JSON Lines and Zendesk ticket exports.

Each reader takes a :class:`FileContext` and yields one :class:`Raw` row (field -> raw value) per
record and one :class:`~vocmine.models.Rejected` per unreadable one; problems with a whole file
raise :class:`~vocmine.errors.InputError`. Turning rows into feedback is left to the caller.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
import re
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, NamedTuple, Protocol, cast

from vocmine.errors import InputError
from vocmine.models import Rejected
from vocmine.sources.values import as_text

# fmt: off
# Column names tried, in order and ignoring case, when a field has no explicit mapping.
_AUTO_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "comment", "commentaire", "body", "review", "message",
             "description"),
    "id": ("id", "reviewId", "review_id", "ticket_id", "response_id"),
    "date": ("date", "at", "created_at", "created", "timestamp", "updated"),
}
# fmt: on
_COLUMN_FLAGS = {"text": "--text-col", "date": "--date-col"}
_SNIFF_CHARS = 64 * 1024
# csv.Sniffer's regexes take quadratic time in a line's length (a 120 KB line: minutes), so it
# sees at most this much of each line and of the file; the header line checks its guess anyway.
_SNIFF_LINE = 1024
_SNIFF_SAMPLE = 16 * 1024
# csv's default, set on every read so that no other library's setting changes what is read: a
# row with a longer field (no feedback is that long; a broken quote is) is one rejected row.
# Long ticket threads run to hundreds of KB; past this a field is an unclosed quote that would
# swallow the rest of the file (csv's own default, 128 KB, rejected real long texts).
FIELD_LIMIT = 4 * 1024 * 1024
# Real exports nest a few levels; past this a record is refused before the parser recurses.
MAX_JSON_DEPTH = 100
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*+"|[\[\]{}]')
_DELIMITERS = ",;\t|"
_TICKET_KEYS = ("subject", "description", "requester_id", "via", "comments")
_NOT_TICKETS = (
    '{}: does not look like a Zendesk ticket export (expected a "tickets" list, an array of '
    "tickets or one ticket per line); for other JSON, write one object per line, --format jsonl"
)


class SourceOptions(Protocol):
    """The options of a file source that the readers and the record builder use."""

    name: str
    encoding: str
    delimiter: str | None
    date_format: str | None
    zone: tzinfo


class Raw(NamedTuple):
    """One row as read: field -> raw value. A field is absent when the file has no such column."""

    location: str
    values: dict[str, Any]
    extra: dict[str, Any]


@dataclass(frozen=True)
class FileContext:
    """What the readers and the record builder need to know about one file and one run."""

    source: SourceOptions
    path: Path
    label: str
    columns: Mapping[str, str]  # field -> column (or dotted path), in FIELDS order
    overridden: frozenset[str]
    kind: str | None
    since: datetime | None
    now: datetime


def _text_lines(path: Path, label: str, encoding: str) -> Generator[str, None, None]:
    """Yield a file's decoded lines, newline kept, one physical line at a time.

    Decoding line by line (rather than through a TextIOWrapper) keeps memory flat and lets an
    encoding error name the line it is on. Lines end with LF or CRLF; a file with no LF but CRs
    (old Mac Excel exports) has CR-only line endings, and is split on CR.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line_no, pending, newline = 1, "", ""
    try:
        with path.open("rb") as handle:
            for chunk in itertools.chain(handle, [b""]):
                try:
                    pending += decoder.decode(chunk, final=not chunk)
                except UnicodeError:  # UnicodeDecodeError, or a UTF-16 stream without a BOM
                    raise InputError(_encoding_message(label, line_no, encoding)) from None
                if not newline:
                    newline = "\n" if "\n" in pending or "\r" not in pending else "\r"
                lines = pending.split(newline)
                pending = lines.pop()
                for line in lines:
                    yield line + newline
                    line_no += 1
    except OSError as exc:
        raise InputError(
            f"{label}: cannot read the file ({exc.strerror}); check the path"
        ) from None
    if pending:
        yield pending


def _encoding_message(label: str, line: int, encoding: str) -> str:
    codec = codecs.lookup(encoding).name
    shown = "UTF-8" if codec in ("utf-8", "utf-8-sig") else encoding
    # latin-1 maps every byte to a character, so it always reads; cp1252 is what Excel writes.
    return f"{label}: line {line} is not valid {shown}; re-run with --encoding latin-1 (or cp1252)"


def _read_csv(context: FileContext) -> Iterator[Raw | Rejected]:
    """Yield the rows of a CSV file; a row's location is the line it starts on (header = 1)."""
    lines = _text_lines(context.path, context.label, context.source.encoding)
    head: list[str] = []
    for line in lines:  # whole lines up to ~64 KB, for the sniffer
        head.append(line)
        if sum(map(len, head)) >= _SNIFF_CHARS:
            break
    if not head:
        return  # an empty export: a month with no feedback
    header_line = next((line for line in head if line.strip()), "")
    sample = "".join(
        line if len(line) <= _SNIFF_LINE else line[:_SNIFF_LINE] + "\n" for line in head
    )
    delimiter = context.source.delimiter or _sniff_delimiter(sample[:_SNIFF_SAMPLE], header_line)
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter)
    try:
        header = next((row for row in reader if row), None)
    except csv.Error as exc:
        raise InputError(
            f"{context.label}: the header line is not valid CSV ({exc}); "
            "export the file again as CSV, or pass --delimiter"
        ) from None
    if header is None:
        return
    index = _csv_index([name.strip() for name in header], context)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problem = f"malformed CSV: {exc}"
            if "field limit" in str(exc):
                problem = (
                    f"malformed CSV: a field is over {FIELD_LIMIT // 1024} KB (an unclosed quote, "
                    "or a text to shorten in the export)"
                )
            yield Rejected(context.source.name, f"{context.label}:{start}", problem)
            start = reader.line_num + 1
            continue
        location, start = f"{context.label}:{start}", reader.line_num + 1
        if any(cell.strip() for cell in row):
            values = {field: row[i] if i < len(row) else None for field, i in index.items()}
            yield Raw(location, values, {})


def _sniff_delimiter(sample: str, header: str) -> str:
    """Guess the delimiter with csv.Sniffer, checked against the header line.

    The sniffer weighs the whole sample, so free text full of commas can mislead it; a header line
    holds column names and the real delimiter, so it wins when the two disagree.
    """
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    try:
        guess = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        guess = ""
    if counts.get(guess):
        return guess
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    # A header without any delimiter means one column; a tab is the least likely to cut the text.
    return best if counts[best] else "\t"


def _csv_index(header: list[str], context: FileContext) -> dict[str, int]:
    """Position of each field's column in the header, after checking and auto-detection."""
    for field, column in context.columns.items():
        if _find_column(header, column) is None:
            raise InputError(
                f"{context.label}: no column {column!r} (for {field}); "
                f"available columns: {', '.join(header)}"
            )
    columns = _auto_columns(header, context.columns, context.label)
    return {field: cast(int, _find_column(header, column)) for field, column in columns.items()}


def _find_column(header: Sequence[str], name: str) -> int | None:
    folded = [column.casefold() for column in header]
    return folded.index(name.casefold()) if name.casefold() in folded else None


def _auto_columns(
    available: Sequence[str], mapped: Mapping[str, str], label: str
) -> dict[str, str]:
    """Add text, id and date columns found by their usual names; InputError without text/date."""
    columns = dict(mapped)
    used = {column.casefold() for column in columns.values()}
    by_folded = {name.casefold(): name for name in reversed(available)}  # first one wins
    for field, candidates in _AUTO_COLUMNS.items():
        if field in columns:
            continue
        folded = [name.casefold() for name in candidates]
        found = [by_folded[name] for name in folded if name in by_folded and name not in used]
        if found:
            columns[field] = found[0]
            used.add(found[0].casefold())
        elif field in _COLUMN_FLAGS:
            raise InputError(
                f"{label}: cannot find the {field} column among: {', '.join(available)}; "
                f"pass {_COLUMN_FLAGS[field]} NAME (or columns.{field} in the source's table)"
            )
    return columns


def _json_objects(context: FileContext) -> Iterator[tuple[int, dict[str, Any]] | Rejected]:
    """Yield (line number, object) for each JSON object line; reject lines that are not one."""
    lines = _text_lines(context.path, context.label, context.source.encoding)
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        location = f"{context.label}:{line_no}"
        try:
            value = _loads(line)
        except json.JSONDecodeError as exc:
            problem = f"{exc.msg} (column {exc.colno})"
        except ValueError as exc:  # too deep, or an integer too long to read
            problem = str(exc)
        else:
            if isinstance(value, dict):
                yield line_no, value
                continue
            problem = f"expected an object, got {type(value).__name__}"
        yield Rejected(context.source.name, location, f"invalid JSON: {problem}")


def _loads(text: str) -> Any:
    """``json.loads``, refusing documents nested deeper than :data:`MAX_JSON_DEPTH` levels.

    Raises:
        ValueError: Not JSON (a ``json.JSONDecodeError``), nested too deep, or an integer too
            long for Python to read.
    """
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH:  # only then can it be too deep
        depth = 0
        for match in _JSON_TOKENS.finditer(text):
            token = match.group()
            if token in ("[", "{"):
                depth += 1
                if depth > MAX_JSON_DEPTH:
                    raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
            elif token in ("]", "}"):
                depth -= 1
    try:
        return json.loads(text)
    except RecursionError:  # the scan above misjudged a malformed document; still too deep
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels") from None


def _read_jsonl(context: FileContext) -> Iterator[Raw | Rejected]:
    """Yield one row per JSON object line; columns are auto-detected from the first object."""
    columns: dict[str, str] | None = None
    for item in _json_objects(context):
        if isinstance(item, Rejected):
            yield item
            continue
        line_no, obj = item
        if columns is None:
            columns = _auto_columns(list(obj), context.columns, context.label)
        values = {field: _get_path(obj, path) for field, path in columns.items()}
        yield Raw(f"{context.label}:{line_no}", values, {})


def _get_path(obj: Mapping[str, Any], path: str) -> Any:
    """Follow a dotted path ("via.channel", "comments.0.body"); None when a step is missing."""
    if path in obj:
        return obj[path]
    value: Any = obj
    for step in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    return value


def _read_zendesk(context: FileContext) -> Iterator[Raw | Rejected]:
    """Yield one row per ticket of a Zendesk export: API page, JSON array or NDJSON."""
    lines = _text_lines(context.path, context.label, context.source.encoding)
    first = next((line.strip() for line in lines if line.strip()), None)
    lines.close()
    if first is None:
        return
    if first.startswith("{") and first.endswith("}") and not _is_ticket_page(first):
        checked = False
        for item in _json_objects(context):  # Admin Center export: one ticket per line
            if isinstance(item, Rejected):
                yield item
                continue
            line_no, ticket = item
            if not checked and not _looks_like_ticket(ticket):
                raise InputError(_NOT_TICKETS.format(context.label))
            checked = True
            yield _ticket_row(ticket, f"{context.label}:{line_no}", context)
        return
    for index, ticket in enumerate(_load_tickets(context)):
        location = f"{context.label}:ticket[{index}]"
        if isinstance(ticket, dict):
            yield _ticket_row(ticket, location, context)
        else:
            yield Rejected(context.source.name, location, "not a ticket: expected a JSON object")


def _is_ticket_page(line: str) -> bool:
    """Whether a one-line document is an API page ({"tickets": [...]}) rather than a ticket."""
    try:
        value = _loads(line)
    except ValueError:
        return False
    return isinstance(value, dict) and "tickets" in value


def _looks_like_ticket(value: Any) -> bool:
    return isinstance(value, dict) and "id" in value and any(key in value for key in _TICKET_KEYS)


def _load_tickets(context: FileContext) -> list[Any]:
    """The tickets of a whole-document export; the stdlib has no streaming JSON parser."""
    text = "".join(_text_lines(context.path, context.label, context.source.encoding))
    try:
        document = _loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{context.label}: not valid JSON ({exc.msg} at line {exc.lineno}); "
            "export the tickets again or pass --format jsonl for one object per line"
        ) from None
    except ValueError as exc:  # too deep, or an integer too long to read
        raise InputError(
            f"{context.label}: cannot read the JSON ({exc}); export the tickets again, "
            "or write one ticket per line so that only the bad one is skipped"
        ) from None
    tickets = document.get("tickets") if isinstance(document, dict) else document
    if not isinstance(tickets, list) or (tickets and not _looks_like_ticket(tickets[0])):
        raise InputError(_NOT_TICKETS.format(context.label))
    return tickets


def _ticket_row(ticket: dict[str, Any], location: str, context: FileContext) -> Raw:
    """Map a ticket with the Zendesk defaults, overridden by any explicit column."""
    values = {field: _get_path(ticket, path) for field, path in context.columns.items()}
    if "text" not in context.overridden and as_text(values.get("text")) is None:
        values["text"] = _first_public_comment(ticket)
    # "offered" and "unoffered" only say a survey was sent, not what the customer thought.
    if "csat" not in context.overridden and values.get("csat") not in ("good", "bad"):
        values["csat"] = None
    tags = ticket.get("tags")
    extra: dict[str, Any] = {
        "tags": [str(tag) for tag in tags] if isinstance(tags, list) else [],
        "status": as_text(ticket.get("status")),
    }
    comment = as_text(_get_path(ticket, "satisfaction_rating.comment"))
    if comment is not None:
        extra["satisfaction_comment"] = comment
    return Raw(location, values, extra)


def _first_public_comment(ticket: Mapping[str, Any]) -> Any:
    comments = ticket.get("comments")
    if not isinstance(comments, list):
        return None
    for comment in comments:
        if isinstance(comment, dict) and comment.get("public") is True:
            body = comment.get("body")
            return body if as_text(body) is not None else comment.get("html_body")
    return None


READERS = {"csv": _read_csv, "jsonl": _read_jsonl, "zendesk": _read_zendesk}
