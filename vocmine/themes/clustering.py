"""Theme clustering: BERTopic's UMAP -> HDBSCAN pipeline, then the two steps it lacks.

Plain BERTopic on short support texts over-splits (about 150 clusters for Bitext's 27 intents) and
leaves 30-50% of the texts as outliers. :class:`ThemeClusterer` keeps BERTopic's first two stages,
built explicitly with fixed seeds, and adds:

1. every outlier joins the cluster whose centre is nearest (cosine, in the embedding space), so
   no text is lost from the counts;
2. clusters whose centres are closer than ``merge_similarity`` are merged (average-linkage
   agglomerative clustering of the centres), so that one theme said in several ways is one
   cluster. The number of clusters follows from this threshold: nobody gives it.

The defaults were chosen on the development sets, DSTC11 insurance and Bitext (see
docs/quality.md and ``bench/tune_discover.py``); banking and finance were held out. The smallest
cluster stays at 0.5% of the texts: a coarser floor scored slightly better on Bitext's balanced
files but erases small themes, and a new theme starts small.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Self

import numpy as np

from vocmine.errors import ConfigError

OUTLIER = -1


def _require(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        # BERTopic silently falls back to PCA without umap: refuse instead of changing algorithm.
        raise ConfigError(
            f"discovery needs the '{module}' package; run 'pip install umap-learn hdbscan'"
        ) from None


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.where(norms == 0, 1.0, norms), dtype=np.float32)


def centroids(vectors: np.ndarray, labels: np.ndarray) -> tuple[list[int], np.ndarray]:
    """(cluster ids sorted, unit-length mean vector of each); outliers (-1) are left out."""
    ids = sorted(int(c) for c in set(labels.tolist()) if c != OUTLIER)
    if not ids:
        return [], np.zeros((0, vectors.shape[1]), dtype=np.float32)
    means = np.stack([vectors[labels == c].mean(axis=0) for c in ids])
    return ids, normalised(means)


def relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters 0..n-1 by decreasing size (ties: first member first); -1 stays -1.

    Example:
        >>> relabel_by_size(np.array([5, 2, 2, -1, 5, 2])).tolist()
        [1, 0, 0, -1, 1, 0]
    """
    ids = [int(c) for c in dict.fromkeys(labels.tolist()) if c != OUTLIER]
    sizes = {c: int((labels == c).sum()) for c in ids}
    order = sorted(ids, key=lambda c: (-sizes[c], ids.index(c)))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping.get(int(c), OUTLIER) for c in labels], dtype=np.int64)


def reassign_outliers(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Every outlier joins the cluster with the nearest centre (cosine)."""
    ids, centres = centroids(vectors, labels)
    out = labels.copy()
    lost = np.flatnonzero(labels == OUTLIER)
    if not ids or not len(lost):
        return out
    nearest = np.argmax(vectors[lost] @ centres.T, axis=1)
    out[lost] = np.array(ids)[nearest]
    return out


def merge_close(vectors: np.ndarray, labels: np.ndarray, *, similarity: float) -> np.ndarray:
    """Merge clusters whose centres are closer than ``similarity`` (average linkage, cosine)."""
    ids, centres = centroids(vectors, labels)
    if len(ids) < 2:
        return labels.copy()
    from sklearn.cluster import AgglomerativeClustering

    groups = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=1.0 - similarity,
    ).fit_predict(centres)
    mapping = {old: int(g) for old, g in zip(ids, groups, strict=True)}
    return np.array([mapping.get(int(c), OUTLIER) for c in labels], dtype=np.int64)


@dataclass
class ThemeClusterer:
    """Cluster text vectors into themes; the number of themes is found, not given.

    Args:
        seed: Seeds UMAP; with the same vectors and seed the labels are identical.
        n_components: UMAP output dimensions.
        n_neighbors: UMAP neighbourhood size.
        min_cluster_share: HDBSCAN's smallest cluster as a share of the texts (at least
            ``min_cluster_size``), so the granularity does not change with the corpus size.
        min_cluster_size: Floor for HDBSCAN's smallest cluster.
        min_samples: HDBSCAN's density smoothing; small keeps fewer texts as outliers.
        merge_similarity: Clusters whose centres have at least this cosine similarity merge;
            1.0 disables merging.
        reassign: Whether outliers join their nearest cluster.

    Usage::

        labels = ThemeClusterer(seed=42).fit(vectors).labels_
        labels.max() + 1  # number of themes found, e.g. 27
    """

    seed: int = 42
    n_components: int = 5
    n_neighbors: int = 15
    min_cluster_share: float = 0.005
    min_cluster_size: int = 5
    min_samples: int = 10
    merge_similarity: float = 0.7
    reassign: bool = True

    def smallest_cluster(self, n: int) -> int:
        """HDBSCAN's min_cluster_size for ``n`` texts."""
        return max(self.min_cluster_size, round(self.min_cluster_share * n))

    def fit(self, vectors: np.ndarray) -> Self:
        """Cluster ``vectors`` (one row per text); sets ``labels_`` and ``raw_labels_``.

        ``raw_labels_`` are HDBSCAN's clusters (with -1 outliers), ``labels_`` the final themes
        numbered by decreasing size.

        Raises:
            ConfigError: umap-learn or hdbscan is not installed.
        """
        vectors = normalised(np.asarray(vectors, dtype=np.float32))
        n = len(vectors)
        if n < max(2 * self.min_cluster_size, self.n_neighbors + 2):
            # Too few texts for a neighbourhood graph: one theme, honestly reported as such.
            self.raw_labels_ = np.zeros(n, dtype=np.int64)
            self.labels_ = self.raw_labels_.copy()
            return self
        reduced = self._reduce(vectors)
        raw = self._hdbscan(reduced, n)
        self.raw_labels_ = relabel_by_size(raw)
        labels = reassign_outliers(vectors, raw) if self.reassign else raw
        if self.merge_similarity < 1.0:
            labels = merge_close(vectors, labels, similarity=self.merge_similarity)
        self.labels_ = relabel_by_size(labels)
        return self

    def _reduce(self, vectors: np.ndarray) -> np.ndarray:
        _require("umap")
        from umap import UMAP

        umap = UMAP(
            n_neighbors=self.n_neighbors,
            n_components=self.n_components,
            min_dist=0.0,
            metric="cosine",
            random_state=self.seed,  # also makes UMAP single-threaded: reproducible
            low_memory=True,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "n_jobs overridden by random_state": on purpose
            return np.asarray(umap.fit_transform(vectors), dtype=np.float64)

    def _hdbscan(self, reduced: np.ndarray, n: int) -> np.ndarray:
        _require("hdbscan")
        from hdbscan import HDBSCAN

        size = self.smallest_cluster(n)
        model = HDBSCAN(
            min_cluster_size=size,
            min_samples=min(self.min_samples, size),
            metric="euclidean",
            cluster_selection_method="eom",
        )
        return np.asarray(model.fit_predict(reduced), dtype=np.int64)


def _stricter(similarity: float, depth: int) -> float:
    """The merge threshold one level down: halfway to 1, so sub-themes are not merged back."""
    return 1.0 - (1.0 - similarity) / 2 ** (depth + 1)


def _cut(vectors: np.ndarray, *, seed: int, merge_similarity: float, pieces: int) -> np.ndarray:
    """Sub-themes of one cluster's vectors; k-means into ``pieces`` when none are found."""
    labels = ThemeClusterer(seed=seed, merge_similarity=merge_similarity).fit(vectors).labels_
    if len(set(labels.tolist())) > 1 or pieces < 2:
        return labels
    from sklearn.cluster import KMeans

    # A dense blob without sub-structure (HDBSCAN sees one theme): a seeded k-means cut still
    # keeps a proposal from being a catch-all, and says less than it seems, so it is the last resort.
    return np.asarray(
        KMeans(n_clusters=pieces, n_init=4, random_state=seed).fit_predict(vectors), dtype=np.int64
    )


def split_large(
    vectors: np.ndarray,
    labels: np.ndarray,
    *,
    max_share: float,
    max_depth: int = 3,
    seed: int = 42,
    merge_similarity: float = 0.7,
    min_items: int = 0,
) -> np.ndarray:
    """Cluster again every cluster that holds more than ``max_share`` of the clustered texts.

    The share is of the texts in a cluster (outliers aside), the figure ``discover`` reports:
    HDBSCAN leaves a third of real reviews as outliers, and a cluster at 15% of all texts was at
    22% of the clustered ones. Only clusters of more than ``min_items`` texts are split: in a
    small set, a theme of a few dozen texts may rightly hold a large share (discovery passes
    5 x ``min_size``).

    Each level re-runs UMAP and HDBSCAN on the big cluster's own texts (so the reduction is
    fitted to them, not to the whole corpus) with a stricter merge threshold; a level that finds
    no sub-theme cuts the cluster with seeded k-means. After ``max_depth`` levels what is still
    too big stays. Outliers (-1) stay outliers. Deterministic for a given ``seed``.

    Usage::

        labels = split_large(vectors, labels, max_share=0.15, seed=42)
        max(np.bincount(labels[labels >= 0])) <= 0.15 * (labels >= 0).sum()  # -> True
    """
    out = labels.copy()
    for depth in range(max_depth):
        # Recounted each level: a cut may leave some of a cluster's texts as outliers.
        limit = max(max_share * int((out != OUTLIER).sum()), min_items)
        ids = sorted(int(c) for c in set(out.tolist()) if c != OUTLIER)
        big = [c for c in ids if (out == c).sum() > limit]
        if not big:
            break
        next_id = max(ids) + 1
        for cluster in big:
            rows = np.flatnonzero(out == cluster)
            sub = _cut(
                vectors[rows],
                seed=seed,
                merge_similarity=_stricter(merge_similarity, depth),
                pieces=int(np.ceil(len(rows) / limit)) if depth == max_depth - 1 else 1,
            )
            for value in sorted(set(sub.tolist())):
                if value == OUTLIER or value == 0:
                    continue  # group 0 (the largest) keeps the cluster's id
                out[rows[sub == value]] = next_id
                next_id += 1
    return relabel_by_size(out)
