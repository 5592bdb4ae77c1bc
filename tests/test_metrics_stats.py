import math

import pytest

from vocmine.measure.metrics import matters, month_window, two_proportion_p
from vocmine.measure.stats import (
    benjamini_hochberg,
    mean_difference,
    newcombe,
    poisson_interval,
    poisson_upper_tail,
    spike_days,
    trend_test,
    wilson,
)


def test_month_window_crosses_years() -> None:
    assert month_window("2026-02", 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_window("2026-10", 1) == ["2026-10"]


def test_two_proportion_p_matches_hand_computation() -> None:
    # 85/800 against 41/680: pooled p = 126/1480, z computed by hand below.
    pooled = 126 / 1480
    se = math.sqrt(pooled * (1 - pooled) * (1 / 800 + 1 / 680))
    z = (85 / 800 - 41 / 680) / se
    assert z == pytest.approx(3.157, abs=0.001)
    assert two_proportion_p(85, 800, 41, 680) == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert two_proportion_p(85, 800, 41, 680) < 0.01


def test_two_proportion_p_textbook_case() -> None:
    # 60/100 vs 45/100: pooled 0.525, se 0.07062, z 2.124, two-sided p 0.0337.
    assert two_proportion_p(60, 100, 45, 100) == pytest.approx(0.0337, abs=0.0005)


def test_two_proportion_p_equal_shares_is_one() -> None:
    assert two_proportion_p(10, 100, 20, 200) == pytest.approx(1.0)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), [(0, 0, 3, 10), (0, 10, 0, 10), (5, 5, 5, 5)])
def test_two_proportion_p_degenerate_cases(x1: int, n1: int, x2: int, n2: int) -> None:
    assert two_proportion_p(x1, n1, x2, n2) == 1.0


# --- intervals and tests against published or hand-computed values ------------------------------


def test_wilson_matches_newcombe_1998_table() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 -> 0.2553-0.3662,
    # 15/148 -> 0.0624-0.1605, 0/20 -> 0-0.1611.
    assert wilson(81, 263) == pytest.approx((0.2553, 0.3662), abs=1e-4)
    assert wilson(15, 148) == pytest.approx((0.0624, 0.1605), abs=1e-4)
    assert wilson(0, 20) == pytest.approx((0.0, 0.1611), abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)


def test_newcombe_difference_matches_newcombe_1998_table() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, method 10: 56/70 - 48/80 -> 0.0524, 0.3339;
    # 9/10 - 3/10 -> 0.1705, 0.8090.
    assert newcombe(56, 70, 48, 80) == pytest.approx((0.0524, 0.3339), abs=1e-4)
    assert newcombe(9, 10, 3, 10) == pytest.approx((0.1705, 0.8090), abs=1e-4)


def test_exact_poisson_interval_matches_garwood_table() -> None:
    # Garwood (1936) / every table of exact Poisson limits: k=0 -> (0, 3.689), k=10 -> (4.795, 18.390)
    assert poisson_interval(0) == pytest.approx((0.0, 3.689), abs=1e-3)
    assert poisson_interval(10) == pytest.approx((4.795, 18.390), abs=1e-3)


def test_poisson_upper_tail_by_hand() -> None:
    # P(X >= 2 | 0.5) = 1 - e^-0.5 (1 + 0.5)
    assert poisson_upper_tail(2, 0.5) == pytest.approx(1 - math.exp(-0.5) * 1.5)
    assert poisson_upper_tail(0, 3.0) == 1.0
    assert poisson_upper_tail(1, 0.0) == 0.0


def test_mean_difference_welch_by_hand() -> None:
    # means 1.5 and 4.5, variances 1/3 each: se = sqrt(1/12 + 1/12) = 0.4082
    d, lo, hi = mean_difference([1, 2, 1, 2], [4, 5, 4, 5]) or (0, 0, 0)
    assert d == -3.0
    assert (hi - lo) / 2 == pytest.approx(1.959964 * math.sqrt(1 / 6), abs=1e-6)
    assert mean_difference([1.0], [2.0, 3.0]) is None


def test_cochran_armitage_by_hand() -> None:
    # 10, 20, 30 of 100 each: p = 0.2, t̄ = 1, T = 20, Var = 0.16 × 200 -> z = 3.536
    slope, p = trend_test([10, 20, 30], [100, 100, 100])
    assert slope == pytest.approx(0.10)
    assert p == pytest.approx(math.erfc(20 / math.sqrt(32) / math.sqrt(2)))
    assert trend_test([5, 5, 5], [100, 100, 100]) == (0.0, 1.0)
    assert trend_test([0, 0], [0, 0]) == (0.0, 1.0)


def test_benjamini_hochberg_by_hand() -> None:
    # sorted 0.01, 0.02, 0.03, 0.5 -> ×4/1, ×4/2, ×4/3, ×4/4 = 0.04, 0.04, 0.04, 0.5
    assert benjamini_hochberg([0.5, 0.01, 0.03, 0.02]) == pytest.approx([0.5, 0.04, 0.04, 0.04])


def test_spike_days_needs_size_ratio_and_improbability() -> None:
    observed = [1, 12, 4, 6, 9]
    expected = [1.0, 1.0, 0.5, 3.0, 1.0]
    # day 1: 12 vs 1, improbable; day 2: too small; day 3: only 2× expected; day 4: 9 vs 1
    assert spike_days(observed, expected, alpha=1e-4) == [1, 4]


def test_large_enough_to_matter() -> None:
    assert matters(85, 85 / 991, 0.059, 991)  # 26.5 more than expected, +45% in share
    assert not matters(45, 45 / 991, 0.0494, 991)  # 4 fewer than the baseline share predicts
    assert not matters(206, 206 / 1000, 0.2, 1000)  # 6 more, but only +3% in share


def test_discovered_theme_is_tested_on_its_share_like_an_intent() -> None:
    from vocmine.measure.metrics import discovered_trends
    from vocmine.measure.stats import benjamini_hochberg, two_proportion_p

    totals = {"2026-07": 700, "2026-08": 700, "2026-09": 700, "2026-10": 990}
    growth = {
        "new": {"2026-07": 0, "2026-08": 0, "2026-09": 1, "2026-10": 12},
        # grows 41% like the month's volume: the same share, so not a rise
        "volume": {"2026-07": 70, "2026-08": 70, "2026-09": 70, "2026-10": 99},
        "fell": {"2026-07": 40, "2026-08": 40, "2026-09": 40, "2026-10": 10},
    }
    found = discovered_trends(growth, totals, "2026-10")
    p_new = two_proportion_p(12, 990, 1, 2100)
    q = benjamini_hochberg(
        [two_proportion_p(10, 990, 120, 2100), p_new, two_proportion_p(99, 990, 210, 2100)]
    )
    assert found["new"].p_value == p_new and found["new"].q_value == q[1]
    assert found["new"].baseline_average == 1 / 3 and found["new"].baseline_share == 1 / 2100
    assert (found["new"].verdict, found["new"].emerging) == ("rising", True)
    assert found["volume"].verdict == "stable" and found["volume"].p_value == 1.0
    assert (found["fell"].verdict, found["fell"].emerging) == ("falling", False)


def test_discovered_theme_without_earlier_months_is_not_called() -> None:
    from vocmine.measure.metrics import discovered_trends

    found = discovered_trends({"P01": {"2026-10": 40}}, {"2026-10": 990}, "2026-10")
    assert found["P01"].verdict == "stable" and found["P01"].share == 40 / 990


@pytest.mark.parametrize(("x", "n"), [(0, 1), (0, 7), (0, 991), (1, 1), (13, 13), (990, 990)])
def test_wilson_interval_always_holds_the_share(x: int, n: int) -> None:
    from vocmine.measure.stats import wilson

    low, high = wilson(x, n)
    assert 0.0 <= low <= x / n <= high <= 1.0
