"""Issue 4's walk-through through the CLI: discover, accept two proposals, merge two intents,
report: the new intents show in the report with their earlier months."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML
from typer.testing import CliRunner

from tests.helpers import themes_now
from tests.test_discover import demo  # noqa: F401  (the fixture: a project with three new themes)
from vocmine.cli.app import app
from vocmine.config import load_config
from vocmine.store.store import open_store
from vocmine.taxonomy.model import load_taxonomy

runner = CliRunner()
FR_TEAM = [
    "le défi d'équipe ne démarre pas",
    "le classement du défi d'équipe ne s'affiche pas",
    "mon équipe ne compte pas mes pas",
]
FR_WIDGET = [
    "le widget de l'écran d'accueil est vide",
    "le widget ne se met plus à jour",
    "widget bloqué sur l'écran d'accueil",
]


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def key_of(project: Path, word: str) -> str:
    data = YAML(typ="safe").load((project / "taxonomy/proposals/2026-10.yaml").read_text())
    return next(p["key"] for p in data["proposals"] if word in p["keywords"][:3])


def history(project: Path, intent_id: str) -> dict[str, int]:
    cfg = load_config(project / "vocmine.toml")
    store = open_store(cfg.db)
    themes = themes_now(store, cfg, load_taxonomy(cfg.taxonomy))
    store.close()
    return themes[intent_id].history


def test_discover_accept_two_merge_two_then_report(demo: Path) -> None:  # noqa: F811
    cli("discover", "--month", "2026-10")
    team, widget = key_of(demo, "team"), key_of(demo, "widget")
    examples = [f"--example=fr:{t}" for t in FR_TEAM]
    cli(
        "taxonomy", "accept", "2026-10", team, "--id", "tracking.team_challenges",
        "--name", "Team challenges", *examples, "--reason", "new feature, reviewed",
        "--problem", "Users who join a team challenge cannot see it start or count their steps.",
    )  # fmt: skip
    examples = [f"--example=fr:{t}" for t in FR_WIDGET]
    cli(
        "taxonomy", "accept", "2026-10", widget, "--id", "app.widget_broken", "--name",
        "Home screen widget broken", *examples, "--reason", "steady since September",
        "--problem", "Users who add the home screen widget see it blank, frozen or gone.",
    )  # fmt: skip
    cli("taxonomy", "merge", "account.banned", "account.login", "--reason", "one access theme")

    changelog = (demo / "taxonomy" / "CHANGELOG.md").read_text(encoding="utf-8")
    for done in ("tracking.team_challenges", "app.widget_broken", "account.banned"):
        assert done in changelog
    assert "account.banned" in load_taxonomy(demo / "taxonomy").intent("account.login").aliases

    cli("report", "--month", "2026-10")
    report = (demo / "reports" / "2026-10.md").read_text(encoding="utf-8")
    themes = report[report.index("## All themes") : report.index("## Appendix")]
    assert "Team challenges" in themes and "Home screen widget broken" in themes
    assert (
        "Account suspended or banned" not in themes
    )  # merged away: its items count under Cannot log in
    # The accepted intents' history includes the month before they were accepted.
    widget_months = history(demo, "app.widget_broken")
    assert widget_months["2026-09"] > 0 and widget_months["2026-10"] > 0
    team_months = history(demo, "tracking.team_challenges")
    assert team_months["2026-09"] == 0 and team_months["2026-10"] > 0  # new in October
