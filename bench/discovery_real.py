"""Discovery on real app reviews (issue 12): a new user's first `vocmine discover`.

    python bench/discovery_real.py                       # Netflix, August 2024
    python bench/discovery_real.py --file disney_hotstar_google_play_reviews_2024.csv
    python bench/discovery_real.py --keep /tmp/nf        # keep the project (and reuse it next time)

What it does, as a new user would: `vocmine init` in a temporary folder (the starter taxonomy),
`vocmine ingest file` with the file's column mapping, then `vocmine discover --month`. It prints
every proposal (name, size, share of the clustered items, keywords), the noise buckets, the
largest share, and which of the issue's ten Netflix themes have a proposal of their own (a
proposal counts for a theme when one of its first five keywords names it; read the proposals
too: the check is a keyword match, not a judgement). The data stays in ../shared/data: nothing
is copied into the repository. Ingesting 15,600 reviews embeds them once (minutes on a laptop).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from ruamel.yaml import YAML
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "app_reviews_dated_en"

# The themes issue 12 names, each with the keywords that name it.
THEMES = {
    "household / password sharing": r"household|sharing|share",
    "ads in paid plans": r"ads?",
    "price": r"price|prices|expensive|cost|costly",
    "playback / video errors": r"play|playback|playing|black|video|sound|buffering|screen",
    "casting to TV": r"cast|casting|chromecast",
    "downloads": r"download|downloads|downloading|offline",
    "catalogue": r"catalog|catalogue|library|season|seasons|titles|available",
    "subtitles": r"subtitle|subtitles|captions",
    "dubbing / audio language": r"dub|dubbed|dubbing|hindi|tamil|language|audio",
    "login": r"login|log|sign|password|signin",
}


def run(args: list[str]) -> str:
    from vocmine.cli.app import app

    result = CliRunner().invoke(app, args)
    if result.exit_code != 0:
        sys.exit(f"vocmine {' '.join(args)} failed:\n{result.output}")
    return result.output


def project(folder: Path, file: Path) -> None:
    """init and ingest, unless the folder already holds an ingested project."""
    if (folder / "vocmine.db").exists():
        return
    run(["init", str(folder)])
    os.chdir(folder)
    run(
        [
            "ingest", "file", str(file), "--kind", "review", "--text-col", "content",
            "--id-col", "reviewId", "--date-col", "at", "--rating-col", "score",
            "--app-version-col", "appVersion",
        ]
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default="netflix_google_play_reviews_2024.csv")
    parser.add_argument("--month", default="2024-08")
    parser.add_argument("--keep", type=Path, help="project folder to keep and reuse")
    args = parser.parse_args()
    file = DATA / args.file
    if not file.exists():
        sys.exit(f"{file} is not here: this benchmark needs ../shared/data (see its README)")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        folder = (args.keep or Path(tmp) / "project").resolve()
        project(folder, file)
        os.chdir(folder)
        run(["discover", "--month", args.month])
        data = YAML(typ="safe").load((folder / f"taxonomy/proposals/{args.month}.yaml").read_text())
        report(data, args.file, args.month)


def report(data: dict, name: str, month: str) -> None:
    """Print the figures of one proposals file."""
    proposals = data["proposals"]
    clustered = data.get("clustered") or sum(p["size"] for p in proposals)
    buckets = data.get("buckets") or []
    aside = sum(b["size"] for b in buckets)
    print(f"{name}, {month}: {clustered + aside} items looked at (unassigned by the starter)")
    print(f"  set aside in buckets: {aside}")
    for b in buckets:
        print(f"    {b['name']:<27} {b['size']:>5}  e.g. {' | '.join(b['examples'])[:80]}")
    print(f"  clustered: {clustered}; proposals: {len(proposals)}")
    for p in proposals:
        share = 100 * p["size"] / clustered
        print(
            f"    {p['key']} {p['size']:>4} {share:5.1f}%  {p['name'][:40]:<40} "
            f"{', '.join(p['keywords'][:5])}"
        )
    largest = max((p["size"] for p in proposals), default=0)
    print(f"  largest proposal: {100 * largest / clustered:.1f}% of the clustered items")
    print("  issue 12's themes (a proposal whose first five keywords name it):")
    found = 0
    for theme, pattern in THEMES.items():
        hits = [
            p["key"] for p in proposals if any(re.fullmatch(pattern, k) for k in p["keywords"][:5])
        ]
        found += bool(hits)
        print(f"    {theme:<30} {', '.join(hits) or '-'}")
    print(f"  themes with a proposal: {found} of {len(THEMES)}")


if __name__ == "__main__":
    main()
