"""Benchmark: how long `vocmine report` takes on an ingested database, and that torch stays out.

Uses the demo project by default (run `make demo` first): 4,600 items over six months.

    .venv/bin/python bench/bench_report.py [--config vocmine.toml] [--month 2026-10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, default=Path("vocmine.toml"))
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    from vocmine.config import load_config
    from vocmine.report.build import generate
    from vocmine.store.store import open_store
    from vocmine.taxonomy.model import load_taxonomy

    cfg = load_config(args.config)
    if not cfg.db.exists():
        sys.exit(f"{cfg.db} does not exist: run 'make demo' first")
    store = open_store(cfg.db)
    taxonomy = load_taxonomy(cfg.taxonomy)
    print(f"imports, open database and taxonomy: {time.perf_counter() - start:.2f} s")
    items = store.conn.execute("SELECT COUNT(*) FROM items WHERE month = ?", (args.month,))
    print(f"items in {args.month}: {items.fetchone()[0]:,}")
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            path = generate(
                store, config=cfg, taxonomy=taxonomy, month=args.month, out_dir=Path(tmp)
            )
            charts = len(list((Path(tmp) / args.month).glob("*.png")))
            print(
                f"report run {run + 1}: {time.perf_counter() - t:.2f} s "
                f"({path.stat().st_size:,} bytes of Markdown, {charts} charts)"
            )
    print(f"torch imported: {'torch' in sys.modules}")
    store.close()


if __name__ == "__main__":
    main()
