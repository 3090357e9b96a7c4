package gitcmd

import (
	"bufio"
	"bytes"
	"context"
	"iter"
	"strings"
)

// maxRecord is the longest NUL-separated record a stream accepts.
const maxRecord = 64 << 20

// Records runs git with args and yields its stdout split at NUL bytes, as it
// arrives; the output is never held whole. The yielded slice is valid only
// until the next iteration. Stopping the iteration early kills git. A failure
// (including git's exit status) is yielded last as an *Error.
func (r *Repo) Records(ctx context.Context, args ...string) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		cmd := r.command(ctx, args)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err == nil {
			err = cmd.Start()
		}
		if err != nil {
			yield(nil, &Error{Args: args, Err: err})
			return
		}
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), maxRecord)
		sc.Split(splitNUL)
		for sc.Scan() {
			if !yield(sc.Bytes(), nil) {
				cancel()
				_ = cmd.Wait() // killed on purpose; its status says nothing
				return
			}
		}
		scanErr := sc.Err()
		if err := cmd.Wait(); err != nil {
			yield(nil, &Error{Args: args, Stderr: strings.TrimSpace(stderr.String()), Err: err})
			return
		}
		if scanErr != nil {
			yield(nil, &Error{Args: args, Err: scanErr})
		}
	}
}

// splitNUL is a bufio.SplitFunc for NUL-terminated records. A final record
// without a terminator is returned as well.
func splitNUL(data []byte, atEOF bool) (advance int, token []byte, err error) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// LsFiles yields the paths `git ls-files -z ARGS...` prints.
func (r *Repo) LsFiles(ctx context.Context, args ...string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for rec, err := range r.Records(ctx, append([]string{"ls-files", "-z"}, args...)...) {
			if !yield(string(rec), err) || err != nil {
				return
			}
		}
	}
}

// IndexEntry is one line of `git ls-files --stage`.
type IndexEntry struct {
	Mode  string // octal, e.g. "100644", "120000", "160000"
	SHA   string
	Stage int // 0 when merged, 1-3 during a conflict
	Path  string
}

// LsFilesStage yields the entries `git ls-files --stage -z ARGS...` prints.
func (r *Repo) LsFilesStage(ctx context.Context, args ...string) iter.Seq2[IndexEntry, error] {
	return parsed(r.Records(ctx, append([]string{"ls-files", "--stage", "-z"}, args...)...), ParseIndexEntry)
}

// TreeEntry is one line of `git ls-tree`.
type TreeEntry struct {
	Mode string // octal, e.g. "100644", "040000"
	Type string // "blob", "tree" or "commit"
	SHA  string
	Path string
}

// LsTree yields every blob (recursively) of treeish, limited to paths when
// given, as `git ls-tree -r -z` prints them. Paths are relative to the top.
func (r *Repo) LsTree(ctx context.Context, treeish string, paths ...string) iter.Seq2[TreeEntry, error] {
	args := append([]string{"ls-tree", "-r", "-z", "--full-tree", treeish, "--"}, paths...)
	return parsed(r.Records(ctx, args...), ParseTreeEntry)
}

// parsed maps records through parse, stopping at the first error.
func parsed[T any](recs iter.Seq2[[]byte, error], parse func([]byte) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for rec, err := range recs {
			var v T
			if err == nil {
				v, err = parse(rec)
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}
