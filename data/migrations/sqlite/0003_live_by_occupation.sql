-- Publishing reads the live versions of the occupations it touches in one
-- query; this index keeps that read proportional to those occupations.
CREATE INDEX observations_live_occupation ON observations (occupation_code) WHERE superseded_by IS NULL;

-- No query looks versions up by the snapshot that superseded them alone (the
-- live view uses the partial indexes), so this index only cost inserts.
DROP INDEX observations_superseded;
