package annex

import (
	"context"
	"fmt"
	"strings"

	"github.com/troveproject/trove/internal/export"
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
	look, err := r.newKeyLookup(ctx)
	if err != nil {
		return nil, err
	}
	defer look.close()
	var out []export.File
	for e, err := range r.git.LsTree(ctx, tree) {
		if err != nil {
			return nil, fmt.Errorf("list the files of tree %s: %w", tree, err)
		}
		if e.Type != "blob" {
			continue
		}
		loc, err := remote.NewExportLocation(e.Path)
		if err != nil {
			return nil, &BadExportPathError{Tree: tree, Path: e.Path, Err: err}
		}
		k := gitBlobKey(e.SHA)
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
				return nil, err
			}
			if ok {
				if ak, ok := parse(data); ok {
					k = ak
				}
			}
		}
		out = append(out, export.File{Loc: loc, Key: k})
	}
	return out, nil
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
