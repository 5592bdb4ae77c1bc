"""Assign each item to the closest intent of the taxonomy, or leave it ``unassigned``.

An intent's score for an item is the mean cosine similarity between the item and the intent's
``k`` most similar examples. Taking the nearest few examples rather than one centroid matters
here: an intent's French and English examples sit in different regions of an English-centric
model's space, and a centroid would fall between them. Items whose best score is below the
threshold stay unassigned: they are counted in every report, never hidden.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, Self

import numpy as np

from vocmine.embed import Embedder, Progress, canonical_model_id, embed_cached
from vocmine.normalise import text_hash
from vocmine.taxonomy import Taxonomy

# Bump when the scoring changes, so that cached assignments are recomputed.
ALGORITHM = "nearest-examples-v1"


@dataclass(frozen=True)
class Assignment:
    """The intent chosen for one item (None = unassigned), its score and the runner-up."""

    intent_id: str | None
    score: float
    runner_up: str | None
    runner_up_score: float


class Assigner(Protocol):
    """What every assignment method provides: fit on the taxonomy's examples, predict items.

    ``vocmine assign``, ``vocmine eval --mode assign`` and re-assignment after a taxonomy change
    all get theirs from :func:`make_assigner`, so a better method reaches all three at once.
    """

    def fit(self, vectors: np.ndarray, labels: Sequence[str]) -> Self:
        """Learn from example vectors (one label each)."""
        ...

    def predict(self, vectors: np.ndarray) -> list[Assignment]:
        """The best intent per item (or None under the threshold), with the runner-up."""
        ...


class NearestExamplesAssigner:
    """Scores intents by the mean similarity to their ``k`` nearest examples.

    Args:
        threshold: Minimum score to assign an intent; below it the item is unassigned.
        k: How many of an intent's nearest examples are averaged.

    Example:
        >>> assigner = NearestExamplesAssigner(threshold=0.5).fit(example_vectors, labels)
        >>> assigner.predict(item_vectors)[0].intent_id
        'cashout.bank_transfer_delay'
    """

    def __init__(self, *, threshold: float = 0.5, k: int = 3) -> None:
        self.threshold = threshold
        self.k = k

    def fit(self, vectors: np.ndarray, labels: Sequence[str]) -> Self:
        """Remember the example vectors, grouped by intent (intents sorted by id)."""
        if len(vectors) != len(labels) or len(labels) == 0:
            raise ValueError("fit needs one label per example vector, and at least one")
        self.intents_ = sorted(set(labels))
        self.vectors_ = np.asarray(vectors, dtype=np.float32)
        label_array = np.asarray(labels)
        self.columns_ = [np.flatnonzero(label_array == intent) for intent in self.intents_]
        return self

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Score matrix of shape (items, intents)."""
        out = np.zeros((len(vectors), len(self.intents_)), dtype=np.float32)
        for start in range(0, len(vectors), 2048):  # bounded memory on large corpora
            sims = vectors[start : start + 2048] @ self.vectors_.T
            for j, cols in enumerate(self.columns_):
                k = min(self.k, len(cols))
                top = np.partition(sims[:, cols], len(cols) - k, axis=1)[:, -k:]
                out[start : start + 2048, j] = top.mean(axis=1)
        return out

    def predict(self, vectors: np.ndarray) -> list[Assignment]:
        """The best intent per item (or None under the threshold), with the runner-up."""
        if len(vectors) == 0:
            return []
        scores = self.scores(vectors)
        order = np.argsort(-scores, axis=1, kind="stable")
        result = []
        for i in range(len(vectors)):
            best, second = order[i, 0], order[i, 1] if scores.shape[1] > 1 else order[i, 0]
            best_score = float(round(scores[i, best], 6))
            result.append(
                Assignment(
                    intent_id=self.intents_[best] if best_score >= self.threshold else None,
                    score=best_score,
                    runner_up=self.intents_[second] if scores.shape[1] > 1 else None,
                    runner_up_score=float(round(scores[i, second], 6)),
                )
            )
        return result


def make_assigner(*, threshold: float, k: int) -> Assigner:
    """The configured assignment method, unfitted."""
    return NearestExamplesAssigner(threshold=threshold, k=k)


def assign_key(taxonomy: Taxonomy, *, model_id: str, threshold: float, k: int) -> str:
    """Cache key of an assignment: every input that changes the outcome."""
    payload = json.dumps(
        [ALGORITHM, taxonomy.hash, canonical_model_id(model_id), threshold, k], sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def taxonomy_examples(taxonomy: Taxonomy) -> list[tuple[str, str, str]]:
    """(intent_id, text_hash, text) for every example phrase of every intent."""
    rows = []
    for intent in taxonomy.intents:
        for _lang, text in intent.all_examples():
            rows.append((intent.id, text_hash(text), text))
    return rows


def assign_items(
    store: Any,
    *,
    taxonomy: Taxonomy,
    model_id: str,
    embedder: Callable[[], Embedder],
    threshold: float,
    k: int,
    start_progress: Callable[[int], Progress] | None = None,
) -> int:
    """(Re)assign every stored item whose assignment is missing or stale; returns how many.

    Only cached vectors are used for items; the model is loaded (through ``embedder``) only when
    an example phrase of the taxonomy has no cached vector yet.
    """
    model_id = canonical_model_id(model_id)
    key = assign_key(taxonomy, model_id=model_id, threshold=threshold, k=k)
    todo = store.items_needing_assignment(key)
    if not todo:
        return 0
    examples = taxonomy_examples(taxonomy)
    pairs = [(h, t) for _, h, t in examples]
    if store.missing_vectors(model_id, (h for h, _ in pairs)):
        embed_cached(store, pairs, embedder=embedder())
    progress = start_progress(len(todo)) if start_progress is not None else None
    assigner = make_assigner(threshold=threshold, k=k).fit(
        store.vectors(model_id, [h for h, _ in pairs]), [i for i, _, _ in examples]
    )
    for start in range(0, len(todo), 4096):
        part = todo[start : start + 4096]
        found = assigner.predict(store.vectors(model_id, [h for _, h in part]))
        store.put_assignments(
            [
                (item_id, key, a.intent_id, a.score, a.runner_up, a.runner_up_score)
                for (item_id, _), a in zip(part, found, strict=True)
            ]
        )
        if progress is not None:
            progress(len(part))
    return len(todo)
