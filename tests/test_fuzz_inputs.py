"""Seeded fuzzing of what users feed vocmine: malformed files, flag values and config values.

Every case runs the real command line (the typer app of vocmine.cli.app) in one project. An
exception that escapes a command is what ``vocmine.cli.app.main`` turns into exit 70 ("internal
error"), so the test asserts that none escapes, that no exit code is 70 and that no output holds a
traceback. Inputs are small, the taxonomy has two intents and ingests use --no-embed, to keep the
whole run near a minute.

Set VOCMINE_FUZZ_CASES (default 1200) and VOCMINE_FUZZ_SEED (default 15) to fuzz longer or
elsewhere; a failure names the case's number, command and input, enough to replay it.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from typer.testing import CliRunner

from tests.conftest import FAKE_MODEL
from tests.test_taxonomy import minimal_intent, write_minimal
from vocmine.cli.app import app

SEED = int(os.environ.get("VOCMINE_FUZZ_SEED", "15"))
CASES = int(os.environ.get("VOCMINE_FUZZ_CASES", "1200"))
AT_LEAST = (
    1000 if "VOCMINE_FUZZ_CASES" not in os.environ else 1
)  # read before the fixtures clear it
GOOD_CONFIG = f'[embedding]\nmodel = "{FAKE_MODEL}"\n[assign]\nthreshold = 0.3\nk = 3\n'

CSV = (
    "id,date,content,score,user\n"
    "1,2026-09-03 10:00:00,Mon virement n'est pas arrivé 😀,1,u1\n"
    '2,05/09/2026,"The app crashes, again",1,u2\n'
    "3,1790000000,Écrivez-moi à a.b@gmail.com,2,u3\n"
    "4,2026-10-04T10:00:00+02:00,Super appli,5,u4\n"
)
JSONL_RECORDS = [
    {"id": "a1", "text": "Le virement est bloqué", "date": "2026-10-01", "rating": 2},
    {"id": "a2", "content": "Crash au démarrage", "at": 1790000000000, "meta": {"v": [1, 2]}},
    {"id": "a3", "text": "Service client injoignable", "date": "2026-10-03T08:00:00Z"},
]
TICKETS = [
    {
        "id": 1000 + n,
        "created_at": f"2026-10-0{n}T09:00:00Z",
        "subject": f"Virement {n}",
        "description": "Bonjour, mon virement n'arrive pas.",
        "requester_id": 500 + n,
        "via": {"channel": "email"},
        "tags": ["virement"],
        "satisfaction_rating": {"score": "bad", "comment": "Lent"},
    }
    for n in range(1, 4)
]
BAD_DATES = [
    "0000-00-00", "31/13/2026", "9" * 400, "-1", "nan", "2026-02-30", "1e999", "", "<img src=x>",
    "\\ud83d", "2026-10-01T25:61:00", "99999-01-01", "1/1/1", "\u0000", "null", "9" * 30,
]  # fmt: skip
ENCODINGS = [
    "rot13", "base64", "hex", "zlib", "bz2", "uu", "quopri", "utf-16", "utf-32", "utf-7", "ascii",
    "latin-1", "cp1252", "idna", "punycode", "unicode_escape", "raw_unicode_escape", "no-such",
    "", "utf-8-sig", "mbcs", "undefined", "utf_16_be", "cp037",
]  # fmt: skip
DATE_FORMATS = [
    "%z%z", "%", "%-d", "%d%d", "%Q", " ", "%Y", "%d/%m/%Y", "%s", "%%", "%Y-%m-%d %z", "%G-%V",
    "%c", "%x %X", "%y%y", "%Y-%m-%dT%H:%M:%S.%f%z", "%j", "%U%w", "\x00", "%e",
]  # fmt: skip


def _ndjson(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


BASES: dict[str, tuple[str, str, list[str]]] = {  # name -> (suffix, text, flags)
    "csv": (".csv", CSV, ["--kind", "review", "--text-col", "content", "--rating-col", "score"]),
    "jsonl": (".jsonl", _ndjson(JSONL_RECORDS), ["--kind", "review"]),
    "zendesk_page": (".json", json.dumps({"tickets": TICKETS}, indent=1), []),
    "zendesk_array": (".json", json.dumps(TICKETS), []),
    "zendesk_ndjson": (".json", _ndjson(TICKETS), []),
}


# --- mutations of a file's text or bytes -------------------------------------------------------


def _deep(rng: random.Random) -> str:
    depth = rng.choice([99, 100, 101, 500, 999, 1000, 1001, 3000, 20000])
    opener = rng.choice(["[", '{"a":'])
    closer = "]" if opener == "[" else "}"
    return opener * depth + "1" + closer * depth


def _text_mutation(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    choice = rng.randrange(11)
    if choice == 0:  # truncation
        return text[:at]
    if choice == 1:  # deep nesting, inside a value or as a line
        if rng.random() < 0.5:
            return text.replace('"Lent"', _deep(rng), 1).replace("2026-10-01", _deep(rng), 1)
        return text[:at] + "\n" + _deep(rng) + "\n" + text[at:]
    if choice == 2:  # a huge field
        size = rng.choice([70_000, 131_071, 131_073, 140_000])
        return text.replace("Super appli", "x" * size, 1).replace("Crash", "y" * size, 1)
    if choice == 3:  # bad dates
        bad = rng.choice(BAD_DATES)
        for good in ("2026-09-03 10:00:00", "05/09/2026", "2026-10-01", "2026-10-01T09:00:00Z"):
            text = text.replace(good, bad)
        return text.replace("1790000000000", rng.choice(["1e400", "-1e400", "9" * 5000, "true"]))
    if choice == 4:  # mixed line endings
        return "".join(
            rng.choice(["\n", "\r", "\r\n", "\n\r"]) if char == "\n" else char for char in text
        )
    if choice == 5:  # NULs
        return text[:at] + "\x00" * rng.randint(1, 3) + text[at:]
    if choice == 6:  # lone surrogates, escaped in JSON or as they are
        half = rng.choice(["\\ud83d", "\\udc00", "\\ud83d\\ud83d", "\\ude00\\ud83d"])
        return text.replace("virement", f"virement {half}", 1).replace("bloqué", half, 1)
    if choice == 7:  # structure broken: quotes, brackets, delimiters
        junk = rng.choice(['"', "'", "{", "}", "[", "]", ",", ";", "\t", '""', '\\"', ":", "\\"])
        return text[:at] + junk * rng.randint(1, 4) + text[at:]
    if choice == 8:  # long integers and odd numbers
        return text.replace("1000", rng.choice(["1" * 5000, "1e999", "-0", "NaN", "Infinity"]), 1)
    if choice == 9:  # duplicated or missing lines
        lines = text.splitlines(keepends=True)
        if lines:
            line = rng.choice(lines)
            lines.insert(rng.randrange(len(lines) + 1), line if rng.random() < 0.5 else "\n")
            if rng.random() < 0.5:
                del lines[rng.randrange(len(lines))]
        return "".join(lines)
    return text.replace("id", rng.choice(["", "ID", "id,id", "text", "date"]), 1)  # header


def _bytes_mutation(rng: random.Random, data: bytes) -> bytes:
    choice = rng.randrange(6)
    at = rng.randrange(len(data) + 1)
    if choice == 0:  # random bytes
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + data[at:]
    if choice == 1:  # flipped bytes
        out = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if choice == 2:  # another encoding of the same text
        codec = rng.choice(["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-32", "utf-7"])
        return data.decode("utf-8", "replace").encode(codec, "replace")
    if choice == 3:  # byte-order marks and a cut multi-byte character
        return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]) + data + b"\xc3"
    if choice == 4:  # pure noise
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
    return b""  # an empty file


def _file_case(rng: random.Random, work: Path, index: int) -> list[str]:
    name = rng.choice(sorted(BASES))
    suffix, text, flags = BASES[name]
    for _ in range(rng.randint(1, 3)):
        text = _text_mutation(rng, text)
    data = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.3:
        data = _bytes_mutation(rng, data)
    path = work / f"in{index}{suffix}"
    path.write_bytes(data)
    extra: list[str] = []
    if rng.random() < 0.15:
        extra = ["--format", rng.choice(["csv", "jsonl", "zendesk"])]
    if rng.random() < 0.15:
        extra += ["--encoding", rng.choice(["latin-1", "cp1252", "utf-16", "ascii"])]
    return ["ingest", "file", str(path), *flags, *extra, "--no-embed"]


# --- bad flag values ---------------------------------------------------------------------------


JUNK = [
    "", "-1", "0", "0000-01", "2026-00", "2026-13", "9999-12", "x", "2026-1", "../..", "\x00",
    "2026-10-01", "2026-02-30", "0000-01-01", "99999-01-01", "nan", "-0", "1e9", "%z",
]  # fmt: skip


def _flag_case(rng: random.Random, work: Path, index: int) -> list[str]:
    csv_path = work / "ok.csv"
    if not csv_path.exists():
        csv_path.write_text(CSV, encoding="utf-8")
    junk = rng.choice(JUNK)
    number = rng.choice(["-1", "0", "-0", "4294967296", str(2**70), "nan", "inf", "1e308", "x"])
    bad_seed = rng.choice(["-1", "4294967296", str(2**70), "nan", "x", ""])  # 0 would cluster
    choices: list[Callable[[], list[str]]] = [
        lambda: ["report", "--month", junk],
        lambda: ["report", "--month", "2026-10", "--out", str(csv_path)],
        lambda: ["report", "--month", "2026-10", "--format", junk],
        lambda: ["export", "--month", junk],
        lambda: ["export", "--since", junk, "--until", rng.choice([junk, "2026-10-31"])],
        lambda: ["export", "--month", "2026-10", "--format", junk or "xml"],
        lambda: ["discover", "--seed", bad_seed],
        lambda: ["discover", "--month", junk if junk != "9999-12" else "0000-01"],
        lambda: ["discover", "--since", junk if junk != "2026-10-01" else "2026-02-30"],
        lambda: ["init", str(csv_path / junk) if junk else str(csv_path)],
        lambda: ["assign", "--borderline", number],
        lambda: ["eval", str(csv_path), "--text-col", "content", "--label-col", "x",
                 rng.choice(["--seed", "--threshold", "--k", "--shots"]), number],
        lambda: ["ingest", "--since", junk, "--no-embed"],
        lambda: ["ingest", "file", str(csv_path), "--kind", "review", "--text-col", "content",
                 "--no-embed", *rng.choice(_FILE_FLAGS)(rng, junk)],
    ]  # fmt: skip
    return rng.choice(choices)()


_FILE_FLAGS: list[Callable[[random.Random, str], list[str]]] = [
    lambda rng, junk: ["--encoding", rng.choice(ENCODINGS)],
    lambda rng, junk: ["--date-format", rng.choice(DATE_FORMATS)],
    lambda rng, junk: ["--delimiter", rng.choice(["", ";;", "\\t", "tab", '"', "\n", "\x00", " "])],
    lambda rng, junk: ["--timezone", rng.choice(["Mars/Olympus", "", "../../etc", "UTC+1", junk])],
    lambda rng, junk: ["--since", junk],
    lambda rng, junk: ["--kind", junk],
    lambda rng, junk: ["--format", junk],
    lambda rng, junk: ["--date-col", junk or "nope"],
    lambda rng, junk: ["--source", junk],
]


# --- bad config values -------------------------------------------------------------------------

CONFIG_KEYS = {
    "embedding": ["batch_size", "model"],
    "assign": ["threshold", "k", "finetune_steps", "method", "min_probability", "noise_company"],
    "report": ["top", "quotes", "months", "min_quote_users", "weight_volume", "weight_growth",
               "weight_impact", "cost_per_contact", "currency", "unassigned_warning",
               "retire_after_months"],
    "llm": ["enabled", "timeout", "max_tokens", "base_url", "model"],
    "discover": ["seed", "min_size", "add_examples_similarity", "overlap_similarity",
                 "growth_months", "quotes", "examples", "max_share", "split_depth", "noise",
                 "noise_max_words", "noise_min_content_words", "noise_generic_share",
                 "noise_cluster_share", "noise_by_rating"],
    "language": ["candidates"],
    "vocmine": ["db", "taxonomy", "reports"],
}  # fmt: skip
TOML_VALUES = [
    "nan", "inf", "-inf", "-1", "0", "1", "0.5", "1.5", "1e308", "-1e308", "9223372036854775807",
    "-9223372036854775808", '"x"', '""', "true", "[]", "{}", '["fr", 1]', "{ a = -1 }", '"ok.csv"',
    "4294967296", "2.0", "-0.0",
]  # fmt: skip
SOURCE_VALUES = {
    "path": ['"ok.csv"', '"nope/*.csv"', "3", "[]", '["ok.csv", 1]', '"/"', '"."'],
    "encoding": ['"rot13"', '"base64"', '"nope"', "1"],
    "date_format": ['"%z%z"', '"%"', '"%d/%m/%Y"', "[]"],
    "delimiter": ['";;"', '""', '"tab"', "1"],
    "kind": ['"review"', '"x"', "1"],
    "format": ['"csv"', '"xml"', "false"],
    "columns": ['{ text = "content" }', '"content"', "{ text = 1 }", '{ nope = "x" }'],
    "timezone": ['"Mars/Olympus"', '"Europe/Paris"', "0"],
    "type": ['"file"', '"nope"', "1"],
    "nope": ["1"],
}


def _config_case(rng: random.Random, work: Path, index: int) -> list[str]:
    (work / "ok.csv").write_text(CSV, encoding="utf-8")
    lines = [GOOD_CONFIG]
    for _ in range(rng.randint(1, 3)):
        section = rng.choice(sorted(CONFIG_KEYS))
        lines.append(
            f"[{section}]\n{rng.choice(CONFIG_KEYS[section])} = {rng.choice(TOML_VALUES)}\n"
        )
    command = ["status"]
    if rng.random() < 0.4:
        table = ['\n[sources.s]\npath = "ok.csv"\nkind = "review"\n']
        for key in rng.sample(sorted(SOURCE_VALUES), rng.randint(1, 3)):
            table.append(f"{key} = {rng.choice(SOURCE_VALUES[key])}\n")
        lines = [GOOD_CONFIG, "".join(dict.fromkeys(table))]  # a key once: TOML forbids repeats
        command = ["ingest", "--no-embed"]
    data = "".join(lines).encode("utf-8")
    if rng.random() < 0.2:
        data = _bytes_mutation(rng, data)
    (work / "vocmine.toml").write_bytes(data)
    return command


# --- the test ----------------------------------------------------------------------------------


def test_no_generated_input_crashes_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(SEED)
    runner = CliRunner()
    command = typer.main.get_command(app)  # built once: typer rebuilds it on every invoke
    monkeypatch.setattr(typer.testing, "_get_command", lambda _: command)
    work = tmp_path
    # A two-intent taxonomy: every ingest loads it, and the shipped one takes a second to parse.
    write_minimal(work / "taxonomy", {"a.yaml": [minimal_intent("a.one", "a")]})
    kinds: list[tuple[str, Callable[[random.Random, Path, int], list[str]]]] = [
        ("file", _file_case),
        ("flag", _flag_case),
        ("config", _config_case),
    ]
    exits: Counter[tuple[str, int]] = Counter()
    failures: list[str] = []
    slowest: list[tuple[float, int]] = []
    seconds: Counter[str] = Counter()
    started = time.monotonic()
    for index in range(CASES):
        kind, make = rng.choices(kinds, weights=[6, 2, 2])[0]
        if kind != "config":
            (work / "vocmine.toml").write_text(GOOD_CONFIG, encoding="utf-8")
        args = make(rng, work, index)
        began = time.monotonic()
        result = runner.invoke(app, args)
        took = time.monotonic() - began
        seconds[f"{kind} {args[0]}"] += took
        slowest = sorted([*slowest, (took, index)])[-3:]
        where = f"case {index} ({kind}, seed {SEED}): vocmine {' '.join(map(repr, args))}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            failures.append(f"{where} raised {result.exception!r}")  # main() would exit 70
        elif result.exit_code not in (0, 1, 2) or "Traceback" in result.output:
            failures.append(f"{where} exited {result.exit_code}: {result.output[-300:]!r}")
        exits[(kind, result.exit_code)] += 1
        for path in work.glob(f"in{index}.*"):
            path.unlink()
    elapsed = time.monotonic() - started
    print(f"\n{CASES} cases in {elapsed:.1f} s, seed {SEED}; (kind, exit code): {dict(exits)}")
    print("seconds by kind:", {kind: round(total, 1) for kind, total in seconds.items()})
    print("slowest cases:", [(round(took, 1), index) for took, index in slowest])
    assert failures == []
    assert sum(exits.values()) == CASES >= AT_LEAST


@pytest.mark.parametrize("seed", [1, 2])
def test_mutations_are_reproducible(seed: int) -> None:
    first = [_text_mutation(random.Random(seed), CSV) for _ in range(5)]
    assert first == [_text_mutation(random.Random(seed), CSV) for _ in range(5)]
