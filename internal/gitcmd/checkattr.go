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
	if path == "" || strings.ContainsRune(path, 0) {
		return nil, fmt.Errorf("check-attr: invalid path %q", path)
	}
	vals := make(map[string]string, len(c.attrs))
	err := c.b.do(ctx, func() error {
		if _, err := c.b.w.WriteString(path + "\x00"); err != nil {
			return err
		}
		if err := c.b.w.Flush(); err != nil {
			return err
		}
		for range c.attrs {
			var f [3]string
			for i := range f {
				s, err := c.b.readLine(0)
				if err != nil {
					return fmt.Errorf("check-attr %s: %w", path, err)
				}
				f[i] = s
			}
			if f[2] != "unspecified" {
				vals[f[1]] = f[2]
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return vals, nil
}

// Close ends the process and waits for it. It is idempotent.
func (c *CheckAttr) Close() error { return c.b.close() }
