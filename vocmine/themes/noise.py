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
- ``no_content``: neither sentiment nor content words ("hmm", "why", "netflix").

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vocmine.themes.stopwords import stop_words

PRAISE = "praise"
ABUSE = "complaint_without_content"
NO_CONTENT = "no_content"
NO_TEXT = "no_text"
UNREADABLE = "unreadable_language"

BUCKETS = (PRAISE, ABUSE, NO_CONTENT, NO_TEXT, UNREADABLE)

DESCRIPTIONS = {
    PRAISE: "praise or approval with nothing to act on (good, nice app, ok)",
    ABUSE: "complaint or abuse that says nothing about what is wrong (worst app, useless)",
    NO_CONTENT: "words that name no problem (hmm, why, the app's name alone)",
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
    """

    max_words: int = 6
    min_content_words: int = 1
    readable_languages: tuple[str, ...] = ()
    multilingual: bool = False


def words(text: str) -> list[str]:
    """Lowercase words of ``text``, apostrophes removed ("can't" -> "cant")."""
    return [w.replace("'", "").replace("’", "") for w in _WORD.findall(text.lower())]


def latin_share(text: str) -> float:
    """Share of the letters of ``text`` that are Latin (1.0 when there is no letter)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
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


_ALL_STOP = _stop(["en", "fr", "es", "de"])


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
    readable = readable_languages(rules)
    if readable is not None:
        # An English-centric model maps any non-Latin script to much the same vector.
        if latin_share(text) < 0.5:
            return UNREADABLE
        if language not in readable and language != "und":
            return UNREADABLE
    tokens = words(text)
    if len(tokens) > rules.max_words:
        return None
    if any(t in _NEGATIONS for t in tokens):
        # "not good", "can't watch": a complaint that may name its object; never praise.
        content = [t for t in tokens if _is_content(t)]
        return None if len(content) >= rules.min_content_words else ABUSE
    content = [t for t in tokens if _is_content(t)]
    if len(content) >= rules.min_content_words:
        return None
    return _polarity(tokens)


def _is_content(token: str) -> bool:
    return (
        len(token) > 1
        and token not in _ALL_STOP
        and token not in SENTIMENT
        and token not in GENERIC
        and token not in _NEGATIONS
    )


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
    if not head or any(_is_content(k) for k in head):
        return None
    return _polarity(head)
