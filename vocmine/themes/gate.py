"""The assignment gate's second look: an item's best sentence.

The gate (:mod:`vocmine.themes.assign`) asks whether an item is as similar to its chosen
intent's nearest examples as the intent's own examples are to each other. Those examples are
one sentence each, and a long item is not: its greeting, context and thanks pull its vector
away from every intent. With multilingual-e5-small, whose cosines are packed between about 0.8
and 1, that costs long items about 0.02, as much as the gap between on- and off-topic text:
on the demo data 43% of the month stayed unassigned, most of them tickets of 3+ sentences.
So an item also passes when one of its sentences (:func:`vocmine.prepare.sentences.sentences`)
clears the floor of the intent its whole text was given. The intent is still chosen from the
whole text: one sentence may mention a side issue, and the gate only asks "is this on topic".

The gate also asks whether a text says anything an intent could hold (:func:`misfits`): "Bad
app", "Not good app" or "Thanks for the App" sit close to "app not working" in the model's
space, and a drafted taxonomy's broad problem intent took ten such reviews of Netflix's August
2024; they name no problem, so no problem intent holds them. A short review of 4 or 5 stars that
asks for nothing ("so sweet app", "That's a great app") is praise by its stars, whatever its
words (:func:`vocmine.themes.noise.rated_praise`), and no problem intent holds it either.

A problem intent must also be the clear choice (:func:`unsure`): a problem count is a claim to
Product, and an item the logistic head places between several intents (the chosen one under
:data:`~vocmine.themes.assign.DEFAULT_MIN_PROBABILITY`) is more often off theme than on it.
Last, a problem keeps company with problems: an item whose nearest stored texts are content-free
names nothing either (:func:`vocmine.themes.company.crowded`). :func:`refusals` asks all three.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vocmine.themes.company import crowded
from vocmine.themes.embed import Embedder, Progress, embed_cached
from vocmine.themes.noise import PRAISE, UNREADABLE, NoiseRules, bucket_of, rated_praise

# The intent types a content-free text may have, by its noise bucket: praise ("good app") is
# praise or general opinion; a complaint without content ("worst app"), a text without content
# ("hmm") or without letters ("👍👍") is no intent's. Language is not judged here: a text the
# model reads badly is the model's limit, not a lack of content.
FITTING_TYPES = {PRAISE: ("praise", "other")}
_WORDS_ONLY = NoiseRules(multilingual=True)


@dataclass(frozen=True)
class Sentences:
    """The sentence vectors of a batch of items: row ``j`` belongs to item ``owner[j]``."""

    vectors: np.ndarray
    owner: np.ndarray


def best_sentence(
    scores: Callable[[np.ndarray], np.ndarray],
    found: Sentences | None,
    chosen: np.ndarray,
) -> np.ndarray:
    """Per item, the best score of its sentences for its ``chosen`` intent (-inf: no sentence).

    Args:
        scores: Score matrix (rows: vectors, columns: intents) of a batch of vectors.
        found: The items' sentences, or None when the caller has none (``vocmine eval``).
        chosen: The column of each item's chosen intent.
    """
    best = np.full(len(chosen), -np.inf)
    if found is None or len(found.owner) == 0:
        return best
    per_sentence = scores(found.vectors)[np.arange(len(found.owner)), chosen[found.owner]]
    np.maximum.at(best, found.owner, per_sentence)
    return best


def ensure_sentence_vectors(
    store: Any,
    pairs: Sequence[tuple[str, str]],
    *,
    model_id: str,
    embedder: Callable[[], Embedder],
    start_progress: Callable[[int], Progress] | None = None,
) -> int:
    """Embed the (hash, sentence) ``pairs`` that have no cached vector; returns how many.

    Ingest embeds them with their items; this catches a store embedded before the gate looked at
    sentences (once: they are cached afterwards). The model is loaded only if one is missing.
    """
    missing = store.missing_vectors(model_id, (h for h, _ in pairs))
    if not missing:
        return 0
    progress = start_progress(len(missing)) if start_progress is not None else None
    return int(embed_cached(store, pairs, embedder=embedder(), progress=progress))


def load_sentences(
    store: Any, per_item: Sequence[Sequence[tuple[str, str]]], *, model_id: str
) -> Sentences:
    """The cached vectors of each item's (hash, sentence) pairs, each tagged with its item's row."""
    hashes = [h for pairs in per_item for h, _ in pairs]
    owner = [row for row, pairs in enumerate(per_item) for _ in pairs]
    vectors = store.vectors(model_id, hashes) if hashes else np.zeros((0, 0), dtype=np.float32)
    return Sentences(vectors=vectors, owner=np.asarray(owner, dtype=np.int64))


def misfits(
    texts: Sequence[str],
    types: Sequence[str | None],
    ratings: Sequence[float | None] | None = None,
) -> list[bool]:
    """Per item, whether its text names nothing that an intent of its chosen type could hold.

    Args:
        texts: The items' (redacted) texts.
        types: The type of each item's chosen intent (None: unassigned).
        ratings: The items' stars, if known: short praise by its stars takes no problem intent.

    Example:
        >>> misfits(["Bad app", "good app", "good app", "app crashes", "so sweet app"],
        ...         ["problem", "praise", "problem", "problem", "problem"],
        ...         [1, 5, 5, 1, 5])
        [True, False, True, False, True]
    """
    stars = ratings if ratings is not None else [None] * len(texts)
    out = []
    for text, kind, rating in zip(texts, types, stars, strict=True):
        bucket = bucket_of(text, "und", _WORDS_ONLY) if kind is not None else None
        if bucket is None and kind == "problem" and rated_praise(text, rating, _WORDS_ONLY):
            bucket = PRAISE
        out.append(
            bucket not in (None, UNREADABLE) and kind not in FITTING_TYPES.get(bucket or "", ())
        )
    return out


def unsure(
    scores: Sequence[float], types: Sequence[str | None], *, min_probability: float
) -> list[bool]:
    """Per item, whether its chosen intent is a problem the head gives under ``min_probability``.

    Only for scores that are the logistic head's probabilities. Praise and general opinion are
    not held to it: they make no claim to Product, and the praise intents of a drafted taxonomy
    overlap by nature ("Excellent great", "App nice").

    Example:
        >>> unsure([0.9, 0.3, 0.3], ["problem", "problem", "praise"], min_probability=0.4)
        [False, True, False]
    """
    return [
        kind == "problem" and score < min_probability
        for score, kind in zip(scores, types, strict=True)
    ]


# Why an item holds no intent, stored with its assignment (``assignments.reason``), shown in the
# report's data quality and exported: the share left unassigned means "run discover" when items
# are far from every intent, and nothing to do when they say nothing.
FAR = "far"  # the assigner's own floor: no intent close enough
NO_CONTENT = "no_content"  # :func:`misfits`
UNSURE = "unsure"  # :func:`unsure`
COMPANY = "company"  # :func:`vocmine.themes.company.crowded`
REASONS = {
    FAR: "matched no intent closely enough",
    NO_CONTENT: 'named nothing an intent could hold ("good app" under a problem)',
    UNSURE: "sat between several intents",
    COMPANY: "sat among texts that name nothing",
}


def refusals(
    texts: Sequence[str],
    types: Sequence[str | None],
    ratings: Sequence[float | None],
    probabilities: Sequence[float] | None,
    shares: Sequence[float],
    *,
    min_probability: float,
    noise_company: float,
) -> list[str | None]:
    """Per item, why the gate takes its chosen intent away (None: it keeps it).

    A misfit (:func:`misfits`, :data:`NO_CONTENT`), a problem the head is unsure of
    (:func:`unsure`, only when the scores are the head's ``probabilities``, :data:`UNSURE`), or a
    problem whose nearest stored texts hold a ``shares`` of content-free ones of
    ``noise_company`` or more (:func:`crowded`, :data:`COMPANY`); the first that applies.

    Example:
        >>> refusals(["Bad app", "app crashes", "app crashes", "app crashes"],
        ...          ["problem", "problem", "problem", None], [1, 1, 1, 1],
        ...          [0.9, 0.2, 0.9, 0.9], [0.0, 0.0, 0.5, 0.0],
        ...          min_probability=0.3, noise_company=0.2)
        ['no_content', 'unsure', 'company', None]
    """
    n = len(texts)
    doubtful = (
        unsure(probabilities, types, min_probability=min_probability)
        if probabilities is not None
        else [False] * n
    )
    checks = (
        (NO_CONTENT, misfits(texts, types, ratings)),
        (UNSURE, doubtful),
        (COMPANY, crowded(shares, types, noise_company=noise_company)),
    )
    return [next((code for code, hit in checks if hit[row]), None) for row in range(n)]
