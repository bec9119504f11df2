-- The observations' references to snapshots are checked when a transaction
-- commits, not after each statement, as in SQLite (where checking them
-- statement by statement made every multi-row INSERT keep a copy of the
-- pages it changed). A bad reference still fails the whole publication.
ALTER TABLE observations ALTER CONSTRAINT observations_first_snapshot_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE observations ALTER CONSTRAINT observations_superseded_by_fkey DEFERRABLE INITIALLY DEFERRED;
