"""The README's "Your own data, day one" flow on real reviews, measured (issue 12).

    python bench/day_one_netflix.py --workdir /tmp/dayone            # init, ingest, draft, report
    python bench/day_one_netflix.py --workdir /tmp/dayone --from-draft   # reuse the ingested db
    python bench/day_one_netflix.py --workdir /tmp/dayone --from-draft --readme-review
    python bench/day_one_netflix.py --workdir /tmp/hs --data \
        ../shared/data/app_reviews_dated_en/disney_hotstar_google_play_reviews_2024.csv

What it does, through the real command line (a subprocess of the venv's ``vocmine``, so what is
measured is what a user runs): ``vocmine init`` and ``vocmine ingest file`` in
``WORKDIR/ingested`` (kept: embedding 15,600 reviews with MiniLM takes minutes), then on a
fresh copy of it in ``WORKDIR/run``: ``vocmine taxonomy draft``, the review commands given with
``--review`` (none by default; ``--readme-review`` takes the ``vocmine taxonomy`` commands of the
README's walk-through, so the figures in the README are those of its own commands),
``vocmine report --month`` and ``vocmine export --month``. It
prints the share of the month assigned, the top problem intents (the report's *Top problems*
in its order of priority; ``--rank count``: the problem intents with the most items) and writes, for each, ``--sample`` random items of the month
(``pandas.sample(random_state=7)`` on the export) into ``WORKDIR/spot_check_MONTH.md``, with the
intent's name and problem statement, to be read and judged on theme by a person.

The data stays where it is (``../shared/data`` beside the repository by default): nothing of it
is copied into the repository. Without the file the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "app_reviews_dated_en"
NETFLIX = DATA / "netflix_google_play_reviews_2024.csv"
# The column mapping of the Play review exports in ../shared/data (both files share it).
INGEST_FLAGS = [
    "--kind", "review", "--text-col", "content", "--id-col", "reviewId", "--date-col", "at",
    "--rating-col", "score", "--app-version-col", "appVersion",
]  # fmt: skip


def vocmine_binary() -> str:
    """The ``vocmine`` next to this Python (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "vocmine"
    return str(beside) if beside.exists() else (shutil.which("vocmine") or "vocmine")


class Runner:
    """Runs vocmine commands in a folder, counts them and times them."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.commands: list[tuple[str, float]] = []

    def __call__(self, args: list[str], cwd: Path) -> str:
        start = time.perf_counter()
        result = subprocess.run(
            [self.binary, *args], cwd=cwd, capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - start
        self.commands.append((" ".join(shlex.quote(a) for a in ["vocmine", *args]), seconds))
        print(f"  vocmine {' '.join(args)[:90]}  ({seconds:.0f} s)", flush=True)
        if result.returncode != 0:
            sys.exit(f"vocmine {' '.join(args)} failed ({result.returncode}):\n"
                     f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")  # fmt: skip
        return result.stdout


def ingested(run: Runner, data: Path, workdir: Path, *, reuse: bool) -> Path:
    """``WORKDIR/ingested``: init + ingest, or the kept one when ``reuse`` and it is complete."""
    folder = workdir / "ingested"
    done = folder / ".ingested"
    if reuse and done.exists():
        print(f"reusing the ingested project in {folder}")
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    workdir.mkdir(parents=True, exist_ok=True)
    run(["init", str(folder)], cwd=workdir)
    run(["ingest", "file", str(data), *INGEST_FLAGS], cwd=folder)
    done.write_text("ok\n", encoding="utf-8")
    return folder


def spot_check(
    project: Path,
    export: Path,
    *,
    month: str,
    top: int,
    sample: int,
    seed: int,
    rank: str = "report",
) -> tuple[int, int, list[tuple[str, int]]]:
    """(assigned, items) of the month and the top problem intents (the report's first ``top``,
    or the largest with ``rank="count"``); writes the sample sheet."""
    import pandas as pd

    from vocmine.taxonomy.model import load_taxonomy

    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    frame = frame[frame["month"] == month]
    assigned = frame[frame["intent_id"] != "unassigned"]
    problems = assigned[assigned["intent_type"] == "problem"]
    counts = problems["intent_id"].value_counts()
    if rank == "report":  # what a product manager reads first: the report's order of priority
        order = report_order(project / "reports" / f"{month}.md")
        ranked = [(i, int(counts.get(i, 0))) for i in order][:top]
    else:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    taxonomy = load_taxonomy(project / "taxonomy")
    lines = [
        f"# Spot check, {month}: {sample} random items of each top problem intent",
        "",
        f"{len(assigned)} of {len(frame)} items assigned ({len(assigned) / max(len(frame), 1):.1%}).",
        f"Sample: pandas.sample({sample}, random_state={seed}) on `vocmine export --month {month}`.",
        "Mark each item on theme (y) or off theme (n) against the intent's name and problem.",
        "",
    ]
    for intent_id, n in ranked:
        intent = taxonomy.intent(intent_id)
        rows = problems[problems["intent_id"] == intent_id]
        picked = rows.sample(min(sample, len(rows)), random_state=seed)
        lines += [
            f"## {intent_id}: {intent.name} ({n} items)",
            "",
            f"Problem: {intent.problem}",
            "",
        ]
        for number, (_, row) in enumerate(picked.iterrows(), start=1):
            text = " ".join(str(row["text"]).split())
            lines.append(f"{number}. [{row['rating']}★ {float(row['score']):.2f}] {text}")
        lines.append("")
    sheet = project.parent / f"spot_check_{month}.md"
    sheet.write_text("\n".join(lines), encoding="utf-8")
    print(f"sample sheet: {sheet}")
    return len(assigned), len(frame), [(str(i), int(n)) for i, n in ranked]


def report_order(report: Path) -> list[str]:
    """Intent ids of the report's *Top problems*, in its order (the line under each heading)."""
    text = report.read_text(encoding="utf-8")
    section = text[text.index("## Top problems") :]
    section = section[: section.index("\n## ", 4)] if "\n## " in section[4:] else section
    return re.findall(r"^### \d+\. .*\n\n`([^`]+)`", section, flags=re.MULTILINE)


def readme_review(readme: Path = ROOT / "README.md") -> list[str]:
    """The ``vocmine taxonomy`` commands of the README's "Your own data, day one" block."""
    text = readme.read_text(encoding="utf-8")
    section = text[text.index("## Your own data, day one") :]
    block = section[section.index("```sh\n") + 6 :]
    lines = block[: block.index("```")].replace("\\\n", " ").splitlines()
    commands = [shlex.split(line, comments=True) for line in lines]
    return [
        shlex.join(words[1:])
        for words in commands
        if words[:2] == ["vocmine", "taxonomy"] and words[2] != "draft"
    ]


def missing_ids(review: list[str], project: Path) -> list[str]:
    """Intent ids named by ``review`` that the project's drafted taxonomy does not hold.

    The README's ids are those of the draft made where it was written. Another processor computes
    the model's vectors with other last bits, and UMAP turns that into other clusters, so the same
    file can draft other ids there (docs/quality.md, "the draft changes"); its review must then be
    redone by reading DRAFT.md, and a clear line says so rather than a failure at the first merge.
    """
    from vocmine.taxonomy.model import load_taxonomy

    known = {intent.id for intent in load_taxonomy(project / "taxonomy").intents}
    named: set[str] = set()
    for command in review:
        words = shlex.split(command)
        for before, word in zip(["", *words], words, strict=False):
            if not INTENT_ID.fullmatch(word):
                continue
            if before in ("add-intent", "--id"):  # an id the review creates
                known.add(word)
            else:
                named.add(word)
    return sorted(named - known)


INTENT_ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z0-9_]+")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=NETFLIX, help="the reviews CSV")
    parser.add_argument("--workdir", type=Path, required=True, help="where the projects go")
    parser.add_argument("--month", default="2024-08")
    parser.add_argument(
        "--from-draft", action="store_true",
        help="reuse WORKDIR/ingested (init + ingest done once) and start at the draft",
    )  # fmt: skip
    parser.add_argument(
        "--review", action="append", default=[],
        help="a review command to run after the draft, e.g. \"taxonomy retire X --reason R "
        "--no-reassign\" (repeat; 'vocmine assign' follows them)",
    )  # fmt: skip
    parser.add_argument(
        "--readme-review", action="store_true",
        help="run the review commands of the README's day-one walk-through (after any --review)",
    )  # fmt: skip
    parser.add_argument(
        "--draft-args",
        default="",
        help="extra flags for 'taxonomy draft', e.g. --draft-args='--examples 20'",
    )
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument(
        "--rank", choices=("report", "count"), default="report",
        help="top problems as the report ranks them (priority), or by their number of items",
    )  # fmt: skip
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = args.data.resolve()
    if not data.exists():
        print(f"skipped: {data} is not there (the data lives beside the repository)")
        return 0
    workdir = args.workdir.resolve()
    run = Runner(vocmine_binary())
    source = ingested(run, data, workdir, reuse=args.from_draft)
    project = workdir / "run"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(source, project, ignore=shutil.ignore_patterns(".ingested"))
    start = time.perf_counter()
    print(run(["taxonomy", "draft", *shlex.split(args.draft_args)], cwd=project))
    review = args.review + (readme_review() if args.readme_review else [])
    missing = missing_ids(review, project)
    if missing:
        sys.exit(
            f"this draft has no intent {', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}: "
            "the review names another draft's ids (vectors computed on another processor cluster "
            f"differently); read {project / 'taxonomy' / 'DRAFT.md'} and pass --review commands "
            "with this draft's ids"
        )
    for command in review:
        run(shlex.split(command), cwd=project)
    if args.review:  # the README's own flow leaves the one re-assignment to `report`
        run(["assign"], cwd=project)
    run(["report", "--month", args.month], cwd=project)
    export = project / "reports" / f"{args.month}-items.csv"
    run(["export", "--month", args.month, "--out", str(export)], cwd=project)
    os.environ.setdefault("VOCMINE_PROGRESS", "0")
    done, total, ranked = spot_check(
        project, export, month=args.month, top=args.top, sample=args.sample, seed=args.seed,
        rank=args.rank,
    )  # fmt: skip
    flow = [c for c, _ in run.commands if not c.startswith("vocmine export")]
    earlier = 2 if args.from_draft else 0  # init and ingest, run once before
    print(f"\nday-one commands: {len(flow) + earlier} (export is the measurement, not counted)")
    print(f"draft to export: {time.perf_counter() - start:.0f} s")
    print(f"assigned in {args.month}: {done} of {total} ({done / max(total, 1):.1%})")
    print("top problem intents:")
    for intent_id, n in ranked:
        print(f"  {intent_id}: {n} items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
