package web

import (
	"container/list"
	"sync"
)

// page is a rendered response kept in memory: a snapshot never changes, so
// neither does any page rendered from it.
type page struct {
	body    []byte
	gzipped []byte
	etag    string
}

// pageCache is a small LRU of rendered pages keyed by page and snapshot.
// Concurrent misses for one key render once (the others wait).
type pageCache struct {
	mu      sync.Mutex
	max     int
	order   *list.List // front = most recent; values are keys
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	ready chan struct{}
	page  *page
	err   error
	elem  *list.Element
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, order: list.New(), entries: map[string]*cacheEntry{}}
}

// get returns the page for key, calling build once when it is not cached.
// A failed build is not cached.
func (c *pageCache) get(key string, build func() (*page, error)) (*page, error) {
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e.elem)
		c.mu.Unlock()
		<-e.ready
		return e.page, e.err
	}
	e := &cacheEntry{ready: make(chan struct{})}
	e.elem = c.order.PushFront(key)
	c.entries[key] = e
	c.mu.Unlock()

	e.page, e.err = build()
	close(e.ready)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.err != nil {
		if c.entries[key] == e {
			c.order.Remove(e.elem)
			delete(c.entries, key)
		}
		return e.page, e.err
	}
	// Evict only for a page that was built: a flood of bad requests (400s)
	// must not push good pages out.
	c.evictLocked()
	return e.page, e.err
}

func (c *pageCache) evictLocked() {
	for c.order.Len() > c.max {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.entries, oldest.Value.(string))
	}
}

// len reports how many pages are cached; for tests.
func (c *pageCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
