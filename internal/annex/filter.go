package annex

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/pointer"
	"github.com/troveproject/trove/internal/worktree/filter"
)

// Filter is the annex clean/smudge filter git runs for files with the
// filter=annex attribute (unlocked files). It implements filter.Handler.
//
// Clean decides as git-annex does: content that is already a pointer passes
// through; a file whose index entry is annexed is annexed again; a file git
// tracks as content stays in git; a new file is annexed only when
// annex.largefiles (git config, attribute or config.log) says it is large
// and annex.gitaddtoannex is on. Smudge writes the content of a pointer
// whose object is present, and passes anything else through.
type Filter struct {
	r *Repo

	mu     sync.Mutex
	lf     *largeFiles
	index  *gitcmd.CatFile // reads index entries as ":path"
	inodes *inodeCache     // unlocked files known unmodified
}

// NewFilter returns the repository's filter. Close it when done.
func (r *Repo) NewFilter() *Filter { return &Filter{r: r} }

var _ filter.Handler = (*Filter)(nil)

// Clean implements filter.Handler.
func (f *Filter) Clean(ctx context.Context, path string, content io.Reader, out io.Writer) error {
	br := bufio.NewReaderSize(content, pointer.MaxSize+1)
	head, _ := br.Peek(pointer.MaxSize + 1)
	if _, ok := pointer.Parse(head); ok {
		_, err := io.Copy(out, br)
		return err
	}
	if k, ok := f.unchanged(ctx, path); ok {
		_, _ = io.Copy(io.Discard, br)
		_, err := out.Write(pointer.File(k))
		return err
	}
	annexIt, err := f.shouldAnnex(ctx, path)
	if err != nil {
		return err
	}
	if !annexIt {
		_, err := io.Copy(out, br)
		return err
	}
	// Ingest from the work tree file; the stream is the same bytes.
	_, _ = io.Copy(io.Discard, br)
	before, _ := os.Stat(f.r.paths.Abs(path))
	b, err := f.r.backendFor("")
	if err != nil {
		return err
	}
	k, err := f.r.objects.IngestCopy(ctx, f.r.paths.Abs(path), b, path, f.r.maxExtLen())
	if err != nil {
		return err
	}
	if err := f.r.logPresent(ctx, k); err != nil {
		return err
	}
	f.cleaned(path, k, before)
	_, err = out.Write(pointer.File(k))
	return err
}

// shouldAnnex decides whether clean annexes the file at path.
func (f *Filter) shouldAnnex(ctx context.Context, path string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	obj, found, err := f.readIndex(ctx, path)
	if err != nil {
		return false, err
	}
	if found {
		_, annexed := pointer.Parse(obj.Data)
		return annexed, nil
	}
	if !f.r.cfg.GitAddToAnnex {
		return false, nil
	}
	if f.lf == nil {
		lf, err := f.r.newLargeFiles(ctx, false, false)
		if err != nil {
			return false, err
		}
		f.lf = lf
	}
	if !f.lf.configured(ctx, path) {
		return false, nil
	}
	fi, err := os.Stat(f.r.paths.Abs(path))
	if err != nil {
		return false, nil
	}
	return f.lf.isLarge(ctx, path, fi.Size())
}

// readIndex reads the index entry of path. Callers hold f.mu.
func (f *Filter) readIndex(ctx context.Context, path string) (gitcmd.Object, bool, error) {
	if f.index == nil {
		c, err := f.r.git.NoFilter().NewCatFile(context.WithoutCancel(ctx))
		if err != nil {
			return gitcmd.Object{}, false, err
		}
		f.index = c
	}
	return f.index.Read(ctx, ":"+path)
}

// Smudge implements filter.Handler.
func (f *Filter) Smudge(ctx context.Context, path string, content io.Reader, out io.Writer) error {
	br := bufio.NewReaderSize(content, pointer.MaxSize+1)
	head, _ := br.Peek(pointer.MaxSize + 1)
	k, ok := pointer.Parse(head)
	if !ok {
		_, err := io.Copy(out, br)
		return err
	}
	obj, present, err := f.r.objects.Find(k)
	if err != nil || !present {
		_, err := io.Copy(out, br)
		return err
	}
	src, err := os.Open(obj)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			_, err := io.Copy(out, bytes.NewReader(head))
			return err
		}
		return fmt.Errorf("smudge %s: %w", path, err)
	}
	defer src.Close()
	_, err = io.Copy(out, src)
	return err
}

// Close stops the filter's git processes.
func (f *Filter) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lf != nil {
		f.lf.close()
	}
	if f.index != nil {
		return f.index.Close()
	}
	return nil
}
