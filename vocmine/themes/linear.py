"""The two linear pieces of the ``logistic`` assignment method, fitted deterministically.

A softmax head picks the intent; an adapter maps the frozen vector space so that examples of one
intent sit together (SetFit's idea without tuning the model). Both are fitted by L-BFGS from a
fixed start with scipy, on one BLAS thread: same examples, same weights, on any machine.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def fit_softmax(
    x: np.ndarray, y: np.ndarray, n_classes: int, *, c: float
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression with an L2 penalty, by L-BFGS from zeros: deterministic."""
    from scipy.optimize import minimize

    dim = x.shape[1]
    onehot = np.zeros((len(y), n_classes))
    onehot[np.arange(len(y)), y] = 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[: dim * n_classes].reshape(dim, n_classes), theta[dim * n_classes :]
        z = x @ w + b
        z -= z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        grad = np.exp(log_p) - onehot
        value = -(onehot * log_p).sum() + 0.5 / c * (w * w).sum()
        return float(value), np.concatenate([(x.T @ grad + w / c).ravel(), grad.sum(axis=0)])

    with one_blas_thread():
        result = minimize(
            loss,
            np.zeros(dim * n_classes + n_classes),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": 500},
        )
    theta = result.x
    return theta[: dim * n_classes].reshape(dim, n_classes), theta[dim * n_classes :]


def fit_adapter(x: np.ndarray, y: np.ndarray, *, strength: float) -> np.ndarray:
    """A linear map of the vector space, learnt SetFit-style on the examples: after it, two
    examples of the same intent have cosine similarity near 1 and two of different intents near 0.

    Unlike SetFit's fine-tuning of the model, it leaves the cached item vectors alone (items go
    through the map at prediction time), so a taxonomy edit still re-assigns in seconds. Starts
    from the identity and is pulled back towards it (``strength``), by L-BFGS: deterministic.
    """
    from scipy.optimize import minimize

    m, dim = x.shape
    same = (y[:, None] == y[None, :]).astype(np.float64)
    off_diagonal = 1.0 - np.eye(m)
    pairs = off_diagonal.sum() or 1.0
    identity = np.eye(dim)

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        a = flat.reshape(dim, dim)
        u = x @ a
        norms = np.maximum(np.linalg.norm(u, axis=1, keepdims=True), 1e-12)
        z = u / norms
        diff = (z @ z.T - same) * off_diagonal
        value = (diff * diff).sum() / pairs + strength * ((a - identity) ** 2).sum() / dim
        grad_z = 4.0 * diff @ z / pairs
        grad_u = (grad_z - z * (z * grad_z).sum(axis=1, keepdims=True)) / norms
        grad_a = x.T @ grad_u + 2.0 * strength * (a - identity) / dim
        return float(value), grad_a.ravel()

    with one_blas_thread():
        result = minimize(
            loss, identity.ravel(), jac=True, method="L-BFGS-B", options={"maxiter": 100}
        )
    return np.asarray(result.x.reshape(dim, dim))


def one_blas_thread() -> Any:
    """Small matrix products are many times slower with several BLAS threads on a busy machine."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")
