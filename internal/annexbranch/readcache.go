package annexbranch

import "sync"

// readCacheBytes bounds the content a readCache holds.
const readCacheBytes = 8 << 20

// readCache remembers branch files a Pipeline read, by the object name
// asked of git ("SUBTREE:rest" or a blob id, see rootTree.objectName).
// Such a name denotes the same content for as long as the tree exists, so
// an entry never goes stale. Committing changes to files a command read
// moments before (get records where the keys it just fetched are, whose
// location logs it read to find them) then asks git for none of them
// again. Entries are taken once; when the bytes held would pass
// readCacheBytes, everything is forgotten and the cache fills again.
// It is safe for concurrent use.
type readCache struct {
	mu    sync.Mutex
	m     map[string][]byte // nil: no such blob
	bytes int
}

// put remembers data (nil: absent) as the content of name. The caller
// must not modify data afterwards.
func (c *readCache) put(name string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[name]; ok {
		return
	}
	if c.m == nil || c.bytes+len(name)+len(data) > readCacheBytes {
		c.m, c.bytes = map[string][]byte{}, 0
	}
	c.m[name] = data
	c.bytes += len(name) + len(data)
}

// take returns and forgets what put remembered for name.
func (c *readCache) take(name string) (data []byte, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, ok = c.m[name]
	if ok {
		delete(c.m, name)
		c.bytes -= len(name) + len(data)
	}
	return data, ok
}
