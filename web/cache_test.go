package web

import (
	"errors"
	"fmt"
	"testing"
)

func TestPageCacheKeepsGoodPagesThroughErrors(t *testing.T) {
	c := newPageCache(2)
	build := func() (*page, error) { return newPage([]byte("ok")), nil }
	c.get("a", build)
	c.get("b", build)
	for i := range 10 {
		if _, err := c.get(fmt.Sprint("bad", i), func() (*page, error) { return nil, errors.New("bad request") }); err == nil {
			t.Fatal("an error was not returned")
		}
	}
	if c.len() != 2 {
		t.Fatalf("%d pages cached after failed builds, want the 2 good ones", c.len())
	}
	built := 0
	c.get("a", func() (*page, error) { built++; return newPage(nil), nil })
	if built != 0 {
		t.Error("a good page was evicted by failed builds")
	}
	c.get("c", build)
	if c.len() != 2 {
		t.Errorf("%d pages cached, bound is 2", c.len())
	}
}
