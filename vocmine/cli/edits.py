"""Apply taxonomy edits for the ``vocmine taxonomy`` commands: print, record, re-assign once.

Shared by every editing command (and ``taxonomy draft``): one edit or several as one command
(``merge A B INTO``, ``retire A B``), all or none, then one re-assignment from cached vectors
unless ``--no-reassign`` defers it.
"""

from __future__ import annotations

import shlex
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer

from vocmine.cli.common import bar_hooks, config_of, load_taxonomy, out, progress_bar
from vocmine.errors import TaxonomyError


def today_utc() -> date:
    """Today in UTC: the day changelog entries carry."""
    return datetime.now(UTC).date()


def command_line(name: str, *parts: Any) -> str:
    """The command as a person would type it again, for the changelog."""
    words: list[str] = ["vocmine", "taxonomy", name]
    for part in parts:
        if isinstance(part, tuple):
            flag, value = part
            if value is not None:
                words += [flag, str(value)]
        else:
            words.append(str(part))
    return shlex.join(words)


Step = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]


def apply_edit(
    ctx: typer.Context,
    action: Callable[..., Any],
    *args: Any,
    no_reassign: bool = False,
    **kwargs: Any,
) -> None:
    """Run an edit, print it, then re-assign items when a database exists (not with
    --no-reassign: the assignment key covers the taxonomy's content, so the next command that
    reads assignments sees them stale and brings them up to date once)."""
    apply_steps(ctx, [(action, args, kwargs)], no_reassign=no_reassign)


def apply_steps(ctx: typer.Context, steps: list[Step], *, no_reassign: bool) -> None:
    """Run several edits as one command (``merge A B INTO``, ``retire A B``): all or none.

    Each edit keeps its own changelog entry and version, so the history reads as if they had been
    typed one by one; items are re-assigned once, after the last. The edits are first run on a
    copy of the folder, so that an error in the third (an unknown id) writes nothing at all.
    """
    from vocmine.taxonomy.rules import example_rule

    cfg = config_of(ctx)
    load_taxonomy(cfg.taxonomy)  # versions a hand edit first, in its own changelog entry
    rule, today = example_rule(cfg), today_utc()
    if len(steps) > 1:
        with tempfile.TemporaryDirectory(prefix="vocmine-edit-") as tmp:
            trial = Path(tmp) / "taxonomy"
            shutil.copytree(cfg.taxonomy, trial)
            try:
                for action, args, kwargs in steps:
                    action(trial, *args, today=today, rule=rule, **kwargs)
            except TaxonomyError as err:  # name the user's folder, not the copy
                raise TaxonomyError(str(err).replace(str(trial), str(cfg.taxonomy))) from None
    for action, args, kwargs in steps:
        edit = action(cfg.taxonomy, *args, today=today, rule=rule, **kwargs)
        out.print(edit.summary, soft_wrap=True)
        old, new = edit.version
        if old != new:
            out.print(
                f"taxonomy version {old} -> {new}; recorded in {cfg.taxonomy}/CHANGELOG.md",
                soft_wrap=True,
            )
        else:
            out.print(f"recorded in {cfg.taxonomy}/CHANGELOG.md")
    reassign_after(cfg, no_reassign=no_reassign)


def reassign_after(cfg: Any, *, no_reassign: bool) -> None:
    """Re-assign items after edits, unless deferred or there is no database."""
    from vocmine.store.store import open_store

    if not cfg.db.exists():
        out.print(f"no database at {cfg.db}: nothing to re-assign")
        return
    if no_reassign:
        out.print(
            "not re-assigned (--no-reassign): the next 'vocmine assign', 'report', 'discover', "
            "'export' or 'ingest' brings the assignments up to date once",
            soft_wrap=True,
        )
        return
    # Imported here: it brings scikit-learn (a second of start-up) that a deferred edit never needs.
    from vocmine.pipeline.update import reassign_edited as reassign

    tuned = cfg.assign.method == "finetune"
    if tuned:
        out.print(
            '[assign] method "finetune": tuning the model on the edited taxonomy, then embedding '
            "the items again (minutes, not seconds)",
            soft_wrap=True,
        )
    store = open_store(cfg.db)
    try:
        with progress_bar() as bar:
            moves = reassign(
                store, config=cfg, taxonomy=load_taxonomy(cfg.taxonomy), hooks=bar_hooks(bar)
            )
    finally:
        store.close()
    if moves.missing:
        out.print(
            f"not re-assigned: {moves.missing} stored texts have no vector yet; "
            "run 'vocmine ingest' (it embeds them and re-assigns everything)",
            soft_wrap=True,
        )
        return
    if not moves.assigned:
        out.print("assignments unchanged: no stored item, or no id or example changed")
        return
    how = "" if tuned else " from cached vectors"
    out.print(
        f"re-assigned {moves.assigned} items in {moves.seconds:.1f} s{how}; {moves.total} moved",
        soft_wrap=True,
    )
    for old_id, new_id, count in moves.top(10):
        out.print(f"  {count:6d}  {old_id} -> {new_id}")


def distinct_ids(ids: list[str], verb: str) -> list[str]:
    """The ids in order, refusing one named twice (its second edit could only fail)."""
    seen: set[str] = set()
    for intent_id in ids:
        if intent_id in seen:
            raise TaxonomyError(f"'{intent_id}' is named twice; {verb} each intent once")
        seen.add(intent_id)
    return ids
