"""PNG charts for the report, drawn with matplotlib's Agg backend.

Charts are deterministic: no timestamps or software versions in the PNG metadata, fixed size, fixed
colours, so the same database gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from vocmine.measure.metrics import MonthlyMetrics, ThemeStats
from vocmine.measure.stats import wilson

# Colour-blind-safe palette (Okabe-Ito), in a fixed order.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]


def _label(month: str) -> str:
    import calendar

    year, mon = month.split("-")
    return (
        f"{calendar.month_abbr[int(mon)]}\n{year}" if mon == "01" else calendar.month_abbr[int(mon)]
    )


def _save(fig: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path


def _mark_break(ax: plt.Axes, metrics: MonthlyMetrics) -> None:
    """A dashed line where the sample changed: shares either side are not comparable."""
    if metrics.since is None or metrics.since not in metrics.months[1:]:
        return
    x = metrics.months.index(metrics.since) - 0.5
    ax.axvline(x, color="#666666", linestyle="--", linewidth=1)
    ax.annotate(
        "sample changed",
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, -2),
        textcoords="offset points",
        va="top",
        fontsize=8,
        color="#444444",
    )


def chart_themes(metrics: MonthlyMetrics, *, problems: set[str], n: int) -> list[ThemeStats]:
    """The themes the top-problems chart draws: problems seen this month, by priority."""
    return [t for t in metrics.themes if t.count > 0 and t.intent_id in problems][:n]


def top_themes_chart(
    metrics: MonthlyMetrics,
    names: dict[str, str],
    path: Path,
    *,
    problems: set[str],
    n: int = 6,
) -> Path:
    """Line chart: share of all feedback of the top ``n`` problems, month by month.

    Only intents in ``problems`` are drawn: praise and requests are not problems.
    """
    months = metrics.months
    fig, ax = plt.subplots(figsize=(9, 4.8))
    shown = chart_themes(metrics, problems=problems, n=n)
    totals = {m: metrics.headlines[m].items for m in months}
    ends = []
    highest = 0.0
    for colour, theme in zip(PALETTE, shown, strict=False):
        shares = [100 * theme.history[m] / totals[m] if totals[m] else 0.0 for m in months]
        ax.plot(range(len(months)), shares, marker="o", linewidth=2.2, color=colour)
        ends.append((shares[-1], names[theme.intent_id], colour))
        highest = max(highest, *shares)
    # The scale first: labels are spaced in axis units, whatever month holds the highest share.
    ax.set_ylim(0, (highest or 1.0) * 1.1)
    _label_line_ends(ax, ends, len(months) - 1)
    ax.set_xticks(range(len(months)), [_label(m) for m in months])
    ax.set_xlim(-0.3, len(months) - 1 + 2.6)
    ax.set_ylabel("% of all feedback that month")
    _mark_break(ax, metrics)
    ax.set_title("Top problems: share of all feedback, month by month", loc="left", fontsize=12)
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return _save(fig, path)


def _label_line_ends(ax: plt.Axes, ends: list[tuple[float, str, str]], x: int) -> None:
    """Name each line at its right end, nudged apart so that labels never overlap."""
    if not ends:
        return
    ends = sorted(ends)
    low, high = ax.get_ylim()
    # One label's height (9 pt) in data units, plus a margin.
    height_px = ax.get_window_extent().height or 1.0
    gap = (high - low) * 1.6 * 9 * ax.figure.dpi / 72 / height_px
    placed: list[float] = []
    for value, _, _ in ends:
        placed.append(max(value, placed[-1] + gap) if placed else value)
    if placed and placed[-1] + gap > high:
        ax.set_ylim(low, placed[-1] + gap)
    for (value, name, colour), y in zip(ends, placed, strict=True):
        ax.annotate(
            f"{name} ({value:.1f}%)",
            xy=(x, value),
            xytext=(x + 0.15, y),
            color=colour,
            fontsize=9,
            va="center",
            arrowprops={"arrowstyle": "-", "color": colour, "alpha": 0.4} if y != value else None,
        )


def volume_chart(metrics: MonthlyMetrics, path: Path) -> Path:
    """Stacked bars: items per month by source, with the month's total on top."""
    months = metrics.months
    sources = sorted({s for m in months for s in metrics.headlines[m].by_source})
    fig, ax = plt.subplots(figsize=(9, 3.8))
    bottoms = [0] * len(months)
    for colour, source in zip(PALETTE, sources, strict=False):
        values = [metrics.headlines[m].by_source.get(source, 0) for m in months]
        ax.bar(range(len(months)), values, bottom=bottoms, color=colour, label=source, width=0.65)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    for i, total in enumerate(bottoms):
        covered, days = metrics.coverage.get(months[i], (1, 1))
        # A partial month's bar is short because days are missing, not because feedback fell.
        note = f"\npartial: {covered}/{days} days" if covered < days else ""
        ax.text(i, total, f"{total:,}{note}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(range(len(months)), [_label(m) for m in months])
    ax.set_ylabel("items")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Feedback received per month, by source", loc="left", fontsize=12)
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_ylim(0, max([*bottoms, 1]) * 1.15)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return _save(fig, path)


def draw_all(
    metrics: MonthlyMetrics,
    names: dict[str, str],
    folder: Path,
    *,
    top: list[ThemeStats],
    problems: set[str],
    impact_themes: list[ThemeStats] | None = None,
) -> list[Path]:
    """Every chart of the report, in the order the report shows them.

    Usage::

        draw_all(metrics, names, Path("reports/2026-10"), top=top, problems=problem_ids)
    """
    paths = [
        volume_chart(metrics, folder / "volume.png"),
        top_themes_chart(metrics, names, folder / "top-themes.png", problems=problems),
    ]
    rising = [t for t in metrics.themes if t.intent_id in problems and t.verdict == "rising"]
    if rising:
        paths.append(rising_chart(rising, names, folder / "rising.png"))
    # The appendix's impact chart covers the top problems, small ones too (no section of their own).
    impact_themes = top if impact_themes is None else impact_themes
    if any(t.impact and t.impact.rating_lift is not None for t in impact_themes):
        paths.append(impact_chart(impact_themes, names, folder / "rating-impact.png"))
    paths += [theme_chart(metrics, t, names, folder / f"theme-{t.intent_id}.png") for t in top]
    return paths


def rising_chart(themes: list[ThemeStats], names: dict[str, str], path: Path) -> Path:
    """Each rising problem's share before (grey) and now (colour), with 95% Wilson intervals."""
    themes = sorted(themes, key=lambda t: (t.share - t.baseline_share, t.intent_id))
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.55 * len(themes)))
    for y, t in enumerate(themes):
        before, now = 100 * t.baseline_share, 100 * t.share
        lo_b, hi_b = (100 * v for v in wilson(t.baseline, t.baseline_total))
        lo_n, hi_n = (100 * v for v in wilson(t.count, t.total))
        # A faint dotted arrow shows the direction without being mistaken for an interval.
        ax.annotate(
            "",
            xy=(now, y),
            xytext=(before, y),
            arrowprops={"arrowstyle": "->", "color": "#cccccc", "linestyle": ":", "lw": 1.2},
            zorder=1,
        )
        ax.errorbar(
            before,
            y,
            xerr=[[before - lo_b], [hi_b - before]],
            fmt="o",
            color="#999999",
            capsize=3,
            zorder=2,
        )
        ax.errorbar(
            now,
            y,
            xerr=[[now - lo_n], [hi_n - now]],
            fmt="o",
            color=PALETTE[1],
            capsize=3,
            zorder=3,
        )
        ax.annotate(
            f"{before:.1f}% → {now:.1f}%",
            xy=(hi_n, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.set_yticks(range(len(themes)), [names[t.intent_id] for t in themes])
    ax.set_xlim(0, max(100 * wilson(t.count, t.total)[1] for t in themes) * 1.35)
    ax.set_ylim(-0.6, len(themes) - 0.4)
    ax.set_xlabel("% of all feedback (grey: previous months pooled; orange: this month; 95% CI)")
    ax.set_title("Rising problems: share of feedback before and now", loc="left", fontsize=12)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return _save(fig, path)


def impact_chart(themes: list[ThemeStats], names: dict[str, str], path: Path) -> Path:
    """How much higher the store rating (stars) and lower the negative CSAT (points) would be
    without each top problem."""
    themes = list(reversed(themes))
    labels = [names[t.intent_id] for t in themes]
    stars = [(t.impact.rating_lift or 0.0) if t.impact else 0.0 for t in themes]
    csat = [100 * (t.impact.csat_lift or 0.0) if t.impact else 0.0 for t in themes]
    panels = [(stars, PALETTE[0], "★", "Store rating would rise by (stars)")]
    if any(t.impact and t.impact.csat_lift is not None for t in themes):  # no empty CSAT panel
        panels.append((csat, PALETTE[1], " pp", "Negative CSAT would drop by (points)"))
    fig, axes = plt.subplots(
        1, len(panels), figsize=(5 + 5 * len(panels), 1.4 + 0.45 * len(themes)), sharey=True
    )
    axes = list(axes) if len(panels) > 1 else [axes]
    left = axes[0]
    for ax, (values, colour, unit, title) in zip(axes, panels, strict=True):
        ax.barh(range(len(themes)), values, color=colour, height=0.6)
        for y, v in enumerate(values):
            # Labels start right of zero: a negative bar's label must not sit on the bar.
            ax.text(max(v, 0.0), y, f" {v:+.2f}{unit}".replace("-", "−"), va="center", fontsize=8)
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_title(title, loc="left", fontsize=10)
        top = max([abs(v) for v in values] + [0.01])
        ax.set_xlim(min([*values, 0.0]) - 0.1 * top, top * 1.45)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    left.set_yticks(range(len(themes)), labels)
    fig.suptitle("Without each top problem this month", x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    return _save(fig, path)


def theme_chart(metrics: MonthlyMetrics, t: ThemeStats, names: dict[str, str], path: Path) -> Path:
    """Left: the theme's share by month with 95% intervals. Right: its items by day this month,
    spike days in orange."""
    months = metrics.months
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(10, 3.2), gridspec_kw={"width_ratios": [1, 1.6]}
    )
    totals = [metrics.headlines[m].items for m in months]
    shares = [100 * t.history[m] / n if n else 0.0 for m, n in zip(months, totals, strict=True)]
    bounds = [wilson(t.history[m], n) for m, n in zip(months, totals, strict=True)]
    xs = range(len(months))
    left.fill_between(
        xs,
        [100 * b[0] for b in bounds],
        [100 * b[1] for b in bounds],
        color=PALETTE[0],
        alpha=0.15,
        linewidth=0,
    )
    left.plot(xs, shares, marker="o", color=PALETTE[0], linewidth=2)
    left.set_xticks(list(xs), [_label(m) for m in months])
    left.set_ylim(bottom=0)
    left.set_ylabel("% of all feedback")
    _mark_break(left, metrics)
    left.set_title("Share by month (95% CI)", loc="left", fontsize=10)
    days = list(t.daily)
    spike_days = {d for s in t.spikes for d in days if s.first <= d <= s.last}
    colours = [PALETTE[1] if d in spike_days else PALETTE[0] for d in days]
    right.bar(range(len(days)), [t.daily[d] for d in days], color=colours, width=0.8)
    cov = metrics.day_coverage.get(metrics.month)
    gap_days = {d for a, b in (cov.gaps if cov else ()) for d in days if a <= d <= b}
    for i, d in enumerate(days):
        if d in gap_days:  # days without regular data: not zero feedback, missing data
            right.axvspan(i - 0.5, i + 0.5, color="#bbbbbb", alpha=0.35, linewidth=0, hatch="//")
    ticks = [i for i, d in enumerate(days) if int(d[8:]) in (1, 8, 15, 22, 29)]
    right.set_xticks(ticks, [days[i][5:] for i in ticks])
    right.set_ylabel("items")
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_ylim(bottom=0, top=max([*t.daily.values(), 1]) * 1.1)
    notes = [" (orange: spike)"] if spike_days else []
    if gap_days:
        notes.append(" (grey: no data)")
    title = "Items by day this month" + "".join(notes)
    right.set_title(title, loc="left", fontsize=10)
    for ax in (left, right):
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.suptitle(names[t.intent_id], x=0.01, ha="left", fontsize=12)
    fig.tight_layout()
    return _save(fig, path)
