"""``vocmine eval``: measure assignment and discovery on a labelled file.

Two questions, each answered with figures a reader can check against the literature:

* **assign**: with K examples per label (drawn with a seed) as the taxonomy, how many of the other
  texts does the configured assigner (:func:`vocmine.themes.assign.make_assigner`) put under the right
  label? Accuracy counts an unassigned text as wrong.
* **discover**: without labels, how close are the themes :class:`~vocmine.themes.clustering.ThemeClusterer`
  finds to the true labels (NMI, ARI, Hungarian-matched accuracy), next to plain BERTopic defaults
  and KMeans given the true number of labels, on the same vectors.

Texts are embedded once into a vector cache (a vocmine store, keyed by model and text hash), so a
second run only computes.
"""

from __future__ import annotations

import csv
import json
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from vocmine.errors import ConfigError, InputError
from vocmine.prepare.normalise import text_hash
from vocmine.themes.embed import Embedder, Progress, canonical_model_id, embed_cached, get_embedder

UNASSIGNED = "(unassigned)"
UNKNOWN_LANGUAGE = "(none)"


@dataclass(frozen=True)
class LabelledSet:
    """Texts with their true label (and language, when the file has a column for it)."""

    texts: list[str]
    labels: list[str]
    languages: list[str] | None
    skipped: int = 0


def _rows(path: Path, encoding: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The file's records and its column names; CSV/TSV by extension, else JSON lines."""
    try:
        raw = path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise InputError(f"file not found: {path}; check the path") from None
    except UnicodeDecodeError:
        raise InputError(
            f"{path} is not {encoding}; pass --encoding latin-1 (or its encoding)"
        ) from None
    if path.suffix.lower() in {".csv", ".tsv", ".txt"}:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        reader = csv.DictReader(raw.splitlines(keepends=True), delimiter=delimiter)
        return list(reader), list(reader.fieldnames or [])
    if raw.lstrip().startswith("["):
        records = json.loads(raw)
    else:
        records = []
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                raise InputError(
                    f"{path}:{number} is not JSON; eval reads CSV (.csv, .tsv) or JSON lines"
                ) from None
    columns = sorted({key for r in records if isinstance(r, dict) for key in r})
    return [r for r in records if isinstance(r, dict)], columns


def read_labelled(
    path: Path,
    *,
    text_col: str,
    label_col: str,
    lang_col: str | None = None,
    encoding: str = "utf-8-sig",
) -> LabelledSet:
    r"""Read a labelled CSV/TSV or JSON-lines file; rows without text or label are skipped.

    Raises:
        InputError: The file is missing or unreadable, a column is not in it, or it has fewer
            than two labelled texts.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "intents.csv"
        >>> rows = ["utterance,intent", "my card is lost,lost_card", ",lost_card", "refund?,refund"]
        >>> _ = path.write_text("\n".join(rows))
        >>> data = read_labelled(path, text_col="utterance", label_col="intent")
        >>> data.texts, data.labels, data.skipped  # the row without text is skipped
        (['my card is lost', 'refund?'], ['lost_card', 'refund'], 1)
    """
    rows, columns = _rows(path, encoding)
    for flag, col in (
        ("--text-col", text_col),
        ("--label-col", label_col),
        ("--lang-col", lang_col),
    ):
        if col is not None and col not in columns:
            raise InputError(
                f"{path} has no column {col!r} ({flag}); its columns: {', '.join(columns)}"
            )
    texts, labels, languages, skipped = [], [], [], 0
    for row in rows:
        text, label = str(row.get(text_col) or "").strip(), str(row.get(label_col) or "").strip()
        if not text or not label:
            skipped += 1
            continue
        texts.append(text)
        labels.append(label)
        languages.append(str(row.get(lang_col) or UNKNOWN_LANGUAGE) if lang_col else "")
    if len(texts) < 2:
        raise InputError(f"{path} has {len(texts)} labelled texts; eval needs at least two")
    return LabelledSet(texts, labels, languages if lang_col else None, skipped)


def embed_texts(
    texts: Sequence[str],
    *,
    cache: Path,
    model: str,
    batch_size: int = 64,
    start_progress: Callable[[int], Progress] | None = None,
    embedder: Embedder | None = None,
) -> np.ndarray:
    """Vectors of ``texts`` (in order), embedding only those the cache does not hold yet.

    The cache is a vocmine store whose ``embeddings`` table is keyed by (model, text hash).
    ``embedder``, when given, is used instead of loading ``model`` (a tuned model: its vectors are
    cached under its own id).
    """
    from vocmine.store.store import open_store

    store = open_store(cache)
    try:
        model_id = embedder.model_id if embedder is not None else canonical_model_id(model)
        pairs = [(text_hash(t), t) for t in texts]
        missing = store.missing_vectors(model_id, (h for h, _ in pairs))
        if missing:
            progress = start_progress(len(missing)) if start_progress is not None else None
            if embedder is None:
                embedder = get_embedder(model, batch_size=batch_size)
            embed_cached(store, pairs, embedder=embedder, progress=progress)
        return store.vectors(model_id, [h for h, _ in pairs])
    finally:
        store.close()


def tuned_vectors(
    data: LabelledSet,
    *,
    shots: int,
    seed: int,
    cache: Path,
    model: str,
    steps: int,
    batch_size: int = 64,
    examples_lang: str | None = None,
    start_tuning: Callable[[int], Progress] | None = None,
    start_embedding: Callable[[int], Progress] | None = None,
) -> np.ndarray:
    """Vectors of ``data.texts`` from ``model`` tuned on the examples :func:`evaluate_assign` draws.

    The tuned model is kept beside ``cache`` (one at a time) and its vectors in ``cache``, so a
    second run with the same file, shots and seed costs no training and no embedding.
    """
    from vocmine.store.store import open_store
    from vocmine.themes.finetune import drop_stale_vectors, models_folder, tuned_embedder

    train = _draw(data, shots=shots, seed=seed, examples_lang=examples_lang)
    tuned = tuned_embedder(
        model,
        [(data.labels[i], data.texts[i]) for i in train],
        folder=models_folder(cache),
        steps=steps,
        seed=seed,
        batch_size=batch_size,
        start_progress=start_tuning,
    )
    store = open_store(cache)
    try:
        drop_stale_vectors(store, tuned)
    finally:
        store.close()
    return embed_texts(
        data.texts, cache=cache, model=model, start_progress=start_embedding, embedder=tuned
    )


# --- assign --------------------------------------------------------------------------------------


@dataclass
class AssignFigures:
    """Accuracy figures of one group of test texts (all, or one language)."""

    texts: int
    accuracy: float
    macro_f1: float
    unassigned: float


@dataclass
class AssignResult:
    """What ``vocmine eval --mode assign`` measured."""

    labels: int
    shots: int
    seed: int
    threshold: float
    k: int
    method: str
    examples: int
    overall: AssignFigures
    confused: list[tuple[str, str, int]]
    languages: dict[str, AssignFigures] = field(default_factory=dict)
    # The similarity floor ``threshold`` became on this model and these examples (raw cosine).
    gate: float | None = None
    # Language the examples were drawn from (``--examples-lang``); None: every language.
    examples_lang: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        data = asdict(self)
        data["confused"] = [{"true": t, "predicted": p, "count": n} for t, p, n in self.confused]
        return data


def draw_examples(labels: Sequence[str], *, shots: int, seed: int) -> np.ndarray:
    """Indices of ``shots`` texts per label, drawn with ``seed``; each label keeps one to test.

    Example:
        >>> draw_examples(["a", "a", "a", "b", "b"], shots=1, seed=0).tolist()
        [2, 4]
    """
    if shots < 1:
        raise ConfigError(f"--shots {shots}: need at least one example per label, e.g. --shots 10")
    rng = np.random.default_rng(seed)
    array = np.asarray(labels)
    chosen: list[int] = []
    for label in sorted(set(labels)):
        members = np.flatnonzero(array == label)
        take = min(shots, max(len(members) - 1, 1))
        chosen.extend(int(i) for i in rng.choice(members, size=take, replace=False))
    return np.array(sorted(chosen), dtype=np.int64)


def _draw(data: LabelledSet, *, shots: int, seed: int, examples_lang: str | None) -> np.ndarray:
    """The examples' indices: :func:`draw_examples` over every text, or over one language's."""
    if examples_lang is None:
        return draw_examples(data.labels, shots=shots, seed=seed)
    if data.languages is None:
        raise ConfigError("--examples-lang needs --lang-col, the column of each text's language")
    pool = np.flatnonzero(np.asarray(data.languages) == examples_lang)
    if not len(pool):
        found = ", ".join(sorted(set(data.languages)))
        raise ConfigError(f"--examples-lang {examples_lang!r}: no text has it; the file's: {found}")
    return np.asarray(pool[draw_examples([data.labels[i] for i in pool], shots=shots, seed=seed)])


def _figures(truth: Sequence[str], predicted: Sequence[str]) -> AssignFigures:
    from sklearn.metrics import f1_score

    hits = sum(t == p for t, p in zip(truth, predicted, strict=True))
    return AssignFigures(
        texts=len(truth),
        accuracy=hits / len(truth),
        macro_f1=float(
            f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0)
        ),
        unassigned=sum(p == UNASSIGNED for p in predicted) / len(truth),
    )


def evaluate_assign(
    vectors: np.ndarray,
    data: LabelledSet,
    *,
    shots: int,
    seed: int,
    threshold: float,
    k: int,
    method: str = "auto",
    top_confused: int = 10,
    examples_lang: str | None = None,
) -> AssignResult:
    """Fit the configured assigner on ``shots`` texts per label, score it on the others.

    With ``examples_lang``, the examples are drawn from the texts of that language only, and
    every other text (all languages) is assigned: the per-language figures then say how well
    examples written in one language serve feedback in another (English examples -> French).

    Raises:
        ConfigError: ``shots`` < 1, no text is left to test, or ``examples_lang`` names no
            text's language (or the set has no languages).

    Usage::

        r = evaluate_assign(vectors, data, shots=10, seed=42, threshold=0.5, k=3,
                            examples_lang="en")
        r.languages["fr"].accuracy  # -> 0.617
    """
    from vocmine.themes.assign import make_assigner
    from vocmine.themes.calibrate import scale_for

    train = _draw(data, shots=shots, seed=seed, examples_lang=examples_lang)
    test = np.setdiff1d(np.arange(len(data.labels)), train)
    if not len(test):
        raise ConfigError(f"--shots {shots} uses every text as an example; lower --shots")
    labels = np.asarray(data.labels)
    # The threshold is on the reference scale: mapped to the model's, measured on the examples.
    raw = scale_for(vectors[train], labels[train].tolist()).gate(threshold)
    assigner = make_assigner(threshold=raw, k=k, method=method)
    assigner.fit(vectors[train], labels[train].tolist())
    found = assigner.predict(vectors[test])
    truth = labels[test].tolist()
    predicted = [a.intent_id if a.intent_id is not None else UNASSIGNED for a in found]
    pairs = Counter(
        (t, p) for t, p in zip(truth, predicted, strict=True) if p not in (t, UNASSIGNED)
    )
    result = AssignResult(
        labels=len(set(data.labels)),
        shots=shots,
        seed=seed,
        threshold=threshold,
        k=k,
        method=method,
        examples=len(train),
        overall=_figures(truth, predicted),
        confused=[(t, p, n) for (t, p), n in sorted(pairs.items(), key=lambda x: (-x[1], x[0]))][
            :top_confused
        ],
        gate=raw,
        examples_lang=examples_lang,
    )
    if data.languages is not None:
        langs = np.asarray(data.languages)[test]
        for lang in sorted(set(langs.tolist())):
            pick = np.flatnonzero(langs == lang)
            result.languages[lang] = _figures(
                [truth[i] for i in pick], [predicted[i] for i in pick]
            )
    return result


# --- discover ------------------------------------------------------------------------------------


@dataclass
class ClusterFigures:
    """How one clustering compares with the true labels."""

    method: str
    nmi: float
    ari: float
    accuracy: float
    clusters: int
    outliers: float


@dataclass
class DiscoverResult:
    """What ``vocmine eval --mode discover`` measured."""

    texts: int
    labels: int
    seed: int
    methods: list[ClusterFigures]
    languages: dict[str, list[ClusterFigures]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return asdict(self)


def clustering_accuracy(truth: Sequence[Any], found: Sequence[Any]) -> float:
    """Share of texts whose cluster maps to their label under the best one-to-one matching.

    The matching is the Hungarian algorithm on the cluster x label contingency table; with more
    clusters than labels, the texts of unmatched clusters count as wrong.

    Example:
        >>> clustering_accuracy(["a", "a", "b", "b"], [1, 1, 1, 0])
        0.75
    """
    from scipy.optimize import linear_sum_assignment

    labels = {v: i for i, v in enumerate(sorted(set(truth), key=str))}
    clusters = {v: i for i, v in enumerate(sorted(set(found), key=str))}
    table = np.zeros((len(clusters), len(labels)), dtype=np.int64)
    for t, f in zip(truth, found, strict=True):
        table[clusters[f], labels[t]] += 1
    rows, cols = linear_sum_assignment(table, maximize=True)
    return float(table[rows, cols].sum() / len(truth))


def score_clustering(method: str, truth: Sequence[str], found: np.ndarray) -> ClusterFigures:
    """NMI, ARI and Hungarian accuracy of ``found`` against ``truth``.

    Outliers (-1) count as one more cluster, as they would for a reader of the clusters.
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return ClusterFigures(
        method=method,
        nmi=float(normalized_mutual_info_score(truth, found)),
        ari=float(adjusted_rand_score(truth, found)),
        accuracy=clustering_accuracy(truth, found.tolist()),
        clusters=len({int(c) for c in found.tolist() if c != -1}),
        outliers=float(np.mean(found == -1)),
    )


def bertopic_defaults(texts: Sequence[str], vectors: np.ndarray, *, seed: int) -> np.ndarray:
    """Topics of plain BERTopic (its default UMAP and HDBSCAN), with UMAP seeded."""
    from bertopic import BERTopic
    from umap import UMAP

    # BERTopic's own default UMAP, plus the seed: the only change.
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "n_jobs overridden by random_state": on purpose
        topics, _ = BERTopic(umap_model=umap).fit_transform(list(texts), vectors)
    return np.asarray(topics, dtype=np.int64)


def kmeans_true_k(vectors: np.ndarray, k: int, *, seed: int) -> np.ndarray:
    """KMeans given the true number of labels: a reference that knows what discovery must find."""
    from sklearn.cluster import KMeans

    return np.asarray(KMeans(n_clusters=k, random_state=seed, n_init=10).fit_predict(vectors))


def evaluate_discover(
    vectors: np.ndarray,
    data: LabelledSet,
    *,
    seed: int,
    baselines: bool = True,
    on_step: Callable[[str], None] | None = None,
) -> DiscoverResult:
    """Cluster without labels, then score vocmine and the two baselines against the labels."""
    from vocmine.themes.calibrate import clustering_space, corpus_scale
    from vocmine.themes.clustering import ThemeClusterer

    def step(name: str) -> None:
        if on_step is not None:
            on_step(name)

    runs: list[tuple[str, np.ndarray]] = []
    step("vocmine")
    # No taxonomy here: the merge threshold is calibrated on random pairs of the texts.
    space, merge = clustering_space(
        vectors, corpus_scale(vectors, seed=seed), ThemeClusterer().merge_similarity, seed=seed
    )
    runs.append(("vocmine", ThemeClusterer(seed=seed, merge_similarity=merge).fit(space).labels_))
    if baselines:
        step("BERTopic defaults")
        runs.append(("BERTopic defaults", bertopic_defaults(data.texts, vectors, seed=seed)))
        step("KMeans, true k")
        k = len(set(data.labels))
        runs.append((f"KMeans, true k={k}", kmeans_true_k(vectors, k, seed=seed)))
    result = DiscoverResult(
        texts=len(data.texts),
        labels=len(set(data.labels)),
        seed=seed,
        methods=[score_clustering(name, data.labels, found) for name, found in runs],
    )
    if data.languages is not None:
        langs = np.asarray(data.languages)
        for lang in sorted(set(data.languages)):
            pick = np.flatnonzero(langs == lang)
            truth = [data.labels[i] for i in pick]
            result.languages[lang] = [
                score_clustering(name, truth, found[pick]) for name, found in runs
            ]
    return result
