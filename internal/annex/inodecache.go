package annex

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
)

// inodeCacheFile is where Trove remembers which unlocked work tree files
// hold which key's content, relative to the annex directory.
//
// Format: one line per recorded file, "INODE SIZE MTIME-NS KEY\n", appended
// with O_APPEND (each line is one write(2), so concurrent writers from the
// filter process and a command interleave whole lines). A later line for
// the same (inode, size, mtime) wins. A line that is torn (no trailing
// newline) or does not parse is ignored, so a crash at any point leaves a
// usable file. The file is only a cache: deleting it makes Trove hash the
// files again the next time git asks, and it is rewritten compacted (whole,
// atomically renamed) when it holds many superseded lines.
const inodeCacheFile = "trove-inodes.log"

// compactSlack is how many superseded lines the cache may hold before it
// is rewritten.
const compactSlack = 4096

// fileStamp identifies a file's content version the way git-annex's
// InodeCache does: same inode, same size, same mtime means same content.
type fileStamp struct {
	Ino   uint64
	Size  int64
	Mtime int64 // nanoseconds since the epoch
}

// stampOf returns the stamp of a regular file, or false when the file
// system offers no inode numbers.
func stampOf(fi fs.FileInfo) (fileStamp, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || !fi.Mode().IsRegular() {
		return fileStamp{}, false
	}
	return fileStamp{Ino: st.Ino, Size: fi.Size(), Mtime: fi.ModTime().UnixNano()}, true
}

// inodeCache maps the stamps of populated unlocked files to their keys. It
// is safe for concurrent use; several processes may share the file.
type inodeCache struct {
	path string

	mu      sync.Mutex
	loaded  bool
	entries map[fileStamp]key.Key
	lines   int
}

// newInodeCache returns the cache of the repository; it is read lazily.
func (r *Repo) newInodeCache() *inodeCache {
	return &inodeCache{path: filepath.Join(annexDir(r.git), inodeCacheFile)}
}

// lookup returns the key whose content the file described by fi holds,
// if it was recorded and the file has not changed since.
func (c *inodeCache) lookup(fi fs.FileInfo) (key.Key, bool) {
	s, ok := stampOf(fi)
	if !ok {
		return key.Key{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.load()
	k, ok := c.entries[s]
	return k, ok
}

// record remembers that the file at path holds k's content; use it for
// files Trove itself just wrote. Failing to record is not an error worth
// reporting: the cache only saves work.
func (c *inodeCache) record(path string, k key.Key) {
	fi, err := os.Stat(path)
	if err != nil {
		return
	}
	s, ok := stampOf(fi)
	if !ok {
		return
	}
	c.add(s, k)
}

// recordUnchanged records that the file at path holds k's content if it
// still has the stamp of before, the FileInfo taken before its content
// was read; a file written to meanwhile is not recorded.
func (c *inodeCache) recordUnchanged(path string, k key.Key, before fs.FileInfo) {
	after, err := os.Stat(path)
	if err != nil {
		return
	}
	s1, ok1 := stampOf(before)
	s2, ok2 := stampOf(after)
	if ok1 && ok2 && s1 == s2 {
		c.add(s2, k)
	}
}

// add appends an entry. It does not read the cache file, so recording many
// files from separate caches costs one small append each.
func (c *inodeCache) add(s fileStamp, k key.Key) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[s]; c.loaded && ok && old == k {
		return
	}
	f, err := os.OpenFile(c.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	_, err = f.Write(formatInodeLine(s, k))
	if cerr := f.Close(); err == nil && cerr == nil && c.loaded {
		c.entries[s] = k
		c.lines++
	}
}

// load reads the cache file once, compacting it when it has grown much
// larger than its live entries. Callers hold c.mu.
func (c *inodeCache) load() {
	if c.loaded {
		return
	}
	c.loaded = true
	c.entries = map[fileStamp]key.Key{}
	data, err := os.ReadFile(c.path)
	if err != nil {
		return
	}
	c.entries, c.lines = parseInodeCache(data)
	if c.lines > 2*len(c.entries)+compactSlack {
		c.compact()
	}
}

// compact rewrites the cache with one line per live entry. Entries whose
// file no longer exists cannot be told apart here, so they stay until the
// cache is deleted; they are harmless (an inode is only trusted with its
// size and mtime).
func (c *inodeCache) compact() {
	var buf bytes.Buffer
	for s, k := range c.entries {
		buf.Write(formatInodeLine(s, k))
	}
	if err := fsutil.WriteFileAtomic(c.path, buf.Bytes(), 0o644, ""); err == nil {
		c.lines = len(c.entries)
	}
}

// formatInodeLine returns one cache line.
func formatInodeLine(s fileStamp, k key.Key) []byte {
	return fmt.Appendf(nil, "%d %d %d %s\n", s.Ino, s.Size, s.Mtime, k.String())
}

// parseInodeCache parses a cache file, skipping lines that do not parse
// (a torn last line included), and returns the live entries and the
// number of valid lines.
func parseInodeCache(data []byte) (map[fileStamp]key.Key, int) {
	entries := map[fileStamp]key.Key{}
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	sc.Split(completeLines)
	for sc.Scan() {
		s, k, err := parseInodeLine(sc.Bytes())
		if err != nil {
			continue
		}
		entries[s] = k
		lines++
	}
	return entries, lines
}

// completeLines splits newline-terminated lines and drops a final line
// without its newline (a write cut short by a crash).
func completeLines(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF {
		return len(data), nil, bufio.ErrFinalToken
	}
	return 0, nil, nil
}

var errInodeLine = errors.New("malformed inode cache line")

// parseInodeLine parses "INODE SIZE MTIME-NS KEY".
func parseInodeLine(line []byte) (fileStamp, key.Key, error) {
	f := bytes.SplitN(line, []byte{' '}, 4)
	if len(f) != 4 {
		return fileStamp{}, key.Key{}, errInodeLine
	}
	ino, err1 := strconv.ParseUint(string(f[0]), 10, 64)
	size, err2 := strconv.ParseInt(string(f[1]), 10, 64)
	mtime, err3 := strconv.ParseInt(string(f[2]), 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil || size < 0 {
		return fileStamp{}, key.Key{}, errInodeLine
	}
	k, err := key.Parse(string(f[3]))
	if err != nil {
		return fileStamp{}, key.Key{}, fmt.Errorf("%w: %w", errInodeLine, err)
	}
	return fileStamp{Ino: ino, Size: size, Mtime: mtime}, k, nil
}

// unmodified reports whether the work tree file at abs holds k's content:
// known from the inode cache, or else found by hashing the file (which is
// then recorded). Keys that cannot be verified by hashing (WORM, URL) are
// compared by size only.
func (r *Repo) unmodified(ctx context.Context, ic *inodeCache, abs string, k key.Key) (bool, error) {
	fi, err := os.Stat(abs)
	if err != nil {
		return false, fmt.Errorf("check %s: %w", abs, err)
	}
	if ck, ok := ic.lookup(fi); ok {
		return ck == k, nil
	}
	if k.HasSize && k.Size != fi.Size() {
		return false, nil
	}
	v, err := backend.NewVerifier(k)
	if err != nil {
		return k.HasSize, nil
	}
	f, err := os.Open(abs)
	if err != nil {
		return false, fmt.Errorf("check %s: %w", abs, err)
	}
	defer f.Close()
	if _, err := fsutil.ReadAll(ctx, f, v); err != nil {
		return false, fmt.Errorf("check %s: %w", abs, err)
	}
	if v.Verify() != nil {
		return false, nil
	}
	ic.recordUnchanged(abs, k, fi)
	return true, nil
}

// unchanged returns the key of the unlocked file at path when the inode
// cache knows its content and the index still has that key's pointer for
// path, so the clean filter can answer without hashing.
func (f *Filter) unchanged(ctx context.Context, path string) (key.Key, bool) {
	fi, err := os.Stat(f.r.paths.Abs(path))
	if err != nil {
		return key.Key{}, false
	}
	f.mu.Lock()
	if f.inodes == nil {
		f.inodes = f.r.newInodeCache()
	}
	ic := f.inodes
	f.mu.Unlock()
	k, ok := ic.lookup(fi)
	if !ok {
		return key.Key{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	obj, found, err := f.readIndex(ctx, path)
	if err != nil || !found {
		return key.Key{}, false
	}
	ik, ok := pointer.Parse(obj.Data)
	return k, ok && ik == k
}

// cleaned records that the work tree file at path, stat'ed as before
// before it was ingested, holds k's content.
func (f *Filter) cleaned(path string, k key.Key, before fs.FileInfo) {
	f.mu.Lock()
	if f.inodes == nil {
		f.inodes = f.r.newInodeCache()
	}
	ic := f.inodes
	f.mu.Unlock()
	if before != nil {
		ic.recordUnchanged(f.r.paths.Abs(path), k, before)
	}
}
