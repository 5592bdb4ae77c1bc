"""Export a period's items with their intents, scores and segments, for BI tools.

One row per feedback item; columns in a fixed order (:data:`COLUMNS`), rows sorted by creation
time, source and id, so the same database and taxonomy give a byte-identical file. The text is the
redacted text that is stored (raw text is never stored) and users appear only as their salted
hash.

CSV is UTF-8 with a header, for spreadsheets and any BI tool; Parquet keeps the types (timestamps,
dates, nullable numbers and booleans) and is what a warehouse or pandas reads fastest.
"""

from __future__ import annotations

import calendar
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from vocmine.config import Config
from vocmine.errors import ConfigError, VocmineError
from vocmine.report.links import record_link
from vocmine.store.store import Store
from vocmine.taxonomy.model import Taxonomy

Format = Literal["csv", "parquet"]
FORMATS: tuple[str, ...] = ("csv", "parquet")
# The report calls items that match no intent "unassigned"; the export says the same.
UNASSIGNED = "unassigned"
SCORE_DIGITS = 4

#: Column -> pandas dtype. Nullable dtypes keep the Parquet schema the same whatever the data
#: (a month where no item has a country still has a string column, not a null-typed one).
COLUMNS: dict[str, str] = {
    "source": "string",
    "external_id": "string",
    "kind": "string",
    "created_at": "string",  # ISO 8601 UTC; a timestamp in Parquet
    "created_date": "string",  # YYYY-MM-DD (UTC); a date in Parquet
    "month": "string",
    "language": "string",
    "country": "string",
    "app_version": "string",
    "channel": "string",
    "rating": "Float64",
    "csat_score": "string",
    "csat_negative": "boolean",
    "user_hash": "string",
    "intent_id": "string",
    "intent_name": "string",
    "intent_category": "string",
    "intent_type": "string",
    "score": "Float64",
    "runner_up_id": "string",
    "runner_up_name": "string",
    "runner_up_score": "Float64",
    "unassigned_reason": "string",  # why no intent: vocmine.themes.gate.REASONS; empty if one
    "link": "string",  # URL of the record, or its App Store id, or file:line
    "text": "string",
}


def _umask() -> int:
    """The process umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


@dataclass(frozen=True)
class Period:
    """Days to export, both ends included, and the label used in the default file name."""

    since: date
    until: date
    label: str

    @classmethod
    def month(cls, month: str) -> Period:
        """The calendar month 'YYYY-MM'.

        Example:
            >>> Period.month("2026-02").until
            datetime.date(2026, 2, 28)
        """
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month) or not 1900 <= int(month[:4]) <= 2999:
            raise ConfigError(
                f"--month {month!r} is not a month; use the form YYYY-MM, e.g. 2026-10"
            )
        year, mon = int(month[:4]), int(month[5:])
        last = calendar.monthrange(year, mon)[1]
        return cls(date(year, mon, 1), date(year, mon, last), month)

    @classmethod
    def from_options(cls, *, month: str | None, since: str | None, until: str | None) -> Period:
        """The period named by ``--month``, or by ``--since`` and ``--until`` (default: the end of
        ``--since``'s month).

        Example:
            >>> Period.from_options(month=None, since="2026-10-15", until=None).label
            '2026-10-15_2026-10-31'
        """
        if month is not None and (since or until):
            raise ConfigError("give --month or --since/--until, not both")
        if month is not None:
            return cls.month(month)
        if since is None:
            raise ConfigError("say what to export: --month YYYY-MM, or --since YYYY-MM-DD")
        start = _day("--since", since)
        last = cls.month(start.isoformat()[:7]).until
        return cls.days(start, last if until is None else _day("--until", until))

    @classmethod
    def days(cls, since: date, until: date) -> Period:
        """From ``since`` to ``until`` included.

        Raises:
            ConfigError: ``until`` is before ``since``.
        """
        if until < since:
            raise ConfigError(f"--until {until} is before --since {since}; swap them")
        return cls(since, until, f"{since}_{until}")


def _day(flag: str, value: str) -> date:
    # fromisoformat alone would also take "20261001" and week dates: one form, as in --help.
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and 1900 <= int(value[:4]) <= 2999:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{flag} {value!r} is not a date; use YYYY-MM-DD, e.g. 2026-10-01")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    rows: int
    format: str


def load_rows(
    store: Store,
    *,
    taxonomy: Taxonomy,
    assign_key: str,
    period: Period,
    sources: dict[str, dict[str, Any]] | None = None,
) -> pd.DataFrame:
    """The period's items with their intent under ``assign_key``, in :data:`COLUMNS` order.

    Intent and runner-up ids are resolved through the taxonomy (a retired alias becomes the
    current id); an item without an assignment under this key is ``unassigned``. ``link`` opens
    the record (vocmine.report.links: a Zendesk or Google Play URL, an App Store id, or
    file:line), given the ``[sources]`` tables.

    Usage::

        frame = load_rows(store, taxonomy=t, assign_key=key, period=Period.month("2026-10"))
        list(frame.columns) == list(COLUMNS)  # -> True
    """
    end = period.until + timedelta(days=1)
    frame = pd.read_sql_query(
        "SELECT i.source, i.external_id, i.kind, i.created_at, i.month, i.language, i.country, "
        "i.app_version, i.channel, i.rating, i.csat_score, i.csat_negative, i.user_hash, i.text, "
        "a.intent_id, a.score, a.runner_up AS runner_up_id, a.runner_up_score, "
        "a.reason AS unassigned_reason, i.extra "
        "FROM items i LEFT JOIN assignments a ON a.item_id = i.id AND a.assign_key = ? "
        "WHERE i.created_at >= ? AND i.created_at < ? "
        "ORDER BY i.created_at, i.source, i.external_id",
        store.conn,
        params=[assign_key, period.since.isoformat(), end.isoformat()],
    )
    # NULL intent: scored below the threshold (or, rarely, not yet assigned under this key).
    frame["intent_id"] = [_resolve(taxonomy, i) or UNASSIGNED for i in frame["intent_id"]]
    frame["runner_up_id"] = [_resolve(taxonomy, i) for i in frame["runner_up_id"]]
    frame["intent_name"] = [
        "Unassigned" if i == UNASSIGNED else _field(taxonomy, i, "name") for i in frame["intent_id"]
    ]
    frame["intent_category"] = [_field(taxonomy, i, "category") for i in frame["intent_id"]]
    frame["intent_type"] = [_field(taxonomy, i, "type") for i in frame["intent_id"]]
    frame["runner_up_name"] = [_field(taxonomy, i, "name") for i in frame["runner_up_id"]]
    frame["created_date"] = frame["created_at"].str.slice(0, 10)
    links = [
        record_link(sources or {}, s, e, x)
        for s, e, x in zip(frame["source"], frame["external_id"], frame["extra"], strict=True)
    ]
    frame["link"] = [url or label for label, url in links]
    frame["csat_negative"] = frame["csat_negative"].map(lambda v: None if pd.isna(v) else bool(v))
    for col in ("score", "runner_up_score"):
        frame[col] = frame[col].round(SCORE_DIGITS)
    return frame[list(COLUMNS)].astype(COLUMNS)


def _resolve(taxonomy: Taxonomy, intent_id: object) -> str | None:
    if not isinstance(intent_id, str):
        return None
    # An id the taxonomy no longer knows stays as stored rather than vanishing from the export.
    return taxonomy.resolve(intent_id) or intent_id


def _field(taxonomy: Taxonomy, intent_id: object, name: str) -> str | None:
    if not isinstance(intent_id, str) or taxonomy.resolve(intent_id) is None:
        return None
    return str(getattr(taxonomy.intent(intent_id), name))


def for_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """Neutralise cells a spreadsheet would run as formulas: '=SUM(A1)' -> "'=SUM(A1)".

    Example:
        >>> for_csv(pd.DataFrame({"text": ["=1+1", "ok"]}))["text"].tolist()
        ["'=1+1", 'ok']
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == "string":
            out[col] = out[col].map(
                lambda v: f"'{v}" if isinstance(v, str) and _FORMULA_START.match(v) else v,
                na_action="ignore",
            )
    return out


def parquet_schema() -> Any:
    """The Parquet schema: plain ``string`` (not ``large_string``, which older readers such as
    Spark 3.3 refuse), UTC timestamps, dates, doubles and booleans, all nullable."""
    import pyarrow as pa

    types = {"string": pa.string(), "Float64": pa.float64(), "boolean": pa.bool_()}
    fields = {name: types[dtype] for name, dtype in COLUMNS.items()}
    fields.update(created_at=pa.timestamp("us", tz="UTC"), created_date=pa.date32())
    return pa.schema(list(fields.items()))


def for_parquet(frame: pd.DataFrame) -> pd.DataFrame:
    """Typed columns for Parquet: created_at as a UTC timestamp, created_date as a date."""
    out = frame.copy()
    out["created_at"] = pd.to_datetime(out["created_at"], utc=True, format="%Y-%m-%dT%H:%M:%SZ")
    out["created_date"] = [date.fromisoformat(d) for d in frame["created_date"]]
    return out


def _write_parquet(frame: pd.DataFrame, path: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(for_parquet(frame), schema=parquet_schema(), preserve_index=False)
    pq.write_table(table, path)


def write(frame: pd.DataFrame, path: Path, fmt: Format) -> None:
    """Write atomically: a failed or interrupted export never leaves a half-written file.

    Raises:
        ConfigError: The folder cannot be created or written.
    """
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise ConfigError(
            f"cannot write {path} ({blocking} is a file, not a folder); choose another --out"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise ConfigError(
            f"cannot write {path} ({exc.strerror or type(exc).__name__}); choose another --out"
        ) from None
    os.close(handle)
    try:
        if fmt == "csv":
            for_csv(frame).to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
        else:
            _write_parquet(frame, tmp)
        # mkstemp makes a 0600 file: colleagues on a shared drive could not read the export.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(
            f"cannot write {path} ({exc.strerror or type(exc).__name__}); choose another --out"
        ) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def output_path(out: Path | None, *, default_dir: Path, period: Period, fmt: Format) -> Path:
    """``out`` as given when it names a file; inside it when it is a folder (an existing one, or a
    name without an extension); ``<reports>/<label>-items.<fmt>`` without ``out``.

    Example:
        >>> output_path(Path("bi"), default_dir=Path("reports"), period=Period.month("2026-10"),
        ...             fmt="csv")
        PosixPath('bi/2026-10-items.csv')
    """
    name = f"{period.label}-items.{fmt}"
    if out is None:
        return default_dir / name
    return out / name if _is_folder(out) else out


def _is_folder(out: Path) -> bool:
    return out.is_dir() or not out.suffix


def choose_format(fmt: str | None, out: Path | None) -> Format:
    """--format, else the --out file's extension, else csv.

    Raises:
        ConfigError: An unknown format, or one that contradicts the file name.
    """
    suffix = out.suffix.lower().lstrip(".") if out is not None and not _is_folder(out) else ""
    chosen = fmt or (suffix if suffix in FORMATS else "csv")
    if chosen not in FORMATS:
        raise ConfigError(f"--format {chosen!r} is not supported; use csv or parquet")
    if suffix in FORMATS and suffix != chosen:
        raise ConfigError(
            f"--out {out} looks like {suffix} but --format is {chosen}; make them agree"
        )
    return "csv" if chosen == "csv" else "parquet"


def export_items(
    store: Store,
    *,
    config: Config,
    taxonomy: Taxonomy,
    period: Period,
    fmt: str | None = None,
    out: Path | None = None,
) -> ExportResult:
    """Bring assignments up to date, then write the period's items to a CSV or Parquet file.

    Raises:
        VocmineError: No item was created in the period (the message lists months with data).
        ConfigError: Bad format, or the output cannot be written.

    Usage::

        export_items(store, config=cfg, taxonomy=t, period=Period.month("2026-10"))
        # -> ExportResult(path=PosixPath('reports/2026-10-items.csv'), rows=991, format='csv')
    """
    from vocmine.pipeline.update import embed_and_assign
    from vocmine.themes.assign import configured_key

    chosen = choose_format(fmt, out)
    path = output_path(out, default_dir=config.reports, period=period, fmt=chosen)
    args = {"since": str(period.since), "until": str(period.until), "format": chosen}
    with store.recorded_run(f"vocmine export {period.label}", args) as run:
        embed_and_assign(store, config=config, taxonomy=taxonomy)
        key = configured_key(taxonomy, config)
        frame = load_rows(
            store, taxonomy=taxonomy, assign_key=key, period=period, sources=config.sources
        )
        if frame.empty:
            raise VocmineError(f"no feedback stored for {period.label} ({_months_hint(store)})")
        write(frame, path, chosen)
        run.counts.update(rows=len(frame), path=str(path))
    return ExportResult(path=path, rows=len(frame), format=chosen)


def _months_hint(store: Store) -> str:
    months = store.months()
    if not months:
        return "the database is empty; run 'vocmine ingest' first"
    return f"months with data: {', '.join(months)}"
