"""Readable names and suggested problem statements for discovered themes, from templates.

A reviewer decides faster on "Household / Password sharing" with "Users are blocked by household
/ password sharing" than on the keywords ``household, password, sharing, pay``. Both are built
from what the theme's texts say most, without a language model:

- the **name** joins the theme's most frequent two-word phrases that contain its top c-TF-IDF
  keywords (a keyword alone when no phrase is common), two parts at most;
- the **problem statement** picks a template by the cue words its texts use most (blocked,
  too expensive, asks for, removed, slow...), and names the theme with its name.

Cue words are in English, French, Spanish and German, like the stop-word lists. The optional LLM
(wired by the CLI only) can draft better statements; these are a start a person edits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from vocmine.themes.noise import words
from vocmine.themes.stopwords import stop_words


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# (template, cue words): the first template whose cues appear in the largest share of texts wins.
_TEMPLATES: list[tuple[str, frozenset[str]]] = [
    (
        "Users are blocked by {what}: it fails, errors or stops them",
        _set(
            "cant cannot unable error errors crash crashes crashing fails failed failing "
            "broken bug bugs glitch stuck freeze freezes freezing blocked blocks work working "
            "works loading load impossible erreur marche fonctiona funciona fehler geht"
        ),
    ),
    (
        "Users find {what} too expensive or not worth the price",
        _set(
            "price prices expensive cost costs costly pay paying paid money increase increased "
            "subscription cher prix precio caro teuer preis"
        ),
    ),
    (
        "Users want {what} back: it was removed or changed",
        _set(
            "removed remove removing gone longer anymore change changed changes missing "
            "supprimé quitado entfernt"
        ),
    ),
    (
        "Users ask for {what}",
        _set(
            "add please wish want need option feature allow would should svp ajouter añadir bitte"
        ),
    ),
]
_LETTERS = re.compile(r"[^\W\d_]+")
_DEFAULT = "Users are dissatisfied with {what}"
_MIN_CUE_SHARE = 0.15  # below it, no cue says enough about the theme: the neutral template


def _stop() -> frozenset[str]:
    out: set[str] = set()
    for language in ("en", "fr", "es", "de"):
        out |= {w.replace("'", "") for w in stop_words(language)}
    return frozenset(out)


_STOP = _stop()


def phrases(texts: Sequence[str]) -> Counter[tuple[str, str]]:
    """Two-word phrases without stop words, counted once per text."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        # Split at apostrophes, as the keywords are: "l'invitation" -> "invitation", not
        # "linvitation" (the 1-letter elisions then fail the length check below).
        tokens = _LETTERS.findall(text.lower())
        seen = {
            (a, b)
            for a, b in pairwise(tokens)
            if a not in _STOP and b not in _STOP and len(a) > 1 and len(b) > 1 and a != b
        }
        counts.update(seen)
    return counts


def _stem(word: str) -> str:
    """A crude stem: 'subtitles', 'subtitle' -> 'subti', 'games' -> 'game': a part's variants."""
    return word.rstrip("s")[:5]


def theme_name(
    keywords: Sequence[str],
    texts: Sequence[str],
    *,
    parts: int = 2,
    skip: frozenset[str] = frozenset(),
) -> str:
    """A short readable name: 'Household / Password sharing'.

    For each top keyword in turn, its most frequent two-word phrase (in at least 10% of the
    texts and 3 of them) or else the keyword; a keyword in ``skip`` (the app's name, sentiment
    words) or of the same stem as an earlier part ('subtitle' after 'subtitles') is passed over.

    Example:
        >>> theme_name(["password", "household", "sharing"],
        ...            ["password sharing is over", "stop password sharing", "household rule",
        ...             "no more password sharing"])
        'Password sharing / Household'
    """
    counts = phrases(texts)
    floor = max(3, 0.1 * len(texts))
    chosen: list[str] = []
    stems: set[str] = set()
    usable = [k for k in keywords[:8] if k not in skip] or list(keywords[:1])
    for keyword in usable:
        if _stem(keyword) in stems:
            continue
        found = [
            (n, p)
            for p, n in counts.items()
            if keyword in p and n >= floor and not set(p) & skip and p[0] != p[1]
        ]
        pair = min(found, key=lambda x: (-x[0], x[1]))[1] if found else (keyword,)
        if {_stem(w) for w in pair} & stems:
            if len(pair) == 1:
                continue
            pair = (keyword,)
        stems |= {_stem(w) for w in pair}
        chosen.append(" ".join(pair))
        if len(chosen) >= parts:
            break
    if not chosen:
        return "Theme"
    return " / ".join(part[:1].upper() + part[1:] for part in chosen)


def problem_statement(name: str, texts: Sequence[str]) -> str:
    """A suggested one-sentence problem statement, from the cue words the texts use most.

    Example:
        >>> problem_statement("Password sharing", ["can't watch, error", "error again"])
        'Users are blocked by password sharing: it fails, errors or stops them'
    """
    # "Password sharing / Household" -> "password sharing / household"; "TV" stays "TV".
    what = " / ".join(
        part if part[:2].isupper() else part[:1].lower() + part[1:] for part in name.split(" / ")
    )
    if not texts:
        return _DEFAULT.format(what=what)
    tokens = [set(words(t)) for t in texts]
    best, best_share = _DEFAULT, _MIN_CUE_SHARE
    for template, cues in _TEMPLATES:
        share = sum(1 for t in tokens if t & cues) / len(tokens)
        if share > best_share:
            best, best_share = template, share
    return best.format(what=what)
