package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

const (
	writeBits fs.FileMode = 0o222
	readBits  fs.FileMode = 0o444
	execBits  fs.FileMode = 0o111
)

// FrozenFileMode returns the mode git-annex v10 gives a content file with
// mode m when freezing it: all write bits removed, and read access added for
// the owner (NotShared), owner and group (GroupShared) or everyone
// (AllShared).
func FrozenFileMode(m fs.FileMode, s Shared) fs.FileMode {
	m &^= writeBits
	switch s {
	case GroupShared:
		return m | 0o440
	case AllShared:
		return m | readBits
	default:
		return m | 0o400
	}
}

// ThawedFileMode returns the mode git-annex gives a content file with mode m
// when thawing it: owner write added, or owner and group read and write when
// shared.
func ThawedFileMode(m fs.FileMode, s Shared) fs.FileMode {
	if s == NotShared {
		return m | 0o200
	}
	return m | 0o660
}

// FrozenDirMode returns the mode of a frozen content (key) directory: all
// write bits removed, or, in a shared repository, owner and group read and
// write added instead so that group members can remove content.
func FrozenDirMode(m fs.FileMode, s Shared) fs.FileMode {
	if s == NotShared {
		return m &^ writeBits
	}
	return m | 0o660
}

// AnnexDirMode returns the mode git-annex sets on a directory it creates
// under .git/annex (hash directories, tmp, bad, ...): m unchanged when not
// shared, group read/write/search added for GroupShared, and additionally
// world read/search and owner write for AllShared.
func AnnexDirMode(m fs.FileMode, s Shared) fs.FileMode {
	switch s {
	case GroupShared:
		return m | 0o660 | 0o110
	case AllShared:
		return m | readBits | 0o220 | execBits
	default:
		return m
	}
}

// FreezeFile removes write permission from the content file at path (see
// FrozenFileMode). Symbolic links are followed.
func FreezeFile(path string, s Shared) error {
	return modifyMode(path, func(m fs.FileMode) fs.FileMode { return FrozenFileMode(m, s) })
}

// ThawFile restores write permission on the content file at path (see
// ThawedFileMode).
func ThawFile(path string, s Shared) error {
	return modifyMode(path, func(m fs.FileMode) fs.FileMode { return ThawedFileMode(m, s) })
}

// FreezeDir makes the content directory at path unwritable (see
// FrozenDirMode).
func FreezeDir(path string, s Shared) error {
	return modifyMode(path, func(m fs.FileMode) fs.FileMode { return FrozenDirMode(m, s) })
}

// ThawDir adds owner write permission to the directory at path, as
// git-annex's thawContentDir does whatever the sharing mode.
func ThawDir(path string) error {
	return modifyMode(path, func(m fs.FileMode) fs.FileMode { return m | 0o200 })
}

// MkdirAll creates the directory path and any missing parents, giving each
// directory it creates the AnnexDirMode for s (on top of 0777 minus the
// umask). Directories that already exist are left as they are. It is
// idempotent and safe to race with other creators of the same directories.
func MkdirAll(path string, s Shared) error {
	err := os.Mkdir(path, 0o777)
	switch {
	case err == nil:
		return setAnnexDirMode(path, s)
	case errors.Is(err, fs.ErrExist):
		if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
			return nil
		}
		return fmt.Errorf("mkdir %s: %w", path, err)
	case errors.Is(err, fs.ErrNotExist):
		parent := filepath.Dir(path)
		if parent == path {
			return fmt.Errorf("mkdir %s: %w", path, err)
		}
		if err := MkdirAll(parent, s); err != nil {
			return err
		}
		return MkdirAll(path, s)
	default:
		return fmt.Errorf("mkdir %s: %w", path, err)
	}
}

// Mkdir creates the single directory path with the AnnexDirMode for s. If
// path exists the error wraps fs.ErrExist and nothing is changed.
func Mkdir(path string, s Shared) error {
	if err := os.Mkdir(path, 0o777); err != nil {
		return fmt.Errorf("mkdir %s: %w", path, err)
	}
	return setAnnexDirMode(path, s)
}

func setAnnexDirMode(path string, s Shared) error {
	if s == NotShared {
		return nil
	}
	return modifyMode(path, func(m fs.FileMode) fs.FileMode { return AnnexDirMode(m, s) })
}

// modifyMode applies f to the permission bits of path, skipping the chmod
// when nothing changes.
func modifyMode(path string, f func(fs.FileMode) fs.FileMode) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	old := fi.Mode().Perm()
	if m := f(old); m != old {
		if err := os.Chmod(path, m|fi.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
			return fmt.Errorf("chmod %s: %w", path, err)
		}
	}
	return nil
}
