"""Hand edits of the taxonomy's YAML are versioned like the commands' edits.

Every command that loads the taxonomy first calls :func:`record_hand_edits`: when the YAML files
differ from the record of the last version (``hashes.json``, see :mod:`vocmine.taxonomy.state`),
the version is bumped and ``CHANGELOG.md`` gets an entry "edited by hand" listing the intents
added, removed and modified. The record is then updated, so loading twice writes once, and the
commands' own edits update it themselves, so they never look like hand edits.

Example:
    >>> import tempfile
    >>> from vocmine.project import init_project
    >>> root = init_project(Path(tempfile.mkdtemp())).created[1]  # taxonomy/: the starter, copied
    >>> app = root / "app.yaml"
    >>> _ = app.write_text(app.read_text().replace("name: Crashes and freezes", "name: Crashes"))
    >>> edit = record_hand_edits(root, today=date(2026, 11, 22))
    >>> edit.summary if edit else None
    'edited by hand: modified app.crash (files: app.yaml)'
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from vocmine.errors import TaxonomyError
from vocmine.taxonomy import changelog, state
from vocmine.taxonomy.edit import Edit, Workspace, atomic_write, dump
from vocmine.taxonomy.model import load_taxonomy
from vocmine.taxonomy.schema import TAXONOMY_FILE


def record_hand_edits(root: Path, *, today: date) -> Edit | None:
    """Version and log the files' changes since the last record; None when there are none.

    A folder with no record yet gets one (the baseline) and no entry; an invalid folder is left
    alone (loading it reports the problem).
    """
    root = Path(root)
    try:
        taxonomy = load_taxonomy(root)
    except TaxonomyError:
        return None
    recorded = state.read(root)
    if recorded is None:
        state.record(root, taxonomy)
        return None
    if recorded["files"] == state.file_hashes(root):
        return None
    now = state.snapshot(root, taxonomy)
    before: dict[str, str] = dict(recorded.get("intents") or {})
    after: dict[str, str] = now["intents"]
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    modified = sorted(i for i in set(after) & set(before) if after[i] != before[i])
    old_categories = dict(recorded.get("categories") or {})
    categories = sorted(
        set(old_categories) ^ set(now["categories"])
        | {
            c
            for c in now["categories"]
            if old_categories.get(c, now["categories"][c]) != now["categories"][c]
        }
    )
    files = sorted(
        name
        for name in set(recorded["files"]) | set(now["files"])
        if recorded["files"].get(name) != now["files"].get(name)
    )
    parts = [
        f"{what} {', '.join(ids)}"
        for what, ids in (("added", added), ("removed", removed), ("modified", modified))
        if ids
    ]
    if categories:
        parts.append(f"categories changed: {', '.join(categories)}")
    summary = "edited by hand: " + ("; ".join(parts) or "no intent changed")
    summary += f" (files: {', '.join(files)})"
    edit = Edit("hand-edit", summary, "edited by hand")
    old_version = str(recorded.get("version") or taxonomy.version)
    if old_version != taxonomy.version:
        edit.version = (old_version, taxonomy.version)  # the person bumped it already
    else:
        ws = Workspace(root)
        edit.version = ws.bump_version(today)
        if edit.version[0] != edit.version[1]:
            atomic_write(root / TAXONOMY_FILE, dump(ws.header))
        edit.files = [TAXONOMY_FILE]
    changelog.append(root, edit, command="(edited by hand: " + ", ".join(files) + ")", today=today)
    state.record(root, load_taxonomy(root))
    return edit
