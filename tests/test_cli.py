import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from vocmine.cli.app import app

from .helpers import write

runner = CliRunner()

CSV = """id,date,content,score,user
1,2026-09-03 10:00:00,Mon virement n'est toujours pas arrivé depuis 10 jours,1,u1
2,2026-09-05 10:00:00,The app crashes when I open the rewards tab,1,u2
3,2026-10-03 10:00:00,Mon virement de 30 euros est bloqué depuis trois semaines,1,u3
4,2026-10-04 10:00:00,Le virement bancaire n'arrive jamais écrivez-moi à a.b@gmail.com,2,u4
5,2026-10-05 10:00:00,,3,u5
6,hier,Super appli je recommande,5,u6
7,2026-10-06 10:00:00,Super appli je recommande à tous mes amis,5,u7
"""
FLAGS = [
    "--kind",
    "review",
    "--text-col",
    "content",
    "--rating-col",
    "score",
    "--user-id-col",
    "user",
]


def invoke(*args: str) -> object:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result


def ingest_csv(project: Path) -> object:
    write(project / "reviews.csv", CSV)
    return invoke("ingest", "file", "reviews.csv", *FLAGS)


def test_help_lists_commands_and_every_command_has_an_example() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("init", "ingest", "status", "report", "assign"):
        assert command in result.output
    for command in (["init"], ["ingest"], ["ingest", "file"], ["status"], ["report"], ["assign"]):
        out = invoke(*command, "--help").output
        assert "Example" in out, command


def test_help_shows_config_names_literally() -> None:
    assert "[sources.NAME]" in " ".join(invoke("ingest", "--help").output.split())
    top = " ".join(invoke("--help").output.split())
    assert "[vocmine] db" in top and "[vocmine] taxonomy" in top


def test_init_creates_and_never_overwrites(tmp_path: Path) -> None:
    first = invoke("init", "proj")
    assert first.exit_code == 0
    assert "created proj/vocmine.toml" in first.output
    assert "[sources.NAME]" in first.output  # not eaten as rich markup
    assert (tmp_path / "proj" / "taxonomy" / "taxonomy.yaml").is_file()
    (tmp_path / "proj" / "vocmine.toml").write_text("# mine\n")
    second = invoke("init", "proj")
    assert "kept    proj/vocmine.toml (exists)" in second.output
    assert (tmp_path / "proj" / "vocmine.toml").read_text() == "# mine\n"


def test_ingest_file_counts_and_lists_rejects(project: Path) -> None:
    result = ingest_csv(project)
    assert result.exit_code == 0, result.output
    assert "│ reviews │    5 │   5 │       0 │         0 │        2 │" in result.output
    assert "2 rows skipped:" in result.output
    assert "reviews.csv:6: no text" in result.output
    assert "reviews.csv:7: unparseable date 'hier'" in result.output


def test_reingest_adds_nothing(project: Path) -> None:
    ingest_csv(project)
    again = invoke("ingest", "file", "reviews.csv", *FLAGS)
    assert "│ reviews │    5 │   0 │       0 │         5 │        2 │" in again.output
    assert "embedded 0 new texts; assigned 0 items" in again.output


def test_status_shows_sources_months_languages_runs(project: Path) -> None:
    ingest_csv(project)
    out = invoke("status", "--rejects").output
    assert "items by source" in out and "reviews" in out
    assert "2026-09" in out and "2026-10" in out
    assert "items by language" in out
    assert "last runs" in out
    assert "reviews.csv:6 (reviews): no text" in out


def test_ingest_without_sources_says_how_to_fix(project: Path) -> None:
    result = invoke("ingest")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: no sources configured; add a [sources.NAME] table to vocmine.toml "
        "or run 'vocmine ingest file PATH'"
    )


def test_non_utf8_file_names_encoding_and_keeps_what_is_stored(project: Path) -> None:
    ingest_csv(project)
    (project / "latin.csv").write_bytes(
        "id,date,content\n1,2026-10-01,Très déçu\n".encode("latin-1")
    )
    result = invoke("ingest", "file", "latin.csv", "--kind", "review")
    assert result.exit_code == 2
    assert "--encoding" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "│ reviews │" in invoke("status").output  # earlier items still there
    fixed = invoke("ingest", "file", "latin.csv", "--kind", "review", "--encoding", "latin-1")
    assert fixed.exit_code == 0, fixed.output


def test_missing_file(project: Path) -> None:
    result = invoke("ingest", "file", "nope.csv")
    assert result.exit_code == 2
    assert result.output.strip() == "error: file not found: nope.csv; check the path"


def test_invalid_taxonomy_names_file_intent_field(project: Path) -> None:
    path = project / "taxonomy" / "cashout.yaml"
    path.write_text(path.read_text().replace("problem:", "problm:", 1))
    result = ingest_csv(project)
    assert result.exit_code == 2
    message = result.output.strip()
    assert "cashout.yaml" in message and "intent 'cashout." in message and "problem" in message
    assert "Traceback" not in result.output


def test_db_from_environment(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOCMINE_DB", str(project / "elsewhere.db"))
    ingest_csv(project)
    assert (project / "elsewhere.db").is_file()
    assert not (project / "vocmine.db").exists()


def test_report_month_errors(project: Path) -> None:
    assert invoke("report", "--month", "2026-13").output.strip() == (
        "error: --month '2026-13' is not a month; use the form YYYY-MM, e.g. 2026-10"
    )
    ingest_csv(project)
    result = invoke("report", "--month", "2025-01")
    assert result.exit_code == 1
    assert "months with data: 2026-09, 2026-10" in result.output


def test_report_is_written_with_charts_and_is_byte_identical(project: Path) -> None:
    ingest_csv(project)
    first = invoke("report", "--month", "2026-10")
    assert first.exit_code == 0, first.output
    md = (project / "reports" / "2026-10.md").read_bytes()
    pngs = {p.name: p.read_bytes() for p in (project / "reports" / "2026-10").glob("*.png")}
    assert {"top-themes.png", "volume.png", "rating-impact.png"} <= set(pngs)
    assert all(data.startswith(b"\x89PNG") for data in pngs.values())
    assert b"](2026-10/top-themes.png)" in md
    assert b"a.b@gmail.com" not in md
    invoke("report", "--month", "2026-10")
    assert (project / "reports" / "2026-10.md").read_bytes() == md
    assert {p.name: p.read_bytes() for p in (project / "reports" / "2026-10").glob("*.png")} == pngs


def test_report_does_not_import_torch(project: Path) -> None:
    ingest_csv(project)  # assigns with the fake model: the report has nothing to embed
    code = (
        "import sys\n"
        "from tests.conftest import FAKE_MODEL\n"  # registers the fake model
        "from vocmine.cli.app import app\n"
        "try:\n"
        "    app(['report', '--month', '2026-10'])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "False False"


@pytest.mark.parametrize("args", [["--help"], ["ingest", "--help"], ["taxonomy", "--help"]])
def test_help_does_not_import_torch(project: Path, args: list[str]) -> None:
    # Every command module is imported to build the app: none may import the model stack.
    code = (
        "import sys\n"
        "from vocmine.cli.app import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_since_keeps_only_newer_feedback(project: Path) -> None:
    write(project / "reviews.csv", CSV)
    result = invoke("ingest", "file", "reviews.csv", *FLAGS, "--since", "2026-10-01")
    assert result.exit_code == 0, result.output
    assert "│ reviews │    3 │   3 │" in result.output
    bad = invoke("ingest", "file", "reviews.csv", *FLAGS, "--since", "01/10/2026")
    assert bad.exit_code == 2
    assert bad.output.strip() == (
        "error: --since '01/10/2026' is not a date; use YYYY-MM-DD, e.g. 2026-07-01"
    )


def test_unexpected_error_is_one_line_without_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vocmine.cli import app as cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("token=abc123 should not matter")

    monkeypatch.setattr("vocmine.measure.status.summarise", broken)
    monkeypatch.setattr(sys, "argv", ["vocmine", "status"])
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 70
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("internal error: RuntimeError at test_cli.py:")
    assert "abc123" not in err
    assert "VOCMINE_DEBUG=1" in err and "Traceback" not in err
    monkeypatch.setenv("VOCMINE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main()


def test_every_command_run_is_recorded(project: Path) -> None:
    import sqlite3

    ingest_csv(project)
    invoke("assign")
    invoke("report", "--month", "2026-10")
    invoke("report", "--month", "2025-01")  # no data: recorded as an error
    conn = sqlite3.connect(project / "vocmine.db")
    runs = conn.execute("SELECT command, status, vocmine_version FROM runs ORDER BY id").fetchall()
    conn.close()
    assert [(c.split(" ")[1], s) for c, s, _ in runs] == [
        ("ingest", "ok"),
        ("assign", "ok"),
        ("report", "ok"),
        ("report", "error"),
    ]
    assert runs[2][0] == "vocmine report --month 2026-10"
    assert all(version for *_, version in runs)
    out = invoke("status").output
    newest = next(line for line in out.splitlines() if re.match(r"│\s+4 │", line))
    assert "vocmine report" in newest and "error" in newest


def test_unloadable_model_is_one_line_and_keeps_stored_items(project: Path) -> None:
    (project / "vocmine.toml").write_text('[embedding]\nmodel = "acme/no-such-model-offline"\n')
    result = ingest_csv(project)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith(
        "error: could not load embedding model 'acme/no-such-model-offline'"
    )
    assert "sentence-transformers/all-MiniLM-L6-v2" in lines[-1]  # the offline fix
    assert "Traceback" not in result.output
    out = invoke("status").output
    assert "reviews" in out  # the items were stored before embedding failed
    assert re.search(r"│ reviews\s+│ review\s+│\s+5 │\s+0 │", out)  # 5 items, 0 embedded


# --- hostile input: one line, exit 2, the fix named; never exit 70 ---------------------------


def one_line_error(result: Result, code: int = 2) -> str:
    """The single 'error:' line of a failed command, after checking its exit code."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_a_broken_file_source_does_not_stop_the_sources_after_it(project: Path) -> None:
    write(project / "reviews.csv", CSV)
    write(project / "broken.json", '{"tickets": [{"id": 1, "subject": "x"')  # cut short
    with (project / "vocmine.toml").open("a", encoding="utf-8") as config:
        config.write(
            '\n[sources.a_broken]\npath = "broken.json"\n'
            '\n[sources.b_missing]\npath = "nowhere/*.csv"\n'
            '\n[sources.c_reviews]\npath = "reviews.csv"\nkind = "review"\n'
            '[sources.c_reviews.columns]\ntext = "content"\nrating = "score"\n'
        )
    result = invoke("ingest", "--no-embed")
    line = one_line_error(result)
    assert line.startswith("error: broken.json: not valid JSON (")
    assert "[sources.b_missing]: no file matches 'nowhere/*.csv'" in line
    rows_shown = [
        [cell.strip() for cell in row.split("│")[1:-1]]
        for row in result.stdout.splitlines()
        if row.startswith("│")
    ]
    assert [(row[0], row[1], row[-1]) for row in rows_shown] == [
        ("a_broken", "0", "stopped"),
        ("b_missing", "0", "stopped"),
        ("c_reviews", "5", "ok"),
    ]
    assert "│ c_reviews │" in invoke("status").output


def test_a_lone_surrogate_is_counted_in_the_ingest_table(project: Path) -> None:
    write(
        project / "avis.jsonl",
        '{"id": 1, "text": "Super appli \\ud83d", "date": "2026-10-03"}\n'
        '{"id": 2, "text": "Virement bloqu\\u00e9", "date": "2026-10-04"}\n',
    )
    result = invoke("ingest", "file", "avis.jsonl", "--kind", "review", "--no-embed")
    assert result.exit_code == 0, result.output
    assert "repaired" in result.stdout and re.search(
        r"│ avis\s+│\s+2 │\s+2 │.*│\s+1 │ ok", result.stdout
    )
    import json
    import sqlite3

    conn = sqlite3.connect(project / "vocmine.db")
    [(counts,)] = conn.execute("SELECT counts FROM runs WHERE command LIKE '%ingest%'").fetchall()
    conn.close()
    assert json.loads(counts)["avis"]["repaired"] == 1  # recorded with the run


def test_cr_only_csv_is_ingested(project: Path) -> None:
    (project / "old.csv").write_bytes(CSV.replace("\n", "\r").encode("utf-8"))
    result = invoke("ingest", "file", "old.csv", *FLAGS, "--no-embed")
    assert result.exit_code == 0, result.output
    assert re.search(r"│ old\s+│\s+5 │\s+5 │", result.stdout)


BAD_CONFIG = [
    ("[assign]\nk = 0\n", "[assign] k must be 1 or more, e.g. 3; got 0"),
    ("[assign]\nthreshold = nan\n", "[assign] threshold must be between 0 and 1, e.g. 0.5; got nan"),
    ("[assign]\nthreshold = inf\n", "[assign] threshold must be between 0 and 1"),
    ("[assign]\nthreshold = 1.5\n", "[assign] threshold must be between 0 and 1"),
    ("[assign]\nthreshold = -0.1\n", "[assign] threshold must be between 0 and 1"),
    ("[report]\nmonths = 0\n", "[report] months must be between 1 and 120"),
    ("[report]\nweight_growth = -inf\n", "[report] weight_growth must be 0 or more"),
    ("[report]\ncost_per_contact = inf\n", "[report] cost_per_contact must be a number"),
    ("[embedding]\nbatch_size = 0\n", "[embedding] batch_size must be 1 or more"),
    ("[discover]\nseed = -1\n", "[discover] seed must be between 0 and 4294967295"),
    ("[discover]\noverlap_similarity = nan\n", "[discover] overlap_similarity must be between 0 and 1"),
    ("[llm]\ntimeout = inf\n", "[llm] timeout must be 0 or more"),
]  # fmt: skip


@pytest.mark.parametrize(("config", "message"), BAD_CONFIG)
def test_out_of_range_config_is_one_line(project: Path, config: str, message: str) -> None:
    write(project / "vocmine.toml", config)
    assert message in one_line_error(invoke("status"))


def test_non_utf8_config_is_one_line(project: Path) -> None:
    (project / "vocmine.toml").write_bytes('[report]\ncurrency = "€"\n'.encode("cp1252"))
    line = one_line_error(invoke("status"))
    assert (
        line == "error: vocmine.toml: not valid UTF-8 (byte 21); save the file as UTF-8 and re-run"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--encoding", "rot13"], "'rot13' is not a text encoding; use one such as utf-8"),
        (["--date-format", "%z%z"], "date format '%z%z' cannot read dates; pass --date-format"),
        (["--date-format", "%"], "date format '%' cannot read dates"),
    ],
)
def test_unusable_file_flags_are_one_line(project: Path, args: list[str], message: str) -> None:
    write(project / "reviews.csv", CSV)
    assert message in one_line_error(invoke("ingest", "file", "reviews.csv", *FLAGS, *args))


def test_json_nested_too_deep_in_a_zendesk_export_is_one_line(project: Path) -> None:
    ticket = '{"id": 1, "created_at": "2026-10-03T09:00:00Z", "subject": "x"}'
    deep = "[" * 1000 + "]" * 1000
    write(project / "tickets.json", f'{{"tickets": [\n{ticket},\n{{"id": 2, "via": {deep}}}\n]}}\n')
    line = one_line_error(invoke("ingest", "file", "tickets.json", "--no-embed"))
    assert line.startswith("error: tickets.json: cannot read the JSON (nested deeper than 100")


def test_json_nested_too_deep_in_jsonl_is_one_reject(project: Path) -> None:
    deep = "[" * 1000 + "]" * 1000
    write(
        project / "avis.jsonl",
        f'{{"text": "x", "date": "2026-10-03", "a": {deep}}}\n{{"text": "ok", "date": "2026-10-03"}}\n',
    )
    result = invoke("ingest", "file", "avis.jsonl", "--kind", "review", "--no-embed")
    assert result.exit_code == 0, result.output
    assert "avis.jsonl:1: invalid JSON: nested deeper than 100 levels" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["discover", "--seed", "-1"], "--seed must be between 0 and 4294967295, e.g. 42; got -1"),
        (["discover", "--month", "0000-01"], "--month '0000-01' is not a month"),
        (["report", "--month", "0000-01"], "--month '0000-01' is not a month"),
        (["export", "--month", "0000-01"], "--month '0000-01' is not a month"),
        (["report", "--month", "2026-10", "--out", "a_file"], "'a_file' is a file, not a folder"),
        (["report", "--month", "2026-10", "--out", "a_file/sub"], "'a_file' is a file, not a folder"),
        (["init", "a_file"], "cannot set up a project in 'a_file': 'a_file' is a file"),
        (["eval", "a_file", "--text-col", "t", "--label-col", "l", "--seed", "-1"], "--seed must be"),
        (["eval", "a_file", "--text-col", "t", "--label-col", "l", "--threshold", "nan"],
         "--threshold must be between 0 and 1"),
        (["eval", "a_file", "--text-col", "t", "--label-col", "l", "--k", "0"], "--k must be 1 or more"),
    ],
)  # fmt: skip
def test_bad_flag_values_are_one_line(project: Path, args: list[str], message: str) -> None:
    write(project / "a_file", "not a folder\n")
    assert message in one_line_error(invoke(*args))


def test_ingest_says_which_column_to_map_when_a_source_has_no_user_id(project: Path) -> None:
    write(project / "reviews.csv", CSV)
    without = [f for f in FLAGS if f not in ("--user-id-col", "user")]
    result = invoke("ingest", "file", "reviews.csv", *without)
    assert result.exit_code == 0, result.output
    assert "note: source 'reviews' has no user id" in result.output
    assert "--user-id-col COLUMN" in result.output
    again = invoke("ingest", "file", "reviews.csv", *FLAGS)  # mapped: the ids arrive, no note
    assert "has no user id" not in again.output
