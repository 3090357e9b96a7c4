package annexbranch

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
)

// treeEntry is one entry of a git tree object.
type treeEntry struct {
	Name string
	SHA  string // hex object id
	Tree bool   // a subtree (mode 040000)
}

// parseTree parses a git tree object in its binary form, as
// `git cat-file --batch` returns it: entries of "MODE SP NAME NUL" followed by
// the raw object id, hashLen bytes (20 for sha1, 32 for sha256). An entry
// that is cut short, has a mode that is not octal or an empty name is an
// error naming its offset.
func parseTree(data []byte, hashLen int) ([]treeEntry, error) {
	var out []treeEntry
	for off := 0; off < len(data); {
		sp := bytes.IndexByte(data[off:], ' ')
		if sp <= 0 {
			return nil, fmt.Errorf("tree entry at offset %d: no mode", off)
		}
		mode := data[off : off+sp]
		for _, c := range mode {
			if c < '0' || c > '7' {
				return nil, fmt.Errorf("tree entry at offset %d: bad mode %q", off, mode)
			}
		}
		nameStart := off + sp + 1
		nul := bytes.IndexByte(data[nameStart:], 0)
		if nul <= 0 {
			return nil, fmt.Errorf("tree entry at offset %d: bad name", off)
		}
		idStart := nameStart + nul + 1
		if idStart+hashLen > len(data) {
			return nil, fmt.Errorf("tree entry at offset %d: object id cut short", off)
		}
		out = append(out, treeEntry{
			Name: string(data[nameStart : nameStart+nul]),
			SHA:  hex.EncodeToString(data[idStart : idStart+hashLen]),
			Tree: string(mode) == "40000" || string(mode) == "040000",
		})
		off = idStart + hashLen
	}
	return out, nil
}

// rootTree is the branch's root tree as of one commit. It is immutable once
// made. Keeping only the root (at most 4,096 hash directories plus the
// top-level logs) keeps memory flat in the number of keys, while sparing git
// the parse of that big tree on every lookup: a file under a hash directory
// is asked for as "SUBTREE:rest", which makes git read only the small
// subtrees on its path.
type rootTree struct {
	commit  string
	entries map[string]treeEntry
}

// treeCache holds the root tree the branch reads through. Reads use the
// snapshot taken at the first read; the snapshot is checked against the
// branch again (one cat-file round trip) after the journal lock is taken or
// released, because that is when this process or another one may move the
// branch (Commit, CommitChanges, Update), and a Change must never compute
// the new content of a file from stale content.
type treeCache struct {
	mu    sync.Mutex
	root  *rootTree // nil until loaded, and while the branch does not exist
	stale bool      // root must be checked against the branch before use
}

// markStale makes the next read check the snapshot against the branch.
func (c *treeCache) markStale() {
	c.mu.Lock()
	c.stale = true
	c.mu.Unlock()
}

// rootTree returns the root tree of the branch, loading or revalidating it
// as needed; nil (no error) means the branch does not exist. A missing
// branch is not cached, so a later Create is seen.
func (b *Branch) rootTree(ctx context.Context) (*rootTree, error) {
	c := &b.tree
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.root != nil && !c.stale {
		return c.root, nil
	}
	commit, found, err := b.readObject(ctx, Ref)
	if err != nil || !found {
		c.root = nil
		return nil, err
	}
	if c.root != nil && c.root.commit == commit.SHA {
		c.stale = false
		return c.root, nil
	}
	treeSHA, err := commitTree(commit.Data)
	if err != nil {
		return nil, fmt.Errorf("read %s commit %s: %w", Ref, commit.SHA, err)
	}
	tree, found, err := b.readObject(ctx, treeSHA)
	if err != nil {
		return nil, err
	}
	if !found || tree.Type != "tree" {
		return nil, fmt.Errorf("read %s: root tree %s of commit %s is missing", Ref, treeSHA, commit.SHA)
	}
	ents, err := parseTree(tree.Data, b.hashLen())
	if err != nil {
		return nil, fmt.Errorf("read %s: tree %s: %w", Ref, treeSHA, err)
	}
	root := &rootTree{commit: commit.SHA, entries: make(map[string]treeEntry, len(ents))}
	for _, e := range ents {
		root.entries[e.Name] = e
	}
	c.root, c.stale = root, false
	return root, nil
}

// commitTree returns the tree id of a commit object: its first header line
// is "tree ID".
func commitTree(data []byte) (string, error) {
	line, _, _ := bytes.Cut(data, []byte{'\n'})
	id, ok := bytes.CutPrefix(line, []byte("tree "))
	if !ok || (len(id) != 40 && len(id) != 64) {
		return "", fmt.Errorf("no tree header in commit")
	}
	return string(id), nil
}

// hashLen is the length in bytes of a raw object id of the repository.
func (b *Branch) hashLen() int {
	if b.repo.ObjectFormat == "sha256" {
		return 32
	}
	return 20
}

// objectName is the name to ask cat-file for branch file path: the blob
// id of a top-level file, "SUBTREE:rest" for a file in a directory. ok is
// false when the path's first component shows the file is absent.
func (r *rootTree) objectName(path string) (name string, ok bool) {
	first, rest, sub := strings.Cut(path, "/")
	e, ok := r.entries[first]
	if !ok || e.Tree != sub {
		return "", false
	}
	if sub {
		return e.SHA + ":" + rest, true
	}
	return e.SHA, true
}

// getBranchFile returns the content of path in the branch (ignoring the
// journal), nil when there is no such file. It costs at most one cat-file
// round trip: none when the path's first directory is not in the branch.
func (b *Branch) getBranchFile(ctx context.Context, path string) ([]byte, error) {
	root, err := b.rootTree(ctx)
	if err != nil || root == nil {
		return nil, err
	}
	name, ok := root.objectName(path)
	if !ok {
		return nil, nil
	}
	obj, found, err := b.readObject(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("read %s:%s: %w", Ref, path, err)
	}
	if !found || obj.Type != "blob" {
		return nil, nil
	}
	return obj.Data, nil
}
