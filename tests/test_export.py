"""`vocmine export`: items with intents, scores and segments as CSV or Parquet, read back by pandas.

The database is built through the real pipeline with the fake model from records planted here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from vocmine.cli.app import app
from vocmine.config import load_config
from vocmine.report.export import COLUMNS, Period
from vocmine.store.store import open_store

from .helpers import raw, store_records

runner = CliRunner()
TRANSFER = "Mon virement bancaire n'est toujours pas arrivé sur mon compte"
CRASH = "L'application plante et se ferme au démarrage"


def planted() -> list:
    """October: 3 transfers (one with an email), 2 crashes, one formula, one unrelated text;
    plus items on the month's edges: 30 Sept 23:59 and 1 Nov 00:00 (outside), 31 Oct 23:59."""

    def at(day: int, hour: int, month: int = 10, minute: int = 0) -> datetime:
        return datetime(2026, month, day, hour, minute, tzinfo=UTC)

    return [
        raw("t1", f"{TRANSFER} depuis dix jours", created_at=at(3, 9), user_id="alice-77",
            rating=1.0, app_version="4.12.0", country="FR"),
        raw("t2", f"{TRANSFER}, écrivez-moi à jean.dupont@example.org", created_at=at(3, 9),
            user_id="bob-88", rating=2.0, country="FR"),
        raw("t3", f"{TRANSFER} toujours rien", created_at=at(31, 23, minute=59), kind="csat",
            csat="bad", user_id="carol-99"),
        raw("c1", f"{CRASH} encore", created_at=at(5, 12), rating=1.0, app_version="4.12.0",
            language="fr"),
        raw("c2", f"{CRASH} depuis la mise à jour", created_at=at(6, 12), kind="ticket",
            csat="good"),
        raw("f1", "=HYPERLINK(\"http://evil.example\",\"clic\") mon virement bancaire",
            created_at=at(7, 8)),
        raw("u1", "Bwahaha kvetch zugzwang pfft, glorp", created_at=at(8, 8)),
        raw("sep", f"{TRANSFER} en septembre", created_at=at(30, 23, month=9, minute=59)),
        raw("nov", f"{CRASH} en novembre", created_at=at(1, 0, month=11)),
    ]  # fmt: skip


@pytest.fixture
def db(project: Path) -> Path:
    # 0.4, not the shared 0.3: on the trigram fake model the calibrated gate for 0.3 (0.22) is
    # below what any text scores (random letters share trigrams at about 0.25), and this module
    # needs one row that no intent takes.
    toml = project / "vocmine.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("threshold = 0.3", "threshold = 0.4"),
        encoding="utf-8",
    )
    cfg = load_config(toml)
    store_records(cfg, planted())
    return cfg.db


def export(*args: str) -> object:
    return runner.invoke(app, ["export", *args], catch_exceptions=False)


def test_csv_has_every_column_in_order_and_reads_back(db: Path, project: Path) -> None:
    result = export("--month", "2026-10")
    assert result.output == f"wrote {project / 'reports' / '2026-10-items.csv'} (7 items, csv)\n"
    text = (project / "reports" / "2026-10-items.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    frame = pd.read_csv(
        project / "reports" / "2026-10-items.csv", dtype={"external_id": str}, keep_default_na=False
    )
    assert list(frame.columns) == list(COLUMNS)
    # By creation time, then source and id: the two items of 3 Oct 09:00 by id.
    assert frame["external_id"].tolist() == ["t1", "t2", "c1", "c2", "f1", "u1", "t3"]
    rows = frame.set_index("external_id")
    assert rows.loc["t1", "intent_id"] == "cashout.bank_transfer_delay"
    assert rows.loc["t1", "intent_name"] == "Bank transfer not received"
    assert rows.loc["t1", "intent_category"] == "cashout"
    assert rows.loc["t1", "intent_type"] == "problem"
    assert rows.loc["c1", "intent_id"] == "app.crash"
    assert rows.loc["u1", "intent_id"] == "unassigned"
    assert rows.loc["u1", "intent_name"] == "Unassigned"
    assert rows.loc["u1", "intent_category"] == ""
    assert 0 < rows.loc["u1", "score"] < 0.3  # below the project's gate, still reported
    assert rows.loc["t1", "score"] >= 0.3
    assert rows.loc["t1", "runner_up_id"] not in ("", "cashout.bank_transfer_delay")
    assert rows.loc["t1", "runner_up_score"] <= rows.loc["t1", "score"]
    assert rows.loc["t1", "created_at"] == "2026-10-03T09:00:00Z"
    assert rows.loc["t3", "created_date"] == "2026-10-31"
    assert rows.loc["t1", "app_version"] == "4.12.0" and rows.loc["t1", "country"] == "FR"
    assert rows.loc["t1", "rating"] == "1.0" and rows.loc["c1", "rating"] == "1.0"
    assert rows.loc["t3", "csat_score"] == "bad" and rows.loc["t3", "csat_negative"] == "True"
    assert rows.loc["c2", "csat_negative"] == "False" and rows.loc["t1", "csat_negative"] == ""
    assert rows.loc["t2", "text"].endswith("écrivez-moi à [EMAIL]")
    assert len(rows.loc["t1", "user_hash"]) == 16 and rows.loc["c1", "user_hash"] == ""
    for secret in ("alice-77", "bob-88", "carol-99", "jean.dupont"):
        assert secret not in text


def test_parquet_keeps_types_and_the_same_values(db: Path, project: Path) -> None:
    assert export("--month", "2026-10").exit_code == 0
    result = export("--month", "2026-10", "--format", "parquet")
    assert result.exit_code == 0, result.output
    path = project / "reports" / "2026-10-items.parquet"
    schema = pq.read_schema(path)
    assert schema.names == list(COLUMNS)
    types = {name: str(schema.field(name).type) for name in schema.names}
    assert types["created_at"] == "timestamp[us, tz=UTC]"
    assert types["created_date"] == "date32[day]"
    assert types["rating"] == types["score"] == "double"
    assert types["csat_negative"] == "bool"
    # A column with no value this month keeps its type (no null-typed column for BI tools).
    assert types["channel"] == "string"
    parquet = pd.read_parquet(path)
    csv = pd.read_csv(project / "reports" / "2026-10-items.csv", dtype={"external_id": str})
    assert parquet["external_id"].tolist() == csv["external_id"].tolist()
    assert parquet["score"].tolist() == csv["score"].tolist()
    assert parquet["created_at"].iloc[0] == pd.Timestamp("2026-10-03T09:00:00Z")
    assert parquet["csat_negative"].isna().sum() == 5
    # Parquet is not opened by spreadsheets: text stays as written.
    assert parquet.set_index("external_id").loc["f1", "text"].startswith("=HYPERLINK(")


def test_csv_cells_cannot_run_as_spreadsheet_formulas(db: Path, project: Path) -> None:
    export("--month", "2026-10")
    frame = pd.read_csv(project / "reports" / "2026-10-items.csv", dtype={"external_id": str})
    text = frame.set_index("external_id").loc["f1", "text"]
    assert text.startswith("'=HYPERLINK(")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_same_database_gives_byte_identical_files(db: Path, project: Path, fmt: str) -> None:
    path = project / "reports" / f"2026-10-items.{fmt}"
    assert export("--month", "2026-10", "--format", fmt).exit_code == 0
    first = path.read_bytes()
    assert export("--month", "2026-10", "--format", fmt).exit_code == 0
    assert path.read_bytes() == first
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(".")]


def test_days_and_month_edges(db: Path, project: Path) -> None:
    export("--since", "2026-09-30", "--until", "2026-10-03", "--out", "edges.csv")
    frame = pd.read_csv(project / "edges.csv", dtype={"external_id": str})
    assert frame["external_id"].tolist() == ["sep", "t1", "t2"]
    result = export("--since", "2026-10-31", "--out", "bi")
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(project / "bi" / "2026-10-31_2026-10-31-items.csv", dtype=str)
    assert frame["external_id"].tolist() == ["t3"]


def test_format_follows_the_out_extension(db: Path, project: Path) -> None:
    assert export("--month", "2026-10", "--out", "oct.parquet").exit_code == 0
    assert pq.read_schema(project / "oct.parquet").names == list(COLUMNS)


def test_aliases_are_resolved_to_current_ids(db: Path, project: Path) -> None:
    app_yaml = project / "taxonomy" / "app.yaml"
    text = app_yaml.read_text(encoding="utf-8")
    app_yaml.write_text(
        text.replace(
            "  - id: app.crash\n    name: Crashes and freezes\n",
            "  - id: app.crash\n    name: Crashes and freezes\n    aliases: [app.crash_old]\n",
        ),
        encoding="utf-8",
    )
    assert export("--month", "2026-10").exit_code == 0  # re-assigns under the new taxonomy
    store = open_store(db)
    with store.transaction() as conn:  # as if stored under the retired id
        changed = conn.execute(
            "UPDATE assignments SET intent_id = 'app.crash_old' WHERE intent_id = 'app.crash'"
        ).rowcount
        conn.execute(
            "UPDATE assignments SET runner_up = 'app.crash_old' WHERE runner_up = 'app.crash'"
        )
    store.close()
    assert changed >= 2
    assert export("--month", "2026-10").exit_code == 0
    frame = pd.read_csv(project / "reports" / "2026-10-items.csv", dtype=str)
    assert "app.crash_old" not in set(frame["intent_id"]) | set(frame["runner_up_id"])
    crash = frame[frame["intent_id"] == "app.crash"]
    assert set(crash["intent_name"]) == {"Crashes and freezes"}
    assert len(crash) == changed - 1  # the November crash is outside the month


def test_an_empty_month_is_one_line_naming_the_months_with_data(db: Path) -> None:
    result = export("--month", "2026-12")
    assert result.exit_code == 1
    assert result.output == (
        "error: no feedback stored for 2026-12 (months with data: 2026-09, 2026-10, 2026-11)\n"
    )


def test_an_empty_database_says_to_ingest(project: Path) -> None:
    result = export("--month", "2026-10")
    assert result.output == (
        "error: no feedback stored for 2026-10 (the database is empty; run 'vocmine ingest' first)\n"
    )


def test_an_unwritable_path_is_one_line_and_leaves_nothing(db: Path, project: Path) -> None:
    (project / "afile").write_text("not a folder", encoding="utf-8")
    result = export("--month", "2026-10", "--out", "afile/oct.csv")
    assert result.exit_code == 2
    assert result.output == (
        "error: cannot write afile/oct.csv (afile is a file, not a folder); choose another --out\n"
    )
    assert (project / "afile").read_text(encoding="utf-8") == "not a folder"


def test_a_failed_write_keeps_the_previous_file(
    db: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert export("--month", "2026-10").exit_code == 0
    path = project / "reports" / "2026-10-items.csv"
    before = path.read_bytes()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", disk_full)
    result = export("--month", "2026-10")
    assert result.output.startswith("error: cannot write") and "No space left" in result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["2026-10-items.csv"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-13"], "--month '2026-13' is not a month; use the form YYYY-MM"),
        ([], "say what to export: --month YYYY-MM, or --since YYYY-MM-DD"),
        (["--month", "2026-10", "--since", "2026-10-01"], "give --month or --since/--until"),
        (["--since", "2026-10-32"], "--since '2026-10-32' is not a date; use YYYY-MM-DD"),
        (["--since", "2026-10-01", "--until", "1/11/2026"], "--until '1/11/2026' is not a date"),
        (["--since", "2026-10-05", "--until", "2026-10-01"], "--until 2026-10-01 is before"),
        (["--month", "2026-10", "--format", "xlsx"], "--format 'xlsx' is not supported"),
        (
            ["--month", "2026-10", "--format", "csv", "--out", "a.parquet"],
            "--out a.parquet looks like parquet",
        ),
    ],
)
def test_bad_options_are_one_line(db: Path, args: list[str], message: str) -> None:
    result = export(*args)
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {message}")
    assert len(result.output.splitlines()) == 1


def test_the_run_is_recorded(db: Path) -> None:
    export("--month", "2026-10")
    store = open_store(db)
    command, status = store.conn.execute(
        "SELECT command, status FROM runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    store.close()
    assert (command, status) == ("vocmine export 2026-10", "ok")


def test_period_of_a_month() -> None:
    assert Period.month("2028-02").until.isoformat() == "2028-02-29"


def test_export_reads_assignments_of_the_configured_method(db: Path, project: Path) -> None:
    # The export once looked assignments up under the default method's key: with any other
    # [assign] method every item came out "unassigned".
    config = project / "vocmine.toml"
    config.write_text(config.read_text().replace("[assign]\n", '[assign]\nmethod = "nearest"\n'))
    assert export("--month", "2026-10").exit_code == 0  # type: ignore[attr-defined]
    frame = pd.read_csv(
        project / "reports" / "2026-10-items.csv", dtype={"external_id": str}, keep_default_na=False
    )
    rows = frame.set_index("external_id")
    assert rows.loc["t1", "intent_id"] == "cashout.bank_transfer_delay"
    assert rows.loc["c1", "intent_id"] == "app.crash"
