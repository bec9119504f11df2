//go:build unix && !linux

package priority

import "syscall"

// Lower raises this process's nice value by by, up to 19; outside Linux
// the value belongs to the whole process.
func Lower(by int) error {
	cur, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		return err
	}
	return syscall.Setpriority(syscall.PRIO_PROCESS, 0, lowered(cur, by))
}
