"""Benchmark: export a month to CSV and Parquet, and render the month's report as HTML.

Works on an existing database (by default the demo's, `make demo` builds it) and writes only into
a temporary folder. Prints figures; asserts nothing.
Run: .venv/bin/python bench/bench_export.py [--db .demo/vocmine.db] [--month 2026-10]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=ROOT / ".demo" / "vocmine.db")
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--repeat", type=int, default=3, help="runs per format (best is shown)")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"skipped: {args.db} not found (run 'make demo' first, or pass --db)")
        return 0
    from vocmine.config import load_config
    from vocmine.report.build import generate
    from vocmine.report.export import Period, export_items
    from vocmine.report.html import write_html
    from vocmine.store.store import open_store
    from vocmine.taxonomy.model import load_taxonomy

    cfg = load_config(ROOT / "vocmine.toml", db=args.db)
    taxonomy = load_taxonomy(cfg.taxonomy)
    store = open_store(cfg.db)
    period = Period.month(args.month)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for fmt in ("csv", "parquet"):
            best = float("inf")
            for _ in range(args.repeat):
                t = time.perf_counter()
                result = export_items(
                    store, config=cfg, taxonomy=taxonomy, period=period, fmt=fmt, out=out
                )
                best = min(best, time.perf_counter() - t)
            size = result.path.stat().st_size / 2**20
            print(
                f"export {fmt:8s} {result.rows:6,} items  {best:6.2f} s  "
                f"({result.rows / best:,.0f} items/s)  {size:5.2f} MiB"
            )
        md = generate(store, config=cfg, taxonomy=taxonomy, month=args.month, out_dir=out)
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            page = write_html(md)
            best = min(best, time.perf_counter() - t)
        print(
            f"html report        {best:6.2f} s  {page.stat().st_size / 2**10:,.0f} KiB "
            f"(Markdown {md.stat().st_size / 2**10:,.0f} KiB + charts inlined)"
        )
    store.close()
    print(f"peak RSS {peak_rss_mib():,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
