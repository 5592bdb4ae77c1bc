"""Benchmark: ingest, embed, assign and report on real Google Play reviews, with the real model.

Reads ../shared/data (third-party data, never copied into the project) when present; prints the
figures recorded in docs/benchmarks.md. Run: .venv/bin/python bench/bench_ingest.py [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = (
    ROOT.parent
    / "shared"
    / "data"
    / "app_reviews_dated_en"
    / "netflix_google_play_reviews_2024.csv"
)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0, help="first N rows only (0 = all)")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found (the shared evaluation data is not on this machine)")
        return 0
    from vocmine.config import load_config
    from vocmine.pipeline.ingest import ingest_source
    from vocmine.pipeline.update import embed_and_assign
    from vocmine.report.build import generate
    from vocmine.sources.files import ColumnMap, FileSource
    from vocmine.store.store import open_store
    from vocmine.taxonomy.model import load_taxonomy

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "reviews.csv"
        with (
            DATA.open(encoding="utf-8", newline="") as fin,
            src.open("w", encoding="utf-8", newline="") as fout,
        ):
            reader, writer = csv.reader(fin), csv.writer(fout)
            for i, row in enumerate(reader):
                if args.limit and i > args.limit:
                    break
                writer.writerow(row)
        cfg = load_config(None, db=Path(tmp) / "bench.db", taxonomy=ROOT / "taxonomy")
        taxonomy = load_taxonomy(cfg.taxonomy)
        store = open_store(cfg.db)
        source = FileSource(
            "play",
            [src],
            kind="review",
            columns=ColumnMap.from_mapping(
                {
                    "id": "reviewId",
                    "date": "at",
                    "text": "content",
                    "rating": "score",
                    "app_version": "appVersion",
                }
            ),
        )
        timings: dict[str, float] = {}
        t = time.perf_counter()
        run = store.start_run("bench", {})
        result = ingest_source(store, source, run_id=run)
        timings["read + clean + redact + language + store"] = time.perf_counter() - t
        t = time.perf_counter()
        embedded, assigned = embed_and_assign(store, config=cfg, taxonomy=taxonomy)
        timings["embed (incl. model load) + assign"] = time.perf_counter() - t
        t = time.perf_counter()
        run = store.start_run("bench", {})
        again = ingest_source(store, source, run_id=run)
        e2, a2 = embed_and_assign(store, config=cfg, taxonomy=taxonomy)
        timings["re-ingest of the same file"] = time.perf_counter() - t
        month = store.conn.execute(
            "SELECT month FROM items GROUP BY month ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]
        t = time.perf_counter()
        generate(store, config=cfg, taxonomy=taxonomy, month=month, out_dir=Path(tmp) / "reports")
        timings[f"report for {month}"] = time.perf_counter() - t
        db_mib = cfg.db.stat().st_size / 2**20
    items = result.new
    print(
        f"items stored: {items:,} (rejected {len(result.rejected)}), embedded {embedded:,}, "
        f"assigned {assigned:,}"
    )
    print(f"re-ingest: new {again.new}, embedded {e2}, assigned {a2}")
    for stage, seconds in timings.items():
        rate = f"  ({items / seconds:,.0f} items/s)" if "report" not in stage else ""
        print(f"{stage:45s} {seconds:8.1f} s{rate}")
    print(f"peak RSS {peak_rss_mib():,.0f} MiB; database {db_mib:,.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
