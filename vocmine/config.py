"""vocmine.toml: where things are, which model, which sources.

Precedence for every setting: command-line flag > environment variable > vocmine.toml > default.
Relative paths in vocmine.toml are resolved against the folder that holds the file.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from vocmine.errors import ConfigError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"

_SECTIONS: dict[str, set[str]] = {
    "vocmine": {"db", "taxonomy", "reports"},
    "embedding": {"model", "batch_size"},
    "assign": {"method", "threshold", "k", "finetune_steps", "min_probability", "noise_company"},
    "report": {
        "top",
        "quotes",
        "months",
        "min_quote_users",
        "quote_margin",
        "weight_volume",
        "weight_growth",
        "weight_impact",
        "cost_per_contact",
        "currency",
        "unassigned_warning",
        "retire_after_months",
    },
    "language": {"candidates"},
    "taxonomy": {"min_examples", "min_languages", "language_share"},
    "privacy": {"order_patterns"},
    "llm": {"enabled", "base_url", "model", "api_key_env", "timeout", "max_tokens"},
    "discover": {
        "seed",
        "min_size",
        "add_examples_similarity",
        "overlap_similarity",
        "growth_months",
        "quotes",
        "examples",
        "max_share",
        "split_depth",
        "noise",
        "noise_max_words",
        "noise_min_content_words",
        "noise_generic_share",
        "noise_cluster_share",
        "noise_by_rating",
    },
    "sources": set(),  # free-form: one table per source
}


@dataclass(frozen=True)
class EmbeddingConfig:
    """Which model embeds the texts: a sentence-transformers name, "multilingual-e5-small" or "auto".

    ``reason`` is not a setting: it says why the model runs (``"auto"`` resolved against the
    stored items' languages by :func:`vocmine.themes.embed.resolve_model`), for the report.
    """

    model: str = DEFAULT_MODEL
    batch_size: int = 64
    reason: str = ""


@dataclass(frozen=True)
class AssignConfig:
    """How items are matched to intents (see vocmine.themes.assign)."""

    method: str = "auto"  # "auto", "logistic", "nearest" or "finetune"; see vocmine.themes.assign
    threshold: float = 0.5
    k: int = 3
    finetune_steps: int = 200  # training steps of method "finetune" (vocmine.themes.finetune)
    # Least probability the logistic head must give a problem intent (vocmine.themes.gate.unsure);
    # 0 turns the check off.
    min_probability: float = 0.3
    # An item whose 10 nearest stored texts hold this share of content-free ones (praise, abuse,
    # nothing) takes no problem intent (vocmine.themes.company); 0 turns the check off.
    noise_company: float = 0.2

    def __post_init__(self) -> None:
        if self.method not in ("auto", "logistic", "nearest", "finetune"):
            raise ConfigError(
                f"[assign] method {self.method!r} is unknown; "
                'use "auto", "logistic", "nearest" or "finetune"'
            )
        if self.finetune_steps < 1:
            raise ConfigError("[assign] finetune_steps must be 1 or more, e.g. 200")


@dataclass(frozen=True)
class ReportConfig:
    """What the monthly report shows."""

    top: int = 8
    quotes: int = 3
    months: int = 6
    min_quote_users: int = 5
    # A quote's assignment score must beat the runner-up intent's by this much (0: any item).
    quote_margin: float = 0.05
    weight_volume: float = 0.4
    weight_growth: float = 0.3
    weight_impact: float = 0.3
    currency: str = "EUR"
    # Above this share of the month unassigned, the summary opens by saying the taxonomy does not
    # fit (vocmine.measure.fit): its themes then describe a minority of the feedback.
    unassigned_warning: float = 0.4
    # An intent with no item in this many stored months with data is a candidate to retire.
    retire_after_months: int = 3
    # Source name -> cost of one ticket; "*" for every source. Empty: no cost shown.
    cost_per_contact: dict[str, float] = field(default_factory=dict)


def _report(path: Path, section: dict[str, Any]) -> ReportConfig:
    """[report], with cost_per_contact as a number (every ticket) or a table per source."""
    values = dict(section)
    cost = values.pop("cost_per_contact", {})
    if isinstance(cost, int | float) and not isinstance(cost, bool):
        cost = {"*": cost}
    ok = isinstance(cost, dict) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v < math.inf
        for v in cost.values()
    )
    if not ok:
        raise ConfigError(
            f"{path}: [report] cost_per_contact must be a number (e.g. 4.5) or a table of numbers "
            "per source (e.g. cost_per_contact = {{ zendesk = 6.0 }})"
        )
    config = _typed(ReportConfig, path, "report", values)
    if config.min_quote_users < 1:
        raise ConfigError(f"{path}: [report] min_quote_users must be 1 or more")
    return replace(config, cost_per_contact={k: float(v) for k, v in sorted(cost.items())})


@dataclass(frozen=True)
class LLMConfig:
    """Optional drafting help from an OpenAI-compatible endpoint (see vocmine.report.llm). Off by default.

    The API key is never a setting: it is read from the environment variable named by
    ``api_key_env`` at the moment of a request, so it is never in a file vocmine reads or writes.
    """

    enabled: bool = False
    base_url: str = "http://127.0.0.1:8080/v1"
    model: str = ""
    api_key_env: str = "VOCMINE_LLM_API_KEY"
    timeout: float = 30.0
    max_tokens: int = 400


@dataclass(frozen=True)
class DiscoverConfig:
    """How ``vocmine discover`` proposes themes (see vocmine.themes.discover)."""

    seed: int = 42  # seeds UMAP: same data and seed, same proposals
    min_size: int = 10  # smallest theme proposed
    add_examples_similarity: float = 0.6  # closer than this to an intent: add examples to it
    overlap_similarity: float = 0.9  # intents whose items' centres are this alike may merge
    growth_months: int = 3  # earlier months counted in a proposal's growth
    quotes: int = 5  # representative quotes per proposal
    examples: int = 5  # example texts per language per proposal
    max_share: float = 0.15  # a cluster above this share of the clustered items is split again
    split_depth: int = 3  # how many times a too-large cluster is split again, at most
    noise: bool = True  # set praise, content-free, no-text, unreadable texts aside (buckets)
    noise_max_words: int = 6  # longer texts are never put in a bucket by their words
    noise_min_content_words: int = 1  # content words a short text needs to stay a candidate
    noise_generic_share: float = 0.1  # a word in this share of the texts is generic (the app name)
    noise_cluster_share: float = 0.5  # a cluster with this share of noise texts is a bucket
    # A cluster with that share of short 4-5 star texts asking for nothing is praise (misspelt
    # praise such as "exlent" escapes every word list); the draft turns it off to keep praise
    # themes as praise intents.
    noise_by_rating: bool = True


@dataclass(frozen=True)
class TaxonomyConfig:
    """How many examples an intent needs, and in which languages (see vocmine.taxonomy.rules)."""

    min_examples: int = 5  # example phrases per intent, all languages together
    min_languages: int = 1  # 2 restores the fixed two-language rule of earlier versions
    language_share: float = 0.10  # a language this share of the stored feedback needs examples

    def __post_init__(self) -> None:
        if self.min_examples < 1 or self.min_languages < 1 or not 0 < self.language_share <= 1:
            raise ConfigError(
                "[taxonomy] min_examples and min_languages must be at least 1, and "
                "language_share between 0 and 1 (e.g. 0.1)"
            )


def _languages(path: Path, section: dict[str, Any]) -> tuple[str, ...]:
    value = section.get("candidates", [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(
            f'{path}: [language] candidates must be a list of language codes, e.g. ["fr", "en"]'
        )
    return tuple(v.lower() for v in value)


def _order_patterns(path: Path, section: dict[str, Any]) -> tuple[str, ...]:
    value = section.get("order_patterns", [])
    example = r'e.g. ["\\bCMD-\\d{6}\\b"]'
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: [privacy] order_patterns must be a list of regexes, {example}")
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"{path}: [privacy] order_patterns: {pattern!r} is not a valid regex ({exc}); "
                f"fix it, {example}"
            ) from None
    return tuple(value)


@dataclass(frozen=True)
class Config:
    """The resolved configuration of one vocmine project."""

    base_dir: Path
    db: Path
    taxonomy: Path
    reports: Path
    path: Path | None = None
    embedding: EmbeddingConfig = field(default_factory=EmbeddingConfig)
    assign: AssignConfig = field(default_factory=AssignConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    discover: DiscoverConfig = field(default_factory=DiscoverConfig)
    taxonomy_rules: TaxonomyConfig = field(default_factory=TaxonomyConfig)
    languages: tuple[str, ...] = ()
    order_patterns: tuple[str, ...] = ()  # [privacy] order_patterns: more order numbers to redact
    llm: LLMConfig = field(default_factory=LLMConfig)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)


def _llm(path: Path, section: dict[str, Any]) -> LLMConfig:
    cfg: LLMConfig = _typed(LLMConfig, path, "llm", section)
    if cfg.enabled and not cfg.model:
        raise ConfigError(f'{path}: [llm] enabled needs a model, e.g. model = "llama3.1:8b"')
    if not cfg.base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"{path}: [llm] base_url must start with http:// or https://, "
            'e.g. "http://127.0.0.1:8080/v1"'
        )
    if cfg.timeout <= 0 or cfg.max_tokens <= 0:
        raise ConfigError(f"{path}: [llm] timeout and max_tokens must be positive")
    return cfg


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc}); fix the syntax and re-run") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8 and re-run"
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read the config ({exc.strerror}); pass --config with a TOML file"
        ) from None


def _check_keys(path: Path, data: dict[str, Any]) -> None:
    for section, value in data.items():
        if section not in _SECTIONS:
            raise ConfigError(
                f"{path}: unknown section [{section}]; valid sections: {', '.join(sorted(_SECTIONS))}"
            )
        allowed = _SECTIONS[section]
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: [{section}] must be a table")
        for key in value:
            if allowed and key not in allowed:
                raise ConfigError(
                    f"{path}: unknown key '{key}' in [{section}]; valid keys: {', '.join(sorted(allowed))}"
                )


# The range of every number in vocmine.toml, (lowest, highest or None), ends included; a number
# must also be finite (TOML allows nan and inf).
RANGES: dict[str, dict[str, tuple[float, float | None]]] = {
    "embedding": {"batch_size": (1, None)},
    "assign": {
        "threshold": (0, 1),
        "k": (1, None),
        "finetune_steps": (1, None),
        "min_probability": (0, 1),
        "noise_company": (0, 1),
    },
    "report": {
        "top": (1, None),
        "quotes": (0, None),
        "months": (1, 120),
        "min_quote_users": (1, None),
        "weight_volume": (0, None),
        "weight_growth": (0, None),
        "weight_impact": (0, None),
        "unassigned_warning": (0, 1),
        "retire_after_months": (1, 120),
    },
    "llm": {"timeout": (0, None), "max_tokens": (0, None)},  # 0: "must be positive", below
    "discover": {
        "seed": (0, 2**32 - 1),  # what numpy and UMAP accept as a seed
        "min_size": (2, None),
        "add_examples_similarity": (0, 1),
        "overlap_similarity": (0, 1),
        "growth_months": (1, 120),
        "quotes": (0, None),
        "examples": (0, None),
        "max_share": (0.01, 1),
        "split_depth": (0, 10),
        "noise_max_words": (0, None),
        "noise_min_content_words": (1, None),
        "noise_generic_share": (0, 1),
        "noise_cluster_share": (0, 1),
    },
}


def check_range(name: str, value: float, limits: tuple[float, float | None], example: Any) -> None:
    """Raise ConfigError unless ``value`` is finite and within ``limits`` (ends included).

    Example:
        >>> check_range("[assign] k", 0, (1, None), 3)
        Traceback (most recent call last):
        vocmine.errors.ConfigError: [assign] k must be 1 or more, e.g. 3; got 0
    """
    low, high = limits
    if math.isfinite(value) and low <= value and (high is None or value <= high):
        return
    wanted = (
        f"{_shown(low)} or more" if high is None else f"between {_shown(low)} and {_shown(high)}"
    )
    raise ConfigError(f"{name} must be {wanted}, e.g. {example}; got {value!r}")


def _shown(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _typed(cls: type, path: Path, section: str, values: dict[str, Any]) -> Any:
    defaults = cls()
    for key, value in values.items():
        expected = type(getattr(defaults, key))
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
        if not ok or (isinstance(value, bool) and expected is not bool):
            raise ConfigError(
                f"{path}: [{section}] {key} must be a {expected.__name__}, got {value!r}"
            )
        if key in RANGES.get(section, {}):
            check_range(
                f"{path}: [{section}] {key}", value, RANGES[section][key], getattr(defaults, key)
            )
    return cls(**values)


def load_config(
    path: Path | None = None,
    *,
    db: Path | None = None,
    taxonomy: Path | None = None,
    reports: Path | None = None,
) -> Config:
    """Load vocmine.toml (if it exists) and apply overrides.

    Args:
        path: The config file; a missing file means "all defaults".
        db: Overrides [vocmine] db (from --db or VOCMINE_DB).
        taxonomy: Overrides [vocmine] taxonomy (from --taxonomy or VOCMINE_TAXONOMY).
        reports: Overrides [vocmine] reports.

    Raises:
        ConfigError: The file is not valid TOML or has unknown or mistyped keys.

    Example:
        >>> cfg = load_config(Path("vocmine.toml"), db=Path("/tmp/test.db"))
        >>> cfg.db
        PosixPath('/tmp/test.db')
    """
    data: dict[str, Any] = {}
    base = Path.cwd()
    if path is not None and path.exists():
        data = _read_toml(path)
        _check_keys(path, data)
        base = path.resolve().parent
    cfg_path = path if path is not None and path.exists() else None
    main = data.get("vocmine", {})
    err_path = path or Path("vocmine.toml")

    def where(override: Path | None, key: str, default: str) -> Path:
        if override is not None:
            return override
        return base / str(main.get(key, default))

    sources = data.get("sources", {})
    for name, table in sources.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{err_path}: [sources.{name}] must be a table")
    return Config(
        base_dir=base,
        db=where(db, "db", "vocmine.db"),
        taxonomy=where(taxonomy, "taxonomy", "taxonomy"),
        reports=where(reports, "reports", "reports"),
        path=cfg_path,
        embedding=_typed(EmbeddingConfig, err_path, "embedding", data.get("embedding", {})),
        assign=_typed(AssignConfig, err_path, "assign", data.get("assign", {})),
        report=_report(err_path, data.get("report", {})),
        discover=_typed(DiscoverConfig, err_path, "discover", data.get("discover", {})),
        taxonomy_rules=_typed(TaxonomyConfig, err_path, "taxonomy", data.get("taxonomy", {})),
        languages=_languages(err_path, data.get("language", {})),
        order_patterns=_order_patterns(err_path, data.get("privacy", {})),
        llm=_llm(err_path, data.get("llm", {})),
        sources=dict(sources),
    )
