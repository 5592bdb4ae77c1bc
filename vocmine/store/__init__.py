"""Store: the SQLite file (items, vectors, assignments, runs) and its migrations."""
