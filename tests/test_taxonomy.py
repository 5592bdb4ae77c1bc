"""The taxonomy format and loader, on the shipped starter taxonomy and on copies with one defect each."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from vocmine.errors import TaxonomyError
from vocmine.taxonomy.model import Taxonomy, load_taxonomy, validate_taxonomy
from vocmine.taxonomy.schema import ExampleRule, Intent

STARTER = Path(__file__).resolve().parents[1] / "taxonomy"

REQUIRED_IDS = {
    "tracking.steps_not_counted",
    "tracking.health_sync",
    "rewards.missing_points",
    "rewards.earning_rate_drop",
    "rewards.referral_bonus",
    "rewards.cashback_offer",
    "cashout.bank_transfer_delay",
    "cashout.gift_card_issue",
    "cashout.minimum_threshold",
    "account.login",
    "account.banned",
    "account.identity_verification",
    "account.data_deletion",
    "app.crash",
    "app.bug",
    "app.battery",
    "app.performance",
    "ads.too_many_ads",
    "ads.rewarded_ad_failure",
    "support.no_response",
    "feedback.feature_request",
    "feedback.praise",
}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the starter taxonomy at ./taxonomy, so that messages say 'taxonomy/x.yaml'."""
    shutil.copytree(STARTER, tmp_path / "taxonomy")
    monkeypatch.chdir(tmp_path)
    return Path("taxonomy")


@pytest.fixture(scope="module")
def starter() -> Taxonomy:
    return load_taxonomy(STARTER)


def edit(path: Path, change: Callable[[Any], None]) -> None:
    """Change a YAML file the way a later 'vocmine' command will: round-trip, comments kept."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    data = yaml.load(path.read_text(encoding="utf-8"))
    change(data)
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)


def intent_of(data: Any, intent_id: str) -> Any:
    return next(entry for entry in data["intents"] if entry["id"] == intent_id)


def only_problem(root: Path) -> str:
    problems = validate_taxonomy(root)
    assert len(problems) == 1, problems
    return problems[0]


def minimal_intent(intent_id: str, category: str, **fields: Any) -> dict[str, Any]:
    intent: dict[str, Any] = {
        "id": intent_id,
        "name": intent_id.replace(".", " ").title(),
        "category": category,
        "problem": f"Users hit {intent_id}.",
        "description": "What belongs here.",
        "examples": {
            "fr": [f"{intent_id} un", f"{intent_id} deux", f"{intent_id} trois"],
            "en": [f"{intent_id} one", f"{intent_id} two"],
        },
    }
    intent.update(fields)
    return intent


def write_minimal(root: Path, files: dict[str, list[dict[str, Any]]]) -> None:
    """A small taxonomy with categories a and b and the given intent files."""
    root.mkdir(parents=True, exist_ok=True)
    yaml = YAML(typ="safe")
    header = {
        "version": "1",
        "name": "test",
        "categories": [
            {"id": "a", "name": "A", "description": "Category a."},
            {"id": "b", "name": "B", "description": "Category b."},
        ],
    }
    with (root / "taxonomy.yaml").open("w", encoding="utf-8") as stream:
        yaml.dump(header, stream)
    for name, intents in files.items():
        with (root / name).open("w", encoding="utf-8") as stream:
            yaml.dump({"intents": intents}, stream)


# --- the starter taxonomy ------------------------------------------------------------------------


def test_starter_is_valid(starter: Taxonomy) -> None:
    assert validate_taxonomy(STARTER) == []
    assert starter.version == "2026.11.1"
    assert list(starter.categories) == [
        "tracking",
        "rewards",
        "cashout",
        "account",
        "app",
        "ads",
        "support",
        "feedback",
    ]
    assert re.fullmatch(r"[0-9a-f]{64}", starter.hash)


def test_starter_has_the_required_intents_and_at_most_three_more(starter: Taxonomy) -> None:
    ids = {intent.id for intent in starter.intents}
    assert not REQUIRED_IDS - ids, sorted(REQUIRED_IDS - ids)
    assert len(ids - REQUIRED_IDS) <= 3


@pytest.mark.parametrize("intent_id", sorted(REQUIRED_IDS))
def test_starter_intent_is_complete(starter: Taxonomy, intent_id: str) -> None:
    intent = starter.intent(intent_id)
    counts = {lang: len(texts) for lang, texts in intent.examples.items()}
    assert counts["fr"] >= 10 and counts["en"] >= 10, counts
    assert counts["es"] >= 3 and counts["de"] >= 3, counts
    assert intent.name and intent.description
    assert "Not here" in intent.description  # every intent points to its siblings
    if intent.type == "problem":
        assert intent.problem.endswith(".")
    assert intent.file == f"{intent.category}.yaml"


def test_starter_types(starter: Taxonomy) -> None:
    assert starter.intent("feedback.feature_request").type == "request"
    assert starter.intent("feedback.praise").type == "praise"
    assert starter.intent("feedback.praise").problem == ""
    others = {i.type for i in starter.intents if i.category != "feedback"}
    assert others == {"problem"}


def test_starter_descriptions_name_existing_siblings(starter: Taxonomy) -> None:
    ids = {intent.id for intent in starter.intents}
    for intent in starter.intents:
        for named in re.findall(r"\b([a-z]+\.[a-z_]+)\b", intent.description):
            if named.split(".")[0] in starter.categories:
                assert named in ids, f"{intent.id} points to unknown {named}"


def test_every_starter_file_explains_how_to_edit_it() -> None:
    for path in sorted(STARTER.glob("*.yaml")):
        head = path.read_text(encoding="utf-8").splitlines()[:12]
        assert head[0].startswith("# "), path.name
        assert any("README.md" in line for line in head), path.name


# --- ordering, lookups ---------------------------------------------------------------------------


def test_intents_are_ordered_by_file_then_position(starter: Taxonomy) -> None:
    files = [intent.file for intent in starter.intents]
    assert files == sorted(files)
    app = [intent.id for intent in starter.intents if intent.file == "app.yaml"]
    assert app == ["app.crash", "app.bug", "app.battery", "app.performance"]


def test_all_examples_sorted_by_language_then_file_order(starter: Taxonomy) -> None:
    intent = starter.intent("cashout.bank_transfer_delay")
    pairs = intent.all_examples()
    assert [lang for lang, _ in pairs] == sorted(lang for lang, _ in pairs)
    assert [text for lang, text in pairs if lang == "fr"] == list(intent.examples["fr"])
    assert len(pairs) == sum(len(texts) for texts in intent.examples.values())


def test_by_category_keeps_declaration_order(starter: Taxonomy) -> None:
    groups = starter.by_category()
    assert list(groups) == list(starter.categories)
    assert sum(len(intents) for intents in groups.values()) == len(starter.intents)
    assert [i.id for i in groups["ads"]] == ["ads.too_many_ads", "ads.rewarded_ad_failure"]


def test_by_category_includes_empty_categories(tmp_path: Path) -> None:
    write_minimal(tmp_path, {"a.yaml": [minimal_intent("a.one", "a")]})
    assert load_taxonomy(tmp_path).by_category() == {
        "a": [load_taxonomy(tmp_path).intent("a.one")],
        "b": [],
    }


def test_loader_does_not_require_one_file_per_category(tmp_path: Path) -> None:
    write_minimal(
        tmp_path,
        {
            "misc.yaml": [minimal_intent("b.two", "b"), minimal_intent("a.one", "a")],
            "extra.yaml": [minimal_intent("a.three", "a")],
        },
    )
    taxonomy = load_taxonomy(tmp_path)
    assert [i.id for i in taxonomy.intents] == ["a.three", "b.two", "a.one"]
    assert [i.file for i in taxonomy.intents] == ["extra.yaml", "misc.yaml", "misc.yaml"]


def test_aliases_resolve_to_the_current_id(tmp_path: Path) -> None:
    merged = minimal_intent("a.one", "a", aliases=["a.old_one", "b.moved"])
    write_minimal(tmp_path, {"a.yaml": [merged, minimal_intent("a.two", "a")]})
    taxonomy = load_taxonomy(tmp_path)
    assert taxonomy.resolve("a.one") == "a.one"
    assert taxonomy.resolve("a.old_one") == "a.one"
    assert taxonomy.resolve("b.moved") == "a.one"
    assert taxonomy.resolve("a.unknown") is None
    assert taxonomy.intent("a.old_one").id == "a.one"
    assert taxonomy.intent("a.old_one").aliases == ("a.old_one", "b.moved")


def test_unknown_intent_is_a_taxonomy_error_with_a_suggestion(starter: Taxonomy) -> None:
    with pytest.raises(TaxonomyError, match=r"did you mean 'cashout\.bank_transfer_delay'\?"):
        starter.intent("cashout.bank_transfer_delays")
    with pytest.raises(TaxonomyError, match=r"intent 'zzz\.zzz' is not in taxonomy"):
        starter.intent("zzz.zzz")


def test_loaded_values_are_immutable(starter: Taxonomy) -> None:
    intent = starter.intents[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        intent.id = "x.y"  # type: ignore[misc]
    with pytest.raises(TypeError):
        intent.examples["fr"] = ()  # type: ignore[index]
    assert isinstance(intent.examples["fr"], tuple)
    with pytest.raises(TypeError):
        starter.categories["x"] = starter.categories["app"]  # type: ignore[index]


def test_loaded_strings_are_plain_str(root: Path) -> None:
    """Round-trip scalars (folded, quoted) must not leak into the values."""
    intent = load_taxonomy(root).intent("app.crash")
    values = [intent.id, intent.name, intent.problem, intent.description, *intent.aliases]
    values += [text for _, text in intent.all_examples()] + list(intent.examples)
    assert {type(value) for value in values} == {str}
    assert "\n" not in intent.problem and not intent.description.endswith("\n")


def test_type_defaults_to_problem_and_owner_is_optional(tmp_path: Path) -> None:
    write_minimal(
        tmp_path,
        {"a.yaml": [minimal_intent("a.one", "a"), minimal_intent("a.two", "a", owner="payments")]},
    )
    one, two = load_taxonomy(tmp_path).intents
    assert (one.type, one.owner, two.owner) == ("problem", None, "payments")


def test_problem_is_optional_for_other_types(tmp_path: Path) -> None:
    praise = minimal_intent("a.praise", "a", type="praise")
    del praise["problem"]
    write_minimal(tmp_path, {"a.yaml": [praise]})
    assert load_taxonomy(tmp_path).intent("a.praise").problem == ""


def test_problem_may_mention_abbreviations(tmp_path: Path) -> None:
    text = "Users of health apps (e.g. Google Fit) lose steps. "
    write_minimal(tmp_path, {"a.yaml": [minimal_intent("a.one", "a", problem=text)]})
    assert load_taxonomy(tmp_path).intent("a.one").problem == text.strip()


# --- hash ----------------------------------------------------------------------------------------


def test_hash_is_stable_and_independent_of_location(root: Path, tmp_path: Path) -> None:
    first = load_taxonomy(root).hash
    assert load_taxonomy(root).hash == first
    shutil.copytree(root, tmp_path / "elsewhere")
    assert load_taxonomy(tmp_path / "elsewhere").hash == first


def test_hash_changes_on_any_edit(root: Path) -> None:
    before = load_taxonomy(root).hash
    path = root / "support.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    after_comment = load_taxonomy(root).hash
    assert after_comment != before
    (root / "zz_new.yaml").write_text("intents: []\n", encoding="utf-8")
    assert load_taxonomy(root).hash not in {before, after_comment}


def test_hash_changes_when_a_file_is_renamed(root: Path) -> None:
    before = load_taxonomy(root).hash
    (root / "support.yaml").rename(root / "zz_support.yaml")
    assert load_taxonomy(root).hash != before


def test_files_the_loader_does_not_read_do_not_change_the_hash(root: Path) -> None:
    before = load_taxonomy(root).hash
    (root / "README.md").write_text("edited\n", encoding="utf-8")
    (root / "proposals").mkdir(exist_ok=True)  # the repository's own may be copied with it
    (root / "proposals" / "new.yaml").write_text("not: [valid", encoding="utf-8")
    (root / ".cashout.yaml.swp").write_text("editor junk", encoding="utf-8")
    assert validate_taxonomy(root) == []
    assert load_taxonomy(root).hash == before


# --- round trip ----------------------------------------------------------------------------------


def test_round_trip_edit_keeps_comments_and_loads(root: Path) -> None:
    edit(
        root / "cashout.yaml",
        lambda d: intent_of(d, "cashout.bank_transfer_delay")["examples"]["fr"].append(
            "virement toujours pas là après 4 semaines"
        ),
    )
    text = (root / "cashout.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Intents of the category `cashout`")
    intent = load_taxonomy(root).intent("cashout.bank_transfer_delay")
    assert intent.examples["fr"][-1] == "virement toujours pas là après 4 semaines"


# --- one defect each -----------------------------------------------------------------------------


def test_missing_problem_names_file_intent_field_and_fix(root: Path) -> None:
    edit(
        root / "cashout.yaml", lambda d: intent_of(d, "cashout.bank_transfer_delay").pop("problem")
    )
    assert re.fullmatch(
        r"taxonomy/cashout\.yaml:\d+: intent 'cashout\.bank_transfer_delay': field 'problem' is "
        r"missing; add a one-sentence problem statement for Product",
        only_problem(root),
    )


def test_undeclared_category_lists_known_ones(root: Path) -> None:
    edit(root / "app.yaml", lambda d: intent_of(d, "app.crash").update(category="apps"))
    assert re.fullmatch(
        r"taxonomy/app\.yaml:\d+: intent 'app\.crash': category 'apps' is not declared in "
        r"taxonomy\.yaml \(known: account, ads, app, cashout, feedback, rewards, support, "
        r"tracking\); use one of them or declare it",
        only_problem(root),
    )


def test_line_number_points_at_the_intent(root: Path) -> None:
    edit(root / "app.yaml", lambda d: intent_of(d, "app.bug").pop("name"))
    message = only_problem(root)
    line = int(message.split(":")[1])
    lines = (root / "app.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[line - 1].strip() == "- id: app.bug"


DEFECTS: list[tuple[str, str, Callable[[Any], None], str]] = [
    (
        "id prefix differs from category",
        "app.yaml",
        lambda d: intent_of(d, "app.crash").update(category="account"),
        "intent 'app.crash': field 'id' must start with its category 'account.', not 'app.'",
    ),
    (
        "id with capitals",
        "app.yaml",
        lambda d: intent_of(d, "app.crash").update(id="App.Crash"),
        "intent #1 ('App.Crash'): field 'id' must look like '<category>.<snake_name>'",
    ),
    (
        "id missing",
        "app.yaml",
        lambda d: intent_of(d, "app.bug").pop("id"),
        "intent #2: field 'id' is missing; add an id '<category>.<snake_name>'",
    ),
    (
        "name missing",
        "ads.yaml",
        lambda d: intent_of(d, "ads.too_many_ads").pop("name"),
        "intent 'ads.too_many_ads': field 'name' is missing; add a short human label",
    ),
    (
        "name too long",
        "ads.yaml",
        lambda d: intent_of(d, "ads.too_many_ads").update(name="Too many ads " * 6),
        "intent 'ads.too_many_ads': field 'name' is 77 characters long; keep the label to at most 60",
    ),
    (
        "description missing",
        "ads.yaml",
        lambda d: intent_of(d, "ads.too_many_ads").pop("description"),
        "intent 'ads.too_many_ads': field 'description' is missing; say what belongs here",
    ),
    (
        "empty problem",
        "ads.yaml",
        lambda d: intent_of(d, "ads.too_many_ads").update(problem="  "),
        "intent 'ads.too_many_ads': field 'problem' is missing",
    ),
    (
        "two-sentence problem",
        "ads.yaml",
        lambda d: intent_of(d, "ads.too_many_ads").update(problem="Ads annoy users. They leave."),
        "intent 'ads.too_many_ads': field 'problem' has more than one sentence; keep one",
    ),
    (
        "problem not text",
        "ads.yaml",
        lambda d: intent_of(d, "ads.too_many_ads").update(problem=42),
        "intent 'ads.too_many_ads': field 'problem' must be text, not 42; quote it",
    ),
    (
        "unknown type",
        "ads.yaml",
        lambda d: intent_of(d, "ads.too_many_ads").update(type="bug"),
        "intent 'ads.too_many_ads': field 'type' is 'bug'; use one of problem, request, praise, "
        "other",
    ),
    (
        "misspelt field",
        "ads.yaml",
        lambda d: intent_of(d, "ads.too_many_ads").insert(
            3, "exemples", intent_of(d, "ads.too_many_ads").pop("examples")
        ),
        "intent 'ads.too_many_ads': unknown field 'exemples'; did you mean 'examples'?",
    ),
    (
        "examples as a list",
        "support.yaml",
        lambda d: intent_of(d, "support.no_response").update(examples=["a", "b", "c", "d", "e"]),
        "intent 'support.no_response': field 'examples' must map language codes to lists",
    ),
    (
        "examples of a language not a list",
        "support.yaml",
        lambda d: intent_of(d, "support.no_response")["examples"].update(de="Kein Support"),
        "intent 'support.no_response': field 'examples': 'de' must map language codes to lists",
    ),
    (
        "example not text",
        "support.yaml",
        lambda d: intent_of(d, "support.no_response")["examples"]["es"].append(404),
        "intent 'support.no_response': field 'examples': 'es' has 404; write text (quote it)",
    ),
    (
        "bad language code",
        "support.yaml",
        lambda d: intent_of(d, "support.no_response")["examples"].update(French=["Aucune réponse"]),
        "intent 'support.no_response': field 'examples': 'French' is not a language code",
    ),
    (
        "duplicate example in an intent",
        "support.yaml",
        lambda d: intent_of(d, "support.no_response")["examples"]["en"].append(
            "customer SERVICE  never replies"
        ),
        "intent 'support.no_response': field 'examples': 'customer SERVICE never replies' (en) "
        "duplicates an example in 'en'; remove one",
    ),
    (
        "personal data in an example",
        "support.yaml",
        lambda d: intent_of(d, "support.no_response")["examples"]["en"].append(
            "No answer, write me at someone@example.com"
        ),
        "intent 'support.no_response': field 'examples': 'No answer, write me at "
        "someone@example.com' (en) seems to contain an email address; remove personal data",
    ),
    (
        "phone number in an example",
        "support.yaml",
        lambda d: intent_of(d, "support.no_response")["examples"]["fr"].append(
            "rappelez moi au 06 12 34 56 78"
        ),
        "seems to contain a phone number",
    ),
    (
        "alias in bad format",
        "support.yaml",
        lambda d: intent_of(d, "support.no_response").update(aliases=["Support"]),
        "intent 'support.no_response': field 'aliases': 'Support' is not an id",
    ),
    (
        "alias is its own id",
        "support.yaml",
        lambda d: intent_of(d, "support.no_response").update(aliases=["support.no_response"]),
        "intent 'support.no_response': field 'aliases': 'support.no_response' is the intent's own "
        "id; remove it",
    ),
    (
        "owner not text",
        "support.yaml",
        lambda d: intent_of(d, "support.no_response").update(owner=["a", "b"]),
        "intent 'support.no_response': field 'owner' must be text",
    ),
    (
        "intent not a mapping",
        "support.yaml",
        lambda d: d["intents"].append("support.other"),
        "taxonomy/support.yaml:",
    ),
    (
        "intents not a list",
        "support.yaml",
        lambda d: d.update(intents={"id": "support.no_response"}),
        "taxonomy/support.yaml:",
    ),
    (
        "unknown top-level key in an intent file",
        "support.yaml",
        lambda d: d.insert(0, "intent", []),
        "taxonomy/support.yaml: unknown field 'intent'; did you mean 'intents'?",
    ),
    (
        "version not a string",
        "taxonomy.yaml",
        lambda d: d.update(version=2026.11),
        "taxonomy/taxonomy.yaml: field 'version' must be text, not 2026.11; quote it",
    ),
    (
        "version missing",
        "taxonomy.yaml",
        lambda d: d.pop("version"),
        "taxonomy/taxonomy.yaml: field 'version' is missing; add e.g. version: \"2026.11.1\"",
    ),
    (
        "category without description",
        "taxonomy.yaml",
        lambda d: d["categories"][0].pop("description"),
        "taxonomy/taxonomy.yaml:",
    ),
    (
        "category id not snake case",
        "taxonomy.yaml",
        lambda d: d["categories"].append({"id": "Cash-Out", "name": "X", "description": "Y"}),
        "category 'Cash-Out': field 'id' must be lowercase snake_case",
    ),
    (
        "category declared twice",
        "taxonomy.yaml",
        lambda d: d["categories"].append(dict(d["categories"][0])),
        "category 'tracking': is declared twice; keep one",
    ),
]


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [defect[1:] for defect in DEFECTS],
    ids=[defect[0] for defect in DEFECTS],
)
def test_defect_is_reported_on_one_line(
    root: Path, file: str, change: Callable[[Any], None], expected: str
) -> None:
    edit(root / file, change)
    problems = validate_taxonomy(root)
    assert problems, "the defect was not detected"
    assert all("\n" not in problem for problem in problems)
    assert problems[0].startswith(f"taxonomy/{file}"), problems
    assert expected in problems[0], problems
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(root)
    assert str(raised.value).startswith(problems[0])


def test_category_line_number_is_the_category(root: Path) -> None:
    edit(root / "taxonomy.yaml", lambda d: d["categories"][2].pop("name"))
    message = only_problem(root)
    assert message.startswith("taxonomy/taxonomy.yaml:")
    assert "category 'cashout': field 'name' is missing; add a short English label" in message
    line = int(message.split(":")[1])
    lines = (root / "taxonomy.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[line - 1].strip() == "- id: cashout"


def test_too_few_examples_or_languages(tmp_path: Path) -> None:
    few = minimal_intent("a.few", "a", examples={"fr": ["un", "deux"], "en": ["one", "two"]})
    mono = minimal_intent("a.mono", "a", examples={"fr": ["1", "2", "3", "4", "5", "6"]})
    empty = minimal_intent("a.empty", "a")
    empty["examples"]["de"] = []
    write_minimal(tmp_path, {"a.yaml": [few, mono, empty]})
    # The fixed two-language rule of earlier versions ([taxonomy] min_languages = 2); the default
    # now asks for one language without a database (issue 12).
    problems = validate_taxonomy(tmp_path, ExampleRule(min_languages=2))
    assert len(problems) == 3, problems
    assert (
        "intent 'a.few': field 'examples' has 4 phrase(s) in 2 language(s); add at least 5"
        in (problems[0])
    )
    assert "intent 'a.mono': field 'examples' has 6 phrase(s) in 1 language(s)" in problems[1]
    assert "intent 'a.empty': field 'examples': 'de' must map language codes" in problems[2]


def test_duplicate_id_across_files_names_both_files(root: Path) -> None:
    shutil.copy(root / "support.yaml", root / "help.yaml")
    assert re.fullmatch(
        r"taxonomy/support\.yaml:\d+: intent 'support\.no_response': id is also defined at "
        r"taxonomy/help\.yaml:\d+; ids are unique: give the new intent another id, or merge the two",
        only_problem(root),
    )


def test_alias_colliding_with_an_id(root: Path) -> None:
    edit(root / "app.yaml", lambda d: intent_of(d, "app.crash").update(aliases=["app.bug"]))
    assert re.fullmatch(
        r"taxonomy/app\.yaml:\d+: intent 'app\.crash': field 'aliases': 'app\.bug' is the id of a "
        r"current intent \(taxonomy/app\.yaml:\d+\); an alias names a retired id: remove it, or "
        r"retire that intent first",
        only_problem(root),
    )


def test_alias_claimed_by_two_intents(root: Path) -> None:
    edit(root / "app.yaml", lambda d: intent_of(d, "app.crash").update(aliases=["app.old"]))
    edit(root / "ads.yaml", lambda d: intent_of(d, "ads.too_many_ads").update(aliases=["app.old"]))
    # ads.yaml is read first, so the second claim is app.crash's.
    assert re.fullmatch(
        r"taxonomy/app\.yaml:\d+: intent 'app\.crash': field 'aliases': 'app\.old' is also an "
        r"alias of 'ads\.too_many_ads'; a retired id points to one intent only",
        only_problem(root),
    )


def test_same_name_twice(root: Path) -> None:
    edit(root / "app.yaml", lambda d: intent_of(d, "app.bug").update(name="crashes and FREEZES"))
    assert (
        "intent 'app.bug': field 'name' 'crashes and FREEZES' is also the name of 'app.crash'"
        in (only_problem(root))
    )


def test_same_example_in_two_intents(root: Path) -> None:
    edit(
        root / "app.yaml",
        lambda d: intent_of(d, "app.bug")["examples"]["en"].append("keeps crashing"),
    )
    assert re.fullmatch(
        r"taxonomy/app\.yaml:\d+: intent 'app\.bug': field 'examples': 'keeps crashing' \(en\) is "
        r"also an example of 'app\.crash' \(app\.yaml\); an example belongs to one intent only",
        only_problem(root),
    )


def test_yaml_syntax_error_has_the_line_number(root: Path) -> None:
    path = root / "app.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("    name: Crashes and freezes")
    lines[at] = "    name: Crashes: and freezes"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = only_problem(root)
    assert message.startswith(f"taxonomy/app.yaml:{at + 1}: invalid YAML: mapping values are not")
    assert message.endswith("check the indentation and quote text that contains ': ' or '#'")


def test_duplicate_key_is_a_yaml_error(root: Path) -> None:
    path = root / "ads.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    name: Too many ads\n", "    name: Too many ads\n    name: Ads\n"), "utf-8"
    )
    assert 'invalid YAML: found duplicate key "name"' in only_problem(root)


def test_not_utf8(root: Path) -> None:
    (root / "ads.yaml").write_bytes("intents: []\n# é\n".encode("latin-1"))
    assert only_problem(root) == "taxonomy/ads.yaml:2: is not UTF-8; save it as UTF-8"


def test_utf8_bom_is_accepted(root: Path) -> None:
    path = root / "ads.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert validate_taxonomy(root) == []


def test_empty_intent_file(root: Path) -> None:
    (root / "notes.yaml").write_text("# just a comment\n", encoding="utf-8")
    assert only_problem(root).startswith(
        "taxonomy/notes.yaml: expected 'intents:' followed by a list of intents"
    )


def test_intents_key_with_nothing_under_it_is_allowed(root: Path) -> None:
    (root / "later.yaml").write_text("# to be filled\nintents:\n", encoding="utf-8")
    assert validate_taxonomy(root) == []


def test_yml_file_is_reported_not_ignored(root: Path) -> None:
    (root / "extra.yml").write_text("intents: []\n", encoding="utf-8")
    assert only_problem(root) == "taxonomy/extra.yml: is not read; rename it to extra.yaml"


def test_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    expected = "taxonomy folder 'nowhere' not found; run 'vocmine init' or pass --taxonomy"
    assert validate_taxonomy(Path("nowhere")) == [expected]
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(Path("nowhere"))
    assert str(raised.value) == expected


def test_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "taxonomy").write_text("", encoding="utf-8")
    assert "is not a folder" in validate_taxonomy(tmp_path / "taxonomy")[0]


def test_missing_taxonomy_yaml(root: Path) -> None:
    (root / "taxonomy.yaml").unlink()
    assert only_problem(root).startswith("taxonomy/taxonomy.yaml: not found;")


def test_broken_header_does_not_cascade_into_every_intent(root: Path) -> None:
    (root / "taxonomy.yaml").write_text("version: [\n", encoding="utf-8")
    assert only_problem(root).startswith("taxonomy/taxonomy.yaml:2: invalid YAML")


def test_validate_lists_every_problem_and_load_raises_the_first(root: Path) -> None:
    edit(root / "app.yaml", lambda d: intent_of(d, "app.crash").pop("problem"))
    edit(root / "ads.yaml", lambda d: intent_of(d, "ads.too_many_ads").update(type="nope"))
    edit(root / "ads.yaml", lambda d: intent_of(d, "ads.rewarded_ad_failure").pop("name"))
    problems = validate_taxonomy(root)
    assert [p.split(":")[0] for p in problems] == ["taxonomy/ads.yaml"] * 2 + ["taxonomy/app.yaml"]
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy(root)
    assert str(raised.value) == f"{problems[0]} (and 2 more problems in the taxonomy)"
    assert raised.value.exit_code == 2


def test_intent_class_matches_the_documented_fields() -> None:
    fields = [f.name for f in dataclasses.fields(Intent)]
    readme = (STARTER / "README.md").read_text(encoding="utf-8")
    for name in fields:
        if name != "file":
            assert f"`{name}`" in readme, f"field {name} is not documented in taxonomy/README.md"


def test_each_version_of_a_file_is_parsed_once_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An edit loads the taxonomy four or five times; parsing is the slow part (ruamel is pure
    # Python), so unchanged files are not parsed again, and a changed file always is.
    import vocmine.taxonomy.model as model

    root = tmp_path / "taxonomy"
    shutil.copytree(STARTER, root)
    for path in root.glob("*.yaml"):  # bytes no other test has loaded
        path.write_text(f"# {tmp_path.name}\n{path.read_text(encoding='utf-8')}", "utf-8")
    parsed: list[int] = []

    class Counting(YAML):
        def load(self, stream: Any) -> Any:
            parsed.append(1)
            return super().load(stream)

    monkeypatch.setattr(model, "YAML", Counting)
    first = load_taxonomy(root)
    files = len(list(root.glob("*.yaml")))
    assert len(parsed) == files
    assert load_taxonomy(root) == first and len(parsed) == files  # nothing parsed again
    ads = root / "ads.yaml"
    ads.write_text(ads.read_text("utf-8").replace("name: Too many ads", "name: Ads everywhere"))
    edited = load_taxonomy(root)
    assert len(parsed) == files + 1  # only the changed file
    assert edited.intent("ads.too_many_ads").name == "Ads everywhere"
    assert edited.hash != first.hash
