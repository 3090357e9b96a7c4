package gitcmd

import (
	"context"
	"fmt"
	"strings"
)

// Values git check-attr reports for attributes that are not plain values.
const (
	AttrSet   = "set"   // the attribute is set ("attr" in .gitattributes)
	AttrUnset = "unset" // the attribute is unset ("-attr")
)

// CheckAttr is a long-running `git check-attr -z --stdin ATTRS...`. It is
// safe for concurrent use. Close it when done.
type CheckAttr struct {
	b     *batch
	attrs []string
}

// NewCheckAttr starts check-attr for the named attributes; it lives until
// Close or until ctx is done.
func (r *Repo) NewCheckAttr(ctx context.Context, attrs ...string) (*CheckAttr, error) {
	if len(attrs) == 0 {
		return nil, fmt.Errorf("check-attr: no attributes named")
	}
	b, err := r.startBatch(ctx, append([]string{"check-attr", "-z", "--stdin"}, attrs...)...)
	if err != nil {
		return nil, err
	}
	return &CheckAttr{b: b, attrs: attrs}, nil
}

// Check returns the attributes of path (relative to the work tree top):
// attr → value, where value is AttrSet, AttrUnset or the assigned value.
// Unspecified attributes are absent from the map.
func (c *CheckAttr) Check(ctx context.Context, path string) (map[string]string, error) {
	if err := checkAttrPath(path); err != nil {
		return nil, err
	}
	var vals map[string]string
	err := c.b.do(ctx, func() error {
		if _, err := c.b.w.WriteString(path + "\x00"); err != nil {
			return err
		}
		if err := c.b.w.Flush(); err != nil {
			return err
		}
		var err error
		vals, err = readAttrs(c.b, path, len(c.attrs))
		return err
	})
	if err != nil {
		return nil, err
	}
	return vals, nil
}

// checkAttrPath refuses paths check-attr -z cannot be asked about.
func checkAttrPath(path string) error {
	if path == "" || strings.ContainsRune(path, 0) {
		return fmt.Errorf("check-attr: invalid path %q", path)
	}
	return nil
}

// readAttrs reads check-attr -z's answer for path: n records of "PATH NUL
// ATTR NUL VALUE NUL", one per attribute asked for, in order.
func readAttrs(b *batch, path string, n int) (map[string]string, error) {
	vals := make(map[string]string, n)
	for range n {
		var f [3]string
		for i := range f {
			s, err := b.readLine(0)
			if err != nil {
				return nil, fmt.Errorf("check-attr %s: %w", path, err)
			}
			f[i] = s
		}
		if f[0] != path {
			return nil, fmt.Errorf("check-attr %s: answer is for %q", path, f[0])
		}
		if f[2] != "unspecified" {
			vals[f[1]] = f[2]
		}
	}
	return vals, nil
}

// Close ends the process and waits for it. It is idempotent.
func (c *CheckAttr) Close() error { return c.b.close() }

// CheckAttrPipe is a long-running `git check-attr -z --stdin ATTRS...`
// whose requests and answers are decoupled, as CatFilePipe's: one
// goroutine calls Send, another calls Receive once per Send, in the same
// order, so that no lookup waits for a round trip to git. After an error
// the pipe is unusable; Close it.
type CheckAttrPipe struct {
	p     *pipe
	attrs []string
}

// NewCheckAttrPipe starts check-attr for the named attributes; it lives
// until Close or until ctx is done.
func (r *Repo) NewCheckAttrPipe(ctx context.Context, attrs ...string) (*CheckAttrPipe, error) {
	if len(attrs) == 0 {
		return nil, fmt.Errorf("check-attr: no attributes named")
	}
	p, err := r.startPipe(ctx, "\x00", append([]string{"check-attr", "-z", "--stdin"}, attrs...)...)
	if err != nil {
		return nil, err
	}
	return &CheckAttrPipe{p: p, attrs: attrs}, nil
}

// Send asks for the attributes of path (relative to the work tree top)
// and returns without waiting for the answer.
func (c *CheckAttrPipe) Send(path string) error {
	if err := checkAttrPath(path); err != nil {
		return err
	}
	return c.p.send(path)
}

// Receive reads the answer to the oldest Send not yet received, which was
// for path: the attributes as Check returns them.
func (c *CheckAttrPipe) Receive(path string) (map[string]string, error) {
	vals, err := readAttrs(c.p.b, path, len(c.attrs))
	if err != nil {
		return nil, c.p.fail(err)
	}
	return vals, nil
}

// Close ends git, discarding answers nobody received. It is idempotent
// and must not run concurrently with Send or Receive.
func (c *CheckAttrPipe) Close() error { return c.p.close() }
