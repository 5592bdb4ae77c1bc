"""Ingest: run sources through the shared pipeline.

source.iter_records -> normalise (clean, redact, language) -> store (one transaction per source)
-> embed what is not cached -> assign what is not assigned.

A file source's records are stored in a single transaction: an ingest that is interrupted or fails
half-way leaves the database as it was before that source's batch. A live (resumable) source is
stored page by page instead: each :class:`~vocmine.sources.Checkpoint` it yields commits the records
before it together with the source's new state, so a killed run loses at most the page in flight
and the next run resumes there. Re-running is always safe: items are keyed by
(source, external_id), vectors by (model, text_hash).

Every string a source yields is made valid Unicode here, before anything is hashed or stored: a
lone surrogate (half an emoji escaped in JSON) becomes U+FFFD and the record is counted as
``repaired``. A source that fails as a whole (a file that cannot be read, a live source that
stops) does not stop the sources after it: its error is kept in ``SourceResult.error``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, TypeGuard, TypeVar, cast

from vocmine.config import Config
from vocmine.errors import VocmineError
from vocmine.models import Deleted, Item, RawFeedback, Rejected
from vocmine.pipeline.update import Hooks, embed_and_assign
from vocmine.prepare.normalise import normalise, raw_hash
from vocmine.sources import Checkpoint, ResumableSource, Source, SourceError
from vocmine.sources.values import valid_unicode
from vocmine.store.store import Store
from vocmine.taxonomy.model import Taxonomy


@dataclass
class SourceResult:
    """What ingesting one source did."""

    source: str
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0  # stored items removed because the source deleted them
    repaired: int = 0  # records whose lone surrogates were replaced by U+FFFD
    rejected: list[Rejected] = field(default_factory=list)
    error: str | None = None  # why the source stopped; a live source's checkpoints are kept
    exit_code: int = 0  # the exit code of the error that stopped it, 0 when it did not stop

    def counts(self) -> dict[str, Any]:
        """The counts as a plain dict, for run records and JSON output."""
        counts: dict[str, Any] = {
            "read": self.read,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
        }
        if self.deleted:
            counts["deleted"] = self.deleted
        if self.repaired:
            counts["repaired"] = self.repaired
        if self.error is not None:
            counts["error"] = self.error
        return counts


@dataclass
class IngestResult:
    """What a whole ingest did."""

    sources: list[SourceResult]
    embedded: int = 0
    assigned: int = 0


class IngestError(SourceError):
    """One or more sources stopped; the others, and every checkpointed page, were stored.

    Its exit code is the highest of the stopped sources' errors (2 for a file that cannot be read,
    1 for a live source that stopped).
    """

    def __init__(self, result: IngestResult) -> None:
        stopped = [s for s in result.sources if s.error is not None]
        super().__init__("; ".join(cast(str, s.error) for s in stopped))
        self.result = result
        self.exit_code = max((s.exit_code for s in stopped), default=1) or 1


def ingest_source(
    store: Store,
    source: Source | ResumableSource,
    *,
    run_id: int,
    since: datetime | None = None,
    languages: tuple[str, ...] = (),
    hooks: Hooks = Hooks(),
    restart: bool = False,
    order_patterns: tuple[str, ...] = (),
) -> SourceResult:
    """Read one source and store its items: in one transaction, or page by page if resumable.

    ``restart`` makes a live source forget where it stopped (cursor, newest dates, a pull in
    progress) and read again from ``since``; what it has stored is updated, never duplicated.

    A source that fails as a whole (:class:`~vocmine.errors.VocmineError`: a file that cannot
    be read, a live source that stops) is not raised: its one-line message is kept in
    ``SourceResult.error``. A file source then stores nothing (its one transaction is rolled
    back); a live source keeps the pages it checkpointed.
    """
    pending = _Pending(store, SourceResult(source=source.name), run_id, languages, hooks)
    pending.order_patterns = order_patterns
    if _is_resumable(source):
        _ingest_pages(store, source, since, pending, restart=restart)
        return pending.result
    try:
        with store.transaction():
            for record in cast(Source, source).iter_records(since):
                pending.add(record)
                if len(pending.batch) >= 500:
                    pending.flush_items()
            pending.flush()
    except VocmineError as exc:  # rolled back: nothing of this source is stored
        failed = SourceResult(source=source.name)
        failed.error, failed.exit_code = str(exc), exc.exit_code
        return failed
    return pending.result


def _is_resumable(source: Source | ResumableSource) -> TypeGuard[ResumableSource]:
    return getattr(source, "resumable", False) is True


def _ingest_pages(
    store: Store,
    source: ResumableSource,
    since: datetime | None,
    pending: _Pending,
    *,
    restart: bool = False,
) -> None:
    """Commit each page with the checkpoint that follows it; stop cleanly on a VocmineError."""
    state = store.source_state(source.name)
    if restart:  # what a source marks as kept (e.g. deleted ids) is not a position
        kept = getattr(source, "kept_on_restart", ())
        state = {key: value for key, value in state.items() if key in kept}
    records = source.iter_records(since, state=state)
    try:
        for record in records:
            if isinstance(record, Checkpoint):
                with store.transaction():
                    pending.flush()
                    store.set_source_state(source.name, record.state, run_id=pending.run_id)
                if pending.hooks.on_page is not None:
                    pending.hooks.on_page(source.name)
            else:
                pending.add(record)
    except VocmineError as exc:
        pending.result.error, pending.result.exit_code = str(exc), exc.exit_code
        pending.batch.clear()  # the page in flight: the next run fetches it again
        pending.rejects.clear()
        pending.deletions.clear()
        return
    # Records after the last checkpoint are still good.
    if pending.batch or pending.rejects or pending.deletions:
        with store.transaction():
            pending.flush()


class _Pending:
    """Records read but not yet stored, and what storing them did."""

    def __init__(
        self,
        store: Store,
        result: SourceResult,
        run_id: int,
        languages: tuple[str, ...],
        hooks: Hooks,
    ) -> None:
        self.store, self.result, self.run_id = store, result, run_id
        self.languages, self.hooks = languages, hooks
        self.order_patterns: tuple[str, ...] = ()
        self.salt = store.salt()
        self.batch: list[tuple[Item, str]] = []
        self.rejects: list[Rejected] = []
        self.deletions: list[Deleted] = []

    def add(self, record: RawFeedback | Rejected | Deleted | Checkpoint) -> None:
        if isinstance(record, Checkpoint):
            return  # a file source has nothing to resume: its one transaction covers all
        record, repaired = _valid(record)
        if isinstance(record, Rejected):
            self.rejects.append(record)
            return
        # The stream's order decides within a page too: a ticket deleted, then restored (or the
        # reverse), ends as its last record says.
        if isinstance(record, Deleted):
            self.batch = [(i, h) for i, h in self.batch if i.external_id != record.external_id]
            self.deletions.append(_named(record, self.result.source))
            return
        self.deletions = [d for d in self.deletions if d.external_id != record.external_id]
        self.result.read += 1
        self.result.repaired += repaired > 0
        if self.hooks.on_record is not None:
            self.hooks.on_record(self.result.source)
        record = _named(record, self.result.source)
        key = raw_hash(record, languages=self.languages, order_patterns=self.order_patterns)
        if self.store.raw_hash(record.source, record.external_id) == key:
            self.result.unchanged += 1  # stored from this very record by this very normaliser
            return
        item = normalise(
            record, salt=self.salt, languages=self.languages, order_patterns=self.order_patterns
        )
        self.batch.append((item, key))

    def flush_items(self) -> None:
        """Store the pending items; call inside a transaction."""
        _store_batch(self.store, self.batch, self.result, self.run_id)
        self.batch = []

    def flush(self) -> None:
        """Store the pending items and rejects, apply deletions; call inside a transaction."""
        self.flush_items()
        self.result.deleted += self.store.delete_items(self.deletions)
        self.deletions = []
        self.store.record_rejects(self.rejects, run_id=self.run_id)
        self.result.rejected.extend(self.rejects)
        self.rejects = []


_Record = TypeVar("_Record", RawFeedback, Deleted)
_Valid = TypeVar("_Valid", bound=RawFeedback | Rejected | Deleted)


def _valid(record: _Valid) -> tuple[_Valid, int]:
    """The record with every string made valid Unicode, and how many surrogates were replaced."""
    changes: dict[str, Any] = {}
    total = 0
    for spec in fields(record):
        value = getattr(record, spec.name)
        repaired, count = _valid_value(value)
        if count:
            changes[spec.name] = repaired
            total += count
    return (replace(record, **changes) if changes else record), total


def _valid_value(value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return valid_unicode(value)
    if isinstance(value, dict | list | tuple):
        pairs = value.items() if isinstance(value, dict) else enumerate(value)
        repaired = {key: _valid_value(item) for key, item in pairs}
        count = sum(n for _, n in repaired.values())
        if isinstance(value, dict):
            keys = {key: valid_unicode(key) if isinstance(key, str) else (key, 0) for key in value}
            count += sum(n for _, n in keys.values())
            return {keys[k][0]: v for k, (v, _) in repaired.items()}, count
        return type(value)(v for v, _ in repaired.values()), count
    return value, 0


def _named(record: _Record, name: str) -> _Record:
    # The configured name is the natural key's first half, whatever the plugin put there.
    return record if record.source == name else replace(record, source=name)


def _store_batch(
    store: Store, batch: Iterable[tuple[Item, str]], result: SourceResult, run_id: int
) -> None:
    counts = store.upsert_items(batch, run_id=run_id)
    result.new += counts.new
    result.updated += counts.updated
    result.unchanged += counts.unchanged


def ingest(
    store: Store,
    sources: Sequence[Source | ResumableSource],
    *,
    config: Config,
    taxonomy: Taxonomy,
    command: str,
    args: dict[str, object],
    since: datetime | None = None,
    embed: bool = True,
    hooks: Hooks = Hooks(),
    restart: bool = False,
) -> IngestResult:
    """Ingest every source, then embed and assign; records the run whatever happens.

    ``restart``: live sources read again from ``since`` instead of where they stopped.

    A source that stops (a file that cannot be read; network, server or credentials for a live
    source) does not stop the others: what every source stored is embedded, then
    :class:`IngestError` names the sources that stopped.

    Raises:
        IngestError: A source stopped early; ``exc.result`` has every source's counts.
    """
    result = IngestResult(sources=[])
    with store.recorded_run(command, args) as run:
        run.counts.update(embedded=0, assigned=0)
        for source in sources:
            done = ingest_source(
                store,
                source,
                run_id=run.id,
                since=since,
                languages=config.languages,
                hooks=hooks,
                restart=restart,
                order_patterns=config.order_patterns,
            )
            result.sources.append(done)
            run.counts[done.source] = done.counts()
        if embed:
            result.embedded, result.assigned = embed_and_assign(
                store, config=config, taxonomy=taxonomy, hooks=hooks
            )
            run.counts.update(embedded=result.embedded, assigned=result.assigned)
        if any(done.error is not None for done in result.sources):
            raise IngestError(result)  # recorded as an error run, after storing what could be
    return result
