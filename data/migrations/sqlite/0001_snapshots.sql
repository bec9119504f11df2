-- Snapshots are immutable once published. Observations are stored once per
-- version: a version belongs to every snapshot from first_snapshot up to (not
-- including) superseded_by, so publishing costs only what changed.
CREATE TABLE snapshots (
    id                INTEGER PRIMARY KEY,
    created_at        TEXT    NOT NULL, -- RFC 3339, UTC
    label             TEXT    NOT NULL,
    sources_json      TEXT    NOT NULL, -- JSON array of SourceInfo
    observation_count INTEGER NOT NULL,
    added             INTEGER NOT NULL,
    revised           INTEGER NOT NULL,
    removed           INTEGER NOT NULL
);

CREATE TABLE observations (
    id               INTEGER PRIMARY KEY,
    obs_key          TEXT    NOT NULL,
    occupation_code  TEXT    NOT NULL,
    occupation_title TEXT    NOT NULL,
    area_code        TEXT    NOT NULL,
    area_title       TEXT    NOT NULL,
    industry_code    TEXT    NOT NULL,
    industry_title   TEXT    NOT NULL,
    measure          TEXT    NOT NULL,
    period           TEXT    NOT NULL,
    value            REAL,
    text_value       TEXT    NOT NULL,
    unit             TEXT    NOT NULL,
    flag             TEXT    NOT NULL,
    tier             TEXT    NOT NULL,
    source_name      TEXT    NOT NULL,
    source_title     TEXT    NOT NULL,
    source_url       TEXT    NOT NULL,
    retrieved_at     TEXT    NOT NULL,
    file_hash        TEXT    NOT NULL,
    notes            TEXT    NOT NULL,
    first_snapshot   INTEGER NOT NULL REFERENCES snapshots (id),
    superseded_by    INTEGER REFERENCES snapshots (id)
);

-- At most one live version per key: the latest snapshot's view.
CREATE UNIQUE INDEX observations_live ON observations (obs_key) WHERE superseded_by IS NULL;
CREATE INDEX observations_versions ON observations (occupation_code, first_snapshot);
CREATE INDEX observations_superseded ON observations (superseded_by);
