"""Issue 12: every taxonomy change from the CLI, example rules that follow the data, hand edits,
fast re-assignment, and the emptied-list YAML bug."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from vocmine.cli.app import app
from vocmine.errors import TaxonomyError
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


# --- new commands ------------------------------------------------------------------------------

CASTING = [
    "en:chromecast keeps disconnecting",
    "en:cannot cast to my tv anymore",
    "en:casting drops every few minutes",
    "en:the cast button does nothing",
    "en:picture freezes when I cast to the TV",
]


def _example_flags(examples: list[str]) -> list[str]:
    return [part for e in examples for part in ("--example", e)]


def test_add_category_add_intent_edit(tax: Path) -> None:
    header = (tax / "taxonomy.yaml").read_text(encoding="utf-8")
    out = run(
        "taxonomy", "add-category", "streaming", "--name", "Streaming",
        "--description", "Playback, casting and downloads.", "--reason", "video app",
    )  # fmt: skip
    assert "added category 'streaming'" in out
    after = (tax / "taxonomy.yaml").read_text(encoding="utf-8")
    assert after.split("categories:")[0].replace("2026.11.1", "X").split("version")[0] in header
    assert "streaming" in load_taxonomy(tax).categories
    out = run(
        "taxonomy", "add-intent", "streaming.casting", "--name", "Casting to TV",
        "--problem", "Users who cast to a TV lose the picture.", *_example_flags(CASTING),
        "--reason", "seen in August",
    )  # fmt: skip
    assert "added intent 'streaming.casting' (5 examples: en)" in out
    intent = load_taxonomy(tax).intent("streaming.casting")
    assert intent.file == "streaming.yaml" and set(intent.examples) == {"en"}
    run("taxonomy", "edit", "streaming.casting", "--name", "Casting", "--description",
        "Casting to a TV or a speaker. Not here: playback on the phone.", "--type", "problem",
        "--reason", "clearer")  # fmt: skip
    intent = load_taxonomy(tax).intent("streaming.casting")
    assert intent.name == "Casting" and intent.description.startswith("Casting to a TV")
    assert [e.action for e in changelog.read(tax)] == ["edit", "add-intent", "add-category"]
    # Refused with one line, nothing written: a name taken, too few examples, no problem.
    taken = load_taxonomy(tax).intent("app.crash").name
    out = fails("taxonomy", "edit", "streaming.casting", "--name", taken, "--reason", "x")
    assert "nothing changed" in out and "names label report rows" in out
    out = fails("taxonomy", "add-intent", "streaming.downloads", "--name", "Downloads",
                "--problem", "Users who download lose files.", "--example", "en:downloads vanish",
                "--reason", "x")  # fmt: skip
    assert "has 1 examples" in out and "--example" in out
    out = fails("taxonomy", "add-intent", "streaming.dl", "--name", "DL",
                *_example_flags([e.replace("cast", "dl") for e in CASTING]), "--reason", "x")  # fmt: skip
    assert "--problem" in out
    out = fails("taxonomy", "add-category", "streaming", "--name", "S", "--description", "d",
                "--reason", "x")  # fmt: skip
    assert "already declared" in out


def test_edit_several_ids_takes_one_type_all_or_none(tax: Path) -> None:
    """Themes that are not about the product are marked 'other' in one command (issue 12)."""
    before = {p.name: p.read_text(encoding="utf-8") for p in tax.glob("*.yaml")}
    out = fails("taxonomy", "edit", "app.bug", "app.nope", "--type", "other", "--reason", "x")
    assert "app.nope" in out
    out = fails("taxonomy", "edit", "app.bug", "app.battery", "--name", "Both", "--reason", "x")
    assert "--name and --problem describe one intent: give one ID" in out
    assert {p.name: p.read_text(encoding="utf-8") for p in tax.glob("*.yaml")} == before
    run("taxonomy", "edit", "app.bug", "app.battery", "--type", "other", "--reason", "not ours")
    taxonomy = load_taxonomy(tax)
    assert taxonomy.intent("app.bug").type == taxonomy.intent("app.battery").type == "other"
    assert [e.command for e in changelog.read(tax)[:2]] == [
        "vocmine taxonomy edit app.battery --type other --reason 'not ours'",
        "vocmine taxonomy edit app.bug --type other --reason 'not ours'",
    ]


def test_edit_category_renames_the_label_and_keeps_the_id(tax: Path) -> None:
    before = load_taxonomy(tax)
    out = run("taxonomy", "edit-category", "app", "--name", "App stability",
              "--description", "Crashes, bugs and speed.", "--reason", "review")  # fmt: skip
    assert "edited category 'app': name, description" in out
    after = load_taxonomy(tax)
    assert after.categories["app"].name == "App stability"
    assert after.categories["app"].description.startswith("Crashes, bugs")
    assert [i.id for i in after.intents] == [i.id for i in before.intents]
    assert validate_taxonomy(tax) == []
    assert changelog.read(tax)[0].action == "edit-category"
    assert "nothing to edit" in fails("taxonomy", "edit-category", "app", "--reason", "x")
    out = fails("taxonomy", "edit-category", "nope", "--name", "N", "--reason", "x")
    assert "no category 'nope'" in out and "app" in out
    out = fails("taxonomy", "edit-category", "app", "--name", "App stability", "--reason", "x")
    assert "already says that" in out


PROPOSALS = """\
month: 2026-10
proposals:
  - key: P01
    status: pending
    suggestion: new_intent
    id: app.crash_on_start
    name: Crash on start
    category: app
    examples:
      en:
        - "crashes right at the splash screen"
        - "dies before the home screen shows"
  - key: P02
    status: pending
    suggestion: new_intent
    id: feedback.praise_short
    name: Short praise
    category: feedback
    examples:
      en: ["good app"]
  - key: P03
    status: pending
    suggestion: new_intent
    id: feedback.emoji
    name: Emoji
    category: feedback
    examples:
      en: ["great"]
"""


def test_accept_into_an_existing_intent_and_reject_several(tax: Path) -> None:
    (tax / "proposals").mkdir(exist_ok=True)
    path = tax / "proposals" / "2026-10.yaml"
    path.write_text(PROPOSALS, encoding="utf-8")
    out = run("taxonomy", "accept", "2026-10", "P01", "--into", "app.crash", "--reason", "same")
    assert "added 2 examples of proposal to 'app.crash'" in out
    assert (
        "dies before the home screen shows" in load_taxonomy(tax).intent("app.crash").examples["en"]
    )
    out = fails("taxonomy", "reject", "2026-10", "P02", "P09", "--reason", "noise")
    assert "no proposal 'P09'" in out
    assert [p["status"] for p in yaml_of(path)["proposals"]] == ["accepted", "pending", "pending"]
    out = run("taxonomy", "reject", "2026-10", "P02", "P03", "--reason", "praise, not a theme")
    assert "rejected proposals P02, P03 of 2026-10" in out
    statuses = [p["status"] for p in yaml_of(path)["proposals"]]
    assert statuses == ["accepted", "rejected", "rejected"]


# --- example rules that follow the data ------------------------------------------------------


def test_one_language_is_enough_without_data_and_the_old_rule_is_reachable(tmp_path: Path) -> None:
    from vocmine.taxonomy.schema import ExampleRule

    shutil.copytree(Path(__file__).resolve().parent.parent / "taxonomy", tmp_path / "t",
                    ignore=shutil.ignore_patterns("proposals"))  # fmt: skip
    app_yaml = tmp_path / "t" / "app.yaml"
    doc = YAML(typ="rt").load(app_yaml.read_text(encoding="utf-8"))
    crash = doc["intents"][0]
    for lang in [lang for lang in crash["examples"] if lang != "en"]:
        del crash["examples"][lang]
    YAML(typ="rt").dump(doc, app_yaml)
    assert validate_taxonomy(tmp_path / "t") == []
    assert (
        "in at least 2 languages"
        in validate_taxonomy(tmp_path / "t", ExampleRule(min_languages=2))[0]
    )
    rule = ExampleRule(languages=("en", "de"), shares={"en": 0.8, "de": 0.2})
    problem = validate_taxonomy(tmp_path / "t", rule)[0]
    assert (
        f"intent '{crash['id']}': field 'examples' has none in 'de' (20% of the stored" in problem
    )


def test_main_languages_come_from_the_stored_feedback() -> None:
    from vocmine.config import TaxonomyConfig
    from vocmine.taxonomy.rules import language_shares, rule_from_shares

    shares = language_shares({"en": 900, "fr": 150, "so": 3, "und": 500})
    rule = rule_from_shares(shares, TaxonomyConfig())
    assert rule.languages == ("en", "fr")  # 'so': 3 items, a misdetection; 'und' never counts
    assert rule_from_shares(shares, TaxonomyConfig(language_share=0.2)).languages == ("en",)
    assert rule_from_shares({}, TaxonomyConfig()).languages == ()


def test_an_edit_may_not_leave_a_new_intent_without_a_main_language(tax: Path) -> None:
    from vocmine.taxonomy.create import add_intent
    from vocmine.taxonomy.schema import ExampleRule

    rule = ExampleRule(languages=("en", "de"), shares={"en": 0.7, "de": 0.3})
    examples = [tuple(e.split(":", 1)) for e in CASTING]
    with pytest.raises(TaxonomyError, match=r"'de' is 30% of the stored feedback.*'de:\.\.\.'"):
        add_intent(tax, "app.casting", name="Casting", problem="Users who cast lose it.",
                   examples=examples, reason="r", today=TODAY, command="c", rule=rule)  # fmt: skip
    # Existing intents that lack a main language do not block unrelated edits.
    retire(tax, "app.battery", reason="r", today=TODAY, command="c", rule=ExampleRule(
        languages=("ja",), shares={"ja": 0.5}))  # fmt: skip


def test_validate_names_the_languages_and_explains_conflicts(project: Path) -> None:
    from vocmine.taxonomy.edit import add_examples

    tax = project / "taxonomy"
    add_examples(tax, "app.crash", "en", ["Way too many ads, really way too many ads"],
                 reason="r", today=TODAY, command="c")  # fmt: skip
    out = run("taxonomy", "validate", "--all")
    assert "taxonomy/app.yaml:" in out
    assert "if it is about 'Too many ads', move it there (vocmine taxonomy add-examples" in out
    # ...and how to take it out here, as a command to paste.
    assert (
        "then vocmine taxonomy remove-examples app.crash "
        "'Way too many ads, really way too many ads' --reason" in out
    )


# --- hand edits --------------------------------------------------------------------------------


def test_hand_edit_is_versioned_once_and_own_edits_are_not(tax: Path) -> None:
    run("taxonomy", "validate", "--no-embeddings")
    assert changelog.read(tax) == []  # the shipped record matches: nothing to log
    run("taxonomy", "retire", "app.battery", "--reason", "gone")
    run("taxonomy", "validate", "--no-embeddings")
    assert [e.action for e in changelog.read(tax)] == ["retire"]  # vocmine's own edit
    path = tax / "app.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: Crashes and freezes", "name: Crashes"), "utf-8")  # fmt: skip
    version = load_taxonomy(tax).version
    out = run("taxonomy", "validate", "--no-embeddings")
    assert "edited by hand: modified app.crash (files: app.yaml)" in out
    run("taxonomy", "validate", "--no-embeddings")  # idempotent
    entries = changelog.read(tax)
    assert [e.action for e in entries] == ["hand-edit", "retire"]
    assert entries[0].version == f"{version} -> {load_taxonomy(tax).version}"
    # Adding and removing intents by hand are listed as such.
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: app.bug\n", "id: app.glitch\n"), "utf-8")
    run("taxonomy", "validate", "--no-embeddings")
    assert "added app.glitch; removed app.bug" in changelog.read(tax)[0].change


# --- deferred re-assignment --------------------------------------------------------------------


def test_no_reassign_defers_to_the_next_command(project: Path) -> None:
    csv = project / "reviews.csv"
    csv.write_text(
        "id,text,date\n1,Watched the whole ad and didn't get the bonus,2026-10-01\n"
        "2,Way too many ads,2026-10-02\n",
        encoding="utf-8",
    )
    run("ingest", "file", str(csv), "--kind", "review")
    out = run("taxonomy", "merge", "ads.rewarded_ad_failure", "ads.too_many_ads",
              "--reason", "r", "--no-reassign")  # fmt: skip
    assert "not re-assigned (--no-reassign)" in out and "re-assigned 2" not in out
    out = run("taxonomy", "rename", "ads.too_many_ads", "--name", "Ads", "--reason", "r",
              "--no-reassign")  # fmt: skip
    out = run("assign")
    assert "assigned 2 items" in out  # brought up to date once
    assert "assigned 0 items" in run("assign")
