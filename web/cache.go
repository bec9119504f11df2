package web

import (
	"container/list"
	"sync"
)

// pageCache is a small LRU of rendered pages keyed by page and snapshot. A
// snapshot never changes, so neither does any page rendered from it; each is
// kept with its compressed forms, ready to be written as it is.
//
// Concurrent misses for one key render once. The others wait, unless the
// page has a family (the latest data at one address) with an older page
// built: then they get that one at once. So a publish, which makes every
// latest page new, costs the one request that builds the new page its
// render time, instead of every request that comes in meanwhile.
type pageCache struct {
	mu      sync.Mutex
	max     int
	order   *list.List // front = most recent; values are keys
	entries map[string]*cacheEntry
	newest  map[string]*cacheEntry // per family, the newest page built
}

type cacheEntry struct {
	ready  chan struct{}
	page   *encoded
	err    error
	elem   *list.Element
	family string
	uri    string // the address it was asked for (recentAddresses)
}

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, order: list.New(), entries: map[string]*cacheEntry{}, newest: map[string]*cacheEntry{}}
}

// get returns the page for key, calling build once when it is not cached.
// family names the address whose newest page may stand in while key is
// built by another request; "" for a page that must be exactly key's (a
// pinned snapshot). A failed build is not cached.
func (c *pageCache) get(key, family, uri string, build func() (*encoded, error)) (*encoded, error) {
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e.elem)
		older := c.newest[family]
		c.mu.Unlock()
		select {
		case <-e.ready:
		default:
			if family != "" && older != nil && older != e {
				return older.page, nil // key is being built by another request
			}
			<-e.ready
		}
		return e.page, e.err
	}
	e := &cacheEntry{ready: make(chan struct{}), family: family, uri: uri}
	e.elem = c.order.PushFront(key)
	c.entries[key] = e
	c.mu.Unlock()

	e.page, e.err = build()
	close(e.ready)
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.err != nil {
		if c.entries[key] == e {
			c.remove(key, e)
		}
		return e.page, e.err
	}
	if family != "" {
		c.newest[family] = e
	}
	// Evict only for a page that was built: a flood of bad requests (400s)
	// must not push good pages out.
	c.evictLocked()
	return e.page, e.err
}

func (c *pageCache) evictLocked() {
	for c.order.Len() > c.max {
		key := c.order.Back().Value.(string)
		c.remove(key, c.entries[key])
	}
}

// remove drops an entry; c.mu is held.
func (c *pageCache) remove(key string, e *cacheEntry) {
	c.order.Remove(e.elem)
	delete(c.entries, key)
	if c.newest[e.family] == e {
		delete(c.newest, e.family)
	}
}

// recentAddresses lists the addresses of up to n families (latest pages),
// most recently asked for first.
func (c *pageCache) recentAddresses(n int) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for el := c.order.Front(); el != nil && len(out) < n; el = el.Next() {
		e := c.entries[el.Value.(string)]
		if e.family != "" && !seen[e.family] {
			seen[e.family] = true
			out = append(out, e.uri)
		}
	}
	return out
}

// len reports how many pages are cached; for tests.
func (c *pageCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
