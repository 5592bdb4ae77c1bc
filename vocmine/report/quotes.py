"""Quotes for the report: short, redacted, representative, from distinct users and sources."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from vocmine.models import UNASSIGNED
from vocmine.store.store import Store


@dataclass(frozen=True)
class Quote:
    """A short redacted quote and where it comes from."""

    text: str
    kind: str
    source: str
    language: str
    date: str
    external_id: str = ""
    extra: str = "{}"


# A quote must be assigned with a clear margin over the runner-up intent: an item that sits
# between two themes does not show what either is about.
QUOTE_MARGIN = 0.05


def pick_quotes(
    frame: pd.DataFrame,
    intent_id: str,
    month: str,
    n: int,
    *,
    exclude: set[str] | frozenset[str] = frozenset(),
    margin: float = QUOTE_MARGIN,
) -> list[Quote]:
    """The ``n`` most representative short quotes of a theme, from distinct users and sources.

    Representative = closest to the centre of the theme's items this month (column
    ``centrality``, cosine similarity to their mean vector), or, without that column, highest
    assignment score. Variety: one quote per user, no two quotes that start alike, and sources
    and languages taken in turn where possible.

    Example:
        >>> frame = pd.DataFrame({
        ...     "id": range(4), "intent_id": "app.crash", "month": "2026-10", "kind": "review",
        ...     "created_at": "2026-10-03", "language": "en", "score": [0.95, 0.94, 0.93, 0.9],
        ...     "user_hash": ["u1", "u1", "u2", "u3"], "source": ["play"] * 3 + ["appstore"],
        ...     "text": ["The app crashes when I open it", "It crashes again after the update",
        ...              "Crashes every time I start a walk", "Crash on launch since 4.2"]})
        >>> [(q.source, q.text) for q in pick_quotes(frame, "app.crash", "2026-10", 2)]
        [('play', 'The app crashes when I open it'), ('appstore', 'Crash on launch since 4.2')]
    """
    mine = frame[(frame["intent_id"] == intent_id) & (frame["month"] == month)]
    mine = mine[mine["text"].str.len().between(20, 280)]
    if intent_id != UNASSIGNED and {"runner_up_score", "score"} <= set(mine.columns):
        gap = mine["score"] - mine["runner_up_score"].fillna(0.0)
        mine = mine[gap.fillna(1.0) >= margin]
    if exclude:  # never the taxonomy's own examples, copied from feedback
        mine = mine[~mine["text"].map(_folded).isin(exclude)]
    key = "centrality" if "centrality" in mine.columns else "score"
    if intent_id != UNASSIGNED and margin > 0 and len(mine) >= 10:
        # (margin 0 turns these on-theme rules off, with the margin's.)
        # Representative: from the more typical half of the theme's items, and in a language
        # that holds at least a tenth of them (a rare language's item is rarely typical).
        mine = mine[mine[key] >= mine[key].median()]
        langs = mine["language"].value_counts(normalize=True)
        mine = mine[mine["language"].map(langs) >= 0.1]
    mine = mine.sort_values([key, "id"], ascending=[False, True])
    chosen: list[pd.Series] = []
    users: set[str] = set()
    starts: set[str] = set()
    # Passes from strictest to loosest: a new source and a new language, then either, then any.
    for wanted in (2, 1, 0):
        for _, row in mine.iterrows():
            if len(chosen) >= n:
                break
            start = re.sub(r"\W+", "", row["text"].lower())[:30]
            user = row["user_hash"] if isinstance(row["user_hash"], str) else f"item{row['id']}"
            if start in starts or user in users:
                continue
            novelty = (row["source"] not in {c["source"] for c in chosen}) + (
                row["language"] not in {c["language"] for c in chosen}
            )
            if novelty < wanted:
                continue
            chosen.append(row)
            users.add(user)
            starts.add(start)
    return [
        Quote(
            text=_shorten(r["text"]),
            kind=r["kind"],
            source=r["source"],
            language=r["language"],
            date=r["created_at"][:10],
            external_id=str(r.get("external_id", "")),
            extra=str(r.get("extra") or "{}"),
        )
        for r in chosen
    ]


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def taxonomy_examples(taxonomy: Any) -> frozenset[str]:
    """Every example phrase of the taxonomy, folded (case, punctuation, spaces)."""
    return frozenset(
        _folded(phrase)
        for intent in taxonomy.intents
        for phrases in intent.examples.values()
        for phrase in phrases
    )


def _shorten(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def add_centrality(frame: pd.DataFrame, store: Store, model: str, month: str) -> pd.DataFrame:
    """Add ``centrality``: each item's cosine similarity to its theme's mean vector this month.

    Uses the vectors cached in the store (no model is loaded). Items of other months get NaN.
    """
    out = frame.copy()
    out["centrality"] = np.nan
    now = out[out["month"] == month]
    if now.empty:
        return out
    vectors = store.vectors(model, now["text_hash"].tolist())
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1.0, norms)
    intents = now["intent_id"].to_numpy()
    sims = np.zeros(len(now))
    for intent in sorted(set(intents)):
        rows = intents == intent
        centre = vectors[rows].mean(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        sims[rows] = vectors[rows] @ centre
    # Rounded: the order of quotes must not hinge on the last bits of a float sum.
    out.loc[now.index, "centrality"] = np.round(sims, 6)
    return out


def no_user_ids_hint(ctx: Any) -> str:
    """'; source zendesk has no user id: map --user-id-col' for sources without any user id."""
    now = ctx.frame[ctx.frame["month"] == ctx.metrics.month]
    missing = sorted(
        str(s)
        for s, ids in now.groupby("source")["user_hash"].count().items()
        if ids == 0 and (now.loc[now["source"] == s, "kind"] != "review").any()
    )
    if not missing:
        return ""
    names = ", ".join(missing)
    return (
        f" ({names}: no user id, so tickets and comments count no user; map the author column "
        "with `--user-id-col` or `user_id` under `[sources.NAME.columns]`)"
    )


def quotable(users: int, minimum: int) -> bool:
    """Whether a theme may be quoted: at least ``minimum`` distinct users wrote about it.

    Below that, a quote could point at one person; the theme is counted but not quoted.
    """
    return users >= minimum
