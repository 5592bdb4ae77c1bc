"""The checks behind :func:`vocmine.taxonomy.model.validate_taxonomy`: per field, per file and
across files.

Each check adds one-line problems (file, intent, field, and how to fix it) to a :class:`Problems`
and returns what was valid, so that validation lists every problem, not only the first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from vocmine.taxonomy.schema import (
    CATEGORY_ID_RE,
    DEFAULT_RULE,
    DEFAULT_TYPE,
    INTENT_ID_RE,
    INTENT_TYPES,
    LANGUAGE_RE,
    MAX_NAME_LENGTH,
    TAXONOMY_FILE,
    Category,
    ExampleRule,
    Intent,
)

_HEADER_FIELDS = ("version", "name", "categories", "retired")
_CATEGORY_FIELDS = ("id", "name", "description")
_INTENT_FIELDS = (
    "id",
    "name",
    "category",
    "type",
    "problem",
    "description",
    "examples",
    "aliases",
    "owner",
)
# A new sentence starts after . ! or ? followed by a capital, except after these abbreviations.
_SENTENCE_BREAK_RE = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)[.!?]\s+[A-Z]")
# Examples ship to every user and live in git: they must not carry anyone's personal data.
_PERSONAL_DATA: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an email address", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    ("a phone number", re.compile(r"(?:\+|\b0)\d(?:[ .-]?\d){8,}")),
    ("an IBAN", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,}")),
)


@dataclass
class File:
    """One YAML file as read: its name relative to the root, how to show it, its parsed data."""

    rel: str
    shown: str
    data: Any = None
    ok: bool = False


class Problems:
    """Collects one-line problems so that validation reports all of them."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}")


# --- taxonomy.yaml -------------------------------------------------------------------------------


def check_header(
    file: File, problems: Problems
) -> tuple[tuple[str, str] | None, dict[str, Category] | None]:
    """Check taxonomy.yaml; returns ((version, name), categories), None for what is invalid."""
    data = file.data
    if not isinstance(data, dict):
        problems.add(file.shown, "expected 'version:', 'name:' and 'categories:' at the top level")
        return None, None
    where = file.shown
    _unknown_fields(data, _HEADER_FIELDS, where, problems)
    version = _text(data, "version", where, problems, fix='add e.g. version: "2026.11.1"')
    name = _text(data, "name", where, problems, fix="add a name for the taxonomy")
    meta = (version, name) if version is not None and name is not None else None
    raw = data.get("categories")
    if not isinstance(raw, list) or not raw:
        problems.add(
            where,
            "field 'categories' must be a non-empty list of {id, name, description}; "
            "declare every category used by an intent",
        )
        return meta, None
    categories: dict[str, Category] = {}
    for position, entry in enumerate(raw, start=1):
        category = _check_category(entry, position, file.shown, problems, _line(raw, position - 1))
        if category is None:
            continue
        if category.id in categories:
            problems.add(
                f"{file.shown}:{_line(raw, position - 1)}: category '{category.id}'",
                "is declared twice; keep one",
            )
        categories[category.id] = category
    return meta, categories


def _check_category(
    entry: Any, position: int, shown: str, problems: Problems, line: int
) -> Category | None:
    where = f"{shown}:{line}: category #{position}"
    if not isinstance(entry, dict):
        problems.add(where, "expected a mapping with 'id', 'name' and 'description'")
        return None
    raw_id = entry.get("id")
    if isinstance(raw_id, str) and raw_id:
        where = f"{shown}:{line}: category '{raw_id}'"
    _unknown_fields(entry, _CATEGORY_FIELDS, where, problems)
    category_id = _text(entry, "id", where, problems, fix="add a lowercase id such as 'cashout'")
    if category_id is not None and not CATEGORY_ID_RE.match(category_id):
        problems.add(
            where,
            "field 'id' must be lowercase snake_case starting with a letter (e.g. 'cashout')",
        )
        category_id = None
    name = _text(entry, "name", where, problems, fix="add a short English label for the report")
    description = _text(entry, "description", where, problems, fix="say what the category covers")
    if category_id is None:
        return None
    # Kept even when incomplete, so that its intents are not also reported as undeclared.
    return Category(id=category_id, name=name or "", description=description or "")


# --- intent files --------------------------------------------------------------------------------


def check_intent_file(
    file: File,
    categories: Mapping[str, Category] | None,
    problems: Problems,
    rule: ExampleRule = DEFAULT_RULE,
) -> Iterator[tuple[Intent, str]]:
    """Check one intent file; yield its valid intents in file order, each with its location."""
    data = file.data
    if not isinstance(data, dict) or "intents" not in data:
        problems.add(
            file.shown,
            "expected 'intents:' followed by a list of intents; see README.md in the taxonomy "
            "folder (other YAML files do not belong directly in it)",
        )
        return
    _unknown_fields(data, ("intents",), file.shown, problems)
    raw = data["intents"]
    if raw is None:
        return  # `intents:` with nothing under it: an empty category file, allowed.
    if not isinstance(raw, list):
        problems.add(f"{file.shown}:{_line(data, 'intents')}", "'intents' must be a list")
        return
    for position, entry in enumerate(raw, start=1):
        line = _line(raw, position - 1)
        intent = _check_intent(entry, position, file, categories, problems, line, rule)
        if intent is not None:
            yield intent, f"{file.shown}:{line}: intent '{intent.id}'"


def _check_intent(
    entry: Any,
    position: int,
    file: File,
    categories: Mapping[str, Category] | None,
    problems: Problems,
    line: int,
    rule: ExampleRule,
) -> Intent | None:
    """Check one intent's fields; returns None when any field is invalid."""
    where = f"{file.shown}:{line}: intent #{position}"
    if not isinstance(entry, dict):
        problems.add(where, "expected a mapping with 'id', 'name', 'category', ...")
        return None
    before = len(problems.lines)
    intent_id = _check_intent_id(entry, where, problems)
    if intent_id is not None:
        where = f"{file.shown}:{line}: intent '{intent_id}'"
    _unknown_fields(entry, _INTENT_FIELDS, where, problems)
    category = _check_intent_category(entry, intent_id, categories, where, problems)
    name = _text(entry, "name", where, problems, fix="add a short human label")
    if name is not None and len(name) > MAX_NAME_LENGTH:
        problems.add(
            where,
            f"field 'name' is {len(name)} characters long; keep the label to at most "
            f"{MAX_NAME_LENGTH} characters and put details in 'description'",
        )
    intent_type = _check_type(entry, where, problems)
    problem = _check_problem(entry, intent_type, where, problems)
    description = _text(
        entry, "description", where, problems, fix="say what belongs here and what does not"
    )
    examples = _check_examples(entry.get("examples"), where, problems, rule)
    aliases = _check_aliases(entry.get("aliases"), intent_id, where, problems)
    owner = _optional_text(entry, "owner", where, problems)
    if len(problems.lines) > before:
        return None
    assert intent_id and category and name and intent_type and description is not None
    return Intent(
        id=intent_id,
        name=name,
        category=category,
        type=intent_type,
        problem=problem or "",
        description=description,
        examples=MappingProxyType(examples),
        aliases=aliases,
        owner=owner,
        file=file.rel,
    )


def _check_intent_id(entry: Mapping[str, Any], where: str, problems: Problems) -> str | None:
    intent_id = _text(
        entry, "id", where, problems, fix="add an id '<category>.<snake_name>' that never changes"
    )
    if intent_id is not None and not INTENT_ID_RE.match(intent_id):
        problems.add(
            f"{where} ('{intent_id}')",
            "field 'id' must look like '<category>.<snake_name>' in lowercase "
            "(e.g. 'cashout.bank_transfer_delay')",
        )
        return None
    return intent_id


def _check_intent_category(
    entry: Mapping[str, Any],
    intent_id: str | None,
    categories: Mapping[str, Category] | None,
    where: str,
    problems: Problems,
) -> str | None:
    category = _text(entry, "category", where, problems, fix="add the id of its category")
    if category is None:
        return None
    if categories is not None and category not in categories:
        known = ", ".join(sorted(categories))
        problems.add(
            where,
            f"category '{category}' is not declared in {TAXONOMY_FILE} (known: {known}); "
            f"use one of them or declare it",
        )
        return None
    prefix = intent_id.split(".")[0] if intent_id else category
    if prefix != category:
        problems.add(
            where,
            f"field 'id' must start with its category '{category}.', not '{prefix}.'; "
            f"fix 'category' (an existing id never changes: retire it with 'aliases')",
        )
        return None
    return category


def _check_type(entry: Mapping[str, Any], where: str, problems: Problems) -> str | None:
    if entry.get("type") is None:
        return DEFAULT_TYPE
    value = entry["type"]
    if not isinstance(value, str) or value not in INTENT_TYPES:
        problems.add(
            where,
            f"field 'type' is {value!r}; use one of {', '.join(INTENT_TYPES)} "
            f"(or leave it out for '{DEFAULT_TYPE}')",
        )
        return None
    return value


def _check_problem(
    entry: Mapping[str, Any], intent_type: str | None, where: str, problems: Problems
) -> str | None:
    fix = "add a one-sentence problem statement for Product"
    if intent_type == "problem":
        problem = _text(entry, "problem", where, problems, fix=fix)
    else:
        problem = _optional_text(entry, "problem", where, problems)
    if problem is None:
        return None
    problem = " ".join(problem.split())
    if _SENTENCE_BREAK_RE.search(problem):
        problems.add(
            where,
            "field 'problem' has more than one sentence; keep one sentence for Product and "
            "move the rest to 'description'",
        )
    return problem


def _check_examples(
    raw: Any, where: str, problems: Problems, rule: ExampleRule
) -> dict[str, tuple[str, ...]]:
    """Check ``examples``: language code -> list of distinct, non-empty phrases."""
    shape = "must map language codes to lists of phrases (e.g. fr: [...], en: [...])"
    if raw is None:
        problems.add(where, f"field 'examples' is missing; it {shape}")
        return {}
    if not isinstance(raw, dict):
        problems.add(where, f"field 'examples' {shape}")
        return {}
    examples: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for lang, phrases in raw.items():
        if not isinstance(lang, str) or not LANGUAGE_RE.match(lang):
            problems.add(
                where, f"field 'examples': {lang!r} is not a language code like fr, en, de"
            )
            continue
        if not isinstance(phrases, list) or not phrases:
            problems.add(where, f"field 'examples': '{lang}' {shape}, with at least one phrase")
            continue
        kept: list[str] = []
        for phrase in phrases:
            text = _check_example(phrase, lang, seen, where, problems)
            if text is not None:
                kept.append(text)
        examples[str(lang)] = tuple(kept)
    total = sum(len(phrases) for phrases in examples.values())
    if total < rule.min_examples or len(examples) < rule.min_languages:
        languages = (
            f"in at least {rule.min_languages} languages" if rule.min_languages > 1 else "in all"
        )
        problems.add(
            where,
            f"field 'examples' has {total} phrase(s) in {len(examples)} language(s); "
            f"add at least {rule.min_examples} phrases {languages}",
        )
    for lang in rule.missing(examples):
        problems.add(
            where,
            f"field 'examples' has none in '{lang}' ({rule.share(lang)}); add a few phrases as "
            f"users write them in '{lang}' (vocmine taxonomy add-examples ID --lang {lang} ...)",
        )
    return examples


def _check_example(
    phrase: Any, lang: str, seen: dict[str, str], where: str, problems: Problems
) -> str | None:
    if not isinstance(phrase, str) or not phrase.strip():
        problems.add(where, f"field 'examples': '{lang}' has {phrase!r}; write text (quote it)")
        return None
    text = " ".join(phrase.split())
    key = text.casefold()
    if key in seen:
        problems.add(
            where,
            f"field 'examples': '{text}' ({lang}) duplicates an example in '{seen[key]}'; "
            f"remove one",
        )
        return None
    seen[key] = lang
    for what, pattern in _PERSONAL_DATA:
        if pattern.search(text):
            problems.add(
                where,
                f"field 'examples': '{text}' ({lang}) seems to contain {what}; "
                f"remove personal data from examples",
            )
            return None
    return text


def _check_aliases(
    raw: Any, intent_id: str | None, where: str, problems: Problems
) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add(where, "field 'aliases' must be a list of retired ids, e.g. [cashout.old_id]")
        return ()
    aliases: list[str] = []
    for alias in raw:
        if not isinstance(alias, str) or not INTENT_ID_RE.match(alias):
            problems.add(
                where,
                f"field 'aliases': {alias!r} is not an id like 'cashout.bank_transfer_delay'",
            )
        elif alias == intent_id:
            problems.add(where, f"field 'aliases': '{alias}' is the intent's own id; remove it")
        elif alias in aliases:
            problems.add(where, f"field 'aliases': '{alias}' is listed twice; remove one")
        else:
            aliases.append(str(alias))
    return tuple(aliases)


# --- checks across files -------------------------------------------------------------------------


def check_across(located: list[tuple[Intent, str]], problems: Problems) -> None:
    """Ids, aliases, names and examples must each point to one intent across all files."""
    by_id: dict[str, tuple[Intent, str]] = {}
    for intent, where in located:
        if intent.id in by_id:
            problems.add(
                where,
                f"id is also defined at {_place(by_id[intent.id][1])}; ids are unique: "
                f"give the new intent another id, or merge the two",
            )
        else:
            by_id[intent.id] = (intent, where)
    owners: dict[str, Intent] = {}
    names: dict[str, Intent] = {}
    for intent, where in located:
        for alias in intent.aliases:
            if alias in by_id:
                problems.add(
                    where,
                    f"field 'aliases': '{alias}' is the id of a current intent "
                    f"({_place(by_id[alias][1])}); an alias names a retired id: remove it, "
                    f"or retire that intent first",
                )
            elif owners.setdefault(alias, intent) is not intent:
                problems.add(
                    where,
                    f"field 'aliases': '{alias}' is also an alias of '{owners[alias].id}'; "
                    f"a retired id points to one intent only",
                )
        other = names.setdefault(intent.name.casefold(), intent)
        if other.id != intent.id:
            problems.add(
                where,
                f"field 'name' '{intent.name}' is also the name of '{other.id}'; "
                f"names label report rows and must be unique",
            )
    _check_shared_examples(located, problems)


def _check_shared_examples(located: list[tuple[Intent, str]], problems: Problems) -> None:
    """The same phrase under two intents teaches the model nothing but confusion."""
    first: dict[str, Intent] = {}
    for intent, where in located:
        for lang, text in intent.all_examples():
            other = first.setdefault(text.casefold(), intent)
            if other.id != intent.id:
                problems.add(
                    where,
                    f"field 'examples': '{text}' ({lang}) is also an example of '{other.id}' "
                    f"({other.file}); an example belongs to one intent only",
                )


def check_retired(header: File, located: list[tuple[Intent, str]], problems: Problems) -> None:
    """``retired:`` in taxonomy.yaml lists ids that must never be used again, not even as alias."""
    raw = header.data.get("retired") if isinstance(header.data, dict) else None
    if raw is None:
        return
    where = f"{header.shown}:{_line(header.data, 'retired')}"
    if not isinstance(raw, list):
        problems.add(where, "field 'retired' must be a list of ids, e.g. [app.old_theme]")
        return
    retired: set[str] = set()
    for value in raw:
        if not isinstance(value, str) or not INTENT_ID_RE.match(value):
            problems.add(where, f"field 'retired': {value!r} is not an id like 'app.old_theme'")
        elif value in retired:
            problems.add(where, f"field 'retired': '{value}' is listed twice; remove one")
        retired.add(str(value))
    for intent, at in located:
        for used in (intent.id, *intent.aliases):
            if used in retired:
                problems.add(
                    at,
                    f"'{used}' is a retired id ({TAXONOMY_FILE}, 'retired'); a retired id is "
                    f"never reused: choose a new id",
                )


def _place(where: str) -> str:
    """``taxonomy/a.yaml:3: intent 'x'`` -> ``taxonomy/a.yaml:3``."""
    return where.split(": ", 1)[0]


# --- small helpers -------------------------------------------------------------------------------


def _line(node: Any, key: Any = None) -> int:
    """1-based line of a round-trip node (or of one of its keys/items); 0 when unknown."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return 0
    try:
        if key is None:
            return int(lc.line) + 1
        position = lc.key(key) if isinstance(node, dict) else lc.item(key)
        return int(position[0]) + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return 0


def _text(
    data: Mapping[str, Any], key: str, where: str, problems: Problems, *, fix: str
) -> str | None:
    """A required, non-empty string field, whitespace-trimmed; None (and a problem) otherwise."""
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.add(where, f"field '{key}' is missing; {fix}")
        return None
    if not isinstance(value, str):
        problems.add(where, f"field '{key}' must be text, not {value!r}; quote it")
        return None
    return str(value).strip()


def _optional_text(data: Mapping[str, Any], key: str, where: str, problems: Problems) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add(where, f"field '{key}' must be text, not {value!r}; quote it")
        return None
    return str(value).strip() or None


def _unknown_fields(
    data: Mapping[Any, Any],
    known: tuple[str, ...],
    where: str,
    problems: Problems,
    *,
    line: int | None = None,
) -> None:
    """Typos such as ``exemples:`` would otherwise be silently ignored."""
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(known)}"
            at = f"{where}:{line}" if line else where
            problems.add(at, f"unknown field '{key}'; {hint}")
