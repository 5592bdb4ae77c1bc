"""The HTML report: one self-contained file, byte-identical, where hostile user text stays inert.

Its structure is checked with the standard library's HTML parser: every tag and attribute the
page contains is listed and compared with what a report may contain.
"""

from __future__ import annotations

import base64
import csv
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vocmine.cli.app import app
from vocmine.errors import VocmineError
from vocmine.report.html import render_html, safe_link, write_html

runner = CliRunner()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

HOSTILE = [
    "Virement jamais arrivé <script>alert(1)</script> vraiment",
    "Virement bloqué [cliquez ici](javascript:alert(document.cookie)) svp",
    "Virement en retard ![pixel](http://evil.example/track.png) merci",
    "Virement perdu <img src=x onerror=alert(1)> encore",
    'Virement <a href="javascript:alert(1)">refusé</a> et <iframe src=//evil.example>',
]
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "footer", "h1", "h2", "h3", "h4",
    "p", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "br", "hr", "table",
    "thead", "tbody", "tr", "th", "td", "img", "a", "span", "s",
}  # fmt: skip
ALLOWED_ATTRS = {"lang", "charset", "http-equiv", "content", "name", "style", "src", "alt"}
ALLOWED_ATTRS |= {"href", "rel", "class", "title", "id"}


class Structure(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def structure(page: str) -> list[tuple[str, dict[str, str]]]:
    parser = Structure()
    parser.feed(page)
    return parser.tags


def assert_inert(page: str) -> None:
    """Only report tags and attributes; images inline; links safe; nothing loads or runs."""
    for tag, attrs in structure(page):
        assert tag in ALLOWED_TAGS, tag
        assert set(attrs) <= ALLOWED_ATTRS, (tag, attrs)
        if tag == "img":
            assert attrs["src"].startswith(("data:image/png;base64,", "data:image/jpeg;base64,"))
        if tag == "a":
            assert safe_link(attrs["href"]), attrs["href"]
        if tag == "meta" and attrs.get("http-equiv"):
            assert attrs["content"].startswith("default-src 'none'; img-src data:;")


def invoke(*args: str) -> object:
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def reported(project: Path) -> Path:
    """A project with a month of feedback (hostile quotes included), reported as HTML."""
    with (project / "vocmine.toml").open("a", encoding="utf-8") as fh:
        # room for every hostile quote, whatever the fake model's margins (issue 13's rule)
        fh.write("\n[report]\nquotes = 8\nquote_margin = 0.0\n")
    with (project / "reviews.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date", "content", "score", "user"])
        texts = [f"Mon virement bancaire n'est toujours pas arrivé, jour {i}" for i in range(12)]
        for i, text in enumerate(texts + HOSTILE):
            writer.writerow([i, f"2026-10-{1 + i % 28:02d} 10:00:00", text, 1, f"user{i}"])
        writer.writerow([99, "2026-09-03 10:00:00", "L'application plante au démarrage", 1, "u99"])
    flags = ["--kind", "review", "--text-col", "content", "--rating-col", "score"]
    assert invoke("ingest", "file", "reviews.csv", *flags, "--user-id-col", "user").exit_code == 0
    result = invoke("report", "--month", "2026-10", "--format", "html")
    reports = project / "reports"
    assert result.output == f"wrote {reports / '2026-10.md'}\nwrote {reports / '2026-10.html'}\n"
    return reports


def test_html_is_self_contained_with_charts_inlined(reported: Path) -> None:
    page = (reported / "2026-10.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>\n")
    tags = structure(page)
    images = [attrs for tag, attrs in tags if tag == "img"]
    charts = sorted((reported / "2026-10").glob("*.png"))
    assert len(images) == len(charts) >= 2  # every chart the report wrote, inlined
    inlined = sorted(base64.b64decode(img["src"].split(",", 1)[1]) for img in images)
    assert inlined == sorted(p.read_bytes() for p in charts)
    assert all(img["alt"] for img in images)
    assert 'src="2026-10/' not in page and 'src="reports/' not in page
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "object", "embed")]
    assert "<title>Voice of the user: October 2026</title>" in page
    assert '<h2 id="top-problems">Top problems</h2>' in page  # anchors as on GitHub
    assert "<style>" in page and "<table>" in page and "<blockquote>" in page
    assert_inert(page)


def test_html_report_is_byte_identical_and_md_unchanged(reported: Path) -> None:
    page = (reported / "2026-10.html").read_bytes()
    md = (reported / "2026-10.md").read_bytes()
    assert invoke("report", "--month", "2026-10", "--format", "html").exit_code == 0
    assert (reported / "2026-10.html").read_bytes() == page
    assert (reported / "2026-10.md").read_bytes() == md


def test_md_format_writes_no_html(project: Path, reported: Path) -> None:
    (reported / "2026-10.html").unlink()
    result = invoke("report", "--month", "2026-10", "--format", "md")
    assert result.output == f"wrote {reported / '2026-10.md'}\n"
    assert not (reported / "2026-10.html").exists()


def test_hostile_quotes_from_the_database_are_inert(reported: Path) -> None:
    page = (reported / "2026-10.html").read_text(encoding="utf-8")
    assert_inert(page)
    # The quotes are in the page, as the characters the user typed, and nothing more.
    assert "<p>“Virement bloqué [cliquez ici](javascript:alert(document.cookie)) svp”<br />" in page
    assert "<p>“Virement en retard ![pixel]([link] merci”<br />" in page
    text = page.lower()
    assert "<script" not in text and "<iframe" not in text and "<img src=x" not in text
    assert "evil.example/track.png" not in text  # URLs in quotes become [link]
    assert 'href="javascript' not in text


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JaVa\tScRiPt:alert(1))",
        "[click](javascript&#58;alert(1))",
        "[click](  vbscript:msgbox(1)  )",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "![track](http://evil.example/p.png)",
        "![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "![passwd](../../../../etc/passwd)",
        "![secret](../secret.png)",
        "![abs](/etc/hostname)",
        "![fake](fake.png)",
        '<style>body{background:url("http://evil.example")}</style>',
        "```html\n<script>alert(1)</script>\n```",
    ],
)
def test_raw_hostile_markdown_is_inert(tmp_path: Path, markdown: str) -> None:
    """Even if the Markdown were not escaped, nothing in it becomes active HTML or loads."""
    base = tmp_path / "reports"
    base.mkdir()
    (tmp_path / "secret.png").write_bytes(PNG)  # a real PNG, but outside the report's folder
    (base / "fake.png").write_bytes(b"<svg onload=alert(1)>")  # a .png that is not a PNG
    page = render_html(f"# Report\n\n{markdown}\n", base_dir=base)
    assert_inert(page)
    tags = structure(page)
    assert not [t for t, _ in tags if t in ("script", "iframe")]
    assert [t for t, _ in tags].count("style") == 1  # ours, in <head>
    assert not [a for t, a in tags if t == "a" and "javascript" in a.get("href", "").lower()]
    assert not [a for t, a in tags if t == "img"]


def test_allowed_links_and_local_images(tmp_path: Path) -> None:
    (tmp_path / "2026-10").mkdir()
    (tmp_path / "2026-10" / "chart one.png").write_bytes(PNG)
    page = render_html(
        "# R\n\n![Volume](2026-10/chart%20one.png)\n\n[dashboard](https://bi.example/d) "
        "[mail](mailto:cx@example.com) [section](#top-problems) [md](2026-10.md)\n",
        base_dir=tmp_path,
    )
    tags = structure(page)
    [img] = [a for t, a in tags if t == "img"]
    assert img == {
        "src": "data:image/png;base64," + base64.b64encode(PNG).decode(),
        "alt": "Volume",
    }
    links = {a["href"]: a.get("rel") for t, a in tags if t == "a"}
    assert links == {
        "https://bi.example/d": "noopener noreferrer",
        "mailto:cx@example.com": "noopener noreferrer",
        "#top-problems": None,
        "2026-10.md": None,
    }


def test_a_missing_chart_is_one_line_naming_the_fix(tmp_path: Path) -> None:
    (tmp_path / "2026-10.md").write_text("# R\n\n![Volume](2026-10/volume.png)\n", encoding="utf-8")
    with pytest.raises(
        VocmineError, match=r"refers to 2026-10/volume.png, which does not exist; re-run"
    ):
        write_html(tmp_path / "2026-10.md")
    assert not (tmp_path / "2026-10.html").exists()


def test_a_missing_markdown_report_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(VocmineError, match=r"does not exist; run 'vocmine report --month MONTH'"):
        write_html(tmp_path / "2026-10.md")


def test_unknown_format_is_one_line(project: Path) -> None:
    result = invoke("report", "--month", "2026-10", "--format", "pdf")
    assert result.exit_code == 2
    assert result.output == "error: --format 'pdf' is not supported; use md or html\n"
