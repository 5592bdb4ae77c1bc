"""The report's appendix: method, statistical tests, impact, data quality and the run record.

Everything a sceptical reader may want to check, kept out of the ten-minute body.
"""

from __future__ import annotations

from vocmine import __version__
from vocmine.measure.coverage import source_coverage
from vocmine.measure.metrics import (
    EMERGING_SHARE,
    MIN_ITEMS,
    MIN_RELATIVE,
    SIGNIFICANCE,
    UNASSIGNED,
    ThemeStats,
    distinct_users,
)
from vocmine.measure.stats import newcombe, poisson_interval, wilson
from vocmine.report.context import Context
from vocmine.report.format import (
    ENGLISH_ONLY_MODELS,
    KIND_LABEL,
    direction,
    escape_md,
    escape_name,
    month_name,
    months_text,
    p_text,
    pct,
    table,
)
from vocmine.report.quotes import no_user_ids_hint, pick_quotes, quotable
from vocmine.themes.embed import canonical_model_id
from vocmine.themes.gate import REASONS


def render(ctx: Context) -> str:
    """The appendix, as one Markdown block."""
    return "\n\n".join(
        ["## Appendix", _method(ctx), _tests(ctx), _impact(ctx), _data_quality(ctx), _about(ctx)]
    )


def _method(ctx: Context) -> str:
    cfg = ctx.inputs.config.report
    n = max((t.baseline_months for t in ctx.metrics.themes), default=0)
    return "\n".join(
        [
            "### Method",
            "",
            "- **Shares, not counts.** A theme's share is its items over all items of the month, "
            "assigned or not, so a month with more feedback does not make every theme rise. "
            "A partial month (data stops before its last day) compares counts per day.",
            f"- **Rising or falling.** This month's share against the share over the previous "
            f"{months_text(n)} pooled: two-sided two-proportion z-test, Benjamini-Hochberg "
            f"corrected across every theme tested (q < {SIGNIFICANCE}). *Large enough to matter:* "
            f"the theme also has at least {MIN_ITEMS} items more (or fewer) than its baseline share "
            f"predicts for this month's volume, and its share moved by at least "
            f"{MIN_RELATIVE:.0%} of the baseline share. Anything else is stable.",
            "- **Longer trends.** Cochran-Armitage test for a linear trend in the share over the "
            "last 3 and 6 months (BH-corrected per window); the slope is the least-squares change "
            "of share per month. Called only if the fitted change over the window passes the same "
            "size rule.",
            f"- **Emerging.** A rising problem whose baseline share was under {EMERGING_SHARE:.1%}.",
            "- **Spikes.** Each day's items of a theme against a normal day (the theme's baseline "
            "share applied to that day's other feedback): exact Poisson upper tail, Bonferroni-corrected over every theme "
            "and day; a spike day also has at least 5 items and 3 times the expected count.",
            "- **Impact.** Average stars and negative-CSAT share of the theme against the rest of "
            "the month; *without it* = the month's figure recomputed without the theme's items.",
            f"- **Priority.** {cfg.weight_volume:g} × volume + {cfg.weight_growth:g} × growth + "
            f"{cfg.weight_impact:g} × impact (`[report] weight_*`). Volume = items / the largest "
            "problem's items; growth = items above the baseline share's prediction / the largest "
            "such excess, for problems called rising only; impact = mean of the rating lift and "
            "the CSAT lift, each over the largest one.",
            "- **Segments.** A theme is *concentrated* in an app version, country or language "
            "when that value holds at least half of its items that carry one, 1.5 times its share "
            "of the rest of the month, at least 10 items, and p < 0.001.",
            f"- **Quotes.** The items closest to the centre of the theme's items this month "
            f"(cosine similarity of their cached vectors to the mean), one per user, sources and "
            f"languages in turn; only for themes with at least {cfg.min_quote_users} distinct "
            "users (`[report] min_quote_users`). Redacted at ingest, escaped here.",
        ]
    )


def _ci(bounds: tuple[float, float], scale: float = 100.0, unit: str = "") -> str:
    lo, hi = bounds
    return f"[{scale * lo:.1f}, {scale * hi:.1f}]{unit}".replace("-", "−")


def _test_row(ctx: Context, t: ThemeStats) -> list[str]:
    n_now = t.total
    share = f"{pct(t.share)} {_ci(wilson(t.count, n_now))}"
    base = f"{pct(t.baseline_share)} {_ci(wilson(t.baseline, t.baseline_total))}"
    diff = newcombe(t.count, n_now, t.baseline, t.baseline_total)
    delta = f"{100 * (t.share - t.baseline_share):+.1f} {_ci(diff)}".replace("-", "−")
    days = max(1, ctx.metrics.days(ctx.metrics.month))
    lo, hi = poisson_interval(t.count)
    per_day = f"{t.count / days:.2f} [{lo / days:.2f}, {hi / days:.2f}]"
    trends = [
        f"{100 * tr.slope:+.2f} (q {p_text(tr.q_value)})".replace("-", "−") for tr in t.trends
    ]
    trends += ["—"] * (2 - len(trends))
    return [
        ctx.label(t.intent_id),
        share,
        base,
        delta,
        p_text(t.p_value),
        p_text(t.q_value),
        per_day,
        *trends,
        direction(t),
    ]


def _tests(ctx: Context) -> str:
    tested = [t for t in ctx.metrics.themes if t.baseline_months and sum(t.history.values())]
    tested.sort(key=lambda t: (t.q_value, t.intent_id))
    head = [
        "Theme",
        "Share % [95% CI]",
        "Baseline % [95% CI]",
        "Diff pp [95% CI]",
        "p",
        "q",
        "Items/day [95% CI]",
        "3-mo slope pp/mo",
        "6-mo slope pp/mo",
        "Verdict",
    ]
    intro = (
        "Every theme tested this month, most significant first. Share intervals are Wilson score "
        "intervals; the difference interval is Newcombe's hybrid score interval; items per day "
        "carry an exact Poisson interval."
    )
    if not tested:
        return "### Statistical tests\n\nNo earlier month to test against."
    rows = [_test_row(ctx, t) for t in tested]
    return "\n".join(["### Statistical tests", "", intro, "", table(head, rows, "lrrrrrrrrl")])


def _impact_row(ctx: Context, t: ThemeStats) -> list[str]:
    imp = t.impact
    assert imp is not None
    rating = "—"
    if imp.rating_diff is not None:
        d, lo, hi = imp.rating_diff
        rating = f"{d:+.2f} [{lo:+.2f}, {hi:+.2f}]".replace("-", "−")
    csat = "—"
    if imp.csat_diff is not None and imp.csat_share is not None and imp.csat_rest_share is not None:
        csat = f"{100 * (imp.csat_share - imp.csat_rest_share):+.1f} {_ci(imp.csat_diff)}"
        csat = csat.replace("-", "−")
    lift = "—" if imp.rating_lift is None else f"{imp.rating_lift:+.3f}".replace("-", "−")
    csat_lift = "—" if imp.csat_lift is None else f"{-100 * imp.csat_lift:+.2f}".replace("-", "−")
    row = [ctx.label(t.intent_id), rating, csat, lift, csat_lift]
    return row if imp.cost is None else [*row, f"{imp.cost:,.2f}"]


def _impact(ctx: Context) -> str:
    themes = [t for t in ctx.problems() if t.impact is not None]
    cur = ctx.inputs.config.report.currency
    rows = [_impact_row(ctx, t) for t in themes]
    head = [
        "Problem",
        "Stars vs rest [95% CI]",
        "Negative CSAT vs rest pp [95% CI]",
        "Store rating without it",
        "Negative CSAT without it pp",
        f"Ticket cost {cur}",
    ]
    width = len(rows[0]) if rows else len(head) - 1  # the cost column only when configured
    return "\n".join(
        [
            "### Impact on ratings and CSAT",
            "",
            "Stars: Welch interval of the difference of means; CSAT: Newcombe interval. "
            "*Without it*: how much the month's average rating (stars) or negative-CSAT share "
            "(points) would change if the theme's items were removed."
            + (
                ""
                if ctx.inputs.config.report.cost_per_contact
                else " Ticket cost: set `[report] cost_per_contact` to show it."
            ),
            "",
            ctx.chart("rating-impact", "How much each problem lowers the store rating and CSAT"),
            "",
            table(head[:width], rows, "lrrrrr"[:width]),
        ]
    )


def _unassigned_why(ctx: Context) -> str:
    """Why the month's unassigned items hold no intent, largest reason first, as counted at
    assignment: far from every intent calls for discovery, texts that say nothing do not."""
    frame = ctx.frame
    now = frame[(frame["month"] == ctx.metrics.month) & (frame["intent_id"] == UNASSIGNED)]
    reasons = now["reason"].dropna()  # load_items reads it with the assignment
    if reasons.empty:  # nothing unassigned, or nothing that says why
        return (
            ' matched no intent closely enough, named nothing an intent could hold ("good app" '
            "under a problem), or sat between several intents"
        )
    counts = reasons.value_counts()
    parts = [
        f"{n:,} {REASONS.get(code, escape_name(code))}"
        for code, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    ]
    if len(now) > len(reasons):
        parts.append(f"{len(now) - len(reasons):,} held an intent the taxonomy no longer has")
    return ": " + ", ".join(parts)


def _unassigned_examples(ctx: Context, n: int = 5) -> list[str]:
    """A few unassigned items, closest to an intent first: what the taxonomy does not cover yet."""
    now = ctx.frame[(ctx.frame["month"] == ctx.metrics.month)]
    users = distinct_users(now[now["intent_id"] == UNASSIGNED])
    minimum = ctx.inputs.config.report.min_quote_users
    if not quotable(users, minimum):
        return [
            f"  Closest unassigned feedback not shown: {users} distinct users, fewer than "
            f"{minimum}{no_user_ids_hint(ctx)}."
        ]
    # Closest to an intent = highest assignment score, not closest to the unassigned centre.
    quotes = pick_quotes(
        ctx.frame.drop(columns="centrality", errors="ignore"), UNASSIGNED, ctx.metrics.month, n
    )
    if not quotes:
        return []
    head = (
        "  Closest unassigned feedback, candidates for new intents or for new examples of an "
        "existing one:"
    )
    return [head] + [
        f"  - “{escape_md(q.text)}” ({KIND_LABEL.get(q.kind, escape_name(q.kind))}, "
        f"{escape_name(q.source)}, {escape_name(q.language)})"
        for q in quotes
    ]


def _coverage_lines(ctx: Context) -> list[str]:
    """Days covered this month, overall and per source, with the gaps; earlier partial months."""
    m = ctx.metrics
    out = []
    cov = m.day_coverage.get(m.month)
    if cov is not None:
        strays = f"; {cov.strays} stray items on those days" if cov.strays else ""
        out.append(
            f"- **Coverage:** {len(cov.covered)} of {cov.days} days covered "
            f"(gaps: {cov.gap_text()}{strays})."
        )
        for source, c in source_coverage(ctx.frame, m.month).items():
            if c.gaps:
                out.append(
                    f"  - {escape_name(source)}: {len(c.covered)} of {c.days} days, "
                    f"gaps {c.gap_text()}"
                )
    earlier = [
        f"{month_name(mo)} {len(c.covered)}/{c.days} days (gaps: {c.gap_text()})"
        for mo, c in m.day_coverage.items()
        if mo != m.month and c.partial
    ]
    if earlier:
        out.append(
            f"- **Partial earlier months** (compared per covered day): {'; '.join(earlier)}."
        )
    return out


def _data_quality(ctx: Context) -> str:
    by_reason, listed = ctx.rejects
    now = ctx.now
    lines = ["### Data quality", ""]
    total = sum(by_reason.values())
    # Reasons quote the bad cell ("unparseable date '<img ...>'"): escaped like the cell itself.
    reasons = ", ".join(f"{n} {escape_name(r)}" for r, n in by_reason.items()) or "none"
    lines.append(f"- **Rows skipped at ingest (all files so far):** {total} ({reasons}).")
    for source, location, reason in listed[:10]:
        lines.append(
            f"  - {escape_md(location)} ({escape_name(source)}): {escape_md(reason, inline=True)}"
        )
    if len(listed) > 10:
        lines.append(
            f"  - … and {len(listed) - 10} more: `vocmine status --rejects` lists them all."
        )
    lines.append(
        f"- **Unassigned:** {now.unassigned:,} of {now.items:,} items "
        f"({pct(now.unassigned / now.items)}){_unassigned_why(ctx)}; "
        "they are counted in every share above."
    )
    lines += _unassigned_examples(ctx)
    lines += _coverage_lines(ctx)
    langs = ", ".join(f"{escape_name(k)} {v:,}" for k, v in now.by_language.items())
    lines.append(f"- **Languages this month:** {langs}.")
    model = canonical_model_id(ctx.inputs.config.embedding.model)
    lines.append(_model_line(ctx, model))  # issue 14: which model ran, why, and its scale
    other = sum(v for k, v in now.by_language.items() if k not in ("en", "und"))
    if model in ENGLISH_ONLY_MODELS and other / now.items > 0.2:
        lines.append(
            f"- **Warning:** {pct(other / now.items, 0)} of this month's feedback is not in "
            f"English, and the embedding model ({model}) was trained on English. "
            "Assignment leans on the taxonomy's examples in each language; for better "
            'accuracy set `[embedding] model = "multilingual-e5-small"` (packaged, offline) '
            'or `"auto"`.'
        )
    return "\n".join(lines)


def _model_line(ctx: Context, model: str) -> str:
    """The embedding model that ran, why, and the similarity scale its thresholds were read on."""
    from vocmine.themes.assign import taxonomy_scale

    reason = ctx.inputs.config.embedding.reason or "set in vocmine.toml"
    scale = taxonomy_scale(ctx.inputs.store, ctx.inputs.taxonomy, model_id=model)
    calibrated = (
        f"; similarity thresholds calibrated to it: {escape_md(scale.describe(), inline=True)}"
        if scale is not None
        else ""
    )
    return f"- **Embedding model:** {escape_name(model)} ({escape_md(reason, inline=True)}){calibrated}."


def _code(text: str) -> str:
    """``text`` as a code span in a table cell: no backtick can end it, no "|" split the row."""
    if "`" in text or "|" in text:
        return escape_name(text)
    return f"`{text}`"


def _about(ctx: Context) -> str:
    tax = ctx.inputs.taxonomy
    cfg = ctx.inputs.config
    db = ctx.db_counts
    rows = [
        ["vocmine", __version__],
        ["Command", _code(ctx.inputs.command)],
        ["Embedding model", canonical_model_id(cfg.embedding.model)],
        [
            "Taxonomy",
            f"{escape_name(tax.name)} {escape_name(str(tax.version))}, {len(tax.intents)} "
            f"intents, hash {tax.hash[:12]}",
        ],
        [
            "Assignment",
            f"method {cfg.assign.method}, k {cfg.assign.k}, threshold {cfg.assign.threshold}, "
            f"min probability {cfg.assign.min_probability}, noise company "
            f"{cfg.assign.noise_company}, key {ctx.inputs.assign_key[:12]}",
        ],
        [
            "Database",
            f"{db['items']:,} items from {db['sources']} sources, "
            f"{db['first'][:10]} to {db['last'][:10]}, {db['rejects']} rejects",
        ],
    ]
    if ctx.spot_checks:  # the report reads a file beside it: say which, and what it counted
        counted = sum(r.read for r in ctx.spot_checks)
        intents = sum(1 for r in ctx.spot_checks if r.read)
        rows.append(
            [
                "Spot check",
                f"`{ctx.metrics.month}-spot-check.csv`: {counted} answers counted for "
                f"{intents} intent{'s' * (intents != 1)}",
            ]
        )
    return "\n".join(
        [
            "### Run record",
            "",
            "Months are calendar months in UTC. No wall-clock time is written: the same database "
            "and taxonomy give a byte-identical report and charts.",
            "",
            table(["Run record", ""], rows, "ll"),
        ]
    )
