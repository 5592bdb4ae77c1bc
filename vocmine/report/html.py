"""The monthly report as one self-contained HTML file, for readers who do not read Markdown.

It is rendered from the Markdown report that ``vocmine report`` writes, so both always say the
same thing. The file stands alone: charts are inlined as ``data:`` URIs, the stylesheet is inline,
and nothing is loaded from anywhere (a Content-Security-Policy forbids it, and scripts, too).

User text is hostile until proven otherwise. The report already escapes quotes; this renderer is
the second line of defence: raw HTML in the Markdown is shown as text, never passed through; a
link is kept only if it is relative, an in-page anchor, or http(s)/mailto; an image is kept only
if it is a PNG, JPEG or GIF file inside the report's folder, and is then inlined.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from vocmine.errors import VocmineError

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers ignore these inside a scheme ("java\tscript:"), so they are dropped before checking.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]")
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_TYPES = {
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
}
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

STYLE = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa;
  --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
  font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.45rem; margin: 2.5rem 0 .75rem; padding-bottom: .3rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
p, ul, ol { margin: .6rem 0; }
li { margin: .2rem 0; }
a { color: var(--accent); }
code { font: .88em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  background: var(--soft); padding: .1em .35em; border-radius: 4px; }
pre { background: var(--soft); padding: .8rem 1rem; overflow-x: auto; border-radius: 6px; }
pre code { padding: 0; background: none; }
table { border-collapse: collapse; margin: .8rem 0 1.2rem; font-variant-numeric: tabular-nums;
  display: block; overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: .35rem .7rem; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
blockquote { margin: .8rem 0; padding: .4rem 1rem; border-left: 4px solid var(--line);
  color: var(--muted); background: var(--soft); border-radius: 0 6px 6px 0; }
blockquote p { margin: .3rem 0; }
img { display: block; max-width: 100%; height: auto; margin: 1rem 0;
  border: 1px solid var(--line); border-radius: 6px; }
.no-image { color: var(--muted); font-style: italic; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem;
  border-top: 1px solid var(--line); padding-top: .8rem; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; }
  img, table, blockquote { break-inside: avoid; } }
""".strip()


def safe_link(url: str) -> bool:
    """Whether a link target may be kept: relative, an anchor, or http(s)/mailto.

    Example:
        >>> safe_link("https://example.com"), safe_link("2026-10/volume.png")
        (True, True)
        >>> safe_link("JaVa\\tScRiPt:alert(1)"), safe_link("data:text/html,x")
        (False, False)
    """
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", url).lower())
    return match is None or match.group(1) in LINK_SCHEMES


def _renderer() -> MarkdownIt:
    # commonmark + GFM tables, with raw HTML off: '<script>' in the Markdown stays text.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = safe_link  # type: ignore[method-assign]
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("heading_open", _render_heading_open)
    return md


def slug(text: str, seen: dict[str, int]) -> str:
    """GitHub's heading anchor, so that the report's in-page links work in HTML as on GitHub.

    Example:
        >>> seen = {}
        >>> slug("1. Crashes and freezes", seen), slug("Data quality", seen), slug("Data quality", seen)
        ('1-crashes-and-freezes', 'data-quality', 'data-quality-1')
    """
    base = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    count = seen.get(base, 0)
    seen[base] = count + 1
    return base if count == 0 else f"{base}-{count}"


def _render_heading_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    inline = tokens[idx + 1]
    text = self.renderInlineAsText(inline.children or [], options, env)
    tokens[idx].attrSet("id", slug(text, env.setdefault("slugs", {})))
    return str(self.renderToken(tokens, idx, options, env))


def _local_image(src: str, base_dir: Path) -> Path | None:
    """The file an image source names, if it is a relative path inside ``base_dir``."""
    if _SCHEME.match(_IGNORED_IN_SCHEME.sub("", src).lower()) or src.startswith(("/", "\\")):
        return None
    root = base_dir.resolve()
    path = (root / unquote(src)).resolve()
    return path if path.is_relative_to(root) else None


def _render_image(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    alt = html.escape(self.renderInlineAsText(token.children or [], options, env))
    src = str(token.attrGet("src") or "")
    path = _local_image(src, env["base_dir"])
    kind = IMAGE_TYPES.get(path.suffix.lower()) if path is not None else None
    if path is None or kind is None:
        # Not ours to load (a remote or scripted image, or a path outside the report): no request.
        return f'<span class="no-image">[image: {alt}]</span>'
    if not path.is_file():
        raise VocmineError(
            f"the report refers to {src}, which does not exist; re-run 'vocmine report' to redraw it"
        )
    data = path.read_bytes()
    mime, magics = kind
    if not data.startswith(magics):
        return f'<span class="no-image">[image: {alt}]</span>'
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img src="data:{mime};base64,{encoded}" alt="{alt}">'


def _render_link_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if _SCHEME.match(href.lower()):
        # Leaving the report: no referrer, no access to this page from the opened one.
        token.attrSet("rel", "noopener noreferrer")
    return str(self.renderToken(tokens, idx, options, env))


def _title(tokens: Sequence[Token]) -> str:
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and i + 1 < len(tokens):
            return tokens[i + 1].content
    return "vocmine report"


def render_html(markdown: str, *, base_dir: Path, source_name: str = "") -> str:
    r"""Render a Markdown report to a self-contained HTML page.

    Args:
        markdown: The report's Markdown.
        base_dir: The folder relative image paths are resolved against (the report's folder).
        source_name: The Markdown file's name, shown in the footer.

    Raises:
        VocmineError: A chart the report refers to is missing.

    Example:
        >>> page = render_html("# October 2026\n\nCrashes *rose*.", base_dir=Path("."))
        >>> page.startswith("<!DOCTYPE html>"), "<title>October 2026</title>" in page
        (True, True)
    """
    md = _renderer()
    env: dict[str, Any] = {"base_dir": base_dir}
    tokens = md.parse(markdown, env)
    body = md.renderer.render(tokens, md.options, env)
    title = html.escape(_title(tokens))
    footer = f"Rendered from {html.escape(source_name)} by vocmine." if source_name else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{title}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<main>\n"
        f"{body}"
        + (f"<footer>{footer}</footer>\n" if footer else "")
        + "</main>\n</body>\n</html>\n"
    )


def write_html(markdown_path: Path, out_path: Path | None = None) -> Path:
    r"""Write the HTML version of a Markdown report next to it (``2026-10.md`` -> ``2026-10.html``).

    Raises:
        VocmineError: The Markdown file or one of its charts is missing.

    Example:
        >>> import tempfile
        >>> markdown = Path(tempfile.mkdtemp()) / "2026-10.md"
        >>> _ = markdown.write_text("# October 2026\n")
        >>> write_html(markdown).name
        '2026-10.html'
    """
    if not markdown_path.is_file():
        raise VocmineError(
            f"{markdown_path} does not exist; run 'vocmine report --month MONTH' first"
        )
    out = out_path or markdown_path.with_suffix(".html")
    page = render_html(
        markdown_path.read_text(encoding="utf-8"),
        base_dir=markdown_path.parent,
        source_name=markdown_path.name,
    )
    out.write_text(page, encoding="utf-8")
    return out
