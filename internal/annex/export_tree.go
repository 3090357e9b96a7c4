package annex

import (
	"context"
	"fmt"
	"strings"

	"github.com/troveproject/trove/internal/export"
	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/pointer"
	"github.com/troveproject/trove/internal/remote"
)

// gitKeyVariety is the key variety git-annex gives a file stored in git
// when it exports it: GIT--<blob sha>.
const gitKeyVariety = "GIT"

// gitBlobKey is the key of a git blob in an export.
func gitBlobKey(sha string) key.Key { return key.Key{Variety: gitKeyVariety, Name: sha} }

// isGitBlobKey reports whether k names a git blob (no location log, no
// object in the annex).
func isGitBlobKey(k key.Key) bool { return k.Variety == gitKeyVariety }

// BadExportPathError is a file of a tree that cannot be exported because
// its path would leave the export root.
type BadExportPathError struct {
	Tree, Path string
	Err        error
}

func (e *BadExportPathError) Error() string {
	return fmt.Sprintf("cannot export %s: %v; rename the file in the tree first (git mv)", e.Tree, e.Err)
}

func (e *BadExportPathError) Unwrap() error { return e.Err }

// treeFiles lists the files of tree as export.Files: annexed files (locked
// or unlocked) under their keys, any other blob under its GIT-- key.
// Submodules are skipped, as git-annex does.
func (r *Repo) treeFiles(ctx context.Context, tree string) ([]export.File, error) {
	var out []export.File
	err := r.treeBlobs(ctx, tree, func(err error) error {
		return fmt.Errorf("list the files of tree %s: %w", tree, err)
	}, func(b treeBlob) error {
		loc, err := remote.NewExportLocation(b.Path)
		if err != nil {
			return &BadExportPathError{Tree: tree, Path: b.Path, Err: err}
		}
		k := gitBlobKey(b.SHA)
		if b.Annexed {
			k = b.Key
		}
		out = append(out, export.File{Loc: loc, Key: k})
		return nil
	})
	return out, err
}

// treeBlob is one blob of a git tree, with the key of the annexed file it
// is, if it is one.
type treeBlob struct {
	gitcmd.TreeEntry
	// Key is the key a locked file's symlink target or an unlocked
	// file's pointer names, when Annexed.
	Key     key.Key
	Annexed bool
}

// treeBlobs calls fn with each blob of tree, in ls-tree order; submodules
// are skipped. The key of each symlink and of each regular file small
// enough to be a pointer is read through one cat-file process. A failure
// to list the tree is returned through listErr (which names the tree as
// the caller knows it); fn's error stops the listing and is returned.
func (r *Repo) treeBlobs(ctx context.Context, tree string, listErr func(error) error, fn func(treeBlob) error) error {
	look, err := r.newKeyLookup(ctx)
	if err != nil {
		return err
	}
	defer look.close()
	for e, err := range r.git.LsTree(ctx, tree) {
		if err != nil {
			return listErr(err)
		}
		if e.Type != "blob" {
			continue
		}
		b := treeBlob{TreeEntry: e}
		var parse func([]byte) (key.Key, bool)
		switch e.Mode {
		case "120000":
			parse = func(b []byte) (key.Key, bool) { return pointer.ParseLink(string(b)) }
		case "100644", "100755":
			parse = pointer.Parse
		}
		if parse != nil {
			data, ok, err := look.blob(ctx, e.SHA)
			if err != nil {
				return err
			}
			if ok {
				b.Key, b.Annexed = parse(data)
			}
		}
		if err := fn(b); err != nil {
			return err
		}
	}
	return nil
}

// resolveTree returns the tree object treeish names: a branch, tag,
// commit or tree, or REV:PATH naming a directory of one.
func (r *Repo) resolveTree(ctx context.Context, treeish string) (string, error) {
	if strings.HasPrefix(treeish, "-") {
		return "", fmt.Errorf("%q is not a tree-ish", treeish)
	}
	rev := treeish
	if strings.Contains(treeish, ":") {
		// BRANCH:SUBDIR names a path; "^{tree}" after it would be part
		// of the path.
		obj, err := r.git.RevParse(ctx, treeish)
		if err != nil {
			return "", fmt.Errorf("%s is not a tree here (see `git ls-tree %s`): %w", treeish, strings.SplitN(treeish, ":", 2)[0], err)
		}
		rev = obj
	}
	sha, err := r.git.RevParse(ctx, rev+"^{tree}")
	if err != nil {
		return "", fmt.Errorf("%s is not a tree, commit or branch here (see `git log`, `git tag`): %w", treeish, err)
	}
	return sha, nil
}
