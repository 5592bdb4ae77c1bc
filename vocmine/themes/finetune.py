"""Fine-tune the embedding model on the taxonomy's examples, SetFit-style; cached by taxonomy.

Why: a head on frozen vectors (``[assign] method = "auto"``) reaches about 96% on Bitext with 10
examples per intent; the same head on vectors of a model tuned on those 270 examples reaches about
98% (``bench/tune_assign.py --finetune``, docs/quality.md). The tuning pulls two examples of one
intent together and pushes the other intents' examples away (a symmetric in-batch contrastive
loss, one pair per intent per step), as SetFit's first stage does.

The price, which is why it is a choice (``[assign] method = "finetune"``) and not the default:
after every taxonomy edit the model is tuned again (one to three minutes on two cores for 30
intents) and every stored item is embedded again by the new model (about 150 texts a second),
where the frozen methods re-assign 100k items in seconds. A tuned model is stored once per
taxonomy content, next to the database (``vocmine.db.models/KEY``), and its vectors are cached in
the database under their own model id, so an unchanged taxonomy costs nothing on later runs.

Same taxonomy, base model, steps and seed: same weights on the same machine (seeded sampling,
seeded dropout; torch on the CPU).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vocmine.config import AssignConfig
from vocmine.errors import ConfigError, ModelError
from vocmine.themes.embed import (
    Progress,
    SentenceTransformerEmbedder,
    canonical_model_id,
    model_location,
    quiet_model_loading,
)

# Bump when the training changes, so that tuned models (and their vectors) are rebuilt.
TUNE_VERSION = "t1"
DEFAULT_STEPS = AssignConfig.finetune_steps  # [assign] finetune_steps
LEARNING_RATE = 2e-5
# Temperature of the contrastive loss (cosine similarities times SCALE), SetFit/MNRL's default.
SCALE = 20.0
# At most this many intents per step: a batch of 2 x 64 short texts keeps a step under a second.
MAX_INTENTS_PER_STEP = 64
DONE = "vocmine-tuned.json"
TUNED_MARK = "+tuned-"


def tuned_key(
    base_model: str, examples: Sequence[tuple[str, str]], *, steps: int, seed: int
) -> str:
    """Content hash of everything that decides the tuned weights.

    ``examples`` are (intent id, text) pairs; their order does not matter.
    """
    payload = json.dumps(
        [
            TUNE_VERSION,
            canonical_model_id(base_model),
            sorted(examples),
            steps,
            LEARNING_RATE,
            SCALE,
            MAX_INTENTS_PER_STEP,
            seed,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def tuned_model_id(base_model: str, key: str) -> str:
    """The id under which a tuned model's vectors are cached, e.g. ``...MiniLM-L6-v2+tuned-ab12``."""
    return f"{canonical_model_id(base_model)}{TUNED_MARK}{key}"


def drop_stale_vectors(store: Any, tuned: SentenceTransformerEmbedder) -> int:
    """Delete cached vectors of every other tuning of ``tuned``'s base model; returns how many.

    Each taxonomy edit makes a new tuned model: its predecessors' vectors (1.5 KB per item each)
    would otherwise pile up in the database.
    """
    base = tuned.model_id.partition(TUNED_MARK)[0]
    return int(store.drop_other_vectors(base + TUNED_MARK, keep=tuned.model_id))


def models_folder(db: Path) -> Path:
    """Where tuned models of the database ``db`` live: ``<db>.models`` beside it."""
    return db.with_name(db.name + ".models")


def pair_batches(
    examples: Sequence[tuple[str, str]], *, steps: int, seed: int
) -> list[tuple[list[str], list[str]]]:
    """(anchors, positives) for every step: one pair of distinct examples per intent.

    Intents with a single example cannot form a pair; they take no part (their vectors still move
    with the model). Raises ConfigError when fewer than two intents have two examples.

    Example:
        >>> batches = pair_batches([("a", "x1"), ("a", "x2"), ("b", "y1"), ("b", "y2")], steps=1, seed=0)
        >>> sorted(sorted(pair) for pair in zip(*batches[0]))  # one pair per intent, any order
        [['x1', 'x2'], ['y1', 'y2']]
    """
    by_intent: dict[str, list[str]] = {}
    for intent, text in sorted(set(examples)):
        by_intent.setdefault(intent, []).append(text)
    groups = [texts for _, texts in sorted(by_intent.items()) if len(texts) >= 2]
    if len(groups) < 2:
        raise ConfigError(
            '[assign] method "finetune" needs at least two intents with two examples or more; '
            'add examples or use method = "auto"'
        )
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(steps):
        chosen: Sequence[int] = range(len(groups))
        if len(groups) > MAX_INTENTS_PER_STEP:
            chosen = sorted(rng.choice(len(groups), MAX_INTENTS_PER_STEP, replace=False).tolist())
        anchors, positives = [], []
        for g in chosen:
            i, j = rng.choice(len(groups[g]), 2, replace=False)
            anchors.append(groups[g][i])
            positives.append(groups[g][j])
        batches.append((anchors, positives))
    return batches


def train(
    base_location: str,
    examples: Sequence[tuple[str, str]],
    *,
    steps: int,
    seed: int,
    out: Path,
    progress: Progress | None = None,
) -> None:
    """Tune the model at ``base_location`` on ``examples`` and save it to ``out`` (atomically)."""
    quiet_model_loading()  # before the import: the hub reads its settings once
    import torch
    from sentence_transformers import SentenceTransformer

    batches = pair_batches(examples, steps=steps, seed=seed)
    torch.manual_seed(seed)  # dropout masks
    try:
        model = SentenceTransformer(base_location, device="cpu")
    except Exception as exc:  # OSError, ValueError, HTTP errors... from the hub or the folder
        raise ModelError(
            f"could not load {base_location!r} to tune it ({type(exc).__name__}); method "
            '"finetune" needs a sentence-transformers model on disk: use the bundled one '
            '([embedding] model = "all-MiniLM-L6-v2") or set [assign] method = "auto"'
        ) from None
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    functional = torch.nn.functional
    for anchors, positives in batches:
        a = functional.normalize(model(model.preprocess(anchors))["sentence_embedding"], dim=-1)
        p = functional.normalize(model(model.preprocess(positives))["sentence_embedding"], dim=-1)
        logits = a @ p.T * SCALE
        target = torch.arange(len(anchors))
        loss = (
            functional.cross_entropy(logits, target) + functional.cross_entropy(logits.T, target)
        ) / 2
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if progress is not None:
            progress(1)
    model.eval()
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.save(str(partial))
    (partial / DONE).write_text(json.dumps({"steps": steps, "seed": seed}) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    os.replace(partial, out)  # a killed run leaves a .partial folder, never a half model


def tuned_embedder(
    base_model: str,
    examples: Sequence[tuple[str, str]],
    *,
    folder: Path,
    steps: int = DEFAULT_STEPS,
    seed: int = 42,
    batch_size: int = 64,
    start_progress: Callable[[int], Progress] | None = None,
) -> SentenceTransformerEmbedder:
    """An embedder of the model tuned on ``examples``; trains it only if ``folder`` lacks it.

    Older tuned models in ``folder`` are removed once the new one is saved: each is a full copy
    of the model (about 90 MB for MiniLM), and only the current taxonomy's is used.
    """
    key = tuned_key(base_model, examples, steps=steps, seed=seed)
    out = folder / key
    if not (out / DONE).exists():
        folder.mkdir(parents=True, exist_ok=True)
        progress = start_progress(steps) if start_progress is not None else None
        train(
            model_location(base_model), examples, steps=steps, seed=seed, out=out, progress=progress
        )
        for old in folder.iterdir():
            if old.name != key and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    return SentenceTransformerEmbedder(
        tuned_model_id(base_model, key), batch_size=batch_size, location=str(out)
    )
