"""Benchmark: live sources through HTTP against the local fake server (no internet, no model).

Pulls N Google Play reviews (pages of 200), N Zendesk tickets (pages of 1000) and 500 App Store
reviews from tests/fake_server.py on 127.0.0.1, through the real HTTP client, normalisation and
page-by-page commits; then pulls again (nothing new). Prints items/s per source and pass.
Run: .venv/bin/python bench/bench_live.py [--n 5000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000, help="Play reviews and Zendesk tickets")
    args = parser.parse_args()
    from tests.fake_server import FakeServer, appstore_review, play_review, serve, ticket
    from vocmine.pipeline.ingest import ingest_source
    from vocmine.sources import build
    from vocmine.store.store import open_store

    fake = FakeServer(
        tickets=[ticket(n) for n in range(args.n, 0, -1)],
        ticket_page=1000,
        appstore={("1234567890", "fr"): [appstore_review(n) for n in range(500)]},
        play={"com.example.walk": [play_review(n) for n in range(args.n)]},
    )
    server = serve(fake)
    next(server)
    os.environ.setdefault("VOCMINE_ZENDESK_EMAIL", "bench@example.com")
    os.environ.setdefault("VOCMINE_ZENDESK_TOKEN", "bench")
    tables = {
        "play": {"type": "play", "apps": ["com.example.walk"], "locales": ["fr-FR"]},
        "appstore": {"type": "appstore", "apps": ["1234567890"], "countries": ["fr"]},
        "zendesk": {"type": "zendesk", "min_interval": 0},
    }
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        for attempt in ("first pull", "second pull (nothing new)"):
            for name, table in tables.items():
                source = build(name, {**table, "base_url": fake.url}, base_dir=Path(tmp))
                started = time.perf_counter()
                result = ingest_source(store, source, run_id=store.start_run("bench", {}))
                seconds = time.perf_counter() - started
                print(
                    f"{attempt:26} {name:9} read {result.read:6} new {result.new:6} "
                    f"in {seconds:6.2f} s = {result.read / seconds:7.0f} items/s"
                )
        store.close()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
