package annex

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
)

// variantMarker marks the files a resolved merge conflict leaves.
const variantMarker = ".variant-"

// VariantFile returns the name git-annex gives the version of file whose
// key is k when a merge conflict is resolved by keeping both versions:
// "dir/name.variant-XXXX.ext", XXXX the first four hex digits of the MD5
// of the key. A file that already is a variant gets the whole escaped key
// instead, so that repeated conflicts cannot collide.
func VariantFile(file string, k key.Key) string {
	dir, base := path.Split(file)
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	var v string
	if strings.Contains(file, variantMarker) {
		v = k.File()
	} else {
		sum := md5.Sum([]byte(k.String()))
		v = hex.EncodeToString(sum[:])[:4]
	}
	return dir + stem + variantMarker + v + ext
}

// conflictSide is one side of a conflicted path in the index.
type conflictSide struct {
	entry gitcmd.IndexEntry
	key   key.Key
	ok    bool // the side is an annexed file
}

func (c conflictSide) present() bool { return c.entry.SHA != "" }
func (c conflictSide) locked() bool  { return c.entry.Mode == "120000" }

// conflict is a path git left unmerged: stage 2 ("us") and 3 ("them").
type conflict struct {
	path     string
	us, them conflictSide
}

// resolveMerge resolves the conflicts of a failed merge the way git-annex
// does (Annex/AutoMerge.hs): when both sides are annexed files with
// different keys, both are kept as variant files; with the same key the
// file is kept; when one side is annexed, the other side keeps the name
// and the annexed one becomes a variant. Conflicts where neither side is
// annexed are left for the user. Files deleted in the work tree are
// removed from the index. It reports whether anything was resolved; the
// caller commits.
func (r *Repo) resolveMerge(ctx context.Context) (bool, error) {
	conflicts, err := r.unmerged(ctx)
	if err != nil || len(conflicts) == 0 {
		return false, err
	}
	if err := r.conflictKeys(ctx, conflicts); err != nil {
		return false, err
	}
	var resolved []conflict
	for _, c := range conflicts {
		if c.us.ok || c.them.ok {
			resolved = append(resolved, *c)
		}
	}
	if len(resolved) > 0 {
		if err := r.stageResolutions(ctx, resolved); err != nil {
			return false, err
		}
	}
	if err := r.removeDeleted(ctx); err != nil {
		return false, err
	}
	return len(resolved) > 0, nil
}

// unmerged lists the conflicted paths of the index, in index order.
func (r *Repo) unmerged(ctx context.Context) ([]*conflict, error) {
	var out []*conflict
	byPath := map[string]*conflict{}
	for e, err := range r.git.LsFilesStage(ctx, "--unmerged") {
		if err != nil {
			return nil, fmt.Errorf("list merge conflicts: %w", err)
		}
		c := byPath[e.Path]
		if c == nil {
			c = &conflict{path: e.Path}
			byPath[e.Path] = c
			out = append(out, c)
		}
		switch e.Stage {
		case 2:
			c.us.entry = e
		case 3:
			c.them.entry = e
		}
	}
	return out, nil
}

// conflictKeys learns which sides of the conflicts are annexed files.
func (r *Repo) conflictKeys(ctx context.Context, conflicts []*conflict) error {
	cat, err := r.git.NewCatFile(ctx)
	if err != nil {
		return err
	}
	defer cat.Close()
	for _, c := range conflicts {
		for _, side := range []*conflictSide{&c.us, &c.them} {
			if !side.present() || side.entry.Mode == "160000" {
				continue
			}
			obj, found, err := cat.Read(ctx, side.entry.SHA)
			if err != nil {
				return fmt.Errorf("read conflicted %s: %w", c.path, err)
			}
			if !found {
				continue
			}
			if side.locked() {
				side.key, side.ok = pointer.ParseLink(string(obj.Data))
			} else {
				side.key, side.ok = pointer.Parse(obj.Data)
			}
		}
	}
	return nil
}

// resolution is a file a resolved conflict leaves in the index and tree.
type resolution struct {
	path string
	mode string
	sha  string // blob to stage; "" for an annexed file (computed)
	k    key.Key
}

// stageResolutions takes the resolved paths out of the index, writes and
// stages the files that replace them, and removes the conflict's leftovers
// from the work tree.
func (r *Repo) stageResolutions(ctx context.Context, resolved []conflict) error {
	var files []resolution
	for _, c := range resolved {
		switch {
		case c.us.ok && c.them.ok && c.us.key != c.them.key:
			files = append(files, variant(c.path, c.us), variant(c.path, c.them))
		case c.us.ok && c.them.ok:
			mode := c.us.entry.Mode
			if c.us.locked() != c.them.locked() {
				mode = "100644"
			}
			files = append(files, resolution{path: c.path, mode: mode, k: c.us.key})
		case c.us.ok:
			files = append(files, graft(c.path, c.them), variant(c.path, c.us))
		default:
			files = append(files, graft(c.path, c.us), variant(c.path, c.them))
		}
	}
	paths := make([]string, len(resolved))
	for i, c := range resolved {
		paths[i] = c.path
	}
	if _, err := r.git.Run(ctx, append([]string{"rm", "--quiet", "-f", "--cached", "--"}, paths...)...); err != nil {
		return fmt.Errorf("unstage conflicted files: %w", err)
	}
	// What git left at the conflicted paths is replaced (or, when nothing
	// keeps the name, removed), as git-annex's cleanConflictCruft does.
	for _, p := range paths {
		if err := os.Remove(filepath.Join(r.git.Top, filepath.FromSlash(p))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove conflicted %s: %w", p, err)
		}
	}
	return r.writeResolutions(ctx, files)
}

// variant is the variant file of an annexed side.
func variant(p string, side conflictSide) resolution {
	return resolution{path: VariantFile(p, side.key), mode: side.entry.Mode, k: side.key}
}

// graft keeps a side that is not an annexed file (or nothing, when that
// side deleted it) at its path.
func graft(p string, side conflictSide) resolution {
	return resolution{path: p, mode: side.entry.Mode, sha: side.entry.SHA}
}

// writeResolutions writes the files to the work tree and stages them.
func (r *Repo) writeResolutions(ctx context.Context, files []resolution) error {
	blobs, err := r.git.NewBlobWriter(ctx)
	if err != nil {
		return err
	}
	defer blobs.Close()
	cat, err := r.git.NewCatFile(ctx)
	if err != nil {
		return err
	}
	defer cat.Close()
	type staged struct{ mode, sha, path string }
	var stage []staged
	for _, f := range files {
		if f.sha == "" && f.mode == "" {
			continue // the other side deleted the file
		}
		var content []byte
		switch {
		case f.sha != "":
			obj, found, err := cat.Read(ctx, f.sha)
			if err != nil || !found {
				return fmt.Errorf("read %s of %s: %w", f.sha, f.path, errors.Join(err, fs.ErrNotExist))
			}
			content = obj.Data
		case f.mode == "120000":
			content = []byte(pointer.LinkTarget(f.path, f.k, r.objects.HashDir(f.k)))
		default:
			content = pointer.File(f.k)
		}
		if err := writeWorktreeFile(filepath.Join(r.git.Top, filepath.FromSlash(f.path)), f.mode, content); err != nil {
			return err
		}
		sha := f.sha
		if sha == "" {
			if sha, err = blobs.Write(ctx, content); err != nil {
				return err
			}
		}
		stage = append(stage, staged{f.mode, sha, f.path})
	}
	if err := blobs.Flush(ctx); err != nil {
		return err
	}
	ui, err := r.git.NewUpdateIndex(ctx)
	if err != nil {
		return err
	}
	for _, s := range stage {
		if err := ui.Add(ctx, s.mode, s.sha, s.path); err != nil {
			ui.Close()
			return err
		}
	}
	if err := ui.Close(); err != nil {
		return fmt.Errorf("stage resolved merge: %w", err)
	}
	return nil
}

// writeWorktreeFile replaces the file at abs with a symlink (mode 120000)
// or a regular file with content.
func writeWorktreeFile(abs, mode string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(abs), 0o777); err != nil {
		return fmt.Errorf("write %s: %w", abs, err)
	}
	if err := os.Remove(abs); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("replace %s: %w", abs, err)
	}
	if mode == "120000" {
		if err := os.Symlink(string(content), abs); err != nil {
			return fmt.Errorf("write %s: %w", abs, err)
		}
		return nil
	}
	perm := fs.FileMode(0o666)
	if mode == "100755" {
		perm = 0o777
	}
	if err := os.WriteFile(abs, content, perm); err != nil {
		return fmt.Errorf("write %s: %w", abs, err)
	}
	return nil
}

// removeDeleted removes from the index the files a merge deleted from the
// work tree (`git rm` of `ls-files --deleted`).
func (r *Repo) removeDeleted(ctx context.Context) error {
	var deleted []string
	for p, err := range r.git.LsFiles(ctx, "--deleted") {
		if err != nil {
			return fmt.Errorf("list deleted files: %w", err)
		}
		deleted = append(deleted, p)
	}
	if len(deleted) == 0 {
		return nil
	}
	if _, err := r.git.Run(ctx, append([]string{"rm", "--quiet", "-f", "--"}, deleted...)...); err != nil {
		return fmt.Errorf("remove deleted files from the index: %w", err)
	}
	return nil
}
