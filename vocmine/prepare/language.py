"""Detect the language of a redacted text with langdetect, deterministically.

Noise (placeholders, URLs, digits, punctuation) is removed and short texts are "und", because
langdetect guesses wildly from a handful of n-grams; its own seeded factory keeps results stable.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from vocmine.errors import ConfigError
from vocmine.models import UNDETERMINED

_WHITESPACE_RE = re.compile(r"\s+")
_LANGUAGE_NOISE_RE = re.compile(
    r"\[[A-Z_]+\]|(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]{1,64}@[\w.-]{1,255}|[^\w\s]|[\d_]",
    re.IGNORECASE,
)
# Under 3 words or 12 letters langdetect answers from a handful of n-grams ("super appli" -> it,
# "ok merci" -> sk). On 9,700 Latin-script English Play reviews it said "en" for 71% at 3-5 words,
# 87% at 6-9, 96% at 10+. A 0.8 threshold instead of 0.5 made as many right answers "und" as
# wrong ones (wrong answers mostly come with probability 1.0: "Best app" -> fr), and a prior
# towards fr/en/es/de changed nothing, so the thresholds stay as they are.
_LANGUAGE_MIN_WORDS = 3
_LANGUAGE_MIN_LETTERS = 12
_LANGUAGE_MIN_PROB = 0.5
# With candidates: when they hold under 10% of the free detection's probability, the text is not
# in one of them (with 8+ words: langdetect is confidently wrong on shorter Romance texts). It keeps its own code when langdetect is sure (0.9), else "other".
_CANDIDATE_MIN_MASS = 0.1
_OTHER_MIN_PROB = 0.9
_OTHER_MIN_WORDS = 8
_OTHER_MAX_PRIOR_PROB = 0.7  # ...and among the candidates no better than this: "other"
OTHER = "other"


@functools.cache
def _detector_factory() -> Any:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    # Our own factory with its own seed: nobody else's DetectorFactory.seed can change our
    # results, and every detector restarts the same random sequence whatever the call order.
    factory.set_seed(0)
    return factory


@functools.cache
def _prior_map(candidates: tuple[str, ...]) -> dict[str, float]:
    """langdetect prior restricting detection to ``candidates`` (validated once per tuple)."""
    known = set(_detector_factory().get_lang_list())
    unknown = [code for code in candidates if code not in known]
    if unknown:
        raise ConfigError(
            f"unknown language code {unknown[0]!r} in [language] candidates; "
            f"use codes langdetect knows: {', '.join(sorted(known))}"
        )
    return dict.fromkeys(candidates, 1.0)


def detect_language(text: str, *, candidates: tuple[str, ...] = ()) -> tuple[str, float]:
    """Detect the language of a text with langdetect, deterministically.

    Placeholders, URLs, emails, digits, emoji and punctuation are removed first. Texts with fewer
    than 3 words or 12 letters, and texts whose best language is under 0.5, are "und".

    Args:
        text: Redacted text.
        candidates: Languages the product receives (e.g. fr, en, es, de), a prior, not a cage:
            a text close to one of them is labelled among them only (a short French review is
            never called Italian), but a text the free detection puts outside them (under 10%
            of its probability on the candidates) keeps its own code when langdetect is sure
            (0.9, 8 words or more) and is "other" when it is not. Empty: every language.

    Returns:
        (ISO 639-1 code or "und", probability rounded to 4 decimals).

    Example:
        >>> detect_language("les points ne sont pas crédités depuis hier")
        ('fr', 1.0)
    """
    from langdetect.lang_detect_exception import LangDetectException

    letters_only = _WHITESPACE_RE.sub(" ", _LANGUAGE_NOISE_RE.sub(" ", text)).strip()
    if letters_only.isupper():
        # langdetect skips words in capitals (as proper nouns): "APPLI GÉNIALE" has no features.
        letters_only = letters_only.lower()
    words = letters_only.split()
    if len(words) < _LANGUAGE_MIN_WORDS or sum(map(len, words)) < _LANGUAGE_MIN_LETTERS:
        return UNDETERMINED, 0.0
    try:
        ranked = _ranked(letters_only, ())
        if candidates:
            _prior_map(candidates)  # validate the codes
            free = {str(r.lang).split("-")[0]: float(r.prob) for r in ranked}
            mass = sum(p for lang, p in free.items() if lang in candidates)
            outside = ranked and ranked[0].lang not in candidates and mass < _CANDIDATE_MIN_MASS
            if outside and len(words) >= _OTHER_MIN_WORDS and ranked[0].prob >= _OTHER_MIN_PROB:
                # Candidates are a prior, not a cage: a text clearly in another language keeps
                # its own code. Shorter texts are too short to overrule the prior.
                return str(ranked[0].lang).split("-")[0], round(float(ranked[0].prob), 4)
            ranked = _ranked(letters_only, candidates)
            if outside and ranked and ranked[0].prob < _OTHER_MAX_PRIOR_PROB:
                # Outside the candidates by the free detection, unsure among them: "other".
                return OTHER, round(float(ranked[0].prob), 4)
    except LangDetectException:
        return UNDETERMINED, 0.0
    if not ranked or ranked[0].prob < _LANGUAGE_MIN_PROB:
        return UNDETERMINED, 0.0
    # langdetect names Chinese "zh-cn"/"zh-tw": keep the ISO 639-1 part.
    return str(ranked[0].lang).split("-")[0], round(float(ranked[0].prob), 4)


def _ranked(text: str, candidates: tuple[str, ...]) -> list[Any]:
    detector = _detector_factory().create()
    if candidates:
        detector.set_prior_map(_prior_map(candidates))
    detector.append(text)
    return list(detector.get_probabilities())
