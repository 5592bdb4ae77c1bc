"""vocmine.toml: where things are, which model, which sources.

Precedence for every setting: command-line flag > environment variable > vocmine.toml > default.
Relative paths in vocmine.toml are resolved against the folder that holds the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vocmine.errors import ConfigError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"

_SECTIONS: dict[str, set[str]] = {
    "vocmine": {"db", "taxonomy", "reports"},
    "embedding": {"model", "batch_size"},
    "assign": {"method", "threshold", "k"},
    "report": {"top", "quotes", "months"},
    "language": {"candidates"},
    "sources": set(),  # free-form: one table per source
}


@dataclass(frozen=True)
class EmbeddingConfig:
    """Which sentence-transformers model embeds the texts."""

    model: str = DEFAULT_MODEL
    batch_size: int = 64


@dataclass(frozen=True)
class AssignConfig:
    """How items are matched to intents (see vocmine.assign)."""

    method: str = "auto"  # "auto", "logistic" or "nearest"; see vocmine.assign
    threshold: float = 0.5
    k: int = 3

    def __post_init__(self) -> None:
        if self.method not in ("auto", "logistic", "nearest"):
            raise ConfigError(
                f'[assign] method {self.method!r} is unknown; use "auto", "logistic" or "nearest"'
            )


@dataclass(frozen=True)
class ReportConfig:
    """What the monthly report shows."""

    top: int = 8
    quotes: int = 3
    months: int = 6


def _languages(path: Path, section: dict[str, Any]) -> tuple[str, ...]:
    value = section.get("candidates", [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(
            f'{path}: [language] candidates must be a list of language codes, e.g. ["fr", "en"]'
        )
    return tuple(v.lower() for v in value)


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
    languages: tuple[str, ...] = ()
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML ({exc}); fix the syntax and re-run") from None


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


def _typed(cls: type, path: Path, section: str, values: dict[str, Any]) -> Any:
    defaults = cls()
    for key, value in values.items():
        expected = type(getattr(defaults, key))
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
        if not ok or isinstance(value, bool):
            raise ConfigError(
                f"{path}: [{section}] {key} must be a {expected.__name__}, got {value!r}"
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
        report=_typed(ReportConfig, err_path, "report", data.get("report", {})),
        languages=_languages(err_path, data.get("language", {})),
        sources=dict(sources),
    )
