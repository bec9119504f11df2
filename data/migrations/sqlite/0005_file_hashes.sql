-- A figure published while its file was still being hashed (Publication.Settle)
-- carries a reference in file_hash ("ref:<snapshot>:<n>"), and the hash is
-- written once here, in the same transaction, when known: rows can then be
-- written during the hash, and the hash is not rewritten into each of them.
-- Reads resolve the reference (fileHashSQL); rows written otherwise, and
-- every row written before this migration, hold the hash itself.
CREATE TABLE file_hashes (
    ref  TEXT PRIMARY KEY,
    hash TEXT NOT NULL
);
