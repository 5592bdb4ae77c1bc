"""A spot check: a person reads random items of each top problem and says whether they fit it.

The report counts items per intent; nothing in the database says how many of them a reader
would call on theme. On real feedback that share is what decides how far Product can trust a
count (issue 12 measured 71-79% on Netflix reviews no one had read), and only a person can
measure it. So ``vocmine spot-check`` draws a sheet of random items per top problem, the
reader fills its ``on_theme`` column with y or n, and the report prints the reading on each
problem's card, with its 95% interval: 16 of 20 is anywhere from 58% to 92%.

A reading belongs to an item *and* the intent it was read under: once a taxonomy edit moves an
item elsewhere, its answer no longer says anything about either intent, and it is counted as
moved instead.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vocmine.errors import VocmineError
from vocmine.measure.stats import wilson

ANSWER = "on_theme"
COLUMNS = ["intent_id", "intent_name", "problem", "source", "external_id", "rating", "text", ANSWER]
_YES = frozenset({"y", "yes", "1", "true", "on", "o", "oui"})
_NO = frozenset({"n", "no", "0", "false", "off", "non"})


def sheet_path(folder: Path, month: str) -> Path:
    """Where the month's sheet lives: beside the report, ``reports/YYYY-MM-spot-check.csv``."""
    return folder / f"{month}-spot-check.csv"


def draw(
    items: pd.DataFrame,
    intents: Sequence[tuple[str, str, str]],
    *,
    per_intent: int,
    seed: int,
) -> pd.DataFrame:
    """``per_intent`` random items of each intent (id, name, problem), in the order given.

    ``items`` needs ``source``, ``external_id``, ``intent_id``, ``rating`` and ``text``. Items
    are sorted by their key before the draw, so the same items and seed give the same sheet
    whatever order the database returned them in.

    Example:
        >>> items = pd.DataFrame({"source": "f", "external_id": list("abcd"),
        ...     "intent_id": ["x", "x", "x", "y"], "rating": 1.0, "text": list("ABCD")})
        >>> draw(items, [("x", "X", "P")], per_intent=2, seed=7)["external_id"].tolist()
        ['c', 'b']
    """
    parts = []
    for intent_id, name, problem in intents:
        mine = items[items["intent_id"] == intent_id].sort_values(["source", "external_id"])
        picked = mine.sample(min(per_intent, len(mine)), random_state=seed)
        parts.append(
            pd.DataFrame(
                {
                    "intent_id": intent_id,
                    "intent_name": name,
                    "problem": " ".join(problem.split()),
                    "source": picked["source"].astype(str),
                    "external_id": picked["external_id"].astype(str),
                    "rating": picked["rating"],
                    "text": picked["text"].map(lambda t: " ".join(str(t).split())),
                    ANSWER: "",
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    out = frame[COLUMNS].astype({c: "string" for c in COLUMNS if c != "rating"})
    return out.astype({"rating": "Float64"})


def answer(value: object) -> bool | None:
    """A reader's answer: True (on theme), False (off), None (left blank).

    Raises:
        ValueError: Anything else ("maybe", "?"), so that the caller can count it.

    Example:
        >>> [answer(v) for v in ["y", " Yes", "0", "", None, float("nan")]]
        [True, True, False, None, None, None]
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(text)


def read_sheet(path: Path) -> pd.DataFrame:
    """The sheet as strings, checked for the columns a reading needs.

    Raises:
        VocmineError: The file cannot be read as CSV or lacks a column.
    """
    # A spreadsheet in a French or German locale saves CSV with ";" and, on Windows, in cp1252:
    # the reader's answers must survive that round trip.
    sheet = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            sheet = pd.read_csv(path, sep=None, engine="python", dtype=str,
                                keep_default_na=False, encoding=encoding)  # fmt: skip
            break
        except UnicodeDecodeError:
            continue
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
            raise VocmineError(f"cannot read {path} ({type(exc).__name__}); {_fix(path)}") from None
    if sheet is None:
        raise VocmineError(f"cannot read {path} (not UTF-8 or cp1252 text); {_fix(path)}")
    missing = [c for c in ("intent_id", "source", "external_id", ANSWER) if c not in sheet]
    if missing:
        raise VocmineError(f"{path} has no column {', '.join(missing)}; {_fix(path)}")
    return sheet


def _fix(path: Path) -> str:
    month = path.name.removesuffix("-spot-check.csv")
    return (
        "save it as CSV with its header row, or draw a new one with "
        f"'vocmine spot-check --month {month} --force'"
    )


_FIELDS = ("read", "on_theme", "moved", "unreadable", "blank")  # Reading's counts


@dataclass(frozen=True)
class Reading:
    """What a reader said of one intent's items.

    Attributes:
        read: Answered items still in the intent.
        on_theme: Of those, the ones marked on theme.
        moved: Answered items a later edit moved to another intent (or out of every intent).
        unreadable: Answers that are neither yes nor no.
        blank: Items not answered yet.
    """

    intent_id: str
    read: int
    on_theme: int
    moved: int = 0
    unreadable: int = 0
    blank: int = 0

    @property
    def share(self) -> float:
        return self.on_theme / self.read if self.read else 0.0

    def interval(self) -> tuple[float, float]:
        """95% Wilson interval of the share on theme."""
        return wilson(self.on_theme, self.read)


def readings(sheet: pd.DataFrame, current: Mapping[tuple[str, str], str | None]) -> list[Reading]:
    """Per intent of the sheet (in its order), the answers of items still assigned to it.

    Args:
        sheet: A sheet from :func:`read_sheet`.
        current: (source, external_id) -> the item's intent now (None: unassigned).

    Example:
        >>> sheet = pd.DataFrame({"intent_id": ["x", "x", "x", "x"], "source": "f",
        ...     "external_id": list("abcd"), "on_theme": ["y", "n", "?", "y"]})
        >>> readings(sheet, {("f", "a"): "x", ("f", "b"): "x", ("f", "c"): "x", ("f", "d"): "z"})
        [Reading(intent_id='x', read=2, on_theme=1, moved=1, unreadable=1, blank=0)]
    """
    counts: dict[str, dict[str, int]] = {}
    for row in sheet.itertuples(index=False):
        tally = counts.setdefault(str(row.intent_id), dict.fromkeys(_FIELDS, 0))
        try:
            said = answer(getattr(row, ANSWER))
        except ValueError:
            tally["unreadable"] += 1
            continue
        if said is None:
            tally["blank"] += 1
        elif current.get((str(row.source), str(row.external_id))) != row.intent_id:
            tally["moved"] += 1
        else:
            tally["read"] += 1
            tally["on_theme"] += int(said)
    return [Reading(intent_id=i, **tally) for i, tally in counts.items()]


def answered(sheet: pd.DataFrame) -> int:
    """How many rows hold an answer, readable or not (a sheet with any is not drawn over)."""
    return int((sheet[ANSWER].str.strip() != "").sum())


def current_intents(items: pd.DataFrame, month: str) -> dict[tuple[str, str], str | None]:
    """(source, external_id) -> intent now, for the month's items (None: unassigned)."""
    now = items[items["month"] == month]
    return {
        (str(source), str(external_id)): intent if isinstance(intent, str) else None
        for source, external_id, intent in zip(
            now["source"], now["external_id"], now["intent_id"], strict=True
        )
    }


def month_readings(folder: Path, month: str, items: pd.DataFrame) -> list[Reading]:
    """The readings of the month's sheet in ``folder``, against ``items``' intents now ([] if
    no sheet was drawn).

    Raises:
        VocmineError: The sheet exists but is not one (see :func:`read_sheet`).
    """
    path = sheet_path(folder, month)
    if not path.exists():
        return []
    return readings(read_sheet(path), current_intents(items, month))
