package annex

import (
	"context"
	"io/fs"
	"os"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/pointer"
)

// emptyTree is the id of the empty tree in sha1 repositories; diffs
// before the first commit are taken against it.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// PreCommit is what the pre-commit hook runs (`git annex pre-commit .`):
// every annex symlink staged under inputs (paths relative to the top; none
// means the whole tree) whose target has the wrong depth or hash
// directory, typically after `git mv`, is rewritten and restaged in one
// update-index. Each fixed file is reported through emit. It works on the
// index git passes in GIT_INDEX_FILE, so it is correct under
// `git commit -a` too. It reports whether the index changed.
func (r *Repo) PreCommit(ctx context.Context, inputs []string, emit func(FileResult)) (bool, error) {
	if r.git.Top == "" {
		return false, nil
	}
	base := "HEAD"
	if _, err := r.git.RevParse(ctx, "HEAD^{commit}"); err != nil {
		base = emptyTree
	}
	args := append([]string{"--cached", base, "--"}, inputs...)
	st, err := r.newStager(ctx)
	if err != nil {
		return false, err
	}
	defer st.close()
	fixed := 0
	for e, err := range r.git.NoFilter().DiffIndex(ctx, args...) {
		if err != nil {
			return false, err
		}
		if e.DstMode != "120000" {
			continue
		}
		abs := r.paths.Abs(e.Path)
		fi, err := os.Lstat(abs)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		target, err := os.Readlink(abs)
		if err != nil {
			continue
		}
		k, ok := pointer.ParseLink(target)
		if !ok {
			continue
		}
		want := pointer.LinkTarget(e.Path, k, r.objects.HashDir(k))
		if target == want && e.DstSHA == gitcmd.HashBlob(r.git.ObjectFormat, []byte(want)) {
			continue
		}
		res := FileResult{File: e.Path, Input: e.Path, Key: k}
		res.Err = r.writeLink(e.Path, k)
		if res.Err == nil {
			res.Err = st.addPath(e.Path)
			fixed++
		}
		emit(res)
	}
	if fixed == 0 {
		return false, nil
	}
	return true, st.flush(ctx)
}
