package data

import "time"

// Now is labdash's one clock: the system time in UTC. Everything that stamps
// a time into the store or decides by the time (snapshots, runs, the
// scheduler's catch-up, the server's latest-snapshot cache) takes a
// Now func() time.Time that defaults to this one, so a test sets the time in
// one place; nothing else reads the system clock. Durations measured with
// time.Since (a download's progress, a source's read time) are stopwatches,
// not clock readings.
func Now() time.Time { return time.Now().UTC() }
