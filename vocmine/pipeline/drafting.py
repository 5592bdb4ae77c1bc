"""``vocmine taxonomy draft``: a first taxonomy drawn from the stored feedback.

    refuse early if a taxonomy someone wrote would be replaced
    -> embed what has no vector -> discovery over every item of the period (seeded)
    -> draft (vocmine.themes.draft) -> write it (vocmine.taxonomy.drafted)
    -> assign every item to the new taxonomy and measure the share assigned

Discovery runs with the current taxonomy (the starter, usually) only because it needs one for
its bookkeeping; with every item clustered its intents play no part in the themes.

Usage::

    outcome = draft_taxonomy(store, config=cfg, period=Period("2024-08", include_assigned=True),
                             replace=False, today=date(2026, 11, 22), command="...")
    outcome.share  # -> 0.74
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from dataclasses import replace as with_fields
from datetime import date

import numpy as np

from vocmine.config import Config, DiscoverConfig
from vocmine.errors import ConfigError, TaxonomyError
from vocmine.pipeline.update import Hooks, embed_and_assign
from vocmine.project import starter_taxonomy
from vocmine.store.store import Store
from vocmine.taxonomy.drafted import (
    DEFAULT_EXAMPLES,
    Draft,
    Written,
    as_taxonomy,
    check_writable,
    reserved_ids,
    write_draft,
)
from vocmine.taxonomy.model import Taxonomy, load_taxonomy
from vocmine.taxonomy.rules import example_rule
from vocmine.themes.assign import configured_key
from vocmine.themes.clustering import normalised
from vocmine.themes.discover import Period, Step, discover, load_candidates
from vocmine.themes.draft import build_draft, examples_of_its_sign, typed_by_stars
from vocmine.themes.embed import cached_vectors, resolve_model


@dataclass(frozen=True)
class DraftOutcome:
    """What the draft command did and how well the new taxonomy covers the data.

    Attributes:
        draft: The drafted taxonomy.
        written: Files, versions, what was replaced.
        assigned: Items of the period assigned to a drafted intent.
        total: Items of the period.
        month: The period's last month with a real share of the items (see
            :func:`last_full_month`), and its (assigned, total).
        off_sign: Examples taken out because their own reviews' stars contradict their
            intent's type (:func:`vocmine.themes.draft.examples_of_its_sign`).
    """

    draft: Draft
    written: Written
    assigned: int
    total: int
    month: str
    month_counts: tuple[int, int]
    off_sign: int = 0

    @property
    def share(self) -> float:
        """Share of the period's items assigned to an intent."""
        return self.assigned / self.total if self.total else 0.0


def period_label(period: Period, months: list[str]) -> str:
    """``2024-08``, or ``2024-02..2024-09`` for several months."""
    covered = period.months(months)
    if not covered:
        return period.month
    return covered[0] if len(covered) == 1 else f"{covered[0]}..{covered[-1]}"


def reference_taxonomy(config: Config, *, replace: bool) -> Taxonomy:
    """The taxonomy discovery runs with: the project's, else (none yet) the starter."""
    try:
        return load_taxonomy(config.taxonomy)
    except TaxonomyError:
        check_writable(config.taxonomy, replace=replace)  # a broken taxonomy someone wrote
        return load_taxonomy(starter_taxonomy())


def draft_taxonomy(
    store: Store,
    *,
    config: Config,
    period: Period,
    replace: bool,
    today: date,
    command: str,
    reason: str = "first taxonomy drawn from the stored feedback",
    per_language: int = DEFAULT_EXAMPLES,
    hooks: Hooks = Hooks(),
    on_step: Step | None = None,
) -> DraftOutcome:
    """Cluster the period's items, write the draft taxonomy, assign every item to it.

    Raises:
        ConfigError: Nothing is stored, or too few items to cluster.
        TaxonomyError: The taxonomy folder holds a taxonomy someone wrote and ``replace`` is
            False (checked before any clustering).
    """
    step = on_step or (lambda _name: None)
    months = store.months()
    if not months:
        raise ConfigError(f"no feedback is stored in {config.db}; run 'vocmine ingest' first")
    check_writable(config.taxonomy, replace=replace)
    config = resolve_model(config, store)
    rule = example_rule(config)
    period = Period(period.month, since=period.since, include_assigned=True)
    label = period_label(period, months)
    with store.recorded_run(command, {"period": label, "replace": replace}) as run:
        reference = reference_taxonomy(config, replace=replace)
        step("embedding")
        embed_and_assign(store, config=config, taxonomy=reference, hooks=hooks)
        # Ask discovery for more examples than it proposes: the draft keeps the short ones.
        settings = replace_examples(config, per_language)
        found = discover(
            store, config=config, taxonomy=reference, period=period, settings=settings,
            on_step=on_step,
        )  # fmt: skip
        step("drafting intents and categories")
        centres = example_centres(store, config=config, examples={
            p.key: [t for texts in p.examples.values() for t in texts] for p in found.proposals
        })  # fmt: skip
        draft = build_draft(
            found,
            centres=centres,
            rule=rule,
            per_language=per_language,
            period=label,
            reserved=reserved_ids(config.taxonomy) if replace else set(),
        )
        step("assigning every item to the draft")
        # Assigned before it is written, to type it by the stars of its items. Every intent is
        # `other` there: a short praise text ("good app") takes only a praise or other intent
        # (themes.gate.misfits), and the stars must be those of every item the examples draw.
        scratch = as_taxonomy(_typed_other(draft), rule)
        embed_and_assign(store, config=config, taxonomy=scratch, hooks=hooks)
        draft = typed_by_stars(draft, intent_stars(store, configured_key(scratch, config)))
        draft, off_sign = examples_of_its_sign(draft, example_stars(store, draft), rule)
        step("writing the taxonomy")
        written = write_draft(
            config.taxonomy, draft, replace=replace, today=today, command=command,
            reason=reason, rule=rule,
        )  # fmt: skip
        drafted = load_taxonomy(config.taxonomy, rule)
        embed_and_assign(store, config=config, taxonomy=drafted, hooks=hooks)
        key = configured_key(drafted, config)
        items = load_candidates(store, period.months(months), key=key)
        if period.since is not None:
            items = [c for c in items if c.day >= period.since.isoformat()]
        month = last_full_month(Counter(c.month for c in items)) or period.month
        last = [c for c in items if c.month == month]
        outcome = DraftOutcome(
            draft=draft,
            written=written,
            assigned=sum(c.intent_id is not None for c in items),
            total=len(items),
            month=month,
            month_counts=(sum(c.intent_id is not None for c in last), len(last)),
            off_sign=off_sign,
        )
        run.counts.update(
            intents=len(draft.intents),
            categories=len(draft.categories),
            left_out=len(draft.left_out),
            examples_off_sign=off_sign,
            assigned=outcome.assigned,
            items=outcome.total,
        )
    return outcome


def last_full_month(counts: Counter[str]) -> str | None:
    """The last month holding at least a fifth of an average month's items: a month of data
    that stops after a few days (5 items of September) says little about the draft.

    Example:
        >>> last_full_month(Counter({"2024-07": 4897, "2024-08": 3223, "2024-09": 5}))
        '2024-08'
    """
    if not counts:
        return None
    mean = sum(counts.values()) / len(counts)
    full = [m for m in sorted(counts) if counts[m] >= 0.2 * mean]
    return full[-1] if full else max(counts)


def _typed_other(draft: Draft) -> Draft:
    """The draft with every intent typed ``other`` (before its stars type it)."""
    categories = tuple(
        with_fields(c, intents=tuple(with_fields(i, type="other") for i in c.intents))
        for c in draft.categories
    )
    return with_fields(draft, categories=categories)


def replace_examples(config: Config, per_language: int) -> DiscoverConfig:
    """[discover] settings asking for ``per_language`` candidate examples (twice, to filter).

    The split share stays discovery's: a draft split down to 5% of the items (95 intents on
    the Netflix reviews) left most themes without 40 short examples and assigned 60% of
    August 2024 against 75% (docs/quality.md)."""
    settings = config.discover
    # Praise themes become praise intents in a draft (typed by their stars), not a bucket.
    return with_fields(
        settings, examples=max(settings.examples, 2 * per_language), noise_by_rating=False
    )


def example_centres(
    store: Store, *, config: Config, examples: dict[str, list[str]]
) -> dict[str, np.ndarray]:
    """Unit centre of each proposal's example texts (embedding only texts not cached yet).

    The examples are stored texts, so their vectors are almost always cached; one whose
    spacing was normalised is embedded here.
    """
    from vocmine.prepare.normalise import text_hash

    pairs = sorted({(text_hash(t), t) for texts in examples.values() for t in texts})
    every = cached_vectors(
        store, pairs, model=config.embedding.model, batch_size=config.embedding.batch_size
    )
    row = {h: i for i, (h, _) in enumerate(pairs)}
    centres = {}
    for key, texts in examples.items():
        if not texts:
            continue
        vectors = normalised(every[[row[text_hash(t)] for t in texts]])
        centres[key] = normalised(vectors.mean(axis=0, keepdims=True))[0]
    return centres


def intent_stars(store: Store, key: str) -> dict[str, tuple[float, int]]:
    """Intent -> (mean star rating, rated items) of the items assigned under ``key``."""
    rows = store.conn.execute(
        "SELECT a.intent_id, AVG(i.rating), COUNT(i.rating) FROM assignments a "
        "JOIN items i ON i.id = a.item_id WHERE a.assign_key = ? AND a.intent_id IS NOT NULL "
        "AND i.rating IS NOT NULL GROUP BY a.intent_id ORDER BY a.intent_id",
        (key,),
    )
    return {str(intent): (float(mean), int(n)) for intent, mean, n in rows}


def example_stars(store: Store, draft: Draft) -> dict[str, float]:
    """Example text (case folded) -> mean star rating of the stored items with that text."""
    from vocmine.prepare.normalise import text_hash

    texts = {text_hash(t): t for i in draft.intents for ts in i.examples.values() for t in ts}
    return {texts[h].casefold(): mean for h, mean in store.stars_of_texts(texts).items()}
