"""The statistical tests and intervals behind every "rising", "falling" and "spike" in the report.

Pure functions over counts, checked against hand-computed values in tests/test_metrics_stats.py.
Only the standard library and scipy.special (no scipy.stats: it is slow to import).

Choices, and why:
- Shares, not counts, are compared: a month with more feedback must not make every theme rise.
- Two-proportion z-test for a month against its pooled baseline; Benjamini-Hochberg across themes,
  because about 25 themes are tested at once.
- Wilson intervals for a share and Newcombe's hybrid score interval for a difference of shares:
  both stay inside [0, 1] and behave at small counts, unlike the textbook Wald interval.
- Exact (Garwood) Poisson intervals for counts per day, and an exact Poisson upper tail for spikes.
- The Cochran-Armitage test for a trend in a share over several months.
"""

from __future__ import annotations

import math
from statistics import NormalDist

from scipy.special import gammainc, gammaincinv

LEVEL = 0.95


def _z(level: float) -> float:
    return NormalDist().inv_cdf(0.5 + level / 2)


def two_proportion_p(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p-value of a two-proportion z-test (x1/n1 against x2/n2).

    Example:
        >>> round(two_proportion_p(60, 100, 45, 100), 4)
        0.0337
    """
    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = (x1 + x2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if var <= 0:
        return 1.0
    z = (x1 / n1 - x2 / n2) / math.sqrt(var)
    return math.erfc(abs(z) / math.sqrt(2))


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order.

    Every month about 25 themes are tested at once; at p < 0.05 one of them would be called
    rising or falling by chance in most reports. q < 0.05 keeps the expected share of false calls
    among the flagged themes at 5%.

    Example:
        >>> benjamini_hochberg([0.01, 0.04, 0.03])
        [0.03, 0.04, 0.04]
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = min(1.0, running)
    return q


def wilson(x: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval of the share x/n; (0, 1) when n is 0.

    Example:
        >>> [round(v, 4) for v in wilson(15, 148)]
        [0.0624, 0.1605]
    """
    if n == 0:
        return (0.0, 1.0)
    z = _z(level)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # The interval always holds p; at x = 0 or x = n rounding could put a bound a hair past it.
    return (max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


def newcombe(x1: int, n1: int, x2: int, n2: int, level: float = LEVEL) -> tuple[float, float]:
    """Newcombe's hybrid score interval (his method 10) of the difference x1/n1 - x2/n2.

    Example:
        >>> [round(v, 4) for v in newcombe(56, 70, 48, 80)]
        [0.0524, 0.3339]
    """
    if n1 == 0 or n2 == 0:
        return (-1.0, 1.0)
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, level)
    l2, u2 = wilson(x2, n2, level)
    d = p1 - p2
    lower = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return (lower, upper)


def poisson_interval(k: int, level: float = LEVEL) -> tuple[float, float]:
    """Exact (Garwood) interval of a Poisson mean given k events.

    Example:
        >>> [round(v, 3) for v in poisson_interval(10)]
        [4.795, 18.39]
    """
    alpha = 1 - level
    lower = 0.0 if k == 0 else float(gammaincinv(k, alpha / 2))
    upper = float(gammaincinv(k + 1, 1 - alpha / 2))
    return (lower, upper)


def poisson_upper_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean): how surprising k events are when ``mean`` were expected.

    Example:
        >>> round(poisson_upper_tail(3, 1.0), 4)  # 1 - e^-1 (1 + 1 + 1/2)
        0.0803
    """
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    # The regularised lower incomplete gamma P(k, mean) equals P(X >= k).
    return float(gammainc(k, mean))


def mean_difference(
    a: list[float], b: list[float], level: float = LEVEL
) -> tuple[float, float, float] | None:
    """Mean of ``a`` minus mean of ``b`` with a Welch (normal) interval; None below 2 values each.

    Example:
        >>> [round(v, 3) for v in mean_difference([1, 2, 1, 2], [4, 5, 4, 5])]
        [-3.0, -3.8, -2.2]
    """
    if len(a) < 2 or len(b) < 2:
        return None
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    va = sum((v - ma) ** 2 for v in a) / (len(a) - 1)
    vb = sum((v - mb) ** 2 for v in b) / (len(b) - 1)
    half = _z(level) * math.sqrt(va / len(a) + vb / len(b))
    return (ma - mb, ma - mb - half, ma - mb + half)


def trend_test(counts: list[int], totals: list[int]) -> tuple[float, float]:
    """Cochran-Armitage test for a linear trend in a share over consecutive months.

    Args:
        counts: The theme's items per month, oldest first.
        totals: All items per month.

    Returns:
        (slope, p): the least-squares change of the share per month (weighted by each month's
        items), and the two-sided p-value of the trend. (0.0, 1.0) when nothing can be tested.

    Example:
        >>> slope, p = trend_test([10, 20, 30], [100, 100, 100])
        >>> round(slope, 3), round(p, 5)
        (0.1, 0.00041)
    """
    n = sum(totals)
    x = sum(counts)
    if n == 0 or len(counts) < 2:
        return (0.0, 1.0)
    t_bar = sum(i * t for i, t in enumerate(totals)) / n
    spread = sum(t * (i - t_bar) ** 2 for i, t in enumerate(totals))
    p_bar = x / n
    if spread == 0 or p_bar in (0.0, 1.0):
        return (0.0, 1.0)
    stat = sum(c * (i - t_bar) for i, c in enumerate(counts))
    z = stat / math.sqrt(p_bar * (1 - p_bar) * spread)
    return (stat / spread, math.erfc(abs(z) / math.sqrt(2)))


def spike_days(
    observed: list[int],
    expected: list[float],
    *,
    alpha: float,
    min_items: int = 5,
    min_ratio: float = 3.0,
) -> list[int]:
    """Indexes of the days whose count is a spike: improbable, large and several times the norm.

    A day is a spike when P(X >= observed | Poisson(expected)) < ``alpha`` (pass alpha already
    divided by the number of days and themes tested: a Bonferroni correction), it has at least
    ``min_items`` items, and at least ``min_ratio`` times what was expected.

    Example:
        >>> spike_days([1, 0, 12, 2], [1.0, 1.0, 1.0, 1.0], alpha=0.001)
        [2]
    """
    return [
        day
        for day, (k, mu) in enumerate(zip(observed, expected, strict=True))
        if k >= min_items and k >= min_ratio * mu and poisson_upper_tail(k, mu) < alpha
    ]
