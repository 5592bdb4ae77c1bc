"""Report behaviours a reader relies on: partial months, spikes, concentrations, quote privacy,
proposals, cost, aliases and the optional drafter. Databases are built through the real pipeline
with the fake model, from records planted here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vocmine.config import load_config
from vocmine.errors import ConfigError, VocmineError
from vocmine.measure.metrics import load_items
from vocmine.models import RawFeedback
from vocmine.pipeline.ingest import ingest
from vocmine.report.build import generate
from vocmine.store.store import open_store
from vocmine.taxonomy.model import load_taxonomy
from vocmine.themes.assign import assign_key

from .helpers import ListSource, raw
from .test_report import CRASH, LOGIN, TRANSFER, build, cells


def steady(month: int, days: int, per_day: int, text: str, prefix: str, **kw: Any) -> list:
    """``per_day`` items a day on days 1..``days``, each from its own user."""
    return [
        raw(
            f"{prefix}{month}-{d}-{i}",
            f"{text} ({d}/{i})",
            month=month,
            day=d,
            user_id=f"{prefix}{month}-{d}-{i}",
            **kw,
        )
        for d in range(1, days + 1)
        for i in range(per_day)
    ]


def test_partial_month_is_compared_per_day_never_as_a_fall(project: Path) -> None:
    records = [
        *steady(9, 30, 2, TRANSFER, "t", rating=1.0),
        *steady(9, 30, 2, CRASH, "c", rating=2.0),
        *steady(10, 15, 2, TRANSFER, "t", rating=1.0),
        *steady(10, 15, 2, CRASH, "c", rating=2.0),
    ]
    report = build(project, records)
    assert "**Partial month:** the data covers 15 of its 31 days" in report
    # 60 items in 15 days against 120 in 30: the same per day
    assert cells(report, "Feedback items") == ["60", "120", "0% a day"]
    assert "- **Got better:** no problem fell significantly." in report
    transfer = report[report.index("`cashout.bank_transfer_delay`") :]
    assert cells(transfer, "Items per day") == ["2.0 (30)", "2.0", "0%"]
    assert "falling" not in report.split("## Appendix")[0]


def test_got_better_names_problems_only(project: Path) -> None:
    """Praise that falls is no good news: it shows under Falling, never as "Got better"."""
    praise = "Super appli, je recommande !"
    records = [
        *steady(9, 30, 2, TRANSFER, "t", rating=3.0),
        *steady(9, 30, 3, praise, "p", rating=5.0),
        *steady(10, 30, 2, TRANSFER, "t", rating=3.0),
        *steady(10, 30, 1, praise, "p", rating=5.0),
    ]  # praise falls by two thirds; the stars move too little to change the sample
    report = build(project, records)
    falling = report[report.index("## Falling") :].split("\n## ")[0]
    assert "Praise" in falling  # the section lists every theme that fell
    assert "- **Got better:** no problem fell significantly." in report


def test_incident_spike_is_dated(project: Path) -> None:
    records = [
        *steady(9, 30, 1, TRANSFER, "t", rating=1.0),
        *steady(9, 30, 1, CRASH, "c", rating=2.0),
        *steady(10, 31, 1, TRANSFER, "t", rating=1.0),
        *steady(10, 31, 1, CRASH, "c", rating=2.0),
        *(
            raw(f"s{i}", f"{CRASH} incident {i}", month=10, day=20, rating=1.0, user_id=f"s{i}")
            for i in range(12)
        ),
    ]
    report = build(project, records)
    crash = report[report.index("`app.crash`") :]
    assert "**Spike:** 2026-10-20, 13 items; peak 13 on 2026-10-20" in crash
    transfer = report[report.index("`cashout.bank_transfer_delay`") :]
    assert "**Spike:**" not in transfer.split("### ")[0]


def test_release_regression_is_called_out(project: Path) -> None:
    records = [
        *steady(10, 10, 1, TRANSFER, "t", rating=1.0, app_version="4.11.1"),
        *steady(10, 10, 1, TRANSFER, "u", rating=1.0, app_version="4.11.2"),
        *steady(10, 10, 1, LOGIN, "l", rating=2.0, app_version="4.11.1"),
        *steady(10, 10, 1, LOGIN, "m", rating=2.0, app_version="4.11.2"),
        *steady(10, 20, 1, CRASH, "c", rating=1.0, app_version="4.12.0"),
    ]
    report = build(project, records)
    crash = report[report.index("`app.crash`") :].split("\n### ")[0]
    assert "**Concentrated in app version 4.12.0:** 20 of its 20 items" in crash
    assert "A release regression?" in crash
    transfer = report[report.index("`cashout.bank_transfer_delay`") :].split("\n### ")[0]
    assert "Concentrated" not in transfer


@pytest.mark.parametrize(
    ("users", "minimum", "quoted"), [(4, 5, False), (5, 5, True), (2, 2, True)]
)
def test_quote_privacy_threshold(project: Path, users: int, minimum: int, quoted: bool) -> None:
    if minimum != 5:
        with (project / "vocmine.toml").open("a", encoding="utf-8") as fh:
            fh.write(f"\n[report]\nmin_quote_users = {minimum}\n")
    records = [
        raw(
            f"x{i}",
            f"{TRANSFER}, message numéro {i} du client",
            rating=1.0,
            user_id=f"user-{i % users}",
        )
        for i in range(12)
    ]
    report = build(project, records)
    transfer = report[report.index("`cashout.bank_transfer_delay`") :]
    assert (f"from {users} distinct users") in transfer
    assert ("> “" in transfer) is quoted
    not_quoted = f"Not quoted: {users} distinct users wrote about it this month, fewer than"
    assert (not_quoted in transfer) is not quoted


def write_proposals(project: Path, users: int = 7, growth: dict[str, int] | None = None) -> None:
    folder = project / "taxonomy" / "proposals"
    folder.mkdir()
    proposal = {
        "key": "P01",
        "status": "pending",
        "suggestion": "new_intent",
        "id": "tracking.team_challenges",
        "name": "Team <b>challenges</b> [broken](http://evil.example)",
        "category": "tracking",
        "problem": "Users ask for team challenges",
        "keywords": ["équipe", "leaderboard"],
        "size": 31,
        "users": users,
        "growth": growth or {"2026-09": 9, "2026-10": 22},
        "nearest_intent": "tracking.steps_not_counted",
        "nearest_similarity": 0.41,
        "quotes": [
            {
                "text": "![x](http://evil.example/p.png) **mon équipe**",
                "source": "play",
                "date": "2026-10-03",
                "language": "fr",
            }
        ],
        "examples": [],
    }
    rejected = {**proposal, "key": "P02", "status": "rejected", "name": "Rejected one"}
    doc = {
        "month": "2026-10",
        "produced_by": "vocmine discover",
        "proposals": [proposal, rejected],
        "overlaps": [],
        "splits": [],
        "buckets": [
            {"name": "praise", "description": "...", "size": 40, "users": 30, "examples": ["ok"]},
            {"name": "no_text", "description": "...", "size": 3, "users": 3, "examples": []},
        ],
    }
    (folder / "2026-10.yaml").write_text(json.dumps(doc), encoding="utf-8")  # JSON is YAML


def test_pending_proposals_are_listed_escaped(project: Path) -> None:
    write_proposals(project)
    report = build(project, [r for r in __import__("tests.test_report", fromlist=["x"]).planted()])
    section = report[report.index("## Proposed new themes") : report.index("## All themes")]
    assert "P01 (2026-10): Team \\<b\\>challenges\\</b\\> \\[broken\\](\\[link\\]" in section
    assert "31 items from 7 users; by month: Sep 9 · Oct 22" in section
    assert "“!\\[x\\](\\[link\\] \\*\\*mon équipe\\*\\*”" in section
    assert "Rejected one" not in section
    assert "(counted, never proposed): praise 40, no text 3." in section
    assert "Suggested problem statement: Users ask for team challenges." in section
    assert "1 proposed theme to review" in report
    # 9 of 50 items in September, 22 of 81 in October: more items, but the share's rise
    # (18% -> 27%) is within noise (p = 0.23), so discovery's theme is not called rising.
    rising = report[report.index("## Rising and emerging") : report.index("## Falling")]
    assert "Outside the taxonomy" not in rising


def test_a_discovered_theme_rising_from_nothing_is_new(project: Path) -> None:
    from .test_report import planted

    write_proposals(project, growth={"2026-09": 0, "2026-10": 22})
    report = build(project, planted())
    rising = report[report.index("## Rising and emerging") : report.index("## Falling")]
    assert "P01 Team \\<b\\>challenges" in rising
    assert "(new; 0/month, 0.0% → 22, 27.2% of feedback; q < 0.001)" in rising
    summary = report[report.index("## In one minute") : report.index("## Headline figures")]
    assert "(new, found by discovery: 0/month before → 22)" in summary


def test_proposal_below_privacy_threshold_is_not_quoted(project: Path) -> None:
    write_proposals(project, users=3)
    from .test_report import planted

    report = build(project, planted())
    section = report[report.index("## Proposed new themes") : report.index("## All themes")]
    assert "Not quoted: fewer than 5 distinct users." in section
    assert "mon équipe" not in section


def test_without_discovery_the_section_says_how_to_run_it(project: Path) -> None:
    from .test_report import planted

    report = build(project, planted())
    assert "Discovery has not run: `vocmine discover --month 2026-10`" in report


def test_broken_proposals_file_is_one_clear_error(project: Path) -> None:
    folder = project / "taxonomy" / "proposals"
    folder.mkdir()
    (folder / "2026-10.yaml").write_text("proposals: [\n", encoding="utf-8")
    from .test_report import planted

    with pytest.raises(VocmineError, match=r"is not a proposals file .* move the file away"):
        build(project, planted())


def run(project: Path, records: list[RawFeedback], drafter: Any = None) -> str:
    cfg = load_config(project / "vocmine.toml")
    taxonomy = load_taxonomy(cfg.taxonomy)
    store = open_store(cfg.db)
    ingest(
        store, [ListSource("play", records)], config=cfg, taxonomy=taxonomy, command="t", args={}
    )
    path = generate(
        store,
        config=cfg,
        taxonomy=taxonomy,
        month="2026-10",
        out_dir=project / "reports",
        drafter=drafter,
    )
    store.close()
    return path.read_text(encoding="utf-8")


def test_drafter_gets_figures_only_and_its_text_is_marked_and_escaped(project: Path) -> None:
    from .test_report import planted

    write_proposals(project)
    calls: list[tuple[str, dict[str, Any]]] = []

    def fake(kind: str, facts: dict[str, Any]) -> str | None:
        calls.append((kind, facts))
        return f"Draft for {kind}: <script>x</script> [click](http://evil.example)"

    plain = run(project, planted())
    drafted = run(project, planted(), drafter=fake)
    assert [k for k, _ in calls] == ["summary", "proposal"]
    summary = calls[0][1]
    assert json.loads(json.dumps(summary)) == summary
    assert summary["got_worse"][0] == {
        "name": "Bank transfer not received",
        "items": 41,
        "share": 0.5062,
        "baseline_per_month": 10.0,
        "users": 41,
    }
    assert "Drafted by a language model from the figures above; check before quoting." in drafted
    assert "Draft for summary: \\<script\\>x\\</script\\> \\[click\\](\\[link\\]" in drafted
    assert "<script>" not in drafted
    # a drafter that returns None changes nothing
    assert run(project, planted(), drafter=lambda kind, facts: None) == plain


def test_cost_per_contact_number_and_table(project: Path) -> None:
    from .test_report import planted

    with (project / "vocmine.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[report]\ncost_per_contact = { play = 2.5 }\ncurrency = "EUR"\n')
    records = [RawFeedback(**{**r.__dict__, "kind": "ticket", "rating": None}) for r in planted()]
    report = build(project, records)
    transfer = report[report.index("`cashout.bank_transfer_delay`") :]
    # 41 tickets from the source "play" at 2.50 each
    assert cells(transfer, "Support cost (tickets)") == ["102.50 EUR", "41 tickets", ""]
    impact = report[report.index("### Impact on ratings") :]
    assert cells(impact, "Bank transfer not received")[-1] == "102.50"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("4.5", {"*": 4.5}), ("{ zendesk = 6, play = 1.5 }", {"play": 1.5, "zendesk": 6.0})],
)
def test_cost_per_contact_config_shapes(project: Path, value: str, expected: dict) -> None:
    (project / "c.toml").write_text(f"[report]\ncost_per_contact = {value}\n", encoding="utf-8")
    assert load_config(project / "c.toml").report.cost_per_contact == expected


@pytest.mark.parametrize("value", ['"cheap"', "{ zendesk = -1 }", "true"])
def test_cost_per_contact_bad_values(project: Path, value: str) -> None:
    (project / "c.toml").write_text(f"[report]\ncost_per_contact = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cost_per_contact must be a number"):
        load_config(project / "c.toml")


def test_retired_intent_ids_follow_their_alias(project: Path) -> None:
    from .test_report import planted

    build(project, planted())
    yaml = project / "taxonomy" / "cashout.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(
        text.replace(
            "    name: Bank transfer not received\n",
            "    name: Bank transfer not received\n    aliases: [cashout.payout_delay]\n",
            1,
        ),
        encoding="utf-8",
    )
    cfg = load_config(project / "vocmine.toml")
    taxonomy = load_taxonomy(cfg.taxonomy)
    store = open_store(cfg.db)
    key = assign_key(
        taxonomy, model_id=cfg.embedding.model, threshold=cfg.assign.threshold, k=cfg.assign.k
    )
    store.conn.execute("UPDATE assignments SET assign_key = ?", (key,))
    store.conn.execute(
        "UPDATE assignments SET intent_id = 'cashout.payout_delay' "
        "WHERE intent_id = 'cashout.bank_transfer_delay'"
    )
    store.conn.execute(
        "UPDATE assignments SET intent_id = 'gone.retired' WHERE intent_id = 'app.crash'"
    )
    frame = load_items(store, ["2026-09", "2026-10"], assign_key=key, taxonomy=taxonomy)
    store.close()
    counts = frame["intent_id"].value_counts().to_dict()
    assert counts["cashout.bank_transfer_delay"] == 51  # 10 + 40 + the hostile one
    assert "cashout.payout_delay" not in counts
    assert counts["unassigned"] >= 40  # the unknown id counts as unassigned


def test_emerging_problem_is_called_new(project: Path) -> None:
    records = [
        *steady(9, 30, 2, TRANSFER, "t", rating=1.0),
        *steady(10, 31, 2, TRANSFER, "t", rating=1.0),
        *(
            raw(f"n{i}", f"{CRASH} ({i})", day=1 + i, rating=1.0, user_id=f"n{i}")
            for i in range(20)
        ),
    ]
    report = build(project, records)
    assert "- **New:** Crashes and freezes (0/month before → 20)." in report
    rising = report[report.index("## Rising and emerging") : report.index("## Falling")]
    assert "| Crashes and freezes (new) " in rising


def test_hostile_segment_values_are_escaped(project: Path) -> None:
    from .test_report import planted

    hostile = [
        raw(
            f"h{i}",
            f"{TRANSFER} hostile {i}",
            rating=1.0,
            user_id=f"h{i}",
            country="<img src=x>",
            app_version="[v](http://evil.example)",
        )
        for i in range(3)
    ]
    report = build(project, [*planted(), *hostile])
    assert "<img" not in report and "](http" not in report
    assert "\\<IMG SRC=X\\> 3" in report  # countries are upper-cased
    assert "\\[v\\](\\[link\\] 3" in report


def test_partial_first_month_is_compared_per_day(project: Path) -> None:
    september = [
        *(
            raw(f"t9-{d}", f"{TRANSFER} ({d})", month=9, day=d, rating=1.0, user_id=f"t9-{d}")
            for d in range(16, 31)
        ),
        *(
            raw(f"c9-{d}", f"{CRASH} ({d})", month=9, day=d, rating=2.0, user_id=f"c9-{d}")
            for d in range(16, 31)
        ),
    ]
    records = [
        *september,
        *steady(10, 31, 1, TRANSFER, "t", rating=1.0),
        *steady(10, 31, 1, CRASH, "c", rating=2.0),
    ]
    report = build(project, records)
    assert "**Partial month:**" not in report  # October itself is complete
    # 62 items in 31 days against 30 in September's 15 days with data: the same per day
    assert cells(report, "Feedback items") == ["62", "30", "0% a day"]
    transfer = report[report.index("`cashout.bank_transfer_delay`") :]
    assert cells(transfer, "Items per day") == ["1.0 (31)", "1.0", "0%"]


def test_min_quote_users_must_be_positive(project: Path) -> None:
    (project / "c.toml").write_text("[report]\nmin_quote_users = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="min_quote_users must be 1 or more"):
        load_config(project / "c.toml")
