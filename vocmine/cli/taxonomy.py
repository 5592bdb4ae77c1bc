"""``vocmine taxonomy ...``: edit and check the taxonomy from the command line (thin layer).

Every editing command validates the result before writing, records the change in the taxonomy's
CHANGELOG.md and, when the database exists, re-assigns items from cached vectors and prints what
moved. The work is done by :mod:`vocmine.taxonomy.edit` and :mod:`~vocmine.taxonomy.decide`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Annotated, Any

import typer

from vocmine.cli.common import (
    config_of,
    handle_errors,
    load_taxonomy,
    out,
)
from vocmine.cli.edits import Step, apply_edit, apply_steps, command_line, distinct_ids, today_utc
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
    command = command_line(
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
    apply_edit(
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
        today=today_utc(),
        command=command_line("reject", month, *keys, ("--reason", reason)),
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
    name: Annotated[str | None, typer.Option(help="New name of INTO, the merged theme.")] = None,
    problem: Annotated[
        str | None, typer.Option(help="New problem statement of INTO, the merged theme.")
    ] = None,
    no_reassign: NoReassign = False,
) -> None:
    """INTO absorbs each FROM's examples; FROM ids live on as aliases, so trends follow them.

    Several FROM are merged in turn, all or none (an unknown id writes nothing), each with its
    own changelog entry; items are re-assigned once. --name and --problem then describe the
    merged theme (as 'edit INTO' would, in the same all-or-none step).

    Example: vocmine taxonomy merge ads.rewarded_ad_failure ads.too_many_ads --name "Ads"
    --reason "..."
    """
    from vocmine.taxonomy.edit import merge as merge_edit

    steps: list[Step] = [
        (
            merge_edit,
            (source, target),
            {
                "reason": reason,
                "command": command_line("merge", source, target, ("--reason", reason)),
            },
        )
        for source in distinct_ids(sources, "merge")
    ]
    if name is not None or problem is not None:  # the merged theme is wider: say what it is now
        steps.append(_edit_step(target, name=name, problem=problem, reason=reason))
    apply_steps(ctx, steps, no_reassign=no_reassign)


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

    command = command_line(
        "rename", intent_id, ("--name", name), ("--id", new_id), ("--reason", reason)
    )
    apply_edit(
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

    command = command_line("move", intent_id, category, ("--id", new_id), ("--reason", reason))
    apply_edit(
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
            {"reason": reason, "command": command_line("retire", intent_id, ("--reason", reason))},
        )
        for intent_id in distinct_ids(intent_ids, "retire")
    ]
    apply_steps(ctx, steps, no_reassign=no_reassign)


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

    command = command_line(
        "add-examples", intent_id, *texts, ("--lang", lang), ("--reason", reason)
    )
    apply_edit(
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
        list[str],
        typer.Argument(
            metavar="TEXT...",
            help="Example phrases, as in the YAML; another intent's ID starts that intent's list.",
        ),
    ],
    reason: Reason,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Only in this language (default: any).")
    ] = None,
    no_reassign: NoReassign = False,
) -> None:
    """Take example phrases out of an intent (a drafted one may hold another theme's text).

    Several intents in one command: ID TEXT... ID2 TEXT...; an argument that is an intent's id
    starts that intent's phrases. All or none, one changelog entry per intent.

    Example: vocmine taxonomy remove-examples app.crash "my phone is slow" --reason "not a crash"
    """
    from vocmine.taxonomy.create import remove_examples as remove_edit
    from vocmine.taxonomy.edit import phrase_key

    own = {
        intent.id: {phrase_key(text) for _, text in intent.all_examples()}
        for intent in load_taxonomy(config_of(ctx).taxonomy).intents
    }
    steps: list[Step] = []
    for target, phrases in _phrase_groups(intent_id, texts, own, phrase_key):
        command = command_line(
            "remove-examples", target, *phrases, ("--lang", lang), ("--reason", reason)
        )
        steps.append(
            (remove_edit, (target, phrases), {"lang": lang, "reason": reason, "command": command})
        )
    apply_steps(ctx, steps, no_reassign=no_reassign)


def _phrase_groups(
    first: str, args: list[str], own: dict[str, set[str]], key: Callable[[str], str]
) -> list[tuple[str, list[str]]]:
    """``ID a b ID2 c`` -> [(ID, [a, b]), (ID2, [c])]: an argument that is an intent's id starts
    that intent's group, unless it is an example phrase of the current group's intent (``own``:
    id -> its examples' keys), so that no example is out of reach."""
    groups: list[tuple[str, list[str]]] = [(first, [])]
    for arg in args:
        if arg in own and key(arg) not in own.get(groups[-1][0], set()):
            groups.append((arg, []))
        else:
            groups[-1][1].append(arg)
    empty = [target for target, phrases in groups if not phrases]
    if empty:
        raise TaxonomyError(f"no phrase after '{empty[0]}': give the example phrases to take out")
    targets = [target for target, _ in groups]
    distinct_ids(targets, "list")
    return groups


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

    command = command_line(
        "add-category", category_id, ("--name", name), ("--description", description),
        ("--reason", reason),
    )  # fmt: skip
    apply_edit(ctx, add_edit, category_id, name=name, description=description, reason=reason,
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

    command = command_line(
        "edit-category", category_id, ("--name", name), ("--description", description),
        ("--reason", reason),
    )  # fmt: skip
    apply_edit(ctx, edit_edit, category_id, name=name, description=description, reason=reason,
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
    grow: Annotated[
        int,
        typer.Option(
            min=0,
            help="Also take up to N examples from the stored feedback: the texts closest to the "
            "centre of the written ones (short, not an example yet, of the intent's sign by "
            "their stars).",
        ),
    ] = 0,
    no_reassign: NoReassign = False,
) -> None:
    """Add an intent to its category (the id's prefix), with its examples.

    Example: vocmine taxonomy add-intent streaming.casting --name "Casting to TV" --problem
    "Users who cast to a TV lose the picture." --example "en:chromecast keeps disconnecting" ...
    --grow 40 --reason "seen in August"
    """
    from vocmine.taxonomy.create import add_intent as add_edit

    examples = [_lang_text(e) for e in example or []]
    if grow:
        examples += _grown(ctx, examples, n=grow, kind=intent_type)
    command = command_line(
        "add-intent", intent_id, ("--name", name), ("--problem", problem),
        ("--type", None if intent_type == "problem" else intent_type),
        ("--description", description), *[("--example", e) for e in example or []],
        ("--grow", grow or None), ("--reason", reason),
    )  # fmt: skip
    apply_edit(ctx, add_edit, intent_id, name=name, problem=problem, examples=examples,
           intent_type=intent_type, description=description, reason=reason, command=command,
           no_reassign=no_reassign)  # fmt: skip


def _grown(
    ctx: typer.Context, written: list[tuple[str, str]], *, n: int, kind: str
) -> list[tuple[str, str]]:
    """``--grow N``: the stored texts closest to the written examples, printed as they go in."""
    from vocmine.cli.common import open_project
    from vocmine.pipeline.grow import grow_examples
    from vocmine.taxonomy.rules import example_rule

    project = open_project(ctx, needs_data="--grow takes examples from the stored feedback")
    with project as (cfg, store):
        grown = grow_examples(
            store, config=cfg, written=written, n=n, kind=kind,
            taxonomy=load_taxonomy(cfg.taxonomy), languages=example_rule(cfg).languages,
        )  # fmt: skip
    out.print(f"--grow: {len(grown)} examples from the stored feedback, closest first:")
    for lang, text in grown[:5]:
        out.print(f"  {lang}: {text}", soft_wrap=True, markup=False)
    return grown


@taxonomy_app.command()
@handle_errors
def edit(
    ctx: typer.Context,
    intent_ids: Annotated[list[str], typer.Argument(metavar="ID", help="One or more intents.")],
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

    Several ids take the same --type or --description (e.g. mark themes that are not about the
    product 'other'), all or none; a name or problem statement is one intent's.

    Example: vocmine taxonomy edit app.crash --problem "Users who ..." --reason "clearer"
    """
    if len(intent_ids) > 1 and (name is not None or problem is not None):
        raise TaxonomyError(
            "--name and --problem describe one intent: give one ID (several take --type and "
            "--description)"
        )
    steps = [
        _edit_step(
            intent_id,
            name=name,
            problem=problem,
            description=description,
            intent_type=intent_type,
            reason=reason,
        )
        for intent_id in distinct_ids(intent_ids, "edit")
    ]
    apply_steps(ctx, steps, no_reassign=no_reassign)


def _edit_step(
    intent_id: str,
    *,
    reason: str,
    name: str | None = None,
    problem: str | None = None,
    description: str | None = None,
    intent_type: str | None = None,
) -> Step:
    """One intent's edit as a batch step, with the command that replays it in the changelog."""
    from vocmine.taxonomy.create import edit_intent

    command = command_line(
        "edit", intent_id, ("--name", name), ("--problem", problem),
        ("--description", description), ("--type", intent_type), ("--reason", reason),
    )  # fmt: skip
    kwargs = {"name": name, "problem": problem, "description": description,
              "intent_type": intent_type, "reason": reason, "command": command}  # fmt: skip
    return (edit_intent, (intent_id,), kwargs)


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
