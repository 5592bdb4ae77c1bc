from pathlib import Path

import pytest

from vocmine.config import load_config
from vocmine.models import Rejected
from vocmine.pipeline.ingest import ingest
from vocmine.store.store import open_store
from vocmine.taxonomy.model import load_taxonomy

from .conftest import HashingEmbedder
from .helpers import ListSource, raw

RECORDS = [
    raw("1", "Mon virement de 20 euros n'est toujours pas arrivé sur mon compte"),
    raw("2", "The app crashes every time I open the rewards tab", rating=1.0),
    raw("3", "Contactez-moi à jean.dupont@gmail.com ou au 06 12 34 56 78", user_id="u-778812"),
    Rejected("test", "test:4", "no text"),
]


def run(project: Path, records: list, **kw: object) -> object:
    cfg = load_config(project / "vocmine.toml")
    store = open_store(cfg.db)
    try:
        return ingest(
            store,
            [ListSource("test", records, **kw)],
            config=cfg,
            taxonomy=load_taxonomy(cfg.taxonomy),
            command="vocmine ingest",
            args={},
        )
    finally:
        store.close()


def rows(project: Path, sql: str) -> list[tuple]:
    store = open_store(project / "vocmine.db")
    try:
        return store.conn.execute(sql).fetchall()
    finally:
        store.close()


def test_first_ingest_stores_embeds_assigns(project: Path) -> None:
    result = run(project, RECORDS)
    (source,) = result.sources
    assert source.counts() == {"read": 3, "new": 3, "updated": 0, "unchanged": 0, "rejected": 1}
    assert result.embedded == 3
    assert result.assigned == 3
    assert rows(project, "SELECT COUNT(*) FROM assignments") == [(3,)]
    assert rows(project, "SELECT location, reason FROM rejects") == [("test:4", "no text")]


def test_second_ingest_adds_nothing_and_embeds_nothing(project: Path) -> None:
    run(project, RECORDS)
    embedded_before = sum(HashingEmbedder.calls)
    result = run(project, RECORDS)
    assert result.sources[0].counts()["new"] == 0
    assert result.sources[0].counts()["unchanged"] == 3
    assert result.embedded == 0 and result.assigned == 0
    # the model saw the taxonomy's examples and the three texts once, never again
    assert sum(HashingEmbedder.calls) == embedded_before
    assert rows(project, "SELECT COUNT(*) FROM items") == [(3,)]


def test_edited_item_is_updated_and_reembedded(project: Path) -> None:
    run(project, RECORDS)
    edited = [raw("1", "Mon virement est arrivé finalement, merci"), *RECORDS[1:]]
    result = run(project, edited)
    assert result.sources[0].counts()["updated"] == 1
    assert result.embedded == 1 and result.assigned == 1
    assert rows(project, "SELECT text FROM items WHERE external_id = '1'") == [
        ("Mon virement est arrivé finalement, merci",)
    ]


def test_failure_mid_source_leaves_database_as_before(project: Path) -> None:
    run(project, RECORDS[:1])
    before = rows(project, "SELECT * FROM items")
    with pytest.raises(RuntimeError, match="connection reset"):
        run(project, RECORDS, fail_after=2)
    assert rows(project, "SELECT * FROM items") == before
    assert rows(project, "SELECT status FROM runs ORDER BY id") == [("ok",), ("error",)]


def test_personal_data_is_never_stored(project: Path) -> None:
    run(project, RECORDS)
    store = open_store(project / "vocmine.db")
    dump = "\n".join(store.conn.iterdump())
    store.close()
    for secret in ("jean.dupont@gmail.com", "06 12 34 56 78", "u-778812"):
        assert secret not in dump
    ((text, user_hash),) = rows(
        project, "SELECT text, user_hash FROM items WHERE external_id = '3'"
    )
    assert "[EMAIL]" in text and "[PHONE]" in text
    assert user_hash and len(user_hash) == 16


def test_language_detected_and_stored(project: Path) -> None:
    run(project, RECORDS)
    langs = dict(rows(project, "SELECT external_id, language FROM items"))
    assert langs["1"] == "fr" and langs["2"] == "en"


def test_unchanged_records_are_not_normalised_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(project, RECORDS)
    calls: list[str] = []
    import vocmine.pipeline.ingest as pipeline

    real = pipeline.normalise
    monkeypatch.setattr(
        pipeline, "normalise", lambda raw, **kw: calls.append(raw.external_id) or real(raw, **kw)
    )
    moved = [raw("1", RECORDS[0].text, location="elsewhere.csv:99"), *RECORDS[1:]]
    result = run(project, moved)  # same records, read from another line: still skipped
    assert calls == []
    assert result.sources[0].counts()["unchanged"] == 3
    edited = [raw("1", "Virement reçu finalement"), *RECORDS[1:]]
    run(project, edited)
    assert calls == ["1"]


def test_a_new_normaliser_normalises_everything_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(project, RECORDS)
    before = set(rows(project, "SELECT raw_hash FROM items"))
    calls: list[str] = []
    import vocmine.pipeline.ingest as pipeline

    real = pipeline.normalise
    monkeypatch.setattr(
        pipeline, "normalise", lambda raw, **kw: calls.append(raw.external_id) or real(raw, **kw)
    )
    monkeypatch.setattr(
        "vocmine.prepare.normalise.fingerprint", lambda *args, **kw: "new-redaction-rules"
    )
    result = run(project, RECORDS)
    assert sorted(calls) == ["1", "2", "3"]  # every record normalised again...
    assert result.sources[0].counts()["unchanged"] == 3  # ...to the same stored content
    after = set(rows(project, "SELECT raw_hash FROM items"))
    assert before.isdisjoint(after) and len(after) == 3
