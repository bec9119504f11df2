-- A snapshot's figures are its live versions plus those superseded after it
-- (versionsAtSQL). Reading the live ones goes through the partial index
-- observations_live; this index finds the superseded ones. It holds only
-- rows already superseded, so an insert, which writes a live version, never
-- touches it (0004 dropped a whole-column index for that cost), and reading
-- the latest snapshot costs its own figures, not every version ever stored.
CREATE INDEX observations_superseded ON observations (superseded_by) WHERE superseded_by IS NOT NULL;
