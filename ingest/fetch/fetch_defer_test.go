package fetch

import (
	"context"
	"os"
	"path/filepath"
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
