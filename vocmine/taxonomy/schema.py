"""The taxonomy's vocabulary: its file name, intent types, limits and id formats, and the
:class:`Category` and :class:`Intent` records read from the YAML files.

The lowest taxonomy module: the reading (:mod:`vocmine.taxonomy.model`), its checks
(:mod:`vocmine.taxonomy.checks`) and the editing commands all import from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

TAXONOMY_FILE = "taxonomy.yaml"
INTENT_TYPES: tuple[str, ...] = ("problem", "request", "praise", "other")
DEFAULT_TYPE = "problem"
MIN_EXAMPLES = 5
# Without stored feedback to go by, one language is enough ([taxonomy] min_languages = 2 is the
# fixed two-language rule of earlier versions); with a database, see ExampleRule.languages.
MIN_LANGUAGES = 1
LANGUAGE_SHARE = 0.10  # a language with at least this share of the stored feedback needs examples
MAX_NAME_LENGTH = 60

INTENT_ID_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
CATEGORY_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# ISO 639-1/639-3 code, optionally with a region or script: fr, en, de, es, pt-BR, zh-Hant.
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class ExampleRule:
    """How many example phrases an intent needs, and in which languages.

    Attributes:
        min_examples: Phrases in all, whatever their language.
        min_languages: Distinct languages at least.
        languages: Languages that make up a real share of the stored feedback: each needs at
            least one example in every intent the rule is checked on (empty without a database).
        shares: Language -> share of the stored feedback (0-1), to explain the rule.
    """

    min_examples: int = MIN_EXAMPLES
    min_languages: int = MIN_LANGUAGES
    languages: tuple[str, ...] = ()
    shares: Mapping[str, float] = field(default_factory=dict)

    def missing(self, examples: Mapping[str, object]) -> list[str]:
        """The required languages in which ``examples`` (language -> phrases) has none."""
        return [lang for lang in self.languages if not examples.get(lang)]

    def share(self, lang: str) -> str:
        """``de`` -> ``"23% of the stored feedback"``."""
        return f"{self.shares.get(lang, 0.0):.0%} of the stored feedback"


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
            >>> from vocmine.project import starter_taxonomy
            >>> from vocmine.taxonomy.model import load_taxonomy
            >>> intent = load_taxonomy(starter_taxonomy()).intent("cashout.bank_transfer_delay")
            >>> intent.all_examples()[0]  # German sorts first
            ('de', 'Überweisung vor drei Wochen beantragt und immer noch nichts')
        """
        return [(lang, text) for lang in sorted(self.examples) for text in self.examples[lang]]


DEFAULT_RULE = ExampleRule()  # 5 examples in any language: the rule without stored feedback
