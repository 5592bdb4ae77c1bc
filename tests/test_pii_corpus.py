"""Planted personal values (tests/pii_corpus.py) never come out: not from redact(), not from
anything the CLI writes (database, reports, exports, proposals, borderline list)."""

from __future__ import annotations

import csv
import re
import sqlite3
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from vocmine.cli.app import app
from vocmine.prepare.clean import clean_lines, collapse_whitespace, replace_lone_name_line
from vocmine.prepare.redact import redact

from .pii_corpus import (
    BODY,
    KINDS,
    LANGUAGES,
    PHONE_COUNTRIES,
    TYPES,
    Planted,
    build_corpus,
    leaked,
)

CORPUS = build_corpus(seed=15)


def redacted(planted: Planted) -> str:
    """The text as normalise() redacts it: cleaned, a lone last-line name marked, then redact()."""
    lines = clean_lines(planted.text, kind=planted.kind)
    return redact(collapse_whitespace(replace_lone_name_line(lines)))


def test_corpus_covers_every_type_language_and_kind() -> None:
    assert len(CORPUS) >= 500
    cells = Counter((p.type, p.language, p.kind) for p in CORPUS)
    assert len(cells) == len(TYPES) * len(LANGUAGES) * len(KINDS)
    phones = {p.form for p in CORPUS if p.type == "phone"}
    assert phones == set(PHONE_COUNTRIES)
    assert build_corpus(seed=15) == CORPUS  # seeded
    assert all(leaked(p, p.text) for p in CORPUS)  # the check would see every value


def test_redact_leaks_no_planted_value() -> None:
    leaks = [
        (p.type, p.language, p.kind, p.value, redacted(p)) for p in CORPUS if leaked(p, redacted(p))
    ]
    assert leaks == []


def test_redaction_keeps_the_feedback_around_the_value() -> None:
    # Over-redaction is preferred to leaks, but the complaint itself must stay readable.
    lost = [
        (planted.id, body, redacted(planted))
        for planted in CORPUS
        for body in BODY[planted.language]
        if body[1:] in planted.text and body[1:] not in redacted(planted)
    ]
    assert lost == []


def test_cli_outputs_leak_no_planted_value(project: Path) -> None:
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    outputs: dict[str, str] = {}
    for kind in KINDS:
        path = project / f"{kind}s.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "date", "content"])
            for index, planted in enumerate(p for p in CORPUS if p.kind == kind):
                writer.writerow(
                    [planted.id, f"2026-10-{1 + index % 28:02d} 10:00:00", planted.text]
                )
        outputs[f"ingest {kind}"] = run(
            "ingest", "file", path.name, "--kind", kind, "--text-col", "content", "--id-col", "id"
        )
    conn = sqlite3.connect(project / "vocmine.db")
    try:
        items = conn.execute("SELECT external_id, text, COALESCE(extra, '') FROM items").fetchall()
    finally:
        conn.close()
    assert len(items) == len(CORPUS)
    outputs["database items"] = "\n".join(f"{text}\n{extra}" for _, text, extra in items)

    reports = project / "out"
    run("report", "--month", "2026-10", "--out", str(reports), "--format", "html")
    outputs["report md"] = (reports / "2026-10.md").read_text(encoding="utf-8")
    html = next(reports.glob("*.html")).read_text(encoding="utf-8")
    # Embedded charts are base64: "/Ana+" in there is noise, not a name.
    outputs["report html"] = re.sub(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", "", html)
    run("export", "--month", "2026-10", "--out", str(project / "e.csv"))
    outputs["export csv"] = (project / "e.csv").read_text(encoding="utf-8")
    run("export", "--month", "2026-10", "--out", str(project / "e.parquet"))
    import pyarrow.parquet as pq

    table = pq.read_table(project / "e.parquet").to_pylist()
    outputs["export parquet"] = "\n".join(str(row) for row in table)
    outputs["discover"] = run("discover", "--all", "--month", "2026-10")
    outputs["proposals"] = "\n".join(
        path.read_text(encoding="utf-8") for path in (project / "taxonomy/proposals").glob("*.yaml")
    )
    outputs["assign --borderline"] = run("assign", "--borderline", "50")

    assert "[PHONE]" in outputs["database items"] and "[NAME]" in outputs["export csv"]
    leaks = [
        (where, p.type, p.value)
        for where, text in outputs.items()
        for p in CORPUS
        if leaked(p, text)
    ]
    assert leaks == []
