"""``taxonomy/proposals/YYYY-MM.yaml``: what discovery proposes, and what people decided.

The file is read by ``vocmine taxonomy accept`` and by the report, and edited by people (a
proposal's ``status``). Writing it again for the same month must not lose those decisions: a
proposal someone accepted or rejected keeps its status when the new run finds the same theme
(same suggested id, or at least half of its keywords in common), and a decided proposal that
the new run no longer finds is kept as it was, after the new ones. Only ``pending`` proposals
are replaced.

This is the one module that reads and writes the file: discovery writes it, ``vocmine taxonomy
accept``/``reject`` decide in it, and the report reads the pending proposals, all through the
types below (so the report needs no clustering code).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from vocmine import __version__
from vocmine.errors import InputError, TaxonomyError


@dataclass(frozen=True)
class Quote:
    """A representative redacted text of a theme."""

    text: str
    source: str
    date: str
    language: str


@dataclass
class Proposal:
    """One theme found in the period, as a proposed intent or as examples for an existing one.

    ``month`` is the month of the file it was read from (empty while discovery builds it).
    """

    key: str
    suggestion: str
    id: str
    name: str
    category: str
    keywords: list[str]
    size: int
    users: int
    growth: dict[str, int]
    nearest_intent: str
    nearest_similarity: float
    quotes: list[Quote]
    examples: dict[str, list[str]]
    status: str = "pending"
    month: str = ""
    problem: str = ""  # suggested problem statement (template-based; a person edits it)


@dataclass(frozen=True)
class Overlap:
    """Two intents whose items sit so close that they may be one intent."""

    intents: tuple[str, str]
    similarity: float
    note: str


@dataclass(frozen=True)
class Split:
    """An intent whose items form distinct groups (keywords and size of each)."""

    intent: str
    groups: list[tuple[list[str], int]]


@dataclass(frozen=True)
class NoiseBucket:
    """Feedback set aside because it carries no actionable theme (see vocmine.themes.noise).

    Counted and shown, never proposed as an intent: ``praise``, ``complaint_without_content``,
    ``no_content``, ``no_text``, ``unreadable_language``.
    """

    name: str
    description: str
    size: int
    users: int
    examples: list[str]


@dataclass
class Discovery:
    """Everything ``vocmine discover`` found for one month.

    ``candidates`` items were in the period's pool; ``buckets`` hold those set aside as noise
    and ``clustered`` those the clusterer saw (0 when an older caller does not say).
    """

    month: str
    model: str
    taxonomy_hash: str
    seed: int
    candidates: int
    proposals: list[Proposal]
    overlaps: list[Overlap] = field(default_factory=list)
    splits: list[Split] = field(default_factory=list)
    buckets: list[NoiseBucket] = field(default_factory=list)
    clustered: int = 0


STATUSES = ("pending", "accepted", "rejected")

HEADER = """\
Theme proposals for {month}, written by `{command}`.
Each proposal is a group of feedback items the taxonomy left unassigned (redacted texts).
  suggestion new_intent: a theme the taxonomy lacks; `id`, `name` and `examples` are a start.
  suggestion add_examples: close to `nearest_intent`; its examples could join that intent.
  name and problem: a readable name and a suggested problem statement, made from the theme's
  keywords and texts; `accept` uses them unless --name or --problem say otherwise.
  growth: items per month that fall in the theme (earlier months counted the same way).
buckets: feedback with no actionable theme (praise, complaints without content, no text, a
language the model cannot read), counted here and never proposed.
Decide by running `vocmine taxonomy accept` (see its --help) or by setting `status:` to
accepted or rejected. Re-running discover for this month keeps every decided status: a decided
proposal that the new run finds again (same id or half its keywords) keeps it, one it no longer
finds stays in the file unchanged. overlaps: intents to merge; splits: intents to divide.
"""


def proposals_path(taxonomy_root: Path, month: str) -> Path:
    """Where the proposals of ``month`` are written: ``<taxonomy>/proposals/<month>.yaml``.

    Raises:
        TaxonomyError: ``month`` is not of the form YYYY-MM.
    """
    if not re.fullmatch(r"\d{4}-\d{2}", month):
        raise TaxonomyError(f"month {month!r} is not YYYY-MM, e.g. 2026-10")
    return taxonomy_root / "proposals" / f"{month}.yaml"


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps people's comments when we read their file
    yaml.width = 4096  # one line per text: easier to review in a diff
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _flow(values: Sequence[Any]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _flow_map(values: Mapping[str, Any]) -> CommentedMap:
    out = CommentedMap((DoubleQuotedScalarString(k), v) for k, v in values.items())
    out.fa.set_flow_style()
    return out


def proposal_map(p: Proposal) -> CommentedMap:
    """One proposal as the YAML mapping of the contract (keys in the documented order)."""
    out = CommentedMap()
    out["key"] = p.key
    out["status"] = p.status
    out["suggestion"] = p.suggestion
    out["id"] = p.id
    out["name"] = p.name
    if p.problem:
        out["problem"] = p.problem
    out["category"] = p.category
    out["keywords"] = _flow(p.keywords)
    out["size"] = p.size
    out["users"] = p.users
    out["growth"] = _flow_map(p.growth)
    out["nearest_intent"] = p.nearest_intent
    out["nearest_similarity"] = p.nearest_similarity
    quotes = CommentedSeq()
    for q in p.quotes:
        quotes.append(
            CommentedMap(
                [("text", q.text), ("source", q.source), ("date", q.date), ("language", q.language)]
            )
        )
    out["quotes"] = quotes
    out["examples"] = CommentedMap((lang, list(texts)) for lang, texts in p.examples.items())
    return out


def read_proposals(path: Path) -> CommentedMap | None:
    """The proposals file as written (with people's edits), or None when there is none.

    Raises:
        InputError: The file is not valid YAML or not a proposals file.
    """
    if not path.exists():
        return None
    try:
        data = _yaml().load(path.read_text(encoding="utf-8"))
    except Exception as exc:  # ruamel raises many parser and scanner error types
        raise InputError(
            f"{path} is not valid YAML ({type(exc).__name__}); fix it or move it away, "
            "then re-run discover"
        ) from None
    if not isinstance(data, Mapping) or not isinstance(data.get("proposals", []), list):
        raise InputError(f"{path} is not a proposals file; move it away, then re-run discover")
    return data if isinstance(data, CommentedMap) else CommentedMap(data)


def _keyword_overlap(a: Sequence[str], b: Sequence[str]) -> float:
    if not a or not b:
        return 0.0
    return len(set(a) & set(b)) / min(len(set(a)), len(set(b)))


def carry_decisions(new: list[Proposal], old: CommentedMap | None) -> list[CommentedMap]:
    """Give new proposals the status people set on the same theme; return unmatched decisions.

    A decided proposal (status not pending) matches the first new proposal with the same
    ``id`` or at least half of its keywords in common; each is used once.
    """
    if old is None:
        return []
    decided = [
        p
        for p in old.get("proposals", [])
        if isinstance(p, Mapping) and p.get("status", "pending") != "pending"
    ]
    unmatched = []
    taken: set[int] = set()
    for entry in decided:
        for i, proposal in enumerate(new):
            if i in taken:
                continue
            if entry.get("id") == proposal.id or (
                _keyword_overlap(list(entry.get("keywords") or []), proposal.keywords) >= 0.5
            ):
                proposal.status = str(entry["status"])
                taken.add(i)
                break
        else:
            unmatched.append(entry if isinstance(entry, CommentedMap) else CommentedMap(entry))
    return unmatched


def render(found: Discovery, *, command: str, kept: Sequence[CommentedMap] = ()) -> str:
    """The YAML text of a discovery (plus decided proposals kept from an earlier run)."""
    doc = CommentedMap()
    doc["month"] = DoubleQuotedScalarString(found.month)
    doc["produced_by"] = _flow_map(
        {
            "vocmine": __version__,
            "model": found.model,
            "taxonomy_hash": found.taxonomy_hash,
            "seed": found.seed,
            "command": command,
        }
    )
    entries = [proposal_map(p) for p in found.proposals]
    for number, entry in enumerate(kept, start=len(entries) + 1):
        entry["key"] = f"P{number:02d}"
        entries.append(entry)
    doc["proposals"] = CommentedSeq(entries)
    doc["overlaps"] = CommentedSeq(
        CommentedMap(
            [("intents", _flow(list(o.intents))), ("similarity", o.similarity), ("note", o.note)]
        )
        for o in found.overlaps
    )
    doc["splits"] = CommentedSeq(
        CommentedMap(
            [
                ("intent", s.intent),
                (
                    "groups",
                    [CommentedMap([("keywords", _flow(k)), ("size", n)]) for k, n in s.groups],
                ),
            ]
        )
        for s in found.splits
    )
    doc["buckets"] = CommentedSeq(
        CommentedMap(
            [
                ("name", b.name),
                ("description", b.description),
                ("size", b.size),
                ("users", b.users),
                ("examples", list(b.examples)),
            ]
        )
        for b in found.buckets
    )
    doc["clustered"] = found.clustered
    doc.yaml_set_start_comment(HEADER.format(month=found.month, command=command))
    buffer = io.StringIO()
    _yaml().dump(doc, buffer)
    return buffer.getvalue()


def write_proposals(path: Path, found: Discovery, *, command: str) -> Path:
    """Write the proposals file, keeping the decisions people made in the existing one.

    The file is written to a temporary name and renamed, so an interrupted run leaves the
    previous file whole.

    Example:
        >>> import tempfile
        >>> path = proposals_path(Path(tempfile.mkdtemp()), "2026-10")
        >>> path.parent.mkdir()
        >>> _ = path.write_text("proposals: [{key: P01, status: accepted, id: app.x}, {key: P02}]")
        >>> found = Discovery("2026-10", "all-MiniLM-L6-v2", "", 42, candidates=0, proposals=[])
        >>> write_proposals(path, found, command="vocmine discover --month 2026-10") == path
        True
        >>> [(p["key"], p["status"]) for p in read_proposals(path)["proposals"]]  # P02 was pending
        [('P01', 'accepted')]
    """
    kept = carry_decisions(found.proposals, read_proposals(path))
    text = render(found, command=command, kept=kept)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
    return path


def pending_proposals(folder: Path, month: str) -> list[Proposal] | None:
    """Pending proposals of ``month`` and earlier months, newest month first; None: no folder.

    Raises:
        InputError: A proposals file is not valid YAML or not in the expected shape.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> for month, found in [("2026-09", "[{key: P01}, {key: P02, status: rejected}]"),
        ...                      ("2026-10", "[{key: P01}]"), ("2026-11", "[{key: P01}]")]:
        ...     _ = (folder / f"{month}.yaml").write_text(f"proposals: {found}")
        >>> [(p.month, p.key) for p in pending_proposals(folder, "2026-10")]
        [('2026-10', 'P01'), ('2026-09', 'P01')]
    """
    if not folder.is_dir():
        return None
    found: list[Proposal] = []
    for path in sorted(folder.glob("*.yaml"), reverse=True):
        if not re.fullmatch(r"\d{4}-\d{2}", path.stem) or path.stem > month:
            continue
        try:
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
            found += [
                from_map(path.stem, p)
                for p in data.get("proposals") or []
                if p.get("status", "pending") == "pending"
            ]
        except (YAMLError, AttributeError, TypeError, ValueError, KeyError) as exc:
            raise InputError(
                f"{path} is not a proposals file ({type(exc).__name__}: "
                f"{str(exc).strip().splitlines()[0]}); "
                "re-run 'vocmine discover' or move the file away"
            ) from None
    return found


def from_map(month: str, raw: Mapping[str, Any]) -> Proposal:
    """One proposal of the file of ``month`` as a :class:`Proposal` (missing fields: defaults)."""
    return Proposal(
        month=month,
        key=str(raw["key"]),
        status=str(raw.get("status", "pending")),
        suggestion=str(raw.get("suggestion", "new_intent")),
        id=str(raw.get("id", "")),
        name=str(raw.get("name", "")),
        problem=str(raw.get("problem") or ""),
        category=str(raw.get("category", "")),
        keywords=[str(k) for k in raw.get("keywords") or []],
        size=int(raw.get("size", 0)),
        users=int(raw.get("users", 0)),
        growth={str(k): int(v) for k, v in (raw.get("growth") or {}).items()},
        nearest_intent=str(raw.get("nearest_intent", "")),
        nearest_similarity=float(raw.get("nearest_similarity", 0.0)),
        quotes=[
            Quote(
                text=str(q.get("text", "")),
                source=str(q.get("source", "")),
                date=str(q.get("date", "")),
                language=str(q.get("language", "")),
            )
            for q in raw.get("quotes") or []
        ],
        examples={
            str(lang): [str(t) for t in texts or []]
            for lang, texts in (raw.get("examples") or {}).items()
        },
    )


def noise_buckets(folder: Path, month: str) -> list[NoiseBucket]:
    """The noise buckets discovery counted for ``month``; empty when it has not run (or is older).

    Raises:
        InputError: The proposals file is not valid YAML or not in the expected shape.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "2026-10.yaml").write_text("buckets: [{name: praise, size: 40}]")
        >>> [(b.name, b.size) for b in noise_buckets(folder, "2026-10")]
        [('praise', 40)]
        >>> noise_buckets(folder, "2026-09")  # discovery has not run for September
        []
    """
    path = folder / f"{month}.yaml"
    if not path.is_file():
        return []
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
        return [
            NoiseBucket(
                name=str(b["name"]),
                description=str(b.get("description", "")),
                size=int(b.get("size", 0)),
                users=int(b.get("users", 0)),
                examples=[str(t) for t in b.get("examples") or []],
            )
            for b in data.get("buckets") or []
        ]
    except (YAMLError, AttributeError, TypeError, ValueError, KeyError) as exc:
        raise InputError(
            f"{path} is not a proposals file ({type(exc).__name__}); "
            "re-run 'vocmine discover' or move the file away"
        ) from None
