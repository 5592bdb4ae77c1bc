"""Read feedback from export files: CSV (any delimiter), JSON Lines and Zendesk ticket exports.

A :class:`FileSource` streams its files and yields one :class:`~vocmine.models.RawFeedback` per
usable row and one :class:`~vocmine.models.Rejected` per unusable one, so that a bad row is counted
and listed instead of stopping the run. Problems with a whole file (bad encoding, missing column,
unknown format) raise :class:`~vocmine.errors.InputError` with the fix in the message.
"""

from __future__ import annotations

import codecs
import glob
import hashlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vocmine.errors import ConfigError, InputError
from vocmine.models import KINDS, Kind, RawFeedback, Rejected
from vocmine.sources.file_formats import READERS, FileContext, Raw
from vocmine.sources.values import as_text, parse_date, parse_rating, valid_unicode

# fmt: off
FORMATS: tuple[str, ...] = ("csv", "jsonl", "zendesk")
CONFIG_KEYS: tuple[str, ...] = ("type", "path", "format", "kind", "encoding", "delimiter",
                                "date_format", "timezone", "columns")
_EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".txt": "csv",
               ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "zendesk"}
# fmt: on
_DELIMITER_ALIASES = {"\\t": "\t", "tab": "\t"}
_HASH_CHARS = 24
_EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
_FUTURE_SLACK = timedelta(days=1)
_SHOWN_CHARS = 40
_GLOB_CHARS = "*?["
_INTEGRAL = re.compile(r"-?\d+\.0+")


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
        >>> import json, tempfile
        >>> path = Path(tempfile.mkdtemp()) / "tickets.json"
        >>> _ = path.write_text(json.dumps({"tickets": [
        ...     {"id": 1, "created_at": "2026-02-27T10:00:00Z", "description": "I cannot log in"},
        ...     {"id": 2, "created_at": "2026-03-02T10:00:00Z", "description": "No refund yet"}]}))
        >>> source = FileSource("zendesk", [path])
        >>> [r.text for r in source.iter_records(since=datetime(2026, 3, 1, tzinfo=UTC))]
        ['No refund yet']
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
        self.date_format = _check_date_format(name, date_format)
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
            for item in READERS[self._formats[path]](context):
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

    def _context(self, path: Path, since: datetime | None, now: datetime) -> FileContext:
        columns = self.columns
        if self._formats[path] == "zendesk":
            columns = replace(_ZENDESK_COLUMNS, **self.columns.mapped())
        return FileContext(
            source=self,
            path=path,
            label=self._labels[path],
            columns=columns.mapped(),
            overridden=frozenset(self.columns.mapped()),
            kind=self._kinds[path],
            since=since,
            now=now,
        )


def from_config(name: str, table: Mapping[str, Any], base_dir: Path) -> FileSource:
    r"""Build a :class:`FileSource` from a ``[sources.NAME]`` table of vocmine.toml.

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
        >>> import tempfile
        >>> base = Path(tempfile.mkdtemp())
        >>> (base / "exports").mkdir()
        >>> _ = (base / "exports" / "fr.csv").write_text("text\nSuper\n")
        >>> _ = (base / "exports" / "be.csv").write_text("text\nTop\n")
        >>> source = from_config("play_fr", {"path": "exports/*.csv", "kind": "review"}, base)
        >>> [path.name for path in source.paths]
        ['be.csv', 'fr.csv']
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
        info = codecs.lookup(encoding)
    except LookupError:
        raise ConfigError(
            f"{name}: unknown encoding {encoding!r}; use a codec such as utf-8, latin-1, cp1252"
        ) from None
    # rot13, base64, zlib...: codecs that transform text or bytes, not a text encoding.
    if not getattr(info, "_is_text_encoding", True):
        raise ConfigError(
            f"{name}: {encoding!r} is not a text encoding; use one such as utf-8, latin-1, cp1252"
        )
    codec = info.name
    # Excel writes a byte-order mark in "CSV UTF-8" files; utf-8-sig reads files with or without.
    return "utf-8-sig" if codec == "utf-8" else encoding


def _check_date_format(name: str, date_format: str | None) -> str | None:
    """The format, if ``strptime`` can read back a date that ``strftime`` wrote with it."""
    if date_format is None:
        return None
    sample = datetime(2026, 10, 31, 14, 5, 9, tzinfo=UTC)
    try:
        ok = bool(date_format.strip()) and bool(
            datetime.strptime(sample.strftime(date_format), date_format)
        )
    except (ValueError, re.error, TypeError, IndexError, KeyError):
        ok = False
    if not ok:
        raise ConfigError(
            f"{name}: date format {date_format!r} cannot read dates; pass --date-format (or "
            "date_format) with strptime directives, each once, e.g. '%d/%m/%Y %H:%M'"
        )
    return date_format


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


def _to_feedback(raw: Raw, context: FileContext) -> RawFeedback | Rejected | None:
    """Turn a row into feedback, a reject, or None when it is older than ``since``."""
    values = raw.values
    created = _created_at(values.get("date"), context)
    # Skip old rows before judging them, so that an incremental run does not re-list old rejects.
    if isinstance(created, datetime) and context.since is not None and created < context.since:
        return None
    text = as_text(values.get("text"))
    user_id = as_text(values.get("user_id"))
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
        rating=parse_rating(values.get("rating")),
        csat=as_text(values.get("csat")),
        language=as_text(values.get("language")),
        country=as_text(values.get("country")),
        app_version=as_text(values.get("app_version")),
        user_id=user_id,
        channel=as_text(values.get("channel")),
        title=as_text(values.get("title")),
        extra=raw.extra,
    )


def _external_id(
    values: Mapping[str, Any], created: datetime, user_id: str | None, text: str
) -> str:
    if "id" not in values:
        # Hashed as the text will be stored: lone surrogates replaced (see valid_unicode).
        key, _ = valid_unicode(f"{created.isoformat()}|{user_id or ''}|{text}")
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:_HASH_CHARS]
    external_id = as_text(values["id"])
    if external_id is None:
        raise _Reject("no id")
    # Spreadsheets and pandas write integer ids as "12345.0".
    return external_id.split(".")[0] if _INTEGRAL.fullmatch(external_id) else external_id


def _row_kind(value: Any, context: FileContext) -> str:
    stated = (as_text(value) or "").lower()
    if stated in KINDS:
        return stated
    if context.kind is not None:
        return context.kind
    raise _Reject(f"unknown kind {stated!r}; expected one of {', '.join(KINDS)}")


def _created_at(value: Any, context: FileContext) -> datetime | str:
    """The creation time in UTC, or the reason it cannot be used."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "no date"
    shown = str(value).strip()[:_SHOWN_CHARS]
    parsed = parse_date(value, date_format=context.source.date_format, zone=context.source.zone)
    if parsed is None:
        return f"unparseable date {shown!r}"
    if not _EARLIEST <= parsed <= context.now + _FUTURE_SLACK:
        return f"implausible date {shown!r}"
    return parsed
