"""How ThemeClusterer's defaults were chosen: a grid on the development sets, printed.

Development sets: DSTC11 insurance (``development``) and Bitext's balanced 8k file. Banking and
finance are held out: run them with ``vocmine eval`` only (see docs/quality.md).

    .venv/bin/python bench/tune_discover.py [--cache PATH] [insurance] [bitext8k]

Reads ``../shared/data`` (skips politely when it is absent); vectors come from the eval cache
(default ~/.cache/vocmine/eval-vectors.db) and are computed once when missing.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from vocmine.clustering import ThemeClusterer, merge_close, normalised, reassign_outliers
from vocmine.embed import BUNDLED_MODEL
from vocmine.evaluate import embed_texts

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SETS = {
    "insurance": ("dstc11_intent_clustering/development_test-utterances.jsonl", "intent"),
    "bitext8k": ("bitext_customer_support/bitext_8k_customer_service_utterances.csv", "intent"),
}


def load(name: str) -> tuple[list[str], list[str]]:
    rel, label = SETS[name]
    path = DATA / rel
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig") as fh:
            rows = [(r["utterance"], r[label]) for r in csv.DictReader(fh)]
    else:
        with path.open(encoding="utf-8") as fh:
            rows = [(r["utterance"], r[label]) for r in map(json.loads, fh) if r]
    return [t for t, _ in rows], [x for _, x in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=list(SETS), choices=list(SETS))
    parser.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache/vocmine/eval-vectors.db"
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return
    for name in args.sets:
        texts, labels = load(name)
        vectors = normalised(embed_texts(texts, cache=args.cache, model=BUNDLED_MODEL))
        print(f"{name}: {len(texts)} texts, {len(set(labels))} labels", flush=True)
        for dims, share in itertools.product([5, 10], [0.002, 0.005, 0.01]):
            start = time.perf_counter()
            clusterer = ThemeClusterer(
                n_components=dims, min_cluster_share=share, merge_similarity=1
            )
            raw = clusterer.fit(vectors).raw_labels_
            joined = reassign_outliers(vectors, raw)
            print(
                f"  dims={dims} share={share}: HDBSCAN {raw.max() + 1} clusters, "
                f"{np.mean(raw == -1):.0%} outliers, {time.perf_counter() - start:.0f} s"
            )
            for similarity in [0.6, 0.65, 0.7, 0.75, 0.8]:
                found = merge_close(vectors, joined, similarity=similarity)
                print(
                    f"    merge at {similarity}: {len(set(found.tolist()))} clusters, "
                    f"NMI {normalized_mutual_info_score(labels, found):.3f}, "
                    f"ARI {adjusted_rand_score(labels, found):.3f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
