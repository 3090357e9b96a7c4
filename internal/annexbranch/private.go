package annexbranch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/config"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/uuid"
)

// Private repositories (git-annex's annex.private and
// remote.<name>.annex-private): what the branch would record about them
// goes to .git/annex/journal-private instead, which is never committed.
//
// Reads see the private journal appended to the public content (journal
// entry, else the branch file), as git-annex's getJournalFileStale does;
// the log parsers take the union of the lines. Writes split the new
// content by line: lines that name a private UUID go to the private
// journal, the others to the journal (or, in CommitChanges, straight to
// the branch), so nothing about a private repository is ever committed.
// git-annex writes the whole file to the private journal when a change
// regards a private UUID; both layouts read back the same, by either
// program.

// privateSet is an immutable set of private UUIDs.
type privateSet struct {
	uuids []string
}

// names reports whether line names one of the set's UUIDs.
func (s *privateSet) names(line []byte) bool {
	for _, u := range s.uuids {
		if bytes.Contains(line, []byte(u)) {
			return true
		}
	}
	return false
}

// private returns the current set, nil when no repository is private (then
// reads and writes cost nothing more than without the feature).
func (b *Branch) private() *privateSet {
	return b.privateUUIDs.Load()
}

// AddPrivate marks repositories as private from now on: later changes
// of this Branch keep every line naming one of them out of the branch. It
// is safe for concurrent use and idempotent. Open already marks what the
// git config says is private (annex.private, remote.*.annex-private with
// that remote's annex-uuid); initremote --private adds its new remote.
func (b *Branch) AddPrivate(us ...uuid.UUID) {
	for {
		old := b.privateUUIDs.Load()
		var cur []string
		if old != nil {
			cur = slices.Clone(old.uuids)
		}
		n := len(cur)
		for _, u := range us {
			if !u.IsZero() && !slices.Contains(cur, string(u)) {
				cur = append(cur, string(u))
			}
		}
		if len(cur) == n {
			return
		}
		if b.privateUUIDs.CompareAndSwap(old, &privateSet{uuids: cur}) {
			return
		}
	}
}

// PrivateUUIDs lists the repositories this Branch treats as private, in
// the order they were marked.
func (b *Branch) PrivateUUIDs() []uuid.UUID {
	s := b.private()
	if s == nil {
		return nil
	}
	out := make([]uuid.UUID, len(s.uuids))
	for i, u := range s.uuids {
		out[i] = uuid.UUID(u)
	}
	return out
}

// PrivateFromConfig lists the UUIDs git-annex treats as private in a
// repository with this configuration: its own when annex.private is true,
// and the annex-uuid of each remote whose annex-private is true.
func PrivateFromConfig(cfg *config.Config) []uuid.UUID {
	if cfg == nil || cfg.Git() == nil {
		return nil
	}
	g := cfg.Git()
	var out []uuid.UUID
	if on, err := g.GetBool("annex.private", false); err == nil && on && !cfg.UUID.IsZero() {
		out = append(out, cfg.UUID)
	}
	for _, r := range cfg.Remotes {
		on, err := g.GetBool("remote."+r.Name+".annex-private", false)
		if err == nil && on && !r.UUID.IsZero() {
			out = append(out, r.UUID)
		}
	}
	return out
}

func (b *Branch) privateJournalDir() string { return filepath.Join(b.annexDir, "journal-private") }

// readPrivate returns the private journal entry of path, without a
// trailing partial line.
func (b *Branch) readPrivate(path string) ([]byte, bool, error) {
	data, err := os.ReadFile(filepath.Join(b.privateJournalDir(), journalName(path)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read private journal of %s: %w", path, err)
	}
	if i := lastNL(data); i < len(data)-1 {
		data = data[:i+1]
	}
	return data, true, nil
}

// writePrivate replaces the private journal entry of path atomically; empty
// data removes it. The journal lock must be held.
func (b *Branch) writePrivate(path string, data []byte) error {
	file := filepath.Join(b.privateJournalDir(), journalName(path))
	if len(data) == 0 {
		if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("private journal %s: %w", path, err)
		}
		return nil
	}
	tmp := filepath.Join(b.annexDir, "othertmp")
	for _, d := range []string{b.privateJournalDir(), tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("private journal %s: %w", path, err)
		}
	}
	if err := fsutil.WriteFileAtomic(file, data, filePerm, tmp); err != nil {
		return fmt.Errorf("private journal %s: %w", path, err)
	}
	return nil
}

// listPrivate returns the names of the private journal's entries.
func (b *Branch) listPrivate() (map[string]bool, error) {
	des, err := os.ReadDir(b.privateJournalDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list private journal: %w", err)
	}
	out := make(map[string]bool, len(des))
	for _, de := range des {
		if de.Type().IsRegular() {
			out[de.Name()] = true
		}
	}
	return out, nil
}

// withPrivate appends priv to public content as git-annex concatenates
// them (a public file without a final newline gets one first).
func withPrivate(public, priv []byte) []byte {
	out := make([]byte, 0, len(public)+1+len(priv))
	out = append(out, public...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return append(out, priv...)
}

// SplitPrivate splits log content into the lines that name none of
// private (public) and those that name one (priv), each keeping its
// order. A final line without a newline gets one.
func SplitPrivate(content []byte, private []uuid.UUID) (public, priv []byte) {
	s := &privateSet{}
	for _, u := range private {
		s.uuids = append(s.uuids, string(u))
	}
	return s.split(content)
}

func (s *privateSet) split(content []byte) (public, priv []byte) {
	for line := range strings.Lines(string(content)) {
		l := []byte(line)
		if l[len(l)-1] != '\n' {
			l = append(l, '\n')
		}
		if s.names(l) {
			priv = append(priv, l...)
		} else {
			public = append(public, l...)
		}
	}
	return public, priv
}

// getWithPrivate is Get when some repositories are private.
func (b *Branch) getWithPrivate(ctx context.Context, path string) ([]byte, error) {
	priv, ok, err := b.readPrivate(path)
	if err != nil {
		return nil, err
	}
	public, err := b.getPublic(ctx, path)
	if err != nil || !ok {
		return public, err
	}
	return withPrivate(public, priv), nil
}

// changeWithPrivate is Change when some repositories are private; the
// journal lock is held.
func (b *Branch) changeWithPrivate(ctx context.Context, path string, f func(old []byte) []byte) error {
	public, err := b.getPublic(ctx, path)
	if err != nil {
		return err
	}
	priv, hasPriv, err := b.readPrivate(path)
	if err != nil {
		return err
	}
	old := public
	if hasPriv {
		old = withPrivate(public, priv)
	}
	data := f(old)
	if string(data) == string(old) && old != nil {
		return nil
	}
	newPublic, newPriv := b.private().split(data)
	if string(newPriv) != string(priv) {
		if err := b.writePrivate(path, newPriv); err != nil {
			return err
		}
	}
	if string(newPublic) == string(public) || (len(newPublic) == 0 && public == nil) {
		return nil
	}
	return b.writeJournal(path, newPublic)
}

// applyWithPrivate applies funcs to path's content for CommitChanges, with
// the private journal: public is the current public content. The private
// lines of the result are journalled privately (the journal lock is
// held); the public ones are returned, with whether they differ from
// public.
func (b *Branch) applyWithPrivate(path string, public []byte, funcs []func([]byte) []byte) ([]byte, bool, error) {
	priv, hasPriv, err := b.readPrivate(path)
	if err != nil {
		return nil, false, err
	}
	cur := public
	if hasPriv {
		cur = withPrivate(public, priv)
	}
	old := cur
	for _, f := range funcs {
		cur = f(cur)
	}
	if string(cur) == string(old) {
		return nil, false, nil
	}
	newPublic, newPriv := b.private().split(cur)
	if string(newPriv) != string(priv) {
		if err := b.writePrivate(path, newPriv); err != nil {
			return nil, false, err
		}
	}
	if string(newPublic) == string(public) || (len(newPublic) == 0 && public == nil) {
		return nil, false, nil
	}
	return newPublic, true, nil
}
