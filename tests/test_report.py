"""The report from a fixed database: numbers, escaping, month edges, and a snapshot of the whole.

The database is built through the real pipeline with the fake model, from records planted here,
so every figure below can be checked by hand. Set UPDATE_SNAPSHOTS=1 to rewrite the snapshot after
an intended change, then read the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from vocmine.config import load_config
from vocmine.pipeline.ingest import ingest
from vocmine.report.build import generate
from vocmine.store.store import open_store
from vocmine.taxonomy.model import load_taxonomy
from vocmine.themes.assign import assign_key

from .helpers import ListSource, raw

SNAPSHOT = Path(__file__).parent / "snapshots" / "report-2026-10.md"
TRANSFER = "Mon virement bancaire n'est toujours pas arrivé sur mon compte"
CRASH = "L'application plante et se ferme au démarrage"
LOGIN = "Impossible de me connecter, le code SMS n'arrive jamais"


def planted() -> list:
    """Sept: 10 transfer, 20 crash, 20 login. Oct: 40 transfer, 20 crash, 20 login, 1 hostile."""
    records = []
    n = 0
    for month, counts in ((9, (10, 20, 20)), (10, (40, 20, 20))):
        for text, count, rating in zip(
            (TRANSFER, CRASH, LOGIN), counts, (1.0, 2.0, 4.0), strict=True
        ):
            for i in range(count):
                n += 1
                records.append(
                    raw(
                        str(n),
                        f"{text} ({i + 1} fois)",
                        month=month,
                        # spread over the 1st to the 28th: no month has a gap of empty days
                        day=1 + i * 28 // count,
                        rating=rating,
                        user_id=f"user-{n}",
                        app_version="4.12.0",
                    )
                )
    records.append(
        raw(
            "hostile",
            "Virement jamais arrivé ![x](http://evil.example/p.png) <script>alert(1)</script> **BOLD**",
            month=10,
            day=31,  # the month's last day: October is complete
            rating=1.0,
            user_id="user-h",
        )
    )
    return records


def build(project: Path, records: list, month: str = "2026-10") -> str:
    cfg = load_config(project / "vocmine.toml")
    taxonomy = load_taxonomy(cfg.taxonomy)
    store = open_store(cfg.db)
    ingest(
        store, [ListSource("play", records)], config=cfg, taxonomy=taxonomy, command="test", args={}
    )
    path = generate(store, config=cfg, taxonomy=taxonomy, month=month, out_dir=project / "reports")
    store.close()
    return path.read_text(encoding="utf-8")


def cells(text: str, label: str) -> list[str]:
    """The cells of the first table row whose first cell is ``label``."""
    for line in text.splitlines():
        parts = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and parts[0] == label:
            return parts[1:]
    raise AssertionError(f"no row {label!r}")


def test_hand_checked_figures(project: Path) -> None:
    report = build(project, planted())
    assert "Built from 81 feedback items of the month" in report
    assert cells(report, "Feedback items") == ["81", "50", "+62%"]
    # (40×1 + 20×2 + 20×4 + 1) / 81 = 1.99; (10×1 + 20×2 + 20×4) / 50 = 2.60
    assert cells(report, "Average store rating (reviews)") == ["1.99★ (81)", "2.60★ (50)", "−0.61"]
    # transfer: 41 of 81 in October (40 planted + the hostile one), 10 of 50 in September
    transfer = report[report.index("`cashout.bank_transfer_delay`") :]
    assert cells(transfer, "Items") == ["41", "10 a month", "+310%"]
    assert cells(transfer, "Share of all feedback") == ["50.6%", "20.0%", "+30.6 pp"]
    assert cells(transfer, "Distinct users")[0] == "41"
    # z = (41/81 − 10/50) / sqrt(51/131 · 80/131 · (1/81 + 1/50)) = 3.49, p = 0.0005;
    # three themes tested, so q = 3 · p = 0.001
    assert "Trend: **rising** against the previous month" in transfer
    assert "(10 a month, 20.0% of feedback → 41, 50.6%; p < 0.001, q = 0.001)" in transfer
    # Issue 13: the headline change is on shares first, then the counts
    assert (
        "- **Got worse:** Bank transfer not received (20.0% → 50.6% of feedback; "
        "10/month before → 41)." in report
    )
    # crash and login: 20/81 vs 20/50, z = −1.85, p = 0.065 = q: a fall in share, but not called
    crash = report[report.index("`app.crash`") :]
    assert cells(crash, "Items") == ["20", "20 a month", "0%"]
    assert "Trend: **stable (within noise)**" in crash and "p = 0.065, q = 0.065" in crash
    assert "- **Got better:** no problem fell significantly." in report
    # impact: the transfer reviews are all 1★, the other 40 October reviews average 3.00★
    assert cells(transfer, "Average star rating") == ["1.00★ (41)", "3.00★ (40) rest", "−2.00★"]
    # without them the month's 161/81 = 1.99★ would be 120/40 = 3.00★
    assert cells(transfer, "Store rating without it") == ["3.00★", "1.99★ all", "+1.01★"]
    assert "from 41 distinct users: 41 store reviews." in transfer
    assert "Ticket cost" not in report.split("Ticket cost: set")[0]  # no column unless configured
    # one source: its rate is the theme's share, 41/81 now against 10/50 over the baseline
    assert "Share of each source's feedback: play 41 of 81 (50.6%, before 20.0%)." in transfer


def test_hostile_text_is_escaped_in_quotes(project: Path) -> None:
    # The hostile item is atypical: issue 13's on-theme rules would not quote it; turn them off.
    with (project / "vocmine.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[report]\nquote_margin = 0.0\n")
    report = build(project, planted())
    assert "<script" not in report and "alert(1)" not in report  # stripped as HTML at ingest
    assert "](http" not in report and "**BOLD**" not in report
    assert "!\\[x\\](\\[link\\]" in report
    assert "\\*\\*BOLD\\*\\*" in report
    assert "\\[link\\]" in report


def test_months_before_the_data_are_not_shown_as_zero(project: Path) -> None:
    report = build(project, planted())
    assert "compared with September 2026." in report
    assert "May 2026" not in report and "Jun 0" not in report


def test_single_month_of_data(project: Path) -> None:
    october = [r for r in planted() if r.created_at.month == 10]
    report = build(project, october)
    assert "with no earlier month stored to compare with." in report
    assert "(no data)" in report
    assert "- **Got worse:** no problem rose significantly." in report


def test_snapshot_of_the_whole_report(project: Path) -> None:
    report = build(project, planted())
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(report, encoding="utf-8")
    assert report == SNAPSHOT.read_text(encoding="utf-8")


@pytest.mark.parametrize("month", ["2026-09", "2026-10"])
def test_same_database_same_bytes(project: Path, month: str) -> None:
    first = build(project, planted(), month)
    charts = {p.name: p.read_bytes() for p in (project / "reports" / month).glob("*.png")}
    second = build(project, planted(), month)
    assert first == second
    assert charts == {p.name: p.read_bytes() for p in (project / "reports" / month).glob("*.png")}


def test_quotes_are_representative_varied_and_one_per_user() -> None:
    import pandas as pd

    from vocmine.report.quotes import pick_quotes

    def row(i: int, text: str, score: float, source: str, lang: str, user: str | None) -> dict:
        return {
            "id": i,
            "intent_id": "a.b",
            "month": "2026-10",
            "text": text,
            "score": score,
            "source": source,
            "language": lang,
            "user_hash": user,
            "kind": "review",
            "created_at": f"2026-10-0{i % 9 + 1}T10:00:00Z",
        }

    frame = pd.DataFrame(
        [
            row(1, "Mon virement n'est toujours pas arrivé", 0.95, "play", "fr", "u1"),
            row(2, "Mon virement n'est toujours pas arrivé !!", 0.94, "play", "fr", "u2"),  # alike
            row(
                3, "Virement en attente depuis trois semaines", 0.93, "play", "fr", "u1"
            ),  # same user
            row(4, "Toujours rien reçu sur mon compte bancaire", 0.92, "play", "fr", "u4"),
            row(5, "My bank transfer never arrived, two weeks now", 0.80, "appstore", "en", "u5"),
            row(6, "short", 0.99, "play", "fr", "u6"),  # under 20 characters
            row(7, "Mi transferencia no llega desde hace un mes", 0.70, "zendesk", "es", None),
        ]
    )
    quotes = pick_quotes(frame, "a.b", "2026-10", 3)
    assert [q.text for q in quotes] == [
        "Mon virement n'est toujours pas arrivé",
        "My bank transfer never arrived, two weeks now",
        "Mi transferencia no llega desde hace un mes",
    ]
    # without the variety passes the next best distinct user would have been item 4
    assert len(pick_quotes(frame, "a.b", "2026-10", 5)) == 4


def test_chart_draws_problems_only(project: Path) -> None:
    from vocmine.measure.metrics import compute, load_items
    from vocmine.report.charts import chart_themes

    records = [
        *planted(),
        *(raw(f"p{i}", "Super appli, je recommande à tous !", rating=5.0) for i in range(60)),
    ]
    build(project, records)
    cfg = load_config(project / "vocmine.toml")
    taxonomy = load_taxonomy(cfg.taxonomy)
    store = open_store(cfg.db)
    key = assign_key(
        taxonomy, model_id=cfg.embedding.model, threshold=cfg.assign.threshold, k=cfg.assign.k
    )
    frame = load_items(store, ["2026-09", "2026-10"], assign_key=key)
    metrics = compute(frame, taxonomy, month="2026-10", months=["2026-09", "2026-10"])
    store.close()
    problems = {i.id for i in taxonomy.intents if i.type == "problem"}
    assert any(t.intent_id == "feedback.praise" and t.count >= 60 for t in metrics.themes)
    shown = chart_themes(metrics, problems=problems, n=6)
    assert "feedback.praise" not in {t.intent_id for t in shown}
    assert {t.intent_id for t in shown} == {
        "cashout.bank_transfer_delay",
        "app.crash",
        "account.login",
    }


def test_unassigned_items_closest_first_are_shown_escaped(project: Path) -> None:
    noise = [
        raw("n1", "xxxx <b>zzzz</b> qqqq wwww kkkk jjjj *vvvv*", rating=3.0, user_id="n1"),
        raw("n2", "zzzz qqqq wwww xxxx yyyy kkkk", rating=3.0, user_id="n2"),
        *(raw(f"m{i}", f"pppp{i} mmmm oooo", rating=3.0, user_id=f"m{i}") for i in range(3)),
    ]
    report = build(project, [*planted(), *noise])
    section = report[report.index("### Data quality") :]
    assert "5 of 86 items (5.8%): 5 matched no intent closely enough;" in section, section[:400]
    assert "Closest unassigned feedback" in section
    assert "“xxxx zzzz qqqq wwww kkkk jjjj \\*vvvv\\*”" in section  # HTML stripped, * escaped
    assert "“zzzz qqqq wwww xxxx yyyy kkkk”" in section


HOSTILE_SOURCE = "a|b<img src=x onerror=alert(1)>"


def html_tokens(tokens: list) -> list:
    """Every html_inline / html_block token, children included."""
    found = []
    for token in tokens:
        if token.type in ("html_inline", "html_block"):
            found.append(token)
        found += html_tokens(token.children or [])
    return found


def test_hostile_inputs_render_no_html_and_no_broken_table(project: Path) -> None:
    """Source names (a file stem), rejected cells and locations, countries, app versions and
    taxonomy names all reach the Markdown; rendered by a Markdown parser, none of them is HTML
    and none adds a table cell."""
    from markdown_it import MarkdownIt

    from vocmine.models import Rejected

    names = project / "taxonomy" / "cashout.yaml"
    names.write_text(
        names.read_text(encoding="utf-8").replace(
            "name: Bank transfer not received",
            'name: "Transfer <img src=x onerror=alert(2)> | late `x` *y*"',
        ),
        encoding="utf-8",
    )
    records: list = [
        raw(
            f"h{i}",
            f"{TRANSFER} ({i} fois)",
            month=10,
            day=1 + i % 28,
            rating=1.0,
            user_id=f"hostile-{i}",
            country="<b>fr</b>|x",
            app_version="<img src=x onerror=alert(3)>|4",
        )
        for i in range(12)
    ]
    rejects = [
        Rejected(HOSTILE_SOURCE, "<img src=x onerror=alert(4)>.csv:3", 'unparseable date "<i>"'),
        Rejected(HOSTILE_SOURCE, "d.csv:4", "unparseable date '<img src=x onerror=alert(5)>'"),
    ]
    cfg = load_config(project / "vocmine.toml")
    taxonomy = load_taxonomy(cfg.taxonomy)
    store = open_store(cfg.db)
    sources = [ListSource(HOSTILE_SOURCE, [*records, *rejects]), ListSource("play", planted())]
    ingest(store, sources, config=cfg, taxonomy=taxonomy, command="test", args={})
    path = generate(store, config=cfg, taxonomy=taxonomy, month="2026-10", out_dir=project / "r")
    store.close()
    report = path.read_text(encoding="utf-8")
    assert "Rows skipped" in report and "\\<B\\>FR\\</B\\>\\|X" in report  # they reached it

    md = MarkdownIt("commonmark").enable("table")
    assert html_tokens(md.parse(report)) == []
    html = md.render(report)
    # onerror= only as text or inside an attribute's (escaped) value, never as an attribute
    tags = re.sub(r'"[^"]*"', '""', html)
    assert not re.search(r"<[^>]*onerror", tags, flags=re.IGNORECASE)
    assert "<b>" not in html.lower() and "<i>" not in html
    images = re.findall(r"<img [^>]*>", html)
    assert images and all(re.match(r'<img src="2026-10/[\w.-]+\.png"', i) for i in images)
    # Every row of every table has as many cells as its header.
    for block in re.findall(r"(?:^\|.*\n?)+", report, flags=re.MULTILINE):
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in block.splitlines()}
        assert len(widths) == 1, block
    assert "<td>from a|b&lt;img src=x onerror=alert(1)&gt;</td>" in html
