"""`vocmine taxonomy ...`: every edit command, the changelog, aliases, comments and order kept."""

from __future__ import annotations

import shlex
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.helpers import raw, store_records, themes_now
from vocmine.cli.app import app
from vocmine.config import load_config
from vocmine.errors import TaxonomyError
from vocmine.store.store import open_store
from vocmine.taxonomy import changelog
from vocmine.taxonomy.edit import add_examples, merge, move, retire
from vocmine.taxonomy.model import load_taxonomy, validate_taxonomy

TODAY = date(2026, 11, 22)
runner = CliRunner()

PROPOSALS = """\
month: 2026-10
produced_by: vocmine discover (test fixture)
proposals:
  - key: P01
    status: pending
    suggestion: new_intent
    id: tracking.team_challenges
    name: Team challenges
    category: tracking
    keywords: [team, challenge, friends]
    size: 40
    users: 31
    growth: {2026-09: 3, 2026-10: 40}
    nearest_intent: rewards.referral_bonus
    nearest_similarity: 0.41
    quotes:
      - {text: "I want team challenges", source: play, date: 2026-10-03, language: en}
    examples:
      en:
        - "I want team challenges with my friends"
        - "please add group challenges"
        - "team step challenge would be great"
        - "let us compete as a team"
        - "challenge my friends to a walking contest"
  - key: P02
    status: pending
    suggestion: add_examples
    id: app.crash_on_start
    name: Crash on start
    category: app
    keywords: [crash, start]
    size: 12
    users: 10
    growth: {2026-10: 12}
    nearest_intent: app.crash
    nearest_similarity: 0.83
    quotes: []
    examples:
      en:
        - "crashes right at the splash screen"
overlaps: []
splits: []
"""


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


def intent_ids(root: Path) -> list[str]:
    return [i.id for i in load_taxonomy(root).intents]


def accept_team(french: str) -> str:
    """Accept P01 as a new intent with one French example of ours."""
    return run(
        "taxonomy", "accept", "2026-10", "P01", "--reason", "recurring",
        "--example", f"fr:{french}",
        "--problem", "Users who walk with friends cannot compete as a team.",
    )  # fmt: skip


@pytest.fixture
def tax(project: Path) -> Path:
    proposals = project / "taxonomy" / "proposals"
    proposals.mkdir()
    (proposals / "2026-10.yaml").write_text(PROPOSALS, encoding="utf-8")
    return project / "taxonomy"


def snapshot(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(root.glob("*.yaml"))}


# --- merge and aliases -------------------------------------------------------------------------


def test_merge_moves_examples_keeps_alias_comments_and_order(tax: Path) -> None:
    before = (tax / "ads.yaml").read_text(encoding="utf-8")
    source_examples = load_taxonomy(tax).intent("ads.rewarded_ad_failure").all_examples()
    out = run("taxonomy", "merge", "ads.rewarded_ad_failure", "ads.too_many_ads", "--reason", "r")
    assert "merged 'ads.rewarded_ad_failure' into 'ads.too_many_ads'" in out
    taxonomy = load_taxonomy(tax)
    into = taxonomy.intent("ads.too_many_ads")
    assert "ads.rewarded_ad_failure" in into.aliases
    assert taxonomy.resolve("ads.rewarded_ad_failure") == "ads.too_many_ads"
    assert set(source_examples) <= set(into.all_examples())
    after = (tax / "ads.yaml").read_text(encoding="utf-8")
    # The file's header comment is kept verbatim, and the kept intent's fields are unchanged.
    header = before.split("intents:")[0]
    assert after.startswith(header)
    assert before.split("    aliases")[0].split("examples:")[0] in after
    # Other files are not rewritten at all.
    assert (tax / "app.yaml").read_text(encoding="utf-8") == (
        ROOT / "taxonomy" / "app.yaml"
    ).read_text(encoding="utf-8")


def test_merge_several_into_one_in_one_command(project: Path) -> None:
    """Batched review (issue 12): one command, one changelog entry per merge, one re-assignment."""
    tax = project / "taxonomy"
    csv = project / "reviews.csv"
    csv.write_text("id,text,date\n1,the app is so slow,2026-10-02\n", encoding="utf-8")
    run("ingest", "file", str(csv), "--kind", "review")
    out = run(
        "taxonomy", "merge", "app.performance", "app.battery", "app.bug", "--reason", "one theme"
    )  # fmt: skip
    assert "merged 'app.performance' into 'app.bug'" in out
    assert "merged 'app.battery' into 'app.bug'" in out
    assert out.count("re-assigned") == 1
    taxonomy = load_taxonomy(tax)
    assert set(taxonomy.intent("app.bug").aliases) >= {"app.performance", "app.battery"}
    entries = changelog.read(tax)
    assert [e.command for e in entries[:2]] == [
        "vocmine taxonomy merge app.battery app.bug --reason 'one theme'",
        "vocmine taxonomy merge app.performance app.bug --reason 'one theme'",
    ]  # each entry can be replayed on its own


def test_merge_names_the_merged_theme_in_the_same_step(tax: Path) -> None:
    """A merge widens INTO: --name/--problem say what it now holds, all or none with the merge."""
    out = run(
        "taxonomy", "merge", "app.performance", "app.battery", "app.bug", "--name",
        "The app is slow or broken", "--problem", "The app lags, drains the battery or misbehaves.",
        "--reason", "one theme", "--no-reassign",
    )  # fmt: skip
    assert "merged 'app.battery' into 'app.bug'" in out
    bug = load_taxonomy(tax).intent("app.bug")
    assert (bug.name, bug.problem) == (
        "The app is slow or broken",
        "The app lags, drains the battery or misbehaves.",
    )
    assert {"app.performance", "app.battery"} <= set(bug.aliases)
    entries = changelog.read(tax)
    assert [e.action for e in entries[:3]] == ["edit", "merge", "merge"]
    assert entries[0].command == (
        "vocmine taxonomy edit app.bug --name 'The app is slow or broken' --problem "
        "'The app lags, drains the battery or misbehaves.' --reason 'one theme'"
    )
    before = snapshot(tax)  # a bad merge writes neither the merge nor the new name
    fails("taxonomy", "merge", "app.nope", "app.bug", "--name", "X", "--reason", "r")
    assert snapshot(tax) == before


def test_several_ids_are_all_or_none(tax: Path) -> None:
    before = snapshot(tax)
    out = fails("taxonomy", "merge", "app.performance", "app.nope", "app.bug", "--reason", "r")
    assert f"intent 'app.nope' is not in {tax}" in " ".join(out.split())  # not the trial copy
    out = fails("taxonomy", "retire", "app.battery", "app.battery", "--reason", "r")
    assert "'app.battery' is named twice" in out
    fails("taxonomy", "retire", "app.battery", "app.bug", "app.bug", "--reason", "r")
    assert snapshot(tax) == before  # the first, valid edit was not written either
    assert not (tax / "CHANGELOG.md").exists()
    run("taxonomy", "retire", "app.battery", "ads.rewarded_ad_failure", "--reason", "gone")
    assert {"app.battery", "ads.rewarded_ad_failure"} <= set(load_taxonomy(tax).retired)
    assert [e.action for e in changelog.read(tax)[:2]] == ["retire", "retire"]


def test_comment_above_the_next_intent_survives_removing_the_one_before(tax: Path) -> None:
    path = tax / "app.yaml"
    text = path.read_text(encoding="utf-8")
    marked = text.replace(
        "\n  - id: app.performance",
        "\n  # Keep me: performance owned by the mobile team\n  - id: app.performance",
    )
    path.write_text(marked, encoding="utf-8")
    assert validate_taxonomy(tax) == []
    retire(tax, "app.battery", reason="gone", today=TODAY, command="c")
    after = path.read_text(encoding="utf-8")
    assert "  # Keep me: performance owned by the mobile team\n  - id: app.performance" in after
    assert "app.battery" not in [i.id for i in load_taxonomy(tax).intents]


def test_comment_above_the_second_intent_survives_removing_the_first(tax: Path) -> None:
    path = tax / "app.yaml"
    first, second = [i.id for i in load_taxonomy(tax).intents if i.file == "app.yaml"][:2]
    text = path.read_text(encoding="utf-8").replace(
        f"\n  - id: {second}\n", f"\n  # Owned by the mobile team\n  - id: {second}\n"
    )
    path.write_text(text, encoding="utf-8")
    merge(tax, first, "app.performance", reason="r", today=TODAY, command="c")
    after = path.read_text(encoding="utf-8")
    assert f"intents:\n  # Owned by the mobile team\n  - id: {second}\n" in after
    assert validate_taxonomy(tax) == []


def test_accepted_intent_gets_its_earlier_months(project: Path) -> None:
    (project / "taxonomy" / "proposals").mkdir()
    (project / "taxonomy" / "proposals" / "2026-10.yaml").write_text(PROPOSALS, encoding="utf-8")
    csv = project / "reviews.csv"
    csv.write_text(
        "id,text,date\n"
        "1,I want team challenges with my friends!,2026-09-05\n"
        "2,I want group challenges for my team,2026-10-02\n"
        "3,Way too many ads,2026-10-03\n",
        encoding="utf-8",
    )
    run("ingest", "file", str(csv), "--kind", "review")
    out = accept_team("je veux des défis en équipe avec mes amis")
    assert "-> tracking.team_challenges" in out
    cfg = load_config(project / "vocmine.toml")
    store = open_store(cfg.db)
    themes = themes_now(store, cfg, load_taxonomy(cfg.taxonomy))
    store.close()
    assert themes["tracking.team_challenges"].history == {"2026-09": 1, "2026-10": 1}


def test_merged_intent_history_follows_in_metrics(project: Path) -> None:
    cfg = load_config(project / "vocmine.toml", db=project / "v.db")
    tax = cfg.taxonomy
    # Items of September are phrased like the intent that will be merged away.
    rewarded = load_taxonomy(tax).intent("ads.rewarded_ad_failure").examples["en"][:4]
    records = [raw(f"s{i}", t, month=9) for i, t in enumerate(rewarded)]
    records += [raw("o1", "Way too many ads", month=10)]
    store_records(cfg, records)
    store = open_store(cfg.db)
    merge(tax, "ads.rewarded_ad_failure", "ads.too_many_ads", reason="r", today=TODAY, command="c")
    from vocmine.pipeline.update import reassign_edited as reassign

    taxonomy = load_taxonomy(tax)
    moves = reassign(store, config=cfg, taxonomy=taxonomy)
    assert ("ads.rewarded_ad_failure", "ads.too_many_ads") in moves.moved
    themes = themes_now(store, cfg, taxonomy)
    assert themes["ads.too_many_ads"].history["2026-09"] == 4
    assert "ads.rewarded_ad_failure" not in themes
    store.close()


# --- rename, move, retire, add-examples ------------------------------------------------------


def test_rename_name_and_id(tax: Path) -> None:
    run("taxonomy", "rename", "app.bug", "--name", "Bugs and glitches", "--reason", "clearer")
    assert load_taxonomy(tax).intent("app.bug").name == "Bugs and glitches"
    position = intent_ids(tax).index("app.bug")
    run("taxonomy", "rename", "app.bug", "--id", "app.glitch", "--reason", "shorter")
    taxonomy = load_taxonomy(tax)
    assert taxonomy.intent("app.glitch").aliases == ("app.bug",)
    assert intent_ids(tax).index("app.glitch") == position  # kept its place in the file
    out = fails("taxonomy", "rename", "app.glitch", "--id", "tracking.glitch", "--reason", "x")
    assert "vocmine taxonomy move" in out


def test_move_gives_a_new_id_with_the_old_as_alias(tax: Path) -> None:
    run("taxonomy", "move", "app.battery", "tracking", "--reason", "caused by tracking")
    taxonomy = load_taxonomy(tax)
    moved = taxonomy.intent("tracking.battery")
    assert moved.category == "tracking" and moved.file == "tracking.yaml"
    assert moved.aliases == ("app.battery",)
    assert taxonomy.resolve("app.battery") == "tracking.battery"
    out = fails("taxonomy", "move", "tracking.battery", "nowhere", "--reason", "x")
    assert "category 'nowhere' is not declared" in out


def test_retired_id_is_reserved_forever(tax: Path) -> None:
    run("taxonomy", "retire", "app.battery", "--reason", "feature removed")
    assert "app.battery" in load_taxonomy(tax).retired
    assert "app.battery" in yaml_of(tax / "taxonomy.yaml")["retired"]
    out = fails("taxonomy", "rename", "app.bug", "--id", "app.battery", "--reason", "x")
    assert "already used" in out
    # Reusing it by hand is caught by validation too.
    path = tax / "app.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("id: app.bug\n", "id: app.battery\n"), "utf-8"
    )
    assert any("retired id" in p for p in validate_taxonomy(tax))


def test_add_examples_skips_known_phrases_and_rejects_personal_data(tax: Path) -> None:
    out = run(
        "taxonomy", "add-examples", "app.crash", "--lang", "it", "l'app si blocca", "--reason", "r"
    )
    assert "added 1 'it' example to" in out
    assert "l'app si blocca" in load_taxonomy(tax).intent("app.crash").examples["it"]
    before = snapshot(tax)
    out = fails(
        "taxonomy",
        "add-examples",
        "app.crash",
        "--lang",
        "en",
        "mail me at a@b.com",
        "--reason",
        "r",
    )
    assert "nothing changed" in out and "personal data" in out
    assert snapshot(tax) == before


def test_remove_examples_takes_phrases_out_and_refuses_what_it_cannot(tax: Path) -> None:
    """A drafted intent may hold a text of another theme: the reviewer takes it out by its text
    (case and spacing aside), and the changelog records it; nothing changes on a bad request."""
    out = run(
        "taxonomy", "remove-examples", "app.crash", "keeps  CRASHING", "Crashed three times today",
        "--reason", "too short to teach",
    )  # fmt: skip
    assert "removed 2 examples from 'app.crash' (en)" in out
    english = load_taxonomy(tax).intent("app.crash").examples["en"]
    assert "Keeps crashing" not in english and "Crashed three times today" not in english
    assert "App crashes every time I open it" in english  # the others stay, in order
    log = (tax / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "removed 2 examples from 'app.crash' (en)" in log and "too short to teach" in log
    assert "vocmine taxonomy remove-examples app.crash" in log

    before = snapshot(tax)
    out = fails("taxonomy", "remove-examples", "app.crash", "never written", "--reason", "r")
    assert "'never written' is not an example of 'app.crash'" in out and "app.yaml" in out
    out = fails(  # the phrase is English: not found among the French ones
        "taxonomy", "remove-examples", "app.crash", "App crashes every time I open it",
        "--lang", "fr", "--reason", "r",
    )  # fmt: skip
    assert "not an example of 'app.crash' in 'fr'" in out
    out = fails("taxonomy", "remove-examples", "app.crash", "x", "--lang", "it", "--reason", "r")
    assert "has no 'it' examples" in out
    assert snapshot(tax) == before


def test_remove_examples_of_several_intents_in_one_command(tax: Path) -> None:
    """Each intent id starts its own list; all or none, one changelog entry per intent."""
    crash = [t for _, t in load_taxonomy(tax).intent("app.crash").all_examples()]
    bug = [t for _, t in load_taxonomy(tax).intent("app.bug").all_examples()]
    before = snapshot(tax)
    out = fails(  # the second list has a phrase app.bug does not have: nothing is written
        "taxonomy", "remove-examples", "app.crash", crash[0], "app.bug", bug[0], "never written",
        "--reason", "r",
    )  # fmt: skip
    assert "'never written' is not an example of 'app.bug'" in out
    out = fails("taxonomy", "remove-examples", "app.crash", crash[0], "app.bug", "--reason", "r")
    assert "no phrase after 'app.bug'" in out
    out = fails(
        "taxonomy", "remove-examples", "app.crash", crash[0], "app.crash", crash[1], "--reason", "r"
    )  # fmt: skip
    assert "'app.crash' is named twice" in out
    assert snapshot(tax) == before
    out = run(
        "taxonomy", "remove-examples", "app.crash", crash[0], crash[1], "app.bug", bug[0],
        "--reason", "other themes",
    )  # fmt: skip
    assert (
        "removed 2 examples from 'app.crash'" in out and "removed 1 example from 'app.bug'" in out
    )
    taxonomy = load_taxonomy(tax)
    assert not {crash[0], crash[1]} & {t for _, t in taxonomy.intent("app.crash").all_examples()}
    assert bug[0] not in {t for _, t in taxonomy.intent("app.bug").all_examples()}
    assert [e.command for e in changelog.read(tax)[:2]] == [
        shlex.join(["vocmine", "taxonomy", "remove-examples", "app.bug", bug[0], "--reason",
                    "other themes"]),
        shlex.join(["vocmine", "taxonomy", "remove-examples", "app.crash", crash[0], crash[1],
                    "--reason", "other themes"]),
    ]  # fmt: skip


def test_phrase_groups_start_at_an_id_unless_it_is_the_current_intents_example() -> None:
    from vocmine.cli.taxonomy import _phrase_groups

    own = {"app.crash": {"app.bug", "it crashes"}, "app.bug": {"a bug"}, "ads.x": {"ads"}}
    groups = _phrase_groups("app.crash", ["it crashes", "app.bug", "ads.x", "ads"], own, str.lower)
    # 'app.bug' is an example phrase of app.crash (an odd one, but reachable); 'ads.x' starts a list
    assert groups == [("app.crash", ["it crashes", "app.bug"]), ("ads.x", ["ads"])]
    assert _phrase_groups("app.bug", ["a bug", "app.crash", "it crashes"], own, str.lower) == [
        ("app.bug", ["a bug"]),
        ("app.crash", ["it crashes"]),
    ]


def test_remove_examples_keeps_the_example_rule(tax: Path) -> None:
    """Taking out all but four examples would break the rule (5 by default): nothing changes."""
    phrases = [text for _, text in load_taxonomy(tax).intent("app.crash").all_examples()]
    before = snapshot(tax)
    out = fails("taxonomy", "remove-examples", "app.crash", *phrases[4:], "--reason", "r")
    assert "nothing changed" in out
    assert snapshot(tax) == before
    run("taxonomy", "remove-examples", "app.crash", *phrases[5:], "--reason", "r")
    assert len(load_taxonomy(tax).intent("app.crash").all_examples()) == 5


# --- proposals -------------------------------------------------------------------------------


def test_accept_new_intent_needs_a_second_language_and_a_problem(tax: Path) -> None:
    # The fixed two-language rule is no longer the default (issue 12: languages follow the
    # stored feedback, one without a database); [taxonomy] min_languages = 2 keeps it.
    config = tax.parent / "vocmine.toml"
    config.write_text(config.read_text() + "\n[taxonomy]\nmin_languages = 2\n", "utf-8")
    before = snapshot(tax)
    out = fails("taxonomy", "accept", "2026-10", "P01", "--reason", "recurring")
    assert "--example 'fr:...'" in out
    out = fails(
        "taxonomy", "accept", "2026-10", "P01", "--reason", "r", "--example", "fr:défis en équipe"
    )
    assert "--problem" in out
    assert snapshot(tax) == before
    run(
        "taxonomy", "accept", "2026-10", "P01", "--reason", "recurring",
        "--example", "fr:je veux des défis en équipe",
        "--problem", "Users who walk with friends cannot compete as a team.",
    )  # fmt: skip
    intent = load_taxonomy(tax).intent("tracking.team_challenges")
    assert set(intent.examples) == {"en", "fr"} and intent.problem.startswith("Users who walk")
    proposal = yaml_of(tax / "proposals" / "2026-10.yaml")["proposals"][0]
    assert proposal["status"] == "accepted" and proposal["intent"] == "tracking.team_challenges"
    out = fails("taxonomy", "accept", "2026-10", "P01", "--reason", "again")
    assert "already accepted" in out


def test_accept_skips_proposal_examples_that_belong_to_another_intent(tax: Path) -> None:
    # Discovery quotes items; one may already be an example elsewhere ("Please add a dark mode"
    # is feedback.feature_request's). Accepting must not fail on it, and must say it skipped it.
    path = tax / "proposals" / "2026-10.yaml"
    path.write_text(
        PROPOSALS.replace('"please add group challenges"', '"please add a DARK mode"').replace(
            '"crashes right at the splash screen"', '"I can\'t log in anymore"'
        ),
        encoding="utf-8",
    )
    out = accept_team("je veux des défis en équipe")
    assert "1 of its examples skipped: already examples of existing intents" in out
    taxonomy = load_taxonomy(tax)
    assert (
        "please add a DARK mode" not in taxonomy.intent("tracking.team_challenges").examples["en"]
    )
    assert len(taxonomy.intent("tracking.team_challenges").examples["en"]) == 4
    out = run("taxonomy", "accept", "2026-10", "P02", "--reason", "same as crash")
    assert "added 0 examples of proposal to 'app.crash' (1 of its examples skipped" in out
    # A phrase the person typed is theirs: a clash is still refused, with the reason.
    out = fails(
        "taxonomy", "add-examples", "app.crash", "Please add a dark mode", "--lang", "en",
        "--reason", "x",
    )  # fmt: skip
    assert "'Please add a dark mode' (en) is also an example of" in out


def test_accept_add_examples_and_reject(tax: Path) -> None:
    run("taxonomy", "accept", "2026-10", "P02", "--reason", "same as crash")
    assert (
        "crashes right at the splash screen"
        in load_taxonomy(tax).intent("app.crash").examples["en"]
    )
    run("taxonomy", "reject", "2026-10", "P01", "--reason", "one-off")
    statuses = [p["status"] for p in yaml_of(tax / "proposals" / "2026-10.yaml")["proposals"]]
    assert statuses == ["rejected", "accepted"]
    assert "no proposal 'P09'" in fails("taxonomy", "reject", "2026-10", "P09", "--reason", "x")
    assert "discover --month 2026-01" in fails(
        "taxonomy", "reject", "2026-01", "P01", "--reason", "x"
    )


# --- changelog, version, errors ----------------------------------------------------------------


def test_changelog_records_date_command_reason_and_version(tax: Path) -> None:
    run("taxonomy", "retire", "app.battery", "--reason", "feature removed")
    run("taxonomy", "merge", "app.performance", "app.bug", "--reason", "one theme")
    entries = changelog.read(tax)
    today = datetime.now(UTC).date().isoformat()
    assert [e.action for e in entries] == ["merge", "retire"]  # newest first
    assert entries[0].day == today and entries[0].reason == "one theme"
    assert (
        entries[0].command == "vocmine taxonomy merge app.performance app.bug --reason 'one theme'"
    )
    assert entries[1].version.startswith("2026.11.1 -> ")
    assert load_taxonomy(tax).version == entries[0].version.split(" -> ")[1]


def test_version_bump_rules(tax: Path) -> None:
    add_examples(
        tax, "app.crash", "it", ["si blocca"], reason="r", today=date(2026, 11, 2), command="c"
    )
    assert load_taxonomy(tax).version == "2026.11.2"
    add_examples(tax, "app.crash", "it", ["crash"], reason="r", today=date(2027, 1, 5), command="c")
    assert load_taxonomy(tax).version == "2027.01.1"


def test_invalid_result_writes_nothing(tax: Path) -> None:
    from vocmine.taxonomy.edit import rename

    move(tax, "app.battery", "tracking", new_id=None, reason="r", today=TODAY, command="c")
    before = snapshot(tax)
    taken = load_taxonomy(tax).intent("app.crash").name
    with pytest.raises(TaxonomyError, match=r"nothing changed.*names label report rows"):
        rename(tax, "tracking.battery", name=taken, new_id=None, reason="r", today=TODAY,
               command="c")  # fmt: skip
    assert snapshot(tax) == before
    assert len(changelog.read(tax)) == 1  # the move only


def test_unknown_and_alias_ids_name_the_fix(tax: Path) -> None:
    assert "did you mean 'app.crash'?" in fails("taxonomy", "retire", "app.crahs", "--reason", "x")
    run("taxonomy", "merge", "app.performance", "app.bug", "--reason", "one")
    assert "use 'app.bug'" in fails("taxonomy", "retire", "app.performance", "--reason", "x")


# --- re-assignment after an edit, and validate ----------------------------------------------------


def test_edit_reassigns_from_cached_vectors_and_prints_moves(project: Path) -> None:
    from tests.conftest import HashingEmbedder

    csv = project / "reviews.csv"
    csv.write_text(
        "id,text,date\n1,Watched the whole ad and didn't get the bonus,2026-10-01\n"
        "2,Way too many ads,2026-10-02\n3,The app crashes on start,2026-10-02\n",
        encoding="utf-8",
    )
    run("ingest", "file", str(csv), "--kind", "review")
    embedded_before = sum(HashingEmbedder.calls)
    out = run("taxonomy", "merge", "ads.rewarded_ad_failure", "ads.too_many_ads", "--reason", "r")
    assert "re-assigned 3 items" in out
    assert "ads.rewarded_ad_failure -> ads.too_many_ads" in out
    assert sum(HashingEmbedder.calls) == embedded_before  # no item and no phrase re-embedded
    run("taxonomy", "add-examples", "app.crash", "--lang", "it", "si blocca", "--reason", "r")
    assert sum(HashingEmbedder.calls) == embedded_before + 1  # only the new phrase


def test_validate_passes_lists_conflicts_and_strict_fails(tax: Path) -> None:
    out = run("taxonomy", "validate")
    assert "taxonomy ok: 23 intents" in out
    # Put an ads phrase among the crash examples: it sits closer to ads than to crashes.
    add_examples(tax, "app.crash", "en", ["Way too many ads, really way too many ads"], reason="r",
                 today=TODAY, command="c")  # fmt: skip
    out = run("taxonomy", "validate", "--all")
    assert "'Way too many ads, really way too many ads' (en) is closer to 'ads.too_many_ads'" in out
    out = fails("taxonomy", "validate", "--strict")
    assert "--strict" in out
    assert "examples closer" not in run("taxonomy", "validate", "--no-embeddings")


def test_validate_reports_duplicate_ids_and_unknown_categories(tax: Path) -> None:
    path = tax / "app.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("id: app.battery\n", "id: app.bug\n")
    text = text.replace("category: app\n", "category: apps\n", 1)
    path.write_text(text, encoding="utf-8")
    out = fails("taxonomy", "validate")
    assert "ids are unique" in out and "category 'apps' is not declared" in out


def test_shipped_taxonomy_round_trips_byte_for_byte() -> None:
    from vocmine.taxonomy.edit import dump, yaml_rt

    for path in sorted((ROOT / "taxonomy").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert dump(yaml_rt().load(text)) == text, path.name


def test_copy_of_starter_is_untouched_by_tests() -> None:
    shutil.disk_usage(ROOT)  # the fixtures copy the starter: the repository's files never change
    assert "retired" not in yaml_of(ROOT / "taxonomy" / "taxonomy.yaml")
