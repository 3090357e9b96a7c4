package gitcmd

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ObjectInfo describes an object as `git cat-file --batch-check` does.
type ObjectInfo struct {
	SHA  string
	Type string // "blob", "tree", "commit" or "tag"
	Size int64
}

// Object is an object's description and content.
type Object struct {
	ObjectInfo
	Data []byte
}

// CatFile is a long-running `git cat-file --batch`. It is safe for concurrent
// use; requests are served one at a time. Close it when done.
type CatFile struct{ b *batch }

// NewCatFile starts `git cat-file --batch`; it lives until Close or until ctx
// is done.
func (r *Repo) NewCatFile(ctx context.Context) (*CatFile, error) {
	b, err := r.startBatch(ctx, "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	return &CatFile{b: b}, nil
}

// Read returns the object named by name: an object id, a ref, "REV:PATH" or
// any other name git understands. A missing object is reported by found ==
// false and no error.
func (c *CatFile) Read(ctx context.Context, name string) (obj Object, found bool, err error) {
	if err := checkBatchName(name); err != nil {
		return Object{}, false, err
	}
	err = c.b.do(ctx, func() error {
		info, ok, err := c.b.request(name)
		if err != nil || !ok {
			return err
		}
		data := make([]byte, info.Size+1)
		if _, err := io.ReadFull(c.b.rd, data); err != nil {
			return fmt.Errorf("read content of %s: %w", name, err)
		}
		if data[info.Size] != '\n' {
			return fmt.Errorf("content of %s not followed by a newline", name)
		}
		obj, found = Object{ObjectInfo: info, Data: data[:info.Size]}, true
		return nil
	})
	return obj, found, err
}

// Close ends the process; see CatFileCheck.Close.
func (c *CatFile) Close() error { return c.b.close() }

// CatFileCheck is a long-running `git cat-file --batch-check`. It is safe for
// concurrent use. Close it when done.
type CatFileCheck struct{ b *batch }

// NewCatFileCheck starts `git cat-file --batch-check`; it lives until Close
// or until ctx is done.
func (r *Repo) NewCatFileCheck(ctx context.Context) (*CatFileCheck, error) {
	b, err := r.startBatch(ctx, "cat-file", "--batch-check")
	if err != nil {
		return nil, err
	}
	return &CatFileCheck{b: b}, nil
}

// Info describes the object named by name; found is false, without error,
// when there is no such object.
func (c *CatFileCheck) Info(ctx context.Context, name string) (info ObjectInfo, found bool, err error) {
	if err := checkBatchName(name); err != nil {
		return ObjectInfo{}, false, err
	}
	err = c.b.do(ctx, func() error {
		info, found, err = c.b.request(name)
		return err
	})
	return info, found, err
}

// Close ends the process and waits for it. It is idempotent; later requests
// fail.
func (c *CatFileCheck) Close() error { return c.b.close() }

// checkBatchName rejects names the line protocol cannot carry.
func checkBatchName(name string) error {
	if name == "" || strings.ContainsAny(name, "\n\x00") {
		return fmt.Errorf("cat-file: invalid object name %q", name)
	}
	return nil
}

// request sends name and reads the header line of the answer.
func (b *batch) request(name string) (ObjectInfo, bool, error) {
	if _, err := b.w.WriteString(name + "\n"); err != nil {
		return ObjectInfo{}, false, err
	}
	if err := b.w.Flush(); err != nil {
		return ObjectInfo{}, false, err
	}
	line, err := b.readLine('\n')
	if err != nil {
		return ObjectInfo{}, false, err
	}
	return ParseBatchHeader(line, name)
}

// ParseBatchHeader parses a cat-file --batch(-check) header line answering a
// request for name: "SHA TYPE SIZE", or "NAME missing" / "NAME ambiguous"
// (found == false).
func ParseBatchHeader(line, name string) (info ObjectInfo, found bool, err error) {
	if rest, ok := strings.CutPrefix(line, name+" "); ok && (rest == "missing" || rest == "ambiguous") {
		return ObjectInfo{}, false, nil
	}
	f := strings.Split(line, " ")
	if len(f) != 3 || !validSHA(f[0]) {
		return ObjectInfo{}, false, fmt.Errorf("cat-file: unexpected answer %q for %q", line, name)
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || size < 0 {
		return ObjectInfo{}, false, fmt.Errorf("cat-file: unexpected answer %q for %q", line, name)
	}
	return ObjectInfo{SHA: f[0], Type: f[1], Size: size}, true, nil
}
