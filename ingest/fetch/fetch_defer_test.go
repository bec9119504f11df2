package fetch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDeferredLocalHash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.csv")
	body := []byte("occupation_code,value\n29-2010,1\n")
	os.WriteFile(path, body, 0o644)
	ctx := context.Background()

	now, err := (&Fetcher{}).Fetch(ctx, Request{URL: path})
	if err != nil {
		t.Fatal(err)
	}
	later, err := (&Fetcher{DeferLocalHash: true}).Fetch(ctx, Request{URL: path})
	if err != nil {
		t.Fatal(err)
	}
	if !later.HashPending() || later.Hash != "" || later.Path != path {
		t.Fatalf("deferred: %+v", later)
	}
	if err := later.FinishHash(); err != nil || later.Hash != now.Hash || later.Hash != HashBytes(body) || later.NotModified {
		t.Fatalf("finished: %+v %v (want hash %s)", later, err, now.Hash)
	}
	same, _ := (&Fetcher{DeferLocalHash: true}).Fetch(ctx, Request{URL: path, PreviousHash: now.Hash})
	if err := same.FinishHash(); err != nil || !same.NotModified || same.Path != path {
		t.Fatalf("same bytes: %+v %v", same, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal("the user's file was removed")
	}
	html := filepath.Join(t.TempDir(), "page.csv")
	os.WriteFile(html, []byte("<!DOCTYPE html><html>denied</html>"), 0o644)
	if _, err := (&Fetcher{DeferLocalHash: true}).Fetch(ctx, Request{URL: html}); err == nil {
		t.Fatal("an HTML file passed when the hash was deferred")
	}
}

func TestDeferredHashNoticesAReplacedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "data.csv")
	os.WriteFile(path, []byte("first version\n"), 0o644)
	res, err := (&Fetcher{DeferLocalHash: true}).Fetch(context.Background(), Request{URL: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.FinishHash(); err != nil {
		t.Fatal(err)
	}
	if err := res.CheckSameFile(); err != nil {
		t.Fatalf("an untouched file: %v", err)
	}
	other := filepath.Join(dir, "new.csv")
	os.WriteFile(other, []byte("other version\n"), 0o644) // same size
	os.Rename(other, path)
	if err := res.CheckSameFile(); err == nil {
		t.Fatal("a file replaced by another of the same size went unnoticed")
	}
}

// A hash fed the chunks a parser read is the file's hash, and the file is
// not read again; fed only part of the file, FinishHash reads it.
func TestStreamHash(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "oe.data.0.Current")
	body := []byte(strings.Repeat("OEUN000000000000029201813     \t2024\tA01\t       61890\t\n", 1000))
	os.WriteFile(path, body, 0o644)
	ctx := context.Background()

	res, err := (&Fetcher{DeferLocalHash: true}).Fetch(ctx, Request{URL: path})
	if err != nil {
		t.Fatal(err)
	}
	s := res.StreamHash()
	released := 0
	for i := 0; i < len(body); i += 700 {
		s.Add(body[i:min(i+700, len(body))], func() { released++ })
	}
	os.Rename(path, path+".moved") // nothing may read the file now
	if err := res.FinishHash(); err != nil || res.Hash != HashBytes(body) || res.Bytes != int64(len(body)) {
		t.Fatalf("streamed: %+v %v", res, err)
	}
	if released != (len(body)+699)/700 {
		t.Errorf("%d chunks released", released)
	}
	os.Rename(path+".moved", path)

	part, err := (&Fetcher{DeferLocalHash: true}).Fetch(ctx, Request{URL: path})
	if err != nil {
		t.Fatal(err)
	}
	part.StreamHash().Add(body[:100], func() {})
	if err := part.FinishHash(); err != nil || part.Hash != HashBytes(body) {
		t.Fatalf("a partial stream: %+v %v", part, err)
	}
	if (&Result{}).StreamHash() != nil {
		t.Error("a result without a deferred hash gave a stream")
	}
}
