-- See migrations/sqlite/0003_live_by_occupation.sql.
CREATE INDEX observations_live_occupation ON observations (occupation_code) WHERE superseded_by IS NULL;

DROP INDEX observations_superseded;
