"""``[assign] method = "finetune"``: the model tuned on the taxonomy's examples, cached by taxonomy.

These tests tune the real bundled model for a few steps (seconds): what is checked is the
plumbing (cache by content, one model kept, vectors under their own id, re-assignment after an
edit, eval), not the accuracy gain, which ``bench/tune_assign.py --finetune`` measures.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from vocmine.cli.app import app
from vocmine.config import AssignConfig
from vocmine.errors import ConfigError
from vocmine.store.store import open_store
from vocmine.themes import finetune
from vocmine.themes.embed import BUNDLED_MODEL, get_embedder
from vocmine.themes.finetune import (
    TUNED_MARK,
    pair_batches,
    tuned_embedder,
    tuned_key,
    tuned_model_id,
)

runner = CliRunner()
EXAMPLES = [
    ("refund", "where is my refund"),
    ("refund", "my refund never arrived"),
    ("refund", "I want my money back"),
    ("login", "I cannot log in"),
    ("login", "the login code never arrives"),
    ("login", "locked out of my account"),
    ("ads", "too many ads"),
    ("ads", "an ad plays after every screen"),
]
TEXTS = ["refund still not received", "can't sign in anymore", "the adverts are unbearable"]


def test_pairs_take_two_distinct_examples_of_one_intent_per_intent() -> None:
    batches = pair_batches(EXAMPLES, steps=5, seed=0)
    intent_of = {text: intent for intent, text in EXAMPLES}
    assert len(batches) == 5
    for anchors, positives in batches:
        assert len(anchors) == len(positives) == 3
        assert sorted(intent_of[a] for a in anchors) == ["ads", "login", "refund"]
        for a, p in zip(anchors, positives, strict=True):
            assert a != p and intent_of[a] == intent_of[p]
    assert pair_batches(EXAMPLES, steps=5, seed=0) == batches
    assert pair_batches(EXAMPLES, steps=5, seed=1) != batches


def test_pairs_need_two_intents_with_two_examples() -> None:
    with pytest.raises(ConfigError, match='method = "auto"'):
        pair_batches([("a", "x"), ("a", "y"), ("b", "z")], steps=1, seed=0)


def test_large_taxonomies_are_sampled_per_step() -> None:
    many = [(f"i{n:03d}", f"text {n} {m}") for n in range(100) for m in range(2)]
    anchors, _ = pair_batches(many, steps=1, seed=0)[0]
    assert len(anchors) == finetune.MAX_INTENTS_PER_STEP


def test_key_follows_every_input_but_not_the_order() -> None:
    key = tuned_key(BUNDLED_MODEL, EXAMPLES, steps=10, seed=1)
    assert tuned_key("all-MiniLM-L6-v2", list(reversed(EXAMPLES)), steps=10, seed=1) == key
    changed = [
        tuned_key(BUNDLED_MODEL, EXAMPLES[:-1], steps=10, seed=1),
        tuned_key(BUNDLED_MODEL, [*EXAMPLES[:-1], ("login", "too many ads")], steps=10, seed=1),
        tuned_key(BUNDLED_MODEL, EXAMPLES, steps=11, seed=1),
        tuned_key(BUNDLED_MODEL, EXAMPLES, steps=10, seed=2),
        tuned_key("other/model", EXAMPLES, steps=10, seed=1),
    ]
    assert key not in changed and len(set(changed)) == len(changed)
    assert tuned_model_id("all-MiniLM-L6-v2", key) == f"{BUNDLED_MODEL}{TUNED_MARK}{key}"


def test_tuned_model_is_trained_once_deterministic_and_different(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trained: list[Path] = []
    real_train = finetune.train

    def counting(*args: object, **kwargs: object) -> None:
        trained.append(kwargs["out"])  # type: ignore[arg-type]
        real_train(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(finetune, "train", counting)
    first = tuned_embedder(BUNDLED_MODEL, EXAMPLES, folder=tmp_path / "a", steps=3, seed=7)
    again = tuned_embedder(BUNDLED_MODEL, EXAMPLES, folder=tmp_path / "a", steps=3, seed=7)
    assert len(trained) == 1 and again.model_id == first.model_id
    twin = tuned_embedder(BUNDLED_MODEL, EXAMPLES, folder=tmp_path / "b", steps=3, seed=7)
    assert len(trained) == 2
    np.testing.assert_array_equal(first.embed(TEXTS), twin.embed(TEXTS))
    base = get_embedder(BUNDLED_MODEL).embed(TEXTS)
    assert np.abs(first.embed(TEXTS) - base).max() > 1e-3  # the weights did move

    # A changed taxonomy trains a new model and removes the old one (90 MB each).
    other = tuned_embedder(BUNDLED_MODEL, EXAMPLES[1:], folder=tmp_path / "a", steps=3, seed=7)
    assert len(trained) == 3
    assert [p.name for p in (tmp_path / "a").iterdir()] == [other.model_id.split(TUNED_MARK)[1]]


def test_an_interrupted_training_leaves_no_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dying(step: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        tuned_embedder(
            BUNDLED_MODEL,
            EXAMPLES,
            folder=tmp_path / "models",
            steps=2,
            seed=0,
            start_progress=lambda total: dying,
        )
    assert list((tmp_path / "models").iterdir()) == []


def test_config_accepts_finetune_and_checks_steps() -> None:
    assert AssignConfig(method="finetune", finetune_steps=5).finetune_steps == 5
    with pytest.raises(ConfigError, match="finetune_steps"):
        AssignConfig(method="finetune", finetune_steps=0)


def _tuned_models(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT DISTINCT model FROM embeddings ORDER BY model").fetchall()
    conn.close()
    return [r[0] for r in rows if TUNED_MARK in r[0]]


def test_assign_then_taxonomy_edit_with_a_tuned_model(project: Path) -> None:
    (project / "vocmine.toml").write_text(
        '[assign]\nmethod = "finetune"\nfinetune_steps = 2\n', encoding="utf-8"
    )
    csv = project / "reviews.csv"
    csv.write_text(
        "id,text,date\n"
        "1,Way too many ads,2026-10-01\n"
        "2,The app crashes on start,2026-10-02\n"
        "3,my bank transfer never arrived,2026-10-03\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", "file", str(csv), "--kind", "review"])
    assert result.exit_code == 0, result.output
    db = project / "vocmine.db"
    models = project / "vocmine.db.models"
    [first] = _tuned_models(db)
    assert [p.name for p in models.iterdir()] == [first.split(TUNED_MARK)[1]]

    store = open_store(db)
    from vocmine.config import load_config
    from vocmine.taxonomy.model import load_taxonomy
    from vocmine.themes.assign import configured_key

    cfg = load_config(project / "vocmine.toml")
    key = configured_key(load_taxonomy(cfg.taxonomy), cfg)
    assert not store.items_needing_assignment(key)  # every item assigned from tuned vectors
    store.close()
    again = runner.invoke(app, ["assign"])
    assert again.exit_code == 0 and "assigned 0 items" in again.output

    edit = runner.invoke(
        app,
        ["taxonomy", "add-examples", "ads.too_many_ads", "adverts everywhere", "--lang", "en",
         "--reason", "test"],
    )  # fmt: skip
    assert edit.exit_code == 0, edit.output
    assert 'method "finetune"' in edit.output and "re-assigned 3 items" in edit.output
    [second] = _tuned_models(db)  # the old model's vectors are gone with it
    assert second != first
    assert [p.name for p in models.iterdir()] == [second.split(TUNED_MARK)[1]]


def test_eval_with_finetune_tunes_once(tmp_path: Path) -> None:
    (tmp_path / "vocmine.toml").write_text(
        '[assign]\nmethod = "finetune"\nfinetune_steps = 2\n', encoding="utf-8"
    )
    path = tmp_path / "intents.csv"
    lines = ["text,intent"] + [f'"{text}",{intent}' for intent, text in EXAMPLES]
    lines += ['"refund please",refund', '"cannot log in today",login', '"ads again",ads']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["eval", str(path), "--text-col", "text", "--label-col", "intent", "--shots", "2"]
    args += ["--json", "--cache", str(tmp_path / "cache.db")]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    figures = json.loads(first.output)
    assert figures["method"] == "finetune" and figures["examples"] == 6
    assert figures["overall"]["texts"] == 5
    model_dir = next((tmp_path / "cache.db.models").iterdir())
    mtime = model_dir.stat().st_mtime_ns
    second = runner.invoke(app, args)
    assert second.exit_code == 0 and json.loads(second.output) == figures
    assert model_dir.stat().st_mtime_ns == mtime  # not trained again


def test_a_model_that_cannot_be_loaded_is_a_clear_error(tmp_path: Path) -> None:
    from vocmine.errors import ModelError

    with pytest.raises(ModelError, match='method = "auto"'):
        tuned_embedder(str(tmp_path / "no-such-model"), EXAMPLES, folder=tmp_path / "m", steps=1)
