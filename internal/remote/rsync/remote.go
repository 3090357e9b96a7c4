package rsync

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/sshcmd"
	"github.com/troveproject/trove/internal/uuid"
)

// Options are an rsync remote's settings.
type Options struct {
	// URL is where content goes (rsyncurl=).
	URL URL
	// Options are passed to every rsync run (annex-rsync-options);
	// UploadOptions and DownloadOptions only to stores and retrieves.
	Options, UploadOptions, DownloadOptions []string
	// Transport is the remote shell command for host:path URLs
	// (annex-rsync-transport), e.g. ["ssh", "-F", "cfg"]; empty for
	// rsync's default.
	Transport []string
	// NoShellEscape turns off the shell quoting of remote-shell paths:
	// shellescape=no, or an rsync that protects its arguments itself
	// (ProtectsArgs), as git-annex decides.
	NoShellEscape bool
	// TmpDir is where scratch trees are built; it must be on the same
	// file system as the content stored, so that it can be hard-linked.
	TmpDir string
	// Program is the rsync binary; "" means "rsync" from PATH.
	Program string
}

// Remote is an rsync special remote. It is safe for concurrent use: each
// operation runs its own rsync process with its own scratch directory.
type Remote struct {
	name string
	uuid uuid.UUID
	cost float64
	o    Options
	seq  atomic.Int64
}

// New returns the rsync remote p describes. It does no I/O.
func New(p remote.Params, o Options) *Remote {
	cost := p.Cost
	if cost == 0 {
		cost = remote.ExpensiveCost
	}
	return &Remote{name: p.Name, uuid: p.UUID, cost: cost, o: o}
}

// Name implements remote.Remote.
func (r *Remote) Name() string { return r.name }

// UUID implements remote.Remote.
func (r *Remote) UUID() uuid.UUID { return r.uuid }

// Cost implements remote.Remote.
func (r *Remote) Cost() float64 { return r.cost }

// scratch makes a new empty scratch directory and returns it with the
// function that removes it.
func (r *Remote) scratch() (string, func(), error) {
	d := filepath.Join(r.o.TmpDir, "rsynctmp", strconv.Itoa(os.Getpid())+"."+strconv.FormatInt(r.seq.Add(1), 10))
	_ = os.RemoveAll(d)
	if err := os.MkdirAll(d, 0o777); err != nil {
		return "", nil, fmt.Errorf("rsync scratch directory: %w", err)
	}
	return d, func() { _ = os.RemoveAll(d) }, nil
}

// Store implements remote.Remote: a scratch tree <hashDirLower>/<keyFile>/
// <keyFile> holding the content (hard-linked when possible) is sent with
// --recursive --partial --partial-dir=.rsync-partial, so the content
// appears under its final name only when complete.
func (r *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	f := k.File()
	if err := r.send(ctx, path.Join(strings.TrimSuffix(k.HashDirLower(), "/"), f, f), src, m); err != nil {
		return fmt.Errorf("store %s to %s: %w", k, r.o.URL, err)
	}
	return nil
}

// send puts src's content at rel (a '/'-separated path) under the URL: a
// scratch tree holding it at rel (hard-linked when possible) is sent with
// --recursive --partial --partial-dir=.rsync-partial, so the content
// appears under its final name only when complete.
func (r *Remote) send(ctx context.Context, rel string, src remote.Source, m progress.Meter) error {
	tmp, done, err := r.scratch()
	if err != nil {
		return err
	}
	defer done()
	dest := filepath.Join(tmp, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dest), 0o777); err != nil {
		return err
	}
	size, err := stage(src, dest)
	if err != nil {
		return err
	}
	m.SetTotal(size)
	args := append(r.common(r.o.UploadOptions), "--progress", "--recursive", "--partial", "--partial-dir=.rsync-partial", tmp+"/", string(r.o.URL))
	_, err = r.run(ctx, args, meterWriter(m))
	return err
}

// stage puts src's bytes at dest: a hard link of a whole file, else a
// copy with the source file's mode. It returns the content's size.
func stage(src remote.Source, dest string) (int64, error) {
	fi, err := os.Stat(src.Path)
	if err != nil {
		return 0, err
	}
	if src.Whole() {
		if err := os.Link(src.Path, dest); err == nil {
			return fi.Size(), nil
		}
	}
	in, err := src.Open()
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// Retrieve implements remote.Remote with rsync --inplace into the sink's
// file, which resumes an interrupted download; the sink re-reads the file.
func (r *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	if k.HasSize {
		m.SetTotal(k.Size)
	}
	var firstErr error
	for _, u := range r.o.URL.locations(k, !r.o.NoShellEscape) {
		args := append(r.common(r.o.DownloadOptions), "--progress", "--inplace", u, dst.Path())
		code, err := r.run(ctx, args, meterWriter(m))
		if err == nil {
			return nil
		}
		if code != exitPartial {
			return fmt.Errorf("retrieve %s from %s: %w (run the command again to resume)", k, r.o.URL, err)
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return fmt.Errorf("retrieve %s from %s: %w: %w", k, r.o.URL, remote.ErrNotPresent, firstErr)
}

// CheckPresent implements remote.Remote by listing each location: rsync's
// "some files could not be transferred" (the file is missing) means
// absent, any other failure means presence is unknown.
func (r *Remote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	for _, u := range r.o.URL.locations(k, !r.o.NoShellEscape) {
		code, err := r.run(ctx, append(r.common(nil), u), nil)
		switch {
		case err == nil:
			return true, nil
		case code != exitPartial:
			return false, fmt.Errorf("check %s on %s: %w: %w", k, r.o.URL, remote.ErrUnavailable, err)
		}
	}
	return false, nil
}

// Remove implements remote.Remote: an empty directory is sent with
// --delete and include rules matching only k's directories (both
// layouts), as git-annex does. An absent key is not an error.
func (r *Remote) Remove(ctx context.Context, k key.Key) error {
	tmp, done, err := r.scratch()
	if err != nil {
		return err
	}
	defer done()
	empty := filepath.Join(tmp, k.File())
	if err := os.Mkdir(empty, 0o777); err != nil {
		return fmt.Errorf("remove %s: %w", k, err)
	}
	args := append(r.common(nil), removeIncludes(k)...)
	args = append(args, "--exclude=*", "--quiet", "--delete", "--recursive", "--partial", "--partial-dir=.rsync-partial", empty+"/", string(r.o.URL))
	if _, err := r.run(ctx, args, nil); err != nil {
		return fmt.Errorf("remove %s from %s: %w", k, r.o.URL, err)
	}
	return nil
}

// common returns the transport and user options, then extra.
func (r *Remote) common(extra []string) []string {
	var args []string
	if len(r.o.Transport) > 0 && r.o.URL.IsShell() {
		args = append(args, "-e", joinShell(r.o.Transport))
	}
	args = append(args, r.o.Options...)
	return append(args, extra...)
}

// joinShell joins a command's words for rsync's -e, quoting those that
// need it.
func joinShell(words []string) string {
	s := ""
	for i, w := range words {
		if i > 0 {
			s += " "
		}
		if w == "" || containsAny(w, " \t'\"\\$`") {
			w = sshcmd.ShellQuote(w)
		}
		s += w
	}
	return s
}

func containsAny(s, chars string) bool {
	for _, c := range s {
		for _, d := range chars {
			if c == d {
				return true
			}
		}
	}
	return false
}

// meterWriter turns rsync's progress output into meter updates.
func meterWriter(m progress.Meter) io.Writer {
	var last int64
	return &progressParser{report: func(done int64) {
		if done > last {
			m.Add(done - last)
			last = done
		} else if done < last { // next file: not expected, restart counting
			last = done
		}
	}}
}

// Availability implements remote.Availabler: a local path is reachable
// from this machine only.
func (r *Remote) Availability() remote.Availability {
	if r.o.URL.IsLocal() {
		return remote.LocallyAvailable
	}
	return remote.GloballyAvailable
}

// Type implements remote.InfoReporter.
func (r *Remote) Type() string { return "rsync" }

// Info implements remote.InfoReporter with git-annex's "url" line.
func (r *Remote) Info() []remote.InfoField {
	return []remote.InfoField{{Name: "url", Value: string(r.o.URL)}}
}

var (
	_ remote.Remote       = (*Remote)(nil)
	_ remote.Availabler   = (*Remote)(nil)
	_ remote.InfoReporter = (*Remote)(nil)
)
