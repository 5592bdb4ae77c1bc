"""What is stored: the library side of ``vocmine status``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vocmine.config import Config
from vocmine.measure.metrics import rejects_summary, runs
from vocmine.store.store import Store
from vocmine.themes.embed import canonical_model_id


@dataclass
class Summary:
    """Counts to show, as rows of strings (the first row is the header)."""

    by_source: list[list[str]] = field(default_factory=list)
    by_month: list[list[str]] = field(default_factory=list)
    by_language: list[list[str]] = field(default_factory=list)
    last_runs: list[list[str]] = field(default_factory=list)
    live_sources: list[list[str]] = field(default_factory=list)
    rejects: list[tuple[str, str, str]] = field(default_factory=list)

    def tables(self) -> list[tuple[str, list[list[str]]]]:
        """(title, rows) of every non-empty table, in display order."""
        named = [
            ("items by source", self.by_source),
            ("items by month", self.by_month),
            ("items by language", self.by_language),
            ("live sources: where the next pull starts", self.live_sources),
            ("last runs", self.last_runs),
        ]
        return [(title, rows) for title, rows in named if len(rows) > 1]


def _rows(store: Store, sql: str, params: tuple[object, ...] = ()) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in store.conn.execute(sql, params)]


def summarise(store: Store, *, config: Config) -> Summary:
    """Items per source, month and language, embedding and assignment coverage, last runs."""
    model = canonical_model_id(config.embedding.model)
    summary = Summary()
    summary.by_source = [
        ["source", "kind", "items", "embedded", "first", "last"],
        *_rows(
            store,
            "SELECT source, GROUP_CONCAT(DISTINCT kind), COUNT(*), "
            "SUM(EXISTS (SELECT 1 FROM embeddings e WHERE e.model = ? AND e.text_hash = i.text_hash)), "
            "SUBSTR(MIN(created_at), 1, 10), SUBSTR(MAX(created_at), 1, 10) "
            "FROM items i GROUP BY source ORDER BY source",
            (model,),
        ),
    ]
    summary.by_month = [
        ["month", "items", "assigned", "unassigned", "not yet assigned"],
        *_rows(
            store,
            "SELECT month, COUNT(*), SUM(a.intent_id IS NOT NULL), "
            "SUM(a.item_id IS NOT NULL AND a.intent_id IS NULL), SUM(a.item_id IS NULL) "
            "FROM items i LEFT JOIN assignments a ON a.item_id = i.id GROUP BY month ORDER BY month",
        ),
    ]
    summary.by_language = [["language", "items", "share"]] + [
        [lang, str(n), f"{100 * n / total:.1f}%"]
        for lang, n, total in store.conn.execute(
            "SELECT language, COUNT(*), (SELECT COUNT(*) FROM items) FROM items "
            "GROUP BY language ORDER BY COUNT(*) DESC, language"
        )
    ]
    summary.last_runs = [["run", "command", "started", "status", "counts"]] + [
        [str(r["id"]), r["command"], r["started_at"], r["status"], _brief(r["counts"])]
        for r in runs(store, 5)
    ]
    summary.live_sources = [["source", "stored up to", "pull in progress", "saved by run"]] + [
        [source, *describe_state(json.loads(state)), "" if run is None else f"{run} ({started})"]
        for source, state, run, started in store.conn.execute(
            "SELECT s.source, s.state, s.run, SUBSTR(r.started_at, 1, 16) FROM source_state s "
            "LEFT JOIN runs r ON r.id = s.run ORDER BY s.source"
        )
    ]
    summary.rejects = rejects_summary(store)[1]
    return summary


def describe_state(state: dict[str, Any]) -> tuple[str, str]:
    """(what a live source has stored up to, whether a pull is half done), for people.

    Newest-first feeds (Play and App Store: one per app and locale or country) each keep a
    high-water ``mark`` and an unfinished ``pull``; Zendesk keeps an opaque tickets cursor and
    the newest satisfaction rating seen.

    Example:
        >>> describe_state({"feeds": {"app/fr": {"mark": "2026-10-31T08:00:00Z", "pull": {}}}})
        ('reviews to 2026-10-31 08:00 UTC', 'yes: the next run goes on from its page')
    """
    parts = []
    feeds = [f for f in (state.get("feeds") or {}).values() if isinstance(f, dict)]
    marks = sorted(_when(str(f["mark"])) for f in feeds if f.get("mark"))
    if marks and len(feeds) == 1:
        parts.append(f"reviews to {marks[0]}")
    elif marks:
        parts.append(f"{len(feeds)} feeds: reviews to {marks[0]} .. {marks[-1]}")
    if state.get("tickets_cursor"):
        parts.append("tickets: cursor saved")
    ratings = state.get("ratings")
    if isinstance(ratings, dict) and ratings.get("newest"):
        parts.append(f"ratings to {_when(str(ratings['newest']))}")
    busy = any(isinstance(f.get("pull"), dict) for f in feeds) or (
        isinstance(ratings, dict) and ratings.get("after") is not None
    )
    return (
        "; ".join(parts) or "nothing yet",
        "yes: the next run goes on from its page" if busy else "no",
    )


def _when(moment: str) -> str:
    """An ISO timestamp as '2026-10-31 08:00 UTC' (as stored when it is not one)."""
    try:
        parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return moment
    return parsed.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _brief(counts: dict[str, object]) -> str:
    parts = []
    # Sources first, then totals (embedded, assigned), each group in name order.
    for key, value in sorted(counts.items(), key=lambda kv: (not isinstance(kv[1], dict), kv[0])):
        if isinstance(value, dict):
            parts.append(f"{key}: +{value.get('new', 0)} new, {value.get('rejected', 0)} rejected")
        else:
            parts.append(f"{key} {value}")
    return "; ".join(parts)
