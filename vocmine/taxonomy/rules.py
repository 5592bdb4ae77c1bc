"""The example rule that follows the data: which languages an intent needs examples in.

An intent needs ``[taxonomy] min_examples`` phrases (5) in at least ``min_languages`` (1), and at
least one in every language that makes up ``language_share`` (10%) or more of the stored
feedback whose language is known, and at least ``MIN_ITEMS`` items (a handful of reviews, one
misdetected, must not demand Somali examples). Without a database there is nothing to go by: any
one language.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from vocmine.config import load_config
    >>> cfg = load_config(db=Path(tempfile.mkdtemp()) / "vocmine.db")
    >>> example_rule(cfg).languages  # no database yet: any one language
    ()
    >>> shares = language_shares({"en": 950, "fr": 40, "und": 10})  # an English-only app
    >>> rule_from_shares(shares, cfg.taxonomy_rules).languages
    ('en',)
"""

from __future__ import annotations

from typing import Any

from vocmine.models import UNDETERMINED
from vocmine.store.store import open_store
from vocmine.taxonomy.schema import LANGUAGE_RE, ExampleRule

MIN_ITEMS = 20  # fewer items in a language than this never make it a main language


def language_shares(counts: dict[str, int]) -> dict[str, float]:
    """Language -> share of the items whose language is known (``und`` and odd codes left out;
    languages with fewer than ``MIN_ITEMS`` items get a share of 0)."""
    known = {
        lang: n for lang, n in counts.items() if lang != UNDETERMINED and LANGUAGE_RE.match(lang)
    }
    total = sum(known.values())
    if not total:
        return {}
    return {lang: (n / total if n >= MIN_ITEMS else 0.0) for lang, n in sorted(known.items())}


def rule_from_shares(shares: dict[str, float], settings: Any) -> ExampleRule:
    """The rule for feedback in these language shares under ``[taxonomy]`` ``settings``."""
    main = sorted(
        (lang for lang, share in shares.items() if share >= settings.language_share),
        key=lambda lang: (-shares[lang], lang),
    )
    return ExampleRule(
        min_examples=settings.min_examples,
        min_languages=settings.min_languages,
        languages=tuple(main),
        shares=dict(shares),
    )


def stored_language_counts(config: Any) -> dict[str, int]:
    """Items per language in the configured database; empty when it does not exist."""
    if not config.db.exists():
        return {}
    store = open_store(config.db)
    try:
        rows = store.conn.execute("SELECT language, COUNT(*) FROM items GROUP BY language")
        return {str(lang): int(n) for lang, n in rows}
    finally:
        store.close()


def example_rule(config: Any) -> ExampleRule:
    """The rule under ``config``: its [taxonomy] settings and the stored feedback's languages."""
    return rule_from_shares(language_shares(stored_language_counts(config)), config.taxonomy_rules)
