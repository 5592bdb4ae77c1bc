import math

import pytest

from vocmine.metrics import month_window, two_proportion_p


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
