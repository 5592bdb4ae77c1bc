"""What a taxonomy change does to the data, and which examples contradict their intent.

- :func:`reassign` re-assigns every stored item after an edit, from cached item vectors (only new
  example phrases are embedded), and says which items moved from which intent to which.
- :func:`example_conflicts` lists examples that sit closer to another intent's examples than to
  their own intent's: they teach the assigner the wrong thing, or reveal two intents that overlap.

Example:
    >>> moves = reassign(store, config=cfg, taxonomy=load_taxonomy(cfg.taxonomy))
    >>> moves.top(1)
    [('ads.rewarded_ad_failure', 'ads.too_many_ads', 120)]
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from vocmine.assign import NearestExamplesAssigner, taxonomy_examples
from vocmine.config import Config
from vocmine.embed import canonical_model_id, embed_cached, get_embedder, lazy_embedder
from vocmine.metrics import UNASSIGNED
from vocmine.store import Store
from vocmine.taxonomy import Taxonomy

if TYPE_CHECKING:
    from vocmine.pipeline import Hooks


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


def reassign(
    store: Store, *, config: Config, taxonomy: Taxonomy, hooks: Hooks | None = None
) -> Moves:
    """Re-assign stale items under ``taxonomy`` from cached vectors; report what moved.

    The model is loaded only if an example phrase has no cached vector (or, with ``[assign]
    method = "finetune"``, to tune it on the edited taxonomy and embed the items again). Items
    whose own vector is missing (never embedded) are left for the next ``vocmine ingest``.
    """
    from vocmine.pipeline import Hooks, assign_configured  # ingest's imports: only when assigning

    start = time.perf_counter()
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


@dataclass(frozen=True)
class Conflict:
    """An example closer to another intent than to its own."""

    intent_id: str
    language: str
    text: str
    own: float
    other_id: str
    other: float
    file: str

    def line(self) -> str:
        """One line for the person fixing it."""
        return (
            f"{self.file}: intent '{self.intent_id}': example '{self.text}' ({self.language}) is "
            f"closer to '{self.other_id}' ({self.other:.2f}) than to its own intent "
            f"({self.own:.2f}); move it, reword it or remove it"
        )


def example_vectors(
    store: Store, taxonomy: Taxonomy, *, config: Config
) -> tuple[np.ndarray, list[tuple[str, str, str]]]:
    """Vectors of every example phrase (embedding and caching the missing ones), with their rows."""
    examples = taxonomy_examples(taxonomy)
    pairs = [(h, t) for _, h, t in examples]
    model = canonical_model_id(config.embedding.model)
    if store.missing_vectors(model, (h for h, _ in pairs)):
        embedder = get_embedder(config.embedding.model, batch_size=config.embedding.batch_size)
        embed_cached(store, pairs, embedder=embedder)
    return store.vectors(model, [h for h, _ in pairs]), examples


def example_conflicts(
    vectors: np.ndarray, taxonomy: Taxonomy, *, k: int, margin: float = 0.0
) -> list[Conflict]:
    """Examples whose ``k`` nearest examples of another intent beat their own intent's.

    Each example is left out of its own intent (leave-one-out), as if it were a new item.

    Example:
        >>> conflicts = example_conflicts(vectors, taxonomy, k=3)
        >>> conflicts[0].line()
        "cashout.yaml: intent 'cashout.minimum_threshold': example '...' (fr) is closer to ..."
    """
    rows = [
        (intent, lang, text) for intent in taxonomy.intents for lang, text in intent.all_examples()
    ]
    labels = [intent.id for intent, _, _ in rows]
    nearest = NearestExamplesAssigner(threshold=0.0, k=k).fit(vectors, labels)
    scores = nearest.scores(vectors)
    index = {intent: j for j, intent in enumerate(nearest.intents_)}
    label_array = np.asarray(labels)
    conflicts = []
    for i, (intent, lang, text) in enumerate(rows):
        own_rows = np.flatnonzero(label_array == intent.id)
        own_rows = own_rows[own_rows != i]
        if not len(own_rows):
            continue
        sims = vectors[own_rows] @ vectors[i]
        own = float(np.sort(sims)[-min(k, len(sims)) :].mean())
        others = scores[i].copy()
        others[index[intent.id]] = -np.inf
        j = int(np.argmax(others))
        if others[j] > own + margin:
            conflicts.append(
                Conflict(
                    intent.id,
                    lang,
                    text,
                    round(own, 4),
                    nearest.intents_[j],
                    round(float(others[j]), 4),
                    intent.file,
                )
            )
    return conflicts
