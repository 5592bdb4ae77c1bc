"""The month test on seeded random months: planted rises are flagged, pure noise rarely is.

Each simulated month draws 20 themes with fixed shares (multinomial) for three baseline months
and the report month, then applies exactly the report's decision: two-proportion z-test against
the pooled baseline, Benjamini-Hochberg across themes, q < 0.05, and the size rule.
"""

from __future__ import annotations

import numpy as np

from vocmine.measure.metrics import SIGNIFICANCE, matters
from vocmine.measure.stats import benjamini_hochberg, two_proportion_p

SHARES = np.array([0.055, *([0.8 / 19] * 19), 0.145])  # theme 0 (bank transfers), 19 others, rest


def called(now: np.ndarray, before: np.ndarray, *, size_rule: bool) -> list[int]:
    """Indexes of the themes (not the rest bucket) the report would call rising or falling."""
    n_now, n_before = int(now.sum()), int(before.sum())
    themes = range(len(now) - 1)
    p = [two_proportion_p(int(now[i]), n_now, int(before[i]), n_before) for i in themes]
    q = benjamini_hochberg(p)
    return [
        i
        for i in themes
        if q[i] < SIGNIFICANCE
        and (not size_rule or matters(int(now[i]), now[i] / n_now, before[i] / n_before, n_now))
    ]


def simulate(seed: int, now_shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    before = sum(rng.multinomial(int(rng.integers(650, 800)), SHARES) for _ in range(3))
    now = rng.multinomial(int(rng.integers(700, 1000)), now_shares)
    return now, before


def test_noise_months_false_alarm_rate_near_the_chosen_level() -> None:
    months = 600
    any_call = sum(bool(called(*simulate(s, SHARES), size_rule=False)) for s in range(months))
    with_rule = sum(bool(called(*simulate(s, SHARES), size_rule=True)) for s in range(months))
    # Under pure noise BH keeps the chance of any false call in a month at about 5%.
    assert 0.02 <= any_call / months <= 0.08, any_call / months
    # The size rule can only remove calls.
    assert with_rule <= any_call


def test_raw_p_values_are_calibrated() -> None:
    hits = tests = 0
    for seed in range(300):
        now, before = simulate(seed, SHARES)
        for i in range(len(now) - 1):
            tests += 1
            hits += (
                two_proportion_p(int(now[i]), int(now.sum()), int(before[i]), int(before.sum()))
                < 0.05
            )
    assert 0.035 <= hits / tests <= 0.065, hits / tests


def test_planted_rise_is_flagged() -> None:
    risen = SHARES.copy()
    risen[0], risen[-1] = 0.11, SHARES[-1] - 0.055  # a share that doubles: 5.5% -> 11%
    flagged = sum(0 in called(*simulate(s, risen), size_rule=True) for s in range(200))
    assert flagged / 200 >= 0.95, flagged / 200


def test_stable_theme_growing_with_volume_is_not_flagged() -> None:
    # Theme 0 keeps its share while the month has 40% more feedback: its count grows, never called.
    calls = 0
    for seed in range(200):
        rng = np.random.default_rng(seed)
        before = sum(rng.multinomial(700, SHARES) for _ in range(3))
        now = rng.multinomial(980, SHARES)
        calls += 0 in called(now, before, size_rule=True)
    assert calls / 200 <= 0.02
