"""The taxonomy: the intents feedback is assigned to, as a folder of reviewed YAML files.

A taxonomy folder holds ``taxonomy.yaml`` (version, name, categories) and any number of other
``*.yaml`` files directly inside it, each with an ``intents:`` list; by convention one file per
category. Subfolders (``proposals/``) and other files (``README.md``) are not read. The format is
described for the people who edit it in ``taxonomy/README.md``.

Every problem is reported on one line that names the file, the intent and the field, and says how
to fix it. :func:`validate_taxonomy` lists them all; :func:`load_taxonomy` raises the first one.

Example:
    >>> taxonomy = load_taxonomy(Path("taxonomy"))
    >>> taxonomy.intent("cashout.bank_transfer_delay").problem
    'Users who request a bank transfer ...'
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from vocmine.errors import TaxonomyError

TAXONOMY_FILE = "taxonomy.yaml"
INTENT_TYPES: tuple[str, ...] = ("problem", "request", "praise", "other")
DEFAULT_TYPE = "problem"
MIN_EXAMPLES = 5
MIN_LANGUAGES = 2
MAX_NAME_LENGTH = 60

INTENT_ID_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
CATEGORY_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# ISO 639-1/639-3 code, optionally with a region or script: fr, en, de, es, pt-BR, zh-Hant.
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

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


@dataclass(frozen=True)
class Category:
    """A group of intents, one section of the report.

    Attributes:
        id: Lowercase snake_case id, the prefix of its intents' ids (``cashout``).
        name: Short English label shown in the report (``Cash-out & payouts``).
        description: What the category covers, for editors.
    """

    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Intent:
    """One thing users say, with the problem statement Product reads.

    Attributes:
        id: Stable id ``<category>.<snake_name>``; it never changes meaning.
        name: Short human label.
        category: Id of its category (equal to the id's prefix).
        type: ``problem``, ``request``, ``praise`` or ``other``.
        problem: One-sentence problem statement for Product ("" when the type is not problem
            and none was written).
        description: What belongs to the intent and what does not.
        examples: Language code -> example phrases, in file order.
        aliases: Retired ids this intent absorbed (renames and merges).
        owner: Team or person responsible, if stated.
        file: Path of the YAML file relative to the taxonomy root (``cashout.yaml``).
    """

    id: str
    name: str
    category: str
    type: str
    problem: str
    description: str
    examples: Mapping[str, tuple[str, ...]]
    aliases: tuple[str, ...]
    owner: str | None
    file: str

    def all_examples(self) -> list[tuple[str, str]]:
        """Every example as ``(language, text)``, sorted by language then file order.

        Example:
            >>> intent.all_examples()[:2]
            [('de', 'Überweisung seit 2 Wochen nicht da'), ('de', '...')]
        """
        return [(lang, text) for lang in sorted(self.examples) for text in self.examples[lang]]


@dataclass(frozen=True)
class Taxonomy:
    """A loaded, valid taxonomy.

    Attributes:
        root: The folder it was read from.
        version: Free version string from ``taxonomy.yaml``.
        name: Name from ``taxonomy.yaml``.
        categories: Category id -> category, in declaration order.
        intents: Every intent, ordered by file name then position in the file.
        hash: sha256 of every file read (paths and bytes); any edit changes it.
        retired: Ids of retired intents (``retired:`` in taxonomy.yaml), reserved forever.
    """

    root: Path
    version: str
    name: str
    categories: Mapping[str, Category]
    intents: tuple[Intent, ...]
    hash: str
    retired: tuple[str, ...] = ()
    _index: Mapping[str, Intent] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {alias: intent for intent in self.intents for alias in intent.aliases}
        index.update({intent.id: intent for intent in self.intents})
        object.__setattr__(self, "_index", MappingProxyType(index))

    def resolve(self, intent_id: str) -> str | None:
        """Map an id or a retired alias to the current id; None if the taxonomy does not know it.

        Example:
            >>> taxonomy.resolve("cashout.payout_delay")  # listed in bank_transfer_delay's aliases
            'cashout.bank_transfer_delay'
        """
        intent = self._index.get(intent_id)
        return intent.id if intent is not None else None

    def intent(self, intent_id: str) -> Intent:
        """The intent with this id or alias.

        Raises:
            TaxonomyError: Neither an id nor an alias of this taxonomy.
        """
        intent = self._index.get(intent_id)
        if intent is not None:
            return intent
        close = difflib.get_close_matches(intent_id, [i.id for i in self.intents], n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"see the ids in {self.root}/*.yaml"
        raise TaxonomyError(
            f"intent '{intent_id}' is not in taxonomy '{self.name}' {self.version} "
            f"(neither an id nor an alias); {hint}"
        )

    def by_category(self) -> dict[str, list[Intent]]:
        """Category id -> its intents, categories in declaration order (empty ones included)."""
        groups: dict[str, list[Intent]] = {category: [] for category in self.categories}
        for intent in self.intents:
            groups[intent.category].append(intent)
        return groups


def load_taxonomy(root: Path) -> Taxonomy:
    """Read and validate the taxonomy folder ``root``.

    Args:
        root: The taxonomy folder (the one holding ``taxonomy.yaml``).

    Returns:
        The taxonomy.

    Raises:
        TaxonomyError: The first problem found, on one line; :func:`validate_taxonomy` lists all.

    Example:
        >>> load_taxonomy(Path("taxonomy")).version
        '2026.11.1'
    """
    taxonomy, problems = _read(Path(root))
    if problems:
        more = len(problems) - 1
        suffix = (
            f" (and {more} more problem{'s' if more > 1 else ''} in the taxonomy)" if more else ""
        )
        raise TaxonomyError(problems[0] + suffix)
    assert taxonomy is not None
    return taxonomy


def validate_taxonomy(root: Path) -> list[str]:
    """Every problem in the taxonomy folder ``root``, one line each; empty when it is valid.

    Example:
        >>> validate_taxonomy(Path("taxonomy"))
        []
    """
    return _read(Path(root))[1]


# --- reading -------------------------------------------------------------------------------------


@dataclass
class _File:
    """One YAML file as read: its name relative to the root, how to show it, its parsed data."""

    rel: str
    shown: str
    data: Any = None
    ok: bool = False


class _Problems:
    """Collects one-line problems so that validation reports all of them."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{where}: {message}")


def _read(root: Path) -> tuple[Taxonomy | None, list[str]]:
    """Read, parse and check every file; the taxonomy is None when there is any problem."""
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "not found"
        return None, [f"taxonomy folder '{root}' {what}; run 'vocmine init' or pass --taxonomy"]
    problems = _Problems()
    header_path = root / TAXONOMY_FILE
    if not header_path.is_file():
        problems.add(
            _shown(root, TAXONOMY_FILE),
            "not found; every taxonomy folder needs one declaring version, name and categories "
            "(run 'vocmine init' for a starter)",
        )
        return None, problems.lines
    for stray in sorted(p for p in root.glob("*.yml") if not p.name.startswith(".")):
        problems.add(_shown(root, stray.name), f"is not read; rename it to {stray.stem}.yaml")

    names = [TAXONOMY_FILE] + [p.name for p in _intent_paths(root)]
    hasher = hashlib.sha256()
    files: list[_File] = []
    for name in sorted(names):
        try:
            raw = (root / name).read_bytes()
        except OSError as exc:
            problems.add(
                _shown(root, name), f"cannot be read ({exc.strerror}); check its permissions"
            )
            continue
        for part in (name.encode(), raw):
            hasher.update(len(part).to_bytes(8, "big") + part)
        files.append(_parse(root, name, raw, problems))

    header = next((f for f in files if f.rel == TAXONOMY_FILE and f.ok), None)
    meta, categories = _check_header(header, problems) if header else (None, None)
    located: list[tuple[Intent, str]] = []
    for file in files:
        if file.rel != TAXONOMY_FILE and file.ok:
            located.extend(_check_intent_file(file, categories, problems))
    _check_across(located, problems)
    if header is not None:
        _check_retired(header, located, problems)
    if problems.lines or meta is None or categories is None:
        return None, problems.lines
    taxonomy = Taxonomy(
        root=root,
        version=meta[0],
        name=meta[1],
        categories=MappingProxyType(categories),
        intents=tuple(intent for intent, _ in located),
        hash=hasher.hexdigest(),
        retired=tuple(str(i) for i in header.data.get("retired") or []) if header else (),
    )
    return taxonomy, []


def _intent_paths(root: Path) -> list[Path]:
    """The intent files: ``*.yaml`` directly in root, except taxonomy.yaml and hidden files."""
    return sorted(
        path
        for path in root.glob("*.yaml")
        if path.is_file() and path.name != TAXONOMY_FILE and not path.name.startswith(".")
    )


def _shown(root: Path, rel: str) -> str:
    """The file as the user named it: ``taxonomy/cashout.yaml`` when root was ``taxonomy``."""
    return (root / rel).as_posix()


def _parse(root: Path, rel: str, raw: bytes, problems: _Problems) -> _File:
    """Parse one file in round-trip mode, so that line numbers (and later, comments) survive."""
    file = _File(rel=rel, shown=_shown(root, rel))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(f"{file.shown}:{line}", "is not UTF-8; save it as UTF-8")
        return file
    try:
        file.data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{file.shown}:{mark.line + 1}" if mark is not None else file.shown
        what = " ".join(str(exc.problem or exc.context or "syntax error").split())
        problems.add(
            where,
            f"invalid YAML: {what}; check the indentation and quote text that contains ': ' or '#'",
        )
        return file
    except YAMLError as exc:
        problems.add(file.shown, f"invalid YAML: {' '.join(str(exc).split())}; fix the syntax")
        return file
    file.ok = True
    return file


# --- taxonomy.yaml -------------------------------------------------------------------------------


def _check_header(
    file: _File, problems: _Problems
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
    entry: Any, position: int, shown: str, problems: _Problems, line: int
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


def _check_intent_file(
    file: _File, categories: Mapping[str, Category] | None, problems: _Problems
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
        intent = _check_intent(entry, position, file, categories, problems, line)
        if intent is not None:
            yield intent, f"{file.shown}:{line}: intent '{intent.id}'"


def _check_intent(
    entry: Any,
    position: int,
    file: _File,
    categories: Mapping[str, Category] | None,
    problems: _Problems,
    line: int,
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
    examples = _check_examples(entry.get("examples"), where, problems)
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


def _check_intent_id(entry: Mapping[str, Any], where: str, problems: _Problems) -> str | None:
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
    problems: _Problems,
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


def _check_type(entry: Mapping[str, Any], where: str, problems: _Problems) -> str | None:
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
    entry: Mapping[str, Any], intent_type: str | None, where: str, problems: _Problems
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


def _check_examples(raw: Any, where: str, problems: _Problems) -> dict[str, tuple[str, ...]]:
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
    if total < MIN_EXAMPLES or len(examples) < MIN_LANGUAGES:
        problems.add(
            where,
            f"field 'examples' has {total} phrase(s) in {len(examples)} language(s); "
            f"add at least {MIN_EXAMPLES} phrases in at least {MIN_LANGUAGES} languages",
        )
    return examples


def _check_example(
    phrase: Any, lang: str, seen: dict[str, str], where: str, problems: _Problems
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
    raw: Any, intent_id: str | None, where: str, problems: _Problems
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


def _check_across(located: list[tuple[Intent, str]], problems: _Problems) -> None:
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


def _check_shared_examples(located: list[tuple[Intent, str]], problems: _Problems) -> None:
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


def _check_retired(header: _File, located: list[tuple[Intent, str]], problems: _Problems) -> None:
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
    data: Mapping[str, Any], key: str, where: str, problems: _Problems, *, fix: str
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


def _optional_text(
    data: Mapping[str, Any], key: str, where: str, problems: _Problems
) -> str | None:
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
    problems: _Problems,
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
