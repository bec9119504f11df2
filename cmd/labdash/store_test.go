package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"maps"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/internal/dirstate"
)

// readCommands are the commands that only read the store, each with
// arguments that succeed on a store holding snapshots 1 and 2.
var readCommands = [][]string{
	{"snapshots"},
	{"export", "-o", "-"},
	{"cite"},
	{"diff", "1", "2"},
}

// foreignDB writes another program's SQLite database, in the rollback
// journal mode such programs often use.
func foreignDB(t testing.TB, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{"PRAGMA journal_mode = DELETE", "CREATE TABLE notes (body TEXT)", "INSERT INTO notes VALUES ('keep me')"} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
}

// newerStoreFile writes a labdash store stamped with a schema version from
// the future.
func newerStoreFile(t testing.TB, path string) {
	t.Helper()
	store, err := openSeededStore(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	db, _ := sql.Open("sqlite", path)
	defer db.Close()
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
}

// Every command refuses a file that is not a store it may use — another
// program's database, a zero-byte file given to a command that only reads,
// a store from a newer labdash — with a sentence, and leaves the folder
// byte for byte as it was: no -wal or -shm file, no lock file. Before,
// `snapshots` switched another program's database to WAL and made a new
// store of a zero-byte file.
func TestCommandsLeaveRefusedStoresAsTheyWere(t *testing.T) {
	sources := writeSources(t, t.TempDir(), "")
	writeCommands := [][]string{{"ingest", "--sources", sources}, {"migrate"}, {"serve", "--addr", "127.0.0.1:0"}}
	for _, c := range []struct {
		name     string
		make     func(t testing.TB, path string)
		commands [][]string
		says     string
	}{
		{"another program's database", foreignDB, slices.Concat(readCommands, writeCommands), "SQLite database of another program"},
		{"a zero-byte file", func(t testing.TB, p string) { os.WriteFile(p, nil, 0o644) }, readCommands, "the file is empty"},
		{"a store from a newer labdash", newerStoreFile, slices.Concat(readCommands, writeCommands), "upgrade labdash"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "store.db")
			c.make(t, path)
			before := dirstate.Of(t, dir)
			for _, args := range c.commands {
				code, _, errOut := runCLI(t, map[string]string{"LABDASH_DB": path}, args...)
				if code != exitFailed || !strings.Contains(errOut, c.says) || !strings.Contains(errOut, "it was left as it is") {
					t.Errorf("%s: exit %d, %s", args[0], code, errOut)
				}
				if after := dirstate.Of(t, dir); !maps.Equal(before, after) {
					t.Fatalf("%s touched the refused file:\nbefore %v\nafter  %v", args[0], before, after)
				}
			}
		})
	}
}

// withDB puts --db path right after the command name: flags come before a
// command's other arguments.
func withDB(args []string, path string) []string {
	return slices.Concat(args[:1], []string{"--db", path}, args[1:])
}

// twoSnapshotStore makes a store with snapshots 1 (built-in) and 2
// (the ingest fixtures) in a folder of its own.
func twoSnapshotStore(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "l.db")
	env := map[string]string{"LABDASH_DB": path, "LABDASH_SOURCES": writeSources(t, t.TempDir(), "")}
	if code, out, errOut := runCLI(t, env, "ingest"); code != exitOK {
		t.Fatalf("ingest: %s %s", out, errOut)
	}
	return path
}

// Commands that only read work on a store this user may not write — a
// read-only file, a read-only folder — and change none of its bytes; a
// command that writes is refused with a sentence saying why. Before, such a
// store was "not a labdash database" to every command. Root ignores file
// modes, so as root the commands run as the nobody user.
func TestReadOnlyCommandsReadAReadOnlyStore(t *testing.T) {
	u := newUnprivileged(t)
	for _, c := range []struct {
		name              string
		fileMode, dirMode os.FileMode
	}{
		{"read-only file", 0o444, 0o755},
		{"read-only folder", 0o444, 0o555},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := u.tempDir(t)
			path := twoSnapshotStore(t, dir)
			u.own(t, dir)
			os.Chmod(path, c.fileMode)
			os.Chmod(dir, c.dirMode)
			before := dirstate.Of(t, dir)
			for _, args := range readCommands {
				code, out, errOut := u.run(t, withDB(args, path)...)
				if code != exitOK || len(out) < 100 {
					t.Errorf("%s on a %s: exit %d, %s\n%.300s", args[0], c.name, code, errOut, out)
				}
			}
			after := dirstate.Of(t, dir)
			if after["l.db"] != before["l.db"] {
				t.Errorf("a command that only reads changed the store")
			}
			if c.dirMode == 0o555 && !maps.Equal(before, after) {
				t.Errorf("files appeared in a read-only folder:\nbefore %v\nafter  %v", before, after)
			}
			code, _, errOut := u.run(t, "ingest", "--db", path, "--sources", writeSources(t, u.tempDir(t), ""))
			if code != exitFailed || !strings.Contains(errOut, "read-only for this user") {
				t.Errorf("ingest into a %s: exit %d, %s", c.name, code, errOut)
			}
			if again := dirstate.Of(t, dir); !maps.Equal(after, again) {
				t.Errorf("the refused ingest touched the store:\nbefore %v\nafter  %v", after, again)
			}
		})
	}
}

// When the store cannot be used, the sentence says why — not readable, a
// folder that cannot be entered or written, a folder that does not exist,
// damaged — rather than "not a labdash database", and nothing is created.
func TestStoreMessagesSayWhatIsWrong(t *testing.T) {
	u := newUnprivileged(t)
	root := u.tempDir(t)
	store := twoSnapshotStore(t, filepath.Join(root, "store"))
	u.own(t, filepath.Join(root, "store"))
	storeBytes := dirstate.Of(t, filepath.Dir(store))
	os.Chmod(store, 0o000)
	closed := filepath.Join(root, "closed")
	os.Mkdir(closed, 0o000)
	unwritable := filepath.Join(root, "unwritable")
	os.Mkdir(unwritable, 0o755)
	u.own(t, unwritable)
	os.Chmod(unwritable, 0o555)
	damaged := filepath.Join(root, "damaged.db")
	os.WriteFile(damaged, []byte("SQLite format 3\x00 and then nothing"), 0o644)

	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"snapshots", "--db", store}, "not readable by this user"},
		{[]string{"export", "--db", filepath.Join(closed, "l.db")}, "a folder on its path is not open to this user"},
		{[]string{"snapshots", "--db", filepath.Join(root, "nowhere", "l.db")}, "the folder " + filepath.Join(root, "nowhere") + " does not exist"},
		{[]string{"snapshots", "--db", filepath.Join(unwritable, "l.db")}, "there is no labdash store at this path"},
		{[]string{"migrate", "--db", filepath.Join(unwritable, "l.db")}, "the folder " + unwritable + " is not writable by this user"},
		{[]string{"migrate", "--db", filepath.Join(unwritable, "sub", "l.db")}, "cannot create the folder of the store"},
		{withDB([]string{"diff", "1", "2"}, damaged), "the store file is damaged"},
	} {
		before := dirstate.Of(t, root)
		code, _, errOut := u.run(t, c.args...)
		if code != exitFailed || !strings.Contains(errOut, c.says) || strings.Contains(errOut, "not a labdash database") {
			t.Errorf("%v: exit %d, %s\nwant it to say %q", c.args, code, errOut, c.says)
		}
		if after := dirstate.Of(t, root); !maps.Equal(before, after) {
			t.Errorf("%v changed the folder:\nbefore %v\nafter  %v", c.args, before, after)
		}
	}
	if entries, _ := os.ReadDir(unwritable); len(entries) != 0 {
		t.Errorf("%d files were created in %s", len(entries), unwritable)
	}
	os.Chmod(store, 0o644)
	if after := dirstate.Of(t, filepath.Dir(store)); !maps.Equal(storeBytes, after) {
		t.Errorf("the unreadable store changed:\nbefore %v\nafter  %v", storeBytes, after)
	}
}

// unprivileged runs this test binary as a user that file modes apply to:
// nobody when the tests run as root (who ignores them), else this user.
type unprivileged struct {
	bin      string
	uid, gid int
	asRoot   bool
}

// childArgsEnv carries the command line of TestCommandChild, one argument
// a line.
const childArgsEnv = "LABDASH_TEST_CHILD_ARGS"

// TestCommandChild runs one labdash command line and exits with its code;
// it does nothing in a normal run.
func TestCommandChild(t *testing.T) {
	args := os.Getenv(childArgsEnv)
	if args == "" {
		return
	}
	os.Exit(run(context.Background(), strings.Split(args, "\n"), os.Stdout, os.Stderr, func(string) string { return "" }))
}

func newUnprivileged(t *testing.T) *unprivileged {
	t.Helper()
	u := &unprivileged{uid: os.Getuid(), gid: os.Getgid(), asRoot: os.Geteuid() == 0}
	if u.asRoot {
		nobody, err := user.Lookup("nobody")
		if err != nil {
			t.Fatalf("running as root needs the nobody user, to whom file modes apply: %v", err)
		}
		u.uid, _ = strconv.Atoi(nobody.Uid)
		u.gid, _ = strconv.Atoi(nobody.Gid)
	}
	// The test binary is copied where that user may run it.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	u.bin = filepath.Join(u.tempDir(t), "labdash.test")
	copyFile(t, self, u.bin, 0o755)
	return u
}

// tempDir is a folder the unprivileged user can reach, removed after the
// test whatever modes the test left inside it.
func (u *unprivileged) tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "labdash-perm-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() {
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(dir)
	})
	return dir
}

// own gives dir and everything in it to the unprivileged user.
func (u *unprivileged) own(t *testing.T, dir string) {
	t.Helper()
	if !u.asRoot {
		return
	}
	filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err == nil {
			err = os.Lchown(p, u.uid, u.gid)
		}
		if err != nil {
			t.Fatal(err)
		}
		return nil
	})
}

// run runs a labdash command line as the unprivileged user.
func (u *unprivileged) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(u.bin, "-test.run=^TestCommandChild$", "-test.count=1")
	cmd.Env = []string{childArgsEnv + "=" + strings.Join(args, "\n"), "PATH=" + os.Getenv("PATH"), "HOME=/nonexistent"}
	if u.asRoot {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(u.uid), Gid: uint32(u.gid)}}
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}

// The commands that print store text — cite, diff, export — write valid
// UTF-8 when the store holds invalid bytes (an older labdash, a hand-edited
// store): each bad run becomes U+FFFD. Before, they went out raw.
func TestCommandsPrintStoredTextAsValidUTF8(t *testing.T) {
	path := seededStore(t)
	ctx := context.Background()
	store, err := data.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	obs, err := store.Observations(ctx, 1, data.Filter{Occupations: []string{"29-2010"}})
	if err != nil || len(obs) == 0 {
		t.Fatal(obs, err)
	}
	for i := range obs {
		obs[i].OccupationTitle += " \xff"
		obs[i].SourceTitle += " \xc3\x28"
		obs[i].AreaTitle += " \xe9"
	}
	_, err = store.Publish(ctx, data.Publication{Label: "bad bytes", Observations: obs})
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"cite"}, {"diff", "1", "2"}, {"export"}} {
		code, out, errOut := runCLI(t, map[string]string{"LABDASH_DB": path}, args...)
		if code != exitOK || !utf8.ValidString(out) || !strings.Contains(out, "\uFFFD") {
			t.Errorf("%s: exit %d, valid UTF-8 %v, repaired %v %s", args[0], code, utf8.ValidString(out),
				strings.Contains(out, "\uFFFD"), errOut)
		}
	}
}
