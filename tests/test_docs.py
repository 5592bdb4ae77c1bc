"""Docs that cannot drift: every command, config key and placeholder is in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from vocmine.cli.app import app
from vocmine.config import _SECTIONS
from vocmine.prepare.redact import PLACEHOLDERS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def command_paths(typer_app: typer.Typer, prefix: str = "vocmine") -> list[str]:
    """'vocmine init', 'vocmine ingest', 'vocmine ingest file', ... from the real CLI."""
    paths = []
    for command in typer_app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        paths.append(f"{prefix} {name.replace('_', '-')}")
    for group in typer_app.registered_groups:
        sub = f"{prefix} {group.name}"
        paths.append(sub)
        assert group.typer_instance is not None
        paths.extend(command_paths(group.typer_instance, sub))
    return paths


def test_the_cli_has_the_commands_we_think() -> None:
    assert set(command_paths(app)) == {
        "vocmine init",
        "vocmine ingest",
        "vocmine ingest file",
        "vocmine ingest play",
        "vocmine ingest appstore",
        "vocmine ingest zendesk",
        "vocmine assign",
        "vocmine status",
        "vocmine report",
        "vocmine export",
        "vocmine spot-check",
        "vocmine discover",
        "vocmine eval",
        "vocmine taxonomy",
        "vocmine taxonomy accept",
        "vocmine taxonomy reject",
        "vocmine taxonomy merge",
        "vocmine taxonomy rename",
        "vocmine taxonomy move",
        "vocmine taxonomy retire",
        "vocmine taxonomy add-examples",
        "vocmine taxonomy remove-examples",
        "vocmine taxonomy add-category",
        "vocmine taxonomy edit-category",
        "vocmine taxonomy add-intent",
        "vocmine taxonomy edit",
        "vocmine taxonomy draft",
        "vocmine taxonomy validate",
    }


@pytest.mark.parametrize("command", command_paths(app))
def test_every_command_is_documented(command: str) -> None:
    assert f"`{command}" in README, f"README does not document {command}"


@pytest.mark.parametrize(
    ("section", "key"), [(s, k) for s, keys in sorted(_SECTIONS.items()) for k in sorted(keys)]
)
def test_every_config_key_is_documented(section: str, key: str) -> None:
    block = README[README.index("## Configuration: vocmine.toml") : README.index("## Input files")]
    assert f"[{section}]" in block and f"\n{key} = " in block, f"[{section}] {key}"


@pytest.mark.parametrize("placeholder", sorted(PLACEHOLDERS))
def test_every_placeholder_is_documented(placeholder: str) -> None:
    assert f"`{placeholder}`" in README


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
