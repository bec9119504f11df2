//go:build !unix

package priority

// Lower does nothing where there are no nice values: the ingest runs at
// the server's priority.
func Lower(int) error { return nil }
