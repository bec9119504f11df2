package priority

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// childEnv makes the test binary, started again, lower its own priority
// and print each thread's nice value.
const childEnv = "PRIORITY_TEST_LOWER_TO"

func TestMain(m *testing.M) {
	if v := os.Getenv(childEnv); v != "" {
		n, _ := strconv.Atoi(v)
		if err := Lower(n); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		holdNewThreads(4)
		for tid, nice := range niceValues() {
			fmt.Println(tid, nice)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Every thread has the new value: those the runtime had before Lower, and
// those made after it.
func TestLowerReachesEveryThread(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=7")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 5 {
		t.Fatalf("%d threads listed, want the runtime's and 4 more: %s", len(lines), out)
	}
	for _, line := range lines {
		if tid, nice, _ := strings.Cut(line, " "); nice != "7" {
			t.Errorf("thread %s has nice %s, want 7", tid, nice)
		}
	}
}

// holdNewThreads makes the runtime start n more threads, each kept by a
// goroutine locked to it, and returns once they all run.
func holdNewThreads(n int) {
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
