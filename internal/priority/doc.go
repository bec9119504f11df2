// Package priority lowers the CPU priority of the whole running process
// (raises its nice value), so that an ingest beside a server leaves the
// cores to the server's requests.
package priority

// Background is how far an ingest started by the server lowers its
// priority below the server's: at nice 10 against 0 the scheduler gives it
// about a tenth of a core the server wants.
const Background = 10

// highestNice is the lowest priority there is.
const highestNice = 19

// lowered is the nice value by below cur, where nice values end.
func lowered(cur, by int) int {
	return min(cur+by, highestNice)
}
