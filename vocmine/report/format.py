"""Small Markdown helpers of the report: escaping, numbers, months, sparklines, tables.

User text is hostile: everything that came from feedback or from a file goes through
:func:`escape_md` before it reaches the Markdown.
"""

from __future__ import annotations

import calendar
import re

from vocmine.measure.metrics import ThemeStats

DRAFTED = "*Drafted by a language model from the figures above; check before quoting.*"
SPARKS = "▁▂▃▄▅▆▇█"
KIND_LABEL = {
    "ticket": "support ticket",
    "csat": "CSAT comment",
    "review": "store review",
    "survey": "survey answer",
}
# Models trained on English only: a report warns when much feedback is in other languages.
ENGLISH_ONLY_MODELS = {"sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"}

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# "!" needs no escape once "[" has one (no image can start); "@" and "#" would become GitHub
# mentions and issue links.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#&$@])")


def escape_md(text: str, *, inline: bool = False) -> str:
    """Make user text inert in Markdown and HTML: no links, images, tags, emphasis or tables.

    URLs become ``[link]`` (they can carry personal tokens and would be auto-linked); every
    character that Markdown or HTML could interpret is backslash-escaped; line breaks are folded.

    Example:
        >>> escape_md("![x](http://evil) <b>hi</b>")  # "!" is harmless once "[" is escaped
        '!\\\\[x\\\\](\\\\[link\\\\] \\\\<b\\\\>hi\\\\</b\\\\>'
    """
    text = " ".join(text.split())
    text = _URL.sub("\x00link\x01", text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("\x00link\x01", "\\[link\\]")
    if inline:  # inside a sentence, "4.12.0" cannot start a numbered list
        return text
    # A quote must not start a list, heading or numbered item when it stands on its own line.
    return re.sub(r"^([-+=]|\d+[.)])", r"\\\1", text)


# "&" starts an HTML character reference only before "name;" or "#123;": elsewhere it stays bare,
# so "Points & rewards" reads as written.
_BARE_AMP = re.compile(r"\\&(?![A-Za-z0-9]+;|\\#)")


def escape_name(text: str) -> str:
    """A name from a file, the taxonomy or a source (source, intent, language, country,
    version) made inert inside a sentence or a table cell, like :func:`escape_md` but keeping a
    lone "&" as is.

    Example:
        >>> escape_name("Points & rewards"), escape_name("a|b<img src=x>"), escape_name("&lt;")
        ('Points & rewards', 'a\\\\|b\\\\<img src=x\\\\>', '\\\\&lt;')
    """
    return _BARE_AMP.sub("&", escape_md(str(text), inline=True))


def month_name(month: str) -> str:
    """'2026-10' -> 'October 2026'."""
    year, mon = month.split("-")
    return f"{calendar.month_name[int(mon)]} {year}"


def spark(values: list[int] | list[float]) -> str:
    """A text sparkline scaled to the largest value: [1, 4, 8] -> '▁▄█'."""
    top = max(values) if values else 0
    if top == 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[round(v / top * (len(SPARKS) - 1))] for v in values)


def pct(value: float | None, digits: int = 1) -> str:
    """0.1234 -> '12.3%'; None -> 'n/a'."""
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"


def change(now: float, before: float) -> str:
    """Relative change as text: '+107%', '−12%', 'new' when there was nothing before."""
    if before == 0:
        return "new" if now else "—"
    delta = (now - before) / before
    if round(delta, 2) == 0:
        return "0%"
    return f"{delta:+.0%}".replace("-", "−")


def p_text(p: float) -> str:
    """A p- or q-value for readers: '< 0.001' rather than '0.000'."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def months_text(n: int) -> str:
    """'month' for 1, '3 months' otherwise."""
    return "month" if n == 1 else f"{n} months"


def pp(now: float, before: float) -> str:
    """Change of a share in percentage points: '+4.4 pp'."""
    delta = round(100 * (now - before), 1)
    return "0.0 pp" if delta == 0 else f"{delta:+.1f} pp".replace("-", "−")


def table(headers: list[str], rows: list[list[str]], align: str) -> str:
    """A GFM table, padded so that it also reads as plain text. ``align``: one 'l' or 'r' a column."""
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: list[str]) -> str:
        padded = [
            c.ljust(w) if a == "l" else c.rjust(w)
            for c, w, a in zip(cells, widths, align, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = ["-" * (w - 1) + (":" if a == "r" else "-") for w, a in zip(widths, align, strict=True)]
    return "\n".join([line(headers), "| " + " | ".join(rule) + " |", *(line(r) for r in rows)])


def direction(theme: ThemeStats) -> str:
    """'rising', 'falling' or 'stable (within noise)' against the baseline (see metrics.verdict)."""
    return "stable (within noise)" if theme.verdict == "stable" else theme.verdict
