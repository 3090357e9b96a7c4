package gitcmd

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDiscover(t *testing.T) {
	isolateGit(t)
	ctx := context.Background()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(base, "work")
	bare := filepath.Join(base, "bare.git")
	gitIn(t, base, "init", "-q", work)
	gitIn(t, base, "init", "-q", "--bare", bare)
	if err := os.MkdirAll(filepath.Join(work, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	wantWork := &Repo{Top: work, GitDir: filepath.Join(work, ".git"), CommonDir: filepath.Join(work, ".git"), ObjectFormat: "sha1"}
	wantBare := &Repo{GitDir: bare, CommonDir: bare, Bare: true, ObjectFormat: "sha1"}
	for _, tc := range []struct {
		dir  string
		want *Repo
	}{
		{work, wantWork},
		{filepath.Join(work, "a", "b"), wantWork},
		{filepath.Join(work, ".git"), wantWork},
		{bare, wantBare},
	} {
		got, err := Discover(ctx, tc.dir)
		if err != nil {
			t.Fatalf("Discover(%s): %v", tc.dir, err)
		}
		if d := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(Repo{})); d != "" {
			t.Errorf("Discover(%s) (-want +got):\n%s", tc.dir, d)
		}
	}

	outside := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(outside))
	_, err = Discover(ctx, outside)
	if err == nil || !strings.Contains(err.Error(), "not a git repository: "+outside) || !strings.Contains(err.Error(), "git init") {
		t.Errorf("Discover outside a repo: got %v", err)
	}
}

func TestDiscoverSHA256(t *testing.T) {
	r := newRepo(t, "--object-format=sha256")
	if r.ObjectFormat != "sha256" {
		t.Fatalf("ObjectFormat = %q, want sha256", r.ObjectFormat)
	}
}

func TestRunError(t *testing.T) {
	r := newRepo(t)
	_, err := r.Run(context.Background(), "cat-file", "-p", "nosuchref")
	var ge *Error
	if !errors.As(err, &ge) {
		t.Fatalf("want *Error, got %T %v", err, err)
	}
	if ge.ExitCode() != 128 || !strings.Contains(ge.Stderr, "nosuchref") {
		t.Errorf("error = %+v", ge)
	}
	if !strings.Contains(err.Error(), "git cat-file -p nosuchref") {
		t.Errorf("error text lacks the command: %v", err)
	}
}

func TestRunEnvAndConfig(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	out, err := r.WithConfig("trove.test=one").WithConfig("trove.test=two").NoFilter().Run(ctx, "config", "--get-all", "trove.test")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out); got != "one\ntwo\n" {
		t.Errorf("-c values = %q", got)
	}
	out, err = r.NoFilter().Run(ctx, "config", "filter.annex.process")
	if err != nil || string(out) != "\n" {
		t.Errorf("NoFilter: filter.annex.process = %q, %v", out, err)
	}
	out, err = r.WithEnv("GIT_AUTHOR_NAME=Someone Else").Run(ctx, "var", "GIT_AUTHOR_IDENT")
	if err != nil || !strings.HasPrefix(string(out), "Someone Else <") {
		t.Errorf("WithEnv: ident = %q, %v", out, err)
	}
}
