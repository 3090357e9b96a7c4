package annex

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/pointer"
)

// importTree writes the tree of the imported files (sub) and the tree the
// import commit gets (tree): sub itself, or, with subdir, the tree of the
// tracking ref (else of branch) with subdir replaced by sub, as git-annex
// builds it. Annexed files are symlinks to their objects, relative to
// where they are in the full tree; files kept in git are their blobs.
func (r *Repo) importTree(ctx context.Context, blobs *gitcmd.BlobWriter, ref, branch, subdir string, files []importedFile) (tree, sub string, err error) {
	prefix := ""
	if subdir != "" {
		prefix = subdir + "/"
	}
	sub, err = r.withTempIndex(ctx, func(g *gitcmd.Repo) error {
		ui, err := g.NewUpdateIndex(ctx)
		if err != nil {
			return err
		}
		for _, f := range files {
			mode, sha := "100644", f.key.Name
			if !isGitBlobKey(f.key) {
				target := pointer.LinkTarget(prefix+f.loc.String(), f.key, r.objects.HashDir(f.key))
				if sha, err = blobs.Write(ctx, []byte(target)); err != nil {
					ui.Close()
					return err
				}
				mode = "120000"
			}
			if err := ui.Add(ctx, mode, sha, f.loc.String()); err != nil {
				ui.Close()
				return err
			}
		}
		if err := blobs.Flush(ctx); err != nil {
			ui.Close()
			return err
		}
		return ui.Close()
	})
	if err != nil || subdir == "" {
		return sub, sub, err
	}
	base, err := r.importBase(ctx, ref, branch)
	if err != nil {
		return "", "", err
	}
	tree, err = r.withTempIndex(ctx, func(g *gitcmd.Repo) error {
		if base != "" {
			if _, err := g.Run(ctx, "read-tree", base); err != nil {
				return err
			}
			if _, err := g.Run(ctx, "rm", "--cached", "-r", "-q", "--ignore-unmatch", "--", subdir); err != nil {
				return err
			}
		}
		_, err := g.Run(ctx, "read-tree", "--prefix="+prefix, sub)
		return err
	})
	return tree, sub, err
}

// importBase is the tree an import into a subdirectory starts from: the
// tracking ref's, else the branch's, else none ("").
func (r *Repo) importBase(ctx context.Context, ref, branch string) (string, error) {
	for _, rev := range []string{ref, "refs/heads/" + branch} {
		ok, err := r.git.RefExists(ctx, rev)
		if err != nil {
			return "", err
		}
		if ok {
			return r.git.RevParse(ctx, rev+"^{tree}")
		}
	}
	return "", nil
}

// withTempIndex runs fill with a git using a new, empty index file, and
// returns the tree written from it.
func (r *Repo) withTempIndex(ctx context.Context, fill func(g *gitcmd.Repo) error) (string, error) {
	f, err := os.CreateTemp(annexDir(r.git), "import-index-")
	if err != nil {
		return "", fmt.Errorf("import: %w", err)
	}
	path := f.Name()
	f.Close()
	os.Remove(path) // git creates it; an empty file is not an index
	defer os.Remove(path)
	g := r.git.NoFilter().WithIndex(path)
	if err := fill(g); err != nil {
		return "", fmt.Errorf("build the imported tree: %w", err)
	}
	tree, err := g.WriteTree(ctx)
	if err != nil {
		return "", fmt.Errorf("build the imported tree: %w", err)
	}
	return tree, nil
}

// commitImport points ref at tree as git-annex does: a parentless import
// commit when ref does not exist; nothing when ref's tree is tree; else an
// import commit (whose parent is the import commit ref merged last, when
// ref is such a merge) merged with ref.
func (r *Repo) commitImport(ctx context.Context, ref, name, tree string) error {
	exists, err := r.git.RefExists(ctx, ref)
	if err != nil {
		return err
	}
	msg := importMessage + name
	if !exists {
		c, err := r.git.CommitTree(ctx, tree, nil, msg)
		if err != nil {
			return fmt.Errorf("commit the import from %s: %w", name, err)
		}
		return r.git.UpdateRef(ctx, ref, c, strings.Repeat("0", len(c)))
	}
	out, err := r.git.Run(ctx, "rev-list", "--parents", "-n", "1", ref)
	if err != nil {
		return fmt.Errorf("read %s: %w", ref, err)
	}
	commits := strings.Fields(string(out))
	old := commits[0]
	oldTree, err := r.git.RevParse(ctx, old+"^{tree}")
	if err != nil {
		return fmt.Errorf("read %s: %w", ref, err)
	}
	if oldTree == tree {
		return nil
	}
	var parents []string
	if len(commits) == 3 {
		parents = commits[2:]
	}
	ic, err := r.git.CommitTree(ctx, tree, parents, msg)
	if err != nil {
		return fmt.Errorf("commit the import from %s: %w", name, err)
	}
	mc, err := r.git.CommitTree(ctx, tree, []string{old, ic}, importMergeMessage)
	if err != nil {
		return fmt.Errorf("commit the import from %s: %w", name, err)
	}
	return r.git.UpdateRef(ctx, ref, mc, old)
}
