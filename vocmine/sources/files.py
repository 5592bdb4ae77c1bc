"""Read feedback from export files: CSV (any delimiter), JSON Lines and Zendesk ticket exports.

A :class:`FileSource` streams its files and yields one :class:`~vocmine.models.RawFeedback` per
usable row and one :class:`~vocmine.models.Rejected` per unusable one, so that a bad row is counted
and listed instead of stopping the run. Problems with a whole file (bad encoding, missing column,
unknown format) raise :class:`~vocmine.errors.InputError` with the fix in the message.
"""

from __future__ import annotations

import codecs
import csv
import glob
import hashlib
import itertools
import json
import math
import os
import re
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, NamedTuple, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vocmine.errors import ConfigError, InputError
from vocmine.models import KINDS, Kind, RawFeedback, Rejected

# fmt: off
FORMATS: tuple[str, ...] = ("csv", "jsonl", "zendesk")
CONFIG_KEYS: tuple[str, ...] = ("type", "path", "format", "kind", "encoding", "delimiter",
                                "date_format", "timezone", "columns")
_EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv",
               ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "zendesk"}
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
_DELIMITERS = ",;\t|"
_DELIMITER_ALIASES = {"\\t": "\t", "tab": "\t"}
_HASH_CHARS = 24
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_FUTURE_SLACK = timedelta(days=1)
_SHOWN_CHARS = 40
_TICKET_KEYS = ("subject", "description", "requester_id", "via", "comments")
_GLOB_CHARS = "*?["
_NOT_TICKETS = (
    '{}: does not look like a Zendesk ticket export (expected a "tickets" list, an array of '
    "tickets or one ticket per line); for other JSON, write one object per line, --format jsonl"
)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_INTEGRAL = re.compile(r"-?\d+\.0+")
_SLASHED = re.compile(
    r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)


@dataclass(frozen=True)
class ColumnMap:
    """Which source column holds each field; ``None`` means the field is not in the file.

    For JSON formats a column is a dotted path into each object (``"via.channel"``,
    ``"satisfaction_rating.score"``).

    Example:
        >>> ColumnMap.from_mapping({"text": "Review Text", "rating": "Star Rating"}).rating
        'Star Rating'
    """

    text: str | None = None
    id: str | None = None
    date: str | None = None
    rating: str | None = None
    csat: str | None = None
    language: str | None = None
    country: str | None = None
    app_version: str | None = None
    user_id: str | None = None
    channel: str | None = None
    title: str | None = None
    kind: str | None = None

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> ColumnMap:
        """Build a map from ``{field: column}``, as found in a ``columns`` table.

        Args:
            mapping: Field names (see :data:`FIELDS`) to source column names.

        Raises:
            ConfigError: A field name is unknown or a column name is not a non-empty string.
        """
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise ConfigError(
                f"unknown column field {unknown[0]!r}; valid fields: {', '.join(FIELDS)}"
            )
        for field_name, column in mapping.items():
            if not isinstance(column, str) or not column.strip():
                raise ConfigError(
                    f"the column for {field_name!r} must be a column name, got {column!r}"
                )
        return cls(**{field_name: column.strip() for field_name, column in mapping.items()})

    def mapped(self) -> dict[str, str]:
        """The fields that have a column, in :data:`FIELDS` order."""
        pairs = ((name, getattr(self, name)) for name in FIELDS)
        return {name: column for name, column in pairs if column is not None}


FIELDS: tuple[str, ...] = tuple(field.name for field in fields(ColumnMap))
_NO_COLUMNS = ColumnMap()
# fmt: off
_ZENDESK_COLUMNS = ColumnMap(id="id", date="created_at", title="subject", text="description",
                             user_id="requester_id", channel="via.channel",
                             csat="satisfaction_rating.score")
# fmt: on


class _Raw(NamedTuple):
    """One row as read: field -> raw value. A field is absent when the file has no such column."""

    location: str
    values: dict[str, Any]
    extra: dict[str, Any]


@dataclass(frozen=True)
class _FileContext:
    """What the readers and the record builder need to know about one file and one run."""

    source: FileSource
    path: Path
    label: str
    columns: ColumnMap
    overridden: frozenset[str]
    kind: str | None
    since: datetime | None
    now: datetime


class _Reject(Exception):
    """A row cannot become feedback; the message is the reason given in :class:`Rejected`."""


class FileSource:
    """Feedback read from export files, streamed one record at a time.

    Ids come from the id column. When a file has no id column at all, each record gets a content
    hash instead: the first 24 hex characters of
    ``sha256(f"{created_at.isoformat()}|{user_id or ''}|{text}")``, with ``created_at`` in UTC.
    Re-ingesting the same file therefore yields the same ids, and the store de-duplicates it.

    Args:
        name: Source name, stored with every record.
        paths: Files to read, in any order (they are read sorted, for determinism).
        format: ``csv``, ``jsonl`` or ``zendesk``; None to decide from each file's extension.
        kind: Kind of every record unless a ``kind`` column says otherwise.
        columns: Source column for each field; text, id and date are auto-detected when unset.
        encoding: Text encoding; ``utf-8`` also accepts a byte-order mark.
        delimiter: CSV delimiter; None to sniff it.
        date_format: A ``strptime`` format tried before the built-in date formats.
        timezone: IANA zone for dates without an offset.

    Raises:
        ConfigError: An option value is invalid.
        InputError: A file's format or the kind of its records cannot be decided.

    Example:
        >>> source = FileSource("zendesk", [Path("tickets.json")])
        >>> records = list(source.iter_records(since=datetime(2026, 3, 1, tzinfo=UTC)))
    """

    def __init__(
        self,
        name: str,
        paths: Sequence[Path],
        *,
        format: str | None = None,
        kind: str | None = None,
        columns: ColumnMap = _NO_COLUMNS,
        encoding: str = "utf-8",
        delimiter: str | None = None,
        date_format: str | None = None,
        timezone: str = "UTC",
    ) -> None:
        self.name = name
        self.paths: tuple[Path, ...] = tuple(sorted({Path(path) for path in paths}))
        if not self.paths:
            raise ConfigError(f"{name}: no file to read; give at least one path")
        for option, value, choices in (("kind", kind, KINDS), ("format", format, FORMATS)):
            if value is not None and value not in choices:
                raise ConfigError(
                    f"{name}: unknown {option} {value!r}; use one of: {', '.join(choices)}"
                )
        delimiter = _DELIMITER_ALIASES.get(delimiter or "", delimiter)
        if delimiter is not None and len(delimiter) != 1:
            raise ConfigError(
                f"{name}: delimiter must be one character such as ';', got {delimiter!r}"
            )
        try:
            self.zone: tzinfo = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{name}: unknown timezone {timezone!r}; use an IANA name such as Europe/Paris"
            ) from None
        self.columns, self.kind, self.delimiter = columns, kind, delimiter
        self.encoding = _check_encoding(name, encoding)
        self.date_format = date_format
        self._labels = _labels(self.paths)
        self._formats = {path: _format_for(path, format, self._labels) for path in self.paths}
        self._kinds = {path: self._default_kind(path) for path in self.paths}

    def iter_records(self, since: datetime | None = None) -> Iterator[RawFeedback | Rejected]:
        """Yield the feedback in every file, and a :class:`Rejected` for each unusable row.

        Args:
            since: Records created before this instant are skipped silently (naive means UTC).

        Yields:
            Feedback and rejects, file by file in sorted path order, row by row.

        Raises:
            InputError: A file cannot be read as a whole (encoding, missing column, not tickets).
        """
        if since is not None:  # a naive instant is taken as UTC
            since = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
        now = datetime.now(UTC)
        for path in self.paths:
            context = self._context(path, since, now)
            for item in _READERS[self._formats[path]](context):
                if isinstance(item, Rejected):
                    yield item
                    continue
                record = _to_feedback(item, context)
                if record is not None:
                    yield record

    def _default_kind(self, path: Path) -> str | None:
        if self.kind is not None:
            return self.kind
        if self._formats[path] == "zendesk":
            return "ticket"
        if self.columns.rating is not None:
            return "review"
        if self.columns.kind is not None:
            return None  # every row states its kind; rows that do not are rejected
        raise InputError(
            f"{self.name}: cannot tell what kind of feedback {self._labels[path]} holds; "
            f"pass --kind with one of {', '.join(KINDS)} (or set kind in [sources.{self.name}])"
        )

    def _context(self, path: Path, since: datetime | None, now: datetime) -> _FileContext:
        columns = self.columns
        if self._formats[path] == "zendesk":
            columns = replace(_ZENDESK_COLUMNS, **self.columns.mapped())
        return _FileContext(
            source=self,
            path=path,
            label=self._labels[path],
            columns=columns,
            overridden=frozenset(self.columns.mapped()),
            kind=self._kinds[path],
            since=since,
            now=now,
        )


def from_config(name: str, table: Mapping[str, Any], base_dir: Path) -> FileSource:
    """Build a :class:`FileSource` from a ``[sources.NAME]`` table of vocmine.toml.

    Keys: ``type`` ("file"), ``path`` (a file, a glob or a list of them, relative to
    ``base_dir``), ``format``, ``kind``, ``encoding``, ``delimiter``, ``date_format``,
    ``timezone`` and ``columns`` (a table of field = column).

    Args:
        name: The source's name (the table key).
        table: The table's values.
        base_dir: Directory that relative paths and globs are resolved against.

    Returns:
        The source, ready to read.

    Raises:
        ConfigError: A key is unknown or a value is invalid.
        InputError: A path or glob matches no file.

    Example:
        >>> from_config("play_fr", {"path": "exports/*.csv", "kind": "review"}, Path("."))
    """
    unknown = sorted(set(table) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(
            f"[sources.{name}]: unknown key {unknown[0]!r}; valid keys: {', '.join(CONFIG_KEYS)}"
        )
    if table.get("type", "file") != "file":
        raise ConfigError(f'[sources.{name}]: type must be "file" for a file source')
    columns = table.get("columns", {})
    if not isinstance(columns, Mapping):
        raise ConfigError(
            f"[sources.{name}]: columns must be a table of field = column, "
            'e.g. columns = { text = "Review Text" }'
        )
    return FileSource(
        name,
        _expand_paths(name, table.get("path"), base_dir),
        format=_table_str(name, table, "format"),
        kind=_table_str(name, table, "kind"),
        columns=ColumnMap.from_mapping(columns),
        encoding=_table_str(name, table, "encoding") or "utf-8",
        delimiter=_table_str(name, table, "delimiter"),
        date_format=_table_str(name, table, "date_format"),
        timezone=_table_str(name, table, "timezone") or "UTC",
    )


def _table_str(name: str, table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"[sources.{name}]: {key} must be a string, got {value!r}")
    return value


def _expand_paths(name: str, value: Any, base_dir: Path) -> list[Path]:
    """Resolve ``path`` (a file, a glob or a list of them) against ``base_dir``."""
    patterns = [value] if isinstance(value, str) else value
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
        patterns = []
    if not patterns:
        raise ConfigError(
            f"[sources.{name}]: path must be a file, a glob or a list of them, "
            'e.g. path = "exports/*.csv"'
        )
    found: set[Path] = set()
    for pattern in patterns:
        full = os.path.join(base_dir, os.path.expanduser(pattern))
        if any(char in pattern for char in _GLOB_CHARS):
            matches = [Path(match) for match in glob.glob(full, recursive=True)]
        else:
            matches = [Path(full)]
        files = [match for match in matches if match.is_file()]
        if not files:
            raise InputError(f"[sources.{name}]: no file matches {pattern!r} (in {base_dir})")
        found.update(files)
    return sorted(found)


def _check_encoding(name: str, encoding: str) -> str:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise ConfigError(
            f"{name}: unknown encoding {encoding!r}; use a codec such as utf-8, latin-1, cp1252"
        ) from None
    # Excel writes a byte-order mark in "CSV UTF-8" files; utf-8-sig reads files with or without.
    return "utf-8-sig" if codec == "utf-8" else encoding


def _format_for(path: Path, fixed: str | None, labels: Mapping[Path, str]) -> str:
    file_format = fixed or _EXTENSIONS.get(path.suffix.lower())
    if file_format is None:
        raise InputError(
            f"{labels[path]}: cannot tell the format from the extension {path.suffix!r}; "
            f"pass --format with one of {', '.join(FORMATS)}"
        )
    return file_format


def _labels(paths: Sequence[Path]) -> dict[Path, str]:
    """Short file names for locations; more of the path only when two files share a name."""
    names = [path.name for path in paths]
    if len(set(names)) == len(names):
        return {path: path.name for path in paths}
    common = Path(os.path.commonpath([path.absolute() for path in paths]))
    return {path: path.absolute().relative_to(common).as_posix() for path in paths}


def _text_lines(path: Path, label: str, encoding: str) -> Generator[str, None, None]:
    """Yield a file's decoded lines, newline kept, one physical line at a time.

    Decoding line by line (rather than through a TextIOWrapper) keeps memory flat and lets an
    encoding error name the line it is on.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    line_no, pending = 1, ""
    try:
        with path.open("rb") as handle:
            for chunk in itertools.chain(handle, [b""]):
                try:
                    pending += decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError:
                    raise InputError(_encoding_message(label, line_no, encoding)) from None
                lines = pending.split("\n")
                pending = lines.pop()
                for line in lines:
                    yield line + "\n"
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


def _read_csv(context: _FileContext) -> Iterator[_Raw | Rejected]:
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
    delimiter = context.source.delimiter or _sniff_delimiter("".join(head), header_line)
    reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter)
    header = next((row for row in reader if row), None)
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
            yield Rejected(context.source.name, f"{context.label}:{start}", f"malformed CSV: {exc}")
            start = reader.line_num + 1
            continue
        location, start = f"{context.label}:{start}", reader.line_num + 1
        if any(cell.strip() for cell in row):
            values = {field: row[i] if i < len(row) else None for field, i in index.items()}
            yield _Raw(location, values, {})


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


def _csv_index(header: list[str], context: _FileContext) -> dict[str, int]:
    """Position of each field's column in the header, after checking and auto-detection."""
    for field, column in context.columns.mapped().items():
        if _find_column(header, column) is None:
            raise InputError(
                f"{context.label}: no column {column!r} (for {field}); "
                f"available columns: {', '.join(header)}"
            )
    columns = _auto_columns(header, context.columns.mapped(), context.label)
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


def _json_objects(context: _FileContext) -> Iterator[tuple[int, dict[str, Any]] | Rejected]:
    """Yield (line number, object) for each JSON object line; reject lines that are not one."""
    lines = _text_lines(context.path, context.label, context.source.encoding)
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        location = f"{context.label}:{line_no}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = f"{exc.msg} (column {exc.colno})"
        else:
            if isinstance(value, dict):
                yield line_no, value
                continue
            problem = f"expected an object, got {type(value).__name__}"
        yield Rejected(context.source.name, location, f"invalid JSON: {problem}")


def _read_jsonl(context: _FileContext) -> Iterator[_Raw | Rejected]:
    """Yield one row per JSON object line; columns are auto-detected from the first object."""
    columns: dict[str, str] | None = None
    for item in _json_objects(context):
        if isinstance(item, Rejected):
            yield item
            continue
        line_no, obj = item
        if columns is None:
            columns = _auto_columns(list(obj), context.columns.mapped(), context.label)
        values = {field: _get_path(obj, path) for field, path in columns.items()}
        yield _Raw(f"{context.label}:{line_no}", values, {})


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


def _read_zendesk(context: _FileContext) -> Iterator[_Raw | Rejected]:
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
        value = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(value, dict) and "tickets" in value


def _looks_like_ticket(value: Any) -> bool:
    return isinstance(value, dict) and "id" in value and any(key in value for key in _TICKET_KEYS)


def _load_tickets(context: _FileContext) -> list[Any]:
    """The tickets of a whole-document export; the stdlib has no streaming JSON parser."""
    text = "".join(_text_lines(context.path, context.label, context.source.encoding))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{context.label}: not valid JSON ({exc.msg} at line {exc.lineno}); "
            "export the tickets again or pass --format jsonl for one object per line"
        ) from None
    tickets = document.get("tickets") if isinstance(document, dict) else document
    if not isinstance(tickets, list) or (tickets and not _looks_like_ticket(tickets[0])):
        raise InputError(_NOT_TICKETS.format(context.label))
    return tickets


def _ticket_row(ticket: dict[str, Any], location: str, context: _FileContext) -> _Raw:
    """Map a ticket with the Zendesk defaults, overridden by any explicit column."""
    values = {field: _get_path(ticket, path) for field, path in context.columns.mapped().items()}
    if "text" not in context.overridden and _as_text(values.get("text")) is None:
        values["text"] = _first_public_comment(ticket)
    # "offered" and "unoffered" only say a survey was sent, not what the customer thought.
    if "csat" not in context.overridden and values.get("csat") not in ("good", "bad"):
        values["csat"] = None
    tags = ticket.get("tags")
    extra: dict[str, Any] = {
        "tags": [str(tag) for tag in tags] if isinstance(tags, list) else [],
        "status": _as_text(ticket.get("status")),
    }
    comment = _as_text(_get_path(ticket, "satisfaction_rating.comment"))
    if comment is not None:
        extra["satisfaction_comment"] = comment
    return _Raw(location, values, extra)


def _first_public_comment(ticket: Mapping[str, Any]) -> Any:
    comments = ticket.get("comments")
    if not isinstance(comments, list):
        return None
    for comment in comments:
        if isinstance(comment, dict) and comment.get("public") is True:
            body = comment.get("body")
            return body if _as_text(body) is not None else comment.get("html_body")
    return None


_READERS = {"csv": _read_csv, "jsonl": _read_jsonl, "zendesk": _read_zendesk}


def _to_feedback(raw: _Raw, context: _FileContext) -> RawFeedback | Rejected | None:
    """Turn a row into feedback, a reject, or None when it is older than ``since``."""
    values = raw.values
    created = _created_at(values.get("date"), context)
    # Skip old rows before judging them, so that an incremental run does not re-list old rejects.
    if isinstance(created, datetime) and context.since is not None and created < context.since:
        return None
    text = _as_text(values.get("text"))
    user_id = _as_text(values.get("user_id"))
    try:
        if text is None:
            raise _Reject("no text")
        if isinstance(created, str):
            raise _Reject(created)
        external_id = _external_id(values, created, user_id, text)
        kind = _row_kind(values.get("kind"), context)
    except _Reject as problem:
        return Rejected(context.source.name, raw.location, str(problem))
    return RawFeedback(
        source=context.source.name,
        external_id=external_id,
        kind=cast(Kind, kind),
        text=text,
        created_at=created,
        location=raw.location,
        rating=_parse_rating(values.get("rating")),
        csat=_as_text(values.get("csat")),
        language=_as_text(values.get("language")),
        country=_as_text(values.get("country")),
        app_version=_as_text(values.get("app_version")),
        user_id=user_id,
        channel=_as_text(values.get("channel")),
        title=_as_text(values.get("title")),
        extra=raw.extra,
    )


def _external_id(
    values: Mapping[str, Any], created: datetime, user_id: str | None, text: str
) -> str:
    if "id" not in values:
        key = f"{created.isoformat()}|{user_id or ''}|{text}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:_HASH_CHARS]
    external_id = _as_text(values["id"])
    if external_id is None:
        raise _Reject("no id")
    # Spreadsheets and pandas write integer ids as "12345.0".
    return external_id.split(".")[0] if _INTEGRAL.fullmatch(external_id) else external_id


def _row_kind(value: Any, context: _FileContext) -> str:
    stated = (_as_text(value) or "").lower()
    if stated in KINDS:
        return stated
    if context.kind is not None:
        return context.kind
    raise _Reject(f"unknown kind {stated!r}; expected one of {', '.join(KINDS)}")


def _as_text(value: Any) -> str | None:
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


def _parse_rating(value: Any) -> float | None:
    """A 1-5 star rating; None when missing, not a number or out of range (not a reject)."""
    try:  # None, True and "abc" all fail float(), like any other non-number
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) and 1 <= number <= 5 else None


def _created_at(value: Any, context: _FileContext) -> datetime | str:
    """The creation time in UTC, or the reason it cannot be used."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "no date"
    shown = str(value).strip()[:_SHOWN_CHARS]
    parsed = _parse_date(value, date_format=context.source.date_format, zone=context.source.zone)
    if parsed is None:
        return f"unparseable date {shown!r}"
    if not _EARLIEST <= parsed <= context.now + _FUTURE_SLACK:
        return f"implausible date {shown!r}"
    return parsed


def _parse_date(value: Any, *, date_format: str | None, zone: tzinfo) -> datetime | None:
    """Parse a date in any supported form; naive times are taken in ``zone``.

    Tried in order: ``date_format``, ISO 8601, day-first slashed dates (month-first when the day
    cannot be first), then epoch seconds or milliseconds.
    """
    if isinstance(value, int | float):  # a bool is 1970, rejected as implausible
        return _from_epoch(float(value))
    text = str(value).strip()
    parsed = (
        (date_format and _attempt(datetime.strptime, text, date_format))
        or _attempt(datetime.fromisoformat, text)
        or _from_slashed(text)
    )
    if parsed is None:
        return _from_epoch(float(text)) if _NUMBER.fullmatch(text) else None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)


def _attempt(parse: Callable[..., datetime], *args: str) -> datetime | None:
    try:
        return parse(*args)
    except ValueError:
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
    seconds = number / 1000 if abs(number) >= 1e11 else number
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
