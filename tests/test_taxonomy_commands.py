"""Issue 12: every taxonomy change from the CLI, example rules that follow the data, hand edits,
fast re-assignment, and the emptied-list YAML bug."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from vocmine.cli.app import app
from vocmine.taxonomy import changelog
from vocmine.taxonomy.edit import merge, move, retire
from vocmine.taxonomy.model import load_taxonomy, validate_taxonomy

TODAY = date(2026, 11, 22)
runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def fails(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code != 0, result.output
    return result.output


def yaml_of(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.fixture
def tax(project: Path) -> Path:
    return project / "taxonomy"


# --- the emptied list with a head comment -----------------------------------------------------


def _head_comment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("\nintents:\n", "\nintents:\n  # Owned by the care team\n"), "utf-8"
    )


@pytest.mark.parametrize("how", ["retire", "merge", "move"])
def test_removing_the_last_intent_of_a_list_with_a_head_comment(tax: Path, how: str) -> None:
    path = tax / "support.yaml"
    _head_comment(path)
    assert validate_taxonomy(tax) == []
    if how == "retire":
        retire(tax, "support.no_response", reason="r", today=TODAY, command="c")
    elif how == "merge":
        merge(tax, "support.no_response", "app.bug", reason="r", today=TODAY, command="c")
    else:
        move(tax, "support.no_response", "app", new_id=None, reason="r", today=TODAY, command="c")
    assert validate_taxonomy(tax) == []
    text = path.read_text(encoding="utf-8")
    assert "# Owned by the care team\nintents: []\n" in text
    assert yaml_of(path)["intents"] == []
    # The emptied file takes an intent again, as a block list.
    move(tax, "app.battery", "support", new_id=None, reason="r", today=TODAY, command="c")
    assert "intents:\n  - id: support.battery\n" in path.read_text(encoding="utf-8")
    assert load_taxonomy(tax).intent("support.battery").file == "support.yaml"


def test_retire_last_intent_from_the_cli(tax: Path) -> None:
    _head_comment(tax / "support.yaml")
    out = run("taxonomy", "retire", "support.no_response", "--reason", "no support any more")
    assert "retired 'support.no_response'" in out
    assert changelog.read(tax)[0].action == "retire"
