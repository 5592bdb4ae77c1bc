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
    direction,
    escape_md,
    month_name,
    months_text,
    p_text,
    pct,
    pick_quotes,
    pp,
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
        + _compared(m.months)
    )


def _compared(months: list[str]) -> str:
    if len(months) == 1:
        return "with no earlier month stored to compare with."
    if len(months) == 2:
        return f"compared with {month_name(months[0])}."
    return f"compared with {month_name(months[0])} to {month_name(months[-2])}."


def _summary(ctx: Context) -> str:
    problems = ctx.problems()
    lines = ["## In one minute", ""]
    top = ", ".join(f"**{ctx.name(t.intent_id)}** ({t.count})" for t in problems[:3])
    lines.append(f"- **Top problems** (by volume and negativity): {top}.")
    rising = [t for t in problems if direction(t) == "rising"]
    falling = [t for t in ctx.metrics.themes if direction(t) == "falling"]
    rising.sort(key=lambda t: (t.baseline_share - t.share, t.intent_id))
    falling.sort(key=lambda t: (t.share - t.baseline_share, t.intent_id))
    lines.append(f"- **Got worse:** {_moves(ctx, rising) or 'no problem rose significantly'}.")
    lines.append(f"- **Got better:** {_moves(ctx, falling) or 'no theme fell significantly'}.")
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


def _moves(ctx: Context, themes: list[ThemeStats]) -> str:
    """'Bank transfer not received (42/month before → 85)' for up to three themes."""
    return ", ".join(
        f"{ctx.name(t.intent_id)} ({t.baseline_average:.0f}/month before → {t.count})"
        for t in themes[:3]
    )


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
    months = ctx.metrics.months
    prev = months[-2] if len(months) > 1 else ""
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
    prev_name = month_name(prev) if prev else "(no data)"
    return table(["", month_name(ctx.metrics.month), prev_name, "Change"], rows, "lrrr")


def _quotes(ctx: Context, t: ThemeStats) -> list[str]:
    quotes = pick_quotes(ctx.frame, t.intent_id, ctx.metrics.month, ctx.inputs.config.report.quotes)
    return [
        f"> “{escape_md(q.text)}”  \n> — {KIND_LABEL.get(q.kind, q.kind)}, {q.source}, "
        f"{q.language}, {q.date}\n"
        for q in quotes
    ]


def _eq(p: float) -> str:
    text = p_text(p)
    return text if text.startswith("<") else f"= {text}"


def _verdict_sentence(t: ThemeStats) -> str:
    """Trend against the baseline in one sentence, with its test."""
    if t.baseline_months == 0:
        return "Trend: no earlier month to compare with."
    verdict = direction(t)
    return (
        f"Trend: **{verdict}** against the previous {months_text(t.baseline_months)} "
        f"({t.baseline_average:.0f} a month, {pct(t.baseline_share)} of feedback → "
        f"{t.count}, {pct(t.share)}; p {_eq(t.p_value)}, q {_eq(t.q_value)})."
    )


def _problem_section(ctx: Context, rank: int, t: ThemeStats) -> str:
    intent = ctx.inputs.taxonomy.intent(t.intent_id)
    history = " · ".join(f"{month_name(m)[:3]} {n}" for m, n in t.history.items())
    trend = _verdict_sentence(t)
    sources = ", ".join(f"{s} {n}" for s, n in t.by_source.items())
    langs = ", ".join(f"{s} {n}" for s, n in t.by_language.items())
    versions = _versions(t)
    lines = [
        f"### {rank}. {intent.name}",
        "",
        f"`{intent.id}` · {intent.category}",
        "",
        f"**Problem:** {intent.problem}",
        "",
        _evidence(ctx, t),
        "",
        f"Months: {history}  {spark(list(t.history.values()))}",
        "",
        trend,
        "",
        f"Where it comes from: {sources}. Languages: {langs}.{versions}",
        "",
    ]
    return "\n".join(lines + _quotes(ctx, t))


def _versions(t: ThemeStats, shown: int = 4) -> str:
    """' App versions: 4.12.0 70 (85%), 4.11.2 6.' for the items that carry a version."""
    total = sum(t.by_version.values())
    if not total:
        return ""
    parts = [f"{v} {n} ({n / total:.0%})" for v, n in list(t.by_version.items())[:shown]]
    more = len(t.by_version) - shown
    tail = f", {more} more" if more > 0 else ""
    return f" App versions ({total} items with one): {', '.join(parts)}{tail}."


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
    themes = [t for t in ctx.metrics.themes if t.count + t.baseline_average >= 10]
    themes.sort(key=lambda t: (-(t.share - t.baseline_share), t.intent_id))
    rows = [
        [
            ctx.name(t.intent_id),
            f"{t.baseline_average:.0f} → {t.count}",
            f"{pct(t.baseline_share)} → {pct(t.share)}",
            pp(t.share, t.baseline_share),
            p_text(t.p_value),
            p_text(t.q_value),
            direction(t),
        ]
        for t in themes
    ]
    picked = rows[:3] + [r for r in rows[-3:] if r not in rows[:3]]
    n = ctx.metrics.themes[0].baseline_months if ctx.metrics.themes else 0
    return "\n".join(
        [
            "## What rose and fell most",
            "",
            f"Each theme's share of all feedback this month against its share over the previous "
            f"{months_text(n)} pooled (items: monthly average before → this month). A theme is called "
            "rising or falling only when the change is significant after correcting for testing "
            "every theme at once (two-proportion z-test, Benjamini-Hochberg q < 0.05) and its "
            "count moved by at least 5 a month; anything else is stable.",
            "",
            table(["Theme", "Items", "Share", "Change", "p", "q", "Verdict"], picked, "lrrrrrl"),
        ]
    )


def _all_themes(ctx: Context) -> str:
    """Every intent grouped by category, each category with its subtotal first."""
    m = ctx.metrics
    prev = m.months[-2] if len(m.months) > 1 else ""
    total_now = ctx.now.items
    by_id = {t.intent_id: t for t in m.themes}
    rows = []
    for cat_id, intents in ctx.inputs.taxonomy.by_category().items():
        history = m.categories.get(cat_id, dict.fromkeys(m.months, 0))
        now, before = history[m.month], history.get(prev, 0)
        name = ctx.inputs.taxonomy.categories[cat_id].name
        rows.append(
            [
                f"**{name}**",
                f"**{now}**",
                pct(now / total_now if total_now else 0.0),
                change(now, before),
                spark(list(history.values())),
                "",
            ]
        )
        for intent in intents:
            t = by_id[intent.id]
            rows.append(
                [
                    f"  {intent.name}",
                    f"{t.count}",
                    pct(t.share),
                    change(t.count, t.previous),
                    spark(list(t.history.values())),
                    direction(t) if t.baseline_months else "—",
                ]
            )
    unassigned = [ctx.metrics.headlines[mo].unassigned for mo in m.months]
    before_u = unassigned[-2] if len(unassigned) > 1 else 0
    rows.append(
        [
            "**Unassigned**",
            f"**{unassigned[-1]}**",
            pct(unassigned[-1] / total_now),
            change(unassigned[-1], before_u),
            spark(unassigned),
            "",
        ]
    )
    header = [
        "Category / theme",
        "Items",
        "Share",
        "vs last month",
        f"{len(m.months)} months",
        "Trend",
    ]
    return "\n".join(
        [
            "## All themes",
            "",
            "Categories in bold with their total, then their themes. Shares are of all feedback "
            "of the month; the trend is the test described under What rose and fell most.",
            "",
            table(header, rows, "lrrrll"),
        ]
    )


def _unassigned_examples(ctx: Context, n: int = 5) -> list[str]:
    """A few unassigned items, closest to an intent first: what the taxonomy does not cover yet."""
    quotes = pick_quotes(ctx.frame, UNASSIGNED, ctx.metrics.month, n)
    if not quotes:
        return []
    head = (
        "  Closest unassigned feedback, candidates for new intents or for new examples of an "
        "existing one:"
    )
    return [head] + [
        f"  - “{escape_md(q.text)}” ({KIND_LABEL.get(q.kind, q.kind)}, {q.source}, {q.language})"
        for q in quotes
    ]


def _data_quality(ctx: Context) -> str:
    by_reason, listed = ctx.rejects
    now = ctx.now
    lines = ["## Data quality", ""]
    total = sum(by_reason.values())
    reasons = ", ".join(f"{n} {reason}" for reason, n in by_reason.items()) or "none"
    lines.append(f"- **Rows skipped at ingest (all files so far):** {total} ({reasons}).")
    for source, location, reason in listed[:10]:
        lines.append(f"  - {escape_md(location)} ({escape_md(source)}): {escape_md(reason)}")
    if len(listed) > 10:
        lines.append(
            f"  - … and {len(listed) - 10} more: `vocmine status --rejects` lists them all."
        )
    lines.append(
        f"- **Unassigned:** {now.unassigned:,} of {now.items:,} items "
        f"({pct(now.unassigned / now.items)}) matched no intent closely enough; "
        "they are counted in every share above."
    )
    lines += _unassigned_examples(ctx)
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
            "escaped. Unassigned items stay in the database and are counted per month by "
            "`vocmine status`.",
            "",
            table(["Run record", ""], rows, "ll"),
        ]
    )
