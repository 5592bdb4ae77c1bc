"""How ThemeClusterer's defaults were chosen: a grid on the development sets, printed.

Development sets: DSTC11 insurance (``development``) and the three Bitext files. Banking and
finance are held out: measure them with ``bench/quality.py`` or ``vocmine eval`` only (see
docs/quality.md).

    .venv/bin/python bench/tune_discover.py [--cache PATH] [insurance bitext8k bitext4514 bitext20k]

UMAP runs once per set (seeded, the clusterer's own settings); the grid then varies HDBSCAN's
smallest cluster (a share of the texts) and ``min_samples``, and the merge threshold. Each cell
is "clusters found / NMI / ARI" after outliers join their nearest centre. Reads
``../shared/data`` (skips politely when it is absent); vectors come from the eval cache (default
~/.cache/vocmine/eval-vectors.db) and are computed once when missing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from vocmine.themes.clustering import ThemeClusterer, merge_close, normalised, reassign_outliers
from vocmine.themes.embed import BUNDLED_MODEL
from vocmine.themes.evaluate import embed_texts, read_labelled

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SETS = {
    "insurance": ("dstc11_intent_clustering/development_test-utterances.jsonl", "utterance"),
    "bitext8k": ("bitext_customer_support/bitext_8k_customer_service_utterances.csv", "utterance"),
    "bitext4514": (
        "bitext_customer_support/bitext_official_repo_4514_with_responses.csv",
        "instruction",
    ),
    "bitext20k": ("bitext_customer_support/bitext_20k_utterances.csv", "utterance"),
}
SHARES = (0.002, 0.005, 0.01)
MIN_SAMPLES = (5, 10, 25)
MERGES = (0.6, 0.65, 0.7, 0.75)


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
        rel, text_col = SETS[name]
        data = read_labelled(DATA / rel, text_col=text_col, label_col="intent")
        vectors = normalised(embed_texts(data.texts, cache=args.cache, model=BUNDLED_MODEL))
        start = time.perf_counter()
        reduced = ThemeClusterer()._reduce(vectors)
        print(
            f"{name}: {len(data.texts)} texts, {len(set(data.labels))} labels, "
            f"UMAP {time.perf_counter() - start:.0f} s",
            flush=True,
        )
        for share in SHARES:
            for min_samples in MIN_SAMPLES:
                clusterer = ThemeClusterer(min_cluster_share=share, min_samples=min_samples)
                raw = clusterer._hdbscan(reduced, len(vectors))
                joined = reassign_outliers(vectors, raw)
                cells = []
                for similarity in MERGES:
                    found = merge_close(vectors, joined, similarity=similarity)
                    nmi = normalized_mutual_info_score(data.labels, found)
                    ari = adjusted_rand_score(data.labels, found)
                    cells.append(f"{similarity}: {len(set(found.tolist()))}/{nmi:.3f}/{ari:.3f}")
                print(
                    f"  share {share} min_samples {min_samples}: HDBSCAN {raw.max() + 1}, "
                    f"{np.mean(raw == -1):.0%} out | " + " | ".join(cells),
                    flush=True,
                )


if __name__ == "__main__":
    main()
