"""Discovery: propose the intents the taxonomy is missing, from what it left unassigned.

    items of the period (unassigned, or all with --all) -> noise buckets set aside (praise, no
    text, unreadable language...) -> cached vectors -> ThemeClusterer -> clusters above
    ``max_share`` split again -> clusters of sentiment words only join the buckets
    -> per theme: c-TF-IDF keywords, name, problem statement, quotes, examples, users, growth,
    nearest intent
    -> overlapping intents (merge candidates) and intents that split into groups

The result is a :class:`Discovery` that :mod:`vocmine.taxonomy.proposals` writes as
``taxonomy/proposals/YYYY-MM.yaml``. Nothing here reads the clock or iterates over an unsorted set:
the same database, taxonomy and seed give the same proposals, byte for byte.

Every similarity cut-off (the clusterer's merge threshold, ``add_examples_similarity``,
``overlap_similarity``, the split check) is a setting on the reference scale, mapped to the
model's cosine scale measured on the taxonomy's examples (:mod:`vocmine.themes.calibrate`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from vocmine.config import Config, DiscoverConfig
from vocmine.errors import ConfigError
from vocmine.store.store import Store
from vocmine.taxonomy.model import Taxonomy
from vocmine.taxonomy.proposals import Discovery, Overlap, Proposal, Quote, Split
from vocmine.themes.assign import configured_key, taxonomy_examples
from vocmine.themes.calibrate import Scale, clustering_space, scale_for
from vocmine.themes.clustering import OUTLIER, ThemeClusterer, centroids, normalised, split_large
from vocmine.themes.embed import canonical_model_id, is_multilingual
from vocmine.themes.naming import problem_statement, theme_name
from vocmine.themes.noise import (
    CONTENT_FREE,
    GENERIC,
    SENTIMENT,
    NoiseRules,
    bucket_of,
    frequent_words,
    noise_buckets,
    noise_clusters,
    noise_neighbours,
)
from vocmine.themes.stopwords import stop_words_for

Step = Callable[[str], None]


@dataclass(frozen=True)
class Candidate:
    """One stored item as discovery sees it (text already redacted in the store)."""

    id: int
    text: str
    text_hash: str
    month: str
    day: str
    source: str
    language: str
    user_hash: str | None
    intent_id: str | None
    rating: float | None = None  # stars of a review; None for tickets and surveys


@dataclass(frozen=True)
class Period:
    """Which items are clustered: a month, or everything since a day; unassigned or all."""

    month: str
    since: date | None = None
    include_assigned: bool = False

    def months(self, available: Sequence[str]) -> list[str]:
        """The stored months this period covers."""
        if self.since is None:
            return [self.month]
        first = self.since.strftime("%Y-%m")
        return [m for m in available if first <= m <= self.month]


# --- loading -------------------------------------------------------------------------------------


def load_candidates(store: Store, months: Sequence[str], *, key: str) -> list[Candidate]:
    """Items of ``months`` with their intent under assignment ``key`` (None: unassigned)."""
    if not months:
        return []
    marks = ", ".join("?" for _ in months)
    rows = store.conn.execute(
        "SELECT i.id, i.text, i.text_hash, i.month, substr(i.created_at, 1, 10), i.source, "
        "i.language, i.user_hash, CASE WHEN a.assign_key = ? THEN a.intent_id END, i.rating "
        f"FROM items i LEFT JOIN assignments a ON a.item_id = i.id WHERE i.month IN ({marks}) "
        "ORDER BY i.id",
        [key, *months],
    ).fetchall()
    return [Candidate(*row) for row in rows]


# --- keywords ------------------------------------------------------------------------------------


def keywords(
    texts: Sequence[str], groups: Sequence[int], languages: Sequence[str], *, top: int = 8
) -> dict[int, list[str]]:
    """The ``top`` c-TF-IDF words of each group (BERTopic's class-based TF-IDF).

    Stop words of every language present are removed, and so are redaction placeholders
    (``[EMAIL]``...), so that keywords say what the texts are about.

    Example:
        >>> keywords(["team challenge", "join a team", "gift card"], [0, 0, 1], ["en"] * 3)[0][:1]
        ['team']
    """
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    from vocmine.prepare.redact import PLACEHOLDERS

    ids = sorted(set(groups))
    # Placeholders go before counting; as stop words they would also drop real words ("card").
    placeholders = re.compile("|".join(re.escape(p) for p in sorted(PLACEHOLDERS)))
    docs = [
        placeholders.sub(" ", " ".join(t for t, g in zip(texts, groups, strict=True) if g == gid))
        for gid in ids
    ]
    vectorizer = CountVectorizer(
        stop_words=stop_words_for(sorted(set(languages))) or None,
        token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b",  # words, no numbers
    )
    try:
        counts = vectorizer.fit_transform(docs)
    except ValueError:  # nothing but stop words
        return {gid: [] for gid in ids}
    weights = ClassTfidfTransformer().fit_transform(counts).toarray()
    words = vectorizer.get_feature_names_out()
    result = {}
    for row, gid in enumerate(ids):
        order = sorted(range(len(words)), key=lambda j: (-weights[row, j], words[j]))
        result[gid] = [str(words[j]) for j in order[:top] if weights[row, j] > 0]
    return result


# --- representative texts ------------------------------------------------------------------------


def _start(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())[:30]


def pick_quotes(
    members: Sequence[Candidate], similarity: np.ndarray, *, n: int, shorten: int = 220
) -> list[Quote]:
    """The ``n`` texts closest to the theme's centre, one per user, no two starting alike.

    Texts of 20-280 characters are preferred; shorter or longer ones fill in when too few.
    """
    order = sorted(
        range(len(members)), key=lambda i: (-round(float(similarity[i]), 6), members[i].id)
    )
    chosen: list[Candidate] = []
    users: set[str] = set()
    starts: set[str] = set()
    for strict in (True, False):
        for i in order:
            item = members[i]
            if len(chosen) >= n:
                break
            user = item.user_hash or f"item{item.id}"
            if user in users or _start(item.text) in starts:
                continue
            if strict and not 20 <= len(item.text) <= 280:
                continue
            chosen.append(item)
            users.add(user)
            starts.add(_start(item.text))
    return [Quote(_shorten(c.text, shorten), c.source, c.day, c.language) for c in chosen]


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def pick_examples(
    members: Sequence[Candidate], similarity: np.ndarray, *, per_language: int
) -> dict[str, list[str]]:
    """Up to ``per_language`` short texts per language, closest to the centre first."""
    result: dict[str, list[str]] = {}
    by_language: dict[str, list[int]] = {}
    for i, item in enumerate(members):
        if item.language != "und" and 10 <= len(item.text) <= 200:
            by_language.setdefault(item.language, []).append(i)
    for language in sorted(by_language):
        order = sorted(
            by_language[language], key=lambda i: (-round(float(similarity[i]), 6), members[i].id)
        )
        texts: list[str] = []
        for i in order:
            text = " ".join(members[i].text.split())
            if text not in texts:
                texts.append(text)
            if len(texts) >= per_language:
                break
        result[language] = texts
    return result


# --- naming --------------------------------------------------------------------------------------


def slug(words: Sequence[str]) -> str:
    """ASCII snake_case of a few words: ['équipe', 'défi'] -> 'equipe_defi'."""
    ascii_words = [
        unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode().lower() for w in words
    ]
    text = "_".join(re.sub(r"[^a-z0-9]+", "_", w).strip("_") for w in ascii_words if w)
    text = re.sub(r"_+", "_", text).strip("_")
    return text if text and text[0].isalpha() else f"theme_{text}".rstrip("_")


def intent_scores(
    centre: np.ndarray, examples: np.ndarray, labels: Sequence[str], *, k: int
) -> dict[str, float]:
    """Mean cosine similarity of a theme's centre to each intent's ``k`` nearest examples.

    The measure assignment uses for single items, applied to the centre: an English-centric
    model puts an intent's French and English examples apart, so its nearest examples say more
    than their average.
    """
    sims = examples @ centre
    array = np.asarray(labels)
    scores = {}
    for intent in sorted(set(labels)):
        own = np.sort(sims[array == intent])[::-1][:k]
        scores[intent] = float(own.mean())
    return scores


# --- the whole step ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What every stage of one discovery run reads."""

    store: Store
    taxonomy: Taxonomy
    model: str
    key: str
    k: int
    period: Period
    window: list[str]
    settings: DiscoverConfig
    scale: Scale
    rules: NoiseRules | None  # None: buckets off ([discover] noise = false)

    @property
    def naming_skip(self) -> frozenset[str]:
        """Words a theme's name never starts from: the app's name, sentiment and generic words."""
        return (self.rules.generic if self.rules else frozenset()) | SENTIMENT | GENERIC

    def is_noise(self, item: Candidate) -> bool:
        """Whether the item rule sets ``item`` aside (always False with buckets off)."""
        return (
            self.rules is not None and bucket_of(item.text, item.language, self.rules) is not None
        )


def noise_rules(
    settings: DiscoverConfig, model: str, texts: Sequence[str] = ()
) -> NoiseRules | None:
    """The bucket rules of ``settings`` for ``model``; None when ``[discover] noise = false``.

    Words in ``noise_generic_share`` of ``texts`` (the period's pool) count as generic.
    """
    if not settings.noise:
        return None
    return NoiseRules(
        max_words=settings.noise_max_words,
        min_content_words=settings.noise_min_content_words,
        multilingual=is_multilingual(model),
        generic=frequent_words(texts, share=settings.noise_generic_share),
    )


def discover(
    store: Store,
    *,
    config: Config,
    taxonomy: Taxonomy,
    period: Period,
    settings: DiscoverConfig,
    on_step: Step | None = None,
) -> Discovery:
    """Cluster the period's items into themes and describe each one as a proposal.

    Vectors come from the cache only; run ``vocmine assign`` (or ingest) first so that every item
    is embedded and assigned under the current taxonomy.

    Raises:
        ConfigError: The period has too few items to cluster.
        StoreError: An item has no cached vector.

    Usage::

        found = discover(store, config=cfg, taxonomy=tax, period=Period("2026-10"),
                         settings=cfg.discover)
        found.proposals[0].keywords[:2]  # -> ['team', 'challenge']
    """
    step = on_step or (lambda _name: None)
    model = canonical_model_id(config.embedding.model)
    key = configured_key(taxonomy, config)
    available = store.months()
    months = period.months(available)
    earlier = [m for m in available if months and m < months[0]][-settings.growth_months :]
    step("loading items")
    pool = [c for c in load_candidates(store, months, key=key) if _in_pool(c, period)]
    rules = noise_rules(settings, model, [c.text for c in pool])
    set_aside: dict[str, list[Candidate]] = {}
    items = []
    for c in pool:
        bucket = bucket_of(c.text, c.language, rules) if rules is not None else None
        if bucket is None:
            items.append(c)
        else:
            set_aside.setdefault(bucket, []).append(c)
    if len(items) < 2 * settings.min_size:
        what = "items" if period.include_assigned else "unassigned items"
        noise = f", {len(pool) - len(items)} of them without a theme (buckets)" if set_aside else ""
        raise ConfigError(
            f"{len(pool)} {what} in {_describe(period)}{noise}: too few to discover themes "
            f"(need {2 * settings.min_size}); pick another --month, or use --since or --all"
        )
    vectors = normalised(store.vectors(model, [c.text_hash for c in items]))
    examples = taxonomy_examples(taxonomy)
    scale = scale_for(
        store.vectors(model, [h for _, h, _ in examples]) if examples else vectors[:0],
        [i for i, _, _ in examples],
        corpus=vectors,
        seed=settings.seed,
    )
    ctx = _Context(
        store,
        taxonomy,
        model,
        key,
        config.assign.k,
        period,
        [*earlier, *months],
        settings,
        scale,
        rules,
    )
    step(f"clustering {len(items)} items (UMAP, HDBSCAN)")
    merge = scale.raw(ThemeClusterer().merge_similarity)
    space, space_merge = clustering_space(
        vectors, scale, ThemeClusterer().merge_similarity, seed=settings.seed
    )
    labels = ThemeClusterer(seed=settings.seed, merge_similarity=space_merge).fit(space).labels_
    step("describing themes")
    near = None
    if rules is not None:
        # Texts the word rule set aside show where praise sits in the embedding space.
        content_free = [c for b in CONTENT_FREE for c in set_aside.get(b, [])]
        near = noise_neighbours(
            vectors, normalised(store.vectors(model, [c.text_hash for c in content_free]))
        )
    labels, words = _themes(ctx, items, space, space_merge, labels, set_aside, near)
    proposals = _proposals(ctx, items, vectors, labels, words)
    step("checking intents for overlaps and splits")
    assigned = [c for c in load_candidates(store, ctx.window, key=key) if c.intent_id is not None]
    groups = intent_groups(ctx, assigned)
    return Discovery(
        month=period.month,
        model=model,
        taxonomy_hash=taxonomy.hash,
        seed=settings.seed,
        candidates=len(pool),
        proposals=proposals,
        overlaps=find_overlaps(
            groups,
            similarity=scale.raw(settings.overlap_similarity),
            window=f"{ctx.window[0]}..{ctx.window[-1]}",
        ),
        splits=find_splits(groups, min_size=settings.min_size, merge_similarity=merge),
        buckets=noise_buckets(set_aside),
        clustered=int((labels != OUTLIER).sum()),
    )


def _themes(
    ctx: _Context,
    items: list[Candidate],
    space: np.ndarray,
    merge: float,
    labels: np.ndarray,
    set_aside: dict[str, list[Candidate]],
    near: np.ndarray | None,
) -> tuple[np.ndarray, dict[int, list[str]]]:
    """Split the clusters above ``max_share``, name them, move noise clusters to their buckets.

    Moving a noise cluster out shrinks the clustered items, so a theme under ``max_share``
    before may be over it after (Netflix, August 2024: 14.7% before, 15.6% after): the split
    runs again on what is left, at most three times.
    """
    settings = ctx.settings
    texts = [c.text for c in items]
    languages = [c.language for c in items]
    ratings = [c.rating for c in items] if settings.noise_by_rating else None
    for _ in range(3):
        labels = split_large(
            space,
            labels,
            max_share=settings.max_share,
            max_depth=settings.split_depth,
            seed=settings.seed,
            merge_similarity=merge,
            min_items=5 * settings.min_size,
        )
        words = keywords(texts, labels.tolist(), languages)
        if ctx.rules is None or near is None:
            break
        kept = noise_clusters(
            items,
            labels,
            words,
            set_aside,
            near,
            rules=ctx.rules,
            share=settings.noise_cluster_share,
            ratings=ratings,
        )
        if (kept == labels).all():
            break
        labels = kept
    return labels, words


def _in_pool(item: Candidate, period: Period) -> bool:
    if period.since is not None and item.day < period.since.isoformat():
        return False
    return period.include_assigned or item.intent_id is None


def _describe(period: Period) -> str:
    return f"{period.since.isoformat()}..{period.month}" if period.since else period.month


def _proposals(
    ctx: _Context,
    items: list[Candidate],
    vectors: np.ndarray,
    labels: np.ndarray,
    words: dict[int, list[str]],
) -> list[Proposal]:
    ids, centres = centroids(vectors, labels)
    sizes = {c: int((labels == c).sum()) for c in ids}
    # Largest first (ids stopped being sorted by size when sentiment clusters left).
    kept = sorted(
        (c for c in ids if sizes[c] >= ctx.settings.min_size), key=lambda c: (-sizes[c], c)
    )
    examples = taxonomy_examples(ctx.taxonomy)
    example_vectors = normalised(ctx.store.vectors(ctx.model, [h for _, h, _ in examples]))
    example_labels = [i for i, _, _ in examples]
    growth = _growth(ctx, {c: centres[ids.index(c)] for c in kept}, vectors, labels)
    used_ids = {i.id for i in ctx.taxonomy.intents}
    result = []
    for number, cluster in enumerate(kept, start=1):
        members = [items[i] for i in np.flatnonzero(labels == cluster)]
        centre = centres[ids.index(cluster)]
        similarity = vectors[labels == cluster] @ centre
        scores = intent_scores(centre, example_vectors, example_labels, k=ctx.k)
        nearest = min(scores, key=lambda i: (-scores[i], i))
        category = ctx.taxonomy.intent(nearest).category
        top = words.get(cluster, [])
        proposal_id = _unique(f"{category}.{slug(top[:2] or ['theme'])}", used_ids)
        used_ids.add(proposal_id)
        close = scores[nearest] >= ctx.scale.raw(ctx.settings.add_examples_similarity)
        texts = [m.text for m in members]
        name = theme_name(top, texts, skip=ctx.naming_skip)
        result.append(
            Proposal(
                key=f"P{number:02d}",
                suggestion="add_examples" if close else "new_intent",
                id=proposal_id,
                name=name,
                problem=problem_statement(name, texts),
                category=category,
                keywords=top,
                size=len(members),
                users=len({m.user_hash for m in members if m.user_hash}),
                growth=growth[cluster],
                nearest_intent=nearest,
                nearest_similarity=round(scores[nearest], 3),
                quotes=pick_quotes(members, similarity, n=ctx.settings.quotes),
                examples=pick_examples(members, similarity, per_language=ctx.settings.examples),
            )
        )
    return result


def _unique(candidate: str, used: set[str]) -> str:
    if candidate not in used:
        return candidate
    n = 2
    while f"{candidate}_{n}" in used:
        n += 1
    return f"{candidate}_{n}"


def _growth(
    ctx: _Context, centres: dict[int, np.ndarray], vectors: np.ndarray, labels: np.ndarray
) -> dict[int, dict[str, int]]:
    """Items per month that fall in each theme, counted the same way for every month.

    An item of any month of the window (from the same pool: unassigned, or all with --all)
    counts for the theme whose centre is nearest, if it is at least as close as 90% of the
    theme's own members are. The period's own months are counted by the same rule, so the
    months compare; ``size`` is the theme's full membership.
    """
    if not centres:
        return {}
    kept = list(centres)
    matrix = np.stack([centres[c] for c in kept])
    # The floor is a member's own similarity; recomputed below through another BLAS path it can
    # differ in the last bit, so a tolerance keeps that member in on every CPU (a demo month
    # counted 27 on one machine and 28 on another without it).
    floors = [float(np.quantile(vectors[labels == c] @ centres[c], 0.1)) - 1e-6 for c in kept]
    pool = [
        c
        for c in load_candidates(ctx.store, ctx.window, key=ctx.key)
        if (ctx.period.include_assigned or c.intent_id is None) and not ctx.is_noise(c)
    ]
    counts: dict[int, Counter[str]] = {c: Counter() for c in kept}
    for start in range(0, len(pool), 4096):
        part = pool[start : start + 4096]
        sims = normalised(ctx.store.vectors(ctx.model, [c.text_hash for c in part])) @ matrix.T
        best = np.argmax(sims, axis=1)
        for row, item in enumerate(part):
            j = int(best[row])
            if sims[row, j] >= floors[j]:
                counts[kept[j]][item.month] += 1
    return {c: {m: counts[c][m] for m in ctx.window} for c in kept}


# --- checks on existing intents ------------------------------------------------------------------

IntentGroups = dict[str, tuple[list[Candidate], np.ndarray]]


def intent_groups(ctx: _Context, assigned: list[Candidate]) -> IntentGroups:
    """Each intent's items and their vectors (intents with at least ``min_size`` items)."""
    by_intent: dict[str, list[Candidate]] = {}
    for item in assigned:
        if item.intent_id is not None:
            by_intent.setdefault(item.intent_id, []).append(item)
    return {
        intent: (items, normalised(ctx.store.vectors(ctx.model, [c.text_hash for c in items])))
        for intent, items in sorted(by_intent.items())
        if len(items) >= ctx.settings.min_size
    }


def find_overlaps(groups: IntentGroups, *, similarity: float, window: str) -> list[Overlap]:
    """Pairs of intents whose items' centres are at least ``similarity`` alike, closest first.

    Such intents receive the same kind of text: a reader should merge them or sharpen their
    examples. ``window`` names the months the items come from, for the note.

    Example:
        >>> centres = {"app.crash": [0, 1], "rewards.earning_rate_drop": [1, 0.1],
        ...            "rewards.missing_points": [1, 0.2]}
        >>> groups = {i: ([], np.array([v])) for i, v in centres.items()}  # (items, vectors)
        >>> find_overlaps(groups, similarity=0.9, window="2026-07..2026-10")[0].intents
        ('rewards.earning_rate_drop', 'rewards.missing_points')
    """
    names = list(groups)
    if len(names) < 2:
        return []
    centres = normalised(np.stack([groups[n][1].mean(axis=0) for n in names]))
    sims = centres @ centres.T
    found = []
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            if sims[a, b] >= similarity:
                found.append(
                    Overlap(
                        intents=(names[a], names[b]),
                        similarity=round(float(sims[a, b]), 3),
                        note=f"their items' centres are {sims[a, b]:.2f} alike over {window} "
                        f"({len(groups[names[a]][0])} and {len(groups[names[b]][0])} items): "
                        "merge them or sharpen their examples",
                    )
                )
    return sorted(found, key=lambda o: (-o.similarity, o.intents))


def find_splits(
    groups: IntentGroups, *, min_size: int, merge_similarity: float | None = None
) -> list[Split]:
    """Intents whose items form two or more distinct groups of the same language mix.

    Each intent's items are clustered (agglomerative, average linkage, with the clusterer's
    merge threshold: ``merge_similarity``, on the model's scale); groups of at least
    ``min_size`` items and 20% of the intent count. A split
    whose groups differ mainly by language is not reported: with an English-centric model,
    French and English texts of one intent sit apart without meaning two things.
    """
    from sklearn.cluster import AgglomerativeClustering

    merge = ThemeClusterer().merge_similarity if merge_similarity is None else merge_similarity
    threshold = 1.0 - merge
    found = []
    for intent, (members, vectors) in groups.items():
        if len(members) < 2 * min_size:
            continue
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
        ).fit_predict(vectors)
        sizes = Counter(labels.tolist())
        big = [
            g
            for g, n in sorted(sizes.items(), key=lambda x: (-x[1], x[0]))
            if n >= max(min_size, 0.2 * len(members))
        ]
        if len(big) < 2 or len({_main_language(members, labels, g) for g in big}) > 1:
            continue
        mask = np.isin(labels, big)
        words = keywords(
            [m.text for m, keep in zip(members, mask, strict=True) if keep],
            labels[mask].tolist(),
            [m.language for m in members],
            top=5,
        )
        found.append(Split(intent=intent, groups=[(words[g], sizes[g]) for g in big]))
    return found


def _main_language(members: list[Candidate], labels: np.ndarray, group: int) -> str:
    counts = Counter(
        m.language for m, g in zip(members, labels.tolist(), strict=True) if g == group
    )
    return min(counts, key=lambda lang: (-counts[lang], lang))
