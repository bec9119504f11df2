package priority

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// Lower raises the nice value of every thread of this process by by, as
// nice(1) does, up to 19. Linux keeps a nice value per thread, and
// setpriority(PRIO_PROCESS, 0) changes only the calling one; the Go
// runtime has several threads by the time main runs. Threads made later
// inherit their creator's value, so the pass is repeated until it meets no
// thread it has not already set.
func Lower(by int) error {
	// The raw system call answers 20 minus the nice value.
	raw, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		return fmt.Errorf("reading this process's priority: %w", err)
	}
	target := lowered(20-raw, by)
	done := map[int]bool{}
	for {
		tids, err := threadIDs()
		if err != nil {
			return err
		}
		fresh := false
		for _, tid := range tids {
			if done[tid] {
				continue
			}
			// A thread that ended since the listing is no error.
			if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, target); err != nil && err != syscall.ESRCH {
				return fmt.Errorf("lowering the priority of thread %d: %w", tid, err)
			}
			done[tid], fresh = true, true
		}
		if !fresh {
			return nil
		}
	}
}

// threadIDs lists this process's threads.
func threadIDs() ([]int, error) {
	entries, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil, err
	}
	tids := make([]int, 0, len(entries))
	for _, e := range entries {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids, nil
}
