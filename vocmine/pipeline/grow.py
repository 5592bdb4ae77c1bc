"""``vocmine taxonomy add-intent --grow N``: examples taken from the stored feedback.

    the written examples -> their vectors (embedded once, then cached)
    -> every distinct stored text with a cached vector -> the N closest to their centre that
       are fit to be examples
       (vocmine.themes.draft.nearest_examples: short, not an example yet, of the intent's sign)

Why: the head weighs an intent by its examples, and a drafted intent has 60 or more; a reviewer's
five lose nearly every close call (docs/quality.md: a written downloads intent took 7 items of
August). The stored texts nearest to what the reviewer wrote are the feedback the reviewer means,
in the users' own words and languages; nothing is invented, and the examples are written to the
YAML, where they can be read and taken out like any other.

Usage::

    grown = grow_examples(store, config=cfg, written=[("en", "the tv app will not load")],
                          n=40, kind="problem", taxonomy=taxonomy)
    grown[0]  # -> ('en', 'Has not worked on my TV')
"""

from __future__ import annotations

from collections.abc import Sequence

from vocmine.config import Config
from vocmine.errors import ConfigError
from vocmine.prepare.normalise import text_hash
from vocmine.store.store import Store
from vocmine.taxonomy.model import Taxonomy
from vocmine.themes.draft import Candidate, nearest_examples
from vocmine.themes.embed import cached_vectors, canonical_model_id


def grow_examples(
    store: Store,
    *,
    config: Config,
    written: Sequence[tuple[str, str]],
    n: int,
    kind: str,
    taxonomy: Taxonomy,
    languages: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """Up to ``n`` (language, text) examples from the stored feedback closest to ``written``,
    in the written examples' languages and ``languages`` (the feedback's main ones): detection
    often names a short text's language wrongly ("App not work in tv": Afrikaans), and a main
    language is one it was right about often enough to matter.

    Raises:
        ConfigError: Nothing is stored yet, or no written example to start from.
    """
    if not written:
        raise ConfigError("--grow starts from the examples you write: add --example 'LANG:text'")
    stored = store.distinct_texts()
    if not stored:
        raise ConfigError(
            f"--grow takes examples from the stored feedback and {config.db} holds none; "
            "run 'vocmine ingest' first"
        )
    model_id = canonical_model_id(config.embedding.model)
    pairs = [(text_hash(text), text) for _, text in written]
    vectors_written = cached_vectors(
        store, pairs, model=config.embedding.model, batch_size=config.embedding.batch_size
    )
    missing = store.missing_vectors(model_id, [h for h, *_ in stored])
    allowed = {lang for lang, _ in written} | set(languages)
    kept = [row for row in stored if row[0] not in missing and row[2] in allowed]
    if not kept:
        return []
    candidates = [Candidate(text, lang, stars) for _, text, lang, stars in kept]
    taken = {t.casefold() for i in taxonomy.intents for _, t in i.all_examples()}
    taken |= {" ".join(t.split()).casefold() for _, t in written}
    chosen = nearest_examples(
        vectors_written,
        store.vectors(model_id, [h for h, *_ in kept]),
        candidates,
        n=n,
        kind=kind,
        taken=taken,
    )
    return [(c.language, c.text) for c in chosen]
