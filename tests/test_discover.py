"""Discovery: clustering, keywords, proposals file, determinism, decisions kept, errors."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from tests.conftest import FAKE_MODEL
from vocmine.cli.app import app
from vocmine.themes.clustering import (
    ThemeClusterer,
    merge_close,
    reassign_outliers,
    relabel_by_size,
)
from vocmine.themes.discover import (
    Candidate,
    find_overlaps,
    find_splits,
    keywords,
    pick_quotes,
    slug,
)
from vocmine.themes.stopwords import known_languages, stop_words, stop_words_for

runner = CliRunner()

# Three themes the shipped taxonomy does not have; "team" only appears in October.
THEMES = {
    "team": [
        "the team challenge does not start",
        "the team challenge does not load",
        "the team challenge leaderboard does not show",
        "my team challenge does not count",
        "our team challenge does not open",
    ],
    "widget": [
        "the home screen widget is broken",
        "the home screen widget is blank",
        "the home screen widget is stuck",
        "my home screen widget is gone",
        "the home screen widget is frozen",
    ],
    "dark": [
        "please add a dark mode",
        "please add a dark mode at night",
        "please add a dark mode theme",
        "we need a dark mode option",
        "please give us a dark mode",
    ],
}
SUFFIXES = ["", " please", " since yesterday", " again today", " for a week now", " really"]
PLAN = {"2026-09": {"widget": 18, "dark": 18}, "2026-10": {"team": 30, "widget": 18, "dark": 18}}


def write_feedback(path: Path) -> None:
    """Feedback in two months; user u0 writes several team texts (quotes: one per user)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date", "user", "text"])
        n = 0
        for month, counts in PLAN.items():
            for theme, count in counts.items():
                for i in range(count):
                    text = THEMES[theme][i % 5] + SUFFIXES[(i // 5) % len(SUFFIXES)]
                    user = "u0" if theme == "team" and i % 3 == 0 else f"u{n}"
                    day = 1 + i % 27
                    writer.writerow([f"r{n}", f"{month}-{day:02d}", user, text])
                    n += 1


@pytest.fixture
def demo(project: Path) -> Iterator[Path]:
    """A project with the shipped taxonomy, a high threshold (little is assigned) and data."""
    (project / "vocmine.toml").write_text(
        f'[embedding]\nmodel = "{FAKE_MODEL}"\n\n[assign]\nthreshold = 0.9\nk = 3\n\n'
        "[discover]\nmin_size = 8\n",
        encoding="utf-8",
    )
    write_feedback(project / "feedback.csv")
    result = runner.invoke(
        app,
        ["ingest", "file", "feedback.csv", "--kind", "review", "--user-id-col", "user"],
    )
    assert result.exit_code == 0, result.output
    yield project


def proposals(project: Path) -> dict:
    return YAML(typ="safe").load((project / "taxonomy/proposals/2026-10.yaml").read_text())


# --- clustering ------------------------------------------------------------------------------


def blobs(seed: int = 0, sizes: tuple[int, ...] = (60, 45, 30)) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), 24))
    points = [c + 0.15 * rng.normal(size=(n, 24)) for c, n in zip(centres, sizes, strict=True)]
    truth = np.repeat(np.arange(len(sizes)), sizes)
    return np.vstack(points).astype(np.float32), truth


def test_the_clusterer_finds_the_number_of_themes_itself() -> None:
    vectors, truth = blobs()
    labels = ThemeClusterer(seed=1).fit(vectors).labels_
    assert sorted(np.bincount(labels).tolist()) == [30, 45, 60]
    # Each found theme is exactly one true group.
    assert {(int(t), int(f)) for t, f in zip(truth, labels, strict=True)} == {
        (0, 0),
        (1, 1),
        (2, 2),
    }


def test_the_clusterer_gives_the_same_labels_for_the_same_seed() -> None:
    vectors, _ = blobs(seed=3, sizes=(50, 50, 50, 20))
    first = ThemeClusterer(seed=7).fit(vectors)
    second = ThemeClusterer(seed=7).fit(vectors)
    assert first.labels_.tolist() == second.labels_.tolist()
    assert first.raw_labels_.tolist() == second.raw_labels_.tolist()


def test_too_few_texts_make_one_theme() -> None:
    vectors, _ = blobs(sizes=(3, 3))
    assert ThemeClusterer().fit(vectors).labels_.tolist() == [0] * 6


def test_relabel_by_size_numbers_the_largest_first_and_keeps_outliers() -> None:
    assert relabel_by_size(np.array([5, 2, 2, -1, 5, 2])).tolist() == [1, 0, 0, -1, 1, 0]
    assert relabel_by_size(np.array([9, 4, 9, 4])).tolist() == [0, 1, 0, 1]  # tie: first seen


def test_outliers_join_the_nearest_centre() -> None:
    vectors = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9], [0.8, 0.3], [0.2, 0.7]])
    labels = np.array([0, 0, 1, 1, -1, -1])
    assert reassign_outliers(vectors, labels).tolist() == [0, 0, 1, 1, 0, 1]


def test_close_centres_merge_and_distant_ones_do_not() -> None:
    vectors = np.array([[1, 0, 0], [0.95, 0.05, 0], [0, 0, 1]], dtype=np.float32)
    labels = np.array([0, 1, 2])
    merged = merge_close(vectors, labels, similarity=0.9)
    assert merged[0] == merged[1] != merged[2]
    assert len(set(merge_close(vectors, labels, similarity=0.999).tolist())) == 3


# --- keywords and texts ------------------------------------------------------------------------


def test_keywords_drop_stop_words_of_every_language_present() -> None:
    texts = [
        "je ne peux pas rejoindre le défi d'équipe",
        "le défi d'équipe ne marche pas",
        "the team challenge is not working",
        "the gift card code is invalid",
        "my gift card code was refused",
    ]
    words = keywords(texts, [0, 0, 0, 1, 1], ["fr", "fr", "en", "en", "en"])
    assert words[0][:2] == ["défi", "équipe"]
    assert {"le", "pas", "ne", "the", "is"}.isdisjoint(words[0])
    assert words[1][:3] == ["card", "code", "gift"]


def test_keywords_skip_redaction_placeholders() -> None:
    words = keywords(["write to [EMAIL] about my payout"] * 2, [0, 0], ["en", "en"])
    assert "email" not in words[0] and "payout" in words[0]


def test_stop_word_lists_exist_for_the_four_languages() -> None:
    assert known_languages() == ["de", "en", "es", "fr"]
    assert {"les", "pas"} <= stop_words("fr")
    assert {"pero", "los"} <= stop_words("es")
    assert {"nicht", "und"} <= stop_words("de")
    assert "the" in stop_words("en")
    assert stop_words("xx") == frozenset()
    assert stop_words_for(["fr", "de"]) == sorted(stop_words("fr") | stop_words("de"))


def test_slug_is_ascii_snake_case() -> None:
    assert slug(["équipe", "défi"]) == "equipe_defi"
    assert slug(["2fa", "code"]) == "theme_2fa_code"
    assert slug([]) == "theme"


def test_quotes_are_close_to_the_centre_one_per_user() -> None:
    def item(i: int, user: str, text: str) -> Candidate:
        return Candidate(i, text, "h", "2026-10", "2026-10-01", "play", "en", user, None)

    members = [
        item(1, "a", "the team challenge never starts for us"),
        item(2, "a", "the team challenge leaderboard is empty"),  # same user as 1
        item(3, "b", "the team challenge never starts for us!!"),  # starts like 1
        item(4, "c", "cannot join the team challenge of my friends"),
    ]
    quotes = pick_quotes(members, np.array([0.9, 0.8, 0.85, 0.5]), n=5)
    assert [q.text for q in quotes] == [members[0].text, members[3].text]


# --- checks on existing intents ---------------------------------------------------------------


def members(intent: str, n: int, language: str = "en", text: str = "x") -> list[Candidate]:
    return [
        Candidate(i, f"{text} {i}", "h", "2026-10", "2026-10-01", "play", language, None, intent)
        for i in range(n)
    ]


def around(direction: list[float], n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    points = np.array(direction) + 0.05 * rng.normal(size=(n, len(direction)))
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def test_overlapping_intents_are_flagged_closest_first() -> None:
    groups = {
        "a.one": (members("a.one", 12), around([1, 0, 0, 0], 12, 1)),
        "a.two": (members("a.two", 15), around([0.97, 0.24, 0, 0], 15, 2)),
        "b.far": (members("b.far", 12), around([0, 0, 1, 0], 12, 3)),
    }
    found = find_overlaps(groups, similarity=0.9, window="2026-07..2026-10")
    assert [o.intents for o in found] == [("a.one", "a.two")]
    assert 0.9 <= found[0].similarity < 1.0
    assert "over 2026-07..2026-10 (12 and 15 items)" in found[0].note
    assert find_overlaps(groups, similarity=0.999, window="w") == []


def test_an_intent_with_two_groups_is_a_split_unless_they_differ_by_language() -> None:
    two = members("app.bug", 20, text="widget") + members("app.bug", 20, text="login")
    vectors = np.vstack([around([1, 0, 0], 20, 1), around([0, 1, 0], 20, 2)])
    found = find_splits({"app.bug": (two, vectors)}, min_size=10)
    assert [(s.intent, [n for _, n in s.groups]) for s in found] == [("app.bug", [20, 20])]
    assert {found[0].groups[0][0][0], found[0].groups[1][0][0]} == {"widget", "login"}
    by_language = members("app.bug", 20, "en") + members("app.bug", 20, "fr")
    assert find_splits({"app.bug": (by_language, vectors)}, min_size=10) == []
    one = members("app.bug", 40)
    assert find_splits({"app.bug": (one, around([1, 0, 0], 40, 3))}, min_size=10) == []


# --- the command -------------------------------------------------------------------------------


def test_discover_proposes_the_new_theme_with_growth(demo: Path) -> None:
    result = runner.invoke(app, ["discover", "--month", "2026-10"])
    assert result.exit_code == 0, result.output
    data = proposals(demo)
    assert data["month"] == "2026-10"
    assert data["produced_by"]["seed"] == 42
    assert data["produced_by"]["command"] == "vocmine discover --month 2026-10"
    team = next(p for p in data["proposals"] if "team" in p["keywords"][:3])
    assert "challenge" in team["keywords"][:3]
    assert team["status"] == "pending"
    assert team["size"] == 30
    # u0 wrote 10 of the 30 texts.
    assert team["users"] == 21
    assert team["growth"]["2026-09"] == 0 and team["growth"]["2026-10"] >= 25
    assert len(team["quotes"]) == 5
    assert len({q["text"] for q in team["quotes"]}) == 5
    assert team["id"].startswith(team["category"] + ".")
    assert team["examples"]
    keys = [p["key"] for p in data["proposals"]]
    assert keys == [f"P{i:02d}" for i in range(1, len(keys) + 1)]
    sizes = [p["size"] for p in data["proposals"]]
    assert sizes == sorted(sizes, reverse=True)
    widget = next(p for p in data["proposals"] if "widget" in p["keywords"][:3])
    assert widget["growth"]["2026-09"] > 0  # it existed before: not new
    assert "proposals for 2026-10" in result.output
    assert "wrote " in result.output


def test_discover_twice_writes_the_same_bytes(demo: Path) -> None:
    path = demo / "taxonomy/proposals/2026-10.yaml"
    assert runner.invoke(app, ["discover", "--month", "2026-10"]).exit_code == 0
    first = path.read_bytes()
    assert runner.invoke(app, ["discover", "--month", "2026-10"]).exit_code == 0
    assert path.read_bytes() == first


def test_a_decision_survives_a_rerun(demo: Path) -> None:
    path = demo / "taxonomy/proposals/2026-10.yaml"
    assert runner.invoke(app, ["discover", "--month", "2026-10"]).exit_code == 0
    yaml = YAML()
    data = yaml.load(path.read_text())
    data["proposals"][0]["status"] = "rejected"
    rejected_id = data["proposals"][0]["id"]
    # A decision about a theme that the next run will not find again.
    gone = dict(data["proposals"][1])
    gone.update(id="app.gone_theme", keywords=["zzz"], status="accepted", key="P99")
    data["proposals"].append(gone)
    with path.open("w") as fh:
        yaml.dump(data, fh)
    assert runner.invoke(app, ["discover", "--month", "2026-10"]).exit_code == 0
    again = proposals(demo)
    by_id = {p["id"]: p for p in again["proposals"]}
    assert by_id[rejected_id]["status"] == "rejected"
    assert by_id["app.gone_theme"]["status"] == "accepted"
    assert again["proposals"][-1]["id"] == "app.gone_theme"
    assert sum(p["status"] == "pending" for p in again["proposals"]) == len(again["proposals"]) - 2


def test_a_broken_proposals_file_is_not_overwritten(demo: Path) -> None:
    path = demo / "taxonomy/proposals/2026-10.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("proposals: [unclosed\n")
    result = runner.invoke(app, ["discover", "--month", "2026-10"])
    assert result.exit_code == 2
    assert "is not valid YAML" in result.output and "move it away" in result.output
    assert path.read_text() == "proposals: [unclosed\n"


def test_discover_without_a_month_uses_the_last_one(demo: Path) -> None:
    assert runner.invoke(app, ["discover"]).exit_code == 0
    assert (demo / "taxonomy/proposals/2026-10.yaml").exists()


def test_since_clusters_several_months(demo: Path) -> None:
    result = runner.invoke(app, ["discover", "--month", "2026-10", "--since", "2026-09-01"])
    assert result.exit_code == 0, result.output
    data = proposals(demo)
    widget = next(p for p in data["proposals"] if "widget" in p["keywords"][:3])
    assert widget["size"] == 36  # both months
    assert data["produced_by"]["command"].endswith("--since 2026-09-01")


def test_all_clusters_assigned_items_too(demo: Path) -> None:
    (demo / "vocmine.toml").write_text(
        f'[embedding]\nmodel = "{FAKE_MODEL}"\n\n[assign]\nthreshold = 0.3\nk = 3\n\n'
        "[discover]\nmin_size = 8\n",
        encoding="utf-8",
    )
    unassigned = runner.invoke(app, ["discover", "--month", "2026-10"])
    everything = runner.invoke(app, ["discover", "--month", "2026-10", "--all"])
    assert everything.exit_code == 0, everything.output
    assert "66 items clustered" in everything.output
    assert "66 items clustered" not in unassigned.output
    assert proposals(demo)["produced_by"]["command"] == "vocmine discover --month 2026-10 --all"


def test_too_few_items_is_a_one_line_error(demo: Path) -> None:
    result = runner.invoke(app, ["discover", "--month", "2026-03"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: 0 unassigned items in 2026-03: too few to discover themes (need 16); "
        "pick another --month, or use --since or --all"
    )


def test_a_bad_month_is_a_one_line_error(demo: Path) -> None:
    result = runner.invoke(app, ["discover", "--month", "2026-13"])
    assert result.exit_code == 2
    assert "use YYYY-MM" in result.output


def test_an_empty_database_says_to_ingest_first(project: Path) -> None:
    result = runner.invoke(app, ["discover"])
    assert result.exit_code == 2
    assert "run 'vocmine ingest' first" in result.output


def test_discover_is_recorded_as_a_run(demo: Path) -> None:
    from vocmine.store.store import open_store

    assert runner.invoke(app, ["discover", "--month", "2026-10"]).exit_code == 0
    store = open_store(demo / "vocmine.db")
    command, status = store.conn.execute(
        "SELECT command, status FROM runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    store.close()
    assert (command, status) == ("vocmine discover --month 2026-10", "ok")


@pytest.mark.model
def test_the_bundled_model_finds_the_new_theme(project: Path) -> None:
    """The real model on the written fixture: the October-only theme is proposed and is new."""
    (project / "vocmine.toml").write_text("[discover]\nmin_size = 8\n", encoding="utf-8")
    write_feedback(project / "feedback.csv")
    ingest = ["ingest", "file", "feedback.csv", "--kind", "review", "--user-id-col", "user"]
    assert runner.invoke(app, ingest).exit_code == 0
    result = runner.invoke(app, ["discover", "--month", "2026-10", "--all"])
    assert result.exit_code == 0, result.output
    found = proposals(project)["proposals"]
    team = [p for p in found if "team" in p["keywords"][:3]]
    assert len(team) == 1 and "challenge" in team[0]["keywords"][:3]
    assert team[0]["growth"]["2026-09"] == 0 and team[0]["growth"]["2026-10"] >= 20
