-- The observations' references to snapshots are checked when a transaction
-- commits, not after each statement. A publication writes its versions 300
-- to an INSERT; SQLite checks a key that is not deferrable statement by
-- statement, and for a statement of many rows it then keeps a statement
-- journal, a copy of every page the statement changes, so that it can undo
-- that statement alone (a tenth of publishing 32,000 figures). Checked at
-- the commit, a bad reference still fails the whole publication.
--
-- SQLite cannot change a constraint in place: the table is made again with
-- the same columns, rows and ids, then its indexes.
CREATE TABLE observations_0007 (
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
    first_snapshot   INTEGER NOT NULL REFERENCES snapshots (id) DEFERRABLE INITIALLY DEFERRED,
    superseded_by    INTEGER REFERENCES snapshots (id) DEFERRABLE INITIALLY DEFERRED
);
INSERT INTO observations_0007 (id, obs_key, occupation_code, occupation_title, area_code, area_title,
    industry_code, industry_title, measure, period, value, text_value, unit, flag, tier, source_name,
    source_title, source_url, retrieved_at, file_hash, notes, first_snapshot, superseded_by)
SELECT id, obs_key, occupation_code, occupation_title, area_code, area_title,
    industry_code, industry_title, measure, period, value, text_value, unit, flag, tier, source_name,
    source_title, source_url, retrieved_at, file_hash, notes, first_snapshot, superseded_by
FROM observations;
DROP TABLE observations;
ALTER TABLE observations_0007 RENAME TO observations;
CREATE UNIQUE INDEX observations_live ON observations (obs_key) WHERE superseded_by IS NULL;
CREATE INDEX observations_versions ON observations (occupation_code, first_snapshot);
CREATE INDEX observations_superseded ON observations (superseded_by) WHERE superseded_by IS NOT NULL;
