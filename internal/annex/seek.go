package annex

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/uuid"
)

// Item is one thing a transfer command (get, copy, move, drop, ...) acts
// on: an annexed file, or a key given without a file.
type Item struct {
	// File is the work-tree path relative to the top ("" for a key given
	// without a file). For --branch items it is the path inside Branch.
	File string
	// Branch is the ref a --branch item was found in ("" otherwise);
	// git-annex shows such a file as "BRANCH:FILE".
	Branch string
	Key    key.Key
	// Input is the JSON "input" of the item's records: the command-line
	// argument it was found through, the file path when there was none,
	// the batch line, or empty for --all, --key, --unused and --branch.
	Input    []string
	Unlocked bool

	// locationLog is the key's location log when Seek read it ahead.
	locationLog    []byte
	hasLocationLog bool
	// copiesAttrs are the file's copiesAttrNames attributes when Seek
	// read them ahead (SeekOptions.CopiesAttrs).
	copiesAttrs    map[string]string
	hasCopiesAttrs bool
}

// Shown is the item as git-annex names it in output: the file, "BRANCH:FILE"
// for a --branch item, or "" for a key-only item (callers show the key).
func (it Item) Shown() string {
	if it.Branch != "" {
		return it.Branch + ":" + it.File
	}
	return it.File
}

// SeekOptions say what a transfer command acts on. At most one of Inputs,
// All, Keys, Unused and Branch may be set; with none, the whole work tree
// is sought (all keys, as All, in a bare repository).
type SeekOptions struct {
	// Inputs are paths relative to the top (see Paths.ToRepo).
	Inputs []string
	// Given are the inputs as the user typed them, parallel to Inputs;
	// they become Item.Input. When shorter, the repository path is used.
	Given []string
	// All seeks every key that has a location log in the git-annex branch
	// (or the journal), in branch path order, except dead keys.
	All bool
	// Keys seeks the given keys (--key).
	Keys []key.Key
	// Unused seeks the keys listed in .git/annex/unused, by number.
	Unused bool
	// Branch seeks the annexed files in the tree of this ref (--branch).
	Branch string
	// Matcher selects items (nil selects everything).
	Matcher *Matcher
	// NotFound is called with each input (as given) that names nothing in
	// the index or the work tree; nil ignores them. Its error stops Seek.
	NotFound func(input string) error
	// CopiesAttrs reads each work-tree file's annex.numcopies and
	// annex.mincopies attributes ahead too, for the commands that drop:
	// their drops then wait for no round trip to git check-attr.
	CopiesAttrs bool
}

// ErrSeekConflict is git-annex's refusal of more than one seek mode.
var ErrSeekConflict = errors.New("Can only specify one of file names, --all, --branch, --unused, --failed, --key, or --incomplete")

// Validate reports an error when more than one seek mode is set.
func (o SeekOptions) Validate() error {
	n := 0
	for _, set := range []bool{len(o.Inputs) > 0, o.All, len(o.Keys) > 0, o.Unused, o.Branch != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return ErrSeekConflict
	}
	return nil
}

// KeyMode reports whether the options seek keys rather than work-tree
// files (--all, --key, --unused).
func (o SeekOptions) KeyMode() bool { return o.All || len(o.Keys) > 0 || o.Unused }

// Seek calls fn, from the calling goroutine, for every item opts selects,
// in order: files in index order per input, keys in the order of their
// source. Each item's location log is read ahead through one cat-file
// pipeline, so ItemLocations costs no round trip; so are the attributes
// opts.CopiesAttrs asks for. An error from fn or from the enumeration
// stops Seek and is returned.
func (r *Repo) Seek(ctx context.Context, opts SeekOptions, fn func(Item) error) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	allKeys := r.seeksAllKeys(opts)
	var attrs []string
	if opts.CopiesAttrs {
		attrs = copiesAttrNames
	}
	return withAhead(ctx, r, attrs, func(ctx context.Context, send func(Item, ahead) error) error {
		return r.enumerate(ctx, opts, func(it Item) error {
			a := ahead{Key: &it.Key}
			if it.Branch == "" {
				a.File = it.File
			}
			return send(it, a)
		})
	}, func(it Item, got aheadResult) error {
		if allKeys && DeadLocationLog(got.log) {
			return nil // git-annex's loggedKeys leaves dead keys out
		}
		it.locationLog, it.hasLocationLog = got.log, true
		it.copiesAttrs, it.hasCopiesAttrs = got.attrs, got.hasAttrs
		if opts.Matcher != nil {
			ok, err := opts.Matcher.MatchItem(ctx, it)
			if err != nil || !ok {
				return err
			}
		}
		return fn(it)
	})
}

// seeksAllKeys reports whether opts seek every key with a location log:
// --all, or no inputs at all in a bare repository.
func (r *Repo) seeksAllKeys(opts SeekOptions) bool {
	return opts.All || (r.git.Bare && len(opts.Inputs) == 0 && len(opts.Keys) == 0 && !opts.Unused && opts.Branch == "")
}

// DeadLocationLog reports whether a key's location log marks it dead
// (`git annex dead --key`), as git-annex's checkDead: every repository's
// current line has status X. A key without location log lines is not
// dead. Seeking all keys (--all) skips dead keys.
func DeadLocationLog(log []byte) bool {
	lines := logs.Compact(logs.ParsePresence(log))
	for _, l := range lines {
		if l.Status != logs.Dead {
			return false
		}
	}
	return len(lines) > 0
}

// enumerate sends every item of opts, before matching.
func (r *Repo) enumerate(ctx context.Context, opts SeekOptions, send func(Item) error) error {
	switch {
	case r.seeksAllKeys(opts):
		// A bare repository has no work tree: git-annex acts on all
		// keys when given no paths there.
		ks, err := r.branchKeys(ctx)
		if err != nil {
			return err
		}
		return sendKeys(ks, send)
	case len(opts.Keys) > 0:
		return sendKeys(opts.Keys, send)
	case opts.Unused:
		ks, err := r.unusedKeys()
		if err != nil {
			return err
		}
		return sendKeys(ks, send)
	case opts.Branch != "":
		return r.branchFiles(ctx, opts.Branch, send)
	}
	given := map[string]string{}
	for i, in := range opts.Inputs {
		if i < len(opts.Given) {
			given[in] = opts.Given[i]
		}
	}
	return r.Files(ctx, FilesOptions{Inputs: opts.Inputs}, func(f AnnexedFile, err error) error {
		in, ok := given[f.Input]
		if !ok {
			in = f.Input
		}
		if err != nil {
			if opts.NotFound != nil {
				return opts.NotFound(in)
			}
			return nil
		}
		if len(opts.Inputs) == 0 {
			in = f.Path // git-annex's input for a file found without arguments
		}
		return send(Item{File: f.Path, Key: f.Key, Unlocked: f.Unlocked, Input: []string{in}})
	})
}

func sendKeys(ks []key.Key, send func(Item) error) error {
	for _, k := range ks {
		if err := send(Item{Key: k, Input: []string{}}); err != nil {
			return err
		}
	}
	return nil
}

// branchFiles sends the annexed files in the tree of ref.
func (r *Repo) branchFiles(ctx context.Context, ref string, send func(Item) error) error {
	return r.treeBlobs(ctx, ref, func(err error) error {
		return fmt.Errorf("list files of --branch %s: %w (check the name with `git branch -a`)", ref, err)
	}, func(b treeBlob) error {
		if !b.Annexed {
			return nil
		}
		return send(Item{File: b.Path, Branch: ref, Key: b.Key, Unlocked: b.Mode != "120000", Input: []string{}})
	})
}

// unusedKeys returns the keys of .git/annex/unused in their numbered
// order; a missing list is empty, as in git-annex.
func (r *Repo) unusedKeys() ([]key.Key, error) {
	p := filepath.Join(annexDir(r.git), "unused")
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the unused list %s: %w", p, err)
	}
	ents := ParseUnusedList(data)
	out := make([]key.Key, len(ents))
	for i, e := range ents {
		out[i] = e.Key
	}
	return out, nil
}

// UnusedEntry is one line of .git/annex/unused: "N KEY TIMESTAMP".
type UnusedEntry struct {
	Number int
	Key    key.Key
}

// ParseUnusedList parses .git/annex/unused (and badunused, tmpunused)
// with ParseUnusedLog, sorted by number.
func ParseUnusedList(data []byte) []UnusedEntry {
	logged := ParseUnusedLog(data)
	out := make([]UnusedEntry, len(logged))
	for i, e := range logged {
		out[i] = UnusedEntry{Number: e.Number, Key: e.Key}
	}
	slices.SortStableFunc(out, func(a, b UnusedEntry) int { return a.Number - b.Number })
	return out
}

// SeekFile returns the item of one batch input line naming a file (a path
// relative to the top): ok is false when it is not an annexed file or the
// matcher (nil = all) rejects it. It reads the work tree, not the index,
// so no process is started per line.
func (r *Repo) SeekFile(ctx context.Context, path, line string, m *Matcher) (Item, bool, error) {
	k, ok, err := r.LookupKey(ctx, path)
	if err != nil || !ok {
		return Item{}, false, err
	}
	unlocked := true
	if fi, err := os.Lstat(r.paths.Abs(path)); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		unlocked = false
	}
	it := Item{File: path, Key: k, Unlocked: unlocked, Input: []string{line}}
	if m != nil {
		if ok, err := m.MatchItem(ctx, it); err != nil || !ok {
			return Item{}, false, err
		}
	}
	return it, true, nil
}

// SeekKey returns the item of one --batch-keys line; ok is false when the
// matcher (nil = all) rejects it.
func (r *Repo) SeekKey(ctx context.Context, k key.Key, line string, m *Matcher) (Item, bool, error) {
	it := Item{Key: k, Input: []string{line}}
	if m != nil {
		if ok, err := m.MatchItem(ctx, it); err != nil || !ok {
			return Item{}, false, err
		}
	}
	return it, true, nil
}

// MatchItem reports whether it is selected: a file by its path and key,
// a key-only item by its key.
func (m *Matcher) MatchItem(ctx context.Context, it Item) (bool, error) {
	if it.File == "" {
		return m.MatchKey(ctx, it.Key)
	}
	return m.MatchFile(ctx, AnnexedFile{Path: it.File, Key: it.Key, Unlocked: it.Unlocked})
}

// ItemLocations returns the repositories the location log says have the
// item's key, using the log Seek read ahead when there is one.
func (r *Repo) ItemLocations(ctx context.Context, it Item) ([]uuid.UUID, error) {
	if it.hasLocationLog {
		return presentUUIDs(it.locationLog), nil
	}
	return r.Locations(ctx, it.Key)
}
