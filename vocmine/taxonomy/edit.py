"""Edit the taxonomy folder in place: merge, rename, move, retire, add examples.

Every edit follows the same path: the YAML files are loaded round-trip (ruamel.yaml keeps comments,
key order and quoting), changed in memory, written to a scratch copy of the folder and validated
there with :func:`vocmine.taxonomy.model.validate_taxonomy`. Only a valid result is written back,
file by file through a temporary name and an atomic rename, and the change is then appended to
``CHANGELOG.md`` in the folder (see :mod:`vocmine.taxonomy.changelog`). An invalid result raises
:class:`~vocmine.errors.TaxonomyError` and leaves every file as it was.

Ids never change meaning: a merged, renamed or moved intent's old id becomes an alias of the new
one, and a retired id is listed under ``retired:`` in ``taxonomy.yaml`` so that it is never
reused. Accepting or rejecting the proposals of ``vocmine discover`` is in
:mod:`vocmine.taxonomy.decide`, on the same :class:`Workspace`.

Example:
    >>> from vocmine.project import init_project
    >>> root = init_project(Path(tempfile.mkdtemp())).created[1]  # taxonomy/: the starter, copied
    >>> edit = merge(root, "ads.rewarded_ad_failure", "ads.too_many_ads", reason="one theme",
    ...              today=date(2026, 11, 22), command="vocmine taxonomy merge ...")
    >>> edit.summary
    "merged 'ads.rewarded_ad_failure' into 'ads.too_many_ads' (... is now an alias)"
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import tempfile
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString
from ruamel.yaml.tokens import CommentToken

from vocmine.errors import TaxonomyError
from vocmine.taxonomy import changelog, state
from vocmine.taxonomy.model import Taxonomy, load_taxonomy, validate_taxonomy
from vocmine.taxonomy.schema import (
    CATEGORY_ID_RE,
    DEFAULT_RULE,
    INTENT_ID_RE,
    LANGUAGE_RE,
    TAXONOMY_FILE,
    ExampleRule,
)

_FOLD_WIDTH = 96  # the shipped files fold problem and description at about this width
_VERSION_RE = re.compile(r"^(\d{4})\.(\d{1,2})\.(\d+)$")


@dataclass
class Edit:
    """What one command changed, for the changelog and for the person who ran it.

    Attributes:
        action: the command: ``accept``, ``merge``, ``retire``, ``add-examples``,
            ``remove-examples``...
        summary: One line saying what changed.
        reason: Why, as given with ``--reason``.
        files: Files written, relative to the taxonomy folder.
        version: (old, new) taxonomy version, equal when it was not bumped.
    """

    action: str
    summary: str
    reason: str
    files: list[str] = field(default_factory=list)
    version: tuple[str, str] = ("", "")


def yaml_rt() -> YAML:
    """The round-trip YAML settings that reproduce the shipped files byte for byte."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a long example phrase
    return yaml


def dump(data: Any) -> str:
    """Serialise a round-trip document as the shipped files are written."""
    stream = io.StringIO()
    yaml_rt().dump(data, stream)
    return stream.getvalue()


# --- the workspace: every file of the folder, loaded once ----------------------------------------


class Workspace:
    """The taxonomy folder's YAML documents, edited in memory and written back only when valid.

    Example:
        >>> from vocmine.project import starter_taxonomy
        >>> ws = Workspace(starter_taxonomy())
        >>> ws.intent("ads.too_many_ads")["name"]
        'Too many ads'
    """

    def __init__(self, root: Path, rule: ExampleRule = DEFAULT_RULE) -> None:
        self.root = Path(root)
        self.rule = rule
        # The languages of the stored feedback are checked on what an edit changes only (see
        # _check_languages): data that moved on must not block every edit.
        self.base_rule = replace(rule, languages=())
        self.before = load_taxonomy(self.root, self.base_rule)  # refuse an already invalid folder
        self.docs: dict[str, Any] = {}
        for path in sorted(self.root.glob("*.yaml")):
            if path.is_file() and not path.name.startswith("."):
                self.docs[path.name] = yaml_rt().load(path.read_text(encoding="utf-8-sig"))
        self.changed: set[str] = set()
        self.extra: dict[Path, Any] = {}  # files outside the taxonomy proper (proposals)

    @property
    def header(self) -> Any:
        """The parsed taxonomy.yaml."""
        return self.docs[TAXONOMY_FILE]

    def intent_files(self) -> Iterator[tuple[str, Any]]:
        """(file name, its ``intents`` list) for every intent file, in name order."""
        for name, doc in self.docs.items():
            if name != TAXONOMY_FILE:
                if doc.get("intents") is None:
                    doc["intents"] = CommentedSeq()
                yield name, doc["intents"]

    def locate(self, intent_id: str) -> tuple[str, int, Any]:
        """(file name, position, entry) of a current intent.

        Raises:
            TaxonomyError: The id is an alias, a retired id or unknown, with what to use instead.
        """
        for name, entries in self.intent_files():
            for position, entry in enumerate(entries):
                if entry.get("id") == intent_id:
                    return name, position, entry
        for _, entries in self.intent_files():
            for entry in entries:
                if intent_id in (entry.get("aliases") or []):
                    raise TaxonomyError(
                        f"'{intent_id}' is a former id, now an alias of '{entry['id']}'; "
                        f"use '{entry['id']}'"
                    )
        if intent_id in self.retired():
            raise TaxonomyError(f"'{intent_id}' is retired; it cannot be edited or reused")
        ids = [str(e.get("id")) for _, entries in self.intent_files() for e in entries]
        close = difflib.get_close_matches(intent_id, ids, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"see the ids in {self.root}/*.yaml"
        raise TaxonomyError(f"intent '{intent_id}' is not in {self.root}; {hint}")

    def intent(self, intent_id: str) -> Any:
        """The entry (a round-trip mapping) of a current intent."""
        return self.locate(intent_id)[2]

    def touch(self, name: str) -> None:
        """Mark a file as changed."""
        self.changed.add(name)

    def retired(self) -> list[str]:
        """Ids listed under ``retired:`` in taxonomy.yaml."""
        return [str(i) for i in self.header.get("retired") or []]

    def reserved(self) -> set[str]:
        """Every id that exists or existed: current ids, aliases and retired ids."""
        ids = set(self.retired())
        for _, entries in self.intent_files():
            for entry in entries:
                ids.add(str(entry.get("id")))
                ids.update(str(a) for a in entry.get("aliases") or [])
        return ids

    def check_new_id(self, intent_id: str) -> None:
        """A new id must be well formed and never have been used."""
        if not INTENT_ID_RE.match(intent_id):
            raise TaxonomyError(
                f"'{intent_id}' is not a valid id; use '<category>.<snake_name>' in lowercase, "
                "e.g. --id tracking.team_challenges"
            )
        if intent_id in self.reserved():
            raise TaxonomyError(
                f"id '{intent_id}' is already used (by an intent, an alias or a retired intent) "
                "and ids never change meaning; choose another with --id"
            )

    def file_for_category(self, category: str) -> str:
        """The file holding a category's intents: where its first intent is, else CATEGORY.yaml."""
        if category not in {str(c.get("id")) for c in self.header.get("categories") or []}:
            known = ", ".join(str(c.get("id")) for c in self.header.get("categories") or [])
            raise TaxonomyError(
                f"category '{category}' is not declared in {TAXONOMY_FILE} (known: {known}); "
                "declare it there first or choose one of them"
            )
        for name, entries in self.intent_files():
            if any(entry.get("category") == category for entry in entries):
                return name
        name = f"{category}.yaml"
        if name not in self.docs:
            doc = CommentedMap()
            doc["intents"] = CommentedSeq()
            doc.yaml_set_start_comment(
                f"Intents of the category `{category}`, declared in taxonomy.yaml.\n"
                "Full reference: README.md in this folder."
            )
            self.docs[name] = doc
        return name

    def bump_version(self, today: date) -> tuple[str, str]:
        """Bump a ``YYYY.MM.N`` version: N+1 within the month, else this month's ``.1``."""
        old = str(self.header.get("version", ""))
        match = _VERSION_RE.match(old)
        if match is None:
            return old, old  # a free-form version is the editors' to manage
        year, month, n = (int(g) for g in match.groups())
        new_n = n + 1 if (year, month) == (today.year, today.month) else 1
        new = f"{today.year}.{today.month:02d}.{new_n}"
        self.header["version"] = DoubleQuotedScalarString(new)
        self.touch(TAXONOMY_FILE)
        return old, new

    def commit(self, edit: Edit, *, command: str, today: date) -> Edit:
        """Validate the changed folder in a scratch copy, then write it and the changelog entry.

        Raises:
            TaxonomyError: The result would be invalid; nothing is written.
        """
        edit.version = self.bump_version(today)
        for name in self.changed:
            if name != TAXONOMY_FILE:
                settle_empty_list(self.docs[name])
        texts = {name: dump(self.docs[name]) for name in sorted(self.changed)}
        self._validate(texts)
        for name, text in texts.items():
            atomic_write(self.root / name, text)
        for path, data in self.extra.items():
            atomic_write(path, dump(data))
        edit.files = sorted(texts)
        changelog.append(self.root, edit, command=command, today=today)
        state.record(self.root, load_taxonomy(self.root, self.base_rule))
        return edit

    def _check_languages(self, after: Taxonomy) -> None:
        """An edit may not leave a new or changed intent without examples in a language that
        makes up a real share of the stored feedback, unless it already had none before."""
        old = {intent.id: intent for intent in self.before.intents}
        for intent in after.intents:
            previous = old.get(intent.id)
            if previous is not None and state.intent_digest(previous) == state.intent_digest(
                intent
            ):
                continue
            missing = self.rule.missing(intent.examples)
            if previous is not None:
                missing = [m for m in missing if m not in self.rule.missing(previous.examples)]
            if missing:
                lang = missing[0]
                raise TaxonomyError(
                    f"nothing changed: intent '{intent.id}' would have no example in '{lang}' "
                    f"({self.rule.share(lang)}); give it some with --example '{lang}:...' "
                    f"(or 'vocmine taxonomy add-examples {intent.id} --lang {lang} ...' first)"
                )

    def _validate(self, texts: dict[str, str]) -> None:
        with tempfile.TemporaryDirectory(prefix="vocmine-taxonomy-") as scratch:
            copy = Path(scratch) / self.root.name
            copy.mkdir()
            for path in self.root.glob("*.yaml"):
                if path.is_file():
                    shutil.copy2(path, copy / path.name)
            for name, text in texts.items():
                (copy / name).write_text(text, encoding="utf-8")
            problems = validate_taxonomy(copy, self.base_rule)
            if not problems:
                self._check_languages(load_taxonomy(copy, self.base_rule))
        if problems:
            first = problems[0].replace(copy.as_posix(), self.root.as_posix())
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise TaxonomyError(f"nothing changed: the result would be invalid: {first}{more}")


def atomic_write(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a file is never left half-written."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- comments around a removed entry -------------------------------------------------------------


def _tail(node: Any) -> tuple[Any, Any]:
    """(container, key) of the last scalar of a nested node: where ruamel keeps the comment that
    follows it (the blank line and comments before the next intent)."""
    while True:
        if isinstance(node, CommentedMap) and node:
            key: Any = list(node)[-1]
        elif isinstance(node, CommentedSeq) and node:
            key = len(node) - 1
        else:
            return node, None
        value = node[key]
        if isinstance(value, CommentedMap | CommentedSeq) and value:
            node = value
            continue
        return node, key


def _take_tail_comment(node: Any) -> Any:
    """Detach and return the comment after a node's last scalar (None when there is none)."""
    container, key = _tail(node)
    if key is None:
        return None
    slots = container.ca.items.pop(key, None)
    if not slots:
        return None
    return slots[0] if isinstance(container, CommentedSeq) else slots[2]


def _put_tail_comment(node: Any, token: Any) -> None:
    """Attach ``token`` (from :func:`_take_tail_comment`) after a node's last scalar."""
    container, key = _tail(node)
    if key is None or token is None:
        return
    if isinstance(container, CommentedSeq):
        container.ca.items[key] = [token, None]
    else:
        container.ca.items[key] = [None, None, token, None]


def _blank_line() -> CommentToken:
    return CommentToken("\n\n", CommentMark(0), None)


def _remove_entry(entries: Any, position: int) -> Any:
    """Remove an intent from its list, handing the comment that followed it to the entry before,
    so that comments written above the next intent stay where they were."""
    entry = entries[position]
    trailing = _take_tail_comment(entry)
    del entries[position]
    if position > 0:
        _take_tail_comment(entries[position - 1])
        _put_tail_comment(entries[position - 1], trailing)
    elif trailing is not None and len(entries) and trailing.value.strip():
        # The first intent went: what was written above the second one now heads the list.
        leading = entries.ca.comment
        text = trailing.value.lstrip("\n")
        token = CommentToken(text, CommentMark(trailing.column or 0), None)
        if leading and leading[1]:
            leading[1].append(token)
        else:
            entries.ca.comment = [None, [token]]
    return entry


def settle_empty_list(doc: Any) -> None:
    """An emptied ``intents:`` list is written ``intents: []``, its head comment moved above.

    ruamel writes an empty block list that carries a head comment as the comment followed by
    ``[]`` at column 0, which is not valid YAML (retiring, merging or moving the last intent of a
    file whose list starts with a comment hit it). The comment is kept, above the key.
    """
    entries = doc.get("intents") if isinstance(doc, CommentedMap) else None
    if not isinstance(entries, CommentedSeq) or len(entries):
        return
    head = entries.ca.comment
    tokens = [t for t in (head[1] or []) if t is not None] if head and len(head) > 1 else []
    for token in (doc.ca.items.get("intents") or [None] * 4)[3] or []:
        if token is not None and all(token is not t for t in tokens):
            tokens.append(token)
    entries.ca.comment = None
    doc.ca.items.pop("intents", None)
    entries.fa.set_flow_style()
    lines = []
    for line in "".join(str(t.value) for t in tokens).splitlines():
        if line.strip().startswith("#"):
            lines.append(line.strip()[1:].removeprefix(" "))
    if lines:
        doc.yaml_set_comment_before_after_key("intents", before="\n".join(lines))


def append_entry(entries: Any, entry: CommentedMap) -> None:
    """Append an intent after a blank line, as the shipped files separate intents."""
    entries.fa.set_block_style()  # a list written ``intents: []`` grows as a block again
    _take_tail_comment(entry)  # a moved intent's old neighbourhood comment does not follow it
    if len(entries):
        last = entries[-1]
        token = _take_tail_comment(last)
        _put_tail_comment(last, token if token is not None else _blank_line())
    entries.append(entry)


def folded(text: str, indent: int = 6) -> FoldedScalarString:
    """A ``>-`` block folded near the width of the shipped files."""
    text = " ".join(text.split())
    scalar = FoldedScalarString(text)
    lines = textwrap.wrap(text, width=_FOLD_WIDTH - indent, break_long_words=False)
    positions, offset = [], 0
    for line in lines[:-1]:
        offset += len(line)
        positions.append(offset)  # the space after this line
        offset += 1
    scalar.fold_pos = positions
    return scalar


def examples_node(examples: dict[str, list[str]]) -> CommentedMap:
    """An ``examples:`` mapping, language -> double-quoted phrases, as in the shipped files."""
    node = CommentedMap()
    for lang, texts in examples.items():
        node[lang] = CommentedSeq(DoubleQuotedScalarString(t) for t in texts)
    return node


def phrase_key(text: str) -> str:
    """What makes two example phrases the same one: their words, case and spacing aside."""
    return " ".join(str(text).split()).casefold()


def add_phrases(entry: Any, lang: str, phrases: Sequence[str]) -> int:
    """Add phrases to an intent's examples in one language, skipping ones it already has."""
    if not LANGUAGE_RE.match(lang):
        raise TaxonomyError(f"--lang {lang!r} is not a language code; use e.g. fr, en, de, pt-BR")
    examples = entry.setdefault("examples", CommentedMap())
    tail = _take_tail_comment(entry)  # the blank line before the next intent stays last
    have = {phrase_key(t) for ts in examples.values() for t in ts}
    added = 0
    for phrase in phrases:
        text = " ".join(phrase.split())
        if not text or phrase_key(text) in have:
            continue
        examples.setdefault(lang, CommentedSeq()).append(DoubleQuotedScalarString(text))
        have.add(phrase_key(text))
        added += 1
    _put_tail_comment(entry, tail)
    return added


def _add_alias(entry: Any, *ids: str) -> None:
    aliases = entry.get("aliases")
    if aliases is None:
        aliases = CommentedSeq()
        aliases.fa.set_flow_style()  # aliases: [a.b, c.d], as in the README
        position = list(entry).index("examples") if "examples" in entry else len(entry)
        entry.insert(position, "aliases", aliases)
    for alias in ids:
        if alias not in aliases and alias != entry.get("id"):
            aliases.append(alias)


# --- the commands --------------------------------------------------------------------------------


def merge(
    root: Path,
    source: str,
    target: str,
    *,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """``target`` absorbs ``source``: its examples and aliases, and ``source`` becomes an alias.

    Usage::

        merge(root, "ads.rewarded_ad_failure", "ads.too_many_ads", reason="one theme",
              today=today, command=command).files  # -> ['ads.yaml', 'taxonomy.yaml']
    """
    ws = Workspace(root, rule)
    if source == target:
        raise TaxonomyError("cannot merge an intent into itself; name two different intents")
    name, position, entry = ws.locate(source)
    into_name, _, into = ws.locate(target)
    moved = sum(
        add_phrases(into, str(lang), [str(t) for t in texts])
        for lang, texts in (entry.get("examples") or {}).items()
    )
    _remove_entry(ws.docs[name]["intents"], position)
    _add_alias(into, source, *[str(a) for a in entry.get("aliases") or []])
    ws.touch(name)
    ws.touch(into_name)
    edit = Edit(
        "merge",
        f"merged '{source}' into '{target}' ({moved} examples added; '{source}' is now an alias)",
        reason,
    )
    return ws.commit(edit, command=command, today=today)


def rename(
    root: Path,
    intent_id: str,
    *,
    name: str | None,
    new_id: str | None,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Change an intent's name, or give it a new id (same category) keeping the old as alias.

    Usage::

        rename(root, "app.bug", name=None, new_id="app.glitch", reason="shorter",
               today=today, command=command).summary
        # -> "renamed id 'app.bug' -> 'app.glitch' (the old id is now an alias)"
    """
    if name is None and new_id is None:
        raise TaxonomyError("nothing to rename: pass --name NEW_NAME and/or --id NEW_ID")
    ws = Workspace(root, rule)
    file, _, entry = ws.locate(intent_id)
    parts = []
    if new_id is not None and new_id != intent_id:
        ws.check_new_id(new_id)
        if new_id.split(".")[0] != entry.get("category"):
            raise TaxonomyError(
                f"'{new_id}' is in another category than '{intent_id}'; "
                f"use 'vocmine taxonomy move {intent_id} {new_id.split('.')[0]}' to change category"
            )
        entry["id"] = new_id
        _add_alias(entry, intent_id)
        parts.append(f"id '{intent_id}' -> '{new_id}' (the old id is now an alias)")
    if name is not None:
        parts.append(f"name '{entry.get('name')}' -> '{name}'")
        entry["name"] = name
    ws.touch(file)
    return ws.commit(
        Edit("rename", f"renamed {'; '.join(parts)}", reason), command=command, today=today
    )


def move(
    root: Path,
    intent_id: str,
    category: str,
    *,
    new_id: str | None,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Move an intent to another category: a new id there, the old one kept as an alias.

    Usage::

        move(root, "app.battery", "tracking", new_id=None, reason="r", today=today,
             command=command).files  # -> ['app.yaml', 'taxonomy.yaml', 'tracking.yaml']
    """
    if not CATEGORY_ID_RE.match(category):
        raise TaxonomyError(f"'{category}' is not a category id; use e.g. 'cashout'")
    ws = Workspace(root, rule)
    file, position, entry = ws.locate(intent_id)
    if entry.get("category") == category:
        raise TaxonomyError(f"'{intent_id}' is already in category '{category}'")
    target_id = new_id or f"{category}.{intent_id.split('.', 1)[1]}"
    if target_id.split(".")[0] != category:
        raise TaxonomyError(f"--id '{target_id}' must start with '{category}.'")
    ws.check_new_id(target_id)
    target_file = ws.file_for_category(category)
    _remove_entry(ws.docs[file]["intents"], position)
    entry["id"] = target_id
    entry["category"] = category
    _add_alias(entry, intent_id)
    append_entry(ws.docs[target_file]["intents"], entry)
    ws.touch(file)
    ws.touch(target_file)
    edit = Edit(
        "move",
        f"moved '{intent_id}' to category '{category}' as '{target_id}' "
        "(the old id is now an alias)",
        reason,
    )
    return ws.commit(edit, command=command, today=today)


def retire(
    root: Path,
    intent_id: str,
    *,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Remove an intent; its id (and aliases) are listed under ``retired:`` and never reused.

    Usage::

        retire(root, "app.battery", reason="feature removed", today=today,
               command=command).summary  # -> "retired 'app.battery' (its id stays reserved)"
    """
    ws = Workspace(root, rule)
    file, position, entry = ws.locate(intent_id)
    _remove_entry(ws.docs[file]["intents"], position)
    retired = ws.header.get("retired")
    if retired is None:
        retired = CommentedSeq()
        ws.header["retired"] = retired
        ws.header.yaml_set_comment_before_after_key(
            "retired",
            before="\nIds of retired intents: never reused, so that an id never changes meaning.",
        )
    for old in [intent_id, *[str(a) for a in entry.get("aliases") or []]]:
        if old not in retired:
            retired.append(old)
    ws.touch(file)
    ws.touch(TAXONOMY_FILE)
    edit = Edit("retire", f"retired '{intent_id}' (its id stays reserved)", reason)
    return ws.commit(edit, command=command, today=today)


def add_examples(
    root: Path,
    intent_id: str,
    lang: str,
    phrases: Sequence[str],
    *,
    reason: str,
    today: date,
    command: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Edit:
    """Add example phrases in one language to an intent (phrases it already has are skipped).

    Usage::

        add_examples(root, "app.crash", "it", ["l'app si blocca"], reason="r", today=today,
                     command=command).summary  # -> "added 1 'it' example to 'app.crash'"
    """
    ws = Workspace(root, rule)
    file, _, entry = ws.locate(intent_id)
    added = add_phrases(entry, lang, phrases)
    if not added:
        raise TaxonomyError(f"nothing to add: '{intent_id}' already has every phrase given")
    ws.touch(file)
    what = f"{added} '{lang}' example{'' if added == 1 else 's'}"
    edit = Edit("add-examples", f"added {what} to '{intent_id}'", reason)
    return ws.commit(edit, command=command, today=today)
