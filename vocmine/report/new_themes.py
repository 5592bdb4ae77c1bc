"""What discovery proposes: pending proposals, tested on their share of feedback like intents."""

from __future__ import annotations

from vocmine.measure.metrics import (
    DiscoveredTrend,
    discovered_trends,
)
from vocmine.report.context import Context
from vocmine.report.format import (
    DRAFTED,
    escape_md,
    month_name,
    p_text,
    pct,
    table,
)
from vocmine.report.quotes import quotable
from vocmine.taxonomy.proposals import Proposal, noise_buckets

MAX_DETAILED_PROPOSALS = 5  # the rest go in one table: the section stays short


def proposal_trends(ctx: Context) -> dict[tuple[str, str], DiscoveredTrend]:
    """Each pending proposal of this month tested on its share of feedback, like an intent."""
    month = ctx.metrics.month
    totals = {m: h.items for m, h in ctx.metrics.headlines.items()}
    current = [p for p in ctx.proposals or [] if p.month == month and month in p.growth]
    found = discovered_trends({p.key: p.growth for p in current}, totals, month)
    return {(p.month, p.key): found[p.key] for p in current}


def rising_proposals(ctx: Context) -> list[tuple[Proposal, DiscoveredTrend]]:
    """Pending proposals whose share of feedback rose significantly, largest rise first."""
    trends = proposal_trends(ctx)
    rising_ = [
        (p, trends[(p.month, p.key)])
        for p in ctx.proposals or []
        if (p.month, p.key) in trends and trends[(p.month, p.key)].verdict == "rising"
    ]
    return sorted(rising_, key=lambda pt: (-(pt[1].share - pt[1].baseline_share), pt[0].key))


def growing_proposals(ctx: Context) -> str:
    """'P17 Team challenges (new; 0/month, 0.0% → 12, 1.2% of feedback; q 0.002)' for rising proposals."""
    parts = [
        f"{escape_md(p.key, inline=True)} {escape_md(p.name, inline=True)} "
        f"({'new; ' if t.emerging else ''}{t.baseline_average:.0f}/month, {pct(t.baseline_share)} "
        f"→ {t.count}, {pct(t.share)} of feedback; q {p_text(t.q_value)})"
        for p, t in rising_proposals(ctx)
    ]
    return ", ".join(parts)


def proposals_section(ctx: Context) -> str:
    """The "Proposed new themes" section: rising proposals in detail, the rest in a table."""
    out = ["## Proposed new themes", ""]
    if ctx.proposals is None:
        out.append(
            f"Discovery has not run: `vocmine discover --month {ctx.metrics.month}` proposes "
            "themes from the unassigned feedback into `taxonomy/proposals/`."
        )
        return "\n".join(out)
    noise = buckets_line(ctx)
    if not ctx.proposals:
        out.append("No proposal is waiting in `taxonomy/proposals/`.")
        out += ["", noise] if noise else []
        return "\n".join(out)
    out.append(
        "Waiting for review in `taxonomy/proposals/` (`vocmine taxonomy accept` or `reject`); "
        "items and users as found by discovery. In detail: the themes that rose significantly "
        "and the proposed new intents; the others in the table."
    )
    out += ["", noise] if noise else []
    rising_keys = [(p.month, p.key) for p, _ in rising_proposals(ctx)]
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


def buckets_line(ctx: Context) -> str:
    """'Set aside by discovery ...: praise 516, no text 46.' ('' when discovery counted none).

    The buckets are feedback with no actionable theme; they are counted, never proposed.
    """
    found = noise_buckets(ctx.inputs.taxonomy.root / "proposals", ctx.metrics.month)
    if not found:
        return ""
    parts = ", ".join(f"{b.name.replace('_', ' ')} {b.size}" for b in found)
    return (
        "Set aside by discovery as feedback with no actionable theme (counted, never "
        f"proposed): {escape_md(parts)}."
    )


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
    if p.problem:
        lines.append(f"Suggested problem statement: {escape_md(p.problem)}.")
    minimum = ctx.inputs.config.report.min_quote_users
    quotes = p.quotes[: ctx.inputs.config.report.quotes] if quotable(p.users, minimum) else []
    if not quotable(p.users, minimum):
        lines.append(f"Not quoted: fewer than {minimum} distinct users.")
    for q in quotes:
        lines.append(
            f"> “{escape_md(q.text)}” — {escape_md(q.source)}, "
            f"{escape_md(q.language)}, {escape_md(q.date)}"
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
            "quotes": [q.text for q in quotes],
        }
        text = drafter("proposal", facts)
        if text:
            lines += ["", f"Draft problem statement: {escape_md(text)}", "", DRAFTED]
    return lines
