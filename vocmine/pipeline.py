"""Ingest: run sources through the shared pipeline.

source.iter_records -> normalise (clean, redact, language) -> store (one transaction per source)
-> embed what is not cached -> assign what is not assigned.

Each source's records are stored in a single transaction: an ingest that is interrupted or fails
half-way leaves the database as it was before that source's batch. Re-running is always safe:
items are keyed by (source, external_id), vectors by (model, text_hash).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from vocmine.assign import assign_items
from vocmine.config import Config
from vocmine.embed import Embedder, Progress, canonical_model_id, embed_cached, get_embedder
from vocmine.models import Item, RawFeedback, Rejected
from vocmine.normalise import normalise, raw_hash
from vocmine.sources import Source
from vocmine.store import Store
from vocmine.taxonomy import Taxonomy


@dataclass
class SourceResult:
    """What ingesting one source did."""

    source: str
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The counts as a plain dict, for run records and JSON output."""
        return {
            "read": self.read,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
        }


@dataclass
class IngestResult:
    """What a whole ingest did."""

    sources: list[SourceResult]
    embedded: int = 0
    assigned: int = 0


@dataclass(frozen=True)
class Hooks:
    """Progress callbacks the CLI passes in; the library never prints."""

    on_record: Callable[[str], None] | None = None
    on_embed_start: Callable[[int], Progress] | None = None
    on_assign_start: Callable[[int], Progress] | None = None


def ingest_source(
    store: Store,
    source: Source,
    *,
    run_id: int,
    since: datetime | None = None,
    languages: tuple[str, ...] = (),
    hooks: Hooks = Hooks(),
) -> SourceResult:
    """Read one source and store its items in one transaction.

    Raises:
        VocmineError: The source cannot be read at all; nothing from it is stored.
    """
    result = SourceResult(source=source.name)
    salt = store.salt()
    with store.transaction():
        batch: list[tuple[Item, str]] = []
        for record in source.iter_records(since):
            if isinstance(record, Rejected):
                result.rejected.append(record)
                continue
            result.read += 1
            if hooks.on_record is not None:
                hooks.on_record(source.name)
            record = _named(record, source.name)
            key = raw_hash(record, languages=languages)
            if store.raw_hash(record.source, record.external_id) == key:
                result.unchanged += 1  # stored from this very record by this very normaliser
                continue
            batch.append((normalise(record, salt=salt, languages=languages), key))
            if len(batch) >= 500:
                _store_batch(store, batch, result, run_id)
                batch = []
        _store_batch(store, batch, result, run_id)
        store.record_rejects(result.rejected, run_id=run_id)
    return result


def _named(record: RawFeedback, name: str) -> RawFeedback:
    # The configured name is the natural key's first half, whatever the plugin put there.
    return record if record.source == name else replace(record, source=name)


def _store_batch(
    store: Store, batch: list[tuple[Item, str]], result: SourceResult, run_id: int
) -> None:
    counts = store.upsert_items(batch, run_id=run_id)
    result.new += counts.new
    result.updated += counts.updated
    result.unchanged += counts.unchanged


def reassign(store: Store, *, config: Config, taxonomy: Taxonomy) -> tuple[int, int]:
    """``vocmine assign``: embed what has no vector, re-assign what is stale; records the run."""
    with store.recorded_run("vocmine assign", {}) as run:
        embedded, assigned = embed_and_assign(store, config=config, taxonomy=taxonomy)
        run.counts.update(embedded=embedded, assigned=assigned)
    return embedded, assigned


def embed_and_assign(
    store: Store,
    *,
    config: Config,
    taxonomy: Taxonomy,
    hooks: Hooks = Hooks(),
) -> tuple[int, int]:
    """Embed every stored text that has no cached vector, then assign stale items.

    Returns:
        (texts embedded, items assigned).
    """
    model = config.embedding.model
    loaded: list[Embedder] = []

    def embedder() -> Embedder:
        if not loaded:
            loaded.append(get_embedder(model, batch_size=config.embedding.batch_size))
        return loaded[0]

    pairs = store.texts_without_vectors(canonical_model_id(model))
    embedded = 0
    if pairs:
        progress = hooks.on_embed_start(len(pairs)) if hooks.on_embed_start else None
        embedded = embed_cached(store, pairs, embedder=embedder(), progress=progress)
    assigned = assign_items(
        store,
        taxonomy=taxonomy,
        model_id=model,
        embedder=embedder,
        threshold=config.assign.threshold,
        k=config.assign.k,
        method=config.assign.method,
        start_progress=hooks.on_assign_start,
    )
    return embedded, assigned


def ingest(
    store: Store,
    sources: Sequence[Source],
    *,
    config: Config,
    taxonomy: Taxonomy,
    command: str,
    args: dict[str, object],
    since: datetime | None = None,
    embed: bool = True,
    hooks: Hooks = Hooks(),
) -> IngestResult:
    """Ingest every source, then embed and assign; records the run whatever happens."""
    result = IngestResult(sources=[])
    with store.recorded_run(command, args) as run:
        run.counts.update(embedded=0, assigned=0)
        for source in sources:
            done = ingest_source(
                store, source, run_id=run.id, since=since, languages=config.languages, hooks=hooks
            )
            result.sources.append(done)
            run.counts[done.source] = done.counts()
        if embed:
            result.embedded, result.assigned = embed_and_assign(
                store, config=config, taxonomy=taxonomy, hooks=hooks
            )
            run.counts.update(embedded=result.embedded, assigned=result.assigned)
    return result
