-- See migrations/sqlite/0004_one_occupation_index.sql.
DROP INDEX observations_live_occupation;
