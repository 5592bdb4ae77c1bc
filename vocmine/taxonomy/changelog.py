"""The taxonomy's changelog: ``CHANGELOG.md`` in the taxonomy folder, newest change first.

Markdown because people read it in pull requests next to the YAML diff; vocmine does not read the
taxonomy's ``.md`` files, so the changelog never changes the taxonomy hash (and never triggers a
re-assignment by itself). Each ``vocmine taxonomy`` command adds one entry:

    ## 2026-11-22 merge
    - command: `vocmine taxonomy merge ads.rewarded_ad_failure ads.too_many_ads --reason "..."`
    - change: merged 'ads.rewarded_ad_failure' into 'ads.too_many_ads' (...)
    - reason: one theme for Product
    - version: 2026.11.1 -> 2026.11.2

Example:
    >>> import tempfile
    >>> from vocmine.taxonomy.edit import Edit
    >>> root = Path(tempfile.mkdtemp())
    >>> for day, action in [(21, "accept"), (22, "merge")]:
    ...     _ = append(root, Edit(action, "...", "r"), command="...", today=date(2026, 11, day))
    >>> [(e.day, e.action) for e in read(root)]
    [('2026-11-22', 'merge'), ('2026-11-21', 'accept')]
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

CHANGELOG = "CHANGELOG.md"
_HEADER = (
    "# Taxonomy changelog\n\n"
    "Written by `vocmine taxonomy` commands, newest first: what changed, when and why. Ids never\n"
    "change meaning: merged, renamed and moved ids live on as aliases, retired ids stay reserved.\n"
)
_ENTRY_RE = re.compile(r"^## (\d{4}-\d{2}-\d{2}) (\S+)$", re.MULTILINE)


@dataclass(frozen=True)
class Entry:
    """One recorded change."""

    day: str
    action: str
    command: str
    change: str
    reason: str
    version: str


def append(root: Path, edit: Any, *, command: str, today: date) -> Path:
    """Add an entry for ``edit`` (a :class:`vocmine.taxonomy.edit.Edit`) at the top.

    Example:
        >>> import tempfile
        >>> from vocmine.taxonomy.edit import Edit
        >>> edit = Edit("retire", "retired 'app.x' (its id stays reserved)", "r",
        ...             version=("2026.11.1", "2026.11.2"))
        >>> path = append(Path(tempfile.mkdtemp()), edit, today=date(2026, 11, 22),
        ...               command="vocmine taxonomy retire app.x --reason r")
        >>> print(path.read_text())
        # Taxonomy changelog
        ...
        ## 2026-11-22 retire
        - command: `vocmine taxonomy retire app.x --reason r`
        - change: retired 'app.x' (its id stays reserved)
        - reason: r
        - version: 2026.11.1 -> 2026.11.2
        <BLANKLINE>
    """
    path = Path(root) / CHANGELOG
    old, new = edit.version
    lines = [
        f"## {today.isoformat()} {edit.action}",
        f"- command: `{_one_line(command)}`",
        f"- change: {_one_line(edit.summary)}",
        f"- reason: {_one_line(edit.reason)}",
        f"- version: {old} -> {new}" if old != new else f"- version: {old}",
    ]
    entry = "\n".join(lines) + "\n"
    existing = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    first = _ENTRY_RE.search(existing)
    if first is None:
        text = existing.rstrip("\n") + "\n\n" + entry
    else:
        text = existing[: first.start()] + entry + "\n" + existing[first.start() :]
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def read(root: Path) -> list[Entry]:
    """Every entry of the changelog, newest first; empty when there is none."""
    path = Path(root) / CHANGELOG
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    starts = list(_ENTRY_RE.finditer(text))
    entries = []
    for i, match in enumerate(starts):
        body = text[match.end() : starts[i + 1].start() if i + 1 < len(starts) else len(text)]
        fields = dict(re.findall(r"^- (\w+): (.*)$", body, re.MULTILINE))
        entries.append(
            Entry(
                day=match.group(1),
                action=match.group(2),
                command=fields.get("command", "").strip("`"),
                change=fields.get("change", ""),
                reason=fields.get("reason", ""),
                version=fields.get("version", ""),
            )
        )
    return entries


# How each command's summary names the intents it created (vocmine.taxonomy.create, .decide and
# .handedit); renames and moves are not additions: the old id lives on as an alias, with its items.
_ADDED_RES = (
    re.compile(r"\badded intent '([^']+)'"),
    re.compile(r"\bas new intent '([^']+)'"),
)
_DRAFTED = "drafted "  # the summary vocmine.taxonomy.drafted writes
_HAND_ADDED_RE = re.compile(r"^edited by hand: (?:.*?; )?added ([^;(]+)")


def added_days(root: Path, ids: Sequence[str] = ()) -> dict[str, str]:
    """Intent id -> the day ('YYYY-MM-DD') the changelog says it was added, for the ids it names.

    Intents the changelog never adds (those of the starter taxonomy, or written before the
    changelog) are absent: their age is unknown. An id added twice keeps the later day. A
    ``taxonomy draft`` entry names no ids (a draft writes dozens at once), so every id of ``ids``
    (the taxonomy's intents today) counts as added that day: a draft replaces the whole taxonomy.

    Example:
        >>> import tempfile
        >>> from vocmine.taxonomy.edit import Edit
        >>> root = Path(tempfile.mkdtemp())
        >>> added = Edit("add-intent", "added intent 'tracking.team_challenges' (5 examples)", "r")
        >>> _ = append(root, added, command="...", today=date(2026, 11, 22))
        >>> added_days(root)  # an intent the changelog never adds is absent: its age is unknown
        {'tracking.team_challenges': '2026-11-22'}
    """
    out: dict[str, str] = {}
    for entry in read(root):
        named = [m.group(1) for r in _ADDED_RES for m in r.finditer(entry.change)]
        if entry.change.startswith(_DRAFTED):
            named += ids
        hand = _HAND_ADDED_RE.match(entry.change)
        if hand:
            named += [i.strip() for i in hand.group(1).split(",") if i.strip()]
        for intent_id in named:
            out[intent_id] = max(out.get(intent_id, entry.day), entry.day)
    return out


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
