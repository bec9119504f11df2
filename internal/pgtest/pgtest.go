// Package pgtest gives tests a PostgreSQL database of their own.
//
// When LABDASH_TEST_POSTGRES names a server (an URL whose user may create
// databases), tests use it: that is what `make test` does, through
// scripts/with-postgres.sh. Otherwise the first test that asks starts a
// private server from Debian's postgresql binaries (/usr/lib/postgresql/*/bin,
// or initdb on PATH) in a temporary directory on a free loopback port, and
// Main stops it when the package's tests end. So plain `go test ./...` runs
// the PostgreSQL tests too; they fail, never skip, when no PostgreSQL can be
// had.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// EnvURL names an existing server for the tests.
const EnvURL = "LABDASH_TEST_POSTGRES"

// The server is shared by every test of a test binary: starting one costs a
// second or two, a database in it a few milliseconds. This is the package's
// only state, owned by Main.
var (
	once     sync.Once
	adminURL string
	startErr error
	server   *privateServer
	dbSeq    atomic.Int64
)

// Main runs a package's tests and then stops the private server, if one was
// started. Call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop stops the private server, if one was started; for a TestMain that
// has more to clean up first.
func Stop() {
	if server != nil {
		server.stop()
		server = nil
	}
}

// URL returns the admin URL of the test server, starting one if needed.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			adminURL = u
			return
		}
		server, startErr = startPrivateServer()
		if server != nil {
			adminURL = server.url
		}
	})
	if startErr != nil {
		t.Fatalf("PostgreSQL for the tests: %v\nRun `make test` (it installs Debian's postgresql), "+
			"or set %s to a server URL.", startErr, EnvURL)
	}
	return adminURL
}

// NewDatabase creates an empty database for one test, dropped when the test
// ends, and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := URL(t)
	name := fmt.Sprintf("labdash_test_%d_%d", os.Getpid(), dbSeq.Add(1))
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

type privateServer struct {
	dir string
	url string
	cmd *exec.Cmd
	// exited is closed once the server process has been reaped.
	exited chan struct{}
}

// startPrivateServer runs initdb and postgres in a temporary directory.
// initdb refuses to run as root, so as root both run as the postgres user
// that Debian's package creates.
func startPrivateServer() (*privateServer, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "labdash-pg-")
	if err != nil {
		return nil, err
	}
	s := &privateServer{dir: dir}
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs the postgres user to run initdb: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	for attempt := 0; attempt < 3; attempt++ {
		port, err := freePort()
		if err != nil {
			break
		}
		// fsync off: a test server's data is thrown away, and durability is
		// not what the tests measure.
		s.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port),
			"-h", "127.0.0.1", "-k", dir, "-c", "fsync=off", "-c", "full_page_writes=off",
			"-c", "max_connections=300")
		s.cmd.Stdout, s.cmd.Stderr = nil, nil
		// The server dies with the test binary even if Main never runs.
		s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
		if err := s.cmd.Start(); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("postgres: %w", err)
		}
		s.exited = make(chan struct{})
		go func(cmd *exec.Cmd, exited chan struct{}) { cmd.Wait(); close(exited) }(s.cmd, s.exited)
		s.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
		if err := waitReady(s.url, s.exited); err == nil {
			return s, nil
		}
		s.cmd.Process.Kill()
		<-s.exited
	}
	os.RemoveAll(dir)
	return nil, errors.New("postgres did not start on a free loopback port")
}

func (s *privateServer) stop() {
	s.cmd.Process.Signal(syscall.SIGINT) // fast shutdown
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
	os.RemoveAll(s.dir)
}

// findBinDir finds the newest PostgreSQL server binaries.
func findBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real), nil
		}
	}
	return "", errors.New("no PostgreSQL server binaries (initdb, postgres) found under /usr/lib/postgresql or on PATH")
}

func versionOf(binDir string) int {
	n, _ := strconv.Atoi(strings.Split(filepath.Base(filepath.Dir(binDir)), ".")[0])
	return n
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitReady waits until the server accepts a query, or its process exits.
func waitReady(u string, exited <-chan struct{}) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		db, err := sql.Open("pgx", u)
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err = db.PingContext(ctx)
			cancel()
			db.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("postgres exited")
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errors.New("postgres did not become ready in 30 s")
}
