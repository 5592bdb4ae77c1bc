"""Benchmark: a taxonomy edit re-assigns 20,000 stored items from cached vectors (goal: <= 3 s).

Builds a scratch project (a copy of the starter taxonomy, a database of ``--items`` items whose
vectors are cached), then times ``vocmine taxonomy rename`` and ``merge`` end to end in this
process: write the YAML, validate, record, re-assign every item, report the moves.

    .venv/bin/python bench/bench_taxonomy_edit.py [--items 20000] [--model fake|bundled]

``fake`` (default) is a hashing embedder with the bundled model's dimension (384), so the figure
measures vocmine and not the model; ``bundled`` embeds the items with the real model first
(minutes), then times the same edits.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FAKE = "bench/hashing-384"


class Hashing:
    """Bag of character trigrams hashed into 384 dimensions, L2-normalised."""

    def __init__(self, model_id: str, batch_size: int) -> None:
        self.model_id = model_id

    def embed(self, texts, *, progress=None):  # type: ignore[no-untyped-def]
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % 384] += 1.0
            out[row] /= max(float(np.linalg.norm(out[row])), 1e-9)
        if progress is not None:
            progress(len(texts))
        return out


def build(folder: Path, items: int, model: str) -> None:
    """A project with the starter taxonomy and ``items`` stored, embedded and assigned items."""
    from vocmine.config import load_config
    from vocmine.models import Item
    from vocmine.pipeline.update import embed_and_assign
    from vocmine.prepare.normalise import text_hash
    from vocmine.store.store import open_store
    from vocmine.taxonomy.model import load_taxonomy

    shutil.copytree(
        ROOT / "taxonomy", folder / "taxonomy", ignore=shutil.ignore_patterns("proposals")
    )
    (folder / "vocmine.toml").write_text(f'[embedding]\nmodel = "{model}"\n', encoding="utf-8")
    cfg = load_config(folder / "vocmine.toml")
    taxonomy = load_taxonomy(cfg.taxonomy)
    phrases = [(lang, t) for i in taxonomy.intents for lang, t in i.all_examples()]
    rng = np.random.default_rng(0)
    words = ["really", "again", "today", "since the update", "please fix", "every time", "ugh"]
    start = datetime(2026, 5, 1, tzinfo=UTC)
    store = open_store(cfg.db)
    rows = []
    for n in range(items):
        lang, phrase = phrases[int(rng.integers(len(phrases)))]
        text = f"{phrase} {words[int(rng.integers(len(words)))]} #{n % 997}"
        item = Item(
            source="bench", external_id=str(n), kind="review", text=text,
            text_hash=text_hash(text), created_at=start + timedelta(minutes=13 * n),
            language=lang, language_prob=0.99,
        )  # fmt: skip
        rows.append((item, item.text_hash))
    run_id = store.start_run("bench", {})
    with store.transaction():
        store.upsert_items(rows, run_id=run_id)
    store.finish_run(run_id, "ok", {})
    t = time.perf_counter()
    embed_and_assign(store, config=cfg, taxonomy=taxonomy)
    print(f"built {items:,} items (embedded and assigned) in {time.perf_counter() - t:.1f} s")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--model", choices=("fake", "bundled"), default="fake")
    parser.add_argument("--keep", type=Path, help="Build the project here and keep it.")
    args = parser.parse_args()
    from typer.testing import CliRunner

    from vocmine.cli.app import app
    from vocmine.themes.embed import register_embedder

    register_embedder(FAKE, Hashing)  # type: ignore[arg-type]
    model = FAKE if args.model == "fake" else "sentence-transformers/all-MiniLM-L6-v2"
    folder = args.keep or Path(tempfile.mkdtemp(prefix="vocmine-bench-edit-"))
    folder.mkdir(parents=True, exist_ok=True)
    build(folder, args.items, model)
    runner = CliRunner()
    config = str(folder / "vocmine.toml")
    edits = [
        ["taxonomy", "rename", "app.bug", "--name", "Bugs and glitches", "--reason", "bench"],
        ["taxonomy", "edit", "app.bug", "--problem", "Users hit bugs that block a feature.",
         "--reason", "bench"],
        ["taxonomy", "merge", "ads.rewarded_ad_failure", "ads.too_many_ads", "--reason", "b"],
        ["taxonomy", "add-examples", "app.crash", "--lang", "en", "it just quits", "--reason", "b"],
    ]  # fmt: skip
    worst = 0.0
    for edit in edits:
        t = time.perf_counter()
        result = runner.invoke(app, ["--config", config, *edit])
        seconds = time.perf_counter() - t
        worst = max(worst, seconds)
        last = [line for line in result.output.splitlines() if "re-assigned" in line]
        status = "ok" if result.exit_code == 0 else f"FAILED: {result.output.strip()}"
        print(f"{' '.join(edit[:3]):40s} {seconds:6.2f} s  {last[0] if last else ''} {status}")
    print(f"slowest edit: {worst:.2f} s for {args.items:,} items (goal: 3 s)")
    if args.keep is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
