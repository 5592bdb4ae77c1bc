"""Decide on the proposals of ``vocmine discover``: accept one, as a new intent or as examples
of an existing intent, or reject it.

A proposal is an entry of ``proposals/YYYY-MM.yaml`` in the taxonomy folder. Accepting edits the
taxonomy as every command of :mod:`vocmine.taxonomy.edit` does (validated in a scratch copy, then
written with a changelog entry) and marks the proposal ``accepted``; rejecting only marks it
``rejected`` and logs why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from vocmine.errors import TaxonomyError
from vocmine.taxonomy import changelog
from vocmine.taxonomy.create import check_new_examples
from vocmine.taxonomy.edit import (
    Edit,
    Workspace,
    add_phrases,
    append_entry,
    atomic_write,
    dump,
    examples_node,
    folded,
    yaml_rt,
)
from vocmine.taxonomy.model import load_taxonomy
from vocmine.taxonomy.proposals import proposals_path
from vocmine.taxonomy.schema import DEFAULT_RULE, ExampleRule


@dataclass(frozen=True)
class NewIntent:
    """What a reviewer adds to a proposal when accepting it as a new intent."""

    id: str | None = None
    name: str | None = None
    category: str | None = None
    type: str = "problem"
    problem: str | None = None
    description: str | None = None
    examples: tuple[tuple[str, str], ...] = ()  # (language, phrase) from --example fr:...
    into: str | None = None  # --into ID: fold the proposal's examples into this existing intent


def _load_proposal(root: Path, month: str, key: str) -> tuple[Path, Any, Any]:
    path = proposals_path(root, month)
    if not path.is_file():
        raise TaxonomyError(f"{path} not found; run 'vocmine discover --month {month}' first")
    doc = yaml_rt().load(path.read_text(encoding="utf-8"))
    return path, doc, _find_proposal(path, doc, key)


def _find_proposal(path: Path, doc: Any, key: str) -> Any:
    """The pending proposal ``key`` of a loaded proposals file."""
    for proposal in (doc or {}).get("proposals") or []:
        if str(proposal.get("key")) == key:
            status = str(proposal.get("status", "pending"))
            if status != "pending":
                raise TaxonomyError(
                    f"{path}: proposal {key} is already {status}; nothing to do "
                    "(edit its 'status' back to pending to decide again)"
                )
            return proposal
    keys = ", ".join(str(p.get("key")) for p in (doc or {}).get("proposals") or []) or "none"
    raise TaxonomyError(f"{path}: no proposal {key!r} (keys: {keys})")


def _proposal_examples(
    ws: Workspace, proposal: Any, extra: Sequence[tuple[str, str]]
) -> tuple[dict[str, list[str]], int]:
    """(language -> example phrases, how many of the proposal's own were skipped).

    Discovery picks a proposal's examples among items, so one may already be an example of an
    intent (the taxonomy refuses a phrase under two intents): it is skipped, not an error. A
    phrase the person gave with --example is kept, and the validation names any clash.
    """
    known = {
        text.casefold() for i in load_taxonomy(ws.root).intents for _, text in i.all_examples()
    }
    examples: dict[str, list[str]] = {}
    skipped = 0
    for lang, texts in (proposal.get("examples") or {}).items():
        for text in (str(t) for t in texts or []):
            if text.casefold() in known:
                skipped += 1
            else:
                examples.setdefault(str(lang), []).append(text)
    for lang, text in extra:
        examples.setdefault(lang, []).append(text)
    return {lang: texts for lang, texts in examples.items() if texts}, skipped


def _skipped_note(skipped: int) -> str:
    if not skipped:
        return ""
    return f" ({skipped} of its examples skipped: already examples of existing intents)"


def accept(
    root: Path,
    month: str,
    key: str,
    new: NewIntent,
    *,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Accept a proposal: a new intent, or its examples added to the nearest existing intent.

    With ``new.into`` the proposal's examples are folded into that existing intent whatever
    discovery suggested.

    Raises:
        TaxonomyError: The proposal is missing or decided, or the intent would be invalid (too few
            examples, none in a main language of the feedback, no problem statement...): the
            message names the flag that fixes it.

    Example:
        >>> import tempfile
        >>> from vocmine.project import init_project
        >>> root = init_project(Path(tempfile.mkdtemp())).created[1]  # the starter, copied
        >>> path = proposals_path(root, "2026-10")  # what discover writes, pared down
        >>> path.parent.mkdir()
        >>> _ = path.write_text(
        ...     "proposals: [{key: P01, id: tracking.team_challenges, name: Team challenges,"
        ...     " examples: {en: [I want team challenges, let us compete as a team,"
        ...     " add team step contests, a leaderboard for my walking group,"
        ...     " challenge my friends' team]}}]")
        >>> accept(root, "2026-10", "P01", NewIntent(problem="Users who ..."), reason="r",
        ...        today=date(2026, 11, 22), command="...").summary
        "accepted proposal P01 as new intent 'tracking.team_challenges'"
    """
    ws = Workspace(root, rule)
    path, doc, proposal = _load_proposal(root, month, key)
    if new.into is not None:
        if new.id is not None:
            raise TaxonomyError("--into adds to an existing intent; --id names a new one: not both")
        edit = _accept_examples(ws, proposal, new.into, new.examples, reason)
    elif str(proposal.get("suggestion")) == "add_examples" and new.id is None:
        target = str(proposal.get("nearest_intent"))
        edit = _accept_examples(ws, proposal, target, new.examples, reason)
    else:
        edit = _accept_new(ws, proposal, key, month, new, reason)
    proposal["status"] = "accepted"
    proposal["reason"] = reason
    ws.extra[path] = doc
    return ws.commit(edit, command=command, today=today)


def _accept_examples(
    ws: Workspace, proposal: Any, target: str, extra: Sequence[tuple[str, str]], reason: str
) -> Edit:
    file, _, entry = ws.locate(target)
    examples, skipped = _proposal_examples(ws, proposal, extra)
    added = sum(add_phrases(entry, lang, texts) for lang, texts in examples.items())
    ws.touch(file)
    proposal["intent"] = target
    noun = "example" if added == 1 else "examples"
    summary = f"added {added} {noun} of proposal to '{target}'" + _skipped_note(skipped)
    return Edit("accept", summary, reason)


def _accept_new(
    ws: Workspace, proposal: Any, key: str, month: str, new: NewIntent, reason: str
) -> Edit:
    suggested = str(proposal.get("id") or "")
    category = new.category or (new.id or suggested).split(".")[0]
    intent_id = new.id or f"{category}.{suggested.split('.', 1)[-1]}"
    ws.check_new_id(intent_id)
    if intent_id.split(".")[0] != category:
        raise TaxonomyError(f"--id '{intent_id}' must start with its category '{category}.'")
    file = ws.file_for_category(category)
    examples, skipped = _proposal_examples(ws, proposal, new.examples)
    check_new_examples(
        ws.rule,
        examples,
        what=f"proposal {key}",
        where=f"--example 'LANG:...' (repeatable), or under 'examples:' in proposals/{month}.yaml",
    )
    # Discovery suggests a problem statement; --problem replaces it.
    problem = new.problem or str(proposal.get("problem") or "")
    if new.type == "problem" and not problem:
        raise TaxonomyError(
            f"accepting {key} as a problem needs the one-sentence statement for Product: "
            "add --problem 'Users who ... ' (or --type request|praise|other)"
        )
    keywords = ", ".join(str(k) for k in (proposal.get("keywords") or [])[:6])
    nearest = proposal.get("nearest_intent")
    description = new.description or (
        f"Proposed by vocmine discover ({month}, {key}); keywords: {keywords}."
        + (f" Not here: the nearest existing intent ({nearest})." if nearest else "")
    )
    entry = CommentedMap()
    entry["id"] = intent_id
    entry["name"] = new.name or str(proposal.get("name") or intent_id)
    entry["category"] = category
    entry["type"] = new.type
    statement = new.problem or (problem if new.type == "problem" else "")
    if statement:
        entry["problem"] = folded(statement)
    entry["description"] = folded(description)
    entry["examples"] = examples_node(examples)
    append_entry(ws.docs[file]["intents"], entry)
    ws.touch(file)
    proposal["intent"] = intent_id
    summary = f"accepted proposal {key} as new intent '{intent_id}'" + _skipped_note(skipped)
    return Edit("accept", summary, reason)


def reject(
    root: Path,
    month: str,
    keys: str | Sequence[str],
    *,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Mark one or several proposals rejected (the taxonomy itself does not change).

    Every key is checked before anything is written: one unknown or decided key rejects none.

    Example:
        >>> import tempfile
        >>> from vocmine.project import init_project
        >>> root = init_project(Path(tempfile.mkdtemp())).created[1]  # the starter, copied
        >>> path = proposals_path(root, "2026-10")
        >>> path.parent.mkdir()
        >>> _ = path.write_text("proposals: [{key: P01}, {key: P02}, {key: P05}]")
        >>> reject(root, "2026-10", ["P02", "P05"], reason="one-off outage",
        ...        today=date(2026, 11, 22), command="...").summary
        'rejected proposals P02, P05 of 2026-10'
    """
    keys = [keys] if isinstance(keys, str) else list(dict.fromkeys(keys))
    if not keys:
        raise TaxonomyError("name at least one proposal key, e.g. P02")
    ws = Workspace(root, rule)
    path, doc, _ = _load_proposal(root, month, keys[0])
    for key in keys:
        proposal = _find_proposal(path, doc, key)
        proposal["status"] = "rejected"
        proposal["reason"] = reason
    atomic_write(path, dump(doc))
    noun = "proposal" if len(keys) == 1 else "proposals"
    edit = Edit("reject", f"rejected {noun} {', '.join(keys)} of {month}", reason)
    edit.version = (str(ws.header.get("version")),) * 2
    changelog.append(ws.root, edit, command=command, today=today)
    return edit
