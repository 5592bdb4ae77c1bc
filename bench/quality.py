"""Every figure of docs/quality.md, measured again and printed as its Markdown tables.

    .venv/bin/python bench/quality.py --mode assign      # about 2 minutes
    .venv/bin/python bench/quality.py --mode discover    # about 15 minutes on 2 cores
    .venv/bin/python bench/quality.py --mode assign --method finetune   # about 15 minutes
    .venv/bin/python bench/quality.py --cache /path/to/vectors.db

It runs what ``vocmine eval`` runs (the same library calls, the default [assign] threshold and k,
seed 42) on the labelled sets of ``../shared/data``, and skips politely when they are absent.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from vocmine.config import AssignConfig
from vocmine.themes.embed import BUNDLED_MODEL
from vocmine.themes.evaluate import (
    embed_texts,
    evaluate_assign,
    evaluate_discover,
    read_labelled,
    tuned_vectors,
)

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
BITEXT = "bitext_customer_support"
DSTC = "dstc11_intent_clustering"
# name, file, text column, label column, role
SETS = [
    ("Bitext 20k", f"{BITEXT}/bitext_20k_utterances.csv", "utterance", "intent", "dev"),
    ("Bitext 8k", f"{BITEXT}/bitext_8k_customer_service_utterances.csv", "utterance", "intent", "dev"),
    ("Bitext 4.5k", f"{BITEXT}/bitext_official_repo_4514_with_responses.csv", "instruction", "intent", "dev"),
    ("DSTC11 insurance", f"{DSTC}/development_test-utterances.jsonl", "utterance", "intent", "dev"),
    ("DSTC11 banking", f"{DSTC}/test-banking_test-utterances.jsonl", "utterance", "intent", "held out"),
    ("DSTC11 banking turns", f"{DSTC}/test-banking_task1_Baseline_predictions.json", "utterance", "reference_label", "held out"),
    ("DSTC11 finance", f"{DSTC}/test-finance_test-utterances.jsonl", "utterance", "intent", "held out"),
    ("DSTC11 finance turns", f"{DSTC}/test-finance_task1_Baseline_predictions.json", "utterance", "reference_label", "held out"),
]  # fmt: skip
ASSIGN_SETS = {
    "Bitext 20k", "Bitext 8k", "Bitext 4.5k", "DSTC11 insurance", "DSTC11 banking", "DSTC11 finance",
}  # fmt: skip


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def assign_table(cache: Path, shots: int, method: str) -> None:
    defaults = AssignConfig()
    print("| set | labels | texts assigned | accuracy | macro-F1 | unassigned | s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, rel, text, label, _role in SETS:
        if name not in ASSIGN_SETS:
            continue
        data = read_labelled(DATA / rel, text_col=text, label_col=label)
        start = time.perf_counter()
        if method == "finetune":  # tuned on this draw's examples, then every text embedded again
            vectors = tuned_vectors(
                data, shots=shots, seed=42, cache=cache, model=BUNDLED_MODEL,
                steps=defaults.finetune_steps,
            )  # fmt: skip
        else:
            vectors = embed_texts(data.texts, cache=cache, model=BUNDLED_MODEL)
        r = evaluate_assign(
            vectors,
            data,
            shots=shots,
            seed=42,
            threshold=defaults.threshold,
            k=defaults.k,
            method=method,
        )
        o = r.overall
        print(
            f"| {name} | {r.labels} | {o.texts:,} | {pct(o.accuracy)} | {pct(o.macro_f1)} | "
            f"{pct(o.unassigned)} | {time.perf_counter() - start:.0f} |",
            flush=True,
        )


def discover_table(cache: Path) -> None:
    print(
        "| set | role | texts | labels | method | clusters | NMI | ARI | accuracy | outliers | s |"
    )
    print("| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, rel, text, label, role in SETS:
        data = read_labelled(DATA / rel, text_col=text, label_col=label)
        start = time.perf_counter()
        vectors = embed_texts(data.texts, cache=cache, model=BUNDLED_MODEL)
        result = evaluate_discover(vectors, data, seed=42)
        seconds = time.perf_counter() - start
        for m in result.methods:
            print(
                f"| {name} | {role} | {result.texts:,} | {result.labels} | {m.method} | "
                f"{m.clusters} | {pct(m.nmi)} | {pct(m.ari)} | {pct(m.accuracy)} | "
                f"{pct(m.outliers)} | {seconds:.0f} |",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["assign", "discover", "all"], default="all")
    parser.add_argument("--shots", type=int, default=10)
    parser.add_argument(
        "--method",
        default=AssignConfig().method,
        choices=["auto", "logistic", "nearest", "finetune"],
    )
    parser.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache/vocmine/eval-vectors.db"
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return
    if args.mode in {"assign", "all"}:
        assign_table(args.cache, args.shots, args.method)
    if args.mode in {"discover", "all"}:
        discover_table(args.cache)


if __name__ == "__main__":
    main()
