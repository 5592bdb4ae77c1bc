"""Render the monthly report's Markdown, one small function per section.

The body is what a product lead reads in ten minutes: summary, headline figures, one section per
top problem, what rose, what fell, what discovery proposes. Tables of tests and impact, data
quality and the run record are in the appendix (vocmine.report_appendix).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from vocmine.metrics import (
    BASELINE_MONTHS,
    DiscoveredTrend,
    Headline,
    MonthlyMetrics,
    ThemeStats,
    discovered_trends,
)
from vocmine.report import (
    KIND_LABEL,
    Proposal,
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
    quotable,
    spark,
    table,
)

MAX_DETAILED_PROPOSALS = 5  # the rest go in one table: the section stays short
DRAFTED = "*Drafted by a language model from the figures above; check before quoting.*"


@dataclass(frozen=True)
class Context:
    """Everything the renderer needs."""

    inputs: ReportInputs
    metrics: MonthlyMetrics
    frame: pd.DataFrame
    rejects: tuple[dict[str, int], list[tuple[str, str, str]]]
    db_counts: dict[str, Any]
    charts: dict[str, Path]
    proposals: list[Proposal] | None = None

    @property
    def now(self) -> Headline:
        return self.metrics.headlines[self.metrics.month]

    @property
    def before(self) -> Headline | None:
        months = self.metrics.months
        return self.metrics.headlines[months[-2]] if len(months) > 1 else None

    @property
    def partial(self) -> bool:
        """The report month's data stops before its last day (or starts after its first)."""
        return self.metrics.partial(self.metrics.month)

    @property
    def per_day_mode(self) -> bool:
        """Counts are compared per day when the month or a baseline month is partial."""
        months = [*self.metrics.months[:-1][-BASELINE_MONTHS:], self.metrics.month]
        return any(self.metrics.partial(m) for m in months)

    def name(self, intent_id: str) -> str:
        return self.inputs.taxonomy.intent(intent_id).name

    def problems(self) -> list[ThemeStats]:
        """Themes of type 'problem' seen this month, by priority."""
        types = {i.id: i.type for i in self.inputs.taxonomy.intents}
        return [t for t in self.metrics.themes if types[t.intent_id] == "problem" and t.count > 0]

    def top(self) -> list[ThemeStats]:
        return self.problems()[: self.inputs.config.report.top]

    def chart(self, stem: str, alt: str) -> str:
        path = self.charts.get(stem)
        return f"![{alt}]({path.as_posix()})" if path else ""

    def per_day(self, count: float, month: str) -> float:
        return count / max(1, self.metrics.days(month))


def render(ctx: Context) -> str:
    """The whole report."""
    from vocmine import report_appendix as appendix

    sections = [
        _title(ctx),
        _summary(ctx),
        _headline(ctx),
        _top_problems(ctx),
        _rising(ctx),
        _falling(ctx),
        _proposals(ctx),
        _all_themes(ctx),
        appendix.render(ctx),
    ]
    return "\n\n".join(s.rstrip() for s in sections if s) + "\n"


def _title(ctx: Context) -> str:
    m = ctx.metrics
    days = ctx.frame.loc[ctx.frame["month"] == m.month, "created_at"]
    first, last = days.min()[:10], days.max()[:10]
    text = (
        f"# Voice of the user: {month_name(m.month)}\n\n"
        f"What users struggled with in {month_name(m.month)}, how often, and whether it is getting "
        f"worse. Built from {ctx.now.items:,} feedback items of the month (data up to {last}), "
        + _compared(m.months)
    )
    if ctx.partial:
        covered, total = m.coverage[m.month]
        text += (
            f"\n\n**Partial month:** the data covers {covered} of its {total} days "
            f"({first} to {last}). Counts are compared per day and shares are of the days covered, "
            "so the missing days never show as a fall."
        )
    return text


def _compared(months: list[str]) -> str:
    if len(months) == 1:
        return "with no earlier month stored to compare with."
    if len(months) == 2:
        return f"compared with {month_name(months[0])}."
    return f"compared with {month_name(months[0])} to {month_name(months[-2])}."


def rising(ctx: Context) -> list[ThemeStats]:
    """Problems called rising this month, largest excess first."""
    out = [t for t in ctx.problems() if t.verdict == "rising"]
    return sorted(out, key=lambda t: (-t.excess, t.intent_id))


def falling(ctx: Context) -> list[ThemeStats]:
    """Themes called falling this month, largest drop first."""
    out = [t for t in ctx.metrics.themes if t.verdict == "falling"]
    return sorted(out, key=lambda t: (t.excess, t.intent_id))


def _summary_facts(ctx: Context) -> dict[str, Any]:
    """The figures the summary states: also what a drafter is given, nothing else."""

    def theme(t: ThemeStats) -> dict[str, Any]:
        return {
            "name": ctx.name(t.intent_id),
            "items": t.count,
            "share": round(t.share, 4),
            "baseline_per_month": round(t.baseline_average, 1),
            "users": t.users,
        }

    return {
        "month": ctx.metrics.month,
        "partial_month": ctx.partial,
        "items": ctx.now.items,
        "top_problems": [theme(t) for t in ctx.problems()[:3]],
        "got_worse": [theme(t) for t in rising(ctx)[:3]],
        "got_better": [theme(t) for t in falling(ctx)[:3]],
        "new": [theme(t) for t in ctx.problems() if t.emerging][:3],
        "pending_proposals": len(ctx.proposals or []),
        "store_rating": None if ctx.now.avg_rating is None else round(ctx.now.avg_rating, 2),
        "negative_csat": None if ctx.now.negative_csat is None else round(ctx.now.negative_csat, 3),
    }


def _summary(ctx: Context) -> str:
    facts = _summary_facts(ctx)
    lines = ["## In one minute", ""]
    top = ", ".join(f"**{ctx.name(t.intent_id)}** ({t.count})" for t in ctx.problems()[:3])
    lines.append(f"- **Top problems** (volume, growth and impact): {top}.")
    lines.append(f"- **Got worse:** {_moves(ctx, rising(ctx)) or 'no problem rose significantly'}.")
    lines.append(f"- **Got better:** {_moves(ctx, falling(ctx)) or 'no theme fell significantly'}.")
    lines.append(f"- **New:** {_new(ctx)}.")
    lines.append(f"- **Ratings:** {_ratings_line(ctx)}.")
    drafter = ctx.inputs.drafter
    if drafter is not None:
        text = drafter("summary", json.loads(json.dumps(facts)))
        if text:
            lines += ["", f"> {escape_md(text)}", ">", f"> {DRAFTED}"]
    return "\n".join(lines)


def _new(ctx: Context) -> str:
    parts = [
        f"{ctx.name(t.intent_id)} ({t.baseline_average:.0f}/month before → {t.count})"
        for t in ctx.problems()
        if t.emerging
    ]
    pending = len(ctx.proposals or [])
    # New themes (from nearly nothing) first: they are what the summary's line is for.
    rising_found = sorted(_rising_proposals(ctx), key=lambda pt: not pt[1].emerging)
    parts += [
        f"{escape_md(p.name, inline=True)} ({'new, ' if t.emerging else ''}found by discovery: "
        f"{t.baseline_average:.0f}/month before → {t.count})"
        for p, t in rising_found[:3]
    ]
    if pending:
        others = pending - min(len(rising_found), 3)
        if others:
            more = "more " if rising_found else ""
            parts.append(f"{others} {more}proposed theme{'s' if others > 1 else ''} to review")
    if not parts and ctx.proposals is None:
        return (
            "no taxonomy theme emerged; themes outside the taxonomy show once discovery has run "
            f"(`vocmine discover --month {ctx.metrics.month}`)"
        )
    return ", ".join(parts) or "no new theme emerged"


def _ratings_line(ctx: Context) -> str:
    now, before = ctx.now, ctx.before
    parts = []
    if now.avg_rating is not None:
        was = f" (was {before.avg_rating:.2f}★)" if before and before.avg_rating else ""
        parts.append(f"store rating {now.avg_rating:.2f}★{was}")
    if now.negative_csat is not None:
        was = f" (was {pct(before.negative_csat)})" if before and before.negative_csat else ""
        parts.append(f"negative CSAT {pct(now.negative_csat)}{was}")
    lifts = [
        (t.impact.rating_lift, t.intent_id)
        for t in ctx.problems()
        if t.impact and t.impact.rating_lift is not None
    ]
    if lifts and now.avg_rating is not None:
        lift, worst = max(lifts)
        if lift > 0:
            parts.append(
                f"without {ctx.name(worst)} the store rating would be {now.avg_rating + lift:.2f}★"
            )
    return "; ".join(parts) or "no ratings or CSAT this month"


def _moves(ctx: Context, themes: list[ThemeStats]) -> str:
    """'Bank transfer not received (42/month before → 85)' for up to three themes."""
    if ctx.per_day_mode:
        m = ctx.metrics.month
        return ", ".join(
            f"{ctx.name(t.intent_id)} ({t.baseline / max(1, _baseline_days(ctx)):.1f}/day before "
            f"→ {ctx.per_day(t.count, m):.1f}/day)"
            for t in themes[:3]
        )
    return ", ".join(
        f"{ctx.name(t.intent_id)} ({t.baseline_average:.0f}/month before → {t.count})"
        for t in themes[:3]
    )


def _baseline_days(ctx: Context) -> int:
    months = ctx.metrics.months[:-1][-BASELINE_MONTHS:]
    return sum(ctx.metrics.days(m) for m in months)


def _rating(h: Headline) -> str:
    return f"{h.avg_rating:.2f}★ ({h.ratings:,})" if h.avg_rating else "n/a"


def _csat(h: Headline) -> str:
    return f"{pct(h.negative_csat)} ({h.csat_answers:,})"


def _unassigned_share(h: Headline) -> float:
    return h.unassigned / h.items if h.items else 0.0


def _items_change(ctx: Context, now: int, before: int) -> str:
    """Relative change of a count; per day when either month is partial."""
    months = ctx.metrics.months
    if len(months) < 2:
        return change(now, before)
    m, prev = months[-1], months[-2]
    if ctx.metrics.partial(m) or ctx.metrics.partial(prev):
        return change(ctx.per_day(now, m), ctx.per_day(before, prev)) + " a day"
    return change(now, before)


def _headline_rows(ctx: Context) -> list[list[str]]:
    now, b = ctx.now, ctx.before or Headline(0, {}, {}, {}, None, 0, None, 0, 0)
    rows = [
        ["Feedback items", f"{now.items:,}", f"{b.items:,}", _items_change(ctx, now.items, b.items)]
    ]
    for source in sorted(set(now.by_source) | set(b.by_source)):
        n, p = now.by_source.get(source, 0), b.by_source.get(source, 0)
        rows.append([f"  from {source}", f"{n:,}", f"{p:,}", _items_change(ctx, n, p)])
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
        table(["", month_name(m.month), prev, "Change"], _headline_rows(ctx), "lrrr"),
    ]
    langs = ", ".join(
        f"{lang} {pct(n / ctx.now.items, 0)}" for lang, n in ctx.now.by_language.items()
    )
    kinds = ", ".join(f"{KIND_LABEL.get(k, k)}s {n:,}" for k, n in ctx.now.by_kind.items())
    out += [
        "",
        f"By kind: {kinds}. By language: {langs} (`und`: too short to tell).",
        "",
        ctx.chart("volume", "Feedback received per month, by source"),
    ]
    return "\n".join(out)


def _stars(value: float | None, n: int) -> str:
    return "n/a" if value is None else f"{value:.2f}★ ({n})"


def _signed(value: float, unit: str, digits: int = 2) -> str:
    return f"{value:+.{digits}f}{unit}".replace("-", "−")


def _evidence(ctx: Context, t: ThemeStats) -> str:
    """The theme's evidence table: volume against the baseline, impact against the rest."""
    m = ctx.metrics.month
    before = f"{months_text(t.baseline_months)} before" if t.baseline_months else "(no data)"
    if ctx.per_day_mode:
        now_rate, base_rate = ctx.per_day(t.count, m), t.baseline / max(1, _baseline_days(ctx))
        items = ["Items per day", f"{now_rate:.1f} ({t.count})", f"{base_rate:.1f}"]
        items.append(change(now_rate, base_rate))
    else:
        items = ["Items", f"{t.count:,}", f"{t.baseline_average:.0f} a month"]
        items.append(change(t.count, t.baseline_average))
    rows = [
        items,
        ["Share of all feedback", pct(t.share), pct(t.baseline_share)],
        ["Distinct users", f"{t.users:,}", "", ""],
        *_impact_rows(ctx, t),
    ]
    rows[1].append(pp(t.share, t.baseline_share))
    head = ["", month_name(m), f"Compared with ({before})", "Difference"]
    return table(head, rows, "lrrr")


def _impact_rows(ctx: Context, t: ThemeStats) -> list[list[str]]:
    """Stars and CSAT against the rest of the month, the month without the theme, its cost."""
    imp = t.impact
    if imp is None:
        return []
    now = ctx.frame[ctx.frame["month"] == ctx.metrics.month]
    rest_r = now.loc[now["intent_id"] != t.intent_id, "rating"].dropna()
    rest_mean = float(rest_r.mean()) if len(rest_r) else None
    share, rest = imp.csat_share, imp.csat_rest_share
    rows = [
        [
            "Average star rating",
            _stars(t.avg_rating, t.ratings),
            f"{_stars(rest_mean, len(rest_r))} rest",
            _signed(imp.rating_diff[0], "★") if imp.rating_diff else "—",
        ],
        [
            "Negative CSAT",
            f"{pct(share)} ({imp.csat_theme[1]})",
            f"{pct(rest)} ({imp.csat_rest[1]}) rest",
            pp(share, rest) if share is not None and rest is not None else "—",
        ],
    ]
    rating, csat = ctx.now.avg_rating, ctx.now.negative_csat
    if imp.rating_lift is not None and rating is not None:
        without = f"{rating + imp.rating_lift:.2f}★"
        rows.append(["Store rating without it", without, f"{rating:.2f}★ all"])
        rows[-1].append(_signed(imp.rating_lift, "★"))
    if imp.csat_lift is not None and csat is not None:
        without = pct(csat - imp.csat_lift)
        rows.append(["Negative CSAT without it", without, f"{pct(csat)} all"])
        rows[-1].append(pp(-imp.csat_lift, 0.0))
    if imp.cost is not None:
        cost = f"{imp.cost:,.2f} {ctx.inputs.config.report.currency}"
        rows.append(["Support cost (tickets)", cost, f"{imp.tickets} tickets", ""])
    return rows


def _trend_sentences(ctx: Context, t: ThemeStats) -> list[str]:
    out = [_verdict_sentence(t)]
    longer = [
        f"{tr.months} months: {tr.verdict} ({_signed(100 * tr.slope, ' pp', 1)} a month, "
        f"q {_eq(tr.q_value)})"
        for tr in t.trends
    ]
    if longer:
        out.append("Longer trend in share: " + "; ".join(longer) + ".")
    for s in t.spikes:
        span = s.first if s.first == s.last else f"{s.first} to {s.last}"
        out.append(
            f"**Spike:** {span}, {s.items} items; peak {s.peak_count} on {s.peak} "
            f"(a normal day has about {s.expected:.1f})."
        )
    return out


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


def _segments(t: ThemeStats) -> list[str]:
    def top(counts: dict[str, int], shown: int = 4) -> str:
        total = sum(counts.values())
        # Countries and versions come from the raw files: escaped like any user text.
        parts = [
            f"{escape_md(k, inline=True)} {n} ({n / total:.0%})"
            for k, n in list(counts.items())[:shown]
        ]
        more = len(counts) - shown
        return ", ".join(parts) + (f", {more} more" if more > 0 else "")

    lines = [
        f"Segments: languages {top(t.by_language)}; "
        f"countries {top(t.by_country)}." + (f" {_versions(t)}" if t.by_version else "")
    ]
    rates = [
        f"{source} {n} of {total} ({pct(n / total)}"
        + (f", before {pct(b / b_total)})" if b_total else ")")
        for source, (n, total, b, b_total) in t.source_rates.items()
        if n
    ]
    if rates:
        lines.append(f"Share of each source's feedback: {'; '.join(rates)}.")
    for c in t.concentrations:
        hint = " A release regression?" if c.segment == "app version" else ""
        lines.append(
            f"**Concentrated in {c.segment} {escape_md(c.value, inline=True)}:** {c.count} of "
            f"its {c.of} items that carry one ({c.share:.0%}), against {c.rest_share:.0%} of the rest "
            f"of the month's feedback.{hint}"
        )
    return lines


def _versions(t: ThemeStats, shown: int = 4) -> str:
    """'App versions (69 items with one): 4.12.0 65 (94%), 4.11.2 3 (4%).'"""
    total = sum(t.by_version.values())
    if not total:
        return ""
    parts = [
        f"{escape_md(v, inline=True)} {n} ({n / total:.0%})"
        for v, n in list(t.by_version.items())[:shown]
    ]
    more = len(t.by_version) - shown
    tail = f", {more} more" if more > 0 else ""
    return f"App versions ({total} items with one): {', '.join(parts)}{tail}."


def _quotes(ctx: Context, t: ThemeStats) -> list[str]:
    minimum = ctx.inputs.config.report.min_quote_users
    if not quotable(t.users, minimum):
        return [
            f"Not quoted: {t.users} distinct user{'s' if t.users != 1 else ''} wrote about it "
            f"this month, fewer than {minimum}, so a quote could single someone out.\n"
        ]
    quotes = pick_quotes(ctx.frame, t.intent_id, ctx.metrics.month, ctx.inputs.config.report.quotes)
    return [
        f"> “{escape_md(q.text)}”  \n> — {KIND_LABEL.get(q.kind, q.kind)}, {q.source}, "
        f"{q.language}, {q.date}\n"
        for q in quotes
    ]


def _problem_section(ctx: Context, rank: int, t: ThemeStats) -> str:
    intent = ctx.inputs.taxonomy.intent(t.intent_id)
    volume, growth, impact = t.rank_parts
    kinds = ctx.frame[
        (ctx.frame["month"] == ctx.metrics.month) & (ctx.frame["intent_id"] == t.intent_id)
    ]
    by_kind = ", ".join(
        f"{n} {KIND_LABEL.get(k, k)}s"
        for k, n in sorted(kinds["kind"].value_counts().items(), key=lambda kv: (-kv[1], kv[0]))
    )
    history = " · ".join(f"{month_name(m)[:3]} {n}" for m, n in t.history.items())
    lines = [
        f"### {rank}. {intent.name}",
        "",
        f"`{intent.id}` · {intent.category} · priority {t.priority:.2f} "
        f"(volume {volume:.2f}, growth {growth:.2f}, impact {impact:.2f})",
        "",
        f"**Problem:** {intent.problem}",
        "",
        f"**Who and how many:** {t.count} items ({pct(t.share)} of all feedback) from "
        f"{t.users} distinct users: {by_kind}.",
        "",
        _evidence(ctx, t),
        "",
        ctx.chart(f"theme-{t.intent_id}", f"{intent.name}: share by month and items by day"),
        "",
        f"Months: {history}  {spark(list(t.history.values()))}",
        "",
        *(s + "\n" for s in _trend_sentences(ctx, t)),
        *(s + "\n" for s in _segments(t)),
    ]
    return "\n".join(lines + _quotes(ctx, t))


def _top_problems(ctx: Context) -> str:
    cfg = ctx.inputs.config.report
    out = [
        "## Top problems",
        "",
        f"Ranked by priority = {cfg.weight_volume:g} × volume + {cfg.weight_growth:g} × growth "
        f"+ {cfg.weight_impact:g} × impact, each scaled from 0 to 1 against the largest theme "
        "of the month (see Method in the appendix).",
        "",
        ctx.chart("top-themes", "Share of all feedback of the top problems, month by month"),
        "",
    ]
    out += [_problem_section(ctx, i, t) for i, t in enumerate(ctx.top(), 1)]
    return "\n".join(out)


def _mover_rows(ctx: Context, themes: list[ThemeStats]) -> list[list[str]]:
    rows = []
    for t in themes:
        longer = ", ".join(f"{tr.months} mo {tr.verdict}" for tr in t.trends)
        rows.append(
            [
                ctx.name(t.intent_id) + (" (new)" if t.emerging else ""),
                f"{t.baseline_average:.0f} → {t.count}",
                f"{pct(t.baseline_share)} → {pct(t.share)}",
                pp(t.share, t.baseline_share),
                p_text(t.q_value),
                longer or "—",
            ]
        )
    return rows


def _rising(ctx: Context) -> str:
    themes = rising(ctx)
    # Themes whose 3-month trend rises without this month's jump being called: slow climbers.
    climbing = [
        t
        for t in ctx.problems()
        if t.verdict != "rising" and any(tr.verdict == "rising" for tr in t.trends[:1])
    ]
    out = ["## Rising and emerging", ""]
    if not themes and not climbing:
        out.append("No problem rose significantly this month; everything else is stable.")
    else:
        head = ["Theme", "Items a month", "Share", "Change", "q", "Longer trend"]
        out += [
            "Problems whose share of feedback rose significantly against the previous months "
            "(new: under 0.5% of feedback before). Test and intervals in the appendix.",
            "",
            table(head, _mover_rows(ctx, themes + climbing), "lrrrrl"),
            "",
            ctx.chart("rising", "Rising problems: share before and now"),
        ]
    growing = _growing_proposals(ctx)
    if growing:
        out += [
            "",
            "Outside the taxonomy, discovery found themes whose share of feedback rose "
            f"significantly (same test): {growing}. See Proposed new themes.",
        ]
    return "\n".join(out)


def _proposal_trends(ctx: Context) -> dict[tuple[str, str], DiscoveredTrend]:
    """Each pending proposal of this month tested on its share of feedback, like an intent."""
    month = ctx.metrics.month
    totals = {m: h.items for m, h in ctx.metrics.headlines.items()}
    current = [p for p in ctx.proposals or [] if p.month == month and month in p.growth]
    found = discovered_trends({p.key: p.growth for p in current}, totals, month)
    return {(p.month, p.key): found[p.key] for p in current}


def _rising_proposals(ctx: Context) -> list[tuple[Proposal, DiscoveredTrend]]:
    """Pending proposals whose share of feedback rose significantly, largest rise first."""
    trends = _proposal_trends(ctx)
    rising_ = [
        (p, trends[(p.month, p.key)])
        for p in ctx.proposals or []
        if (p.month, p.key) in trends and trends[(p.month, p.key)].verdict == "rising"
    ]
    return sorted(rising_, key=lambda pt: (-(pt[1].share - pt[1].baseline_share), pt[0].key))


def _growing_proposals(ctx: Context) -> str:
    """'P17 Team challenges (new; 0/month, 0.0% → 12, 1.2% of feedback; q 0.002)' for rising proposals."""
    parts = [
        f"{escape_md(p.key, inline=True)} {escape_md(p.name, inline=True)} "
        f"({'new; ' if t.emerging else ''}{t.baseline_average:.0f}/month, {pct(t.baseline_share)} "
        f"→ {t.count}, {pct(t.share)} of feedback; q {p_text(t.q_value)})"
        for p, t in _rising_proposals(ctx)
    ]
    return ", ".join(parts)


def _falling(ctx: Context) -> str:
    themes = falling(ctx)
    out = ["## Falling", ""]
    if not themes:
        out.append("No theme fell significantly this month.")
        return "\n".join(out)
    head = ["Theme", "Items a month", "Share", "Change", "q", "Longer trend"]
    out += [table(head, _mover_rows(ctx, themes), "lrrrrl")]
    return "\n".join(out)


def _proposals(ctx: Context) -> str:
    out = ["## Proposed new themes", ""]
    if ctx.proposals is None:
        out.append(
            f"Discovery has not run: `vocmine discover --month {ctx.metrics.month}` proposes "
            "themes from the unassigned feedback into `taxonomy/proposals/`."
        )
        return "\n".join(out)
    if not ctx.proposals:
        out.append("No proposal is waiting in `taxonomy/proposals/`.")
        return "\n".join(out)
    out.append(
        "Waiting for review in `taxonomy/proposals/` (`vocmine taxonomy accept` or `reject`); "
        "items and users as found by discovery. In detail: the themes that rose significantly "
        "and the proposed new intents; the others in the table."
    )
    rising_keys = [(p.month, p.key) for p, _ in _rising_proposals(ctx)]
    detailed = [p for p in ctx.proposals if (p.month, p.key) in rising_keys]
    detailed += [p for p in ctx.proposals if p.suggestion == "new_intent" and p not in detailed]
    detailed = detailed[:MAX_DETAILED_PROPOSALS]
    for p in detailed:
        out += ["", *_proposal(ctx, p)]
    rest = [p for p in ctx.proposals if p not in detailed]
    if rest:
        rows = [
            [
                f"{escape_md(p.key)} ({p.month})",
                escape_md(p.name),
                "new intent"
                if p.suggestion == "new_intent"
                else f"examples for {escape_md(p.nearest_intent, inline=True)}",
                str(p.size),
                str(p.users),
                " · ".join(f"{month_name(m)[:3]} {n}" for m, n in sorted(p.growth.items())),
            ]
            for p in rest
        ]
        head = ["Proposal", "Name", "Suggestion", "Items", "Users", "By month"]
        out += ["", table(head, rows, "lllrrl")]
    return "\n".join(out)


def _proposal(ctx: Context, p: Proposal) -> list[str]:
    growth = " · ".join(f"{month_name(m)[:3]} {n}" for m, n in sorted(p.growth.items()))
    what = "new intent" if p.suggestion == "new_intent" else "more examples for an intent"
    lines = [
        f"**{escape_md(p.key)} ({p.month}): {escape_md(p.name)}** — {what}, "
        f"id {escape_md(p.id, inline=True)} in {escape_md(p.category, inline=True)}; {p.size} items from {p.users} users"
        + (f"; by month: {growth}" if growth else "")
        + f"; nearest intent {escape_md(p.nearest_intent)} ({p.nearest_similarity:.2f}).",
        f"Keywords: {escape_md(', '.join(p.keywords))}.",
    ]
    minimum = ctx.inputs.config.report.min_quote_users
    quotes = p.quotes[: ctx.inputs.config.report.quotes] if quotable(p.users, minimum) else []
    if not quotable(p.users, minimum):
        lines.append(f"Not quoted: fewer than {minimum} distinct users.")
    for q in quotes:
        lines.append(
            f"> “{escape_md(q.get('text', ''))}” — {escape_md(q.get('source', ''))}, "
            f"{escape_md(q.get('language', ''))}, {escape_md(q.get('date', ''))}"
        )
    drafter = ctx.inputs.drafter
    if drafter is not None:
        facts = {
            "name": p.name,
            "keywords": p.keywords,
            "size": p.size,
            "users": p.users,
            "growth": p.growth,
            "nearest_intent": p.nearest_intent,
            "quotes": [q.get("text", "") for q in quotes],
        }
        text = drafter("proposal", facts)
        if text:
            lines += ["", f"Draft problem statement: {escape_md(text)}", "", DRAFTED]
    return lines


def _all_themes(ctx: Context) -> str:
    """Every intent grouped by category, each category with its subtotal first."""
    m = ctx.metrics
    unassigned = [m.headlines[mo].unassigned for mo in m.months]
    before_u = unassigned[-2] if len(unassigned) > 1 else 0
    rows = _category_rows(ctx)
    rows.append(
        [
            "**Unassigned**",
            f"**{unassigned[-1]}**",
            pct(unassigned[-1] / ctx.now.items),
            _items_change(ctx, unassigned[-1], before_u),
            spark(unassigned),
            "",
        ]
    )
    header = ["Category / theme", "Items", "Share", "vs last month", f"{len(m.months)} months"]
    return "\n".join(
        [
            "## All themes",
            "",
            "Categories in bold with their total, then their themes. Shares are of all feedback "
            "of the month; the trend is the month's test against the previous months (appendix).",
            "",
            table([*header, "Trend"], rows, "lrrrll"),
        ]
    )


def _category_rows(ctx: Context) -> list[list[str]]:
    m = ctx.metrics
    prev = m.months[-2] if len(m.months) > 1 else ""
    total_now = ctx.now.items
    by_id = {t.intent_id: t for t in m.themes}
    rows = []
    for cat_id, intents in ctx.inputs.taxonomy.by_category().items():
        history = m.categories.get(cat_id, dict.fromkeys(m.months, 0))
        now, before = history[m.month], history.get(prev, 0)
        name = ctx.inputs.taxonomy.categories[cat_id].name
        share = pct(now / total_now if total_now else 0.0)
        change_text = _items_change(ctx, now, before)
        rows.append(
            [f"**{name}**", f"**{now}**", share, change_text, spark(list(history.values())), ""]
        )
        for intent in intents:
            t = by_id[intent.id]
            rows.append(
                [
                    f"  {intent.name}",
                    f"{t.count}",
                    pct(t.share),
                    _items_change(ctx, t.count, t.previous),
                    spark(list(t.history.values())),
                    direction(t) if t.baseline_months else "—",
                ]
            )
    return rows
