"""Create categories and intents, and edit an intent's texts, from the command line.

Same path as every edit of :mod:`vocmine.taxonomy.edit`: changed in memory on a
:class:`~vocmine.taxonomy.edit.Workspace`, validated in a scratch copy, written with the comments
kept, recorded in ``CHANGELOG.md`` with a version bump.

Example:
    >>> import tempfile
    >>> from vocmine.project import init_project
    >>> root = init_project(Path(tempfile.mkdtemp())).created[1]  # taxonomy/: the starter, copied
    >>> phrases = ["I want team challenges", "let us compete as a team", "add team step contests",
    ...            "a leaderboard for my walking group", "challenge my friends' team"]
    >>> add_intent(root, "tracking.team_challenges", name="Team challenges",
    ...            problem="Users who walk with friends cannot compete as a team.",
    ...            examples=[("en", p) for p in phrases], reason="r",
    ...            today=date(2026, 11, 22), command="...").summary
    "added intent 'tracking.team_challenges' (5 examples: en)"
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from vocmine.errors import TaxonomyError
from vocmine.taxonomy.edit import (
    Edit,
    Workspace,
    append_entry,
    examples_node,
    folded,
    phrase_key,
)
from vocmine.taxonomy.schema import (
    CATEGORY_ID_RE,
    DEFAULT_RULE,
    INTENT_TYPES,
    TAXONOMY_FILE,
    ExampleRule,
)


def check_new_examples(
    rule: ExampleRule, examples: dict[str, list[str]], *, what: str, where: str
) -> None:
    """Refuse a new intent's examples that the rule would refuse, naming the language to add.

    ``what`` names the intent (``proposal P01``), ``where`` how to add phrases (a flag).
    """
    total = sum(len(t) for t in examples.values())
    missing = rule.missing(examples)
    if total >= rule.min_examples and len(examples) >= rule.min_languages and not missing:
        return
    langs = ", ".join(sorted(examples)) or "none"
    if missing:
        lang = missing[0]
        need = f"{rule.min_examples} examples, some in each main language of the feedback "
        need += f"({', '.join(rule.languages)}); '{lang}' is {rule.share(lang)}"
    else:
        lang = next(c for c in ("fr", "en", "de", "es") if c not in examples)
        need = f"{rule.min_examples} in {rule.min_languages} language(s)"
    raise TaxonomyError(
        f"{what} has {total} examples in {len(examples)} language(s) ({langs}); an intent needs "
        f"{need}: add some with {where.replace('LANG', lang)}, and re-run"
    )


def add_category(
    root: Path,
    category_id: str,
    *,
    name: str,
    description: str,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Declare a new category in taxonomy.yaml (its intents file is created with its first intent).

    Usage::

        add_category(root, "streaming", name="Streaming", description="Playback, casting",
                     reason="r", today=today, command=command).summary
        # -> "added category 'streaming' (Streaming)"
    """
    if not CATEGORY_ID_RE.match(category_id):
        raise TaxonomyError(
            f"'{category_id}' is not a category id; use lowercase snake_case, e.g. 'streaming'"
        )
    ws = Workspace(root, rule)
    categories = ws.header.get("categories")
    if category_id in {str(c.get("id")) for c in categories or []}:
        raise TaxonomyError(f"category '{category_id}' is already declared in {TAXONOMY_FILE}")
    entry = CommentedMap()
    entry["id"] = category_id
    entry["name"] = name
    entry["description"] = folded(description, indent=4)
    if categories is None:
        ws.header["categories"] = CommentedSeq()
        categories = ws.header["categories"]
    categories.append(entry)
    ws.touch(TAXONOMY_FILE)
    edit = Edit("add-category", f"added category '{category_id}' ({name})", reason)
    return ws.commit(edit, command=command, today=today)


def _changed(entry: Mapping[str, Any], given: Mapping[str, str]) -> list[str]:
    """The keys of ``given`` whose value differs from ``entry``'s (whitespace aside: folding a
    long text in YAML rewraps it, and that is no change)."""
    return [k for k, v in given.items() if str(entry.get(k) or "").split() != v.split()]


def edit_category(
    root: Path,
    category_id: str,
    *,
    name: str | None = None,
    description: str | None = None,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Change a category's name or description in taxonomy.yaml; its id (the prefix of its
    intents' ids) stays, so no assignment changes.

    Usage::

        edit_category(root, "download", name="Playback and downloads", reason="review",
                      today=today, command=command).summary
        # -> "edited category 'download': name"
    """
    given = {k: v for k, v in {"name": name, "description": description}.items() if v is not None}
    if not given:
        raise TaxonomyError("nothing to edit: pass --name and/or --description")
    ws = Workspace(root, rule)
    entry = next(
        (c for c in ws.header.get("categories") or [] if str(c.get("id")) == category_id), None
    )
    if entry is None:
        known = ", ".join(str(c.get("id")) for c in ws.header.get("categories") or [])
        raise TaxonomyError(
            f"no category '{category_id}' in {TAXONOMY_FILE}; the categories are: {known}"
        )
    changed = _changed(entry, given)
    for key in changed:
        entry[key] = folded(given[key], indent=4) if key == "description" else given[key]
    if not changed:
        raise TaxonomyError(f"nothing to edit: category '{category_id}' already says that")
    ws.touch(TAXONOMY_FILE)
    edit = Edit("edit-category", f"edited category '{category_id}': {', '.join(changed)}", reason)
    return ws.commit(edit, command=command, today=today)


def add_intent(
    root: Path,
    intent_id: str,
    *,
    name: str,
    problem: str | None,
    examples: Sequence[tuple[str, str]],
    intent_type: str = "problem",
    description: str | None = None,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Add an intent to its category's file (the category is the id's prefix).

    Raises:
        TaxonomyError: The id is taken or malformed, the category undeclared, the examples too
            few or missing a main language of the feedback, or a problem without --problem.
    """
    ws = Workspace(root, rule)
    ws.check_new_id(intent_id)
    category = intent_id.split(".")[0]
    file = ws.file_for_category(category)
    if intent_type not in INTENT_TYPES:
        raise TaxonomyError(f"--type {intent_type!r} is unknown; use {', '.join(INTENT_TYPES)}")
    if intent_type == "problem" and not (problem or "").strip():
        raise TaxonomyError(
            "a problem intent needs the one-sentence statement for Product: add "
            "--problem 'Users who ...' (or --type request|praise|other)"
        )
    grouped: dict[str, list[str]] = {}
    for lang, text in examples:
        grouped.setdefault(lang, []).append(text)
    check_new_examples(
        rule, grouped, what=f"intent '{intent_id}'", where="--example 'LANG:...' (repeatable)"
    )
    entry = CommentedMap()
    entry["id"] = intent_id
    entry["name"] = name
    entry["category"] = category
    entry["type"] = intent_type
    if problem:
        entry["problem"] = folded(problem)
    entry["description"] = folded(description or problem or name)
    entry["examples"] = examples_node(grouped)
    append_entry(ws.docs[file]["intents"], entry)
    ws.touch(file)
    count = sum(len(t) for t in grouped.values())
    summary = f"added intent '{intent_id}' ({count} examples: {', '.join(sorted(grouped))})"
    return ws.commit(Edit("add-intent", summary, reason), command=command, today=today)


def edit_intent(
    root: Path,
    intent_id: str,
    *,
    name: str | None = None,
    problem: str | None = None,
    description: str | None = None,
    intent_type: str | None = None,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Change an intent's name, problem statement, description or type; its id stays.

    Usage::

        edit_intent(root, "app.crash", problem="Users who ...", reason="clearer",
                    today=today, command=command).summary
        # -> "edited 'app.crash': problem"
    """
    fields = {"name": name, "problem": problem, "description": description, "type": intent_type}
    given = {key: value for key, value in fields.items() if value is not None}
    if not given:
        raise TaxonomyError("nothing to edit: pass --name, --problem, --description and/or --type")
    ws = Workspace(root, rule)
    file, _, entry = ws.locate(intent_id)
    changed = _changed(entry, given)
    for key in changed:
        value = given[key]
        if key in ("problem", "description"):
            entry[key] = folded(value)
        elif key == "type" and "type" not in entry:
            entry.insert(list(entry).index("category") + 1, "type", value)
        else:
            entry[key] = value
    if not changed:
        raise TaxonomyError(f"nothing to edit: '{intent_id}' already says that")
    ws.touch(file)
    edit = Edit("edit", f"edited '{intent_id}': {', '.join(changed)}", reason)
    return ws.commit(edit, command=command, today=today)


def remove_examples(
    root: Path,
    intent_id: str,
    phrases: Sequence[str],
    *,
    lang: str | None = None,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Take example phrases out of an intent (case and spacing aside), in ``lang`` or any.

    A drafted intent's examples come straight from a cluster, which may hold a text of another
    theme: the reviewer takes it out here rather than in the YAML. Every phrase must be one of
    the intent's examples, and the intent must keep enough (the example rule): else nothing
    changes.

    Usage::

        remove_examples(root, "app.crash", ["my phone is slow"], reason="not a crash",
                        today=today, command=command).summary
        # -> "removed 1 example from 'app.crash' (en)"
    """
    ws = Workspace(root, rule)
    file, _, entry = ws.locate(intent_id)
    examples = entry.get("examples") or {}
    if lang is not None and lang not in examples:
        have = ", ".join(sorted(examples)) or "none"
        raise TaxonomyError(f"'{intent_id}' has no '{lang}' examples (it has: {have})")
    wanted = {phrase_key(p): p for p in phrases if p.strip()}
    if not wanted:
        raise TaxonomyError("nothing to remove: give the example phrases to take out")
    found: set[str] = set()
    languages: set[str] = set()
    for code in [lang] if lang is not None else list(examples):
        texts = examples[code]
        for position in reversed(range(len(texts))):
            key = phrase_key(texts[position])
            if key in wanted:
                del texts[position]
                found.add(key)
                languages.add(str(code))
        if not texts:
            del examples[code]  # a language with no phrase left is no language of the intent
    missing = [wanted[key] for key in wanted if key not in found]
    if missing:
        where = f" in '{lang}'" if lang else ""
        raise TaxonomyError(
            f"nothing changed: {missing[0]!r} is not an example of '{intent_id}'{where}; "
            f"copy it from {root.name}/{file}"
        )
    ws.touch(file)
    removed = len(found)
    summary = (
        f"removed {removed} example{'s' if removed > 1 else ''} from '{intent_id}' "
        f"({', '.join(sorted(languages))})"
    )
    return ws.commit(Edit("remove-examples", summary, reason), command=command, today=today)
