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

from vocmine.metrics import MonthlyMetrics, ThemeStats

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
    for colour, theme in zip(PALETTE, shown, strict=False):
        shares = [100 * theme.history[m] / totals[m] if totals[m] else 0.0 for m in months]
        ax.plot(range(len(months)), shares, marker="o", linewidth=2.2, color=colour)
        ends.append((shares[-1], names[theme.intent_id], colour))
    _label_line_ends(ax, ends, len(months) - 1)
    ax.set_xticks(range(len(months)), [_label(m) for m in months])
    ax.set_xlim(-0.3, len(months) - 1 + 2.6)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("% of all feedback that month")
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
    top = max(e[0] for e in ends) or 1.0
    gap = top * 0.075
    placed: list[float] = []
    for value, _, _ in ends:
        placed.append(max(value, placed[-1] + gap) if placed else value)
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
        ax.text(i, total, f"{total:,}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(range(len(months)), [_label(m) for m in months])
    ax.set_ylabel("items")
    ax.set_title("Feedback received per month, by source", loc="left", fontsize=12)
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_ylim(0, max([*bottoms, 1]) * 1.15)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return _save(fig, path)
