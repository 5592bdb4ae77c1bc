"""What the report says when the taxonomy does not fit the month, and which intents to retire.

The figures come from :mod:`vocmine.measure.fit`. The warning is the first line of the summary:
a reader who stops there must know that the themes below describe a minority of the feedback.
"""

from __future__ import annotations

from vocmine.measure.fit import TaxonomyFit
from vocmine.report.context import Context
from vocmine.report.format import escape_name, month_name, pct, table


def _share_text(share: float, threshold: float) -> str:
    """'81%', or '40.3%' when whole percents would show the share equal to the threshold."""
    text = pct(share, 0)
    return pct(share) if text == pct(threshold, 0) else text


def _warned(ctx: Context) -> TaxonomyFit | None:
    """The month's fit when it warns, else None."""
    fit = ctx.fit
    return fit if fit is not None and fit.warn else None


def _matched(fit: TaxonomyFit) -> str:
    """The share of the month that matched an intent, as the warning words it."""
    return _share_text(1 - fit.share, 1 - fit.threshold)


def fit_warning(ctx: Context) -> str:
    """The summary's first line when too much of the month matched no intent; '' otherwise.

    Example:
        >>> from types import SimpleNamespace
        >>> fit = TaxonomyFit("2024-08", items=3223, unassigned=2611, threshold=0.4, retire_after=3)
        >>> fit_warning(SimpleNamespace(fit=fit, metrics=SimpleNamespace(month="2024-08")))
        '- **The taxonomy does not fit this month:** 81% of 3,223 items (2,611) matched no intent ...'
    """
    fit = _warned(ctx)
    if fit is None:
        return ""
    month = ctx.metrics.month
    return (
        f"- **The taxonomy does not fit this month:** {_share_text(fit.share, fit.threshold)} "
        f"of {fit.items:,} items ({fit.unassigned:,}) matched no intent (warning above "
        f"{pct(fit.threshold, 0)}, `[report] unassigned_warning`), so the themes below describe "
        f"only the {_matched(fit)} that did. Run "
        f"`vocmine discover --month {month}` to propose intents from the unassigned feedback (or "
        "`vocmine taxonomy draft` to draw a first taxonomy from the data, for a new product) "
        "before reading the themes below."
    )


def top_problems_label(ctx: Context) -> str:
    """The summary's name for its top-problems line: qualified when the taxonomy does not fit."""
    fit = _warned(ctx)
    if fit is None:
        return "**Top problems** (volume, growth and impact)"
    return (
        f"**Top problems of the taxonomy** (only {_matched(fit)} of the month matched an intent: "
        "the largest themes it knows, not necessarily the month's main problems)"
    )


def top_problems_note(ctx: Context) -> str:
    """A sentence for the Top problems section when the taxonomy does not fit; '' otherwise."""
    fit = _warned(ctx)
    if fit is None:
        return ""
    return (
        f"**Only {_matched(fit)} of this month's items matched an intent** (see In one minute): these "
        "are the largest themes the taxonomy knows, not necessarily the month's main problems."
    )


def _window_text(window: tuple[str, ...]) -> str:
    if len(window) == 1:
        return month_name(window[0])
    return f"{month_name(window[0])} to {month_name(window[-1])}"


def retire_line(ctx: Context) -> str:
    """The summary's line on intents to retire; '' when there are none or too little data."""
    fit = ctx.fit
    if fit is None or not fit.candidates:
        return ""
    n = len(fit.candidates)
    return (
        f"- **Taxonomy:** {n} of {len(ctx.inputs.taxonomy.intents)} intents had no item in "
        f"{_window_text(fit.window)}: candidate{'s' if n > 1 else ''} to retire "
        "(see Intents to retire)."
    )


def retire_section(ctx: Context) -> str:
    """The intents with no item in the judged months, with the commands that retire them."""
    fit = ctx.fit
    if fit is None or not fit.candidates:
        return ""
    window = _window_text(fit.window)
    rows = [
        [
            escape_name(ctx.inputs.taxonomy.intent(c.intent_id).name),
            f"`{c.intent_id}`",
            c.added or "not in the changelog",
        ]
        for c in fit.candidates
    ]
    # One command for all (all or none, re-assigning once), three ids to a line.
    ids = [c.intent_id for c in fit.candidates]
    lines = [" ".join(ids[i : i + 3]) for i in range(0, len(ids), 3)]
    commands = (
        " \\\n    ".join(["vocmine taxonomy retire " + lines[0], *lines[1:]])
        + f' \\\n    --reason "no item in {window}"'
    ).split("\n")
    out = [
        "## Intents to retire",
        "",
        f"These intents had no item in {window}, the last {len(fit.window)} months with data "
        f"(`[report] retire_after_months`): none among {fit.window_items:,} items puts each "
        f"under {pct(3 / fit.window_items, 2)} of feedback (95% bound). Check that what they "
        "describe no longer happens (a feature removed, a fix shipped, another product), then "
        "retire them: an id stays reserved and earlier reports keep their meaning.",
        "",
        table(["Intent", "Id", "Added"], rows, "lll"),
        "",
        "```sh",
        *commands,
        "```",
    ]
    if fit.recent:
        recent = ", ".join(f"`{i}`" for i in fit.recent)
        out += [
            "",
            f"Not listed though without items: {recent}, added on or after "
            f"{month_name(fit.window[0])} (too recent to judge).",
        ]
    return "\n".join(out)
