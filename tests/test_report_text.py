import pytest

from vocmine.errors import ConfigError
from vocmine.report.build import validate_month
from vocmine.report.format import change, escape_md, month_name, pct, pp, spark, table


@pytest.mark.parametrize(
    "hostile",
    [
        "![pixel](https://evil.example/track.png)",
        "[click me](javascript:alert(1))",
        "<img src=x onerror=alert(1)> <script>alert(1)</script>",
        "**bold** _it_ `code` ~~strike~~",
        "| a | b |\n|---|---|",
        "# heading\n- list\n1. numbered",
        "visit www.evil.example now",
        "&lt;b&gt; entity",
        "ping @octocat about #12",
    ],
)
def test_escape_md_neutralises_markup(hostile: str) -> None:
    safe = escape_md(hostile)
    assert "\n" not in safe
    assert "http" not in safe and "www." not in safe
    for char in "<>[]*_`|#&~@":
        # every special character that remains is escaped
        assert all(safe[i - 1] == "\\" for i, c in enumerate(safe) if c == char and i > 0), char
        assert not safe.startswith(char)


def test_escape_md_keeps_ordinary_text_readable() -> None:
    text = "Mon virement de 15,50 € n'est pas arrivé (depuis 12 jours) !"
    assert escape_md(text) == text


def test_escape_md_breaks_line_start_lists() -> None:
    assert escape_md("- not a list") == "\\- not a list"
    assert escape_md("1. not a list") == "\\1. not a list"


def test_formatting_helpers() -> None:
    assert month_name("2026-10") == "October 2026"
    assert spark([0, 4, 8]) == "▁▅█"
    assert spark([0, 0]) == "▁▁"
    assert pct(0.1234) == "12.3%" and pct(None) == "n/a"
    assert change(85, 41) == "+107%"
    assert change(30, 40) == "−25%"
    assert change(5, 0) == "new" and change(0, 0) == "—"
    assert change(40, 40) == "0%"
    assert pp(0.105, 0.061) == "+4.4 pp"


def test_table_pads_for_plain_text() -> None:
    text = table(["Theme", "Items"], [["Login", "35"], ["Crash", "120"]], "lr")
    assert text.splitlines() == [
        "| Theme | Items |",
        "| ----- | ----: |",
        "| Login |    35 |",
        "| Crash |   120 |",
    ]


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "oct", "2026/10", ""])
def test_validate_month(bad: str) -> None:
    with pytest.raises(ConfigError, match="use the form YYYY-MM"):
        validate_month(bad)
