"""Benchmark: planted personal values that redaction leaks, per type and language.

Builds the seeded corpus of tests/pii_corpus.py (every type in fr/en/es/de, in tickets, reviews,
surveys and CSAT comments), redacts each text as normalise() does and counts the values still
there. The target is 0 leaks for every type the README claims. Prints a table; exits 1 on a leak.
Run: .venv/bin/python bench/pii_leaks.py [--seed 15] [--per-cell 3] [--show 5]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pii_corpus import LANGUAGES, TYPES, build_corpus, leaked  # noqa: E402
from vocmine.prepare.clean import (  # noqa: E402
    clean_lines,
    collapse_whitespace,
    replace_lone_name_line,
)
from vocmine.prepare.redact import redact  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--per-cell", type=int, default=3, help="values per type, language, kind")
    parser.add_argument("--show", type=int, default=5, help="leaked texts to print")
    args = parser.parse_args()
    corpus = build_corpus(seed=args.seed, per_cell=args.per_cell)
    planted: Counter[tuple[str, str]] = Counter()
    leaks: Counter[tuple[str, str]] = Counter()
    examples = []
    for item in corpus:
        text = redact(
            collapse_whitespace(replace_lone_name_line(clean_lines(item.text, kind=item.kind)))
        )
        planted[item.type, item.language] += 1
        if leaked(item, text):
            leaks[item.type, item.language] += 1
            examples.append((item, text))
    header = f"{'type':<10}" + "".join(f"{lang:>10}" for lang in LANGUAGES) + f"{'total':>12}"
    print(header)
    print("-" * len(header))
    for type_ in TYPES:
        cells = [f"{leaks[type_, lang]}/{planted[type_, lang]}" for lang in LANGUAGES]
        total = f"{sum(leaks[type_, lang] for lang in LANGUAGES)}/"
        total += str(sum(planted[type_, lang] for lang in LANGUAGES))
        print(f"{type_:<10}" + "".join(f"{cell:>10}" for cell in cells) + f"{total:>12}")
    print("-" * len(header))
    print(f"leaked/planted: {sum(leaks.values())}/{len(corpus)}")
    for item, text in examples[: args.show]:
        print(f"  leak {item.type}/{item.language}/{item.kind} {item.value!r}: {text!r}")
    return 1 if leaks else 0


if __name__ == "__main__":
    raise SystemExit(main())
