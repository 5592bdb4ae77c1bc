"""Assign each item to an intent of the taxonomy, or leave it ``unassigned``.

Chosen by ``[assign] method``; the first three work on the cached (frozen) item vectors, so that
a taxonomy edit re-assigns 100k items in seconds without re-embedding anything:

- ``logistic``: a linear adapter learnt SetFit-style on the examples, then a multinomial
  logistic-regression head on the adapted example vectors picks the intent; the item's score is
  that intent's probability. On Bitext (27 intents, 10 examples each) its top-1 is right for 97%
  of items where the nearest examples are right for 92% (see ``bench/tune_assign.py``).
- ``nearest``: the intent whose ``k`` most similar examples are, on average, most similar.
- ``auto`` (default): whichever of the two is more accurate on held-out examples.
- ``finetune``: ``auto`` on the vectors of a model tuned on the taxonomy's examples
  (:mod:`vocmine.themes.finetune`): about two points more accurate, but a taxonomy edit costs a tuning
  and a re-embedding of every item instead of seconds.

Whether an item gets an intent at all is decided by similarity, not probability (a softmax always
sums to one, even for off-topic text): the item must be at least as similar to the chosen intent's
``k`` nearest examples as ``threshold``, or as the intent's own held-out examples usually are
(the 5th percentile of each example's similarity to its ``k`` nearest siblings) when that is
lower. Taking the nearest few examples rather than one centroid matters: an intent's French and
English examples sit in different regions of an English-centric model's space. The whole text or
its best sentence may clear that floor (:mod:`vocmine.themes.gate`): examples are one sentence,
and a ticket's greeting and context pull its whole-text vector away from every intent. The
probability then adds one demand, for ``problem`` intents only (:func:`vocmine.themes.gate.unsure`):
the head must give the chosen problem at least ``min_probability``, or the item sits between
intents and is not counted as anyone's problem; nor is an item in content-free company
(:mod:`vocmine.themes.company`). Items left out are counted in every report, never hidden.

``threshold`` is on the reference similarity scale (:mod:`vocmine.themes.calibrate`): before
fitting, it becomes the model's own cosine floor (:meth:`~vocmine.themes.calibrate.Scale.gate`),
placed between where examples of different intents score and where a held-out example scores to
its own intent, so that 0.5 means the same with all-MiniLM-L6-v2 (unrelated texts about 0.14)
and multilingual-e5-small (about 0.82), on close intents as on spread-out ones (docs/quality.md,
issue 14: examples in one language serving feedback in another).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, Self

import numpy as np

from vocmine.config import AssignConfig, Config
from vocmine.errors import ConfigError
from vocmine.prepare.normalise import text_hash
from vocmine.prepare.sentences import SENTENCES_VERSION, sentence_pairs
from vocmine.taxonomy.model import Taxonomy
from vocmine.themes.calibrate import CALIBRATION_VERSION, Scale, scale_for
from vocmine.themes.company import COMPANY_VERSION, company_of, share_of
from vocmine.themes.embed import Embedder, Progress, canonical_model_id, embed_cached, embed_stored
from vocmine.themes.finetune import (
    DEFAULT_STEPS,
    TUNE_VERSION,
    drop_stale_vectors,
    models_folder,
    tuned_embedder,
)
from vocmine.themes.gate import (
    FAR,
    Sentences,
    best_sentence,
    ensure_sentence_vectors,
    load_sentences,
    refusals,
)
from vocmine.themes.linear import fit_adapter, fit_softmax, one_blas_thread

# Bump when the scoring changes, so that cached assignments are recomputed.
# v3: the gate also accepts an item's best sentence; v4: and refuses misfits; v5: and short
# praise by its stars, and problems the head is unsure of; v6: and problems in noisy company;
# v7: the same scores, with the reason an item is unassigned stored beside them
ALGORITHM = "v7"
METHODS = ("auto", "logistic", "nearest", "finetune")
DEFAULT_METHOD = "auto"
# Inverse L2 strength of the logistic head; tuned on Bitext with bench/tune_assign.py.
LOGISTIC_C = 20.0
# Pull of the linear adapter towards the identity (higher: closer to the raw vectors).
ADAPTER_STRENGTH = 1.0
# Quantile of an intent's held-out example similarities that calibrates its unassigned floor.
FLOOR_QUANTILE = 0.05
# Least probability the logistic head must give a ``problem`` intent: ``[assign] min_probability``.
DEFAULT_MIN_PROBABILITY = AssignConfig.min_probability
# ``[assign] noise_company``: content-free neighbours that keep an item out of problem intents.
DEFAULT_NOISE_COMPANY = AssignConfig.noise_company
# ``auto`` compares its two methods again only when more than this share of the examples changed
# (added, removed or moved to another intent) since it last did (issue 12, fast edits).
CHOICE_REUSE_SHARE = 0.1


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

    @property
    def scores_are_probabilities(self) -> bool:
        """Whether ``Assignment.score`` is the head's probability (gate.unsure's floor applies)."""
        ...

    def fit(self, vectors: np.ndarray, labels: Sequence[str]) -> Self:
        """Learn from example vectors (one label each)."""
        ...

    def predict(self, vectors: np.ndarray, sentences: Sentences | None = None) -> list[Assignment]:
        """The best intent per item (or None when neither the item nor any of its ``sentences``
        clears the threshold), with the runner-up."""
        ...


class NearestExamplesAssigner:
    """Scores intents by the mean similarity to their ``k`` nearest examples.

    Args:
        threshold: Minimum score to assign an intent; below it the item is unassigned.
        k: How many of an intent's nearest examples are averaged.

    Example:
        >>> x, y = np.eye(3)[[0, 0, 0, 1, 1, 1]], ["app.crash"] * 3 + ["ads.too_many_ads"] * 3
        >>> [a.intent_id for a in NearestExamplesAssigner(threshold=0.5).fit(x, y).predict(np.eye(3))]
        ['app.crash', 'ads.too_many_ads', None]
    """

    scores_are_probabilities = False  # its score is a similarity

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

    def predict(self, vectors: np.ndarray, sentences: Sentences | None = None) -> list[Assignment]:
        """The best intent per item (or None when neither the item nor any of its ``sentences``
        clears the threshold), with the runner-up; the score is the whole item's."""
        if len(vectors) == 0:
            return []
        scores = self.scores(vectors)
        order = np.argsort(-scores, axis=1, kind="stable")
        best, second = order[:, 0], order[:, min(1, scores.shape[1] - 1)]
        whole = np.round(scores[np.arange(len(vectors)), best], 6)
        keep = np.maximum(whole, best_sentence(self.scores, sentences, best)) >= self.threshold
        return [
            Assignment(
                intent_id=self.intents_[b] if kept else None,
                score=float(whole[i]),
                runner_up=self.intents_[s] if scores.shape[1] > 1 else None,
                runner_up_score=float(round(scores[i, s], 6)),
            )
            for i, (b, s, kept) in enumerate(zip(best, second, keep, strict=True))
        ]


class LogisticAssigner:
    """A logistic-regression head on the example vectors picks the intent; similarity gates it.

    Args:
        threshold: Similarity (mean of the chosen intent's ``k`` nearest examples) an item needs
            to be assigned; an intent whose own examples are more spread out gets its calibrated,
            lower floor instead.
        k: Nearest examples averaged for the similarity gate.
        c: Inverse regularisation strength of the head.

    Example:
        >>> x, y = np.eye(3)[[0, 0, 0, 1, 1, 1]], ["app.crash"] * 3 + ["ads.too_many_ads"] * 3
        >>> found = LogisticAssigner(threshold=0.5).fit(x, y).predict(np.eye(3))
        >>> [(a.intent_id, round(a.score, 2)) for a in found]  # the third is like no example
        [('app.crash', 0.97), ('ads.too_many_ads', 0.97), (None, 0.5)]
    """

    scores_are_probabilities = True

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        k: int = 3,
        c: float = LOGISTIC_C,
        adapt: bool = True,
        calibrate: bool = True,
    ) -> None:
        self.threshold = threshold
        self.k = k
        self.c = c
        self.adapt = adapt
        self.calibrate = calibrate

    def fit(self, vectors: np.ndarray, labels: Sequence[str]) -> Self:
        """Train the head and calibrate each intent's similarity floor on held-out examples."""
        self.nearest_ = NearestExamplesAssigner(threshold=0.0, k=self.k).fit(vectors, labels)
        self.intents_ = self.nearest_.intents_
        index = {intent: i for i, intent in enumerate(self.intents_)}
        y = np.array([index[label] for label in labels])
        x = np.asarray(vectors, dtype=np.float64)
        self.adapter_ = fit_adapter(x, y, strength=ADAPTER_STRENGTH) if self.adapt else None
        self.weights_, self.bias_ = fit_softmax(self._adapted(x), y, len(self.intents_), c=self.c)
        self.floors_ = np.full(len(self.intents_), self.threshold)
        if not self.calibrate:
            return self
        held_out = _leave_one_out_similarity(self.nearest_, y)
        self.floors_ = np.array(
            [
                min(self.threshold, float(np.quantile(held_out[y == j], FLOOR_QUANTILE)))
                if (y == j).sum() > 1
                else self.threshold
                for j in range(len(self.intents_))
            ]
        )
        return self

    def _adapted(self, x: np.ndarray) -> np.ndarray:
        """Vectors through the learnt adapter, back on the unit sphere."""
        if self.adapter_ is None:
            return x
        with one_blas_thread():
            mapped = x @ self.adapter_
        return np.asarray(mapped / np.maximum(np.linalg.norm(mapped, axis=1, keepdims=True), 1e-12))

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Probability matrix of shape (items, intents); rows sum to one."""
        x = self._adapted(np.asarray(vectors, dtype=np.float64))
        with one_blas_thread():
            logits = x @ self.weights_ + self.bias_
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def predict(self, vectors: np.ndarray, sentences: Sentences | None = None) -> list[Assignment]:
        """The most probable intent (None when neither the item nor any of its ``sentences`` is
        near enough its examples), with the runner-up."""
        if len(vectors) == 0:
            return []
        probs = self.probabilities(vectors)
        sims = self.nearest_.scores(vectors)
        order = np.argsort(-probs, axis=1, kind="stable")
        rows = np.arange(len(vectors))
        best, second = order[:, 0], order[:, min(1, probs.shape[1] - 1)]
        similarity = np.maximum(
            sims[rows, best], best_sentence(self.nearest_.scores, sentences, best)
        )
        keep = similarity >= self.floors_[best]
        return [
            Assignment(
                intent_id=self.intents_[b] if kept else None,
                score=float(round(probs[i, b], 6)),
                runner_up=self.intents_[s] if probs.shape[1] > 1 else None,
                runner_up_score=float(round(probs[i, s], 6)),
            )
            for i, (b, s, kept) in enumerate(zip(best, second, keep, strict=True))
        ]


def _leave_one_out_similarity(nearest: NearestExamplesAssigner, y: np.ndarray) -> np.ndarray:
    """Each example's mean similarity to its ``k`` nearest other examples of the same intent."""
    out = np.zeros(len(y))
    for j in range(len(nearest.intents_)):
        rows = np.flatnonzero(y == j)
        if len(rows) < 2:
            continue
        vectors = nearest.vectors_[rows]
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, -np.inf)
        k = min(nearest.k, len(rows) - 1)
        out[rows] = np.sort(sims, axis=1)[:, -k:].mean(axis=1)
    return out


class AutoAssigner:
    """Chooses ``logistic`` or ``nearest`` by their accuracy on held-out examples of the taxonomy.

    The examples are split in ``folds`` folds (by position within each intent, so the split is
    deterministic); each method is trained on the other folds and scored on the held-out one. The
    logistic head wins on taxonomies whose intents each sit in one region of the model's space
    (Bitext: 98% against 94% held out); the nearest examples win when an intent's examples are in
    several languages an English model places apart (the starter taxonomy: 90% against 88%).
    Ties go to ``nearest``, the simpler method.

    Example:
        >>> AutoAssigner(threshold=0.5).fit(np.eye(2)[[0, 0, 0, 1, 1, 1]], list("aaabbb")).chosen_
        'nearest'
    """

    def __init__(
        self, *, threshold: float = 0.5, k: int = 3, folds: int = 5, chosen: str | None = None
    ) -> None:
        self.threshold = threshold
        self.k = k
        self.folds = folds
        self.chosen = chosen  # a method chosen earlier on nearly the same examples: no folds

    def fit(self, vectors: np.ndarray, labels: Sequence[str]) -> Self:
        """Score both methods on held-out folds, then fit the better one on every example."""
        if self.chosen is not None:
            self.held_out_: dict[str, float] = {}
            self.chosen_ = self.chosen
        else:
            self.held_out_ = held_out_accuracy(vectors, labels, k=self.k, folds=self.folds)
            self.chosen_ = max(("nearest", "logistic"), key=lambda m: self.held_out_[m])
        self.method_: Assigner = make_assigner(
            threshold=self.threshold, k=self.k, method=self.chosen_
        )
        self.method_.fit(vectors, labels)
        return self

    @property
    def scores_are_probabilities(self) -> bool:
        """Whether the chosen method scores by probability."""
        return self.method_.scores_are_probabilities

    def predict(self, vectors: np.ndarray, sentences: Sentences | None = None) -> list[Assignment]:
        """The chosen method's assignments."""
        return self.method_.predict(vectors, sentences)


def held_out_accuracy(
    vectors: np.ndarray, labels: Sequence[str], *, k: int, folds: int = 5
) -> dict[str, float]:
    """Accuracy of each method on examples it was not trained on (``folds``-fold, deterministic).

    Example:
        >>> held_out_accuracy(np.eye(2)[[0, 0, 0, 1, 1, 1]], list("aaabbb"), k=3)
        {'nearest': 1.0, 'logistic': 1.0}
    """
    label_array = np.asarray(labels)
    fold = np.zeros(len(label_array), dtype=int)
    for label in sorted(set(labels)):
        rows = np.flatnonzero(label_array == label)
        fold[rows] = np.arange(len(rows)) % folds
    result = {}
    for method in ("nearest", "logistic"):
        right = 0
        for f in range(folds):
            train, test = fold != f, fold == f
            if not test.any() or len(set(label_array[train])) < 2:
                continue
            assigner: Assigner = (
                NearestExamplesAssigner(threshold=0.0, k=k)
                if method == "nearest"
                else LogisticAssigner(threshold=0.0, k=k, calibrate=False)
            )
            found = assigner.fit(vectors[train], list(label_array[train])).predict(vectors[test])
            right += sum(a.intent_id == t for a, t in zip(found, label_array[test], strict=True))
        result[method] = round(right / len(label_array), 6)
    return result


def make_assigner(
    *, threshold: float, k: int, method: str = DEFAULT_METHOD, chosen: str | None = None
) -> Assigner:
    """The configured assignment method, unfitted (``chosen``: what ``auto`` uses, uncompared).

    Raises:
        ConfigError: Unknown method.
    """
    if method in ("auto", "finetune"):  # finetune changes the vectors, not the head
        return AutoAssigner(threshold=threshold, k=k, chosen=chosen)
    if method == "logistic":
        return LogisticAssigner(threshold=threshold, k=k)
    if method == "nearest":
        return NearestExamplesAssigner(threshold=threshold, k=k)
    raise ConfigError(f"[assign] method {method!r} is unknown; use one of {', '.join(METHODS)}")


def assign_key(
    taxonomy: Taxonomy,
    *,
    model_id: str,
    threshold: float,
    k: int,
    method: str = DEFAULT_METHOD,
    tune_steps: int = DEFAULT_STEPS,
    min_probability: float = DEFAULT_MIN_PROBABILITY,
    noise_company: float = DEFAULT_NOISE_COMPANY,
) -> str:
    """Cache key of an assignment: every input that changes the outcome."""
    settings: list[object] = [threshold, k, method, CALIBRATION_VERSION, SENTENCES_VERSION]
    settings += [noise_company, COMPANY_VERSION]
    if method == "finetune":
        settings += [TUNE_VERSION, tune_steps]
    if method in ("auto", "logistic", "finetune"):
        settings += [LOGISTIC_C, ADAPTER_STRENGTH, FLOOR_QUANTILE, min_probability]
    # What the assignment reads of the taxonomy (ids and example phrases, in order, and each
    # intent's type, which decides where a text that names nothing may go: gate.misfits), not
    # the bytes of its files: editing a name, problem statement or description re-assigns nothing.
    types = sorted((intent.id, intent.type) for intent in taxonomy.intents)
    content = hashlib.sha256(json.dumps([taxonomy_examples(taxonomy), types]).encode()).hexdigest()
    payload = json.dumps(
        [ALGORITHM, content, canonical_model_id(model_id), *settings], sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


# Content hash of (example vectors, labels, settings) -> fitted assigner. Fitting ``auto`` on the
# starter taxonomy takes seconds (five held-out folds of the logistic adapter); one process that
# assigns several times with the same taxonomy (ingest then report, a test session) fits once.
_FITTED: dict[str, Assigner] = {}
_FITTED_MAX = 4


def fitted_assigner(
    vectors: np.ndarray,
    labels: Sequence[str],
    *,
    threshold: float,
    k: int,
    method: str,
    chosen: str | None = None,
) -> Assigner:
    """``make_assigner(...).fit(vectors, labels)``, reusing an identical earlier fit.

    Assigners are not changed by ``predict``, so sharing one is safe.
    """
    digest = hashlib.sha256(np.ascontiguousarray(vectors, dtype="<f4").tobytes())
    constants = [ALGORITHM, LOGISTIC_C, ADAPTER_STRENGTH, FLOOR_QUANTILE]
    settings = [list(labels), vectors.shape, threshold, k, method, chosen, *constants]
    digest.update(json.dumps(settings).encode())
    key = digest.hexdigest()
    if key not in _FITTED:
        if len(_FITTED) >= _FITTED_MAX:
            _FITTED.pop(next(iter(_FITTED)))  # the oldest
        assigner = make_assigner(threshold=threshold, k=k, method=method, chosen=chosen)
        _FITTED[key] = assigner.fit(vectors, labels)
    return _FITTED[key]


def _choice_key(model_id: str, k: int) -> str:
    constants = [ALGORITHM, LOGISTIC_C, ADAPTER_STRENGTH, k]
    return f"assign_choice:{model_id}:{json.dumps(constants)}"


def _fingerprints(labels: Sequence[str], hashes: Sequence[str]) -> set[str]:
    return {
        hashlib.sha256(f"{label}\t{h}".encode()).hexdigest()[:16]
        for label, h in zip(labels, hashes, strict=True)
    }


def remembered_choice(
    store: Any, *, model_id: str, k: int, labels: Sequence[str], hashes: Sequence[str]
) -> str | None:
    """The method ``auto`` chose when it last compared them, if the examples have changed little.

    Comparing the methods is five held-out fits of the logistic head: about 10 s on the starter
    taxonomy's 1,900 examples, the whole cost of a taxonomy edit. A few changed examples (a
    merge, added phrases) barely move which method generalises better (on the starter taxonomy
    they are 1.7 points apart), so the choice is kept until more than
    :data:`CHOICE_REUSE_SHARE` of the examples differ from those it was made on; the fit itself
    always uses the current examples. The price: a taxonomy reached by small edits may keep a
    method that a fresh comparison would now narrowly reject.
    """
    saved = store.meta(_choice_key(model_id, k))
    if saved is None:
        return None
    record = json.loads(saved)
    before, now = set(record["examples"]), _fingerprints(labels, hashes)
    if len(before ^ now) > CHOICE_REUSE_SHARE * max(len(before), len(now)):
        return None
    return str(record["chosen"])


def remember_choice(
    store: Any,
    *,
    model_id: str,
    k: int,
    labels: Sequence[str],
    hashes: Sequence[str],
    chosen: str,
) -> None:
    """Keep ``auto``'s choice with the examples it was made on (see :func:`remembered_choice`)."""
    examples = sorted(_fingerprints(labels, hashes))
    store.set_meta(_choice_key(model_id, k), json.dumps({"chosen": chosen, "examples": examples}))


def configured_key(taxonomy: Taxonomy, config: Config) -> str:
    """The assignment key under ``config``'s [embedding] model and [assign] settings."""
    return assign_key(
        taxonomy,
        model_id=config.embedding.model,
        threshold=config.assign.threshold,
        k=config.assign.k,
        method=config.assign.method,
        tune_steps=config.assign.finetune_steps,
        min_probability=config.assign.min_probability,
        noise_company=config.assign.noise_company,
    )


def taxonomy_examples(taxonomy: Taxonomy) -> list[tuple[str, str, str]]:
    """(intent_id, text_hash, text) for every example phrase of every intent."""
    rows = []
    for intent in taxonomy.intents:
        for _lang, text in intent.all_examples():
            rows.append((intent.id, text_hash(text), text))
    return rows


def taxonomy_scale(store: Any, taxonomy: Taxonomy, *, model_id: str) -> Scale | None:
    """The similarity scale of ``model_id`` measured on the taxonomy's examples, if all cached."""
    model_id = canonical_model_id(model_id)
    examples = taxonomy_examples(taxonomy)
    hashes = [h for _, h, _ in examples]
    if not examples or store.missing_vectors(model_id, hashes):
        return None
    return scale_for(store.vectors(model_id, hashes), [i for i, _, _ in examples])


def assign_items(
    store: Any,
    *,
    taxonomy: Taxonomy,
    model_id: str,
    embedder: Callable[[], Embedder],
    threshold: float,
    k: int,
    method: str = DEFAULT_METHOD,
    tune_steps: int = DEFAULT_STEPS,
    min_probability: float = DEFAULT_MIN_PROBABILITY,
    noise_company: float = DEFAULT_NOISE_COMPANY,
    start_progress: Callable[[int], Progress] | None = None,
    start_tuning: Callable[[int], Progress] | None = None,
    start_embedding: Callable[[int], Progress] | None = None,
) -> int:
    """(Re)assign every stored item whose assignment is missing or stale; returns how many.

    Only cached vectors are used for items and their sentences; the model is loaded (through
    ``embedder``) only when an example phrase of the taxonomy, or a sentence of an item embedded
    before the gate looked at sentences, has no cached vector yet. With ``method="finetune"`` the
    vectors are the tuned model's: it is tuned (``start_tuning``) if the taxonomy changed, and
    items without a tuned vector are embedded by it (``start_embedding``).
    """
    model_id = canonical_model_id(model_id)
    key = assign_key(
        taxonomy,
        model_id=model_id,
        threshold=threshold,
        k=k,
        method=method,
        tune_steps=tune_steps,
        min_probability=min_probability,
        noise_company=noise_company,
    )
    todo = store.items_needing_assignment(key)
    if not todo:
        return 0
    examples = taxonomy_examples(taxonomy)
    pairs = [(h, t) for _, h, t in examples]
    load = embedder
    if method == "finetune":
        tuned = tuned_embedder(
            model_id,
            [(i, t) for i, _, t in examples],
            folder=models_folder(store.path),
            steps=tune_steps,
            start_progress=start_tuning,
        )
        drop_stale_vectors(store, tuned)
        model_id = tuned.model_id
        load = lambda: tuned  # noqa: E731 - items and examples are embedded by the tuned model
        embed_stored(store, model_id=model_id, embedder=load, start_progress=start_embedding)
    if store.missing_vectors(model_id, (h for h, _ in pairs)):
        embed_cached(store, pairs, embedder=load())
    # Split once: the missing vectors are embedded from these pairs, the batches read them.
    texts = store.texts_of(h for _, h in todo)
    sentences_of = {h: sentence_pairs([t]) for h, t in texts.items()}
    ensure_sentence_vectors(
        store,
        [pair for pairs in sentences_of.values() for pair in pairs],
        model_id=model_id,
        embedder=load,
        start_progress=start_embedding,
    )
    progress = start_progress(len(todo)) if start_progress is not None else None
    example_vectors = store.vectors(model_id, [h for h, _ in pairs])
    labels = [i for i, _, _ in examples]
    hashes = [h for h, _ in pairs]
    chosen = remembered_choice(store, model_id=model_id, k=k, labels=labels, hashes=hashes)
    assigner = fitted_assigner(
        example_vectors,
        labels,
        threshold=scale_for(example_vectors, labels).gate(threshold),
        k=k,
        method=method,
        chosen=chosen,
    )
    if isinstance(assigner, AutoAssigner) and chosen is None:
        remember_choice(
            store, model_id=model_id, k=k, labels=labels, hashes=hashes, chosen=assigner.chosen_
        )
    company = company_of(store, model_id=model_id) if noise_company > 0 else {}
    for start in range(0, len(todo), 4096):
        part = todo[start : start + 4096]
        found = assigner.predict(
            store.vectors(model_id, [h for _, h in part]),
            load_sentences(store, [sentences_of[h] for _, h in part], model_id=model_id),
        )
        kinds = [taxonomy.intent(a.intent_id).type if a.intent_id else None for a in found]
        ratings = store.ratings_of([item_id for item_id, _ in part])
        refused = refusals(
            [texts[h] for _, h in part],
            kinds,
            [ratings.get(item_id) for item_id, _ in part],
            [a.score for a in found] if assigner.scores_are_probabilities else None,
            [share_of(company, h) for _, h in part],
            min_probability=min_probability,
            noise_company=noise_company,
        )
        why = [r or (None if a.intent_id else FAR) for a, r in zip(found, refused, strict=True)]
        store.put_assignments(
            [
                (i, key, None if r else a.intent_id, a.score, a.runner_up, a.runner_up_score, r)
                for (i, _), a, r in zip(part, found, why, strict=True)
            ]
        )
        if progress is not None:
            progress(len(part))
    return len(todo)
