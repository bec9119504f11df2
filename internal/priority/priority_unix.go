//go:build unix && !linux

package priority

import "syscall"

// Lower sets this process's nice value to n; outside Linux the
// value belongs to the whole process.
func Lower(n int) error {
	return syscall.Setpriority(syscall.PRIO_PROCESS, 0, n)
}
