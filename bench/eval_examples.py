"""Assignment quality on examples/, against the generator's ground truth.

Ingest the examples first (``make demo``), then:
    .venv/bin/python bench/eval_examples.py [--db .demo/vocmine.db] [--k 3] [--method logistic]

Prints, for a range of thresholds: accuracy on items of taxonomy themes, the share of them left
unassigned, and how much off-topic noise and the emerging (not in the taxonomy) theme get wrongly
assigned; then per-language accuracy and the most confused pairs at the configured threshold.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CHANNEL = {"zendesk": "ticket", "csat_survey": "csat", "play": "play", "appstore": "appstore"}


def load_generator():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "examples" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate"] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=ROOT / ".demo" / "vocmine.db")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument(
        "--method", default="auto", choices=["auto", "logistic", "nearest", "finetune"]
    )
    args = parser.parse_args()
    from vocmine.config import load_config
    from vocmine.store.store import open_store
    from vocmine.taxonomy.model import load_taxonomy
    from vocmine.themes.assign import make_assigner, taxonomy_examples
    from vocmine.themes.embed import canonical_model_id

    gen = load_generator()
    truth = gen.labels()
    cfg = load_config(ROOT / "vocmine.toml", db=args.db)
    taxonomy = load_taxonomy(cfg.taxonomy)
    store = open_store(cfg.db)
    model = canonical_model_id(cfg.embedding.model)
    rows = store.conn.execute(
        "SELECT source, external_id, text_hash, language, text FROM items"
    ).fetchall()
    labels = [truth[(CHANNEL[s], e)] for s, e, *_ in rows]
    langs = [r[3] for r in rows]
    examples = taxonomy_examples(taxonomy)
    if args.method == "finetune":  # the model tuned on the taxonomy, as `vocmine assign` does
        from vocmine.themes.embed import embed_cached
        from vocmine.themes.finetune import models_folder, tuned_embedder

        tuned = tuned_embedder(
            model,
            [(i, t) for i, _, t in examples],
            folder=models_folder(cfg.db),
            steps=cfg.assign.finetune_steps,
        )
        model = tuned.model_id
        pairs = [(r[2], r[4]) for r in rows] + [(h, t) for _, h, t in examples]
        embed_cached(store, sorted(set(pairs)), embedder=tuned)
    vectors = store.vectors(model, [r[2] for r in rows])
    example_vectors = store.vectors(model, [h for _, h, _ in examples])
    example_labels = [i for i, _, _ in examples]
    known = set(example_labels)
    in_tax = np.array([lab in known for lab in labels])

    def run(threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """(predicted intent, assigned?) per item at this threshold."""
        assigner = make_assigner(threshold=threshold, k=args.k, method=args.method)
        found = assigner.fit(example_vectors, example_labels).predict(vectors)
        best = [a.intent_id if a.intent_id is not None else "" for a in found]
        return np.array(best), np.array([a.intent_id is not None for a in found])

    print(f"items {len(rows)}: {in_tax.sum()} of taxonomy themes, {(~in_tax).sum()} noise/emerging")
    print(f"method {args.method}, k {args.k}")
    print(f"{'threshold':>9} {'accuracy':>9} {'unassigned':>10} {'wrong':>6} {'noise kept':>10}")
    for threshold in np.arange(0.30, 0.71, 0.05):
        predicted, assigned = run(float(threshold))
        right = np.array([p == lab for p, lab in zip(predicted, labels, strict=True)])
        acc = (right & assigned & in_tax).sum() / in_tax.sum()
        unassigned = (~assigned & in_tax).sum() / in_tax.sum()
        wrong = (~right & assigned & in_tax).sum() / in_tax.sum()
        noise = (assigned & ~in_tax).sum() / (~in_tax).sum()
        print(f"{threshold:9.2f} {acc:9.1%} {unassigned:10.1%} {wrong:6.1%} {noise:10.1%}")
    predicted, assigned = run(cfg.assign.threshold)
    right = np.array([p == lab for p, lab in zip(predicted, labels, strict=True)])
    print(f"\nper language at threshold {cfg.assign.threshold} (accuracy / unassigned):")
    for lang in sorted(set(langs)):
        mask = in_tax & (np.array(langs) == lang)
        if mask.sum():
            print(
                f"  {lang:4s} n={mask.sum():5d}  {(right & assigned & mask).sum() / mask.sum():6.1%}"
                f"  {(~assigned & mask).sum() / mask.sum():6.1%}"
            )
    confused = Counter(
        (lab, p)
        for lab, p, a, r in zip(labels, predicted, assigned, right, strict=True)
        if a and not r and lab in known
    )
    print("\nmost confused (truth -> assigned):")
    for (lab, p), n in confused.most_common(12):
        print(f"  {n:4d}  {lab} -> {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
