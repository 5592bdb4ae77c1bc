"""The monthly report: Markdown for Product, with charts, redacted and escaped quotes.

Everything in the report is derived from the database and the taxonomy: no wall-clock time, sorted
iteration, deterministic charts. The same database and taxonomy give a byte-identical report.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from vocmine.config import Config
from vocmine.errors import ConfigError, VocmineError
from vocmine.metrics import (
    ThemeStats,
    compute,
    coverage,
    database_counts,
    load_items,
    month_window,
    rejects_summary,
)
from vocmine.store import Store
from vocmine.taxonomy import Taxonomy

# drafter(kind, facts) -> text or None: optional writing help (issue 5b's [llm] module).
Drafter = Callable[[str, dict[str, Any]], str | None]
SPARKS = "▁▂▃▄▅▆▇█"
KIND_LABEL = {
    "ticket": "support ticket",
    "csat": "CSAT comment",
    "review": "store review",
    "survey": "survey answer",
}
# Models trained on English only: a report warns when much feedback is in other languages.
ENGLISH_ONLY_MODELS = {"sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"}

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# "!" needs no escape once "[" has one (no image can start); "@" and "#" would become GitHub
# mentions and issue links.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#&$@])")


def escape_md(text: str, *, inline: bool = False) -> str:
    """Make user text inert in Markdown and HTML: no links, images, tags, emphasis or tables.

    URLs become ``[link]`` (they can carry personal tokens and would be auto-linked); every
    character that Markdown or HTML could interpret is backslash-escaped; line breaks are folded.

    Example:
        >>> escape_md("![x](http://evil) <b>hi</b>")
        '\\\\!\\\\[x\\\\](\\\\[link\\\\] \\\\<b\\\\>hi\\\\</b\\\\>'
    """
    text = " ".join(text.split())
    text = _URL.sub("\x00link\x01", text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("\x00link\x01", "\\[link\\]")
    if inline:  # inside a sentence, "4.12.0" cannot start a numbered list
        return text
    # A quote must not start a list, heading or numbered item when it stands on its own line.
    return re.sub(r"^([-+=]|\d+[.)])", r"\\\1", text)


def month_name(month: str) -> str:
    """'2026-10' -> 'October 2026'."""
    year, mon = month.split("-")
    return f"{calendar.month_name[int(mon)]} {year}"


def spark(values: list[int]) -> str:
    """A text sparkline scaled to the largest value: [1, 4, 8] -> '▁▄█'."""
    top = max(values) if values else 0
    if top == 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[round(v / top * (len(SPARKS) - 1))] for v in values)


def pct(value: float | None, digits: int = 1) -> str:
    """0.1234 -> '12.3%'; None -> 'n/a'."""
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"


def change(now: float, before: float) -> str:
    """Relative change as text: '+107%', '−12%', 'new' when there was nothing before."""
    if before == 0:
        return "new" if now else "—"
    delta = (now - before) / before
    if round(delta, 2) == 0:
        return "0%"
    return f"{delta:+.0%}".replace("-", "−")


def p_text(p: float) -> str:
    """A p- or q-value for readers: '< 0.001' rather than '0.000'."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def months_text(n: int) -> str:
    """'month' for 1, '3 months' otherwise."""
    return "month" if n == 1 else f"{n} months"


def pp(now: float, before: float) -> str:
    """Change of a share in percentage points: '+4.4 pp'."""
    delta = round(100 * (now - before), 1)
    return "0.0 pp" if delta == 0 else f"{delta:+.1f} pp".replace("-", "−")


def table(headers: list[str], rows: list[list[str]], align: str) -> str:
    """A GFM table, padded so that it also reads as plain text. ``align``: one 'l' or 'r' a column."""
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: list[str]) -> str:
        padded = [
            c.ljust(w) if a == "l" else c.rjust(w)
            for c, w, a in zip(cells, widths, align, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (w - 1) + (":" if a == "r" else "-") for w, a in zip(widths, align, strict=True)]
    return "\n".join([line(headers), "| " + " | ".join(rule) + " |", *(line(r) for r in rows)])


@dataclass(frozen=True)
class Quote:
    """A short redacted quote and where it comes from."""

    text: str
    kind: str
    source: str
    language: str
    date: str


def pick_quotes(frame: pd.DataFrame, intent_id: str, month: str, n: int) -> list[Quote]:
    """The ``n`` most representative short quotes of a theme, from distinct users and sources.

    Representative = closest to the centre of the theme's items this month (column
    ``centrality``, cosine similarity to their mean vector), or, without that column, highest
    assignment score. Variety: one quote per user, no two quotes that start alike, and sources
    and languages taken in turn where possible.

    Example:
        >>> [q.source for q in pick_quotes(frame, "app.crash", "2026-10", 3)]
        ['play', 'appstore', 'zendesk']
    """
    mine = frame[(frame["intent_id"] == intent_id) & (frame["month"] == month)]
    mine = mine[mine["text"].str.len().between(20, 280)]
    key = "centrality" if "centrality" in mine.columns else "score"
    mine = mine.sort_values([key, "id"], ascending=[False, True])
    chosen: list[pd.Series] = []
    users: set[str] = set()
    starts: set[str] = set()
    # Passes from strictest to loosest: a new source and a new language, then either, then any.
    for wanted in (2, 1, 0):
        for _, row in mine.iterrows():
            if len(chosen) >= n:
                break
            start = re.sub(r"\W+", "", row["text"].lower())[:30]
            user = row["user_hash"] if isinstance(row["user_hash"], str) else f"item{row['id']}"
            if start in starts or user in users:
                continue
            novelty = (row["source"] not in {c["source"] for c in chosen}) + (
                row["language"] not in {c["language"] for c in chosen}
            )
            if novelty < wanted:
                continue
            chosen.append(row)
            users.add(user)
            starts.add(start)
    return [
        Quote(
            text=_shorten(r["text"]),
            kind=r["kind"],
            source=r["source"],
            language=r["language"],
            date=r["created_at"][:10],
        )
        for r in chosen
    ]


def _shorten(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def add_centrality(frame: pd.DataFrame, store: Store, model: str, month: str) -> pd.DataFrame:
    """Add ``centrality``: each item's cosine similarity to its theme's mean vector this month.

    Uses the vectors cached in the store (no model is loaded). Items of other months get NaN.
    """
    out = frame.copy()
    out["centrality"] = np.nan
    now = out[out["month"] == month]
    if now.empty:
        return out
    vectors = store.vectors(model, now["text_hash"].tolist())
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1.0, norms)
    intents = now["intent_id"].to_numpy()
    sims = np.zeros(len(now))
    for intent in sorted(set(intents)):
        rows = intents == intent
        centre = vectors[rows].mean(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        sims[rows] = vectors[rows] @ centre
    # Rounded: the order of quotes must not hinge on the last bits of a float sum.
    out.loc[now.index, "centrality"] = np.round(sims, 6)
    return out


def quotable(users: int, minimum: int) -> bool:
    """Whether a theme may be quoted: at least ``minimum`` distinct users wrote about it.

    Below that, a quote could point at one person; the theme is counted but not quoted.
    """
    return users >= minimum


@dataclass(frozen=True)
class Proposal:
    """A pending proposal from ``vocmine discover`` (taxonomy/proposals/YYYY-MM.yaml)."""

    month: str
    key: str
    suggestion: str
    id: str
    name: str
    category: str
    keywords: list[str]
    size: int
    users: int
    growth: dict[str, int]
    nearest_intent: str
    nearest_similarity: float
    quotes: list[dict[str, str]]


def load_proposals(folder: Path, month: str) -> list[Proposal] | None:
    """Pending proposals of ``month`` and earlier months, newest month first; None: no folder.

    Raises:
        VocmineError: A proposals file is not valid YAML or not in the expected shape.
    """
    if not folder.is_dir():
        return None
    from ruamel.yaml import YAML, YAMLError

    found = []
    for path in sorted(folder.glob("*.yaml"), reverse=True):
        if not re.fullmatch(r"\d{4}-\d{2}", path.stem) or path.stem > month:
            continue
        try:
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
            found += [_proposal(path.stem, p) for p in data.get("proposals") or []]
        except (YAMLError, AttributeError, TypeError, ValueError, KeyError) as exc:
            raise VocmineError(
                f"{path} is not a proposals file ({type(exc).__name__}: "
                f"{str(exc).strip().splitlines()[0]}); "
                "re-run 'vocmine discover' or move the file away"
            ) from None
    return [p for p in found if p is not None]


def _proposal(month: str, raw: dict[str, Any]) -> Proposal | None:
    if raw.get("status", "pending") != "pending":
        return None
    return Proposal(
        month=month,
        key=str(raw["key"]),
        suggestion=str(raw.get("suggestion", "new_intent")),
        id=str(raw.get("id", "")),
        name=str(raw.get("name", "")),
        category=str(raw.get("category", "")),
        keywords=[str(k) for k in raw.get("keywords") or []],
        size=int(raw.get("size", 0)),
        users=int(raw.get("users", 0)),
        growth={str(k): int(v) for k, v in (raw.get("growth") or {}).items()},
        nearest_intent=str(raw.get("nearest_intent", "")),
        nearest_similarity=float(raw.get("nearest_similarity", 0.0)),
        quotes=[{str(k): str(v) for k, v in q.items()} for q in raw.get("quotes") or []],
    )


@dataclass(frozen=True)
class ReportInputs:
    """What a report is made from."""

    store: Store
    taxonomy: Taxonomy
    config: Config
    month: str
    assign_key: str
    command: str
    drafter: Drafter | None = field(default=None, compare=False)


def validate_month(month: str) -> str:
    """Check 'YYYY-MM'. Raises ConfigError with the expected form."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ConfigError(f"--month {month!r} is not a month; use the form YYYY-MM, e.g. 2026-10")
    return month


def _load_month(inputs: ReportInputs, month: str) -> tuple[pd.DataFrame, list[str]]:
    """The items of the report's months, starting at the first month that has data."""
    months = month_window(month, inputs.config.report.months)
    frame = load_items(inputs.store, months, assign_key=inputs.assign_key, taxonomy=inputs.taxonomy)
    if not (frame["month"] == month).any():
        stored = [
            r[0]
            for r in inputs.store.conn.execute("SELECT DISTINCT month FROM items ORDER BY month")
        ]
        hint = f"months with data: {', '.join(stored)}" if stored else "the database is empty"
        raise VocmineError(f"no feedback stored for {month} ({hint}); run 'vocmine ingest' first")
    # Months before the first stored feedback are "no data", not zero: trends start with the data.
    with_data = set(frame["month"])
    months = months[next(i for i, m in enumerate(months) if m in with_data) :]
    return frame[frame["month"].isin(months)], months


def build_report(inputs: ReportInputs, out_dir: Path) -> tuple[str, list[Path]]:
    """Compute the metrics, draw the charts into ``out_dir/<month>/`` and render the Markdown.

    Returns:
        The Markdown text and the chart files written.

    Raises:
        VocmineError: No item is stored for the month.
    """
    from vocmine import charts, report_md
    from vocmine.embed import canonical_model_id

    month = validate_month(inputs.month)
    frame, months = _load_month(inputs, month)
    cfg = inputs.config.report
    metrics = compute(
        frame,
        inputs.taxonomy,
        month=month,
        months=months,
        coverage=coverage(inputs.store, months),
        weights=(cfg.weight_volume, cfg.weight_growth, cfg.weight_impact),
        cost_per_contact=cfg.cost_per_contact,
    )
    model = canonical_model_id(inputs.config.embedding.model)
    frame = add_centrality(frame, inputs.store, model, month)
    names = {i.id: i.name for i in inputs.taxonomy.intents}
    problems = [t for t in metrics.themes if t.count > 0 and _is_problem(inputs, t)]
    top = problems[: cfg.top]
    paths = charts.draw_all(
        metrics,
        names,
        out_dir / month,
        top=top,
        problems={i.id for i in inputs.taxonomy.intents if i.type == "problem"},
    )
    context = report_md.Context(
        inputs=inputs,
        metrics=metrics,
        frame=frame,
        rejects=rejects_summary(inputs.store),
        db_counts=database_counts(inputs.store),
        charts={p.stem: p.relative_to(out_dir) for p in paths},
        proposals=load_proposals(inputs.taxonomy.root / "proposals", month),
    )
    return report_md.render(context), paths


def _is_problem(inputs: ReportInputs, theme: ThemeStats) -> bool:
    return inputs.taxonomy.intent(theme.intent_id).type == "problem"


def direction(theme: ThemeStats) -> str:
    """'rising', 'falling' or 'stable (within noise)' against the baseline (see metrics.verdict)."""
    return "stable (within noise)" if theme.verdict == "stable" else theme.verdict


def generate(
    store: Store,
    *,
    config: Config,
    taxonomy: Taxonomy,
    month: str,
    out_dir: Path | None = None,
    command: str | None = None,
    drafter: Drafter | None = None,
) -> Path:
    """Bring assignments up to date, then write the month's report; returns the Markdown's path.

    Assignments are recomputed only when the taxonomy, model or thresholds changed since they
    were made, from cached vectors; the model is loaded only if something has no vector yet.

    Args:
        command: The command line shown in the run record; default the canonical
            ``vocmine report --month M`` (no paths, so that the report stays byte-identical).
        drafter: Optional writing help, called as ``drafter("summary", facts)`` and
            ``drafter("proposal", facts)`` with figures and redacted quotes only; its text is
            shown escaped and marked as drafted by a language model.

    Example:
        >>> generate(store, config=cfg, taxonomy=load_taxonomy(cfg.taxonomy), month="2026-10")
        PosixPath('reports/2026-10.md')
    """
    validate_month(month)
    command = command or f"vocmine report --month {month}"
    with store.recorded_run(command, {"month": month}) as run:
        path = _generate(
            store,
            config=config,
            taxonomy=taxonomy,
            month=month,
            out_dir=out_dir,
            command=command,
            drafter=drafter,
        )
        run.counts["report"] = str(path)
    return path


def _generate(
    store: Store,
    *,
    config: Config,
    taxonomy: Taxonomy,
    month: str,
    out_dir: Path | None,
    command: str,
    drafter: Drafter | None,
) -> Path:
    from vocmine.assign import configured_key
    from vocmine.pipeline import embed_and_assign

    embed_and_assign(store, config=config, taxonomy=taxonomy)
    key = configured_key(taxonomy, config)
    inputs = ReportInputs(
        store=store,
        taxonomy=taxonomy,
        config=config,
        month=month,
        assign_key=key,
        command=command,
        drafter=drafter,
    )
    return write_report(inputs, out_dir or config.reports)


def write_report(inputs: ReportInputs, out_dir: Path) -> Path:
    """Write ``out_dir/<month>.md`` and its charts; returns the Markdown file's path."""
    text, _ = build_report(inputs, out_dir)
    path = out_dir / f"{inputs.month}.md"
    path.write_text(text, encoding="utf-8")
    return path
