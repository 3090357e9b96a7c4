package annex

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"syscall"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
)

// AnnexedFile is a file whose index entry refers to annexed content: a
// symlink (locked) or a pointer file (unlocked).
type AnnexedFile struct {
	Path     string  // relative to the work tree top
	Key      key.Key // the content it refers to
	Unlocked bool
	// Input is the command-line input the file was found through.
	Input string

	// locationLog is the key's location log, read ahead by
	// FilesWithLocations (hasLocationLog).
	locationLog    []byte
	hasLocationLog bool
}

// FilesOptions selects the annexed files a command works on.
type FilesOptions struct {
	// Inputs are paths relative to the top; none means the whole tree.
	Inputs []string
}

// Files calls fn for every annexed file under opts.Inputs, in index order,
// from the calling goroutine. An input that names nothing in the index or
// the work tree is reported to fn as a *NotFoundError in place of a file,
// so commands can report it and go on. Files in git (not annexed) are
// skipped. An error from fn stops the enumeration and is returned.
func (r *Repo) Files(ctx context.Context, opts FilesOptions, fn func(AnnexedFile, error) error) error {
	inputs := opts.Inputs
	if len(inputs) == 0 {
		inputs = []string{"."}
	}
	look, err := r.newKeyLookup(ctx)
	if err != nil {
		return err
	}
	defer look.close()
	for _, in := range inputs {
		found := false
		for e, err := range r.git.LsFilesStage(ctx, "--", in) {
			if err != nil {
				return err
			}
			found = true
			if e.Stage > 1 {
				continue // one entry per conflicted path
			}
			f, ok, err := look.lookup(ctx, e)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			f.Input = in
			if err := fn(f, nil); err != nil {
				return err
			}
		}
		if !found {
			if _, err := os.Lstat(r.paths.Abs(in)); errors.Is(err, fs.ErrNotExist) {
				if err := fn(AnnexedFile{Path: in, Input: in}, &NotFoundError{Path: in}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// indexFiles calls fn for the annexed files among the given index paths.
func (r *Repo) indexFiles(ctx context.Context, paths []string, fn func(AnnexedFile) error) error {
	look, err := r.newKeyLookup(ctx)
	if err != nil {
		return err
	}
	defer look.close()
	for e, err := range r.git.LsFilesStage(ctx, append([]string{"--"}, paths...)...) {
		if err != nil {
			return err
		}
		f, ok, err := look.lookup(ctx, e)
		if err != nil {
			return err
		}
		if ok {
			if err := fn(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// keyLookup finds the key an index entry refers to, reading the work tree
// symlink where it can (cheap) and the blob through long-running cat-file
// processes otherwise.
type keyLookup struct {
	r     *Repo
	check *gitcmd.CatFileCheck
	cat   *gitcmd.CatFile
	link  []byte // readlink buffer
}

// readlink returns the target of the symlink at path in one system call
// (os.Readlink starts with a buffer too small for an annex link and
// retries). ok is false when path is not a symlink or the target is longer
// than any annex link.
func (l *keyLookup) readlink(path string) (string, bool) {
	if l.link == nil {
		l.link = make([]byte, 1024)
	}
	n, err := syscall.Readlink(path, l.link)
	if err != nil || n >= len(l.link) {
		return "", false
	}
	return string(l.link[:n]), true
}

func (r *Repo) newKeyLookup(ctx context.Context) (*keyLookup, error) {
	return &keyLookup{r: r}, nil
}

func (l *keyLookup) lookup(ctx context.Context, e gitcmd.IndexEntry) (AnnexedFile, bool, error) {
	switch e.Mode {
	case "120000":
		if target, ok := l.readlink(l.r.paths.Abs(e.Path)); ok {
			if k, ok := pointer.ParseLink(target); ok {
				return AnnexedFile{Path: e.Path, Key: k}, true, nil
			}
		}
		data, ok, err := l.blob(ctx, e.SHA)
		if err != nil || !ok {
			return AnnexedFile{}, false, err
		}
		k, ok := pointer.ParseLink(string(data))
		return AnnexedFile{Path: e.Path, Key: k}, ok, nil
	case "100644", "100755":
		data, ok, err := l.blob(ctx, e.SHA)
		if err != nil || !ok {
			return AnnexedFile{}, false, err
		}
		k, ok := pointer.Parse(data)
		return AnnexedFile{Path: e.Path, Key: k, Unlocked: true}, ok, nil
	}
	return AnnexedFile{}, false, nil
}

// blob returns the content of a blob no larger than a pointer file can be.
func (l *keyLookup) blob(ctx context.Context, sha string) ([]byte, bool, error) {
	if l.check == nil {
		c, err := l.r.git.NewCatFileCheck(context.WithoutCancel(ctx))
		if err != nil {
			return nil, false, err
		}
		l.check = c
	}
	info, found, err := l.check.Info(ctx, sha)
	if err != nil || !found || info.Size > pointer.MaxSize {
		return nil, false, err
	}
	if l.cat == nil {
		c, err := l.r.git.NewCatFile(context.WithoutCancel(ctx))
		if err != nil {
			return nil, false, err
		}
		l.cat = c
	}
	obj, found, err := l.cat.Read(ctx, sha)
	if err != nil || !found {
		return nil, false, err
	}
	return obj.Data, true, nil
}

func (l *keyLookup) close() {
	if l.check != nil {
		_ = l.check.Close()
	}
	if l.cat != nil {
		_ = l.cat.Close()
	}
}
