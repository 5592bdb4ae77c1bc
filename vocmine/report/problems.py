"""One section per top problem: evidence, impact, trend, segments, quotes."""

from __future__ import annotations

from vocmine.measure.metrics import (
    BASELINE_MONTHS,
    ThemeStats,
)
from vocmine.report.context import Context
from vocmine.report.format import (
    KIND_LABEL,
    change,
    direction,
    escape_md,
    escape_name,
    month_name,
    months_text,
    p_text,
    pct,
    pp,
    table,
)
from vocmine.report.links import link_text, record_link
from vocmine.report.quotes import no_user_ids_hint, pick_quotes, quotable, taxonomy_examples
from vocmine.report.taxonomy_fit import top_problems_note


def baseline_days(ctx: Context) -> int:
    """Days of data in the baseline months (before the report month)."""
    months = ctx.metrics.trend_months[:-1][-BASELINE_MONTHS:]
    return sum(ctx.metrics.days(m) for m in months)


def stars(value: float | None, n: int) -> str:
    """A mean star rating with its count, or a dash when nothing was rated."""
    return "n/a" if value is None else f"{value:.2f}★ ({n})"


def signed(value: float, unit: str, digits: int = 2) -> str:
    """A difference with its sign and unit, e.g. "−0.42★"."""
    return f"{value:+.{digits}f}{unit}".replace("-", "−")


def _evidence(ctx: Context, t: ThemeStats) -> str:
    """The theme's evidence table: volume against the baseline, impact against the rest."""
    m = ctx.metrics.month
    before = f"{months_text(t.baseline_months)} before" if t.baseline_months else "(no data)"
    if ctx.per_day_mode:
        now_rate, base_rate = ctx.per_day(t.count, m), t.baseline / max(1, baseline_days(ctx))
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
            stars(t.avg_rating, t.ratings),
            f"{stars(rest_mean, len(rest_r))} rest",
            signed(imp.rating_diff[0], "★") if imp.rating_diff else "—",
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
        rows[-1].append(signed(imp.rating_lift, "★"))
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
    if t.baseline_months == 0 and ctx.metrics.since == ctx.metrics.month:
        out = ["Trend: not compared with earlier months: the sample changed (see the top)."]
    longer = [
        f"{tr.months} months: {tr.verdict} ({signed(100 * tr.slope, ' pp', 1)} a month, "
        f"q {_eq(tr.q_value)})"
        for tr in t.trends
    ]
    if longer:
        out.append("Longer trend in share: " + "; ".join(longer) + ".")
    now = ctx.frame[(ctx.frame["month"] == ctx.metrics.month)]
    for s in t.spikes:
        span = s.first if s.first == s.last else f"{s.first} to {s.last}"
        peak = now[(now["intent_id"] == t.intent_id) & (now["day"] == s.peak)]
        out.append(
            f"**Spike:** {span}, {s.items} items; peak {s.peak_count} on {s.peak} "
            f"(a normal day has about {s.expected:.1f}). Records of the peak day: "
            f"{_records(ctx, peak.sort_values('id'), 3)}."
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
        f"{escape_name(source)} {n} of {total} ({pct(n / total)}"
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
            f"this month, fewer than {minimum}, so a quote could single someone out"
            f"{no_user_ids_hint(ctx)}.\n"
        ]
    quotes = pick_quotes(
        ctx.frame,
        t.intent_id,
        ctx.metrics.month,
        ctx.inputs.config.report.quotes,
        exclude=taxonomy_examples(ctx.inputs.taxonomy),
        margin=ctx.inputs.config.report.quote_margin,
    )
    if not quotes:
        return [
            "No quote: no item of the theme is short enough and assigned with a clear margin "
            "over the next theme.\n"
        ]
    return [
        f"> “{escape_md(q.text)}”  \n> — {KIND_LABEL.get(q.kind, escape_name(q.kind))}, "
        f"{escape_name(q.source)}, {escape_name(q.language)}, {escape_name(q.date)}, "
        f"{_ref(ctx, q.source, q.external_id, q.extra)}\n"
        for q in quotes
    ]


def _ref(ctx: Context, source: str, external_id: str, extra: str) -> str:
    return link_text(*record_link(ctx.inputs.config.sources, source, external_id, extra))


def _records(ctx: Context, rows: object, n: int = 5) -> str:
    """Up to ``n`` records of a frame, as links or file:line, for drill-down."""
    import pandas as pd

    assert isinstance(rows, pd.DataFrame)
    refs = [
        _ref(ctx, str(r["source"]), str(r["external_id"]), str(r.get("extra") or "{}"))
        for _, r in rows.head(n).iterrows()
    ]
    more = len(rows) - n
    return ", ".join(refs) + (f" and {more} more (`vocmine export`)" if more > 0 else "")


def _spot_check(ctx: Context, intent_id: str) -> list[str]:
    """The card's line on how many of the theme's items a person read as on theme, if any."""
    reading = ctx.spot_check(intent_id)
    if reading is None:
        return []
    low, high = reading.interval()
    sheet = f"{ctx.metrics.month}-spot-check.csv"
    line = (
        f"**Read by a person:** {reading.on_theme} of {reading.read} random items on theme "
        f"({pct(reading.share, 0)}; 95% interval {pct(low, 0)}-{pct(high, 0)}) in "
        f"[{sheet}]({sheet})"
        if reading.read
        else f"**Read by a person:** no item read in [{sheet}]({sheet}) is still in this theme"
    )
    more = " more" if reading.read else ""
    notes = [f"{reading.moved}{more} read before an edit moved them"] if reading.moved else []
    if reading.unreadable:
        notes.append(f"{reading.unreadable} answer{'s' * (reading.unreadable > 1)} not y or n")
    return [line + (f" ({'; '.join(notes)})" if notes else "") + ".", ""]


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
        f"### {rank}. {escape_name(intent.name)}",
        "",
        f"`{intent.id}` · {intent.category} · priority {t.priority:.2f} "
        f"(volume {volume:.2f}, growth {growth:.2f}, impact {impact:.2f})",
        "",
        f"**Problem:** {escape_name(intent.problem)}",
        "",
        f"**Who and how many:** {t.count} items ({pct(t.share)} of all feedback) from "
        f"{t.users} distinct users: {by_kind}.",
        "",
        *_spot_check(ctx, t.intent_id),
        _evidence(ctx, t),
        "",
        ctx.chart(f"theme-{t.intent_id}", f"{intent.name}: share by month and items by day"),
        "",
        f"Items by month (counts): {history}",
        "",
        *(s + "\n" for s in _trend_sentences(ctx, t)),
        *(s + "\n" for s in _segments(t)),
    ]
    mine = kinds.sort_values(
        ["centrality" if "centrality" in kinds.columns else "score", "id"], ascending=[False, True]
    )
    lines.append(f"Records (most typical first): {_records(ctx, mine)}.\n")
    return "\n".join(lines + _quotes(ctx, t))


def top_problems(ctx: Context) -> str:
    """The "Top problems" section: one sub-section per problem, by priority."""
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
    if top_problems_note(ctx):
        out[2:2] = [top_problems_note(ctx), ""]
    out += [_problem_section(ctx, i, t) for i, t in enumerate(ctx.top(), 1)]
    return "\n".join(out)
