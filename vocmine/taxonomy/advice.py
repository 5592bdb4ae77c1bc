"""What ``vocmine taxonomy validate`` tells a reviewer about examples that sit closer to another
intent than to their own: where the example is, which intent it is closer to, and what to do.

- An intent many of whose examples are closer to one other intent: the two overlap; merge them
  or make them distinct.
- An example in a language the stored feedback hardly uses: it teaches nothing; delete it.
- Otherwise: move the example to the intent it is closer to if it is about that, or reword it.

The conflicts come from :func:`vocmine.themes.review.example_conflicts` (any object with its
attributes: intent_id, language, text, own, other_id, other, file).

Usage::

    explain(conflicts[0], taxonomy, rule)
    # -> "taxonomy/app.yaml:57: intent 'app.crash': example '...' (en) is closer to ..."
"""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vocmine.taxonomy.model import Taxonomy
from vocmine.taxonomy.schema import ExampleRule

OVERLAP_SHARE = 0.3  # this share of an intent's examples closer to one other intent: overlap
OVERLAP_MIN = 3


def overlaps(conflicts: Sequence[Any], taxonomy: Taxonomy) -> list[str]:
    """One line per pair of intents that overlap, with the commands that fix it."""
    pairs = Counter((c.intent_id, c.other_id) for c in conflicts)
    lines = []
    for (intent_id, other_id), count in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        total = len(taxonomy.intent(intent_id).all_examples())
        if count < OVERLAP_MIN and count < OVERLAP_SHARE * total:
            continue
        lines.append(
            f"intents '{intent_id}' and '{other_id}' overlap: {count} of the {total} examples of "
            f"'{intent_id}' sit closer to '{other_id}'. If they are one theme, merge them "
            f"(vocmine taxonomy merge {intent_id} {other_id} --reason ...); if not, say in each "
            f"description what belongs to the other (vocmine taxonomy edit {intent_id} "
            f"--description ...) and reword the examples listed below"
        )
    return lines


def explain(conflict: Any, taxonomy: Taxonomy, rule: ExampleRule) -> str:
    """One line for one example: where it is, what it is closer to, what to do."""
    where = f"{(taxonomy.root / conflict.file).as_posix()}"
    line = _line_of(taxonomy.root / conflict.file, conflict.text)
    if line:
        where += f":{line}"
    head = (
        f"{where}: intent '{conflict.intent_id}': example '{conflict.text}' ({conflict.language}) "
        f"is closer to '{conflict.other_id}' ({conflict.other:.2f}) than to its own intent "
        f"({conflict.own:.2f})"
    )
    if rule.shares and conflict.language not in rule.languages:
        return (
            f"{head}; '{conflict.language}' is only {rule.share(conflict.language)}, so this "
            f"phrase teaches the model little and confuses it: take it out (vocmine taxonomy "
            f"remove-examples {conflict.intent_id} {shlex.quote(conflict.text)} --reason ...)"
        )
    other = taxonomy.intent(conflict.other_id)
    return (
        f"{head}; if it is about '{other.name}', move it there (vocmine taxonomy add-examples "
        f"{other.id} --lang {conflict.language} {shlex.quote(conflict.text)} --reason ..., then "
        f"vocmine taxonomy remove-examples {conflict.intent_id} {shlex.quote(conflict.text)} "
        f"--reason ...); otherwise reword it "
        f"with the words that make it '{taxonomy.intent(conflict.intent_id).name}'"
    )


def _line_of(path: Path, text: str) -> int:
    """1-based line of the first line holding ``text`` in ``path``; 0 when not found."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    for number, content in enumerate(lines, start=1):
        if text in content:
            return number
    return 0
