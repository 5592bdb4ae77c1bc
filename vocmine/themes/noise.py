"""Noise buckets: feedback that carries no actionable theme, kept out of the proposals.

Real app reviews are full of texts that a clusterer happily groups but that no intent could ever
hold: "good", "nice app", "worst app ever", "ok", a row of emoji, a review in a language the
model cannot read. Clustered with the rest, they made ten praise clusters, an emoji cluster and a
Hindi/Indonesian cluster of the first Netflix run (issue 12). Discovery now sets them aside in
built-in buckets, counted and shown, never proposed as intents:

- ``no_text``: no letters at all (emoji, punctuation, digits);
- ``unreadable_language``: a language the embedding model cannot read (an English-centric model
  and a non-Latin script, or a language outside :func:`readable_languages`);
- ``praise``: only sentiment and generic words, mostly positive ("good", "nice app", "ok");
- ``complaint_without_content``: only sentiment and generic words, mostly negative ("worst
  app", "useless", "rubbish");
- ``no_content``: neither sentiment nor content words ("hmm", "why", "netflix"), or letters
  typed at random ("Gg DJ xx DD z", :func:`mashed`), whatever their length.

Stars catch the praise that words miss. Reviews misspell praise in ways no list holds ("exlent",
"supar", "osm aap") or praise the product by its content ("love watching movies here"); a
cluster whose texts are mostly short, rated 4 stars or more and name no problem or request
(:func:`rated_praise`) is praise too, whatever its words.

A text stays a candidate as soon as it has a content word: "app crashes", "can't login" and
"too many ads" have one ("crashes", "login", "ads"), whatever their length. Long texts are never
bucketed by words: past ``max_words`` words a review says something, even if in sentiment words.

The same vocabularies judge whole clusters (:func:`sentiment_cluster`): a cluster whose
top keywords are all sentiment or generic words is a bucket too, which catches praise that the
item rule let through ("netflix is the best, love it" has the content-looking word "netflix").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

import numpy as np

from vocmine.taxonomy.proposals import NoiseBucket
from vocmine.themes.stopwords import stop_words

PRAISE = "praise"
ABUSE = "complaint_without_content"
NO_CONTENT = "no_content"
NO_TEXT = "no_text"
UNREADABLE = "unreadable_language"

BUCKETS = (PRAISE, ABUSE, NO_CONTENT, NO_TEXT, UNREADABLE)
CONTENT_FREE = (PRAISE, ABUSE, NO_CONTENT)  # found by words: their vectors mark where noise sits

DESCRIPTIONS = {
    PRAISE: "praise or approval with nothing to act on (good, nice app, ok)",
    ABUSE: "complaint or abuse that says nothing about what is wrong (worst app, useless)",
    NO_CONTENT: "words that name no problem (hmm, why, the app's name alone, random letters)",
    NO_TEXT: "no letters: emoji, punctuation or digits only",
    UNREADABLE: "a language the embedding model cannot read",
}

# Words that only say how the writer feels. Lowercase, apostrophes removed like the tokenizer does.
_POSITIVE = """
good great nice awesome amazing excellent best better perfect love loved loving like liked likes
lovely cool fantastic wonderful super superb fine ok okay okk oky gud gd nic wow fabulous brilliant
beautiful enjoy enjoyed enjoying fun happy satisfied satisfying thanks thank thx recommend
recommended incredible outstanding favorite favourite favourit top useful helpful easy smooth
fast worth osm osam mast nyc nce goood gooood veryy verry vry thnx ty legit dope fire lit
bien bon bonne bons super génial genial excellent excellente parfait parfaite top génial adore
aime aimé magnifique merveilleux pratique sympa cool topissime bravo merci
bueno buena buenos buenas excelente genial perfecto perfecta encanta encantó me gusta gusta
maravillosa maravilloso increíble increible mejor bonito bonita chévere gracias fantástico
gut gute guter super toll prima klasse perfekt genial hervorragend spitze top schön schoen
liebe danke empfehlenswert
"""

_NEGATIVE = """
bad worst worse terrible horrible awful poor pathetic useless rubbish garbage trash crap crappy
shit shitty sucks suck sucked hate hated hates disgusting disappointing disappointed
disappointment waste worthless stupid dumb ridiculous nonsense lame boring annoying annoyed
unacceptable shame shameful fraud scam scammers joke pointless meh bakwas bekar faltu
nul nulle naze pourri pourrie horrible décevant decevant déçu decu déçue honteux arnaque
catastrophique lamentable merde merdique
malo mala malos malas pésimo pesimo pésima pesima horrible basura fatal decepcionante asco
estafa porquería porqueria
schlecht schlechte schlechter schrecklich mies miserabel enttäuschend enttaeuschend müll
muell betrug katastrophe furchtbar grottig
"""

# Words that carry no theme in feedback about an app: a text of these and sentiment words only
# is still noise ("the app is very good", "worst application ever").
_GENERIC = """
app apps application applications aplication aplikasi service platform experience product
thing things stuff ever really very so much too all overall always just absolutely totally
quite pretty highly extremely truly definitely simply star stars rating rate review reviews
one time everything anything nothing lot lots bit ever day days guys yes yeah na hmm hm lol
please pls plz bro sir
appli application applis expérience vraiment trop tellement toujours tout rien service
aplicación aplicacion aplicaciones servicio experiencia siempre todo nada realmente
anwendung dienst erfahrung immer wirklich echt total alles
"""

POSITIVE = frozenset(_POSITIVE.split())
NEGATIVE = frozenset(_NEGATIVE.split())
SENTIMENT = POSITIVE | NEGATIVE
GENERIC = frozenset(_GENERIC.split())

# Negations turn "not bad" or "no good" into something a reader may act on; they are stop words
# elsewhere, so they are listed here to keep such texts out of the praise bucket.
_NEGATION_WORDS = """
not no never cant cannot dont doesnt didnt wont isnt wasnt nicht kein keine nie
pas jamais plus ne nunca nada
"""
_NEGATIONS = frozenset(_NEGATION_WORDS.split())

# Words that make short, well-rated feedback something to act on: a reservation, a request or a
# problem. "Great app but please add offline downloads" (5 stars) is not praise.
_ACTION_WORDS = """
but however though although except if please pls plz add wish want wants need needs should
would could option options feature features fix bug bugs error errors crash crashes crashing
problem problems issue issues unable stuck freeze freezes slow lag lags ads price expensive
mais sauf ajouter svp stp souhaite voudrais faudrait erreur problème probleme pub pubs
pero excepto añadir agregar favor quiero problema error errores
aber außer ausser bitte hinzufügen fehler problem probleme
"""
ACTION_WORDS = frozenset(_ACTION_WORDS.split()) | _NEGATIONS
PRAISE_STARS = 4.0  # a review rated this many stars or more is on the praising side

# Frequent function words of languages often written in Latin letters that an English-centric
# model does not read (romanised Hindi/Urdu, Indonesian/Malay, Tagalog): language detection
# often calls these short texts English or "und", so two of them mark a text as unreadable.
_FOREIGN = """
hai hain nhi nahi nahin bhi kya aap apka apko mujhe mera meri kuch kuchh hota hoti raha rha rahi
karo kare krna bahut bohot bhot accha acha achha badiya yaar yeh woh sab bilkul jaldi
yang dan tidak ini itu saya bagus sangat tolong aplikasi gak nggak tapi bisa sudah udah kok aja
banget mantap
ang ng mga po naman ako hindi maganda ganda
"""
FOREIGN_MARKERS = frozenset(_FOREIGN.split())

# Languages vocmine's English-centric bundled model is still used with (the project's stop-word
# languages): French, Spanish and German texts cluster among themselves, as they did before.
_LATIN_READABLE = frozenset({"en", "fr", "es", "de"})

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class NoiseRules:
    """The thresholds of the item rule (``[discover]`` keys of the same names).

    Args:
        max_words: Texts with more words than this are never bucketed by the word rule.
        min_content_words: A text needs this many content words (not stop, sentiment or generic
            words) to stay a candidate; 1 keeps "app crashes" and "too many ads".
        readable_languages: Languages the model reads; empty: decided from the model.
        multilingual: Whether the model reads about 100 languages (then only "no letters"
            and the word rule apply).
        generic: More words that carry no theme, found in the data: the words in a large share
            of the period's texts, such as the product's name (:func:`frequent_words`).
    """

    max_words: int = 6
    min_content_words: int = 1
    readable_languages: tuple[str, ...] = ()
    multilingual: bool = False
    generic: frozenset[str] = frozenset()


def words(text: str) -> list[str]:
    """Lowercase words of ``text``, apostrophes removed ("can't" -> "cant")."""
    return [w.replace("'", "").replace("’", "") for w in _WORD.findall(text.lower())]


def latin_share(text: str) -> float:
    """Share of the letters of ``text`` that are Latin (1.0 when there is no letter)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if _latin_letter(c))
    return latin / len(letters)


def readable_languages(rules: NoiseRules) -> frozenset[str] | None:
    """Languages the model reads; None: any (the multilingual model)."""
    if rules.readable_languages:
        return frozenset(rules.readable_languages)
    return None if rules.multilingual else _LATIN_READABLE


def _stop(languages: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for language in languages:
        out |= stop_words(language)
    return frozenset(w.replace("'", "") for w in out)


# scikit-learn's English stop words include words that name something in app feedback: "the app
# is always down" is an outage, "bill" and "amount" are money, "show" a series, "fire" a Fire TV.
_NAMING_STOP_WORDS = frozenset(
    [
        "down",
        "off",
        "bill",
        "amount",
        "call",
        "computer",
        "system",
        "empty",
        "fire",
        "show",
        "detail",
    ]
)
_ALL_STOP = _stop(["en", "fr", "es", "de"]) - _NAMING_STOP_WORDS
_KNOWN = _ALL_STOP | SENTIMENT | GENERIC | _NEGATIONS | FOREIGN_MARKERS


def bucket_of(text: str, language: str, rules: NoiseRules = NoiseRules()) -> str | None:
    """The noise bucket of one text, or None when it may carry a theme.

    Example:
        >>> bucket_of("nice app 👍", "en"), bucket_of("app crashes", "en")
        ('praise', None)
        >>> bucket_of("🔥🔥🔥", "und"), bucket_of("worst app ever", "en")
        ('no_text', 'complaint_without_content')
    """
    if not any(c.isalpha() for c in text):
        return NO_TEXT
    tokens = words(text)
    if mashed(tokens):  # before the language: detectors call random letters Somali or Welsh
        return NO_CONTENT
    if _unreadable(text, tokens, language, rules):
        return UNREADABLE
    if len(tokens) > rules.max_words:
        return None
    content = [t for t in tokens if _is_content(t, rules.generic)]
    if len(content) >= rules.min_content_words:
        return None
    if any(t in _NEGATIONS for t in tokens):
        return ABUSE  # "not good", "never again": a complaint, never praise
    return _polarity(tokens)


# Letters typed at random are mostly one- or two-letter "words", one letter repeated ("zzzz") or
# runs of consonants ("ttszcsx"). Four such tokens, and 60% of the Latin ones, make a text mashed:
# on 25,600 real Play reviews that flags 56 texts, every one without a theme ("Xexs xxx xxx c cc
# cc", "Hi Hi Hi Hi"), where two-letter words of real text are stop words ("it", "to", "on").
MASH_SHARE = 0.6
MASH_MIN_TOKENS = 4
_VOWELS = frozenset("aeiouyàâäáãåéèêëíìîïóòôöõúùûüýÿæœ")


def mashed(tokens: Sequence[str]) -> bool:
    """Whether the words of a text are letters typed at random.

    Only Latin-script words are judged (other scripts have no such vowels to look for, and a
    text mostly in one is left to the language rules).

    Example:
        >>> mashed(words("Nnnn AA ZZ to v ZZ ZZ AA")), mashed(words("app is ok on my tv"))
        (True, False)
    """
    latin = [t for t in tokens if _latin(t)]
    if len(latin) < MASH_MIN_TOKENS or len(latin) < 0.5 * len(tokens):
        return False
    return sum(map(_mash_token, latin)) >= MASH_SHARE * len(latin)


# A cluster of texts typed at random mixes them with a few real words ("Ez Zee ez z Zee xd, gg to
# ex Zee dg to West"), so each text may stay under MASH_SHARE; taken together, 30% or more of their
# Latin words are random. On the Disney+ Hotstar reviews of August 2024 that cluster ("Zee / Ee")
# is at 0.40 and every theme at 0.17 or less (romanised Hindi, whose two-letter words count).
MASH_CLUSTER_SHARE = 0.3


def mashed_share(texts: Sequence[str]) -> float:
    """Share of the Latin-script words of ``texts``, taken together, that look typed at random.

    Example:
        >>> round(mashed_share(["Ez Zee ez z Zee xd gg to ex", "cast to tv fails"]), 2)
        0.54
    """
    latin = [t for text in texts for t in words(text) if _latin(t)]
    return sum(map(_mash_token, latin)) / len(latin) if latin else 0.0


def _latin_letter(char: str) -> bool:
    return "LATIN" in unicodedata.name(char, "")


def _latin(token: str) -> bool:
    # ASCII first: most words are, and naming every character of every word of a long review
    # took most of the 0.9 s the assignment gate spent on 20,000 reviews.
    return token.isascii() or all(map(_latin_letter, token))


def _mash_token(token: str) -> bool:
    if token in _KNOWN:
        return False
    return len(token) <= 2 or len(set(token)) == 1 or (len(token) >= 4 and not set(token) & _VOWELS)


def _unreadable(text: str, tokens: Sequence[str], language: str, rules: NoiseRules) -> bool:
    readable = readable_languages(rules)
    if readable is None:
        return False
    # An English-centric model maps any non-Latin script to much the same vector.
    if latin_share(text) < 0.5:
        return True
    known = sum(t in _ALL_STOP for t in tokens)
    foreign = sum(t in FOREIGN_MARKERS for t in tokens)
    if foreign >= 2 and foreign >= known:
        return True
    # Detection errs on short texts: two function words of a readable language, or one of its
    # sentiment words ("Pub, pub, pub... Lamentable.", "Good Good Good"), overrule it.
    if any(t in SENTIMENT for t in tokens):
        return False
    return language not in readable and language != "und" and known < 2


# A frequent word is the product's name, not a theme, when at least this share of the texts that
# use it are bare sentiment around it ("netflix is the best": 5% of the Netflix texts with
# "netflix"; 0% of those with "household", "ads", "price" or "phone").
_PRAISED_SHARE = 0.03


def frequent_words(texts: Sequence[str], *, share: float, max_words: int = 12) -> frozenset[str]:
    """Words in at least ``share`` of ``texts`` that people also use in bare praise or abuse.

    In reviews of one app its name is in a fifth of the texts ("netflix is the best"); as a
    content word it would keep such praise out of the buckets. A frequent word of a big theme
    ("please add a dark mode") is never used so, and stays a content word.

    Example:
        >>> sorted(frequent_words(["netflix good", "netflix crashes", "login"], share=0.5))
        ['netflix']
    """
    if not texts or share >= 1:
        return frozenset()
    counts: Counter[str] = Counter()
    praised: Counter[str] = Counter()
    for text in texts:
        tokens = set(words(text))
        counts.update(tokens)
        if len(tokens) <= max_words and tokens & SENTIMENT:
            praised.update(tokens)
    floor = share * len(texts)
    return frozenset(
        w
        for w, n in counts.items()
        if n >= floor and praised[w] >= _PRAISED_SHARE * n and _is_content(w, frozenset())
    )


def rated_praise(text: str, rating: float | None, rules: NoiseRules) -> bool:
    """Whether ``text`` is short, rated :data:`PRAISE_STARS` or more and asks for nothing.

    A cluster of them is praise (:func:`noise_clusters`). One such review may still name a theme
    ("downloads are great"), so on its own it only keeps the review out of a problem intent
    (:func:`vocmine.themes.gate.misfits`); discovery still clusters it.

    Example:
        >>> rated_praise("exlent aap", 5, NoiseRules()), rated_praise("exlent, add 4k pls", 5,
        ...                                                        NoiseRules())
        (True, False)
    """
    if rating is None or rating < PRAISE_STARS:
        return False
    tokens = words(text)
    return len(tokens) <= 2 * rules.max_words and not any(t in ACTION_WORDS for t in tokens)


def _is_content(token: str, generic: frozenset[str]) -> bool:
    return (
        len(token) > 1
        and token not in _ALL_STOP
        and token not in SENTIMENT
        and token not in GENERIC
        and token not in _NEGATIONS
        and token not in generic
    )


def cluster_bucket(
    texts: Sequence[str], languages: Sequence[str], rules: NoiseRules, *, share: float
) -> str | None:
    """The bucket of a whole cluster when at least ``share`` of its texts are noise.

    Texts are judged with twice the item rule's ``max_words``: in a cluster, "Netflix is the
    best streaming app of all" counts as praise, while alone it stays a candidate. The cluster
    goes to its members' most common bucket.

    Example:
        >>> cluster_bucket(["good", "nice app", "best app", "crashes"], ["en"] * 4, NoiseRules(),
        ...                share=0.5)
        'praise'
    """
    if not texts:
        return None
    relaxed = replace(rules, max_words=2 * rules.max_words)
    found = [bucket_of(t, lang, relaxed) for t, lang in zip(texts, languages, strict=True)]
    noise = Counter(b for b in found if b is not None)
    if not noise or sum(noise.values()) < share * len(texts):
        return None
    return min(noise, key=lambda b: (-noise[b], BUCKETS.index(b)))


def _polarity(tokens: Sequence[str]) -> str:
    positive = sum(t in POSITIVE for t in tokens)
    negative = sum(t in NEGATIVE for t in tokens)
    if positive == negative == 0:
        return NO_CONTENT
    return PRAISE if positive > negative else ABUSE


def sentiment_cluster(keywords: Sequence[str], *, top: int = 5) -> str | None:
    """The bucket of a whole cluster whose ``top`` keywords say nothing but how people feel.

    A cluster is a bucket when every one of its first ``top`` keywords is a sentiment, generic
    or negation word; its polarity decides praise or complaint. One content word among them
    ("ads", "login") keeps it a theme.

    Example:
        >>> sentiment_cluster(["good", "nice", "app", "best", "love"])
        'praise'
        >>> sentiment_cluster(["good", "ads", "app"]) is None
        True
    """
    head = [k.lower() for k in keywords[:top]]
    if not head or any(_is_content(k, frozenset()) for k in head):
        return None
    return _polarity(head)


def noise_neighbours(
    vectors: np.ndarray, noise_vectors: np.ndarray, *, k: int = 10, chunk: int = 2048
) -> np.ndarray:
    """For each row of ``vectors``, the share of its ``k`` nearest texts that are noise.

    Neighbours are sought among the candidates (itself excluded) and the texts the item rule set
    aside (``noise_vectors``), by cosine on unit vectors. Praise the word rule missed ("Amazingly
    beautiful!", "verygood") sits among praise it caught, in any language the model reads.

    Example:
        >>> praise = np.array([[1.0, 0.0], [0.8, 0.6]])  # texts the item rule set aside
        >>> candidates = np.array([[0.96, 0.28], [0.0, 1.0], [0.28, 0.96]])
        >>> noise_neighbours(candidates, praise, k=2)
        array([1. , 0.5, 0.5])
    """
    n = len(vectors)
    if n == 0 or len(noise_vectors) == 0:
        return np.zeros(n)
    k = min(k, n - 1 + len(noise_vectors))
    out = np.zeros(n)
    for start in range(0, n, chunk):
        part = vectors[start : start + chunk]
        own = part @ vectors.T
        rows = np.arange(len(part))
        own[rows, rows + start] = -np.inf  # a text is not its own neighbour
        sims = np.hstack([own, part @ noise_vectors.T])
        nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        out[start : start + chunk] = (nearest >= n).mean(axis=1)
    return out


class Item(Protocol):
    """What the bucket functions read of an item (discovery's Candidate has these)."""

    @property
    def id(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def user_hash(self) -> str | None: ...


ItemT = TypeVar("ItemT", bound=Item)


def noise_clusters(
    items: Sequence[ItemT],
    labels: np.ndarray,
    keywords: dict[int, list[str]],
    set_aside: dict[str, list[ItemT]],
    near: np.ndarray,
    *,
    rules: NoiseRules,
    share: float,
    ratings: Sequence[float | None] | None = None,
) -> np.ndarray:
    """Move whole clusters that carry no theme to a bucket; their label becomes -1.

    A cluster goes when its top keywords are sentiment words only (:func:`sentiment_cluster`),
    when ``share`` of its texts are noise by the relaxed word rule (:func:`cluster_bucket`),
    when its texts together are letters typed at random (:func:`mashed_share`),
    when its texts' nearest neighbours are on average ``share`` noise (``near``, from
    :func:`noise_neighbours`), or, given the items' star ``ratings``, when ``share`` of its texts
    are short praise by their stars (:func:`rated_praise`). ``set_aside`` receives the items,
    per bucket.
    """
    out = labels.copy()
    for cluster in sorted(keywords):
        if cluster < 0:
            continue
        rows = [int(i) for i in np.flatnonzero(labels == cluster)]
        texts = [items[i].text for i in rows]
        languages = [items[i].language for i in rows]
        bucket = sentiment_cluster(keywords[cluster]) or cluster_bucket(
            texts, languages, rules, share=share
        )
        if bucket is None and mashed_share(texts) >= MASH_CLUSTER_SHARE:
            bucket = NO_CONTENT
        if bucket is None and len(rows) and float(near[rows].mean()) >= share:
            bucket = cluster_bucket(texts, languages, rules, share=0.0) or PRAISE
        if bucket is None and ratings is not None and len(rows):
            praised = sum(rated_praise(items[i].text, ratings[i], rules) for i in rows)
            bucket = PRAISE if praised >= share * len(rows) else None
        if bucket is None:
            continue
        set_aside.setdefault(bucket, []).extend(items[i] for i in rows)
        out[rows] = -1
    return out


def noise_buckets(set_aside: dict[str, list[ItemT]], *, examples: int = 3) -> list[NoiseBucket]:
    """The buckets in their fixed order, each with a few short texts (one per user, by id).

    Example:
        >>> from types import SimpleNamespace
        >>> said = [SimpleNamespace(id=i, text=t, user_hash=u) for i, t, u in
        ...         [(1, "🔥🔥🔥", "u1"), (2, "👍", "u1"), (3, "great app", "u2")]]
        >>> [(b.name, b.size, b.examples) for b in noise_buckets({"no_text": said[:2],
        ...                                                       "praise": said[2:]})]
        [('praise', 1, ['great app']), ('no_text', 2, ['🔥🔥🔥'])]
    """
    found = []
    for name in BUCKETS:
        members = sorted(set_aside.get(name, []), key=lambda c: c.id)
        if not members:
            continue
        shown: list[str] = []
        users: set[str] = set()
        for c in sorted(members, key=lambda c: (len(c.text) > 80, c.id)):
            text = " ".join(c.text.split())
            text = text if len(text) <= 120 else text[:119] + "…"
            user = c.user_hash or f"item{c.id}"
            if text in shown or user in users:
                continue
            shown.append(text)
            users.add(user)
            if len(shown) >= examples:
                break
        found.append(
            NoiseBucket(
                name=name,
                description=DESCRIPTIONS[name],
                size=len(members),
                users=len({c.user_hash for c in members if c.user_hash}),
                examples=shown,
            )
        )
    return found
