"""``vocmine taxonomy draft``: a first taxonomy drawn from the stored feedback.

A small project of written reviews (four themes of a video app, in English, plus a handful of
French ones), the fake embedding model, and the real path: ingest, draft, validate, assign.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.conftest import FAKE_MODEL
from vocmine.cli.app import app
from vocmine.taxonomy import changelog, state
from vocmine.taxonomy.drafted import (
    Draft,
    DraftCategory,
    DraftIntent,
    check_writable,
    folder_state,
    next_version,
    write_draft,
)
from vocmine.taxonomy.model import load_taxonomy, validate_taxonomy
from vocmine.taxonomy.proposals import Discovery, Proposal, Quote
from vocmine.taxonomy.schema import ExampleRule
from vocmine.themes.draft import (
    Candidate,
    build_draft,
    choose_examples,
    examples_of_its_sign,
    group,
    nearest_examples,
    typed_by_stars,
)

runner = CliRunner()

THEMES = {
    "casting": [
        "casting to my tv stopped working",
        "cannot cast to the tv anymore",
        "chromecast casting keeps disconnecting",
        "the cast button disappeared for my tv",
        "casting to tv drops every few minutes",
    ],
    "ads": [
        "ads on a paid plan are unacceptable",
        "paying and still getting ads",
        "too many ads on my paid plan",
        "ads every ten minutes even though I pay",
        "paid plan now shows ads",
    ],
    "download": [
        "downloads fail halfway through",
        "downloaded episodes disappear offline",
        "cannot download episodes for offline",
        "download stuck at zero percent",
        "offline downloads expire too fast",
    ],
    "password": [
        "password sharing ban kicked my family out",
        "household verification blocks my own tv",
        "stop the household password sharing rule",
        "the household rule says my tv is outside",
        "password sharing crackdown is greedy",
    ],
}
SUFFIXES = ["", " again", " since the update", " every day", " really annoying", " please fix"]
FRENCH = ["impossible de caster sur ma tele", "trop de pubs alors que je paie"]


def write_feedback(
    path: Path, *, per_theme: int = 30, months: tuple[str, ...] = ("2026-09", "2026-10")
) -> None:
    """Reviews in ``months``, ``per_theme`` per theme and month, with a language column."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date", "user", "lang", "text"])
        n = 0
        for month in months:
            for texts in THEMES.values():
                for i in range(per_theme):
                    text = texts[i % 5] + SUFFIXES[(i // 5) % len(SUFFIXES)]
                    writer.writerow([f"r{n}", f"{month}-{1 + i % 27:02d}", f"u{n}", "en", text])
                    n += 1
            for i, text in enumerate(FRENCH):
                writer.writerow([f"r{n}", f"{month}-{1 + i:02d}", f"u{n}", "fr", text])
                n += 1


CONFIG = (
    f'[embedding]\nmodel = "{FAKE_MODEL}"\n\n[assign]\nthreshold = 0.3\nk = 3\nmethod = "nearest"\n\n'
    "[discover]\nmin_size = 8\n"
)
STARTER = Path(__file__).resolve().parent.parent / "taxonomy"


def invoke(folder: Path, *args: str) -> object:
    """``vocmine ARGS`` run in ``folder`` (the tests' own folder is a fresh one)."""
    here = Path.cwd()
    os.chdir(folder)
    try:
        return runner.invoke(app, list(args))
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two project folders built once (ingesting and clustering take a while): the video
    reviews ingested with the starter taxonomy untouched, and the same after a plain draft.

    It runs before the autouse ``isolated`` fixture of the first test, so it isolates itself the
    same way: a library imported here offline (huggingface_hub reads HF_HUB_OFFLINE once, when
    imported) must stay offline for every later test.
    """
    with pytest.MonkeyPatch.context() as patch:
        for var in [v for v in os.environ if v.startswith("VOCMINE_")]:
            patch.delenv(var)
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("TRANSFORMERS_OFFLINE", "1")
        patch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
        return _build_snapshots(tmp_path_factory)


def _build_snapshots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    ingested = tmp_path_factory.mktemp("ingested")
    shutil.copytree(STARTER, ingested / "taxonomy", ignore=shutil.ignore_patterns("proposals"))
    (ingested / "vocmine.toml").write_text(CONFIG, encoding="utf-8")
    write_feedback(ingested / "feedback.csv")
    result = invoke(
        ingested, "ingest", "file", "feedback.csv", "--kind", "review", "--user-id-col", "user",
        "--language-col", "lang",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    drafted = tmp_path_factory.mktemp("drafted")
    shutil.copytree(ingested, drafted, dirs_exist_ok=True)
    result = invoke(drafted, "taxonomy", "draft", "--reason", "day one")
    assert result.exit_code == 0, result.output
    (drafted / "output.txt").write_text(result.output, encoding="utf-8")
    return {"ingested": ingested, "drafted": drafted}


def copy_of(snapshot: Path, project: Path) -> Path:
    """The snapshot's files in this test's own project folder."""
    shutil.rmtree(project / "taxonomy")
    shutil.copytree(snapshot, project, dirs_exist_ok=True)
    return project


@pytest.fixture
def videos(project: Path, snapshots: dict[str, Path]) -> Path:
    """The video reviews ingested, the starter taxonomy untouched."""
    return copy_of(snapshots["ingested"], project)


@pytest.fixture
def drafted(project: Path, snapshots: dict[str, Path]) -> Path:
    """The same after ``vocmine taxonomy draft --reason 'day one'``."""
    return copy_of(snapshots["drafted"], project)


def draft(*args: str) -> object:
    return runner.invoke(app, ["taxonomy", "draft", *args])


def intent_files(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(root.glob("*.yaml"))}


# --- the command, end to end -----------------------------------------------------------------------


def test_the_ingested_snapshot_holds_the_untouched_starter(videos: Path) -> None:
    assert folder_state(videos / "taxonomy") == "starter"


def test_draft_replaces_the_starter_with_a_valid_taxonomy_from_the_data(drafted: Path) -> None:
    root = drafted / "taxonomy"
    assert validate_taxonomy(root, ExampleRule(languages=("en",))) == []
    taxonomy = load_taxonomy(root)
    # The walking app's intents are gone; every drafted example is a stored text.
    assert not any(i.id.startswith(("cashout.", "tracking.")) for i in taxonomy.intents)
    stored = {t + s for texts in THEMES.values() for t in texts for s in SUFFIXES}
    examples = [text for i in taxonomy.intents for _, text in i.all_examples()]
    assert examples and set(examples) <= stored | set(FRENCH)
    # English only: French is under [taxonomy] language_share, so no French example.
    assert {lang for i in taxonomy.intents for lang in i.examples} == {"en"}
    # The four themes are found, each intent about one of them.
    themes_of = [
        {t for t, texts in THEMES.items() for e in i.examples["en"] for x in texts if e.startswith(x)}
        for i in taxonomy.intents
    ]  # fmt: skip
    assert all(len(found) == 1 for found in themes_of), themes_of
    assert set().union(*themes_of) == set(THEMES)
    output = (drafted / "output.txt").read_text(encoding="utf-8")
    assert re.search(r"wrote \S*taxonomy: \d+ intents in \d+ categories", output), output
    assert "the starter taxonomy was replaced" in output
    assert "assigned 2" in output and "of 244 items" in output


def test_draft_records_version_changelog_and_hashes(drafted: Path) -> None:
    root = drafted / "taxonomy"
    taxonomy = load_taxonomy(root)
    entry = changelog.read(root)[0]
    assert entry.action == "draft" and entry.reason == "day one"
    assert entry.version == f"{load_taxonomy(STARTER).version} -> {taxonomy.version}"
    assert entry.command == "vocmine taxonomy draft --reason 'day one'"
    # hashes.json matches the files: the next command sees no hand edit.
    assert state.read(root)["files"] == state.file_hashes(root)
    result = runner.invoke(app, ["taxonomy", "validate", "--no-embeddings"])
    assert result.exit_code == 0, result.output
    assert "edited by hand" not in result.output
    assert len(changelog.read(root)) == 1


def test_draft_writes_sizes_and_quotes_as_comments_and_a_review_file(drafted: Path) -> None:
    root = drafted / "taxonomy"
    files = [t for name, t in intent_files(root).items() if name != "taxonomy.yaml"]
    assert files and all("items (" in t and "#   > " in t for t in files)
    review = (root / "DRAFT.md").read_text(encoding="utf-8")
    for intent in load_taxonomy(root).intents:
        assert f"`{intent.id}`" in review
    assert "vocmine taxonomy merge" in review


def test_draft_is_deterministic(videos: Path, snapshots: dict[str, Path]) -> None:
    result = draft("--reason", "day one")
    assert result.exit_code == 0, result.output
    assert intent_files(videos / "taxonomy") == intent_files(snapshots["drafted"] / "taxonomy")


def test_the_drafted_taxonomy_is_edited_as_usual(drafted: Path) -> None:
    ids = [i.id for i in load_taxonomy(drafted / "taxonomy").intents]
    result = runner.invoke(
        app, ["taxonomy", "retire", ids[-1], "--reason", "review", "--no-reassign"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["taxonomy", "merge", ids[1], ids[0], "--reason", "review", "--no-reassign"]
    )
    assert result.exit_code == 0, result.output
    assert [i.id for i in load_taxonomy(drafted / "taxonomy").intents] == [
        i for i in ids if i not in (ids[-1], ids[1])
    ]


def test_add_intent_grow_takes_the_stored_texts_closest_to_the_written_examples(
    videos: Path,
) -> None:
    drafted = videos  # the starter taxonomy, which knows nothing of casting
    taxonomy = load_taxonomy(drafted / "taxonomy")
    before = {t.casefold() for i in taxonomy.intents for _, t in i.all_examples()}
    new_id = f"{taxonomy.intents[0].category}.tv_casting"
    stored = {row[-1] for row in csv.reader((drafted / "feedback.csv").open(encoding="utf-8"))}
    written = ["en:chromecast casting keeps disconnecting", "en:casting to tv drops often"]
    result = runner.invoke(app, [
        "taxonomy", "add-intent", new_id, "--name", "Casting", "--problem",
        "Users who cast to a TV lose the picture.", *[f"--example={e}" for e in written],
        "--grow", "6", "--reason", "spot check", "--no-reassign",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "--grow: 6 examples from the stored feedback" in result.output
    examples = load_taxonomy(drafted / "taxonomy").intent(new_id).examples["en"]
    assert examples[:2] == ("chromecast casting keeps disconnecting", "casting to tv drops often")
    grown = examples[2:]
    assert len(grown) == 6 and len({g.casefold() for g in grown}) == 6
    assert all(g in stored and g.casefold() not in before for g in grown)  # stored, not taken
    assert all("cast" in g for g in grown)  # the casting reviews, nothing else
    log = (drafted / "taxonomy" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "--grow 6" in log and f"added intent '{new_id}' (8 examples: en)" in log


def test_add_intent_grow_without_stored_feedback_names_the_fix(project: Path) -> None:
    (project / "vocmine.toml").write_text(CONFIG, encoding="utf-8")
    result = runner.invoke(app, [
        "taxonomy", "add-intent", "cashout.slow", "--name", "Slow", "--problem", "Users wait.",
        *[f"--example=en:cash out is slow {i}" for i in range(5)], "--grow", "5",
        "--reason", "r",
    ])  # fmt: skip
    assert result.exit_code != 0
    assert "run 'vocmine ingest' first" in result.output and "Traceback" not in result.output
    assert "cashout.slow" not in {i.id for i in load_taxonomy(project / "taxonomy").intents}


def test_draft_refuses_to_replace_a_taxonomy_someone_wrote(drafted: Path) -> None:
    before = intent_files(drafted / "taxonomy")
    result = draft()
    assert result.exit_code == 2
    assert "not the untouched starter" in result.output and "--replace" in result.output
    assert intent_files(drafted / "taxonomy") == before


def test_draft_replace_keeps_the_old_files_and_retires_their_ids(videos: Path) -> None:
    root = videos / "taxonomy"
    result = runner.invoke(
        app, ["taxonomy", "rename", "app.crash", "--name", "Crashes", "--reason", "ours",
              "--no-reassign"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    old = intent_files(root)
    result = draft("--replace", "--month", "2026-10")
    assert result.exit_code == 0, result.output
    kept = next((root / "replaced").iterdir())
    assert {p.name: p.read_text(encoding="utf-8") for p in kept.glob("*.yaml")} == old
    taxonomy = load_taxonomy(root)
    assert "app.crash" in taxonomy.retired
    assert "previous taxonomy is kept in" in result.output
    assert "(2026-10)" in result.output and "of 122 items" in result.output


def test_draft_before_ingest_names_the_fix(project: Path) -> None:
    result = draft()
    assert result.exit_code == 2
    assert "run 'vocmine ingest' first" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-13"], "YYYY-MM"),
        (["--since", "nope"], "YYYY-MM-DD"),
        (["--examples", "0"], "1 to 100"),
        (["--seed", "-1"], "out of range"),
    ],
)
def test_draft_refuses_bad_flags_in_one_line(videos: Path, args: list[str], message: str) -> None:
    result = draft(*args)
    assert result.exit_code == 2 and message in result.output
    assert result.output.count("error:") == 1
    assert folder_state(videos / "taxonomy") == "starter"


def test_draft_into_an_empty_folder(videos: Path) -> None:
    (videos / "fresh").mkdir()
    result = runner.invoke(
        app, ["--taxonomy", "fresh", "taxonomy", "draft", "--since", "2026-10-01"]
    )
    assert result.exit_code == 0, result.output
    assert load_taxonomy(videos / "fresh").intents
    assert folder_state(videos / "fresh") == "edited"
    assert folder_state(videos / "taxonomy") == "starter"  # the other folder is left alone


# --- the parts ---------------------------------------------------------------------------------------


def proposal(key: str, size: int, examples: dict[str, list[str]], words: list[str]) -> Proposal:
    return Proposal(
        key=key, suggestion="new_intent", id=f"app.{words[0]}", name=words[0].capitalize(),
        category="app", keywords=words, size=size, users=size, growth={},
        nearest_intent="app.crash", nearest_similarity=0.1,
        quotes=[Quote(examples["en"][0], "play", "2026-10-01", "en")] if "en" in examples else [],
        examples=examples,
    )  # fmt: skip


def test_examples_are_unique_across_intents_and_follow_the_rule() -> None:
    rule = ExampleRule(min_examples=3, languages=("en", "fr"), shares={"en": 0.8, "fr": 0.2})
    a = proposal("P01", 50, {"en": ["cast fails", "Cast fails", "no cast"], "fr": ["caster"]},
                 ["cast"])  # fmt: skip
    b = proposal("P02", 40, {"en": ["cast fails", "ads paid", "ads again", "ads [EMAIL]"],
                             "fr": ["pubs"]}, ["ads"])  # fmt: skip
    c = proposal("P03", 30, {"en": ["only english", "still english", "more english"]}, ["eng"])
    chosen, refused = choose_examples([c, b, a], rule=rule, per_language=10)
    assert chosen["P01"] == {"en": ("cast fails", "no cast"), "fr": ("caster",)}
    # "cast fails" went to the bigger theme; the placeholder text is not an example.
    assert chosen["P02"] == {"en": ("ads paid", "ads again"), "fr": ("pubs",)}
    assert "no short example in 'fr'" in refused["P03"]


def test_group_puts_close_centres_together() -> None:
    centres = np.array([[1, 0, 0], [0.95, 0.05, 0], [0, 1, 0], [0, 0.9, 0.1], [0, 0, 1]], float)
    labels = group(centres, n_groups=3)
    assert labels[0] == labels[1] and labels[2] == labels[3] and len(set(labels)) == 3


def test_build_draft_gives_valid_unique_ids_and_names() -> None:
    rule = ExampleRule(min_examples=2, languages=("en",), shares={"en": 1.0})
    props = [
        proposal("P01", 30, {"en": ["tv cast a", "tv cast b"]}, ["tv", "cast"]),
        proposal("P02", 20, {"en": ["tv cast c", "tv cast d"]}, ["tv", "cast"]),
        proposal("P03", 10, {"en": ["ads a", "ads b"]}, ["ads", "paid"]),
    ]
    found = Discovery("2026-10", FAKE_MODEL, "h", 42, 60, props)
    centres = {"P01": np.array([1.0, 0]), "P02": np.array([0.99, 0.1]), "P03": np.array([0, 1.0])}
    result = build_draft(found, centres=centres, rule=rule, per_language=5, period="2026-10",
                         reserved={"tv.cast"})  # fmt: skip
    ids = [i.id for i in result.intents]
    names = [i.name.casefold() for i in result.intents]
    assert len(set(ids)) == 3 and len(set(names)) == 3 and "tv.cast" not in ids


def test_a_category_is_named_by_its_largest_intent_s_first_keyword_not_the_alphabet() -> None:
    # Every word below is said by one intent only, so all score alike; the name must come from
    # what the largest intent is mostly about ("video"), not from "audio", its fourth keyword and
    # first in the alphabet (the Netflix draft named a playback category "audio" that way).
    rule = ExampleRule(min_examples=2, languages=("en",), shares={"en": 1.0})
    props = [
        proposal("P01", 100, {"en": ["video a", "video b"]}, ["video", "play", "screen", "audio"]),
        proposal("P02", 60, {"en": ["open a", "open b"]}, ["working", "open", "error", "app"]),
        proposal("P03", 10, {"en": ["ads a", "ads b"]}, ["ads", "paid"]),
    ]
    found = Discovery("2026-10", FAKE_MODEL, "h", 42, 170, props)
    centres = {"P01": np.array([1.0, 0]), "P02": np.array([0.95, 0.3]), "P03": np.array([0, 1.0])}
    result = build_draft(found, centres=centres, rule=rule, per_language=5, period="2026-10")
    assert [c.id for c in result.categories] == ["video", "ads"]
    assert [i.id for i in result.categories[0].intents] == [
        "video.play_screen",
        "video.working_open",
    ]


def test_a_name_taken_by_an_earlier_intent_takes_another_keyword_before_a_number() -> None:
    rule = ExampleRule(min_examples=2, languages=("en",), shares={"en": 1.0})
    props = [
        proposal("P01", 30, {"en": ["tv cast a", "tv cast b"]}, ["tv", "cast", "hdmi"]),
        proposal("P02", 20, {"en": ["tv cast c", "tv cast d"]}, ["tv", "cast", "chromecast"]),
        proposal("P03", 10, {"en": ["tv cast e", "tv cast f"]}, ["tv"]),
    ]
    found = Discovery("2026-10", FAKE_MODEL, "h", 42, 60, props)
    centres = {"P01": np.array([1.0, 0]), "P02": np.array([1.0, 0.01]), "P03": np.array([0, 1.0])}
    result = build_draft(found, centres=centres, rule=rule, per_language=5, period="2026-10")
    # proposal() names each theme by its first keyword: all three are "Tv". The second keeps its
    # first keyword and takes its next one; the third has no other keyword left.
    assert {i.size: i.name for i in result.intents} == {30: "Tv", 20: "Tv / Cast", 10: "Tv 2"}


def test_write_draft_refuses_an_edited_folder_and_writes_an_empty_one(tmp_path: Path) -> None:
    intent = DraftIntent(
        id="video.casting", name="Casting", problem="Users who cast lose the picture.",
        description="d", keywords=("cast",), examples={"en": tuple(f"cast {i}" for i in range(5))},
        size=9, users=9, quotes=("cast 0",),
    )  # fmt: skip
    one = Draft("Draft", "2026-10", 9, (DraftCategory("video", "Video", "d", (intent,)),))
    root = tmp_path / "tx"
    written = write_draft(root, one, replace=False, today=date(2026, 11, 22), command="c",
                          reason="r")  # fmt: skip
    assert written.replaced == "missing" and written.version == ("none", "2026.11.1")
    assert load_taxonomy(root).intent("video.casting").examples["en"][0] == "cast 0"
    from vocmine.errors import TaxonomyError

    with pytest.raises(TaxonomyError, match="--replace"):
        check_writable(root, replace=False)
    # Replacing retires the old ids: the same draft again would reuse one, and is refused.
    with pytest.raises(TaxonomyError, match="retired id"):
        write_draft(root, one, replace=True, today=date(2026, 11, 22), command="c", reason="r")
    other = replace(intent, id="video.cast_tv")
    two = Draft("Draft", "2026-10", 9, (DraftCategory("video", "Video", "d", (other,)),))
    again = write_draft(root, two, replace=True, today=date(2026, 11, 22), command="c",
                        reason="r")  # fmt: skip
    assert again.version == ("2026.11.1", "2026.11.2") and again.kept_in is not None
    assert load_taxonomy(root).retired == ("video.casting",)


def test_next_version() -> None:
    assert next_version("2026.11.3", date(2026, 11, 22)) == "2026.11.4"
    assert next_version("2026.10.3", date(2026, 11, 22)) == "2026.11.1"
    assert next_version("v1", date(2026, 11, 22)) == "2026.11.1"


def test_intents_rated_highly_are_drafted_as_praise(tmp_path: Path) -> None:
    def one(intent_id: str, name: str) -> DraftIntent:
        return DraftIntent(
            id=intent_id, name=name, problem="Users who cast lose the picture.", description="d",
            keywords=("w",), examples={"en": tuple(f"{name} {i}" for i in range(5))}, size=30,
            users=0, quotes=(),
        )  # fmt: skip

    intents = (
        one("app.great", "Great"), one("app.cast", "Cast"), one("app.few", "Few"),
        one("app.opinion", "Opinion"), one("app.dub", "Dub"),
    )  # fmt: skip
    plain = Draft("Draft", "2026-10", 90, (DraftCategory("app", "App", "d", intents),))
    stars = {
        "app.great": (4.6, 300), "app.cast": (1.4, 200), "app.few": (5.0, 3),
        "app.opinion": (2.9, 600), "app.dub": (2.6, 300),
    }  # fmt: skip
    typed = typed_by_stars(plain, stars)
    assert [(i.type, i.stars) for i in typed.intents] == [
        ("praise", 4.6),
        ("problem", 1.4),
        ("problem", None),  # 3 ratings say nothing
        ("other", 2.9),  # praise and complaints mixed: general opinion, not one problem
        ("problem", 2.6),
    ]
    write_draft(tmp_path / "tx", typed, replace=False, today=date(2026, 11, 22), command="c",
                reason="r")  # fmt: skip
    great = load_taxonomy(tmp_path / "tx").intent("app.great")
    assert great.type == "praise" and great.problem == ""
    assert load_taxonomy(tmp_path / "tx").intent("app.opinion").type == "other"
    text = (tmp_path / "tx" / "app.yaml").read_text(encoding="utf-8")
    assert "4.6★ on average" in text and "type praise" in text and "type other" in text
    assert "| praise |" in (tmp_path / "tx" / "DRAFT.md").read_text(encoding="utf-8")


def test_an_example_whose_own_review_contradicts_its_intent_s_type_is_taken_out() -> None:
    def one(intent_id: str, kind: str, texts: tuple[str, ...]) -> DraftIntent:
        return DraftIntent(
            id=intent_id, name=intent_id, problem="", description="d", keywords=("w",),
            examples={"en": texts}, size=30, users=0, quotes=(), type=kind,
        )  # fmt: skip

    price = ("prices keep rising", "ads in my paid plan", "Such low price, great content",
             "pay more for less", "cancelled over the price", "4 stars but too dear")  # fmt: skip
    love = (
        "love it",
        "best app ever",
        "crashes all the time, awful",
        "great shows",
        "superb",
        "ok",
    )
    mixed = ("movies and series", "good but expensive", "terrible", "fine", "ok then")
    few = ("no ads and cheap", "too dear", "raise again", "ads now", "pay more")
    stars = {
        "such low price, great content": 5.0, "4 stars but too dear": 4.0,  # praise of a problem
        "crashes all the time, awful": 1.0, "ok": 2.5,  # a complaint under praise
        "terrible": 1.0, "good but expensive": 5.0,  # mixed opinion keeps both signs
        "no ads and cheap": 5.0, "too dear": 4.5,  # would leave 3 of the 4 the rule asks
        "prices keep rising": 1.0,
    }  # fmt: skip
    intents = (one("tv.price", "problem", price), one("tv.love", "praise", love),
               one("tv.mixed", "other", mixed), one("tv.few", "problem", few))  # fmt: skip
    draft = Draft("Draft", "2026-10", 90, (DraftCategory("tv", "TV", "d", intents),))
    kept, taken = examples_of_its_sign(draft, stars, ExampleRule(min_examples=4, min_languages=1))
    by_id = {i.id: i.examples["en"] for i in kept.intents}
    assert by_id["tv.price"] == (
        "prices keep rising",
        "ads in my paid plan",
        "pay more for less",
        "cancelled over the price",
    )  # a rating under 4 stays, and so does an example no rated review holds
    assert by_id["tv.love"] == ("love it", "best app ever", "great shows", "superb")
    assert by_id["tv.mixed"] == mixed and by_id["tv.few"] == few
    assert taken == 4


def test_grown_examples_are_the_closest_fit_texts_of_the_intent_s_sign() -> None:
    cands = [
        Candidate("love the downloads", "en", 5.0),
        Candidate("downloads fail", "en", 1.0),  # already an example elsewhere
        Candidate("downloads ok I guess", "en", 2.0),
        Candidate("download [EMAIL] please", "en", None),  # a placeholder teaches nothing
        Candidate("downloads are great " + "x" * 200, "en", 5.0),  # too long for an example
        Candidate("unrelated", "en", 5.0),
    ]
    vecs = np.array([[1.0, 0.0], [1.0, 0.0], [0.8, 0.2], [0.9, 0.1], [0.95, 0.05], [0.0, 1.0]])
    written = np.array([[1.0, 0.0]])

    def texts(kind: str, n: int = 2) -> list[str]:
        chosen = nearest_examples(written, vecs, cands, n=n, kind=kind, taken={"downloads fail"})
        return [c.text for c in chosen]

    assert texts("praise") == ["love the downloads", "unrelated"]  # not the 2-star one
    assert texts("problem") == ["downloads ok I guess"]  # the only fit problem text
    assert texts("other", 3) == ["love the downloads", "downloads ok I guess", "unrelated"]
    assert texts("praise", 0) == []
    # Two written examples: what they share wins over a copy of one of them.
    two = np.array([[1.0, 0.0], [0.0, 1.0]])
    pair = [Candidate("one of them", "en", 1.0), Candidate("what both say", "en", 1.0)]
    shared = nearest_examples(two, np.array([[1.0, 0.0], [0.7, 0.7]]), pair, n=1,
                              kind="problem", taken=set())  # fmt: skip
    assert [c.text for c in shared] == ["what both say"]


def test_the_stars_of_an_example_are_those_of_the_stored_reviews_with_its_text(
    tmp_path: Path,
) -> None:
    from tests.helpers import item
    from vocmine.pipeline.drafting import example_stars
    from vocmine.store.store import open_store

    store = open_store(tmp_path / "v.db")
    run = store.start_run("test", {})
    reviews = [("1", "Such low price", 5.0), ("2", "such  low price", 4.0), ("3", "ads", 1.0),
               ("4", "no stars", None), ("5", "not an example", 1.0)]  # fmt: skip
    with store.transaction():
        store.upsert_items(
            [(item(i, text, rating=r), f"raw-{i}") for i, text, r in reviews], run_id=run
        )
    plain = DraftIntent(
        id="tv.price", name="Price", problem="", description="d", keywords=("w",),
        examples={"en": ("Such low price", "ads", "no stars", "never stored")}, size=3,
        users=0, quotes=(),
    )  # fmt: skip
    draft = Draft("Draft", "2026-10", 3, (DraftCategory("tv", "TV", "d", (plain,)),))
    assert example_stars(store, draft) == {"such low price": 5.0, "ads": 1.0}
    store.close()


def test_the_month_shown_is_the_last_one_with_real_data() -> None:
    from collections import Counter

    from vocmine.pipeline.drafting import last_full_month

    counts = Counter({"2024-07": 4897, "2024-08": 3223, "2024-09": 5})
    assert last_full_month(counts) == "2024-08"
    assert last_full_month(Counter({"2026-10": 3})) == "2026-10"
    assert last_full_month(Counter()) is None


def test_a_problem_statement_written_by_discovery_is_kept_to_one_sentence() -> None:
    rule = ExampleRule(min_examples=2, languages=("en",), shares={"en": 1.0})
    written = proposal("P01", 30, {"en": ["tv cast a", "tv cast b"]}, ["tv", "cast"])
    written.problem = "Users who cast lose the picture. It started in May."  # type: ignore[attr-defined]
    found = Discovery("2026-10", FAKE_MODEL, "h", 42, 30, [written])
    result = build_draft(
        found, centres={"P01": np.array([1.0, 0])}, rule=rule, per_language=5, period="2026-10"
    )
    assert result.intents[0].problem == "Users who cast lose the picture."
