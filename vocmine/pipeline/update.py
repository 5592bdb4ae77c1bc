"""Bring what is stored up to date with the taxonomy and the model, and record each run.

- :func:`embed_and_assign`: embed the texts that have no cached vector, re-assign stale items
  (every command that reads assignments calls it first, so they are never stale);
- :func:`reassign` (``vocmine assign``) and :func:`reassign_edited` (after a taxonomy edit, with
  which items moved where);
- :func:`propose` (``vocmine discover``): update, cluster, write the proposals file.

Usage::

    moves = reassign_edited(store, config=cfg, taxonomy=load_taxonomy(cfg.taxonomy))
    moves.top(1)  # -> [('ads.rewarded_ad_failure', 'ads.too_many_ads', 120)]
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vocmine.config import Config, DiscoverConfig
from vocmine.models import UNASSIGNED
from vocmine.store.store import Store
from vocmine.taxonomy.model import Taxonomy
from vocmine.taxonomy.proposals import Discovery, proposals_path, write_proposals
from vocmine.themes.assign import assign_items, taxonomy_scale
from vocmine.themes.discover import Period, Step, discover
from vocmine.themes.embed import (
    Embedder,
    Progress,
    canonical_model_id,
    embed_stored,
    lazy_embedder,
    resolve_model,
)


@dataclass(frozen=True)
class Hooks:
    """Progress callbacks the CLI passes in; the library never prints."""

    on_record: Callable[[str], None] | None = None
    on_page: Callable[[str], None] | None = None  # a live source's page was committed
    on_embed_start: Callable[[int], Progress] | None = None
    on_assign_start: Callable[[int], Progress] | None = None
    on_tune_start: Callable[[int], Progress] | None = None  # [assign] method "finetune" trains


def reassign(
    store: Store, *, config: Config, taxonomy: Taxonomy, hooks: Hooks = Hooks()
) -> tuple[int, int]:
    """``vocmine assign``: embed what has no vector, re-assign what is stale; records the run."""
    with store.recorded_run("vocmine assign", {}) as run:
        embedded, assigned = embed_and_assign(store, config=config, taxonomy=taxonomy, hooks=hooks)
        run.counts.update(embedded=embedded, assigned=assigned)
        run.counts.update(model_record(store, config=config, taxonomy=taxonomy))
    return embedded, assigned


def model_record(store: Store, *, config: Config, taxonomy: Taxonomy) -> dict[str, object]:
    """What a run record keeps about the model: which one, why, and its similarity scale."""
    config = resolve_model(config, store)
    model = canonical_model_id(config.embedding.model)
    scale = taxonomy_scale(store, taxonomy, model_id=model)
    record: dict[str, object] = {"model": model, "model_reason": config.embedding.reason}
    if scale is not None:
        record["similarity_scale"] = scale.record()
        # The cosine an item needs to get an intent ([assign] threshold on this model's scale).
        record["assign_gate"] = scale.gate(config.assign.threshold)
    return record


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
    config = resolve_model(config, store)
    model = config.embedding.model
    embedder = lazy_embedder(model, batch_size=config.embedding.batch_size)
    embedded = embed_stored(
        store,
        model_id=canonical_model_id(model),
        embedder=embedder,
        start_progress=hooks.on_embed_start,
    )
    assigned = assign_configured(
        store, config=config, taxonomy=taxonomy, embedder=embedder, hooks=hooks
    )
    return embedded, assigned


def assign_configured(
    store: Store,
    *,
    config: Config,
    taxonomy: Taxonomy,
    embedder: Callable[[], Embedder],
    hooks: Hooks = Hooks(),
) -> int:
    """:func:`vocmine.themes.assign.assign_items` with ``config``'s [embedding] and [assign] settings."""
    return assign_items(
        store,
        taxonomy=taxonomy,
        model_id=config.embedding.model,
        embedder=embedder,
        threshold=config.assign.threshold,
        k=config.assign.k,
        method=config.assign.method,
        tune_steps=config.assign.finetune_steps,
        min_probability=config.assign.min_probability,
        noise_company=config.assign.noise_company,
        start_progress=hooks.on_assign_start,
        start_tuning=hooks.on_tune_start,
        start_embedding=hooks.on_embed_start,
    )


@dataclass
class Moves:
    """What a re-assignment changed: how many items were assigned and which moved where."""

    assigned: int = 0
    missing: int = 0
    seconds: float = 0.0
    moved: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        """Items whose intent changed (unassigned counts as an intent here)."""
        return sum(self.moved.values())

    def top(self, n: int) -> list[tuple[str, str, int]]:
        """The ``n`` largest (from, to, items) flows, largest first, ties by name."""
        flows = sorted(self.moved.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(a, b, count) for (a, b), count in flows[:n]]


def reassign_edited(
    store: Store, *, config: Config, taxonomy: Taxonomy, hooks: Hooks | None = None
) -> Moves:
    """Re-assign stale items under ``taxonomy`` from cached vectors; report what moved.

    The model is loaded only if an example phrase has no cached vector (or, with ``[assign]
    method = "finetune"``, to tune it on the edited taxonomy and embed the items again). Items
    whose own vector is missing (never embedded) are left for the next ``vocmine ingest``.
    """
    start = time.perf_counter()
    config = resolve_model(config, store)
    before = store.current_intents()
    missing = {
        h for h, _ in store.texts_without_vectors(canonical_model_id(config.embedding.model))
    }
    if missing:
        # Items stored with --no-embed: re-assigning now would need the model for them.
        return Moves(missing=len(missing))
    with store.recorded_run("vocmine taxonomy (re-assign)", {}) as run:
        assigned = assign_configured(
            store,
            config=config,
            taxonomy=taxonomy,
            embedder=lazy_embedder(config.embedding.model, batch_size=config.embedding.batch_size),
            hooks=hooks or Hooks(),
        )
        run.counts.update(assigned=assigned)
    after = store.current_intents()
    moved: Counter[tuple[str, str]] = Counter()
    for item_id, intent in after.items():
        old = before.get(item_id, UNASSIGNED) or UNASSIGNED
        new = intent or UNASSIGNED
        if item_id in before and old != new:
            moved[(old, new)] += 1
    return Moves(assigned=assigned, seconds=time.perf_counter() - start, moved=moved)


def propose(
    store: Store,
    *,
    config: Config,
    taxonomy: Taxonomy,
    period: Period,
    settings: DiscoverConfig,
    command: str,
    on_step: Step | None = None,
) -> tuple[Discovery, Path]:
    """``vocmine discover``: update assignments, discover, write the file; records the run.

    Assignments are brought up to date first (from cached vectors), so that "unassigned" means
    unassigned by the current taxonomy.

    Usage::

        found, path = propose(store, config=cfg, taxonomy=tax, period=Period("2026-10"),
                              settings=cfg.discover, command="vocmine discover --month 2026-10")
    """
    args = {"month": period.month, "since": period.since, "all": period.include_assigned}
    with store.recorded_run(command, args) as run:
        config = resolve_model(config, store)
        embed_and_assign(store, config=config, taxonomy=taxonomy)
        found = discover(
            store,
            config=config,
            taxonomy=taxonomy,
            period=period,
            settings=settings,
            on_step=on_step,
        )
        path = write_proposals(
            proposals_path(config.taxonomy, period.month), found, command=command
        )
        run.counts.update(candidates=found.candidates, proposals=len(found.proposals))
        run.counts.update(model_record(store, config=config, taxonomy=taxonomy))
    return found, path
