"""What the taxonomy folder looked like after the last recorded version: ``hashes.json``.

A small JSON file in the taxonomy folder, committed with it: the version, a sha256 per YAML file,
and a digest per category and per intent. Every ``vocmine taxonomy`` command rewrites it after
writing its change, so a later difference between the files and this record can only come from
an edit by hand (see :mod:`vocmine.taxonomy.handedit`). vocmine reads only ``*.yaml`` as
taxonomy, so this file never changes the taxonomy hash.

Example:
    >>> import tempfile
    >>> from vocmine.project import init_project
    >>> from vocmine.taxonomy.model import load_taxonomy
    >>> root = init_project(Path(tempfile.mkdtemp())).created[1]  # taxonomy/: the starter, copied
    >>> path = record(root, load_taxonomy(root))
    >>> path.name, sorted(json.loads(path.read_text()))
    ('hashes.json', ['categories', 'files', 'intents', 'note', 'version'])
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from vocmine.taxonomy.model import Taxonomy
from vocmine.taxonomy.schema import Intent

STATE_FILE = "hashes.json"
_NOTE = (
    "Written by vocmine after each taxonomy command: a YAML file that differs from this record "
    "was edited by hand, and the next command records it in CHANGELOG.md. Commit it with the YAML."
)


def intent_digest(intent: Intent) -> str:
    """A digest of everything an intent says (its file included)."""
    payload = [
        intent.id,
        intent.name,
        intent.category,
        intent.type,
        intent.problem,
        intent.description,
        {lang: list(texts) for lang, texts in sorted(intent.examples.items())},
        list(intent.aliases),
        intent.owner,
        intent.file,
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:16]


def file_hashes(root: Path) -> dict[str, str]:
    """sha256 of every ``*.yaml`` file directly in ``root`` (hidden files aside)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(root).glob("*.yaml"))
        if path.is_file() and not path.name.startswith(".")
    }


def snapshot(root: Path, taxonomy: Taxonomy) -> dict[str, Any]:
    """The record of the folder as it is now."""
    return {
        "note": _NOTE,
        "version": taxonomy.version,
        "files": file_hashes(root),
        "categories": {
            c.id: hashlib.sha256(f"{c.name}\n{c.description}".encode()).hexdigest()[:16]
            for c in taxonomy.categories.values()
        },
        "intents": {intent.id: intent_digest(intent) for intent in taxonomy.intents},
    }


def read(root: Path) -> dict[str, Any] | None:
    """The recorded state, or None when there is none (or it cannot be read)."""
    path = Path(root) / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None


def record(root: Path, taxonomy: Taxonomy) -> Path:
    """Write the record of the folder as it is now (atomically)."""
    path = Path(root) / STATE_FILE
    text = json.dumps(snapshot(root, taxonomy), indent=2, sort_keys=True, ensure_ascii=False)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
