package objectstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/key"
)

// Keys yields every key whose content is present, in git-annex's listing
// order (hash directories in the reverse of the order readdir returns them,
// keys within one in readdir order), each once even if it is stored under both hash schemes. Files and
// directories that are not objects (stray files, .lck files, unparsable
// names, empty key directories) are skipped. An error reading a directory is
// yielded with a zero key and iteration continues; a cancelled ctx ends it
// with ctx's error. A missing objects directory yields nothing.
func (s *Store) Keys(ctx context.Context) iter.Seq2[key.Key, error] {
	return func(yield func(key.Key, error) bool) {
		s.walkKeys(ctx, s.objects, "", 0, yield)
	}
}

// walkKeys visits dir, at hash depth depth with relative hash path rel
// ("J7/0G/"); it returns false when the consumer stopped.
func (s *Store) walkKeys(ctx context.Context, dir, rel string, depth int, yield func(key.Key, error) bool) bool {
	if err := ctx.Err(); err != nil {
		yield(key.Key{}, err)
		return false
	}
	ents, err := readDirUnsorted(dir, depth < 2)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			// No objects yet, or a hash directory a drop removed
			// since its parent was listed: nothing in it.
			return true
		}
		return yield(key.Key{}, fmt.Errorf("list objects: %w", err))
	}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		if depth > 0 {
			if k, err := key.FromFile(name); err == nil {
				if s.isCanonicalLocation(k, rel, filepath.Join(dir, name, name)) && !yield(k, nil) {
					return false
				}
				continue
			}
		}
		if depth < 2 && !strings.HasSuffix(name, ".lck") {
			if !s.walkKeys(ctx, filepath.Join(dir, name), rel+name+"/", depth+1, yield) {
				return false
			}
		}
	}
	return true
}

// isCanonicalLocation reports whether the object file at path, found under
// hash path rel, is present and is where Find would find k's content.
func (s *Store) isCanonicalLocation(k key.Key, rel, path string) bool {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	dirs := s.hashDirs(k)
	for i, d := range dirs {
		if d == rel {
			if i == 0 {
				return true
			}
			found, ok, err := s.Find(k)
			return err == nil && ok && found == path
		}
	}
	return false
}

// readDirUnsorted is os.ReadDir without the sort: entries come in the
// order the file system returns them, or its reverse (git-annex's walk
// of the hash directories concatenates their listings in reverse).
func readDirUnsorted(dir string, reverse bool) ([]os.DirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	if reverse {
		slices.Reverse(ents)
	}
	return ents, err
}
