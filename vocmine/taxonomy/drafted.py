"""Write a taxonomy drafted from the stored feedback (``vocmine taxonomy draft``).

The draft is built elsewhere (:mod:`vocmine.themes.draft`, from discovery's themes); this module
holds its types and writes it as an ordinary taxonomy folder: ``taxonomy.yaml``, one file per
category, each intent headed by a comment with its size and quotes from the data, and
``DRAFT.md``, the review sheet (vocmine reads neither comments nor ``.md`` files). The result is
validated in a scratch folder before anything is replaced, the version is bumped, the change is
recorded in ``CHANGELOG.md`` and ``hashes.json`` is rewritten, so the draft never looks like a
hand edit.

A taxonomy is replaced only when nobody wrote it: a missing or empty folder, or the starter that
``vocmine init`` copies, untouched. Anything else needs ``replace=True``; its files are then kept
in ``replaced/VERSION/`` and its ids are retired, so that an id never changes meaning.

Example:
    >>> from vocmine.project import init_project
    >>> root = init_project(Path(tempfile.mkdtemp())).created[1]  # taxonomy/: the starter, copied
    >>> phrases = ("it crashes", "crash at launch", "the app closes", "crashes on start", "bye app")
    >>> crash = DraftIntent("app.crash", "Crashes", "Users whose app closes.", "Crashes.",
    ...                     ("crash",), {"en": phrases}, size=50, users=40, quotes=())
    >>> draft = Draft("Drafted", "2024-08", 50, (DraftCategory("app", "App", "Bugs.", (crash,)),))
    >>> written = write_draft(root, draft, replace=False, today=date(2026, 11, 22),
    ...                       command="vocmine taxonomy draft", reason="first draft")
    >>> written.replaced, written.files  # the untouched starter is replaced without --replace
    ('starter', ['app.yaml', 'taxonomy.yaml'])
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from vocmine.errors import TaxonomyError, VocmineError
from vocmine.project import starter_taxonomy
from vocmine.taxonomy import changelog, state
from vocmine.taxonomy.edit import Edit, atomic_write, dump, examples_node, folded
from vocmine.taxonomy.model import Taxonomy, load_taxonomy, validate_taxonomy
from vocmine.taxonomy.schema import DEFAULT_RULE, TAXONOMY_FILE, ExampleRule

REVIEW_FILE = "DRAFT.md"
# Examples per language per intent taken from the data: more reach further from each theme's
# centre (more of a month assigned, a little less of it on theme); docs/quality.md, "Drafted
# taxonomy on Netflix reviews".
DEFAULT_EXAMPLES = 60
_VERSION_RE = re.compile(r"^(\d{4})\.(\d{1,2})\.(\d+)$")


@dataclass(frozen=True)
class DraftIntent:
    """One drafted intent: a theme of the data with its examples taken from it."""

    id: str
    name: str
    problem: str
    description: str
    keywords: tuple[str, ...]
    examples: Mapping[str, tuple[str, ...]]
    size: int
    users: int
    quotes: tuple[str, ...]
    type: str = "problem"
    stars: float | None = None  # mean star rating of the items it was assigned, when rated


@dataclass(frozen=True)
class DraftCategory:
    """A group of drafted intents (one file, one section of the report)."""

    id: str
    name: str
    description: str
    intents: tuple[DraftIntent, ...]


@dataclass(frozen=True)
class LeftOut:
    """A theme that could not become a valid intent, and why (shown in the review file)."""

    name: str
    size: int
    keywords: tuple[str, ...]
    reason: str
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """A whole drafted taxonomy.

    Attributes:
        name: Name written in taxonomy.yaml.
        period: Months the themes were drawn from (``2024-02..2024-09``).
        items: Items clustered.
        categories: The categories, largest first.
        left_out: Themes found but not drafted.
    """

    name: str
    period: str
    items: int
    categories: tuple[DraftCategory, ...]
    left_out: tuple[LeftOut, ...] = ()

    @property
    def intents(self) -> list[DraftIntent]:
        """Every drafted intent, category by category."""
        return [intent for category in self.categories for intent in category.intents]


@dataclass
class Written:
    """What :func:`write_draft` did."""

    files: list[str]
    version: tuple[str, str]
    replaced: str  # "missing", "empty", "starter" or "edited": what the folder held
    kept_in: Path | None = None  # where the replaced files were kept (an edited taxonomy)
    review: Path | None = None
    retired: list[str] = field(default_factory=list)


# --- what the folder holds -----------------------------------------------------------------------


def folder_state(root: Path) -> str:
    """``missing``, ``empty`` (no YAML), ``starter`` (the shipped starter, untouched) or ``edited``.

    Example:
        >>> from vocmine.project import init_project
        >>> root = init_project(Path(tempfile.mkdtemp())).created[1]
        >>> folder_state(root), folder_state(root.parent / "none")  # right after ``vocmine init``
        ('starter', 'missing')
    """
    root = Path(root)
    if not root.is_dir():
        return "missing"
    files = state.file_hashes(root)
    if not files:
        return "empty"
    try:
        starter = state.file_hashes(starter_taxonomy())
    except VocmineError:  # an install without the starter cannot have copied it
        return "edited"
    return "starter" if files == starter else "edited"


def check_writable(root: Path, *, replace: bool) -> str:
    """The folder's state, or a one-line error when a taxonomy someone wrote would be replaced.

    Raises:
        TaxonomyError: The folder holds a taxonomy that is not the untouched starter, and
            ``replace`` is False.
    """
    found = folder_state(root)
    if found == "edited" and not replace:
        raise TaxonomyError(
            f"{root} holds a taxonomy that is not the untouched starter, and a draft never "
            f"replaces one silently; pass --replace (its files are kept in {root}/replaced/) "
            "or draft into another folder with --taxonomy NEW_DIR"
        )
    return found


def reserved_ids(root: Path) -> set[str]:
    """Ids of an edited taxonomy (current, aliases, retired): a draft replacing it retires them."""
    if folder_state(root) != "edited":
        return set()
    found: set[str] = set()
    for path in sorted(Path(root).glob("*.yaml")):
        try:
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8-sig"))
        except Exception:  # an unreadable file has no id to keep
            continue
        if not isinstance(data, dict):
            continue
        found.update(str(i) for i in data.get("retired") or [])
        for entry in data.get("intents") or []:
            if isinstance(entry, dict) and entry.get("id"):
                found.add(str(entry["id"]))
                found.update(str(a) for a in entry.get("aliases") or [])
    return found


def next_version(old: str | None, today: date) -> str:
    """``YYYY.MM.N``: N+1 within the month of ``old``, else this month's ``.1``.

    Example:
        >>> next_version("2026.11.3", date(2026, 11, 22)), next_version(None, date(2026, 11, 22))
        ('2026.11.4', '2026.11.1')
    """
    match = _VERSION_RE.match(old or "")
    if match and (int(match.group(1)), int(match.group(2))) == (today.year, today.month):
        return f"{today.year}.{today.month:02d}.{int(match.group(3)) + 1}"
    return f"{today.year}.{today.month:02d}.1"


def _old_header(root: Path) -> tuple[str | None, list[str]]:
    path = Path(root) / TAXONOMY_FILE
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8-sig"))
    except Exception:  # missing or broken: no version to continue from
        return None, []
    if not isinstance(data, dict):
        return None, []
    version = data.get("version")
    return (str(version) if version else None), [str(i) for i in data.get("retired") or []]


# --- rendering -----------------------------------------------------------------------------------


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def render_header(draft: Draft, *, version: str, retired: list[str]) -> str:
    """taxonomy.yaml of the draft."""
    doc = CommentedMap()
    doc["version"] = DoubleQuotedScalarString(version)
    doc["name"] = draft.name
    categories = CommentedSeq()
    for category in draft.categories:
        entry = CommentedMap()
        entry["id"] = category.id
        entry["name"] = category.name
        entry["description"] = folded(category.description, indent=4)
        categories.append(entry)
    doc["categories"] = categories
    if retired:
        doc["retired"] = CommentedSeq(retired)
    head = (
        "# The taxonomy: what users talk about, as intents grouped in categories.\n"
        f"# Drafted by `vocmine taxonomy draft` from {draft.items} stored items ({draft.period}).\n"
        "# A draft to review, not a finished taxonomy: DRAFT.md in this folder lists every intent\n"
        "# with its size and the commands to keep, rename, merge or retire it.\n\n"
    )
    return head + dump(doc)


def render_category(category: DraftCategory, draft: Draft) -> str:
    """One category's intent file, each intent headed by its size and quotes as comments."""
    lines = [
        f"# Intents of the category `{category.id}` ({category.name}), declared in taxonomy.yaml.",
        f"# Drafted from the stored feedback ({draft.period}). The comment above each intent gives",
        "# its size and quotes from the data (redacted as stored): check that the examples say",
        "# one thing, then edit with `vocmine taxonomy edit|rename|merge|retire|add-examples`",
        "# (`remove-examples` takes out a phrase of another theme).",
        "",
        "intents:",
    ]
    for position, intent in enumerate(category.intents):
        if position:
            lines.append("")
        share = intent.size / draft.items if draft.items else 0.0
        # Sources without user ids count no users: saying "0 users" would read as an error.
        users = f", {intent.users} users" if intent.users else ""
        stars = f", {intent.stars:.1f}★ on average" if intent.stars is not None else ""
        lines.append(
            f"  # {intent.size} items ({share:.1%} of the items clustered){users}{stars};"
            f" keywords: {', '.join(intent.keywords[:8])}"
        )
        if intent.type == "praise":
            lines.append(
                "  # type praise: its items are rated highly (not counted as a problem); "
                "'vocmine taxonomy edit ID --type problem --problem ...' if it is one"
            )
        elif intent.type == "other":
            lines.append(
                "  # type other: its items' stars are mixed (praise and complaints), general "
                "opinion rather than one problem; 'vocmine taxonomy edit ID --type problem "
                "--problem ...' if it is one"
            )
        for quote in intent.quotes:
            lines.append(f"  #   > {_one_line(quote)}")
        entry = CommentedMap()
        entry["id"] = intent.id
        entry["name"] = intent.name
        entry["category"] = category.id
        entry["type"] = intent.type
        if intent.type == "problem":
            entry["problem"] = folded(intent.problem)
        entry["description"] = folded(intent.description)
        entry["examples"] = examples_node({k: list(v) for k, v in intent.examples.items()})
        body = dump({"intents": [entry]}).split("\n", 1)[1]
        lines.append(body.rstrip("\n"))
    return "\n".join(lines) + "\n"


def render_review(draft: Draft, *, root: Path) -> str:
    """DRAFT.md: every drafted intent with its size, and what to do next."""
    out = [
        "# Drafted taxonomy: review sheet",
        "",
        f"Written by `vocmine taxonomy draft` from {draft.items} items ({draft.period}). "
        "Not read by vocmine. Sizes are the items of each theme when it was clustered; after "
        "`vocmine assign` the report counts what the intents actually hold.",
        "",
        "| category | intent | name | type | items | share | stars | keywords |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for category in draft.categories:
        for intent in category.intents:
            share = intent.size / draft.items if draft.items else 0.0
            stars = f"{intent.stars:.1f}" if intent.stars is not None else ""
            out.append(
                f"| {category.id} | `{intent.id}` | {_cell(intent.name)} | {intent.type} | "
                f"{intent.size} | {share:.1%} | {stars} | "
                f"{_cell(', '.join(intent.keywords[:6]))} |"
            )
    if draft.left_out:
        out += ["", "## Themes left out", ""]
        out += [
            f"- {_cell(t.name)} ({t.size} items; {_cell(', '.join(t.keywords[:6]))}): {t.reason}"
            for t in draft.left_out
        ]
    out += [
        "",
        "## Reviewing",
        "",
        "Each intent's file shows its quotes above it. For each intent:",
        "",
        "- keep it, and write what Product should read: "
        "`vocmine taxonomy edit ID --problem 'Users who ...' --reason 'review'`;",
        "- rename it: `vocmine taxonomy rename ID --name 'Casting to TV' --reason 'review'`;",
        "- fold it into another: `vocmine taxonomy merge ID [ID...] INTO_ID --reason 'same theme'`"
        " (add `--name '...' --problem 'Users who ...'` to say what the wider theme now holds);",
        "- not about the product (praise, politics, noise): keep it and mark it "
        "`vocmine taxonomy edit ID [ID...] --type praise|other --reason 'not a problem'`, so that its "
        "items stay in it and out of the problems (a retired intent's items go to the nearest "
        "other intent); retire only what no longer exists: `vocmine taxonomy retire ID`;",
        "- add phrases: `vocmine taxonomy add-examples ID --lang en '...' --reason 'review'`;",
        "- take out a phrase about another theme: "
        "`vocmine taxonomy remove-examples ID '...' [ID2 '...'] --reason 'review'`.",
        "",
        "A theme the draft missed (it sits inside others): write five examples and let the data "
        "give it the weight of a drafted intent: `vocmine taxonomy add-intent CATEGORY.NAME "
        "--name '...' --problem 'Users who ...' --example 'en:...' ... --grow 40 --reason '...'`; "
        "read the examples it takes from the feedback (in the intent's file).",
        "",
        "Categories are named by a keyword of their intents; give each a label: "
        "`vocmine taxonomy edit-category CATEGORY --name 'Playback' --reason 'review'`.",
        "",
        f"Add `--no-reassign` to batch edits, then `vocmine assign` once. Files: `{root}/`.",
    ]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return _one_line(text, 80).replace("|", "/")


# --- writing -------------------------------------------------------------------------------------


def write_draft(
    root: Path,
    draft: Draft,
    *,
    replace: bool,
    today: date,
    command: str,
    reason: str,
    rule: ExampleRule = DEFAULT_RULE,
) -> Written:
    """Write ``draft`` as the taxonomy in ``root``, after validating it in a scratch folder.

    Raises:
        TaxonomyError: ``root`` holds a taxonomy someone wrote and ``replace`` is False, or the
            draft is invalid (nothing is written then).
    """
    root = Path(root)
    found = check_writable(root, replace=replace)
    old_version, old_retired = _old_header(root) if found != "missing" else (None, [])
    version = next_version(old_version, today)
    retired = sorted(set(old_retired) | reserved_ids(root)) if found == "edited" else []
    texts = render(draft, version=version, retired=retired)
    _validate(texts, rule)
    root.mkdir(parents=True, exist_ok=True)
    kept_in = None
    if found == "edited":
        kept_in = _keep(root, old_version or "unversioned")
    for path in sorted(root.glob("*.yaml")):
        path.unlink()  # the starter, or an edited taxonomy already copied to kept_in
    for name, text in texts.items():
        atomic_write(root / name, text)
    review = root / REVIEW_FILE
    atomic_write(review, render_review(draft, root=root))
    intents = draft.intents
    summary = (
        f"drafted {len(intents)} intents in {len(draft.categories)} categories from "
        f"{draft.items} items ({draft.period})"
        + ({"starter": "; replaced the starter"}.get(found, ""))
        + (
            f"; replaced the previous taxonomy (kept in {kept_in.relative_to(root)})"
            if kept_in
            else ""
        )
    )
    edit = Edit("draft", summary, reason, files=sorted(texts))
    edit.version = (old_version or "none", version)
    changelog.append(root, edit, command=command, today=today)
    state.record(root, load_taxonomy(root))
    return Written(
        files=sorted(texts),
        version=edit.version,
        replaced=found,
        kept_in=kept_in,
        review=review,
        retired=retired,
    )


def render(draft: Draft, *, version: str, retired: list[str]) -> dict[str, str]:
    """File name -> text of every YAML file of the draft."""
    texts = {TAXONOMY_FILE: render_header(draft, version=version, retired=retired)}
    for category in draft.categories:
        texts[f"{category.id}.yaml"] = render_category(category, draft)
    return texts


def as_taxonomy(draft: Draft, rule: ExampleRule = DEFAULT_RULE) -> Taxonomy:
    """The draft loaded as a taxonomy from a scratch folder, before anything is written (to
    assign items to it and type its intents by their stars).

    Raises:
        TaxonomyError: The draft is invalid.
    """
    texts = render(draft, version="0.0.0", retired=[])
    _validate(texts, rule)
    with tempfile.TemporaryDirectory(prefix="vocmine-draft-") as scratch:
        folder = Path(scratch) / "taxonomy"
        folder.mkdir()
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        return load_taxonomy(folder, rule)


def _validate(texts: dict[str, str], rule: ExampleRule) -> None:
    with tempfile.TemporaryDirectory(prefix="vocmine-draft-") as scratch:
        folder = Path(scratch) / "taxonomy"
        folder.mkdir()
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        problems = validate_taxonomy(folder, rule)
    if problems:
        first = problems[0].replace(folder.as_posix(), "draft")
        raise TaxonomyError(
            f"nothing written: the drafted taxonomy would be invalid ({first}); "
            "please report it, and meanwhile use 'vocmine discover' and 'vocmine taxonomy accept'"
        )


def _keep(root: Path, version: str) -> Path:
    """Copy the taxonomy about to be replaced to ``replaced/VERSION/`` (a subfolder: not read)."""
    target = root / "replaced" / re.sub(r"[^\w.-]+", "_", version)
    n = 2
    while target.exists():
        target = target.with_name(f"{target.name.split('+')[0]}+{n}")
        n += 1
    target.mkdir(parents=True)
    for path in sorted(root.iterdir()):
        if path.is_file() and (path.suffix == ".yaml" or path.name == state.STATE_FILE):
            shutil.copy2(path, target / path.name)
    return target
