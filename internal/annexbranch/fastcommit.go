package annexbranch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/troveproject/trove/internal/gitcmd"
)

// fileContent is one branch file to commit.
type fileContent struct {
	path string
	data []byte
}

// errRefMoved is returned by fastCommit when the branch no longer pointed
// at the parent when git came to update it.
var errRefMoved = errors.New("the git-annex branch moved during the commit")

// fastCommit commits files on top of parent through one `git fast-import`,
// which writes the blobs and the changed trees into one pack (write-tree
// writes one loose object per changed tree, that is two new files per key
// changed) and moves the branch only when it still points at parent
// (fast-import refuses to move a ref to a commit that does not contain its
// current value). The commit is byte for byte the one commit-tree makes of
// the same tree: same headers, idents as `git var` reports them (config
// and GIT_AUTHOR_*/GIT_COMMITTER_* honoured), message as given. It returns
// the new commit's id; errRefMoved (wrapped) when another writer moved the
// branch.
func (b *Branch) fastCommit(ctx context.Context, parent string, files []fileContent, message string) (string, error) {
	author, committer, err := b.idents(ctx)
	if err != nil {
		return "", err
	}
	var in bytes.Buffer
	in.Grow(256 + len(message) + 128*len(files))
	fmt.Fprintf(&in, "commit %s\nmark :1\nauthor %s\ncommitter %s\ndata %d\n%s\nfrom %s\n",
		Ref, author, committer, len(message), message, parent)
	for _, f := range files {
		in.WriteString("M 100644 inline ")
		in.WriteString(quoteFastImportPath(f.path))
		in.WriteString("\ndata ")
		in.WriteString(strconv.Itoa(len(f.data)))
		in.WriteByte('\n')
		in.Write(f.data)
		in.WriteByte('\n')
	}
	in.WriteString("\nget-mark :1\ndone\n")
	out, err := b.repo.WithEnv(fastImportMallocPad).RunInput(ctx, &in, "fast-import", "--quiet", "--done")
	if err != nil {
		if cur, cerr := b.Sha(ctx); cerr == nil && cur != parent {
			return "", fmt.Errorf("%w: %w", errRefMoved, err)
		}
		return "", fmt.Errorf("commit to git-annex branch: %w", err)
	}
	commit := strings.TrimSpace(string(out))
	if len(commit) != 40 && len(commit) != 64 {
		return "", fmt.Errorf("commit to git-annex branch: fast-import answered %q for the new commit", commit)
	}
	return commit, nil
}

// fastImportMallocPad keeps glibc from returning memory to the system after
// each object fast-import compresses (see gitcmd's BlobWriter).
const fastImportMallocPad = "MALLOC_TOP_PAD_=16777216"

// idents returns the author and committer git would put in a commit made
// now: "NAME <EMAIL> SECONDS TZ", from one `git var -l`.
func (b *Branch) idents(ctx context.Context) (author, committer string, err error) {
	out, err := b.repo.Run(ctx, "var", "-l")
	if err != nil {
		return "", "", fmt.Errorf("commit to git-annex branch: who commits: %w", err)
	}
	author, committer = parseIdents(out)
	if author == "" || committer == "" {
		return "", "", fmt.Errorf("commit to git-annex branch: `git var -l` gave no GIT_AUTHOR_IDENT or GIT_COMMITTER_IDENT")
	}
	return author, committer, nil
}

// parseIdents finds GIT_AUTHOR_IDENT and GIT_COMMITTER_IDENT in the output
// of `git var -l`, which lists them after the configuration; the last
// occurrence of each wins.
func parseIdents(out []byte) (author, committer string) {
	for line := range strings.SplitSeq(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "GIT_AUTHOR_IDENT="); ok {
			author = v
		} else if v, ok := strings.CutPrefix(line, "GIT_COMMITTER_IDENT="); ok {
			committer = v
		}
	}
	return author, committer
}

// quoteFastImportPath returns path as fast-import reads it: unchanged when
// it can be read verbatim, else as a C-style quoted string (needed for
// paths that start with a double quote or contain a newline, a backslash
// or other control characters).
func quoteFastImportPath(path string) string {
	needs := strings.HasPrefix(path, `"`)
	for i := 0; i < len(path) && !needs; i++ {
		needs = path[i] < 0x20 || path[i] == 0x7f
	}
	if !needs {
		return path
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\%03o`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// stageFiles puts files, already written as blobs, into .git/annex/index.
// shas are their blob ids when the caller has them, nil to hash the
// contents here.
func (b *Branch) stageFiles(ctx context.Context, files []fileContent, shas []string) error {
	ui, err := b.index.NewUpdateIndex(ctx)
	if err != nil {
		return err
	}
	defer ui.Close()
	for i, f := range files {
		var sha string
		if shas != nil {
			sha = shas[i]
		} else {
			sha = gitcmd.HashBlob(b.repo.ObjectFormat, f.data)
		}
		if err := ui.Add(ctx, "100644", sha, f.path); err != nil {
			return fmt.Errorf("stage %s: %w", f.path, err)
		}
	}
	if err := ui.Close(); err != nil {
		return fmt.Errorf("stage into git-annex index: %w", err)
	}
	return nil
}
