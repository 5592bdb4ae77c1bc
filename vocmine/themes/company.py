"""The assignment gate's last look: the company an item keeps among the stored feedback.

Some texts name nothing and still escape every word list: "Netflix is poop" ("poop" is no listed
sentiment word), "I'm testing app", "The is no stress if you are watching Netflix" (5 stars;
"stress" looks like a content word). The problem intents of a drafted taxonomy took such texts
(Netflix reviews, August 2024, issue 12). Their nearest stored texts give them away: they sit among
the praise, abuse and empty texts that the word rule did catch (:func:`vocmine.themes.noise.bucket_of`),
where a complaint with a theme sits among other complaints. On 178 items of the three top problem
intents read by hand, on-theme items had on average 0.4% content-free texts among their ten
nearest, off-theme ones 10%; refusing a problem intent to items with two or more content-free
neighbours in ten took 9 items, 8 of them off theme (precision of the rest 82.7% -> 85.2%).

An item whose :data:`NEIGHBOURS` nearest stored texts hold at least ``[assign] noise_company``
content-free ones takes no problem intent (:func:`crowded`); praise and ``other`` intents may
still hold it. The shares depend on the stored texts and their vectors only, not on the taxonomy:
they are computed once per set of stored texts (about 5 s for 15,600 texts on two cores) and kept
in the store under a content hash, so a taxonomy edit reads them back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from vocmine.config import DiscoverConfig
from vocmine.themes.noise import CONTENT_FREE, NoiseRules, bucket_of, frequent_words

NEIGHBOURS = 10
# Neighbours are sought among at most this many stored texts (a seeded sample beyond it): the
# work grows with items x reference, not items squared (100,000 items: once, under a minute).
REFERENCE = 20_000
# Below this many stored texts the rule is off: in a handful of texts every text is neighbour to
# every other, near or not.
MIN_TEXTS = 20 * NEIGHBOURS
# A word in this share of the stored texts is the product's name, not content: the same default
# as discovery's ``noise_generic_share`` ("Netflix is poop" names nothing but Netflix).
GENERIC_SHARE = DiscoverConfig.noise_generic_share
# Bump when the shares change for the same texts, so that stored ones are recomputed.
COMPANY_VERSION = "1"
_HASH = 16  # characters of the text hash kept per share in the store
_WORDS_ONLY = NoiseRules(multilingual=True)  # language is the model's limit, not a lack of content


def content_free(texts: Sequence[str]) -> np.ndarray:
    """Per text, whether the word rule puts it in a content-free bucket (praise, abuse, nothing).

    Words in :data:`GENERIC_SHARE` of ``texts`` (the product's name) count as no content.

    Example:
        >>> content_free(["Netflix is the best", "netflix crashes", "Netflix", "ok"]).tolist()
        [True, False, True, True]
    """
    rules = replace(_WORDS_ONLY, generic=frequent_words(texts, share=GENERIC_SHARE))
    return np.array([bucket_of(t, "und", rules) in CONTENT_FREE for t in texts], dtype=bool)


def noise_company(
    vectors: np.ndarray,
    noisy: np.ndarray,
    *,
    k: int = NEIGHBOURS,
    reference: int = REFERENCE,
    seed: int = 0,
    chunk: int = 1024,
) -> np.ndarray:
    """Per row of ``vectors``, the share of its ``k`` nearest other rows that are ``noisy``.

    A noisy row's own share is 1: it is content-free itself. Cosine on unit rows; neighbours are
    sought among ``reference`` rows at most (a sample, fixed by ``seed``, when there are more).

    Example:
        >>> v = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9], [0.2, 0.8]])
        >>> noise_company(v, np.array([False, False, True, True, False]), k=2).round(2).tolist()
        [0.0, 0.0, 1.0, 1.0, 1.0]
    """
    n = len(vectors)
    out = np.zeros(n)
    if n > 1:
        unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        pool = np.arange(n)
        if n > reference:
            pool = np.sort(np.random.default_rng(seed).choice(n, reference, replace=False))
        slot = np.full(n, -1)
        slot[pool] = np.arange(len(pool))
        k = min(k, len(pool) - 1)
        for start in range(0, n, chunk):
            rows = np.arange(start, min(start + chunk, n))
            sims = unit[rows] @ unit[pool].T
            own = slot[rows]
            sims[np.flatnonzero(own >= 0), own[own >= 0]] = -np.inf  # not its own neighbour
            nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            out[rows] = noisy[pool][nearest].mean(axis=1)
    out[noisy] = 1.0
    return out


def company_of(store: Any, *, model_id: str) -> dict[str, float]:
    """Stored text hash (first 16 characters) -> share of content-free neighbours, when not 0.

    Read back from the store when its texts and their vectors are those it was computed on;
    else computed on every stored text with a vector for ``model_id`` and kept. Empty (the rule
    off) while fewer than :data:`MIN_TEXTS` texts are stored.
    """
    stored = store.stored_hashes()
    missing = store.missing_vectors(model_id, stored)
    hashes = [h for h in stored if h not in missing]  # sorted, as stored_hashes gives them
    payload = [COMPANY_VERSION, model_id, NEIGHBOURS, REFERENCE, GENERIC_SHARE, hashes]
    digest = hashlib.sha256(json.dumps(payload).encode()).hexdigest()
    key = f"noise_company:{model_id}"
    saved = store.meta(key)
    if saved is not None:
        record = json.loads(saved)
        if record.get("digest") == digest:
            return {str(h): float(s) for h, s in record["shares"].items()}
    shares: dict[str, float] = {}
    if len(hashes) >= MIN_TEXTS:  # texts are read only here: a read-back needs the hashes
        texts = store.texts_of(hashes)
        found = noise_company(
            store.vectors(model_id, hashes), content_free([texts[h] for h in hashes])
        )
        shares = {h[:_HASH]: round(float(s), 3) for h, s in zip(hashes, found, strict=True) if s}
    store.set_meta(key, json.dumps({"digest": digest, "shares": shares}, sort_keys=True))
    return shares


def share_of(shares: dict[str, float], text_hash: str) -> float:
    """The share of content-free neighbours of the text with ``text_hash`` (0 when not kept)."""
    return shares.get(text_hash[:_HASH], 0.0)


def crowded(
    shares: Sequence[float], types: Sequence[str | None], *, noise_company: float
) -> list[bool]:
    """Per item, whether its chosen intent is a problem and its neighbours are that noisy.

    ``noise_company`` 0 turns the check off.

    Example:
        >>> crowded([0.3, 0.1, 0.5], ["problem", "problem", "praise"], noise_company=0.2)
        [True, False, False]
    """
    if noise_company <= 0:
        return [False] * len(types)
    return [
        kind == "problem" and share >= noise_company
        for share, kind in zip(shares, types, strict=True)
    ]
