"""The taxonomy's vocabulary: its file name, intent types, limits and id formats, and the
:class:`Category` and :class:`Intent` records read from the YAML files.

The lowest taxonomy module: the reading (:mod:`vocmine.taxonomy.model`), its checks
(:mod:`vocmine.taxonomy.checks`) and the editing commands all import from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

TAXONOMY_FILE = "taxonomy.yaml"
INTENT_TYPES: tuple[str, ...] = ("problem", "request", "praise", "other")
DEFAULT_TYPE = "problem"
MIN_EXAMPLES = 5
MIN_LANGUAGES = 2
MAX_NAME_LENGTH = 60

INTENT_ID_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
CATEGORY_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# ISO 639-1/639-3 code, optionally with a region or script: fr, en, de, es, pt-BR, zh-Hant.
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class Category:
    """A group of intents, one section of the report.

    Attributes:
        id: Lowercase snake_case id, the prefix of its intents' ids (``cashout``).
        name: Short English label shown in the report (``Cash-out & payouts``).
        description: What the category covers, for editors.
    """

    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Intent:
    """One thing users say, with the problem statement Product reads.

    Attributes:
        id: Stable id ``<category>.<snake_name>``; it never changes meaning.
        name: Short human label.
        category: Id of its category (equal to the id's prefix).
        type: ``problem``, ``request``, ``praise`` or ``other``.
        problem: One-sentence problem statement for Product ("" when the type is not problem
            and none was written).
        description: What belongs to the intent and what does not.
        examples: Language code -> example phrases, in file order.
        aliases: Retired ids this intent absorbed (renames and merges).
        owner: Team or person responsible, if stated.
        file: Path of the YAML file relative to the taxonomy root (``cashout.yaml``).
    """

    id: str
    name: str
    category: str
    type: str
    problem: str
    description: str
    examples: Mapping[str, tuple[str, ...]]
    aliases: tuple[str, ...]
    owner: str | None
    file: str

    def all_examples(self) -> list[tuple[str, str]]:
        """Every example as ``(language, text)``, sorted by language then file order.

        Example:
            >>> intent.all_examples()[:2]
            [('de', 'Überweisung seit 2 Wochen nicht da'), ('de', '...')]
        """
        return [(lang, text) for lang in sorted(self.examples) for text in self.examples[lang]]
