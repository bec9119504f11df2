package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"testing"
	"time"
)

// A driver's connection that reports itself broken (driver.ErrBadConn), or
// panics, while a publication's transaction holds it must end the
// publication with an error, or the panic, not leave it waiting for ever:
// database/sql's Raw would close such a connection and wait for the
// transaction to let go of it (versionWriter.onConn).
func TestBrokenDriverConnectionEndsAPublication(t *testing.T) {
	for _, panics := range []bool{false, true} {
		ctx := context.Background()
		db := sql.OpenDB(brokenConnector{panics: panics})
		defer db.Close()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		w := &versionWriter{d: sqliteDialect, conn: conn, tx: tx}
		done := make(chan any, 1)
		go func() {
			defer func() { done <- recover() }()
			done <- w.execFull(ctx, false)
		}()
		select {
		case got := <-done:
			if panics && got != "driver bug" {
				t.Errorf("the driver's panic came back as %v", got)
			}
			if err, _ := got.(error); !panics && (err == nil || !strings.Contains(err.Error(), "connection failed")) {
				t.Errorf("a broken connection gave %v", got)
			}
		case <-time.After(30 * time.Second): // a guard against the hang, not a timing
			t.Fatalf("the publication waited for ever on a broken connection (panics: %v)", panics)
		}
		tx.Rollback()
		conn.Close()
	}
}

type brokenConnector struct{ panics bool }

func (c brokenConnector) Connect(context.Context) (driver.Conn, error) { return brokenConn(c), nil }
func (c brokenConnector) Driver() driver.Driver                        { return nil }

type brokenConn struct{ panics bool }

func (c brokenConn) PrepareContext(context.Context, string) (driver.Stmt, error) {
	if c.panics {
		panic("driver bug")
	}
	return nil, driver.ErrBadConn
}
func (c brokenConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}
func (brokenConn) Close() error              { return nil }
func (brokenConn) Begin() (driver.Tx, error) { return brokenTx{}, nil }

type brokenTx struct{}

func (brokenTx) Commit() error   { return nil }
func (brokenTx) Rollback() error { return nil }
