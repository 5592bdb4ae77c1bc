import numpy as np
import pytest

from vocmine.assign import NearestExamplesAssigner


def unit(*rows: list[float]) -> np.ndarray:
    arr = np.array(rows, dtype=np.float32)
    return arr / np.linalg.norm(arr, axis=1, keepdims=True)


EXAMPLES = unit([1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0.9, 0.1], [0.1, 1, 0])
LABELS = ["a.x", "a.x", "b.y", "b.y", "b.y"]


def test_closest_intent_wins_with_runner_up() -> None:
    assigner = NearestExamplesAssigner(threshold=0.5, k=2).fit(EXAMPLES, LABELS)
    (first, second) = assigner.predict(unit([1, 0.05, 0], [0.05, 1, 0]))
    assert first.intent_id == "a.x" and first.runner_up == "b.y"
    assert second.intent_id == "b.y" and second.runner_up == "a.x"
    assert first.score > first.runner_up_score


def test_below_threshold_stays_unassigned_but_keeps_its_score() -> None:
    assigner = NearestExamplesAssigner(threshold=0.5, k=2).fit(EXAMPLES, LABELS)
    (result,) = assigner.predict(unit([0, 0, 1]))
    assert result.intent_id is None
    assert result.runner_up is not None
    assert 0 <= result.score < 0.5


def test_score_is_mean_of_k_nearest_examples() -> None:
    assigner = NearestExamplesAssigner(threshold=0.0, k=2).fit(EXAMPLES, LABELS)
    item = unit([1, 0, 0])
    scores = assigner.scores(item)
    sims_b = sorted((EXAMPLES[2:] @ item[0]).tolist(), reverse=True)[:2]
    assert scores[0, 0] == pytest.approx((1.0 + float(EXAMPLES[1] @ item[0])) / 2, abs=1e-6)
    assert scores[0, 1] == pytest.approx(sum(sims_b) / 2, abs=1e-6)


def test_k_larger_than_an_intent_uses_all_its_examples() -> None:
    assigner = NearestExamplesAssigner(threshold=0.0, k=10).fit(EXAMPLES, LABELS)
    item = unit([1, 0, 0])
    assert assigner.scores(item)[0, 0] == pytest.approx(
        float((EXAMPLES[:2] @ item[0]).mean()), abs=1e-6
    )


def test_large_batches_score_like_small_ones() -> None:
    rng = np.random.default_rng(0)
    items = rng.normal(size=(5000, 3)).astype(np.float32)
    items /= np.linalg.norm(items, axis=1, keepdims=True)
    assigner = NearestExamplesAssigner(threshold=0.2, k=2).fit(EXAMPLES, LABELS)
    whole = assigner.scores(items)
    assert np.allclose(whole[4000:4010], assigner.scores(items[4000:4010]))


def test_fit_rejects_mismatched_inputs() -> None:
    with pytest.raises(ValueError, match="one label per example"):
        NearestExamplesAssigner().fit(EXAMPLES, LABELS[:2])
