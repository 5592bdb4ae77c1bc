"""Tests for the file source: CSV, JSON Lines and Zendesk exports, dates, ids and configuration."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from vocmine.errors import ConfigError, InputError
from vocmine.models import RawFeedback, Rejected
from vocmine.sources import build
from vocmine.sources.files import CONFIG_KEYS, FIELDS, ColumnMap, FileSource, from_config

FIXTURES = Path(__file__).parent / "fixtures" / "files"

Record = RawFeedback | Rejected


def read(
    paths: Path | Sequence[Path], *, since: datetime | None = None, **options: Any
) -> list[Record]:
    """Every record of a FileSource named "test" built with ``options``."""
    paths = [paths] if isinstance(paths, Path) else paths
    return list(FileSource("test", paths, **options).iter_records(since))


def kept(records: list[Record]) -> list[RawFeedback]:
    return [record for record in records if isinstance(record, RawFeedback)]


def rejects(records: list[Record]) -> list[Rejected]:
    return [record for record in records if isinstance(record, Rejected)]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- ColumnMap ------------------------------------------------------------------------------------


def test_fields_are_the_documented_ones_in_order() -> None:
    assert FIELDS == (
        "text",
        "id",
        "date",
        "rating",
        "csat",
        "language",
        "country",
        "app_version",
        "user_id",
        "channel",
        "title",
        "kind",
    )


def test_column_map_from_mapping_sets_the_given_fields_only() -> None:
    columns = ColumnMap.from_mapping({"text": " Review Text ", "rating": "Star Rating"})
    assert columns.text == "Review Text"
    assert columns.rating == "Star Rating"
    assert columns.id is None
    assert columns.mapped() == {"text": "Review Text", "rating": "Star Rating"}


def test_column_map_unknown_field_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as error:
        ColumnMap.from_mapping({"texte": "commentaire"})
    message = str(error.value)
    assert "'texte'" in message
    assert "text, id, date, rating, csat" in message


def test_column_map_rejects_a_column_that_is_not_a_name() -> None:
    with pytest.raises(ConfigError, match="'rating'"):
        ColumnMap.from_mapping({"rating": 3})
    with pytest.raises(ConfigError, match="'text'"):
        ColumnMap.from_mapping({"text": "  "})


# --- CSV: delimiters, BOM, multi-line fields --------------------------------------------------


CSV_ROWS = [
    ["id", "date", "rating", "text"],
    ["1", "2026-03-10", "4", "Lent, très lent; vraiment | pas top"],
    ["2", "2026-03-11", "2", "L'appli plante\tau démarrage"],
    ["3", "2026-03-12", "5", "Parfait"],
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(CSV_ROWS)
    path = write(tmp_path / "avis.csv", buffer.getvalue())

    records = read(path, columns=ColumnMap(rating="rating"))

    assert rejects(records) == []
    assert [(r.external_id, r.text, r.rating) for r in kept(records)] == [
        ("1", "Lent, très lent; vraiment | pas top", 4.0),
        ("2", "L'appli plante\tau démarrage", 2.0),
        ("3", "Parfait", 5.0),
    ]


def test_semicolon_wins_over_unquoted_commas_in_french_text(tmp_path: Path) -> None:
    path = write(
        tmp_path / "avis.csv",
        "id;date;commentaire\n"
        "1;2026-03-10;Appli lente, plante souvent, bof\n"
        "2;2026-03-11;Bien, rapide, efficace, merci\n"
        "3;2026-03-12;Nul\n",
    )
    assert [r.text for r in kept(read(path, kind="review"))] == [
        "Appli lente, plante souvent, bof",
        "Bien, rapide, efficace, merci",
        "Nul",
    ]


def test_header_line_corrects_the_sniffer(tmp_path: Path) -> None:
    # csv.Sniffer alone says "," here: it takes ", 'urgent'," for a quoted field between commas.
    path = write(
        tmp_path / "avis.tsv",
        "id\tdate\ttext\n"
        "1\t2026-03-10\tJ'ai écrit, 'urgent', au support\n"
        "2\t2026-03-11\tRéponse, 'bientôt', jamais\n",
    )
    assert [r.text for r in kept(read(path, kind="ticket"))] == [
        "J'ai écrit, 'urgent', au support",
        "Réponse, 'bientôt', jamais",
    ]


def test_explicit_delimiter_is_used(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.txt", "id:date:text\n1:2026-03-10:ok\n")
    records = kept(read(path, kind="review", delimiter=":"))
    assert [(r.external_id, r.text) for r in records] == [("1", "ok")]


def test_tab_alias_is_accepted_as_delimiter(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.tsv", "id\tdate\ttext\n1\t2026-03-10\ta, b; c\n")
    assert [r.text for r in kept(read(path, kind="review", delimiter="\\t"))] == ["a, b; c"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_utf8_with_or_without_bom_reads_the_first_column(tmp_path: Path, bom: bytes) -> None:
    path = tmp_path / "avis.csv"
    path.write_bytes(bom + "id,date,text\n42,2026-03-10,Très bien\n".encode())
    # With a BOM read as text, the first column would be "\ufeffid" and the id would be lost.
    auto = kept(read(path, kind="review"))
    mapped = kept(read(path, kind="review", columns=ColumnMap(id="id")))
    assert [(r.external_id, r.text) for r in auto] == [("42", "Très bien")]
    assert [r.external_id for r in mapped] == ["42"]


def test_french_excel_export_fixture() -> None:
    records = read(FIXTURES / "csat_survey_fr.csv", kind="csat", timezone="Europe/Paris")
    feedback = kept(records)

    assert [r.external_id for r in feedback] == ["R-1001", "R-1002", "R-1003", "R-1005"]
    first = feedback[0]
    assert first.text == "L'appli plante quand je valide le panier; impossible de payer"
    assert first.kind == "csat"
    assert first.created_at == utc(2026, 10, 3, 12, 5)  # 14:05 in Paris summer time
    assert first.location == "csat_survey_fr.csv:2"
    assert feedback[3].text == 'Le code promo "BIENVENUE10" ne marche pas'
    assert rejects(records) == [Rejected("test", "csat_survey_fr.csv:7", "no text")]


def test_multiline_quoted_fields_keep_their_text_and_start_line() -> None:
    feedback = kept(read(FIXTURES / "csat_survey_fr.csv", kind="csat"))
    multi = feedback[2]
    assert (
        multi.text
        == "Livraison en retard.\r\nLe livreur n'a jamais sonné.\r\nRemboursement demandé"
    )
    assert [r.location for r in feedback] == [
        "csat_survey_fr.csv:2",
        "csat_survey_fr.csv:3",
        "csat_survey_fr.csv:4",
        "csat_survey_fr.csv:8",
    ]


def test_locations_after_several_multiline_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path / "tickets.csv",
        'id,date,text\n1,2026-03-10,"a\nb\nc"\n2,2026-03-10,"d\n\ne"\n'
        "3,2026-03-10,f\n\n4,2026-03-10,g\n",
    )
    records = kept(read(path, kind="ticket"))
    assert [(r.external_id, r.location) for r in records] == [
        ("1", "tickets.csv:2"),
        ("2", "tickets.csv:5"),
        ("3", "tickets.csv:8"),
        ("4", "tickets.csv:10"),
    ]
    assert records[1].text == "d\n\ne"


def test_tsv_fixture_with_explicit_columns() -> None:
    columns = ColumnMap(
        id="review_id",
        date="created_at",
        rating="rating",
        title="title",
        text="body",
        country="territory",
        app_version="version",
    )
    feedback = kept(read(FIXTURES / "app_store_reviews.tsv", columns=columns))

    assert [r.kind for r in feedback] == ["review"] * 3  # a rating column means reviews
    crash = feedback[0]
    assert (crash.external_id, crash.title, crash.country, crash.app_version) == (
        "9001",
        "Crashes on launch",
        "USA",
        "5.2.0",
    )
    assert crash.created_at == utc(2026, 9, 14, 15, 12)
    assert feedback[1].text == "Works well, but sync is slow | sometimes very slow."
    assert feedback[2].rating is None  # 0 stars is out of range: kept, without a rating


# --- CSV: encodings -------------------------------------------------------------------------


def test_latin1_bytes_name_the_line_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_bytes(
        "id,date,text\n1,2026-03-10,très bien\n2,2026-03-10,ok\n".encode()
        + "3,2026-03-10,déçu\n".encode("latin-1")
    )
    with pytest.raises(InputError) as error:
        read(path, kind="review")
    message = str(error.value)
    assert message == (
        "reviews.csv: line 4 is not valid UTF-8; re-run with --encoding latin-1 (or cp1252)"
    )


def test_encoding_error_line_counts_physical_lines(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_bytes(
        b'id,date,text\n1,2026-03-10,"une\nsur\ntrois lignes"\n'
        + "2,2026-03-10,mal encodé\n".encode("cp1252")
    )
    with pytest.raises(InputError, match="line 5 is not valid UTF-8"):
        read(path, kind="review")


def test_latin1_file_reads_with_the_right_encoding(tmp_path: Path) -> None:
    path = write(
        tmp_path / "avis.csv", "id;date;commentaire\n1;2026-03-10;Déçu, très déçu\n", "latin-1"
    )
    assert [r.text for r in kept(read(path, kind="review", encoding="latin-1"))] == [
        "Déçu, très déçu"
    ]


def test_cp1252_curly_apostrophe(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", "id;date;text\n1;2026-03-10;C’est lent\n", "cp1252")
    assert [r.text for r in kept(read(path, kind="review", encoding="cp1252"))] == ["C’est lent"]


def test_utf16_play_console_style_export(tmp_path: Path) -> None:
    path = write(
        tmp_path / "reviews_202610.csv",
        "Review Submit Date and Time,Star Rating,Review Text\n"
        '2026-10-02T08:15:22Z,2,"Ça rame, vraiment"\n'
        "2026-10-03T09:00:00Z,5,Top\n",
        "utf-16",
    )
    columns = ColumnMap(
        date="Review Submit Date and Time", rating="Star Rating", text="Review Text"
    )
    records = read(path, encoding="utf-16", columns=columns)
    assert [(r.text, r.rating, r.location) for r in kept(records)] == [
        ("Ça rame, vraiment", 2.0, "reviews_202610.csv:2"),
        ("Top", 5.0, "reviews_202610.csv:3"),
    ]


def test_csv_is_streamed_not_loaded_whole(tmp_path: Path) -> None:
    rows = "".join(f"{i},2026-03-10,avis numéro {i} un peu plus long\n" for i in range(1, 3001))
    path = tmp_path / "big.csv"
    path.write_bytes(("id,date,text\n" + rows).encode() + b"3001,2026-03-10,\xe9\n")
    records = FileSource("test", [path], kind="review").iter_records()

    first = next(records)  # a whole-file decode would fail here already
    assert isinstance(first, RawFeedback)
    assert first.external_id == "1"
    with pytest.raises(InputError, match="line 3002 is not valid UTF-8"):
        list(records)


# --- CSV: columns ---------------------------------------------------------------------------


def test_missing_mapped_column_lists_the_available_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", "id,date,content\n1,2026-03-10,ok\n")
    with pytest.raises(InputError) as error:
        read(path, kind="review", columns=ColumnMap(text="Review Text"))
    message = str(error.value)
    assert "avis.csv" in message
    assert "'Review Text'" in message
    assert "available columns: id, date, content" in message


def test_google_play_scraper_columns_are_auto_detected() -> None:
    feedback = kept(read(FIXTURES / "play_scraper_reviews.csv", kind="review"))
    assert [(r.external_id, r.text) for r in feedback] == [
        ("gp:AOqpTOF1", "Très bien, mais les notifications arrivent en double"),
        ("gp:AOqpTOF2", "Can't log in since the last update"),
    ]
    assert feedback[0].created_at == utc(2026, 10, 2, 8, 15, 22)
    assert feedback[0].rating is None  # "score" is not guessed: it could be a CSAT score


def test_auto_detection_ignores_case(tmp_path: Path) -> None:
    path = write(
        tmp_path / "export.csv", "Ticket_ID;Created;Commentaire\nT-9;2026-03-10;Trop cher\n"
    )
    feedback = kept(read(path, kind="ticket"))
    assert [(r.external_id, r.text) for r in feedback] == [("T-9", "Trop cher")]


def test_auto_detection_skips_a_column_mapped_to_another_field(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "id,date,description,message\n1,2026-03-10,Sujet,Le corps\n")
    feedback = kept(read(path, kind="ticket", columns=ColumnMap(title="description")))
    assert [(r.title, r.text) for r in feedback] == [("Sujet", "Le corps")]


def test_no_text_column_asks_for_text_col(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", "id,date,avis_client\n1,2026-03-10,bof\n")
    with pytest.raises(InputError) as error:
        read(path, kind="review")
    assert "--text-col" in str(error.value)
    assert "id, date, avis_client" in str(error.value)


def test_no_date_column_asks_for_date_col(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", "id,jour,text\n1,2026-03-10,bof\n")
    with pytest.raises(InputError, match="--date-col"):
        read(path, kind="review")


def test_empty_file_and_header_only_file_yield_nothing(tmp_path: Path) -> None:
    empty = write(tmp_path / "a.csv", "")
    header = write(tmp_path / "b.csv", "id,date,text\n")
    assert read([empty, header], kind="review") == []


def test_blank_lines_and_short_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", "id,date,text,country\n\n1,2026-03-10,ok\n,,,\n")
    records = read(path, kind="review")
    assert [(r.external_id, r.country, r.location) for r in kept(records)] == [
        ("1", None, "avis.csv:3")
    ]
    assert rejects(records) == []


def test_leading_blank_line_before_the_header(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", "\nid;date;text\n1;2026-03-10;Lent, cher\n")
    feedback = kept(read(path, kind="review"))
    assert [(r.text, r.location) for r in feedback] == [("Lent, cher", "avis.csv:3")]


def test_a_long_field_is_read(tmp_path: Path) -> None:
    # Over csv's default limit of 128 KB: a long ticket thread is text, not an error.
    long = "Mon virement n'arrive pas. " * 8_000  # 216 KB
    path = write(tmp_path / "avis.csv", f"id,date,text\n1,2026-03-10,{long}\n2,2026-03-10,ok\n")
    records = read(path, kind="review")
    assert [r.external_id for r in kept(records)] == ["1", "2"]
    assert rejects(records) == []


def test_oversized_field_is_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    huge = "x" * 5_000_000  # past the 4 MB field limit: an unclosed quote, not a text
    path = write(tmp_path / "avis.csv", f"id,date,text\n1,2026-03-10,{huge}\n2,2026-03-10,ok\n")
    records = read(path, kind="review")
    assert [r.external_id for r in kept(records)] == ["2"]
    [bad] = rejects(records)
    assert bad.location == "avis.csv:2"
    assert bad.reason.startswith("malformed CSV:")


# --- per-record rules -----------------------------------------------------------------------


def test_other_fields_are_stripped_strings_or_none(tmp_path: Path) -> None:
    path = write(
        tmp_path / "avis.csv",
        "id,date,text,language,country,app_version,user_id,channel,title,csat\n"
        '1,2026-03-10,"  <p>Bonjour</p>\n ",  fr , FR ,5.2.0, u-1 , play , Bof ,  4 \n'
        "2,2026-03-10,Salut,,,,,,,\n",
    )
    columns = ColumnMap.from_mapping(
        {name: name for name in FIELDS if name not in ("rating", "kind")}
    )
    first, second = kept(read(path, kind="review", columns=columns))
    assert first.text == "<p>Bonjour</p>"  # stripped, not cleaned: normalise does that
    assert (first.language, first.country, first.app_version) == ("fr", "FR", "5.2.0")
    assert (first.user_id, first.channel, first.title, first.csat) == ("u-1", "play", "Bof", "4")
    assert (second.language, second.user_id, second.title, second.csat) == (None, None, None, None)


def test_whitespace_only_text_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", 'id,date,text\n1,2026-03-10,"  \n  "\n2,2026-03-10,ok\n')
    records = read(path, kind="review")
    assert rejects(records) == [Rejected("test", "avis.csv:2", "no text")]
    assert [r.external_id for r in kept(records)] == ["2"]


def test_ids_lose_a_spreadsheet_dot_zero_and_empty_ids_are_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path / "avis.csv",
        "id,date,text\n12345.0,2026-03-10,a\n,2026-03-10,b\n1.5,2026-03-10,c\n007,2026-03-10,d\n",
    )
    records = read(path, kind="review")
    assert [r.external_id for r in kept(records)] == ["12345", "1.5", "007"]
    assert rejects(records) == [Rejected("test", "avis.csv:3", "no id")]


def test_content_hash_ids_are_stable_across_reads(tmp_path: Path) -> None:
    path = write(
        tmp_path / "avis.csv",
        "date,userName,content\n"
        "2026-03-10 14:05,marie,Appli lente\n"
        "2026-03-10 14:05,paul,Appli lente\n"
        "2026-03-11 09:00,,Trop de pubs\n",
    )
    options: dict[str, Any] = {"kind": "review", "columns": ColumnMap(user_id="userName")}
    first, second = read(path, **options), read(path, **options)

    ids = [r.external_id for r in kept(first)]
    assert ids == [r.external_id for r in kept(second)]
    assert len(set(ids)) == 3
    expected = hashlib.sha256(b"2026-03-10T14:05:00+00:00|marie|Appli lente").hexdigest()[:24]
    assert ids[0] == expected
    empty_user = hashlib.sha256(b"2026-03-11T09:00:00+00:00||Trop de pubs").hexdigest()[:24]
    assert ids[2] == empty_user


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4", 4.0),
        ("4.0", 4.0),
        ("4,5", 4.5),
        (" 1 ", 1.0),
        ("5", 5.0),
        ("0", None),
        ("7", None),
        ("quatre", None),
        ("", None),
        ("nan", None),
    ],
)
def test_rating_is_a_number_from_1_to_5_or_none(
    tmp_path: Path, value: str, expected: float | None
) -> None:
    path = write(tmp_path / "avis.csv", f'id;date;score;text\n1;2026-03-10;"{value}";ok\n')
    [record] = read(path, columns=ColumnMap(rating="score"))
    assert isinstance(record, RawFeedback)  # a bad rating never rejects the review
    assert record.rating == expected


def test_kind_is_required_when_it_cannot_be_guessed(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", "id,date,text\n1,2026-03-10,ok\n")
    with pytest.raises(InputError) as error:
        FileSource("survey_q3", [path])  # at construction, before any reading
    assert "--kind" in str(error.value)
    assert "ticket, csat, review, survey" in str(error.value)


def test_unknown_kind_option_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", "id,date,text\n1,2026-03-10,ok\n")
    with pytest.raises(ConfigError, match="'avis'"):
        FileSource("test", [path], kind="avis")


def test_kind_column_per_row(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mix.csv",
        "id,date,text,type\n1,2026-03-10,a,csat\n2,2026-03-10,b, Survey \n3,2026-03-10,c,bogus\n",
    )
    with_default = kept(read(path, kind="review", columns=ColumnMap(kind="type")))
    assert [r.kind for r in with_default] == ["csat", "survey", "review"]

    without_default = read(path, columns=ColumnMap(kind="type"))
    assert [r.kind for r in kept(without_default)] == ["csat", "survey"]
    assert rejects(without_default) == [
        Rejected(
            "test",
            "mix.csv:4",
            "unknown kind 'bogus'; expected one of ticket, csat, review, survey",
        )
    ]


# --- dates ----------------------------------------------------------------------------------


def one(tmp_path: Path, date: str, **options: Any) -> Record:
    path = write(tmp_path / "dates.csv", f"id|date|text\n1|{date}|Bonjour\n")
    [record] = read(path, kind="review", delimiter="|", **options)
    return record


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-10T14:05:00Z", utc(2026, 3, 10, 14, 5)),
        ("2026-03-10T14:05:00+02:00", utc(2026, 3, 10, 12, 5)),
        ("2026-03-10T14:05:00-0500", utc(2026, 3, 10, 19, 5)),
        ("2026-03-10T14:05:00.123456789Z", datetime(2026, 3, 10, 14, 5, 0, 123456, tzinfo=UTC)),
        ("2026-03-10T14:05", utc(2026, 3, 10, 14, 5)),
        ("2026-03-10 14:05", utc(2026, 3, 10, 14, 5)),
        ("2026-03-10 14:05:09", utc(2026, 3, 10, 14, 5, 9)),
        ("2026-03-10", utc(2026, 3, 10)),
        ("03/10/2026 14:05", utc(2026, 10, 3, 14, 5)),  # day first
        ("03/10/2026", utc(2026, 10, 3)),
        ("3/4/2026 9:07:30", utc(2026, 4, 3, 9, 7, 30)),
        ("10/31/2026", utc(2026, 10, 31)),  # impossible day first: month first
        ("10/31/2026 2:05 PM", utc(2026, 10, 31, 14, 5)),
        ("03.10.2026", utc(2026, 10, 3)),
        ("1773151500", utc(2026, 3, 10, 14, 5)),  # epoch seconds
        ("1773151500000", utc(2026, 3, 10, 14, 5)),  # epoch milliseconds
    ],
)
def test_date_formats(tmp_path: Path, value: str, expected: datetime) -> None:
    record = one(tmp_path, value)
    assert isinstance(record, RawFeedback), record
    assert record.created_at == expected
    assert record.created_at.tzinfo is UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-10 14:05", utc(2026, 3, 10, 13, 5)),  # winter: UTC+1
        ("10/07/2026 14:05", utc(2026, 7, 10, 12, 5)),  # summer: UTC+2, day first
        ("2026-03-10T14:05:00Z", utc(2026, 3, 10, 14, 5)),  # an explicit offset wins
    ],
)
def test_naive_dates_are_in_the_source_timezone(
    tmp_path: Path, value: str, expected: datetime
) -> None:
    record = one(tmp_path, value, timezone="Europe/Paris")
    assert isinstance(record, RawFeedback)
    assert record.created_at == expected


def test_date_format_is_tried_first_then_the_usual_formats(tmp_path: Path) -> None:
    custom = one(tmp_path, "10-03-2026 14h05", date_format="%d-%m-%Y %Hh%M")
    iso = one(tmp_path, "2026-03-11T08:00:00Z", date_format="%d-%m-%Y %Hh%M")
    # Without it, "03/04/2026" is 3 April; with a month-first format it is 4 March.
    us = one(tmp_path, "03/04/2026", date_format="%m/%d/%Y")
    assert isinstance(custom, RawFeedback) and custom.created_at == utc(2026, 3, 10, 14, 5)
    assert isinstance(iso, RawFeedback) and iso.created_at == utc(2026, 3, 11, 8)
    assert isinstance(us, RawFeedback) and us.created_at == utc(2026, 3, 4)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("demain", "unparseable date 'demain'"),
        ("31/13/2026", "unparseable date '31/13/2026'"),
        ("2026-02-30", "unparseable date '2026-02-30'"),
        ("10/31/2026 13:05 PM", "unparseable date '10/31/2026 13:05 PM'"),
        ("1999-12-31", "implausible date '1999-12-31'"),
        ("2099-01-01T00:00:00Z", "implausible date '2099-01-01T00:00:00Z'"),
        ("0", "implausible date '0'"),
        ("", "no date"),
    ],
)
def test_bad_dates_are_rejected_with_their_location(
    tmp_path: Path, value: str, reason: str
) -> None:
    assert one(tmp_path, value) == Rejected("test", "dates.csv:2", reason)


def test_since_skips_older_records_silently(tmp_path: Path) -> None:
    path = write(
        tmp_path / "avis.csv",
        "id,date,text\n"
        "1,2026-02-28T23:59:59Z,trop vieux\n"
        "2,2026-02-15,\n"  # old and without text: skipped, not re-listed as a reject
        "3,2026-03-01T00:00:00Z,pile à l'heure\n"
        "4,2026-03-02,\n"
        "5,hier,date illisible\n",
    )
    records = read(path, kind="review", since=utc(2026, 3, 1))
    assert [r.external_id for r in kept(records)] == ["3"]
    assert [(r.location, r.reason) for r in rejects(records)] == [
        ("avis.csv:5", "no text"),
        ("avis.csv:6", "unparseable date 'hier'"),
    ]


def test_naive_since_is_taken_as_utc(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", "id,date,text\n1,2026-02-28,a\n2,2026-03-01,b\n")
    records = read(path, kind="review", since=datetime(2026, 3, 1))
    assert [r.external_id for r in kept(records)] == ["2"]


# --- JSON Lines -----------------------------------------------------------------------------


CSAT_COLUMNS = ColumnMap(
    id="response.id",
    text="response.comment",
    date="submitted_at",
    csat="survey.score",
    language="locale",
)


def test_jsonl_dotted_paths_and_bad_lines() -> None:
    records = read(FIXTURES / "csat_comments.jsonl", kind="csat", columns=CSAT_COLUMNS)

    feedback = kept(records)
    assert [(r.external_id, r.csat, r.language) for r in feedback] == [
        ("501", "5", "fr"),
        ("502", "1", "en"),
        ("505", "2", "fr"),
    ]
    assert feedback[0].created_at == utc(2026, 9, 21, 14, 13, 20)  # epoch milliseconds
    assert feedback[2].location == "csat_comments.jsonl:7"
    bad = rejects(records)
    assert [r.location for r in bad] == [
        "csat_comments.jsonl:3",
        "csat_comments.jsonl:4",
        "csat_comments.jsonl:6",
    ]
    assert bad[0].reason.startswith("invalid JSON: ")
    assert bad[1].reason == "invalid JSON: expected an object, got list"
    assert bad[2].reason == "no text"


def test_jsonl_columns_are_auto_detected_from_the_first_object(tmp_path: Path) -> None:
    lines = [
        {"reviewId": "a1", "content": "Génial", "at": "2026-03-10T10:00:00Z", "score": 5},
        {"reviewId": "a2", "content": "Bof", "at": 1773151500},
    ]
    path = write(tmp_path / "avis.ndjson", "\n".join(json.dumps(line) for line in lines) + "\n")
    feedback = kept(read(path, columns=ColumnMap(rating="score")))
    assert [(r.external_id, r.text, r.rating, r.kind) for r in feedback] == [
        ("a1", "Génial", 5.0, "review"),
        ("a2", "Bof", None, "review"),
    ]


def test_jsonl_without_text_key_asks_for_text_col(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.jsonl", '{"id": 1, "date": "2026-03-10", "avis": "x"}\n')
    with pytest.raises(InputError, match="--text-col"):
        read(path, kind="review")


# --- Zendesk --------------------------------------------------------------------------------


def test_zendesk_api_page() -> None:
    records = read(FIXTURES / "zendesk_incremental_page.json")
    refund, parcel, thanks = kept(records)

    assert rejects(records) == []
    assert refund.source == "test"
    assert refund.kind == "ticket"
    assert refund.external_id == "35436"
    assert refund.created_at == utc(2026, 10, 1, 9, 14, 51)
    assert refund.title == "Remboursement non reçu"
    assert refund.text == "Bonjour, j'attends mon remboursement depuis 3 semaines."
    assert (refund.user_id, refund.channel, refund.csat) == ("20978392", "email", "bad")
    assert refund.extra == {
        "tags": ["remboursement", "vip"],
        "status": "solved",
        "satisfaction_comment": "Toujours pas remboursé",
    }
    assert [r.location for r in (refund, parcel, thanks)] == [
        "zendesk_incremental_page.json:ticket[0]",
        "zendesk_incremental_page.json:ticket[1]",
        "zendesk_incremental_page.json:ticket[2]",
    ]


def test_zendesk_empty_description_falls_back_to_first_public_comment() -> None:
    parcel = kept(read(FIXTURES / "zendesk_incremental_page.json"))[1]
    # The private note comes first and is skipped; the public comment has only an html_body.
    assert parcel.text == "<p>Mon colis est arrivé <b>abîmé</b></p>"
    assert parcel.channel == "web"


def test_zendesk_csat_keeps_only_good_and_bad() -> None:
    page = kept(read(FIXTURES / "zendesk_incremental_page.json"))
    array = kept(read(FIXTURES / "zendesk_tickets_array.json"))
    ndjson = kept(read(FIXTURES / "zendesk_admin_export.json"))
    assert [r.csat for r in page] == ["bad", None, "good"]  # "offered" is not a score
    assert [r.csat for r in array] == [None, None]  # null rating, no rating
    assert [r.csat for r in ndjson] == [None, "good"]  # "unoffered" neither
    assert "satisfaction_comment" not in page[2].extra  # an empty comment is no comment


def test_zendesk_array_of_tickets() -> None:
    records = kept(read(FIXTURES / "zendesk_tickets_array.json"))
    assert [(r.external_id, r.location) for r in records] == [
        ("501", "zendesk_tickets_array.json:ticket[0]"),
        ("502", "zendesk_tickets_array.json:ticket[1]"),
    ]
    assert records[1].extra == {"tags": ["facturation"], "status": "new"}


def test_zendesk_ndjson_export_locations_are_lines() -> None:
    records = kept(read(FIXTURES / "zendesk_admin_export.json"))
    assert [(r.external_id, r.location, r.channel) for r in records] == [
        ("9001", "zendesk_admin_export.json:1", "mobile"),
        ("9002", "zendesk_admin_export.json:2", "email"),
    ]
    assert records[1].extra["satisfaction_comment"] == "Fast exchange"


def test_zendesk_single_line_page_and_bad_tickets(tmp_path: Path) -> None:
    page = {
        "tickets": [
            {"id": 1, "created_at": "2026-03-10T10:00:00Z", "subject": "a", "description": "x"},
            "not a ticket",
            {"created_at": "2026-03-10T10:00:00Z", "subject": "b", "description": "no id"},
            {"id": 4, "created_at": "2026-03-10T10:00:00Z", "subject": "d", "description": ""},
        ],
        "end_of_stream": True,
    }
    path = write(tmp_path / "page.json", json.dumps(page))
    records = read(path)
    assert [r.external_id for r in kept(records)] == ["1"]
    assert [(r.location, r.reason) for r in rejects(records)] == [
        ("page.json:ticket[1]", "not a ticket: expected a JSON object"),
        ("page.json:ticket[2]", "no id"),
        ("page.json:ticket[3]", "no text"),
    ]


def test_zendesk_ndjson_broken_line_is_rejected(tmp_path: Path) -> None:
    ticket = {"id": 7, "created_at": "2026-03-10T10:00:00Z", "subject": "s", "description": "d"}
    path = write(
        tmp_path / "export.json",
        json.dumps(ticket) + '\n{"id": 8, "subj\n\n' + json.dumps(ticket) + "\n",
    )
    records = read(path, format="zendesk")
    assert [r.location for r in kept(records)] == ["export.json:1", "export.json:4"]
    [bad] = rejects(records)
    assert bad.location == "export.json:2"
    assert bad.reason.startswith("invalid JSON:")


def test_zendesk_columns_can_be_overridden() -> None:
    columns = ColumnMap(text="subject", csat="satisfaction_rating.score", channel="status")
    records = kept(read(FIXTURES / "zendesk_incremental_page.json", columns=columns))
    assert [r.text for r in records] == ["Remboursement non reçu", "Colis abîmé", "Merci"]
    assert [r.channel for r in records] == ["solved", "open", "closed"]
    assert records[1].csat == "offered"  # an explicit mapping is taken as is
    assert records[0].title == "Remboursement non reçu"  # defaults stay for the other fields


def test_zendesk_kind_option_wins(tmp_path: Path) -> None:
    records = kept(read(FIXTURES / "zendesk_tickets_array.json", kind="csat"))
    assert {r.kind for r in records} == {"csat"}


def test_json_that_is_not_tickets_is_an_input_error(tmp_path: Path) -> None:
    reviews = [{"reviewId": "a", "content": "ok", "at": "2026-03-10"}]
    path = write(tmp_path / "reviews.json", json.dumps(reviews))
    with pytest.raises(InputError) as error:
        read(path)
    assert "reviews.json" in str(error.value)
    assert "--format jsonl" in str(error.value)


def test_ndjson_that_is_not_tickets_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path / "reviews.json", '{"reviewId": "a", "content": "ok"}\n')
    with pytest.raises(InputError, match="does not look like a Zendesk ticket export"):
        read(path)


def test_invalid_json_document_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path / "tickets.json", '{\n  "tickets": [\n    {"id": 1,\n')
    with pytest.raises(InputError, match=r"tickets.json: not valid JSON .* line 4"):
        read(path)


# --- files, order, formats ------------------------------------------------------------------


def test_paths_are_read_in_sorted_order(tmp_path: Path) -> None:
    b = write(tmp_path / "b.csv", "id,date,text\n2,2026-03-10,deux\n")
    a = write(tmp_path / "a.csv", "id,date,text\n1,2026-03-10,un\n")
    source = FileSource("test", [b, a, b], kind="review")
    assert source.paths == (a, b)
    assert [r.location for r in kept(list(source.iter_records()))] == ["a.csv:2", "b.csv:2"]


def test_unknown_extension_asks_for_format(tmp_path: Path) -> None:
    path = write(tmp_path / "export.xlsx", "")
    with pytest.raises(InputError) as error:
        FileSource("test", [path], kind="review")
    assert "export.xlsx" in str(error.value)
    assert "--format" in str(error.value)


def test_explicit_format_overrides_the_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "export.dat", '{"id": 1, "date": "2026-03-10", "text": "ok"}\n')
    assert [r.text for r in kept(read(path, kind="review", format="jsonl"))] == ["ok"]


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"format": "xlsx"}, "use one of: csv, jsonl, zendesk"),
        ({"encoding": "klingon"}, "unknown encoding 'klingon'"),
        ({"timezone": "Europe/Lutece"}, "Europe/Paris"),
        ({"delimiter": ";;"}, "one character"),
    ],
)
def test_invalid_options_are_config_errors(
    tmp_path: Path, options: dict[str, Any], needle: str
) -> None:
    path = write(tmp_path / "avis.csv", "id,date,text\n")
    with pytest.raises(ConfigError, match=needle):
        FileSource("test", [path], kind="review", **options)


# --- from_config ----------------------------------------------------------------------------


def test_from_config_expands_globs_relative_to_base_dir(tmp_path: Path) -> None:
    base = tmp_path / "projet"
    for month, text in (("2026-10", "octobre"), ("2026-09", "septembre")):
        folder = base / "exports" / month
        folder.mkdir(parents=True)
        write(folder / "play.csv", f"reviewId,at,content,score\n{month},{month}-05,{text},3\n")
    source = from_config(
        "play", {"type": "file", "path": "exports/*/play.csv", "kind": "review"}, base
    )

    records = kept(list(source.iter_records()))
    assert [r.text for r in records] == ["septembre", "octobre"]
    # Two files named play.csv: locations keep enough of the path to tell them apart.
    assert [r.location for r in records] == ["2026-09/play.csv:2", "2026-10/play.csv:2"]
    assert {r.source for r in records} == {"play"}


def test_from_config_with_every_key(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "csat_survey_fr.csv", tmp_path / "enquete.txt")
    table = {
        "type": "file",
        "path": ["enquete.txt"],
        "format": "csv",
        "kind": "csat",
        "encoding": "utf-8",
        "delimiter": ";",
        "date_format": "%d/%m/%Y %H:%M",
        "timezone": "Europe/Paris",
        "columns": {"csat": "note", "language": "langue", "country": "pays"},
    }
    assert set(table) == set(CONFIG_KEYS)
    feedback = kept(list(from_config("csat_q4", table, tmp_path).iter_records()))
    assert [(r.external_id, r.csat, r.country) for r in feedback][:2] == [
        ("R-1001", "2", "FR"),
        ("R-1002", "5", "FR"),
    ]
    assert feedback[0].created_at == utc(2026, 10, 3, 12, 5)


def test_registry_builds_a_file_source_by_default(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "zendesk_admin_export.json", tmp_path / "tickets.json")
    source = build("zendesk", {"path": "tickets.json"}, base_dir=tmp_path)
    assert isinstance(source, FileSource)
    assert [r.external_id for r in kept(list(source.iter_records(None)))] == ["9001", "9002"]


def test_from_config_glob_matching_nothing_names_the_pattern(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        from_config("play", {"path": "exports/*.csv", "kind": "review"}, tmp_path)
    assert "'exports/*.csv'" in str(error.value)


def test_from_config_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"'avis\.csv'"):
        from_config("play", {"path": ["avis.csv"], "kind": "review"}, tmp_path)


def test_from_config_unknown_key_lists_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        from_config("play", {"path": "a.csv", "colums": {"text": "x"}}, tmp_path)
    message = str(error.value)
    assert "[sources.play]" in message
    assert "'colums'" in message
    assert (
        "type, path, format, kind, encoding, delimiter, date_format, timezone, columns" in message
    )


def test_from_config_bad_format(tmp_path: Path) -> None:
    write(tmp_path / "a.csv", "id,date,text\n")
    with pytest.raises(ConfigError, match="unknown format 'excel'"):
        from_config("play", {"path": "a.csv", "format": "excel", "kind": "review"}, tmp_path)


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ({}, "path must be"),
        ({"path": []}, "path must be"),
        ({"path": 3}, "path must be"),
        ({"path": "a.csv", "type": "zendesk"}, 'type must be "file"'),
        ({"path": "a.csv", "kind": 1}, "kind must be a string"),
        ({"path": "a.csv", "columns": "content"}, "columns must be a table"),
        ({"path": "a.csv", "columns": {"texte": "content"}}, "unknown column field 'texte'"),
    ],
)
def test_from_config_invalid_tables(tmp_path: Path, table: dict[str, Any], needle: str) -> None:
    write(tmp_path / "a.csv", "id,date,text\n")
    with pytest.raises(ConfigError, match=needle):
        from_config("play", table, tmp_path)


# --- hostile input: never a crash, one bad record is one reject -----------------------------


def ingested(path: Path, tmp_path: Path, **options: Any) -> Any:
    """``path`` read by a FileSource "test" through the pipeline into tmp_path/v.db."""
    from tests.helpers import ingest_into

    return ingest_into(tmp_path / "v.db", FileSource("test", [path], **options))


def stored_texts(tmp_path: Path) -> list[str]:
    from tests.helpers import rows

    return [text for (text,) in rows(tmp_path / "v.db", "SELECT text FROM items ORDER BY text")]


def test_lone_surrogate_in_jsonl_is_replaced_counted_and_the_file_kept(tmp_path: Path) -> None:
    lines = [
        '{"text": "Virement bloqu\\u00e9 depuis lundi", "date": "2026-03-10"}',
        '{"text": "Super appli \\ud83d", "date": "2026-03-11"}',  # half an emoji, valid JSON
        '{"text": "Appli lente \\ude00\\ud83d\\ude00", "date": "2026-03-12"}',
    ]
    path = write(tmp_path / "avis.jsonl", "\n".join(lines) + "\n")
    result = ingested(path, tmp_path, kind="review")  # no id column: ids hash the text
    assert (result.new, result.error, result.rejected) == (3, None, [])
    assert result.repaired == 2 and result.counts()["repaired"] == 2
    assert "Super appli \ufffd" in stored_texts(tmp_path)
    assert "Appli lente \ufffd😀" in stored_texts(tmp_path)  # a real pair stays the emoji
    again = ingested(path, tmp_path, kind="review")
    assert (again.new, again.unchanged) == (0, 3)  # same ids: the repair is deterministic


def test_lone_surrogate_in_a_zendesk_export_file(tmp_path: Path) -> None:
    tickets = [
        {"id": 1, "created_at": "2026-03-10T09:00:00Z", "subject": "Virement", "description": "ok"},
        {"id": 2, "created_at": "2026-03-10T10:00:00Z", "subject": "Carte \ud83d",
         "description": "Ma carte est bloqu\u00e9e \udc00", "tags": ["carte\ud83d"]},
    ]  # fmt: skip
    path = write(tmp_path / "tickets.json", json.dumps({"tickets": tickets}, indent=1))
    assert "\\ud83d" in path.read_text()
    result = ingested(path, tmp_path)
    assert (result.new, result.error, result.rejected, result.repaired) == (2, None, [], 1)
    assert any("\ufffd" in text for text in stored_texts(tmp_path))


def test_json_nested_too_deep_rejects_that_line_and_keeps_the_rest(tmp_path: Path) -> None:
    deep = '{"text": "x", "date": "2026-03-10", "a": ' + "[" * 1500 + "]" * 1500 + "}"
    path = write(
        tmp_path / "avis.jsonl",
        '{"text": "un", "date": "2026-03-10"}\n'
        + deep
        + '\n{"text": "deux", "date": "2026-03-10"}\n',
    )
    records = read(path, kind="review")
    assert [r.text for r in kept(records)] == ["un", "deux"]
    [bad] = rejects(records)
    assert (bad.location, bad.reason) == (
        "avis.jsonl:2",
        "invalid JSON: nested deeper than 100 levels",
    )


def test_zendesk_document_nested_too_deep_is_refused_with_the_fix(tmp_path: Path) -> None:
    ticket = {"id": 1, "created_at": "2026-03-10T09:00:00Z", "subject": "Virement"}
    text = json.dumps({"tickets": [ticket]}, indent=1)
    path = write(tmp_path / "tickets.json", text.replace('"Virement"', "[" * 1200 + "]" * 1200))
    with pytest.raises(
        InputError, match=r"tickets.json: cannot read the JSON \(nested deeper"
    ) as info:
        read(path)
    assert "one ticket per line" in str(info.value)


def test_integer_too_long_to_read_is_one_reject(tmp_path: Path) -> None:
    path = write(
        tmp_path / "avis.jsonl",
        '{"text": "un", "date": ' + "9" * 5000 + '}\n{"text": "deux", "date": "2026-03-10"}\n',
    )
    records = read(path, kind="review")
    assert [r.text for r in kept(records)] == ["deux"]
    assert rejects(records)[0].reason.startswith("invalid JSON: Exceeds the limit")


def test_epoch_too_large_for_a_float_is_an_unparseable_date(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.jsonl", '{"text": "un", "date": ' + "9" * 400 + "}\n")
    [bad] = rejects(read(path, kind="review"))
    assert bad.reason.startswith("unparseable date '9999")


def test_cr_only_line_endings_of_old_excel_are_read(tmp_path: Path) -> None:
    path = tmp_path / "avis.csv"
    path.write_bytes(
        b'id;date;text\r1;10/03/2026;Lent\r2;11/03/2026;"Deux\rlignes"\r3;12/03/2026;ok\r'
    )
    records = read(path, kind="review")
    assert rejects(records) == []
    assert [(r.external_id, r.location) for r in kept(records)] == [
        ("1", "avis.csv:2"),
        ("2", "avis.csv:3"),
        ("3", "avis.csv:5"),
    ]
    assert kept(records)[1].text.split() == ["Deux", "lignes"]


def test_a_header_that_is_not_csv_is_one_error(tmp_path: Path) -> None:
    path = write(tmp_path / "avis.csv", "id,da\rte,text\n1,2026-03-10,ok\n")  # a stray CR
    with pytest.raises(InputError, match=r"avis\.csv: the header line is not valid CSV"):
        read(path, kind="review")


@pytest.mark.parametrize("encoding", ["rot13", "base64", "zlib_codec", "hex"])
def test_a_codec_that_is_not_a_text_encoding_is_refused(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "avis.csv", "id,date,text\n1,2026-03-10,ok\n")
    with pytest.raises(ConfigError, match="is not a text encoding; use one such as utf-8"):
        read(path, kind="review", encoding=encoding)


@pytest.mark.parametrize("date_format", ["%z%z", "%", "%-d/%m/%Y", "%d%d", "%Q", " "])
def test_a_date_format_that_cannot_work_is_refused(tmp_path: Path, date_format: str) -> None:
    path = write(tmp_path / "avis.csv", "id,date,text\n1,2026-03-10,ok\n")
    with pytest.raises(ConfigError, match="cannot read dates; pass --date-format"):
        read(path, kind="review", date_format=date_format)


def test_a_very_long_line_does_not_stall_the_delimiter_sniffer(tmp_path: Path) -> None:
    import time

    # csv.Sniffer's regexes are quadratic in a line's length: a 120 KB line took minutes.
    line = '{"a":' * 24_000
    path = write(tmp_path / "avis.csv", f"id,date,text\n1,2026-03-10,{line}\n2,2026-03-10,ok\n")
    started = time.monotonic()
    records = read(path, kind="review")
    assert time.monotonic() - started < 10
    assert "ok" in [r.text for r in kept(records)]
