"""Shared fixtures: every test runs in its own folder with its own database and a fast fake model.

The fake model is registered through the real embedder registry (as an outside plugin would be):
character-trigram hashing, so texts that share words are close and everything is deterministic.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from vocmine.themes.embed import Progress, register_embedder

ROOT = Path(__file__).resolve().parent.parent
FAKE_MODEL = "test/hashing-trigrams"
DIM = 512


class HashingEmbedder:
    """Deterministic bag-of-trigrams embedder, L2-normalised; counts how many texts it embedded."""

    calls: ClassVar[list[int]] = []

    def __init__(self, model_id: str, batch_size: int) -> None:
        self.model_id = model_id
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        HashingEmbedder.calls.append(len(texts))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % DIM] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        if progress is not None:
            progress(len(texts))
        return out


register_embedder(FAKE_MODEL, HashingEmbedder)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run in an empty folder, with no vocmine environment variables and no network for models."""
    for var in list(os.environ):
        if var.startswith("VOCMINE_"):
            monkeypatch.delenv(var)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    HashingEmbedder.calls = []
    yield tmp_path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the shipped taxonomy and a config that uses the fake model."""
    shutil.copytree(
        ROOT / "taxonomy", tmp_path / "taxonomy", ignore=shutil.ignore_patterns("proposals")
    )
    (tmp_path / "vocmine.toml").write_text(
        f'[embedding]\nmodel = "{FAKE_MODEL}"\n\n[assign]\nthreshold = 0.3\nk = 3\n',
        encoding="utf-8",
    )
    return tmp_path
