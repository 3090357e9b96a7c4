package directory

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// contentID is git-annex's content identifier of a file in a directory
// remote: its InodeCache as git-annex shows one, "inode size seconds
// fraction" (inode 0 with ignoreinodes=yes), where the fraction is the
// digits after the decimal point of the mtime with trailing zeros
// dropped ("05" for 0.05 s; empty for a whole second, leaving a trailing
// space, as git-annex writes it).
func (r *Remote) contentID(fi fs.FileInfo) remote.ContentID {
	var ino uint64
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && !r.IgnoreInodes() {
		ino = st.Ino
	}
	mt := fi.ModTime()
	frac := strings.TrimRight(fmt.Sprintf("%09d", mt.Nanosecond()), "0")
	return remote.ContentID(fmt.Sprintf("%d %d %d %s", ino, fi.Size(), mt.Unix(), frac))
}

// idStamp is a parsed content identifier: the values git-annex compares.
type idStamp struct {
	ino, size, sec uint64
	nanos          int
}

// parseID parses a content identifier as git-annex reads one: the
// fraction is the digits after the decimal point of the mtime.
func parseID(id remote.ContentID) (idStamp, bool) {
	f := strings.Split(string(id), " ")
	if len(f) < 3 {
		return idStamp{}, false
	}
	var st idStamp
	var err error
	if st.ino, err = strconv.ParseUint(f[0], 10, 64); err != nil {
		return idStamp{}, false
	}
	if st.size, err = strconv.ParseUint(f[1], 10, 64); err != nil {
		return idStamp{}, false
	}
	if st.sec, err = strconv.ParseUint(f[2], 10, 64); err != nil {
		return idStamp{}, false
	}
	if len(f) > 3 && f[3] != "" {
		d := f[3]
		if len(d) > 9 || strings.Trim(d, "0123456789") != "" {
			return idStamp{}, false
		}
		st.nanos, _ = strconv.Atoi(d + strings.Repeat("0", 9-len(d)))
	}
	return st, true
}

// sameID reports whether two content identifiers name the same version
// of a file, comparing values as git-annex does rather than text.
func sameID(a, b remote.ContentID) bool {
	if a == b {
		return true
	}
	sa, oka := parseID(a)
	sb, okb := parseID(b)
	return oka && okb && sa == sb
}

// containsID reports whether ids holds one naming the version id names.
func containsID(ids []remote.ContentID, id remote.ContentID) bool {
	return slices.ContainsFunc(ids, func(c remote.ContentID) bool { return sameID(c, id) })
}

// isTempName reports whether a file name is one an export writes while
// uploading or renaming (Trove's or git-annex's), never imported.
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".trove-tmp-") || remote.IsTempExportName(name)
}

// ListImportable implements remote.Importer: every regular file under
// the directory, except temporary names of exports.
func (r *Remote) ListImportable(ctx context.Context) ([]remote.ImportableFile, error) {
	if err := r.checkDir(); err != nil {
		return nil, err
	}
	var out []remote.ImportableFile
	err := filepath.WalkDir(r.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("list %s: %w", p, err)
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if !d.Type().IsRegular() || isTempName(d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(r.dir, p)
		if err != nil {
			return err
		}
		loc, err := remote.NewExportLocation(filepath.ToSlash(rel))
		if err != nil {
			return nil // not a name a tree can hold
		}
		fi, err := d.Info()
		if err != nil {
			return fmt.Errorf("list %s: %w", p, err)
		}
		out = append(out, remote.ImportableFile{Loc: loc, CID: r.contentID(fi), Size: fi.Size()})
		return nil
	})
	return out, err
}

// changed is the error for a file that is not the version cid names.
func changed(loc remote.ExportLocation, dir string) error {
	return fmt.Errorf("%s in %s changed while being imported (import again): %w", loc, dir, remote.ErrContentChanged)
}

// RetrieveImport implements remote.Importer: the file is copied when its
// content identifier is cid, and the identifier is checked again after
// the copy.
func (r *Remote) RetrieveImport(ctx context.Context, loc remote.ExportLocation, cid remote.ContentID, dst remote.Sink, m progress.Meter) error {
	p := r.exportPath(loc)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is no longer in %s: %w", loc, r.dir, remote.ErrNotPresent)
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", p, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("import %s: %w", p, err)
	}
	if !sameID(r.contentID(fi), cid) {
		return changed(loc, r.dir)
	}
	m.SetTotal(fi.Size())
	if err := dst.Restart(); err != nil {
		return err
	}
	if err := copyStream(ctx, dst, f, m); err != nil {
		return fmt.Errorf("import %s: %w", p, err)
	}
	if fi, err := f.Stat(); err != nil || !sameID(r.contentID(fi), cid) {
		return changed(loc, r.dir)
	}
	return nil
}

// currentID returns the content identifier of the file at loc, "" when
// there is none.
func (r *Remote) currentID(loc remote.ExportLocation) (remote.ContentID, error) {
	fi, err := os.Stat(r.exportPath(loc))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", r.checkDir()
	case err != nil:
		return "", fmt.Errorf("stat %s in %s: %w", loc, r.dir, err)
	case !fi.Mode().IsRegular():
		return "", fmt.Errorf("%s in %s is not a file", loc, r.dir)
	}
	return r.contentID(fi), nil
}

// StoreExportWithContentID implements remote.Importer: the file at loc is
// replaced only when it is one of the versions in overwritable.
func (r *Remote) StoreExportWithContentID(ctx context.Context, src remote.Source, k key.Key, loc remote.ExportLocation, overwritable []remote.ContentID, m progress.Meter) (remote.ContentID, error) {
	cur, err := r.currentID(loc)
	if err != nil {
		return "", err
	}
	if cur != "" && !containsID(overwritable, cur) {
		return "", fmt.Errorf("not overwriting %s in %s, which was changed there (import it first): %w", loc, r.dir, remote.ErrContentChanged)
	}
	if err := r.StoreExport(ctx, src, k, loc, m); err != nil {
		return "", err
	}
	return r.currentID(loc)
}

// RemoveExportWithContentID implements remote.Importer.
func (r *Remote) RemoveExportWithContentID(ctx context.Context, k key.Key, loc remote.ExportLocation, removable []remote.ContentID) error {
	cur, err := r.currentID(loc)
	if err != nil || cur == "" {
		return err
	}
	if !containsID(removable, cur) {
		return fmt.Errorf("not removing %s from %s, which was changed there (import it first): %w", loc, r.dir, remote.ErrContentChanged)
	}
	return r.RemoveExport(ctx, k, loc)
}

// CheckPresentExportWithContentID implements remote.Importer.
func (r *Remote) CheckPresentExportWithContentID(ctx context.Context, k key.Key, loc remote.ExportLocation, cids []remote.ContentID) (bool, error) {
	cur, err := r.currentID(loc)
	return cur != "" && containsID(cids, cur), err
}

// RemoveExportDirectoryWhenEmpty implements remote.Importer.
func (r *Remote) RemoveExportDirectoryWhenEmpty(ctx context.Context, dir remote.ExportLocation) error {
	r.removeEmptyDir(dir)
	return nil
}

var _ remote.Importer = (*Remote)(nil)
