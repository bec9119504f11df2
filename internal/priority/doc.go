// Package priority lowers the CPU priority (raises the nice value) of the
// whole running process, so that an ingest beside a server leaves the
// cores to the server's requests.
package priority
