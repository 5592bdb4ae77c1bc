"""The taxonomy: the intents feedback is assigned to, as a folder of reviewed YAML files.

A taxonomy folder holds ``taxonomy.yaml`` (version, name, categories) and any number of other
``*.yaml`` files directly inside it, each with an ``intents:`` list; by convention one file per
category. Subfolders (``proposals/``) and other files (``README.md``) are not read. The format is
described for the people who edit it in ``taxonomy/README.md``.

Every problem is reported on one line that names the file, the intent and the field, and says how
to fix it. :func:`validate_taxonomy` lists them all; :func:`load_taxonomy` raises the first one.
The checks are in :mod:`vocmine.taxonomy.checks`; the constants and the :class:`Category` and
:class:`Intent` records in :mod:`vocmine.taxonomy.schema`.

Example:
    >>> from vocmine.project import starter_taxonomy
    >>> taxonomy = load_taxonomy(starter_taxonomy())
    >>> taxonomy.intent("cashout.bank_transfer_delay").problem
    'Users who request a bank transfer ...'
"""

from __future__ import annotations

import difflib
import hashlib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from vocmine.errors import TaxonomyError
from vocmine.taxonomy.checks import (
    File,
    Problems,
    check_across,
    check_header,
    check_intent_file,
    check_retired,
)
from vocmine.taxonomy.schema import DEFAULT_RULE, TAXONOMY_FILE, Category, ExampleRule, Intent


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

        A merged, renamed or moved intent's old id lives on as an alias of the new one: after
        ``vocmine taxonomy merge app.freeze app.crash``, ``resolve("app.freeze")`` is 'app.crash'.

        Example:
            >>> from vocmine.project import starter_taxonomy
            >>> taxonomy = load_taxonomy(starter_taxonomy())  # no alias yet: nothing was merged
            >>> taxonomy.resolve("app.crash"), taxonomy.resolve("app.crashes")
            ('app.crash', None)
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


def load_taxonomy(root: Path, rule: ExampleRule = DEFAULT_RULE) -> Taxonomy:
    """Read and validate the taxonomy folder ``root``.

    Args:
        root: The taxonomy folder (the one holding ``taxonomy.yaml``).
        rule: How many examples an intent needs, and in which languages (by default 5 in any
            language; commands that know the stored feedback pass its languages).

    Returns:
        The taxonomy.

    Raises:
        TaxonomyError: The first problem found, on one line; :func:`validate_taxonomy` lists all.

    Example:
        >>> from vocmine.project import starter_taxonomy
        >>> load_taxonomy(starter_taxonomy()).name
        'Walking rewards app (starter)'
    """
    taxonomy, problems = _read(Path(root), rule)
    if problems:
        more = len(problems) - 1
        suffix = (
            f" (and {more} more problem{'s' if more > 1 else ''} in the taxonomy)" if more else ""
        )
        raise TaxonomyError(problems[0] + suffix)
    assert taxonomy is not None
    return taxonomy


def validate_taxonomy(root: Path, rule: ExampleRule = DEFAULT_RULE) -> list[str]:
    """Every problem in the taxonomy folder ``root``, one line each; empty when it is valid.

    ``rule`` as for :func:`load_taxonomy`.

    Example:
        >>> from vocmine.project import starter_taxonomy
        >>> validate_taxonomy(starter_taxonomy())
        []
    """
    return _read(Path(root), rule)[1]


# --- reading -------------------------------------------------------------------------------------


def _read(root: Path, rule: ExampleRule) -> tuple[Taxonomy | None, list[str]]:
    """Read, parse and check every file; the taxonomy is None when there is any problem."""
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "not found"
        return None, [f"taxonomy folder '{root}' {what}; run 'vocmine init' or pass --taxonomy"]
    problems = Problems()
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
    files: list[File] = []
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
    meta, categories = check_header(header, problems) if header else (None, None)
    located: list[tuple[Intent, str]] = []
    for file in files:
        if file.rel != TAXONOMY_FILE and file.ok:
            located.extend(check_intent_file(file, categories, problems, rule))
    check_across(located, problems)
    if header is not None:
        check_retired(header, located, problems)
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


# A command loads the taxonomy several times (an edit: before the change, after it, to check it
# and to assign), and ruamel's round-trip parser is pure Python: about 1 s for a drafted taxonomy
# of 40 intents with 60 examples each. A file's parse depends on its bytes alone, so each version
# of a file is parsed once per process (kept by content hash); the checks only read what it gives.
_PARSED: OrderedDict[bytes, Any] = OrderedDict()
_PARSED_MAX = 256  # files; a taxonomy has one per category


def _parse(root: Path, rel: str, raw: bytes, problems: Problems) -> File:
    """Parse one file in round-trip mode, so that line numbers (and later, comments) survive."""
    file = File(rel=rel, shown=_shown(root, rel))
    digest = hashlib.sha256(raw).digest()
    if digest in _PARSED:
        _PARSED.move_to_end(digest)
        file.data, file.ok = _PARSED[digest], True
        return file
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
    _PARSED[digest] = file.data
    if len(_PARSED) > _PARSED_MAX:
        _PARSED.popitem(last=False)
    return file
