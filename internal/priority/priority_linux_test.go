package priority

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// childEnv makes the test binary, started again, lower its own priority
// and print each thread's nice value.
const childEnv = "PRIORITY_TEST_LOWER_TO"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		lowerTwiceAndReport()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// lowerTwiceAndReport is the child: it lowers its priority by 3, then by 4,
// starts new threads, and prints how many threads it had before the new
// ones, then each thread's nice value.
func lowerTwiceAndReport() {
	for _, by := range []int{3, 4} {
		if err := Lower(by); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
	}
	before, _ := threadIDs()
	fmt.Println("threads before", len(before))
	// Each held goroutine keeps a thread of its own: as many as there were,
	// and 4 more, can only be had by making new ones.
	holdThreads(len(before) + 4)
	for tid, nice := range niceValues() {
		fmt.Println(tid, nice)
	}
}

// Lowering adds to the nice value, as nice(1) does, and reaches every
// thread: those the runtime had before, and those made after it.
func TestLowerReachesEveryThread(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	start, _ := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	want := strconv.Itoa(lowered(20-start, 7))
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var before int
	fmt.Sscanf(lines[0], "threads before %d", &before)
	if len(lines)-1 < before+4 {
		t.Fatalf("%d threads listed, want the %d there were and 4 more: %s", len(lines)-1, before, out)
	}
	for _, line := range lines[1:] {
		if tid, nice, _ := strings.Cut(line, " "); nice != want {
			t.Errorf("thread %s has nice %s, want %s", tid, nice, want)
		}
	}
}

func TestLoweredStopsAtTheLowestPriority(t *testing.T) {
	if lowered(0, 10) != 10 || lowered(15, 10) != 19 || lowered(-5, 10) != 5 {
		t.Errorf("lowered: %d %d %d", lowered(0, 10), lowered(15, 10), lowered(-5, 10))
	}
}

// holdThreads keeps n threads, each by a goroutine locked to it, and
// returns once they all run.
func holdThreads(n int) {
	var started sync.WaitGroup
	for range n {
		started.Add(1)
		go func() {
			runtime.LockOSThread()
			started.Done()
			select {}
		}()
	}
	started.Wait()
}

// niceValues reads the nice value of each thread of this process (field 19
// of its stat file, the 17th after the command name).
func niceValues() map[string]string {
	tids, _ := threadIDs()
	out := map[string]string{}
	for _, tid := range tids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/self/task/%d/stat", tid))
		if err != nil {
			continue
		}
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		out[strconv.Itoa(tid)] = fields[16]
	}
	return out
}
