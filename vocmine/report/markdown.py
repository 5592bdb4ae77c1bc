"""Render the monthly report's Markdown, one small function per section.

The body is what a product lead reads in ten minutes: summary, headline figures, one section per
top problem, what rose, what fell, what discovery proposes. Tables of tests and impact, data
quality and the run record are in the appendix (vocmine.report.appendix).
"""

from __future__ import annotations

import json
from typing import Any

from vocmine.measure.metrics import (
    Headline,
    ThemeStats,
)
from vocmine.report import appendix
from vocmine.report.context import MIN_SECTION_ITEMS, Context, problem_themes
from vocmine.report.format import (
    DRAFTED,
    KIND_LABEL,
    change,
    direction,
    escape_md,
    escape_name,
    month_name,
    p_text,
    pct,
    pp,
    spark,
    table,
)
from vocmine.report.new_themes import growing_proposals, proposals_section, rising_proposals
from vocmine.report.problems import baseline_days, top_problems
from vocmine.report.taxonomy_fit import fit_warning, retire_line, retire_section, top_problems_label


def render(ctx: Context) -> str:
    """The whole report."""
    sections = [
        _title(ctx),
        _summary(ctx),
        _headline(ctx),
        top_problems(ctx),
        _rising(ctx),
        _falling(ctx),
        proposals_section(ctx),
        _all_themes(ctx),
        retire_section(ctx),
        appendix.render(ctx),
    ]
    return "\n\n".join(s.rstrip() for s in sections if s) + "\n"


def _title(ctx: Context) -> str:
    m = ctx.metrics
    cov = m.day_coverage.get(m.month)
    days = ctx.frame.loc[ctx.frame["month"] == m.month, "created_at"]
    first, last = days.min()[:10], days.max()[:10]
    if cov is not None and cov.covered:
        first, last = cov.covered[0], cov.covered[-1]
    text = (
        f"# Voice of the user: {month_name(m.month)}\n\n"
        f"What users struggled with in {month_name(m.month)}, how often, and whether it is getting "
        f"worse. Built from {ctx.now.items:,} feedback items of the month (data up to {last}), "
        + (_compared(m.trend_months) if m.since != m.month else _not_compared(m.months))
    )
    if ctx.partial:
        covered, total = m.coverage[m.month]
        text += (
            f"\n\n**Partial month:** the data covers {covered} of its {total} days "
            f"({first} to {last}"
        )
        if cov is not None and cov.gaps:
            text += f"; missing: {cov.gap_text()}"
        text += ")."
        if cov is not None and cov.partial_from:
            text += f" Partial from {cov.partial_from}: data stops regularly on {last}"
            text += (
                f", and {cov.strays} stray item{'s' if cov.strays != 1 else ''} after or between "
                "are counted but do not make those days covered."
                if cov.strays
                else "."
            )
        text += (
            " Counts are compared per covered day and shares are of the days covered, "
            "so the missing days never show as a fall."
        )
    return text + _comparability(ctx)


def _comparability(ctx: Context) -> str:
    """The sample-change warning at the top: what moved, and where trends start."""
    m = ctx.metrics
    now = m.comparison(m.month)
    if now is not None and not now.comparable and now.against:
        against = f"{month_name(now.against[0])} to {month_name(now.against[-1])}"
        if len(now.against) == 1:
            against = month_name(now.against[0])
        return (
            f"\n\n**The sample changed in {month_name(m.month)}:** shares before and after are "
            f"not comparable ({'; '.join(now.changes)}, against {against}). No theme is called "
            f"rising or falling against the months before, and trends start in "
            f"{month_name(m.month)}. Figures per source and the month's own shares still hold."
        )
    if m.since is not None and m.since != m.months[0]:
        brk = m.comparison(m.since)
        why = "; ".join(brk.changes) if brk is not None else ""
        return (
            f"\n\n**Trends start in {month_name(m.since)}:** the sample changed then ({why}); "
            "earlier months are shown but not compared with."
        )
    return ""


def _not_compared(months: list[str]) -> str:
    earlier = "earlier months" if len(months) > 2 else "the month before"
    return (
        f"not compared with {earlier}: the sample changed (below)."
        if len(months) > 1
        else ("with no earlier month stored to compare with.")
    )


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


def falling(ctx: Context, *, problems_only: bool = False) -> list[ThemeStats]:
    """Themes called falling this month, largest drop first.

    ``problems_only`` for the summary's "Got better": praise that falls is no good news, and a
    theme marked ``other`` (politics, general opinion) falling is no news for Product.
    """
    themes = (  # not ctx.problems(): a problem that fell to 0 is the best news
        problem_themes(ctx.inputs.taxonomy, ctx.metrics, seen_only=False)
        if problems_only
        else ctx.metrics.themes
    )
    out = [t for t in themes if t.verdict == "falling"]
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
        "got_better": [theme(t) for t in falling(ctx, problems_only=True)[:3]],
        "new": [theme(t) for t in ctx.problems() if t.emerging][:3],
        "pending_proposals": len(ctx.proposals or []),
        # So that drafted text cannot present a barely matching taxonomy's themes as the month's.
        "unassigned_share": None if ctx.fit is None else round(ctx.fit.share, 4),
        "taxonomy_does_not_fit": bool(ctx.fit and ctx.fit.warn),
        "retire_candidates": [c.intent_id for c in ctx.fit.candidates] if ctx.fit else [],
        "store_rating": None if ctx.now.avg_rating is None else round(ctx.now.avg_rating, 2),
        "negative_csat": None if ctx.now.negative_csat is None else round(ctx.now.negative_csat, 3),
    }


def _summary(ctx: Context) -> str:
    facts = _summary_facts(ctx)
    lines = ["## In one minute", ""]
    warning = fit_warning(ctx)
    if warning:
        lines.append(warning)
        # Next to a warning, counts alone would hide how small the "top" themes are.
        top = ", ".join(
            f"**{ctx.label(t.intent_id)}** ({t.count}, {pct(t.share)} of feedback)"
            for t in ctx.problems()[:3]
        )
    else:
        top = ", ".join(f"**{ctx.label(t.intent_id)}** ({t.count})" for t in ctx.problems()[:3])
    lines.append(f"- {top_problems_label(ctx)}: {top or 'none this month'}.")
    if ctx.metrics.since == ctx.metrics.month and len(ctx.metrics.months) > 1:
        moved = "not compared: the sample changed this month (see the top)"
        lines.append(f"- **Got worse:** {moved}.")
        lines.append(f"- **Got better:** {moved}.")
    else:
        worse = _moves(ctx, rising(ctx)) or "no problem rose significantly"
        lines.append(f"- **Got worse:** {worse}.")
        better = _moves(ctx, falling(ctx, problems_only=True)) or "no problem fell significantly"
        lines.append(f"- **Got better:** {better}.")
    lines.append(f"- **New:** {_new(ctx)}.")
    lines.append(f"- **Ratings:** {_ratings_line(ctx)}.")
    if retire_line(ctx):
        lines.append(retire_line(ctx))
    drafter = ctx.inputs.drafter
    if drafter is not None:
        text = drafter("summary", json.loads(json.dumps(facts)))
        if text:
            lines += ["", f"> {escape_md(text)}", ">", f"> {DRAFTED}"]
    return "\n".join(lines)


def _new(ctx: Context) -> str:
    parts = [
        f"{ctx.label(t.intent_id)} ({t.baseline_average:.0f}/month before → {t.count})"
        for t in ctx.problems()
        if t.emerging
    ]
    pending = len(ctx.proposals or [])
    # New themes (from nearly nothing) first: they are what the summary's line is for.
    rising_found = sorted(rising_proposals(ctx), key=lambda pt: not pt[1].emerging)
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
                f"without {ctx.label(worst)} the store rating would be {now.avg_rating + lift:.2f}★"
            )
    return "; ".join(parts) or "no ratings or CSAT this month"


def _moves(ctx: Context, themes: list[ThemeStats]) -> str:
    """'Bank transfer not received (42/month before → 85)' for up to three themes."""
    if ctx.per_day_mode:
        m = ctx.metrics.month
        return ", ".join(
            f"{ctx.label(t.intent_id)} ({pct(t.baseline_share)} → {pct(t.share)} of feedback; "
            f"{t.baseline / max(1, baseline_days(ctx)):.1f}/day before "
            f"→ {ctx.per_day(t.count, m):.1f}/day)"
            for t in themes[:3]
        )
    return ", ".join(
        f"{ctx.label(t.intent_id)} ({pct(t.baseline_share)} → {pct(t.share)} of feedback; "
        f"{t.baseline_average:.0f}/month before → {t.count})"
        for t in themes[:3]
    )


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
        rows.append([f"  from {escape_name(source)}", f"{n:,}", f"{p:,}", _items_change(ctx, n, p)])
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
    shown = list(ctx.now.by_language.items())[:6]
    langs = ", ".join(f"{escape_name(lang)} {pct(n / ctx.now.items, 0)}" for lang, n in shown)
    rest = ctx.now.items - sum(n for _, n in shown)
    if len(ctx.now.by_language) > len(shown):
        more = len(ctx.now.by_language) - len(shown)
        langs += f", {more} more {pct(rest / ctx.now.items)} (data quality lists them)"
    kinds = ", ".join(
        f"{KIND_LABEL.get(k, escape_name(k))}s {n:,}" for k, n in ctx.now.by_kind.items()
    )
    out += ["", _detectable(ctx)] if _detectable(ctx) else []
    out += [
        "",
        f"By kind: {kinds}. By language: {langs} (`und`: too short to tell"
        + (
            "; `other`: outside `[language] candidates`, unsure which"
            if "other" in ctx.now.by_language
            else ""
        )
        + ").",
        "",
        ctx.chart("volume", "Feedback received per month, by source"),
    ]
    return "\n".join(out)


def _detectable(ctx: Context) -> str:
    """The smallest change of share the month can detect, for a theme at 5% of feedback."""
    m = ctx.metrics
    earlier = m.trend_months[:-1][-3:]
    base = sum(m.headlines[mo].items for mo in earlier)
    n = ctx.now.items
    if not earlier or not base or not n:
        return ""
    p = 0.05
    # Two-proportion test at the 5% level with 80% power: (1.96 + 0.84) standard errors.
    mde = 2.8 * (p * (1 - p) * (1 / n + 1 / base)) ** 0.5
    thin = " This is a thin month: smaller moves are noise." if mde >= 0.02 else ""
    return (
        f"Smallest change this month can detect: a theme at 5% of feedback must move by "
        f"{100 * mde:.1f} pp or more ({n:,} items now against {base:,} in the baseline; 5% level, "
        f"80% power).{thin}"
    )


def _mover_rows(ctx: Context, themes: list[ThemeStats]) -> list[list[str]]:
    rows = []
    for t in themes:
        longer = ", ".join(f"{tr.months} mo {tr.verdict}" for tr in t.trends)
        rows.append(
            [
                ctx.label(t.intent_id) + (" (new)" if t.emerging else ""),
                f"{t.baseline_average:.0f} → {t.count}",
                f"{pct(t.baseline_share)} → {pct(t.share)}",
                pp(t.share, t.baseline_share),
                p_text(t.q_value),
                longer or "—",
            ]
        )
    return rows


_NOT_COMPARED = (
    "Not compared: the sample changed this month (see the top), so no share is read as a rise "
    "or a fall against the months before."
)


def _not_compared_now(ctx: Context) -> bool:
    return ctx.metrics.since == ctx.metrics.month and len(ctx.metrics.months) > 1


def _rising(ctx: Context) -> str:
    themes = rising(ctx)
    # Themes whose 3-month trend rises without this month's jump being called: slow climbers.
    climbing = [
        t
        for t in ctx.problems()
        if t.verdict != "rising" and any(tr.verdict == "rising" for tr in t.trends[:1])
    ]
    out = ["## Rising and emerging", ""]
    if _not_compared_now(ctx):
        out.append(_NOT_COMPARED)
    elif not themes and not climbing:
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
    growing = growing_proposals(ctx)
    if growing:
        out += [
            "",
            "Outside the taxonomy, discovery found themes whose share of feedback rose "
            f"significantly (same test): {growing}. See Proposed new themes.",
        ]
    return "\n".join(out)


def _falling(ctx: Context) -> str:
    themes = falling(ctx)
    out = ["## Falling", ""]
    if _not_compared_now(ctx):
        out.append(_NOT_COMPARED)
        return "\n".join(out)
    if not themes:
        out.append("No theme fell significantly this month.")
        return "\n".join(out)
    head = ["Theme", "Items a month", "Share", "Change", "q", "Longer trend"]
    out += [table(head, _mover_rows(ctx, themes), "lrrrrl")]
    return "\n".join(out)


def _all_themes(ctx: Context) -> str:
    """Every intent grouped by category, each category with its subtotal first."""
    m = ctx.metrics
    unassigned = [m.headlines[mo].unassigned for mo in m.months]
    before_u = unassigned[-2] if len(unassigned) > 1 else 0
    rows = _category_rows(ctx)
    totals = [m.headlines[mo].items for mo in m.months]
    before_total = totals[-2] if len(totals) > 1 else 0
    rows.append(
        [
            "**Unassigned**",
            f"**{unassigned[-1]}**",
            pct(unassigned[-1] / ctx.now.items),
            _share_change(unassigned[-1], ctx.now.items, before_u, before_total),
            spark(_shares(unassigned, totals)),
            "",
        ]
    )
    header = [
        "Category / theme",
        "Items",
        "Share",
        "Share vs last month",
        f"Share, {len(m.months)} months",
    ]
    return "\n".join(
        [
            "## All themes",
            "",
            "Categories in bold with their total, then their themes. Shares are of all feedback "
            "of the month; *Share vs last month* is the change of share in points; the sparkline "
            "is the share month by month; the trend is the month's test against the previous "
            "comparable months (appendix). Themes with fewer than "
            f"{MIN_SECTION_ITEMS} items this month are listed here only.",
            "",
            table([*header, "Trend"], rows, "lrrrll"),
        ]
    )


def _shares(counts: list[int], totals: list[int]) -> list[float]:
    return [c / n if n else 0.0 for c, n in zip(counts, totals, strict=True)]


def _share_change(now: int, total: int, before: int, before_total: int) -> str:
    """Change of share in points against last month, '—' without last month."""
    if not before_total or not total:
        return "—"
    return pp(now / total, before / before_total)


def _category_rows(ctx: Context) -> list[list[str]]:
    m = ctx.metrics
    prev = m.months[-2] if len(m.months) > 1 else ""
    total_now = ctx.now.items
    totals = {mo: m.headlines[mo].items for mo in m.months}
    by_id = {t.intent_id: t for t in m.themes}
    rows = []
    for cat_id, intents in ctx.inputs.taxonomy.by_category().items():
        history = m.categories.get(cat_id, dict.fromkeys(m.months, 0))
        now, before = history[m.month], history.get(prev, 0)
        name = escape_name(ctx.inputs.taxonomy.categories[cat_id].name)
        share = pct(now / total_now if total_now else 0.0)
        change_text = _share_change(now, total_now, before, totals.get(prev, 0))
        line = spark(_shares(list(history.values()), list(totals.values())))
        rows.append([f"**{name}**", f"**{now}**", share, change_text, line, ""])
        for intent in intents:
            t = by_id[intent.id]
            rows.append(
                [
                    f"  {escape_name(intent.name)}",
                    f"{t.count}",
                    pct(t.share),
                    _share_change(t.count, total_now, t.previous, totals.get(prev, 0)),
                    spark(_shares(list(t.history.values()), list(totals.values()))),
                    direction(t) if t.baseline_months else "—",
                ]
            )
    return rows
