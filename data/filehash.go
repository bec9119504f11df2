package data

import (
	"fmt"
	"strings"
)

// pendingPrefix starts the FileHash of a figure whose file is still being
// hashed when its publication begins (Publication.Settle).
const pendingPrefix = "pending:"

// PendingHash is what a figure carries as its FileHash while the hash of
// its file is not known yet; n tells apart the files of one publication.
func PendingHash(n int) string { return fmt.Sprintf("%s%d", pendingPrefix, n) }

// hashRef is the reference a pending hash is stored under in a snapshot:
// unique in the store, since snapshot ids are.
func hashRef(snapshotID int64, pending string) (string, bool) {
	n, ok := strings.CutPrefix(pending, pendingPrefix)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("ref:%d:%s", snapshotID, n), true
}

// fileHashSQL reads an observation's file hash: the hash its reference
// names in file_hashes, or the column itself, which holds the hash in
// every row not written during a hash (and every row older than the
// table). An expression, so that every read of a figure shows its hash.
const fileHashSQL = `coalesce((SELECT h.hash FROM file_hashes h WHERE h.ref = observations.file_hash), observations.file_hash)`

// resolvedObservationColumns is observationColumns with the file hash
// resolved (fileHashSQL), for reads; observationColumns is the stored form.
var resolvedObservationColumns = strings.Replace(observationColumns, "file_hash", fileHashSQL+" AS file_hash", 1)
