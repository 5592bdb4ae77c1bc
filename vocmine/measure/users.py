"""Who wrote an item, when a source has no user id."""

from __future__ import annotations

import pandas as pd


def user_keys(frame: pd.DataFrame) -> pd.Series:
    """Who wrote each item: the hashed user id, else for a public store review the review itself.

    A store review without a user id is one user (documented in the README): stores allow one
    review per account and app. Tickets, CSAT and surveys without an id have no user (NaN).
    """
    keys = frame["user_hash"].copy()
    anonymous_review = keys.isna() & (frame["kind"] == "review")
    keys[anonymous_review] = "review:" + frame.loc[anonymous_review, "id"].astype(str)
    return keys


def distinct_users(frame: pd.DataFrame) -> int:
    """Distinct users of ``frame`` (see :func:`user_keys`)."""
    return int(user_keys(frame).dropna().nunique()) if len(frame) else 0
