"""``vocmine taxonomy ...``: edit and check the taxonomy from the command line (thin layer).

Every editing command validates the result before writing, records the change in the taxonomy's
CHANGELOG.md and, when the database exists, re-assigns items from cached vectors and prints what
moved. The work is done by :mod:`vocmine.taxonomy.edit` and :mod:`~vocmine.taxonomy.decide`.
"""

from __future__ import annotations

import contextlib
import shlex
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from vocmine.cli.common import (
    bar_hooks,
    config_of,
    handle_errors,
    load_taxonomy,
    out,
    progress_bar,
)
from vocmine.errors import ConfigError, TaxonomyError

taxonomy_app = typer.Typer(
    help="Edit and check the taxonomy: add categories and intents, edit them, accept or reject "
    "proposals, merge, rename, move, retire, add or remove examples, validate.\n\n"
    "Example: vocmine taxonomy merge ads.a ads.b --reason 'same theme'",
    no_args_is_help=True,
)

Reason = Annotated[
    str,
    typer.Option("--reason", help="Why: recorded in taxonomy/CHANGELOG.md.", show_default=False),
]
IntentId = Annotated[str, typer.Argument(metavar="ID")]
ProposalMonth = Annotated[str, typer.Argument(help="Month of the proposals file, YYYY-MM.")]
ProposalKey = Annotated[str, typer.Argument(help="Proposal key, e.g. P01.")]
NoReassign = Annotated[
    bool,
    typer.Option(
        "--no-reassign",
        help="Write the change only; the next command that reads assignments (assign, report, "
        "discover, export, ingest) brings them up to date once. Batches edits.",
    ),
]
Examples = Annotated[
    list[str] | None,
    typer.Option("--example", help="Example 'LANG:text', repeatable (e.g. 'en:ads every minute')."),
]


def _today() -> date:
    return datetime.now(UTC).date()


def _command(name: str, *parts: Any) -> str:
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


def _apply(
    ctx: typer.Context,
    action: Callable[..., Any],
    *args: Any,
    no_reassign: bool = False,
    **kwargs: Any,
) -> None:
    """Run an edit, print it, then re-assign items when a database exists (not with
    --no-reassign: the assignment key covers the taxonomy's content, so the next command that
    reads assignments sees them stale and brings them up to date once)."""
    _apply_steps(ctx, [(action, args, kwargs)], no_reassign=no_reassign)


def _apply_steps(ctx: typer.Context, steps: list[Step], *, no_reassign: bool) -> None:
    """Run several edits as one command (``merge A B INTO``, ``retire A B``): all or none.

    Each edit keeps its own changelog entry and version, so the history reads as if they had been
    typed one by one; items are re-assigned once, after the last. The edits are first run on a
    copy of the folder, so that an error in the third (an unknown id) writes nothing at all.
    """
    from vocmine.taxonomy.rules import example_rule

    cfg = config_of(ctx)
    load_taxonomy(cfg.taxonomy)  # versions a hand edit first, in its own changelog entry
    rule, today = example_rule(cfg), _today()
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
    _reassign(cfg, no_reassign=no_reassign)


def _reassign(cfg: Any, *, no_reassign: bool) -> None:
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


@taxonomy_app.command()
@handle_errors
def accept(
    ctx: typer.Context,
    month: ProposalMonth,
    key: ProposalKey,
    reason: Reason,
    intent_id: Annotated[
        str | None, typer.Option("--id", help="Intent id (default: the suggested one).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Intent name (default: suggested).")] = None,
    category: Annotated[str | None, typer.Option(help="Category (default: from the id).")] = None,
    intent_type: Annotated[
        str, typer.Option("--type", help="problem, request, praise or other.")
    ] = "problem",
    problem: Annotated[
        str | None,
        typer.Option(help="One-sentence problem statement. Default: the proposal's suggestion."),
    ] = None,
    description: Annotated[
        str | None, typer.Option(help="What belongs here (default: from the keywords).")
    ] = None,
    example: Annotated[
        list[str] | None,
        typer.Option(help="Extra example 'LANG:text', repeatable (e.g. a translation)."),
    ] = None,
    into: Annotated[
        str | None,
        typer.Option(
            "--into", metavar="ID", help="Fold the proposal's examples into this existing intent."
        ),
    ] = None,
    no_reassign: NoReassign = False,
) -> None:
    """Accept a proposal of taxonomy/proposals/MONTH.yaml: a new intent, or examples added
    (to the intent discovery suggested, or to the one named with --into).

    Example: vocmine taxonomy accept 2026-10 P01 --problem "Users who ..." --reason "recurring"
    """
    from vocmine.taxonomy.decide import NewIntent
    from vocmine.taxonomy.decide import accept as accept_edit

    extra = tuple(_lang_text(e) for e in example or [])
    new = NewIntent(
        id=intent_id,
        name=name,
        category=category,
        type=intent_type,
        problem=problem,
        description=description,
        examples=extra,
        into=into,
    )
    command = _command(
        "accept",
        month,
        key,
        ("--into", into),
        ("--id", intent_id),
        ("--name", name),
        ("--category", category),
        ("--problem", problem),
        *[("--example", e) for e in example or []],
        ("--reason", reason),
    )
    _apply(
        ctx, accept_edit, month, key, new, reason=reason, command=command, no_reassign=no_reassign
    )


def _lang_text(value: str) -> tuple[str, str]:
    lang, sep, text = value.partition(":")
    if not sep or not text.strip():
        raise ConfigError(f"--example {value!r} must be 'LANG:text', e.g. --example 'fr:mon texte'")
    return lang.strip(), text.strip()


@taxonomy_app.command()
@handle_errors
def reject(
    ctx: typer.Context,
    month: ProposalMonth,
    keys: Annotated[list[str], typer.Argument(metavar="KEY...", help="Proposal keys, e.g. P02.")],
    reason: Reason,
) -> None:
    """Mark one or several proposals rejected, with the reason (the taxonomy does not change).

    Example: vocmine taxonomy reject 2026-10 P02 P05 P07 --reason "praise and one-off outages"
    """
    from vocmine.taxonomy.decide import reject as reject_edit

    cfg = config_of(ctx)
    load_taxonomy(cfg.taxonomy)
    edit = reject_edit(
        cfg.taxonomy,
        month,
        keys,
        reason=reason,
        today=_today(),
        command=_command("reject", month, *keys, ("--reason", reason)),
    )
    out.print(edit.summary)


@taxonomy_app.command()
@handle_errors
def merge(
    ctx: typer.Context,
    sources: Annotated[
        list[str], typer.Argument(metavar="FROM", help="Intents that disappear (one or more).")
    ],
    target: Annotated[str, typer.Argument(metavar="INTO", help="Intent that absorbs them.")],
    reason: Reason,
    no_reassign: NoReassign = False,
) -> None:
    """INTO absorbs each FROM's examples; FROM ids live on as aliases, so trends follow them.

    Several FROM are merged in turn, all or none (an unknown id writes nothing), each with its
    own changelog entry; items are re-assigned once.

    Example: vocmine taxonomy merge ads.rewarded_ad_failure ads.too_many_ads --reason "..."
    """
    from vocmine.taxonomy.edit import merge as merge_edit

    steps: list[Step] = [
        (
            merge_edit,
            (source, target),
            {"reason": reason, "command": _command("merge", source, target, ("--reason", reason))},
        )
        for source in _distinct(sources, "merge")
    ]
    _apply_steps(ctx, steps, no_reassign=no_reassign)


def _distinct(ids: list[str], verb: str) -> list[str]:
    """The ids in order, refusing one named twice (its second edit could only fail)."""
    seen: set[str] = set()
    for intent_id in ids:
        if intent_id in seen:
            raise TaxonomyError(f"'{intent_id}' is named twice; {verb} each intent once")
        seen.add(intent_id)
    return ids


@taxonomy_app.command()
@handle_errors
def rename(
    ctx: typer.Context,
    intent_id: IntentId,
    reason: Reason,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    new_id: Annotated[
        str | None, typer.Option("--id", help="New id (same category); the old becomes an alias.")
    ] = None,
    no_reassign: NoReassign = False,
) -> None:
    """Rename an intent (--name), or give it a new id (--id) keeping the old one as alias.

    Example: vocmine taxonomy rename app.bug --name "Bugs and glitches" --reason "clearer"
    """
    from vocmine.taxonomy.edit import rename as rename_edit

    command = _command(
        "rename", intent_id, ("--name", name), ("--id", new_id), ("--reason", reason)
    )
    _apply(
        ctx,
        rename_edit,
        intent_id,
        name=name,
        new_id=new_id,
        reason=reason,
        command=command,
        no_reassign=no_reassign,
    )


@taxonomy_app.command()
@handle_errors
def move(
    ctx: typer.Context,
    intent_id: IntentId,
    category: Annotated[str, typer.Argument(metavar="CATEGORY")],
    reason: Reason,
    new_id: Annotated[
        str | None, typer.Option("--id", help="New id (default: CATEGORY.<same name>).")
    ] = None,
    no_reassign: NoReassign = False,
) -> None:
    """Move an intent to another category: a new id there, the old one kept as alias.

    Example: vocmine taxonomy move app.battery tracking --reason "caused by step tracking"
    """
    from vocmine.taxonomy.edit import move as move_edit

    command = _command("move", intent_id, category, ("--id", new_id), ("--reason", reason))
    _apply(
        ctx,
        move_edit,
        intent_id,
        category,
        new_id=new_id,
        reason=reason,
        command=command,
        no_reassign=no_reassign,
    )


@taxonomy_app.command()
@handle_errors
def retire(
    ctx: typer.Context,
    intent_ids: Annotated[list[str], typer.Argument(metavar="ID", help="One or more intents.")],
    reason: Reason,
    no_reassign: NoReassign = False,
) -> None:
    """Remove intents; their ids stay reserved forever (taxonomy.yaml 'retired').

    Several ids are retired in turn, all or none, each with its own changelog entry.

    Example: vocmine taxonomy retire app.old_theme --reason "feature removed"
    """
    from vocmine.taxonomy.edit import retire as retire_edit

    steps: list[Step] = [
        (
            retire_edit,
            (intent_id,),
            {"reason": reason, "command": _command("retire", intent_id, ("--reason", reason))},
        )
        for intent_id in _distinct(intent_ids, "retire")
    ]
    _apply_steps(ctx, steps, no_reassign=no_reassign)


@taxonomy_app.command("add-examples")
@handle_errors
def add_examples(
    ctx: typer.Context,
    intent_id: IntentId,
    texts: Annotated[list[str], typer.Argument(metavar="TEXT...", help="Example phrases.")],
    lang: Annotated[str, typer.Option("--lang", help="Language code of the phrases.")],
    reason: Reason,
    no_reassign: NoReassign = False,
) -> None:
    """Add example phrases in one language to an intent.

    Example: vocmine taxonomy add-examples app.crash --lang fr "l'appli plante" --reason "seen"
    """
    from vocmine.taxonomy.edit import add_examples as add_edit

    command = _command("add-examples", intent_id, *texts, ("--lang", lang), ("--reason", reason))
    _apply(
        ctx,
        add_edit,
        intent_id,
        lang,
        texts,
        reason=reason,
        command=command,
        no_reassign=no_reassign,
    )


@taxonomy_app.command("remove-examples")
@handle_errors
def remove_examples(
    ctx: typer.Context,
    intent_id: IntentId,
    texts: Annotated[
        list[str], typer.Argument(metavar="TEXT...", help="Example phrases, as in the YAML.")
    ],
    reason: Reason,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Only in this language (default: any).")
    ] = None,
    no_reassign: NoReassign = False,
) -> None:
    """Take example phrases out of an intent (a drafted one may hold another theme's text).

    Example: vocmine taxonomy remove-examples app.crash "my phone is slow" --reason "not a crash"
    """
    from vocmine.taxonomy.create import remove_examples as remove_edit

    command = _command("remove-examples", intent_id, *texts, ("--lang", lang), ("--reason", reason))
    _apply(
        ctx,
        remove_edit,
        intent_id,
        texts,
        lang=lang,
        reason=reason,
        command=command,
        no_reassign=no_reassign,
    )


@taxonomy_app.command("add-category")
@handle_errors
def add_category(
    ctx: typer.Context,
    category_id: Annotated[str, typer.Argument(metavar="ID", help="Lowercase id, e.g. streaming.")],
    name: Annotated[str, typer.Option(help="Short label for the report.")],
    description: Annotated[str, typer.Option(help="What the category covers.")],
    reason: Reason,
    no_reassign: NoReassign = False,
) -> None:
    """Declare a new category in taxonomy.yaml; its file is created with its first intent.

    Example: vocmine taxonomy add-category streaming --name Streaming --description "Playback,
    casting, downloads" --reason "Netflix reviews"
    """
    from vocmine.taxonomy.create import add_category as add_edit

    command = _command(
        "add-category", category_id, ("--name", name), ("--description", description),
        ("--reason", reason),
    )  # fmt: skip
    _apply(ctx, add_edit, category_id, name=name, description=description, reason=reason,
           command=command, no_reassign=no_reassign)  # fmt: skip


@taxonomy_app.command("edit-category")
@handle_errors
def edit_category(
    ctx: typer.Context,
    category_id: Annotated[str, typer.Argument(metavar="ID", help="The category's id.")],
    reason: Reason,
    name: Annotated[str | None, typer.Option(help="New label for the report.")] = None,
    description: Annotated[str | None, typer.Option(help="New description.")] = None,
    no_reassign: NoReassign = False,
) -> None:
    """Change a category's name or description (its id, the prefix of its intents, stays).

    Example: vocmine taxonomy edit-category download --name "Playback and downloads"
    --reason "review of the draft"
    """
    from vocmine.taxonomy.create import edit_category as edit_edit

    command = _command(
        "edit-category", category_id, ("--name", name), ("--description", description),
        ("--reason", reason),
    )  # fmt: skip
    _apply(ctx, edit_edit, category_id, name=name, description=description, reason=reason,
           command=command, no_reassign=no_reassign)  # fmt: skip


@taxonomy_app.command("add-intent")
@handle_errors
def add_intent(
    ctx: typer.Context,
    intent_id: Annotated[str, typer.Argument(metavar="ID", help="<category>.<snake_name>.")],
    name: Annotated[str, typer.Option(help="Short human label.")],
    reason: Reason,
    example: Examples = None,
    problem: Annotated[
        str | None, typer.Option(help="One-sentence problem statement (needed for a problem).")
    ] = None,
    intent_type: Annotated[
        str, typer.Option("--type", help="problem, request, praise or other.")
    ] = "problem",
    description: Annotated[
        str | None, typer.Option(help="What belongs here and what does not (default: problem).")
    ] = None,
    no_reassign: NoReassign = False,
) -> None:
    """Add an intent to its category (the id's prefix), with its examples.

    Example: vocmine taxonomy add-intent streaming.casting --name "Casting to TV" --problem
    "Users who cast to a TV lose the picture." --example "en:chromecast keeps disconnecting" ...
    --reason "seen in August"
    """
    from vocmine.taxonomy.create import add_intent as add_edit

    examples = [_lang_text(e) for e in example or []]
    command = _command(
        "add-intent", intent_id, ("--name", name), ("--problem", problem),
        ("--type", None if intent_type == "problem" else intent_type),
        ("--description", description), *[("--example", e) for e in example or []],
        ("--reason", reason),
    )  # fmt: skip
    _apply(ctx, add_edit, intent_id, name=name, problem=problem, examples=examples,
           intent_type=intent_type, description=description, reason=reason, command=command,
           no_reassign=no_reassign)  # fmt: skip


@taxonomy_app.command()
@handle_errors
def edit(
    ctx: typer.Context,
    intent_id: IntentId,
    reason: Reason,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    problem: Annotated[str | None, typer.Option(help="New problem statement.")] = None,
    description: Annotated[str | None, typer.Option(help="New description.")] = None,
    intent_type: Annotated[
        str | None, typer.Option("--type", help="problem, request, praise or other.")
    ] = None,
    no_reassign: NoReassign = False,
) -> None:
    """Change an intent's name, problem statement, description or type (its id stays).

    Example: vocmine taxonomy edit app.crash --problem "Users who ..." --reason "clearer"
    """
    from vocmine.taxonomy.create import edit_intent

    command = _command(
        "edit", intent_id, ("--name", name), ("--problem", problem),
        ("--description", description), ("--type", intent_type), ("--reason", reason),
    )  # fmt: skip
    _apply(ctx, edit_intent, intent_id, name=name, problem=problem, description=description,
           intent_type=intent_type, reason=reason, command=command,
           no_reassign=no_reassign)  # fmt: skip


@taxonomy_app.command()
@handle_errors
def validate(
    ctx: typer.Context,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on examples closer to another intent too.")
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every conflicting example.")
    ] = False,
    no_embeddings: Annotated[
        bool, typer.Option("--no-embeddings", help="Only the checks that need no model.")
    ] = False,
) -> None:
    """Check the taxonomy: format, duplicate ids, unknown categories, retired ids, and examples
    that sit closer to another intent than to their own.

    Example: vocmine taxonomy validate --strict
    """
    from vocmine.taxonomy.advice import explain, overlaps
    from vocmine.taxonomy.model import validate_taxonomy
    from vocmine.taxonomy.rules import example_rule

    cfg = config_of(ctx)
    with contextlib.suppress(TaxonomyError):  # an invalid folder is listed below
        load_taxonomy(cfg.taxonomy)  # versions a hand edit first
    rule = example_rule(cfg)
    if rule.languages:
        shares = ", ".join(f"{lang} {rule.shares[lang]:.0%}" for lang in rule.languages)
        out.print(
            f"examples needed in: {shares} (languages with at least "
            f"{cfg.taxonomy_rules.language_share:.0%} of the stored feedback, [taxonomy] "
            "language_share)",
            soft_wrap=True,
        )
    problems = validate_taxonomy(cfg.taxonomy, rule)
    for line in problems:
        out.print(line, soft_wrap=True)
    if problems:
        raise TaxonomyError(f"{len(problems)} problem(s) in {cfg.taxonomy}; fix them (see above)")
    taxonomy = load_taxonomy(cfg.taxonomy)
    conflicts = [] if no_embeddings else _conflicts(cfg)
    for line in overlaps(conflicts, taxonomy):
        out.print(f"warning: {line}", soft_wrap=True)
    shown = conflicts if show_all else sorted(conflicts, key=lambda c: c.own - c.other)[:10]
    for conflict in shown:
        out.print(f"warning: {explain(conflict, taxonomy, rule)}", soft_wrap=True)
    if len(shown) < len(conflicts):
        out.print(f"... and {len(conflicts) - len(shown)} more (--all lists every one)")
    out.print(
        f"taxonomy ok: {len(taxonomy.intents)} intents, version {taxonomy.version}"
        + ("" if no_embeddings else f"; {len(conflicts)} examples closer to another intent"),
        soft_wrap=True,
    )
    if strict and conflicts:
        raise TaxonomyError(
            f"{len(conflicts)} examples sit closer to another intent than to their own "
            "(--strict); move, reword or remove them"
        )


def _conflicts(cfg: Any) -> list[Any]:
    """Examples closer to another intent, from cached vectors (the database's, else a scratch one)."""
    import tempfile
    from pathlib import Path

    from vocmine.store.store import open_store
    from vocmine.themes.review import example_conflicts, example_vectors

    taxonomy = load_taxonomy(cfg.taxonomy)
    with tempfile.TemporaryDirectory(prefix="vocmine-validate-") as scratch:
        # An existing database caches the example vectors; never create one just to validate.
        path = cfg.db if cfg.db.exists() else Path(scratch) / "vectors.db"
        store = open_store(path)
        try:
            vectors, _ = example_vectors(store, taxonomy, config=cfg)
        finally:
            store.close()
    return example_conflicts(vectors, taxonomy, k=cfg.assign.k)
