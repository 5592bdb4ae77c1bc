"""The company an item keeps: content-free neighbours keep it out of problem intents (issue 12)."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from vocmine.themes.company import (
    MIN_TEXTS,
    company_of,
    content_free,
    crowded,
    noise_company,
    share_of,
)
from vocmine.themes.gate import REASONS

from .helpers import assignments_by_text, intents_by_text


def test_content_free_texts_are_found_by_words_and_the_products_name() -> None:
    texts = ["Netflix is the best", "netflix crashes on my TV", "Netflix", "ok 👍", "no sound"]
    texts += ["netflix good"] * 3
    # "netflix" is in most texts and used in bare praise: it is the product's name, not content.
    assert content_free(texts).tolist() == [True, False, True, True, False, True, True, True]


def test_share_of_noisy_neighbours_excludes_the_item_itself() -> None:
    v = np.array([[1, 0], [0.95, 0.05], [0.9, 0.1], [0, 1], [0.05, 0.95]])
    noisy = np.array([False, True, True, False, False])
    assert noise_company(v, noisy, k=1).tolist() == [1.0, 1.0, 1.0, 0.0, 0.0]
    # Row 3's nearest is row 4 (clean; itself does not count), its second row 2 (noisy).
    assert noise_company(v, noisy, k=2).tolist() == [1.0, 1.0, 1.0, 0.5, 0.5]
    # With k=3 the first row's third neighbour is a clean row: 2 of 3.
    assert noise_company(v, noisy, k=3)[0] == pytest.approx(2 / 3)


def test_a_reference_sample_bounds_the_work_and_is_seeded() -> None:
    rng = np.random.default_rng(3)
    v = rng.normal(size=(300, 8))
    noisy = rng.random(300) < 0.3
    whole = noise_company(v, noisy, k=5)
    sampled = noise_company(v, noisy, k=5, reference=100)
    assert np.array_equal(sampled, noise_company(v, noisy, k=5, reference=100))
    assert not np.array_equal(whole, sampled)  # another pool, other neighbours
    assert np.all(sampled[noisy] == 1.0)
    # Neighbours in a sample of the same data are as noisy on average as in the whole.
    assert abs(whole[~noisy].mean() - sampled[~noisy].mean()) < 0.1


def test_crowded_refuses_only_problems_and_zero_turns_it_off() -> None:
    kinds = ["problem", "problem", "praise", "other", None]
    shares = [0.2, 0.1, 0.9, 0.9, 0.9]
    assert crowded(shares, kinds, noise_company=0.2) == [True, False, False, False, False]
    assert crowded(shares, kinds, noise_company=0.0) == [False] * 5


class CountingStore:
    """The part of Store that company_of reads, counting how often vectors and texts are read."""

    def __init__(self, texts: dict[str, str], vectors: dict[str, np.ndarray]) -> None:
        self.texts, self.vecs, self.saved, self.reads, self.text_reads = texts, vectors, {}, 0, 0

    def stored_hashes(self) -> list[str]:
        return sorted(self.texts)

    def texts_of(self, hashes: list[str]) -> dict[str, str]:
        self.text_reads += 1
        return {h: self.texts[h] for h in hashes}

    def missing_vectors(self, model: str, hashes: object) -> set[str]:
        return {h for h in self.texts if h not in self.vecs}

    def vectors(self, model: str, hashes: list[str]) -> np.ndarray:
        self.reads += 1
        return np.stack([self.vecs[h] for h in hashes])

    def meta(self, key: str) -> str | None:
        return self.saved.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self.saved[key] = value


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_shares_are_kept_until_the_stored_texts_change() -> None:
    rng = np.random.default_rng(0)
    words = ["good", "nice app", "app crashes", "no sound"]
    texts = {sha(f"{w} {i}"): f"{w} {i}" for w in words for i in range(60)}
    vectors = {h: rng.normal(size=4) for h in texts}
    store = CountingStore(texts, vectors)
    first = company_of(store, model_id="m")
    assert share_of(first, sha("good 1")) == 1.0  # content-free itself
    assert 0 < share_of(first, sha("app crashes 1")) < 1
    assert company_of(store, model_id="m") == first and store.reads == 1  # read back
    assert store.text_reads == 1  # ...from the hashes alone, no text read again
    store.texts[sha("login fails")] = "login fails"
    store.vecs[sha("login fails")] = rng.normal(size=4)
    company_of(store, model_id="m")
    assert store.reads == 2  # a new text: computed again
    company_of(store, model_id="other")
    assert store.reads == 3  # another model's vectors, other neighbours


def test_a_handful_of_texts_are_not_judged_by_their_company() -> None:
    """In 150 texts every text is among every other's nearest: the rule waits for more."""
    rng = np.random.default_rng(0)
    texts = {sha(f"good {i}"): f"good {i}" for i in range(MIN_TEXTS - 1)}
    texts[sha("app crashes")] = "app crashes"
    store = CountingStore(texts, {h: rng.normal(size=4) for h in texts})
    assert share_of(company_of(store, model_id="m"), sha("app crashes")) > 0
    del store.texts[sha("good 1")]
    assert company_of(store, model_id="m") == {}


def test_a_problem_among_content_free_texts_stays_unassigned(project: Path) -> None:
    """ "the app crashes" sits among "the app is great", "the app is bad"...: with the check on it
    takes no problem intent; a complaint among complaints keeps its intent either way."""
    from typer.testing import CliRunner

    from vocmine.cli.app import app

    feelings = [
        "great",
        "bad",
        "good",
        "nice",
        "cool",
        "super",
        "fine",
        "ok",
        "awful",
        "the",
        "best",
        "amazing",
        "terrible",
    ]
    noise = [f"the app is {how} {w}".replace("  ", " ") for how in ("", "so", "very", "really")
             for w in feelings]  # fmt: skip
    noise += [f"this app is {w}" for w in feelings] + ["the app", "the app lol"]
    months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
    ]
    clean = [f"toujours pas reçu mon virement de {m} {y}" for m in months for y in (2024, 2025)]
    clean += [f"mon virement de {m} n'est jamais arrivé" for m in months]
    clean += [f"commande {n} livrée cassée, je veux un remboursement" for n in range(150)]
    target, control = "the app crashes", "toujours pas reçu mon virement"
    with (project / "reviews.csv").open("w", encoding="utf-8", newline="") as f:
        rows = [[i, t, "2026-10-01"] for i, t in enumerate([*noise, *clean, target, control])]
        csv.writer(f).writerows([["id", "text", "date"], *rows])
    runner = CliRunner()
    result = runner.invoke(
        app, ["ingest", "file", str(project / "reviews.csv"), "--kind", "review"]
    )
    assert result.exit_code == 0, result.output

    def intents(setting: float) -> dict[str, str | None]:
        config = project / "vocmine.toml"
        base = config.read_text(encoding="utf-8").split("noise_company")[0]
        config.write_text(base + f"noise_company = {setting}\n", encoding="utf-8")
        result = runner.invoke(app, ["assign"])
        assert result.exit_code == 0, result.output
        return intents_by_text(project)

    loose = intents(0)
    assert loose[target] == "app.crash" and loose[control] == "cashout.bank_transfer_delay"
    strict = intents(0.2)
    assert strict[target] is None
    assert strict[control] == "cashout.bank_transfer_delay"
    # Why each item holds no intent is stored with it (and only then): here, its company.
    stored = assignments_by_text(project)
    assert stored[target] == (None, "company")
    assert all((intent is None) == (reason in REASONS) for intent, reason in stored.values())
    # ... and counted by reason in the report, and exported.
    assert runner.invoke(app, ["report", "--month", "2026-10"]).exit_code == 0
    report = (project / "reports" / "2026-10.md").read_text(encoding="utf-8")
    line = re.search(r"\*\*Unassigned:\*\* (\d+) of [\d,]+ items \([\d.]+%\): (.*?); they", report)
    assert line is not None, report
    parts = [re.match(r"(\d+) (.*)", part) for part in line.group(2).split(", ")]
    assert all(p is not None and p.group(2) in REASONS.values() for p in parts), line.group(2)
    assert sum(int(p.group(1)) for p in parts if p) == int(line.group(1))
    assert REASONS["company"] in line.group(2)
    out = project / "items.csv"
    assert runner.invoke(app, ["export", "--month", "2026-10", "--out", str(out)]).exit_code == 0
    exported = {
        r["text"]: r["unassigned_reason"] for r in csv.DictReader(out.open(encoding="utf-8"))
    }
    assert exported[target] == "company" and exported[control] == ""
    assert intents(0) == loose  # re-running with the check off gives the intent back
    assert assignments_by_text(project)[target] == ("app.crash", None)
