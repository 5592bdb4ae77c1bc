"""``vocmine eval``: reading labelled files, the figures, the command and its errors."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.conftest import FAKE_MODEL
from vocmine.cli.app import app
from vocmine.errors import ConfigError, InputError
from vocmine.themes.evaluate import (
    LabelledSet,
    clustering_accuracy,
    draw_examples,
    evaluate_assign,
    read_labelled,
    score_clustering,
)

runner = CliRunner()

# Three intents, each said 12 ways, in two languages; written for these tests.
PHRASES = {
    "refund": ["where is my refund", "refund not received", "I want my refund back"],
    "password": ["reset my password", "forgot my password", "password reset link broken"],
    "delivery": ["parcel delivery is late", "delivery never arrived", "late delivery again"],
}
FRENCH = {
    "refund": "où est mon remboursement",
    "password": "mot de passe oublié",
    "delivery": "livraison en retard",
}
ENDINGS = ["", " please", " today", " help"]


def rows() -> list[dict[str, str]]:
    out = []
    for label, phrases in PHRASES.items():
        for ending in ENDINGS:
            for phrase in phrases:
                out.append({"text": phrase + ending, "intent": label, "lang": "en"})
            out.append({"text": FRENCH[label] + ending, "intent": label, "lang": "fr"})
    return out


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    (tmp_path / "vocmine.toml").write_text(
        f'[embedding]\nmodel = "{FAKE_MODEL}"\n\n[assign]\nthreshold = 0.2\nk = 1\n',
        encoding="utf-8",
    )
    path = tmp_path / "intents.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["text", "intent", "lang"])
        writer.writeheader()
        writer.writerows(rows())
        writer.writerow({"text": "", "intent": "refund", "lang": "en"})  # skipped: no text
    return path


# --- reading ---------------------------------------------------------------------------------


def test_read_labelled_csv_counts_skipped_rows(labelled: Path) -> None:
    data = read_labelled(labelled, text_col="text", label_col="intent", lang_col="lang")
    assert len(data.texts) == 48 and data.skipped == 1
    assert data.labels[0] == "refund" and data.languages is not None
    assert data.languages.count("fr") == 12


def test_read_labelled_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "turns.json"  # DSTC11's predictions file: JSON lines named .json
    path.write_text(
        '{"utterance": "hi", "reference_label": "greet"}\n\n'
        '{"utterance": "bye", "reference_label": "leave"}\n',
        encoding="utf-8",
    )
    data = read_labelled(path, text_col="utterance", label_col="reference_label")
    assert (data.texts, data.labels, data.languages) == (["hi", "bye"], ["greet", "leave"], None)


def test_a_missing_column_lists_the_columns(labelled: Path) -> None:
    with pytest.raises(InputError) as err:
        read_labelled(labelled, text_col="utterance", label_col="intent")
    assert str(err.value) == (
        f"{labelled} has no column 'utterance' (--text-col); its columns: text, intent, lang"
    )


def test_a_line_that_is_not_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"t": "a", "l": "b"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"x.jsonl:2 is not JSON"):
        read_labelled(path, text_col="t", label_col="l")


# --- figures -----------------------------------------------------------------------------------


def test_clustering_accuracy_matches_clusters_to_labels_one_to_one() -> None:
    assert clustering_accuracy(["a", "a", "b", "b"], [1, 1, 0, 0]) == 1.0
    assert clustering_accuracy(["a", "a", "b", "b"], [1, 1, 1, 0]) == 0.75
    # Four clusters for two labels: two clusters stay unmatched and their texts count as wrong.
    assert clustering_accuracy(["a", "a", "b", "b"], [0, 1, 2, 3]) == 0.5


def test_score_clustering_counts_outliers_apart() -> None:
    figures = score_clustering("x", ["a", "a", "b", "b"], np.array([0, 0, 1, -1]))
    assert figures.clusters == 2 and figures.outliers == 0.25
    perfect = score_clustering("x", ["a", "a", "b"], np.array([5, 5, 2]))
    assert (perfect.nmi, perfect.ari, perfect.accuracy) == (1.0, 1.0, 1.0)


def test_draw_examples_is_seeded_and_leaves_one_text_per_label() -> None:
    labels = ["a"] * 5 + ["b"] * 2 + ["c"]
    first = draw_examples(labels, shots=3, seed=1)
    assert first.tolist() == draw_examples(labels, shots=3, seed=1).tolist()
    drawn = [labels[i] for i in first]
    assert drawn.count("a") == 3 and drawn.count("b") == 1 and drawn.count("c") == 1
    assert draw_examples(labels, shots=3, seed=2).tolist() != first.tolist()
    with pytest.raises(ConfigError, match="--shots 0"):
        draw_examples(labels, shots=0, seed=1)


def test_evaluate_assign_counts_unassigned_as_wrong() -> None:
    vectors = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0.6, 0.8], [-0.6, 0.8]], dtype=np.float32)
    data = LabelledSet(["a1", "a2", "b1", "b2", "c1", "c2"], ["a", "a", "b", "b", "c", "c"], None)
    result = evaluate_assign(vectors, data, shots=1, seed=0, threshold=0.9, k=1)
    assert result.examples == 3 and result.overall.texts == 3
    # Whichever c is the example, the other c scores at most 0.8 < 0.9: unassigned, so wrong.
    assert result.overall.unassigned == pytest.approx(1 / 3)
    assert result.overall.accuracy == pytest.approx(2 / 3)


def test_more_shots_than_texts_keep_one_text_per_label_to_test() -> None:
    vectors = np.eye(4, dtype=np.float32)
    data = LabelledSet(["a1", "a2", "b1", "b2"], ["a", "a", "b", "b"], None)
    result = evaluate_assign(vectors, data, shots=100, seed=0, threshold=0.5, k=1)
    assert (result.examples, result.overall.texts) == (2, 2)
    alone = LabelledSet(["a1", "b1"], ["a", "b"], None)
    with pytest.raises(ConfigError, match="uses every text as an example"):
        evaluate_assign(vectors[:2], alone, shots=1, seed=0, threshold=0.5, k=1)


# --- the command -------------------------------------------------------------------------------


def test_eval_assign_prints_accuracy_and_confusions(labelled: Path) -> None:
    result = runner.invoke(
        app,
        ["eval", str(labelled), "--text-col", "text", "--label-col", "intent", "--shots", "2"],
    )
    assert result.exit_code == 0, result.output
    assert re.match(
        r"3 labels, 2 examples each \(6 in all, seed 42\), 42 texts assigned; method auto, "
        r"threshold 0.2 \(similarity floor 0\.\d{4} on this model\), k 1; 1 rows skipped\n",
        result.output,
    )
    assert "accuracy %" in result.output and "macro-F1 %" in result.output
    assert "most confused (true -> assigned: texts):\n  delivery -> password: 3\n" in result.output


def test_eval_assign_json_with_languages(labelled: Path) -> None:
    args = ["eval", str(labelled), "--text-col", "text", "--label-col", "intent"]
    result = runner.invoke(app, [*args, "--shots", "2", "--lang-col", "lang", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["file"] == "intents.csv" and data["skipped"] == 1
    assert set(data["languages"]) == {"en", "fr"}
    assert data["languages"]["en"]["texts"] + data["languages"]["fr"]["texts"] == 42
    overall = data["overall"]
    assert 0.5 < overall["accuracy"] <= 1.0  # trigram vectors separate these phrases well
    assert set(overall) == {"texts", "accuracy", "macro_f1", "unassigned"}
    for pair in data["confused"]:
        assert pair["true"] != pair["predicted"] and pair["count"] > 0
    # Same seed, same figures.
    again = runner.invoke(app, [*args, "--shots", "2", "--lang-col", "lang", "--json"])
    assert again.output == result.output


def test_eval_embeds_once_into_the_cache(labelled: Path, tmp_path: Path) -> None:
    from tests.conftest import HashingEmbedder

    args = ["eval", str(labelled), "--text-col", "text", "--label-col", "intent"]
    cache = tmp_path / "vectors.db"
    assert runner.invoke(app, [*args, "--cache", str(cache)]).exit_code == 0
    assert sum(HashingEmbedder.calls) == 48 and cache.exists()
    assert runner.invoke(app, [*args, "--cache", str(cache)]).exit_code == 0
    assert sum(HashingEmbedder.calls) == 48


def test_eval_discover_compares_with_the_baselines(labelled: Path) -> None:
    result = runner.invoke(
        app,
        [
            "eval",
            str(labelled),
            "--text-col",
            "text",
            "--label-col",
            "intent",
            "--mode",
            "discover",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["texts"], data["labels"]) == (48, 3)
    methods = {m["method"]: m for m in data["methods"]}
    assert set(methods) == {"vocmine", "BERTopic defaults", "KMeans, true k=3"}
    assert methods["KMeans, true k=3"]["clusters"] == 3
    assert methods["vocmine"]["outliers"] == 0.0  # every text is put in a theme
    for m in methods.values():
        assert 0.0 <= m["nmi"] <= 1.0 and -1.0 <= m["ari"] <= 1.0 and 0 < m["accuracy"] <= 1


def test_eval_discover_table_per_language(labelled: Path) -> None:
    result = runner.invoke(
        app,
        [
            "eval",
            str(labelled),
            "--text-col",
            "text",
            "--label-col",
            "intent",
            "--mode",
            "discover",
            "--no-baselines",
            "--lang-col",
            "lang",
        ],
    )
    assert result.exit_code == 0, result.output
    for title in ("discovery (all)", "discovery (en)", "discovery (fr)"):
        assert title in result.output
    assert "BERTopic" not in result.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--mode", "guess"], "error: --mode 'guess': use assign or discover"),
        (
            ["--shots", "0"],
            "error: --shots 0: need at least one example per label, e.g. --shots 10",
        ),
    ],
)
def test_bad_options_are_one_line_errors(labelled: Path, extra: list[str], message: str) -> None:
    result = runner.invoke(
        app, ["eval", str(labelled), "--text-col", "text", "--label-col", "intent", *extra]
    )
    assert result.exit_code == 2
    assert result.output.strip() == message


def test_a_missing_file_is_a_one_line_error(labelled: Path) -> None:
    result = runner.invoke(app, ["eval", "nope.csv", "--text-col", "t", "--label-col", "l"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: file not found: nope.csv; check the path"


def test_examples_in_one_language_assign_the_others(labelled: Path) -> None:
    """--examples-lang en: English examples only; the French figures are English -> French."""
    args = ["eval", str(labelled), "--text-col", "text", "--label-col", "intent"]
    args += ["--shots", "2", "--lang-col", "lang"]
    result = runner.invoke(app, [*args, "--examples-lang", "en", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["examples_lang"] == "en" and data["examples"] == 6
    assert data["languages"]["fr"]["texts"] == 12  # every French text is assigned, none drawn
    assert data["languages"]["en"]["texts"] == 36 - 6
    assert 0.0 < data["gate"] < 1.0
    shown = runner.invoke(app, [*args, "--examples-lang", "en"])
    assert "(6 in all, in en, seed 42)" in shown.output
    unknown = runner.invoke(app, [*args, "--examples-lang", "de"])
    assert unknown.exit_code == 2
    assert "--examples-lang 'de': no text has it; the file's: en, fr" in unknown.output
    plain = ["eval", str(labelled), "--text-col", "text", "--label-col", "intent"]
    no_column = runner.invoke(app, [*plain, "--examples-lang", "en"])
    assert no_column.exit_code == 2 and "--examples-lang needs --lang-col" in no_column.output
