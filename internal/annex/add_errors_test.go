package annex

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/objectstore"
)

func TestAddErrorMessageNamesPathCauseAndNextCommand(t *testing.T) {
	tests := []struct {
		err  error
		user string
		want string
	}{
		{fmt.Errorf("add x: %w", objectstore.ErrModified), "d/a b.bin",
			"d/a b.bin changed while it was being added, so it was left as it is; run `git annex add 'd/a b.bin'` again once nothing is writing to it"},
		{fmt.Errorf("open: %w", fs.ErrPermission), "s.txt",
			"cannot read s.txt: permission denied; it was left as it is; make it readable (`chmod u+r s.txt`) and run `git annex add s.txt` again"},
		{context.Canceled, "f",
			"f was not added: interrupted; run `git annex add f` again"},
		{errors.New("not a regular file"), "it's",
			"cannot add it's: not a regular file; it was left as it is; fix the cause and run `git annex add 'it'\\''s'` again"},
	}
	for _, tt := range tests {
		e := &AddError{Path: "repo/path", Err: tt.err}
		if diff := cmp.Diff(tt.want, e.Message(tt.user)); diff != "" {
			t.Errorf("Message(%q) for %v (-want +got):\n%s", tt.user, tt.err, diff)
		}
		if !errors.Is(e, tt.err) {
			t.Errorf("AddError does not wrap %v", tt.err)
		}
	}
}

func TestIndexLockedErrorSaysHowToGoOn(t *testing.T) {
	got := (&IndexLockedError{Lock: "/r/.git/index.lock"}).Error()
	want := "git's index is locked: /r/.git/index.lock exists, because another git command is running or one was killed; " +
		"if no git command is running, remove it with `rm /r/.git/index.lock` and run the command again (files already added stay added)"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func TestIsLinkTemp(t *testing.T) {
	for p, want := range map[string]bool{
		"d/.a.bin.trove-link": true,
		".x.trove-link":       true,
		"a.trove-link":        false, // not a hidden temporary name
		"..trove-link":        false,
		".trove-link":         false,
		"d/.a.bin":            false,
	} {
		if got := isLinkTemp(p); got != want {
			t.Errorf("isLinkTemp(%q) = %v, want %v", p, got, want)
		}
	}
}
