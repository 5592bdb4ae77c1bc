"""The ``discover`` and ``eval`` commands: thin, like the rest of the CLI.

They are registered on the main app by :func:`register` (called at the end of vocmine.cli.app), so
that discovery and evaluation live apart from the ingest and report commands.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from vocmine.cli.common import (
    bar_starter,
    command_name,
    handle_errors,
    open_project,
    out,
    progress_bar,
)
from vocmine.errors import ConfigError


def _month(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value) or not 1900 <= int(value[:4]) <= 2999:
        raise ConfigError(f"--month {value!r} is not a month; use YYYY-MM, e.g. 2026-10")
    return value


def _checked(flag: str, value: float | None, section: str, key: str, example: Any) -> None:
    """A flag that overrides a config number is held to the same range (see config.RANGES)."""
    from vocmine.config import RANGES, check_range

    if value is not None:
        check_range(flag, value, RANGES[section][key], example)


def discover(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option(help="Month to discover in, YYYY-MM. Default: the last month stored."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Cluster everything from this day (YYYY-MM-DD) to --month instead."),
    ] = None,
    all_items: Annotated[
        bool, typer.Option("--all", help="Cluster every item, not only the unassigned ones.")
    ] = False,
    seed: Annotated[int | None, typer.Option(help="Seed. Default: [discover] seed.")] = None,
) -> None:
    """Propose new intents from what the taxonomy left unassigned: taxonomy/proposals/YYYY-MM.yaml.

    Praise, complaints without content, emoji and unreadable languages are counted in buckets,
    never proposed; a cluster above [discover] max_share is split again.

    Example: vocmine discover --month 2026-10
    """
    from vocmine.cli.common import load_taxonomy, parse_since
    from vocmine.pipeline.update import propose
    from vocmine.themes.discover import Period

    _checked("--seed", seed, "discover", "seed", 42)
    if month is not None:  # --month "" is a mistake, not "the last month"
        _month(month)
    with open_project(ctx) as (cfg, store), progress_bar() as bar:
        taxonomy = load_taxonomy(cfg.taxonomy)
        months = store.months()
        if not months:
            raise ConfigError("the database has no items; run 'vocmine ingest' first")
        chosen = months[-1] if month is None else month
        start = parse_since(since)
        period = Period(chosen, since=start.date() if start else None, include_assigned=all_items)
        command = " ".join(
            [command_name(ctx), f"--month {chosen}"]
            + ([f"--since {since}"] if since else [])
            + (["--all"] if all_items else [])
            + ([f"--seed {seed}"] if seed is not None else [])
        )
        task = bar.add_task("bringing assignments up to date", total=5)
        found, path = propose(
            store,
            config=cfg,
            taxonomy=taxonomy,
            period=period,
            settings=cfg.discover if seed is None else replace(cfg.discover, seed=seed),
            command=command,
            on_step=lambda name: bar.update(task, advance=1, description=name),
        )
        bar.update(task, completed=5, description="done")
    _print_discovery(found, path)


def _print_discovery(found: Any, path: Path) -> None:
    table = Table(title=f"proposals for {found.month}", title_justify="left")
    for col in ("key", "suggestion", "id", "name", "size", "users", "nearest intent", "keywords"):
        table.add_column(col, justify="right" if col in {"size", "users"} else "left")
    for p in found.proposals:
        table.add_row(
            p.key,
            p.suggestion,
            p.id,
            p.name,
            str(p.size),
            str(p.users),
            f"{p.nearest_intent} ({p.nearest_similarity:.2f})",
            ", ".join(p.keywords[:5]),
        )
    out.print(table)
    if found.buckets:
        noise = Table(title="set aside: no actionable theme (never proposed)", title_justify="left")
        for col in ("bucket", "items", "examples"):
            noise.add_column(col, justify="right" if col == "items" else "left")
        for b in found.buckets:
            noise.add_row(b.name, str(b.size), " | ".join(b.examples))
        out.print(noise)
    clustered = found.clustered or found.candidates
    if found.buckets:
        aside = sum(b.size for b in found.buckets)
        head = (
            f"{found.candidates} items: {aside} set aside in buckets, {clustered} clustered into "
            f"{len(found.proposals)} proposals (largest: {_largest(found, clustered)}); "
        )
    else:
        head = f"{found.candidates} items clustered into {len(found.proposals)} proposals; "
    out.print(
        head + f"{len(found.overlaps)} overlapping intent pairs; "
        f"{len(found.splits)} intents that split",
        soft_wrap=True,
    )
    out.print(f"wrote {path}", soft_wrap=True)


def _largest(found: Any, clustered: int) -> str:
    if not found.proposals or not clustered:
        return "none"
    return f"{100 * max(p.size for p in found.proposals) / clustered:.1f}% of the clustered items"


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vocmine" / "eval-vectors.db"


def eval_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Labelled CSV/TSV or JSON-lines file.")],
    text_col: Annotated[str, typer.Option(help="Column of the texts.")],
    label_col: Annotated[str, typer.Option(help="Column of the true labels.")],
    mode: Annotated[str, typer.Option(help="assign or discover.")] = "assign",
    shots: Annotated[int, typer.Option(help="assign: examples per label.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the draw and of the clustering.")] = 42,
    lang_col: Annotated[
        str | None, typer.Option(help="Column of the language: adds per-language figures.")
    ] = None,
    examples_lang: Annotated[
        str | None,
        typer.Option(help="assign: draw the examples from this language only (with --lang-col)."),
    ] = None,
    threshold: Annotated[
        float | None, typer.Option(help="assign: score threshold. Default: [assign] threshold.")
    ] = None,
    k: Annotated[int | None, typer.Option(help="assign: k. Default: [assign] k.")] = None,
    method: Annotated[
        str | None,
        typer.Option(help="assign: auto, logistic, nearest or finetune. Default: [assign] method."),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(help="Vector cache (a vocmine database). Default: ~/.cache/vocmine/."),
    ] = None,
    encoding: Annotated[str, typer.Option(help="File encoding.")] = "utf-8-sig",
    baselines: Annotated[
        bool, typer.Option(help="discover: also run BERTopic defaults and KMeans.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Measure assignment or discovery on a labelled file.

    Example: vocmine eval intents.csv --text-col utterance --label-col intent --mode discover
    """
    from vocmine.cli.common import config_of
    from vocmine.themes.evaluate import (
        embed_texts,
        evaluate_assign,
        evaluate_discover,
        read_labelled,
        tuned_vectors,
    )

    if mode not in {"assign", "discover"}:
        raise ConfigError(f"--mode {mode!r}: use assign or discover")
    _checked("--seed", seed, "discover", "seed", 42)
    _checked("--threshold", threshold, "assign", "threshold", 0.5)
    _checked("--k", k, "assign", "k", 3)
    if shots >= 1:  # below 1, evaluate_assign says why an example per label is needed
        _checked("--shots", shots, "assign", "k", 10)  # 1 or more, like k
    cfg = config_of(ctx)
    data = read_labelled(
        file, text_col=text_col, label_col=label_col, lang_col=lang_col, encoding=encoding
    )
    method = cfg.assign.method if method is None else method
    with progress_bar() as bar:
        if mode == "assign" and method == "finetune":
            vectors = tuned_vectors(
                data,
                shots=shots,
                seed=seed,
                cache=cache or _default_cache(),
                model=cfg.embedding.model,
                steps=cfg.assign.finetune_steps,
                batch_size=cfg.embedding.batch_size,
                examples_lang=examples_lang,
                start_tuning=bar_starter(bar, "tuning the model on the examples"),
                start_embedding=bar_starter(bar, "embedding (tuned model)"),
            )
        else:
            vectors = embed_texts(
                data.texts,
                cache=cache or _default_cache(),
                model=cfg.embedding.model,
                batch_size=cfg.embedding.batch_size,
                start_progress=bar_starter(bar, "embedding"),
            )
        if mode == "assign":
            result: Any = evaluate_assign(
                vectors,
                data,
                shots=shots,
                seed=seed,
                threshold=cfg.assign.threshold if threshold is None else threshold,
                k=cfg.assign.k if k is None else k,
                method=method,
                examples_lang=examples_lang,
            )
        else:
            task = bar.add_task("clustering", total=3 if baselines else 1)
            result = evaluate_discover(
                vectors,
                data,
                seed=seed,
                baselines=baselines,
                on_step=lambda name: bar.update(task, advance=1, description=name),
            )
    if as_json:
        typer.echo(json.dumps({"file": file.name, "skipped": data.skipped, **result.as_dict()}))
    elif mode == "assign":
        _print_assign(result, data.skipped)
    else:
        _print_discover(result, data.skipped)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _print_assign(result: Any, skipped: int) -> None:
    out.print(
        f"{result.labels} labels, {result.shots} examples each ({result.examples} in all, "
        + ("" if result.examples_lang is None else f"in {result.examples_lang}, ")
        + f"seed {result.seed}), {result.overall.texts} texts assigned; method {result.method}, threshold "
        f"{result.threshold} (similarity floor {result.gate:.4f} on this model), k {result.k}; "
        f"{skipped} rows skipped",
        soft_wrap=True,
    )
    table = Table(title="assignment", title_justify="left")
    for col in ("texts", "language", "accuracy %", "macro-F1 %", "unassigned %"):
        table.add_column(col, justify="left" if col == "language" else "right")
    rows = [("all", result.overall), *result.languages.items()]
    for name, fig in rows:
        table.add_row(
            str(fig.texts), name, _pct(fig.accuracy), _pct(fig.macro_f1), _pct(fig.unassigned)
        )
    out.print(table)
    if result.confused:
        out.print("most confused (true -> assigned: texts):")
        for truth, predicted, n in result.confused:
            out.print(f"  {truth} -> {predicted}: {n}", soft_wrap=True)


def _print_discover(result: Any, skipped: int) -> None:
    out.print(
        f"{result.texts} texts, {result.labels} true labels, seed {result.seed}; "
        f"{skipped} rows skipped",
        soft_wrap=True,
    )
    groups = [("all", result.methods), *result.languages.items()]
    for name, methods in groups:
        table = Table(title=f"discovery ({name})", title_justify="left")
        for col in ("method", "NMI", "ARI", "accuracy", "clusters", "outliers %"):
            table.add_column(col, justify="left" if col == "method" else "right")
        for m in methods:
            table.add_row(
                m.method,
                _pct(m.nmi),
                _pct(m.ari),
                _pct(m.accuracy),
                str(m.clusters),
                _pct(m.outliers),
            )
        out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``discover`` and ``eval`` to the main app."""
    app.command("discover")(handle_errors(discover))
    app.command("eval")(handle_errors(eval_command))
