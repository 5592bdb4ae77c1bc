"""Render the monthly report's Markdown, one small function per section."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from vocmine import __version__
from vocmine.embed import canonical_model_id
from vocmine.metrics import UNASSIGNED, Headline, MonthlyMetrics, ThemeStats
from vocmine.report import (
    ENGLISH_ONLY_MODELS,
    ReportInputs,
    change,
    escape_md,
    month_name,
    pct,
    pick_quotes,
    pp,
    significant,
    spark,
    table,
)

KIND_LABEL = {
    "ticket": "support ticket",
    "csat": "CSAT comment",
    "review": "store review",
    "survey": "survey answer",
}


@dataclass(frozen=True)
class Context:
    """Everything the renderer needs."""

    inputs: ReportInputs
    metrics: MonthlyMetrics
    frame: pd.DataFrame
    rejects: tuple[dict[str, int], list[tuple[str, str, str]]]
    db_counts: dict[str, Any]
    charts: list[Path]

    @property
    def now(self) -> Headline:
        return self.metrics.headlines[self.metrics.month]

    @property
    def before(self) -> Headline | None:
        months = self.metrics.months
        return self.metrics.headlines[months[-2]] if len(months) > 1 else None

    def name(self, intent_id: str) -> str:
        return self.inputs.taxonomy.intent(intent_id).name

    def problems(self) -> list[ThemeStats]:
        """Themes of type 'problem' seen this month, by priority."""
        types = {i.id: i.type for i in self.inputs.taxonomy.intents}
        return [t for t in self.metrics.themes if types[t.intent_id] == "problem" and t.count > 0]


def render(ctx: Context) -> str:
    """The whole report."""
    sections = [
        _title(ctx),
        _summary(ctx),
        _headline(ctx),
        _top_problems(ctx),
        _movers(ctx),
        _all_themes(ctx),
        _data_quality(ctx),
        _about(ctx),
    ]
    return "\n\n".join(s.rstrip() for s in sections) + "\n"


def _title(ctx: Context) -> str:
    m = ctx.metrics
    last = ctx.frame.loc[ctx.frame["month"] == m.month, "created_at"].max()[:10]
    return (
        f"# Voice of the user: {month_name(m.month)}\n\n"
        f"What users struggled with in {month_name(m.month)}, how often, and whether it is getting "
        f"worse. Built from {ctx.now.items:,} feedback items of the month (data up to {last}), "
        f"compared with {month_name(m.months[0])} to {month_name(m.months[-2])}."
    )


def _summary(ctx: Context) -> str:
    problems = ctx.problems()
    lines = ["## In one minute", ""]
    top = ", ".join(f"**{ctx.name(t.intent_id)}** ({t.count})" for t in problems[:3])
    lines.append(f"- **Top problems:** {top}.")
    rising = [t for t in problems if significant(t) and t.share > t.previous_share]
    falling = [t for t in ctx.metrics.themes if significant(t) and t.share < t.previous_share]
    rising.sort(key=lambda t: t.previous_share - t.share)
    falling.sort(key=lambda t: t.share - t.previous_share)
    lines.append(
        "- **Got worse:** "
        + (
            ", ".join(
                f"{ctx.name(t.intent_id)} ({t.previous} → {t.count}, {change(t.count, t.previous)})"
                for t in rising[:3]
            )
            or "no problem rose significantly"
        )
        + "."
    )
    lines.append(
        "- **Got better:** "
        + (
            ", ".join(
                f"{ctx.name(t.intent_id)} ({t.previous} → {t.count}, {change(t.count, t.previous)})"
                for t in falling[:3]
            )
            or "no theme fell significantly"
        )
        + "."
    )
    if ctx.before is not None and ctx.now.avg_rating and ctx.before.avg_rating:
        lines.append(
            f"- **Store rating:** {ctx.now.avg_rating:.2f}★ (was {ctx.before.avg_rating:.2f}★)."
        )
    lines.append(
        f"- **Not covered by the taxonomy:** {pct(ctx.now.unassigned / ctx.now.items)} "
        "of feedback (see Data quality)."
    )
    return "\n".join(lines)


def _rating(h: Headline) -> str:
    return f"{h.avg_rating:.2f}★ ({h.ratings:,})" if h.avg_rating else "n/a"


def _csat(h: Headline) -> str:
    return f"{pct(h.negative_csat)} ({h.csat_answers:,})"


def _unassigned_share(h: Headline) -> float:
    return h.unassigned / h.items if h.items else 0.0


def _headline_rows(now: Headline, before: Headline | None) -> list[list[str]]:
    b = before or Headline(0, {}, {}, {}, None, 0, None, 0, 0)
    rows = [["Feedback items", f"{now.items:,}", f"{b.items:,}", change(now.items, b.items)]]
    for source in sorted(set(now.by_source) | set(b.by_source)):
        n, p = now.by_source.get(source, 0), b.by_source.get(source, 0)
        rows.append([f"  from {source}", f"{n:,}", f"{p:,}", change(n, p)])
    rating_delta = "—"
    if now.avg_rating and b.avg_rating:
        rating_delta = f"{now.avg_rating - b.avg_rating:+.2f}".replace("-", "−")
    rows.append(["Average store rating (reviews)", _rating(now), _rating(b), rating_delta])
    csat_delta = "—"
    if now.negative_csat is not None and b.negative_csat is not None:
        csat_delta = pp(now.negative_csat, b.negative_csat)
    rows.append(["Negative CSAT (bad or 1-2/5)", _csat(now), _csat(b), csat_delta])
    u_now, u_before = _unassigned_share(now), _unassigned_share(b)
    rows.append(["Unassigned (no intent matched)", pct(u_now), pct(u_before), pp(u_now, u_before)])
    return rows


def _headline(ctx: Context) -> str:
    m = ctx.metrics
    prev = month_name(m.months[-2]) if len(m.months) > 1 else "—"
    out = [
        "## Headline figures",
        "",
        table(
            ["", month_name(m.month), prev, "Change"], _headline_rows(ctx.now, ctx.before), "lrrr"
        ),
    ]
    langs = ", ".join(
        f"{lang} {pct(n / ctx.now.items, 0)}" for lang, n in ctx.now.by_language.items()
    )
    kinds = ", ".join(f"{KIND_LABEL.get(k, k)}s {n:,}" for k, n in ctx.now.by_kind.items())
    out += [
        "",
        f"By kind: {kinds}.",
        "",
        f"By language: {langs} (`und`: too short to tell).",
        "",
        f"![Feedback received per month, by source]({ctx.charts[1].as_posix()})",
    ]
    return "\n".join(out)


def _evidence(ctx: Context, t: ThemeStats) -> str:
    prev = ctx.metrics.months[-2]
    rows = [
        ["Items", f"{t.count:,}", f"{t.previous:,}", change(t.count, t.previous)],
        [
            "Share of all feedback",
            pct(t.share),
            pct(t.previous_share),
            pp(t.share, t.previous_share),
        ],
        ["Distinct users", f"{t.users:,}", "", ""],
        ["Average rating", f"{t.avg_rating:.2f}★ ({t.ratings})" if t.avg_rating else "n/a", "", ""],
        [
            "Negative CSAT",
            f"{pct(t.negative_csat)} ({t.csat_answers})" if t.negative_csat is not None else "n/a",
            "",
            "",
        ],
    ]
    return table(["", month_name(ctx.metrics.month), month_name(prev), "Change"], rows, "lrrr")


def _quotes(ctx: Context, t: ThemeStats) -> list[str]:
    quotes = pick_quotes(ctx.frame, t.intent_id, ctx.metrics.month, ctx.inputs.config.report.quotes)
    return [
        f"> “{escape_md(q.text)}”  \n> — {KIND_LABEL.get(q.kind, q.kind)}, {q.source}, "
        f"{q.language}, {q.date}\n"
        for q in quotes
    ]


def _problem_section(ctx: Context, rank: int, t: ThemeStats) -> str:
    intent = ctx.inputs.taxonomy.intent(t.intent_id)
    history = " · ".join(f"{month_name(m)[:3]} {n}" for m, n in t.history.items())
    trend = "significant change" if significant(t) else "no significant change"
    sources = ", ".join(f"{s} {n}" for s, n in t.by_source.items())
    langs = ", ".join(f"{s} {n}" for s, n in t.by_language.items())
    lines = [
        f"### {rank}. {intent.name}",
        "",
        f"`{intent.id}` · {intent.category}",
        "",
        f"**Problem:** {intent.problem}",
        "",
        _evidence(ctx, t),
        "",
        f"Six months: {history}  {spark(list(t.history.values()))} "
        f"(month over month: {trend}, p = {t.p_value:.3f}).",
        "",
        f"Where it comes from: {sources}. Languages: {langs}.",
        "",
    ]
    return "\n".join(lines + _quotes(ctx, t))


def _top_problems(ctx: Context) -> str:
    top = ctx.problems()[: ctx.inputs.config.report.top]
    out = [
        "## Top problems",
        "",
        "Ranked by priority = items × (0.5 + negativity), where negativity is the share of "
        "1-2★ ratings and bad CSAT among the theme's rated items (smoothed; 0.5 when unrated).",
        "",
        f"![Share of all feedback of the top problems]({ctx.charts[0].as_posix()})",
        "",
    ]
    out += [_problem_section(ctx, i, t) for i, t in enumerate(top, 1)]
    return "\n".join(out)


def _movers(ctx: Context) -> str:
    themes = [t for t in ctx.metrics.themes if t.count + t.previous >= 10]
    rows = []
    for t in sorted(themes, key=lambda t: (-(t.share - t.previous_share), t.intent_id)):
        verdict = (
            ("rising" if t.share > t.previous_share else "falling")
            if significant(t)
            else "stable (within noise)"
        )
        rows.append(
            [
                ctx.name(t.intent_id),
                f"{t.previous} → {t.count}",
                f"{pct(t.previous_share)} → {pct(t.share)}",
                pp(t.share, t.previous_share),
                f"{t.p_value:.3f}",
                verdict,
            ]
        )
    picked = rows[:3] + [r for r in rows[-3:] if r not in rows[:3]]
    return "\n".join(
        [
            "## What rose and fell most",
            "",
            "Change of each theme's share of all feedback against last month; a change is called "
            "rising or falling only when a two-proportion z-test gives p < 0.05 and the count moved "
            "by 5 or more.",
            "",
            table(["Theme", "Items", "Share", "Change", "p", "Verdict"], picked, "lrrrrl"),
        ]
    )


def _all_themes(ctx: Context) -> str:
    rows = []
    by_id = {t.intent_id: t for t in ctx.metrics.themes}
    for cat_id, intents in ctx.inputs.taxonomy.by_category().items():
        for intent in intents:
            t = by_id[intent.id]
            rows.append(
                [
                    intent.name,
                    cat_id,
                    f"{t.count}",
                    pct(t.share),
                    change(t.count, t.previous),
                    spark(list(t.history.values())),
                ]
            )
    return "\n".join(
        [
            "## All themes",
            "",
            table(
                ["Theme", "Category", "Items", "Share", "vs last month", "6 months"], rows, "llrrrl"
            ),
        ]
    )


def _data_quality(ctx: Context) -> str:
    by_reason, listed = ctx.rejects
    now = ctx.now
    lines = ["## Data quality", ""]
    total = sum(by_reason.values())
    reasons = ", ".join(f"{n} {reason}" for reason, n in by_reason.items()) or "none"
    lines.append(f"- **Rows skipped at ingest (all files so far):** {total} ({reasons}).")
    for source, location, reason in listed[:10]:
        lines.append(f"  - `{escape_md(location)}` ({source}): {escape_md(reason)}")
    if len(listed) > 10:
        lines.append(
            f"  - … and {len(listed) - 10} more: `vocmine status --rejects` lists them all."
        )
    lines.append(
        f"- **Unassigned:** {now.unassigned:,} of {now.items:,} items "
        f"({pct(now.unassigned / now.items)}) matched no intent closely enough; "
        "they are counted in every share above."
    )
    langs = ", ".join(f"{k} {v:,}" for k, v in now.by_language.items())
    lines.append(f"- **Languages this month:** {langs}.")
    model = canonical_model_id(ctx.inputs.config.embedding.model)
    other = sum(v for k, v in now.by_language.items() if k not in ("en", "und"))
    if model in ENGLISH_ONLY_MODELS and other / now.items > 0.2:
        lines.append(
            f"- **Warning:** {pct(other / now.items, 0)} of this month's feedback is not in "
            f"English, and the embedding model ({model}) was trained on English. "
            "Assignment leans on the taxonomy's examples in each language; for better "
            "accuracy set `[embedding] model` to a multilingual model such as "
            "`sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2`."
        )
    return "\n".join(lines)


def _about(ctx: Context) -> str:
    tax = ctx.inputs.taxonomy
    cfg = ctx.inputs.config
    db = ctx.db_counts
    rows = [
        ["vocmine", __version__],
        ["Command", f"`{ctx.inputs.command}`"],
        ["Embedding model", canonical_model_id(cfg.embedding.model)],
        ["Taxonomy", f"{tax.name} {tax.version}, {len(tax.intents)} intents, hash {tax.hash[:12]}"],
        [
            "Assignment",
            f"nearest {cfg.assign.k} examples, threshold {cfg.assign.threshold}, "
            f"key {ctx.inputs.assign_key[:12]}",
        ],
        [
            "Database",
            f"{db['items']:,} items from {db['sources']} sources, "
            f"{db['first'][:10]} to {db['last'][:10]}, {db['rejects']} rejects",
        ],
    ]
    return "\n".join(
        [
            "## About this report",
            "",
            "Shares are of all items of the month, assigned or not. Months are calendar months in "
            "UTC. Quotes are the items closest to each theme's examples, redacted at ingest and "
            "escaped. Unassigned items are listed by `vocmine status`.",
            "",
            table(["Run record", ""], rows, "ll"),
            "",
            f"_{UNASSIGNED!s} items are kept in the database; nothing is dropped._",
        ]
    )
