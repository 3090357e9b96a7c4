package rsync

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/sshcmd"
)

// exportURL is the rsync URL of loc, shell-quoted for remote-shell URLs
// unless shellescape=no, as git-annex does.
func (r *Remote) exportURL(loc remote.ExportLocation) string {
	rel := loc.String()
	if !r.o.NoShellEscape && r.o.URL.IsShell() {
		rel = sshcmd.ShellQuote(rel)
	}
	return strings.TrimSuffix(string(r.o.URL), "/") + "/" + rel
}

// StoreExport implements remote.Exporter: the file is sent in a scratch
// tree holding it at loc, with rsync's partial directory, so a reader
// never sees a partial file at loc.
func (r *Remote) StoreExport(ctx context.Context, src remote.Source, k key.Key, loc remote.ExportLocation, m progress.Meter) error {
	if err := r.send(ctx, loc.String(), src, m); err != nil {
		return fmt.Errorf("export %s to %s: %w", loc, r.o.URL, err)
	}
	return nil
}

// RetrieveExport implements remote.Exporter with rsync into the sink's
// file.
func (r *Remote) RetrieveExport(ctx context.Context, k key.Key, loc remote.ExportLocation, dst remote.Sink, m progress.Meter) error {
	if k.HasSize {
		m.SetTotal(k.Size)
	}
	if err := dst.Restart(); err != nil {
		return err
	}
	args := append(r.common(r.o.DownloadOptions), "--progress", "--inplace", r.exportURL(loc), dst.Path())
	code, err := r.run(ctx, args, meterWriter(m))
	switch {
	case err == nil:
		return nil
	case code == exitPartial:
		return fmt.Errorf("%s is not in the export at %s: %w: %w", loc, r.o.URL, remote.ErrNotPresent, err)
	}
	return fmt.Errorf("retrieve %s from %s: %w", loc, r.o.URL, err)
}

// CheckPresentExport implements remote.Exporter by listing loc: rsync's
// "some files could not be transferred" means absent, any other failure
// means presence is unknown.
func (r *Remote) CheckPresentExport(ctx context.Context, k key.Key, loc remote.ExportLocation) (bool, error) {
	code, err := r.run(ctx, append(r.common(nil), r.exportURL(loc)), nil)
	switch {
	case err == nil:
		return true, nil
	case code == exitPartial:
		return false, nil
	}
	return false, fmt.Errorf("check %s on %s: %w: %w", loc, r.o.URL, remote.ErrUnavailable, err)
}

// RemoveExport implements remote.Exporter: an empty directory is sent
// with --delete and include rules matching only loc and its directories
// (which rsync leaves alone while they hold other files), as git-annex
// does. An absent file is not an error.
func (r *Remote) RemoveExport(ctx context.Context, k key.Key, loc remote.ExportLocation) error {
	if err := r.deleteIncluded(ctx, exportIncludes(loc)); err != nil {
		return fmt.Errorf("unexport %s from %s: %w", loc, r.o.URL, err)
	}
	return nil
}

// RemoveExportDirectory implements remote.Exporter: the directory and
// everything in it are deleted, as git-annex does.
func (r *Remote) RemoveExportDirectory(ctx context.Context, dir remote.ExportLocation) error {
	if err := r.deleteIncluded(ctx, append([]string{"/" + escapeWild(dir.String()) + "/***"}, exportIncludes(dir)...)); err != nil {
		return fmt.Errorf("remove directory %s from %s: %w", dir, r.o.URL, err)
	}
	return nil
}

// RenameExport implements remote.Exporter: rsync cannot rename, so it
// reports supported=false and the caller uploads the file again.
func (r *Remote) RenameExport(ctx context.Context, k key.Key, from, to remote.ExportLocation) (bool, error) {
	return false, nil
}

// exportIncludes are loc and the directories it is in, each anchored at
// the root of the transfer.
func exportIncludes(loc remote.ExportLocation) []string {
	out := []string{"/" + escapePattern(loc.String())}
	for _, d := range loc.Dirs() {
		out = append(out, "/"+escapePattern(d.String()))
	}
	return out
}

// escapePattern makes p match itself only in an rsync filter rule: rsync
// treats a backslash as an escape only in a pattern with a wildcard, so
// wildcards and backslashes are escaped in those.
func escapePattern(p string) string {
	if !strings.ContainsAny(p, "*?[") {
		return p
	}
	return escapeWild(p)
}

// escapeWild escapes p's wildcards and backslashes, for a pattern that
// has (or gets) a wildcard.
func escapeWild(p string) string {
	var b strings.Builder
	for _, c := range p {
		if strings.ContainsRune(`*?[\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// deleteIncluded sends an empty directory with --delete, so that what
// the include patterns match (and nothing else) is deleted.
func (r *Remote) deleteIncluded(ctx context.Context, includes []string) error {
	tmp, done, err := r.scratch()
	if err != nil {
		return err
	}
	defer done()
	empty := filepath.Join(tmp, "empty")
	if err := os.Mkdir(empty, 0o777); err != nil {
		return err
	}
	args := r.common(nil)
	for _, in := range includes {
		args = append(args, "--include="+in)
	}
	args = append(args, "--exclude=*", "--quiet", "--delete", "--recursive", "--partial", "--partial-dir=.rsync-partial", empty+"/", string(r.o.URL))
	_, err = r.run(ctx, args, nil)
	return err
}

var _ remote.Exporter = (*Remote)(nil)
