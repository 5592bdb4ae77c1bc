"""What a taxonomy change does to the data, and which examples contradict their intent.

- :func:`reassign` re-assigns every stored item after an edit, from cached item vectors (only new
  example phrases are embedded), and says which items moved from which intent to which.
- :func:`example_conflicts` lists examples that sit closer to another intent's examples than to
  their own intent's: they teach the assigner the wrong thing, or reveal two intents that overlap.

Usage::

    moves = reassign(store, config=cfg, taxonomy=load_taxonomy(cfg.taxonomy))
    moves.top(1)  # -> [('ads.rewarded_ad_failure', 'ads.too_many_ads', 120)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from vocmine.config import Config
from vocmine.store.store import Store
from vocmine.taxonomy.model import Taxonomy
from vocmine.themes.assign import NearestExamplesAssigner, taxonomy_examples
from vocmine.themes.embed import cached_vectors, resolve_model

if TYPE_CHECKING:
    pass


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
    config = resolve_model(config, store)
    model, batch_size = config.embedding.model, config.embedding.batch_size
    return cached_vectors(store, pairs, model=model, batch_size=batch_size), examples


def example_conflicts(
    vectors: np.ndarray, taxonomy: Taxonomy, *, k: int, margin: float = 0.0
) -> list[Conflict]:
    """Examples whose ``k`` nearest examples of another intent beat their own intent's.

    Each example is left out of its own intent (leave-one-out), as if it were a new item. The
    test compares two similarities of one model (``margin`` 0), so it holds on any model's scale:
    no cut-off to calibrate.

    Usage::

        conflicts = example_conflicts(vectors, taxonomy, k=3)
        conflicts[0].line()
        # -> "cashout.yaml: intent 'cashout.minimum_threshold': example '...' (fr) is closer to ..."
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
