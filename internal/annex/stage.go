package annex

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/gitcmd"
)

// stager collects index changes for the work tree and applies them in two
// git processes at the end, however many files a command touches: paths git
// should hash itself (symlinks, files kept in git) go through one
// `update-index --add --stdin`, and entries whose blob we made (pointer
// files) through one `update-index --index-info`. It is safe for concurrent
// use.
//
// A failure because git's index is locked is an *IndexLockedError. The
// blobs are written before the index refers to them, so a process killed
// at any point leaves a valid index.
type stager struct {
	git   *gitcmd.Repo
	mu    sync.Mutex
	paths bytes.Buffer // NUL-terminated paths for update-index --add --stdin
	n     int
	blobs *gitcmd.BlobWriter
	infos []indexInfo
}

type indexInfo struct{ mode, sha, path string }

func (r *Repo) newStager(ctx context.Context) (*stager, error) {
	return &stager{git: r.git.NoFilter()}, nil
}

// addPath stages the work tree file at path as git would `git add` it
// (without our filter: symlinks and small files go to git as they are).
func (s *stager) addPath(path string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paths.WriteString(path)
	s.paths.WriteByte(0)
	s.n++
	return nil
}

// addBlob stages content as the blob of path with the given mode.
func (s *stager) addBlob(ctx context.Context, path, mode string, content []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blobs == nil {
		// The writer lives until flush, beyond the context of the first
		// file: what was ingested is staged even after an interrupt.
		w, err := s.git.NewBlobWriter(context.WithoutCancel(ctx))
		if err != nil {
			return err
		}
		s.blobs = w
	}
	sha, err := s.blobs.Write(ctx, content)
	if err != nil {
		return fmt.Errorf("stage %s: %w", path, err)
	}
	s.infos = append(s.infos, indexInfo{mode: mode, sha: sha, path: path})
	return nil
}

// pending returns how many changes wait for flush.
func (s *stager) pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n + len(s.infos)
}

// updateIndex runs git update-index with in, reporting a locked index as
// an *IndexLockedError.
func (s *stager) updateIndex(ctx context.Context, in *bytes.Buffer, what string, args ...string) error {
	_, err := s.git.RunInput(ctx, in, append([]string{"update-index"}, args...)...)
	if err == nil {
		return nil
	}
	var gerr *gitcmd.Error
	if errors.As(err, &gerr) && strings.Contains(gerr.Stderr, "index.lock") && strings.Contains(gerr.Stderr, "File exists") {
		return &IndexLockedError{Lock: filepath.Join(s.git.GitDir, "index.lock")}
	}
	return fmt.Errorf("stage %s: %w", what, err)
}

// flush applies the collected changes to the index. It is idempotent.
func (s *stager) flush(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blobs != nil {
		if err := s.blobs.Close(); err != nil {
			return fmt.Errorf("stage: write blobs: %w", err)
		}
		s.blobs = nil
	}
	if len(s.infos) > 0 {
		var in bytes.Buffer
		for _, e := range s.infos {
			fmt.Fprintf(&in, "%s %s\t%s\x00", e.mode, e.sha, e.path)
		}
		if err := s.updateIndex(ctx, &in, "annexed files", "-z", "--index-info"); err != nil {
			return err
		}
		s.infos = nil
	}
	if s.n > 0 {
		if err := s.updateIndex(ctx, &s.paths, "files", "--add", "--remove", "-z", "--stdin"); err != nil {
			return err
		}
		s.paths.Reset()
		s.n = 0
	}
	return nil
}

// close discards anything not flushed.
func (s *stager) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blobs != nil {
		_ = s.blobs.Close()
	}
}
