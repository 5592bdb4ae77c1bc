"""Measure: how often each theme appears, how it trends, what it costs in ratings and CSAT."""
