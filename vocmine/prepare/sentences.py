"""Split an item's text into the sentences the assignment gate looks at.

Taxonomy examples are one sentence each; a ticket of five sentences mixes its problem with a
greeting, context and thanks, so its whole-text vector sits further from every intent than a
one-line review saying the same thing (with multilingual-e5-small, about 0.02 lower on a scale
where the gate is about 0.89). The gate (:mod:`vocmine.themes.gate`) therefore also looks at
the item's best sentence. Only these few rules decide what a sentence is, so that the vectors
cached for them stay valid: bump :data:`SENTENCES_VERSION` when they change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from vocmine.prepare.normalise import text_hash

# Part of the assignment key: changing the rules below changes which vectors the gate sees.
SENTENCES_VERSION = "s1"
# A long ticket's first sentences carry its problem; more would cost embedding time for little.
MAX_SENTENCES = 8
# "Merci d'avance." or "Hello," alone match nothing, and a short fragment can match anything.
MIN_WORDS = 3
# A sentence ends at . ! ? or … followed by a space (so "4.12.0" stays whole), or at a line break.
_BOUNDARY = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")


def sentences(text: str, *, limit: int = MAX_SENTENCES, min_words: int = MIN_WORDS) -> list[str]:
    """The sentences of ``text`` worth scoring on their own; none for a one-sentence text.

    A text of one sentence is already scored whole; fragments of fewer than ``min_words``
    words are dropped, and at most the first ``limit`` sentences are kept.

    Example:
        >>> sentences("Bonjour. Mon virement n'est jamais arrivé ! Merci")
        ["Mon virement n'est jamais arrivé !"]
        >>> sentences("The app crashes on start")
        []
    """
    parts = [part.strip() for part in _BOUNDARY.split(text)]
    parts = [part for part in parts if part]
    if len(parts) < 2:
        return []
    return [part for part in parts if len(part.split()) >= min_words][:limit]


def sentence_pairs(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(text_hash, sentence) of each sentence of ``texts`` the assignment gate scores: what
    ingest embeds, assignment reads and deleting an item removes.

    Example:
        >>> sentence_pairs(["Bonjour. Mon virement n'est jamais arrivé !"])
        [('7000e47a...', "Mon virement n'est jamais arrivé !")]
    """
    return [(text_hash(s), s) for text in texts for s in sentences(text)]
