"""Ordered, named database migrations.

Each migration runs in one transaction together with the row that records it, so a failure leaves
the database as it was. A migration that has shipped is never edited: add a new one instead.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            args TEXT NOT NULL DEFAULT '{}',
            started_at TEXT NOT NULL,
            finished_at TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            counts TEXT NOT NULL DEFAULT '{}',
            vocmine_version TEXT NOT NULL
        );
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            external_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('ticket', 'csat', 'review', 'survey')),
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            row_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            month TEXT NOT NULL,
            language TEXT NOT NULL,
            language_prob REAL NOT NULL,
            rating REAL,
            csat_score TEXT,
            csat_negative INTEGER,
            country TEXT,
            app_version TEXT,
            user_hash TEXT,
            channel TEXT,
            extra TEXT NOT NULL DEFAULT '{}',
            first_run INTEGER REFERENCES runs(id),
            last_run INTEGER REFERENCES runs(id),
            UNIQUE (source, external_id)
        );
        CREATE INDEX items_month ON items(month);
        CREATE INDEX items_text_hash ON items(text_hash);
        CREATE TABLE embeddings (
            model TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, text_hash)
        ) WITHOUT ROWID;
        CREATE TABLE assignments (
            item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            assign_key TEXT NOT NULL,
            intent_id TEXT,
            score REAL NOT NULL,
            runner_up TEXT,
            runner_up_score REAL
        );
        CREATE INDEX assignments_intent ON assignments(intent_id);
        CREATE TABLE rejects (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            location TEXT NOT NULL,
            reason TEXT NOT NULL,
            first_run INTEGER REFERENCES runs(id),
            last_run INTEGER REFERENCES runs(id),
            UNIQUE (source, location, reason)
        );
        """,
    ),
    (
        "0002_raw_hash",
        # Hash of the raw record and of the normaliser's code and settings: a re-ingest skips
        # normalising (language detection is the slow part) records it has already stored.
        """
        ALTER TABLE items ADD COLUMN raw_hash TEXT NOT NULL DEFAULT '';
        """,
    ),
    (
        "0003_source_state",
        # Where each live source stopped (cursor, high-water mark, page in progress), written in
        # the same transaction as the items it covers, so a killed run resumes without gaps.
        """
        CREATE TABLE source_state (
            source TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            run INTEGER REFERENCES runs(id)
        );
        """,
    ),
    (
        "0004_llm_cache",
        # Drafted texts from the optional language model, keyed by a hash of the model and the
        # whole request: the same report is byte-identical without calling the endpoint again.
        # Only redacted input went out and only the answer is kept; never the API key.
        """
        CREATE TABLE llm_cache (
            key TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            kind TEXT NOT NULL,
            response TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
    ),
    (
        "0005_run_process",
        # Which process (and on which host) runs a command: a run killed with SIGKILL never
        # records its end, and `vocmine status` shows it as interrupted once that process is gone.
        """
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN host TEXT;
        """,
    ),
    (
        "0006_unassigned_reason",
        # Why an item holds no intent (vocmine.themes.gate.REASONS: far from every intent, names
        # nothing, between intents, among texts that name nothing); NULL when it holds one. Rows
        # written before it stay NULL until the next assignment (the assignment key changed).
        """
        ALTER TABLE assignments ADD COLUMN reason TEXT;
        """,
    ),
]
