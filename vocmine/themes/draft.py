"""Turn discovery's themes into a draft taxonomy: intents with examples from the data, grouped.

    Discovery (every item of the period, clustered) -> per theme: examples in the feedback's main
    languages, unique across intents -> intents (ids, names, problem statements to review)
    -> categories (average-linkage clustering of the intents' centres) -> Draft
    -> typed by the stars of its items (praise, mixed opinion ``other``, problem)

Nothing is invented: every example is a stored (redacted) text of the theme, and a theme that
lacks enough short examples, or any in a main language of the feedback, is left out and listed
for review rather than padded. Names and problem statements come from the proposal when
discovery writes them (``name``, ``problem``), else from the keywords; the problem statement is
then marked as a draft to rewrite. The same discovery gives the same draft.

Usage::

    draft = build_draft(found, centres=centres, rule=rule, per_language=10, period="2024-08")
    draft.intents[0].id  # -> 'ads.paid_plan'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from vocmine.errors import ConfigError
from vocmine.taxonomy.drafted import Draft, DraftCategory, DraftIntent, LeftOut
from vocmine.taxonomy.proposals import Discovery, Proposal
from vocmine.taxonomy.schema import MAX_NAME_LENGTH, ExampleRule
from vocmine.themes.discover import slug
from vocmine.themes.noise import PRAISE_STARS  # the same line between praise and the rest

MAX_EXAMPLE_LENGTH = 160  # examples are short phrases; long reviews make poor, slow examples
# What the taxonomy check refuses as personal data (an email, a long number), plus placeholders:
# an example with [EMAIL] in it teaches the model the placeholder, not the theme.
_UNFIT = re.compile(r"@|\d(?:[ .-]?\d){8,}|\[[A-Z_]+\]")


@dataclass(frozen=True)
class _Theme:
    """A proposal that passed the example rule, with its examples chosen."""

    proposal: Proposal
    examples: dict[str, tuple[str, ...]]
    centre: np.ndarray


def choose_examples(
    proposals: Sequence[Proposal], *, rule: ExampleRule, per_language: int
) -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, str]]:
    """Examples for each proposal (by key), or the reason it cannot have enough.

    Examples are taken in discovery's order (closest to the theme's centre first), in the
    feedback's main languages (every language when the rule names none), at most
    ``per_language`` per language, never a text another intent already has (case aside):
    the taxonomy refuses a phrase under two intents. Bigger themes choose first.

    Returns:
        (key -> language -> phrases, key -> reason it was left out).
    """
    seen: set[str] = set()
    chosen: dict[str, dict[str, tuple[str, ...]]] = {}
    refused: dict[str, str] = {}
    for proposal in sorted(proposals, key=lambda p: (-p.size, p.key)):
        languages = list(rule.languages) or sorted(proposal.examples)
        examples: dict[str, tuple[str, ...]] = {}
        for lang in languages:
            texts: list[str] = []
            for text in proposal.examples.get(lang, []):
                text = " ".join(text.split())
                key = text.casefold()
                if key in seen or len(text) > MAX_EXAMPLE_LENGTH or _UNFIT.search(text):
                    continue
                if any(key == t.casefold() for t in texts):
                    continue
                texts.append(text)
                if len(texts) >= per_language:
                    break
            if texts:
                examples[lang] = tuple(texts)
        reason = _refusal(examples, rule)
        if reason:
            refused[proposal.key] = reason
            continue
        seen.update(t.casefold() for texts in examples.values() for t in texts)
        chosen[proposal.key] = examples
    return chosen, refused


def _refusal(examples: Mapping[str, Sequence[str]], rule: ExampleRule) -> str:
    missing = rule.missing(examples)
    if missing:
        return (
            f"no short example in '{missing[0]}' ({rule.share(missing[0])}); add it with "
            "'vocmine taxonomy add-intent' and examples in every main language"
        )
    total = sum(len(t) for t in examples.values())
    if total < rule.min_examples or len(examples) < rule.min_languages:
        return (
            f"{total} short examples in {len(examples)} language(s), fewer than the "
            f"{rule.min_examples} in {rule.min_languages} language(s) an intent needs"
        )
    return ""


def group(centres: np.ndarray, *, n_groups: int | None = None) -> list[int]:
    """Category of each intent: average-linkage clustering (cosine) of the intents' centres.

    About the square root of the number of intents, so that 30 intents make 5 categories of 6:
    few enough sections to read, enough to separate unrelated things.

    Example:
        >>> group(np.eye(4)[[0, 0, 1, 1]] + 0.01)  # two categories; their numbers are arbitrary
        [1, 1, 0, 0]
    """
    n = len(centres)
    if n < 3:
        return [0] * n
    k = n_groups or max(2, round(math.sqrt(n)))
    from sklearn.cluster import AgglomerativeClustering

    labels = AgglomerativeClustering(n_clusters=min(k, n), metric="cosine", linkage="average")
    return [int(g) for g in labels.fit_predict(centres)]


def _category_words(groups: Sequence[Sequence[_Theme]]) -> list[list[str]]:
    """For each group, its keywords ranked by how many of its intents share them against how
    many intents of other groups do (words every theme says, "app" or "fix", name no group),
    then by the items behind them, each intent's items weighted by the keyword's rank in it.

    The rank matters because most words are said by one intent only and so score alike: without
    it the tie fell to the alphabet, and a playback category (video, play, screen, fix, audio)
    was named "audio"."""
    counts: list[Counter[str]] = []
    weights: list[dict[str, float]] = []
    for themes in groups:
        count: Counter[str] = Counter()
        weight: dict[str, float] = {}
        for theme in themes:
            for rank, word in enumerate(dict.fromkeys(theme.proposal.keywords[:8])):
                count[word] += 1
                weight[word] = weight.get(word, 0.0) + theme.proposal.size / (1 + rank)
        counts.append(count)
        weights.append(weight)
    total: Counter[str] = Counter()
    for count in counts:
        total.update(count)
    ranked = []
    for count, weight in zip(counts, weights, strict=True):
        score = {w: count[w] / (1 + total[w] - count[w]) for w in count}
        ranked.append(sorted(count, key=lambda w: (-score[w], -weight[w], w)))
    return ranked


def _pick_word(words: Sequence[str], taken: set[str]) -> list[str]:
    free = [w for w in words if slug([w]) not in taken]
    return free or list(words) or ["general"]


def _problem(proposal: Proposal, words: Sequence[str]) -> str:
    """Discovery's statement when it writes one, else a draft marked as such (one sentence)."""
    written = " ".join(str(getattr(proposal, "problem", "") or "").split())
    if written:
        # The taxonomy takes one sentence; the rest of a longer statement is left to review.
        return re.split(r"(?<=[.!?])\s+(?=[A-Z])", written)[0]
    about = ", ".join(words[:3]) or "this theme"
    return (
        f"Users write about {about}; a drafted statement to replace with who is affected and "
        "what goes wrong for them"
    ).replace(". ", "; ")


def _unique(candidate: str, used: set[str], sep: str = "_") -> str:
    result, n = candidate, 2
    while result.casefold() in used:
        result = f"{candidate}{sep}{n}"
        n += 1
    used.add(result.casefold())
    return result


def build_draft(
    found: Discovery,
    *,
    centres: Mapping[str, np.ndarray],
    rule: ExampleRule,
    per_language: int,
    period: str,
    reserved: set[str] | frozenset[str] = frozenset(),
    name: str | None = None,
) -> Draft:
    """The draft taxonomy from a discovery run over every item of the period.

    Args:
        found: Discovery's result (proposals, largest first).
        centres: Proposal key -> unit vector of its examples' centre (groups the intents).
        rule: The example rule the taxonomy will be checked with.
        per_language: At most this many examples per language per intent.
        period: The months clustered, for the comments.
        reserved: Ids that may not be used (those of a replaced taxonomy).
        name: Name of the taxonomy.

    Raises:
        ConfigError: No theme has enough examples to become an intent.
    """
    chosen, refused = choose_examples(found.proposals, rule=rule, per_language=per_language)
    themes = [
        _Theme(p, dict(chosen[p.key]), np.asarray(centres[p.key]))
        for p in found.proposals
        if p.key in chosen
    ]
    left_out = tuple(
        LeftOut(
            name=p.name,
            size=p.size,
            keywords=tuple(p.keywords),
            reason=refused[p.key],
            quotes=tuple(q.text for q in p.quotes),
        )
        for p in found.proposals
        if p.key in refused
    )
    if not themes:
        raise ConfigError(
            f"none of the {len(found.proposals)} themes found in {found.candidates} items has "
            f"{rule.min_examples} short examples in the feedback's main languages; ingest more "
            "feedback, or draft over more months (drop --month)"
        )
    labels = group(np.stack([t.centre for t in themes]))
    members: dict[int, list[_Theme]] = {}
    for theme, label in zip(themes, labels, strict=True):
        members.setdefault(label, []).append(theme)
    order = sorted(members, key=lambda g: (-sum(t.proposal.size for t in members[g]), g))
    taken: set[str] = set()
    ids: set[str] = {i.casefold() for i in reserved}
    names: set[str] = set()
    categories = []
    ranked = _category_words([members[g] for g in order])
    for position, g in enumerate(order):
        words = _pick_word(ranked[position], taken)
        category_id = _unique(slug(words[:1]), taken)
        intents = tuple(
            _intent(theme, category_id, words[0], ids=ids, names=names, period=period)
            for theme in sorted(members[g], key=lambda t: (-t.proposal.size, t.proposal.key))
        )
        shown = list(words[:3])
        categories.append(
            DraftCategory(
                id=category_id,
                name=_label(words[:2]),
                description=f"Drafted: {len(intents)} intents about {', '.join(shown)}; "
                "say what the category covers.",
                intents=intents,
            )
        )
    return Draft(
        name=name or f"Drafted from the stored feedback ({period})",
        period=period,
        items=found.candidates,
        categories=tuple(categories),
        left_out=left_out,
    )


def _label(words: Sequence[str]) -> str:
    text = " & ".join(words) if words else "General"
    return text[:1].upper() + text[1:MAX_NAME_LENGTH]


def _intent(
    theme: _Theme, category: str, category_word: str, *, ids: set[str], names: set[str], period: str
) -> DraftIntent:
    p = theme.proposal
    words = [w for w in p.keywords if slug([w]) != slug([category_word])] or list(p.keywords)
    intent_id = _unique(f"{category}.{slug(words[:2] or ['general'])}", ids)
    written = str(getattr(p, "name", "") or "").strip()
    label = _distinct(written or _label(p.keywords[:2]), p.keywords, names)
    name = _unique(label[: MAX_NAME_LENGTH - 3], names, sep=" ")
    return DraftIntent(
        id=intent_id,
        name=name,
        problem=_problem(p, p.keywords),
        description=(
            f"Drafted from {p.size} items{f' ({p.users} users)' if p.users else ''} of {period}; "
            "keywords: "
            f"{', '.join(p.keywords[:6])}. Say what belongs here and what does not."
        ),
        keywords=tuple(p.keywords),
        examples=theme.examples,
        size=p.size,
        users=p.users,
        quotes=tuple(q.text for q in p.quotes),
    )


def _distinct(label: str, keywords: Sequence[str], names: set[str]) -> str:
    """``label``, or when an intent drafted before has it, its first part with the next keyword
    it does not name: "Household / Wifi" beside "Household / Account" tells the reviewer more
    than "Household / Account 2" (still the fallback when no keyword is left).

    Example:
        >>> _distinct("Household / Account", ["household", "account", "wifi"],
        ...           {"household / account"})
        'Household / Wifi'
    """
    if label.casefold() not in names:
        return label
    head = label.split(" / ")[0]
    for word in keywords:
        if word.casefold() in label.casefold():
            continue
        other = f"{head} / {word[:1].upper()}{word[1:]}"
        if other.casefold() not in names:
            return other
    return label


MIXED_STARS = 2.75  # between this and PRAISE_STARS: praise and complaints mixed, typed other
MIN_RATED = 20  # fewer rated items than this say nothing about the theme


def typed_by_stars(draft: Draft, stars: Mapping[str, tuple[float, int]]) -> Draft:
    """The draft with each intent's mean star rating, ``type: praise`` for those whose rated
    items average ``PRAISE_STARS`` or more (at least ``MIN_RATED`` of them), and ``type: other``
    for those between ``MIXED_STARS`` and ``PRAISE_STARS``: a theme that reviews of every star
    share ("Netflix, watch, movies, good") is general opinion, praise and complaints mixed, not
    one problem; typed a problem, it would top the report as one (docs/quality.md).

    Short praise ("great app", "excellent") clusters as well as any problem; without this it
    would be drafted as a problem and top the report. Feedback without ratings (tickets)
    keeps every intent a problem.

    Args:
        draft: The draft to type.
        stars: Intent id -> (mean rating, rated items) of the items assigned to it.

    Example:
        >>> great = DraftIntent("nice.great", "Great app", "", "", ("great",),
        ...                     {"en": ("great app",)}, size=721, users=700, quotes=())
        >>> draft = Draft("Drafted", "2024-08", 721, (DraftCategory("nice", "Nice", "", (great,)),))
        >>> typed_by_stars(draft, {"nice.great": (4.8, 721)}).intents[0].type
        'praise'
    """
    categories = []
    for category in draft.categories:
        intents = []
        for intent in category.intents:
            mean, rated = stars.get(intent.id, (0.0, 0))
            if rated < MIN_RATED:
                intents.append(intent)
                continue
            if mean >= PRAISE_STARS:
                kind = "praise"
            elif mean >= MIXED_STARS and intent.type == "problem":
                kind = "other"
            else:
                kind = intent.type
            intents.append(replace(intent, type=kind, stars=round(mean, 2)))
        categories.append(replace(category, intents=tuple(intents)))
    return replace(draft, categories=tuple(categories))


def examples_of_its_sign(
    draft: Draft, stars: Mapping[str, float], rule: ExampleRule
) -> tuple[Draft, int]:
    """The draft without the examples whose own reviews contradict their intent's type: a
    problem intent loses the examples rated ``PRAISE_STARS`` or more, a praise intent those
    rated under ``MIXED_STARS``. ``other`` intents (mixed opinion) keep every example.

    A theme clusters by topic, not by sign: the Netflix price theme drew "For such low price
    they give us such good content" (5 stars) among its examples, and the head, trained on it,
    then counted praise of the price as a price complaint at a probability of 0.9
    (docs/quality.md). An intent that would fall below the example rule keeps its examples.

    Args:
        draft: The typed draft (:func:`typed_by_stars`).
        stars: Example text, case folded -> mean star rating of the stored items with that
            text; texts without a rating are absent and kept.
        rule: The example rule every intent must still pass.

    Returns:
        (the draft, examples taken out).

    Example:
        >>> ads = DraftIntent("tv.ads", "Ads", "", "", ("ads",),
        ...     {"en": ("ads in my paid plan", "no ads, cheap, love it")}, size=90, users=90,
        ...     quotes=())
        >>> draft = Draft("Drafted", "2024-08", 90, (DraftCategory("tv", "TV", "", (ads,)),))
        >>> kept, out = examples_of_its_sign(
        ...     draft, {"no ads, cheap, love it": 5.0}, ExampleRule(min_examples=1))
        >>> kept.intents[0].examples["en"], out
        (('ads in my paid plan',), 1)
    """
    taken = 0
    categories = []
    for category in draft.categories:
        intents = []
        for intent in category.intents:
            kept = _of_its_sign(intent, stars)
            if kept == intent.examples or _refusal(kept, rule):
                intents.append(intent)
                continue
            taken += _count(intent.examples) - _count(kept)
            intents.append(replace(intent, examples=kept))
        categories.append(replace(category, intents=tuple(intents)))
    return replace(draft, categories=tuple(categories)), taken


def _of_its_sign(intent: DraftIntent, stars: Mapping[str, float]) -> Mapping[str, tuple[str, ...]]:
    if intent.type not in ("problem", "praise"):
        return intent.examples
    kept = {
        lang: tuple(t for t in texts if _fits(intent.type, stars.get(t.casefold())))
        for lang, texts in intent.examples.items()
    }
    return {lang: texts for lang, texts in kept.items() if texts}


def _fits(kind: str, rating: float | None) -> bool:
    """Whether an example rated ``rating`` (None: not rated) may teach a ``kind`` intent."""
    if rating is None:
        return True
    return rating < PRAISE_STARS if kind == "problem" else rating >= MIXED_STARS


def _count(examples: Mapping[str, Sequence[str]]) -> int:
    return sum(len(texts) for texts in examples.values())


@dataclass(frozen=True)
class Candidate:
    """A stored text that may become an example: its language and mean stars (None: unrated)."""

    text: str
    language: str
    stars: float | None


def nearest_examples(
    written: np.ndarray,
    vectors: np.ndarray,
    candidates: Sequence[Candidate],
    *,
    n: int,
    kind: str,
    taken: set[str],
) -> list[Candidate]:
    """The ``n`` candidates closest to the centre of the written examples, fit to be examples
    of a ``kind`` intent: short, without personal-data placeholders, no example already (``taken``, case
    folded), and of its sign by their own stars (:func:`_fits`). Ties go to the earlier
    candidate, so the same store gives the same examples.

    Why: an intent written with five examples hardly wins the head's choice beside drafted
    intents of 60 or more (docs/quality.md); the stored feedback closest to what the reviewer
    wrote gives it the same weight without inventing text. The centre, not each example: what
    the examples share is the theme ("TV" in "the android TV app freezes" and "not working on
    my smart TV"), and the nearest texts to one example drift to its other words (any app
    that freezes: half of a Netflix TV intent grown so was playback on phones).

    Example:
        >>> cands = [Candidate("tv app fails", "en", 1.0), Candidate("tv app, love it", "en", 5.0),
        ...          Candidate("price", "en", 1.0), Candidate("Tv app fails", "en", 2.0)]
        >>> vecs = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.9, 0.1]])
        >>> [c.text for c in nearest_examples(np.array([[1.0, 0.0]]), vecs, cands, n=2,
        ...                                   kind="problem", taken=set())]
        ['tv app fails', 'price']
    """
    if n <= 0 or not len(candidates):
        return []
    centre = _unit(_unit(written).mean(axis=0, keepdims=True))
    closeness = (_unit(vectors) @ centre.T)[:, 0]
    seen = set(taken)
    chosen: list[Candidate] = []
    for row in np.argsort(-closeness, kind="stable"):
        candidate = candidates[int(row)]
        text = " ".join(candidate.text.split())
        key = text.casefold()
        if key in seen or len(text) > MAX_EXAMPLE_LENGTH or _UNFIT.search(text):
            continue
        if kind in ("problem", "praise") and not _fits(kind, candidate.stars):
            continue
        seen.add(key)
        chosen.append(replace(candidate, text=text))
        if len(chosen) == n:
            break
    return chosen


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.where(norms == 0, 1.0, norms))
