-- observations_versions (occupation_code, first_snapshot) already finds an
-- occupation's versions; publishing reads the live ones through it and
-- filters on superseded_by. A second index on occupation_code only cost
-- every insert.
DROP INDEX observations_live_occupation;
