-- What the ingester knew about each source file after its last good read:
-- validators for conditional GET and the hash that makes "same bytes, no new
-- snapshot" possible. Written in the same transaction as the snapshot that
-- used the file, so a crash cannot record a file whose figures were lost.
CREATE TABLE source_state (
    source        TEXT PRIMARY KEY, -- "name" or "name/file" for multi-file sources
    etag          TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    file_hash     TEXT NOT NULL,
    fetched_at    TEXT NOT NULL
);

-- One row per ingest run, written when it ends.
CREATE TABLE ingest_runs (
    id          INTEGER PRIMARY KEY,
    trigger     TEXT    NOT NULL, -- schedule, catch-up, cli, admin
    started_at  TEXT    NOT NULL,
    finished_at TEXT    NOT NULL,
    outcome     TEXT    NOT NULL, -- published, unchanged, failed, partial
    snapshot_id INTEGER REFERENCES snapshots (id),
    message     TEXT    NOT NULL
);

CREATE TABLE ingest_source_results (
    run_id      INTEGER NOT NULL REFERENCES ingest_runs (id),
    source      TEXT    NOT NULL,
    outcome     TEXT    NOT NULL, -- fetched, unchanged, failed
    rows        INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    error       TEXT    NOT NULL,
    PRIMARY KEY (run_id, source)
);
