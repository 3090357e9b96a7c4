package annex

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/pointer"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/units"
)

// checkLocked checks one item while holding its key's lock.
func (fc *fscker) checkLocked(ctx context.Context, it FsckItem, begin func(FsckItem) FsckReporter) error {
	unlock := fc.keyLocks.lock(it.Key)
	defer unlock()
	rep := begin(it)
	res, err := fc.check(ctx, it, rep)
	if err != nil {
		rep.Warn(err.Error())
		res.OK = false
	}
	rep.Done(res)
	return nil
}

// check runs every check on it, as git-annex does: all of them, even after
// one has failed.
func (fc *fscker) check(ctx context.Context, it FsckItem, rep FsckReporter) (FsckResult, error) {
	res := FsckResult{FsckItem: it, OK: true}
	r := fc.r
	unlocked := false
	if it.File != "" {
		if err := fc.fixLink(ctx, it, rep); err != nil {
			return res, err
		}
		if fi, err := os.Lstat(r.paths.Abs(it.File)); err == nil && fi.Mode().IsRegular() {
			unlocked = true
		}
	}
	obj, present, err := r.objects.Find(it.Key)
	if err != nil {
		return res, err
	}
	thin := false // an unlocked file hard-linked to its object (annex.thin)
	if present {
		if fi, err := os.Stat(obj); err == nil {
			if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Nlink > 1 {
				thin = unlocked || (it.File == "" && r.cfg.Thin)
			}
		}
	}
	if present {
		fc.fixPerms(obj, thin, rep)
	}
	ok, err := fc.verifyLocationLog(ctx, it, present, rep)
	if err != nil {
		return res, err
	}
	res.OK = res.OK && ok
	if unlocked && present {
		wrote, err := r.populate(ctx, it.File, it.Key)
		if err != nil {
			return res, err
		}
		if wrote {
			rep.Note("fixing worktree content")
			fc.mu.Lock()
			fc.populated = append(fc.populated, it.File)
			fc.mu.Unlock()
		}
	}
	if present && !thin {
		ok, err := fc.checkSize(ctx, it, obj, rep)
		if err != nil {
			return res, err
		}
		res.OK = res.OK && ok
	}
	ok, err = fc.checkContent(ctx, it, thin, rep)
	if err != nil {
		return res, err
	}
	res.OK = res.OK && ok
	ok, err = fc.checkNumCopies(ctx, it, &res, rep)
	if err != nil {
		return res, err
	}
	res.OK = res.OK && ok
	return res, nil
}

// fixLink makes a locked file's symlink point at its object by the right
// relative path, and stages the fixed link.
func (fc *fscker) fixLink(ctx context.Context, it FsckItem, rep FsckReporter) error {
	r := fc.r
	abs := r.paths.Abs(it.File)
	have, err := os.Readlink(abs)
	if err != nil {
		return nil // not a symlink (unlocked) or gone from the work tree
	}
	want := pointer.LinkTarget(it.File, it.Key, r.objects.HashDir(it.Key))
	if have == want {
		return nil
	}
	rep.Note("fixing link")
	tmp := abs + ".fsck-tmp"
	_ = os.Remove(tmp)
	if err := os.Symlink(want, tmp); err != nil {
		return fmt.Errorf("fix link %s: %w", fc.desc(it), err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("fix link %s: %w", fc.desc(it), err)
	}
	return fc.stage.addPath(it.File)
}

// fixPerms freezes an object (thaws it when hard-linked to an unlocked
// file) and its directory, as git-annex's fsck does in passing.
func (fc *fscker) fixPerms(obj string, thin bool, rep FsckReporter) {
	shared, perr := fsutil.ParseShared(fc.r.cfg.SharedRepository)
	if perr != nil {
		shared = 0
	}
	var err error
	if thin {
		err = fsutil.ThawFile(obj, shared)
	} else {
		err = fsutil.FreezeFile(obj, shared)
	}
	if err != nil {
		rep.Warn("** Unable to set correct write mode for " + fc.r.userPath(obj) + " ; perhaps you don't own that file")
	}
	_ = fsutil.FreezeDir(filepath.Dir(obj), shared)
}

// verifyLocationLog makes the location log agree with the presence of the
// object here.
func (fc *fscker) verifyLocationLog(ctx context.Context, it FsckItem, present bool, rep FsckReporter) (bool, error) {
	r := fc.r
	locs, err := r.Locations(ctx, it.Key)
	if err != nil {
		return false, err
	}
	logged := false
	for _, u := range locs {
		logged = logged || u == r.here
	}
	switch {
	case present && !logged:
		rep.Note("fixing location log")
		return true, r.logLocation(ctx, it.Key, r.here, logs.Present)
	case !present && logged:
		rep.Note("fixing location log")
		if err := r.logLocation(ctx, it.Key, r.here, logs.Missing); err != nil {
			return false, err
		}
		rep.Warn(joinLines("** Based on the location log, "+fc.desc(it),
			"** was expected to be present, but its content is missing."))
		return false, nil
	case !present && len(locs) == 0:
		// Record the key as known, as git-annex does for a key with no
		// location log at all.
		data, err := r.branch.Get(ctx, logs.LocationLogPath(it.Key, r.cfg.BranchHash1))
		if err != nil {
			return false, err
		}
		if len(logs.ParsePresence(data)) == 0 {
			return true, r.logLocation(ctx, it.Key, r.here, logs.Missing)
		}
	}
	return true, nil
}

// checkSize compares the object's size with the size the key records.
func (fc *fscker) checkSize(ctx context.Context, it FsckItem, obj string, rep FsckReporter) (bool, error) {
	if !it.Key.HasSize {
		return true, nil
	}
	fi, err := os.Stat(obj)
	if err != nil {
		return false, fmt.Errorf("check size of %s: %w", fc.desc(it), err)
	}
	if fi.Size() == it.Key.Size {
		return true, nil
	}
	diff, word := fi.Size()-it.Key.Size, "larger"
	if diff < 0 {
		diff, word = -diff, "smaller"
	}
	return false, fc.badContent(ctx, it, fmt.Sprintf("Bad file size (%s %s)", units.HumanSize(diff), word), rep)
}

// checkContent re-hashes the object unless --fast. A thin unlocked file
// that no longer matches was modified by the user, which is no error.
func (fc *fscker) checkContent(ctx context.Context, it FsckItem, thin bool, rep FsckReporter) (bool, error) {
	if fc.opts.Fast {
		return true, nil
	}
	if _, err := backend.NewVerifier(it.Key); err != nil {
		return true, nil // WORM, URL: nothing to hash
	}
	if _, present, err := fc.r.objects.Find(it.Key); err != nil || !present {
		return true, err
	}
	rep.Note("checksum...")
	err := fc.r.objects.Verify(ctx, it.Key, false)
	var bad *objectstore.BadContentError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &bad) && thin:
		return true, nil
	case errors.As(err, &bad):
		return false, fc.badContent(ctx, it, "Bad file content", rep)
	case errors.Is(err, objectstore.ErrNotPresent):
		return true, nil
	}
	return false, err
}

// badContent moves the object to .git/annex/bad, records that it is gone
// from here, and warns what happened and what to run next.
func (fc *fscker) badContent(ctx context.Context, it FsckItem, problem string, rep FsckReporter) error {
	r := fc.r
	dest, err := r.objects.MoveToBad(ctx, it.Key)
	if err != nil {
		return fmt.Errorf("%s: %s; could not move it aside: %w", fc.desc(it), problem, err)
	}
	if err := r.logLocation(ctx, it.Key, r.here, logs.Missing); err != nil {
		return err
	}
	next := "git annex get " + fc.desc(it)
	if it.File == "" {
		next = "git annex get --key " + it.Key.String()
	}
	rep.Warn(joinLines(fmt.Sprintf("%s: %s; moved to %s", fc.desc(it), problem, r.userPath(dest)),
		fmt.Sprintf("(to recover, run `%s` to fetch a good copy from another repository; `git annex unused` and `git annex dropunused` remove the bad one)", next)))
	return nil
}

// checkNumCopies warns when fewer trustworthy repositories than numcopies
// are recorded to have the content.
func (fc *fscker) checkNumCopies(ctx context.Context, it FsckItem, res *FsckResult, rep FsckReporter) (bool, error) {
	r := fc.r
	need, err := fc.numCopiesFor(ctx, it.File)
	if err != nil {
		return false, err
	}
	locs, err := r.Locations(ctx, it.Key)
	if err != nil {
		return false, err
	}
	var safe int
	var untrusted, dead []KnownRepo
	for _, u := range locs {
		k := fc.repos.Get(u)
		switch k.Trust {
		case policy.UnTrusted:
			untrusted = append(untrusted, k)
		case policy.Dead:
			dead = append(dead, k)
		default:
			safe++
		}
	}
	if safe >= int(need) {
		return true, nil
	}
	if it.File == "" {
		isDead, err := fc.keyIsDead(ctx, it.Key)
		if err != nil {
			return false, err
		}
		if isDead {
			rep.LongNote("This key is dead, skipping.")
			return true, nil
		}
	}
	res.CopiesChecked, res.Untrusted, res.Dead = true, untrusted, dead
	rep.Warn(missingNote(fc.desc(it), safe, int(need), listRepos(untrusted), listRepos(dead)))
	if safe == 0 && it.File == "" {
		rep.LongNote("(Avoid this check by running: git annex dead --key " + it.Key.String() + ")")
	}
	return false, nil
}

// keyIsDead reports whether every line of k's location log is dead.
func (fc *fscker) keyIsDead(ctx context.Context, k key.Key) (bool, error) {
	data, err := fc.r.branch.Get(ctx, logs.LocationLogPath(k, fc.r.cfg.BranchHash1))
	if err != nil {
		return false, err
	}
	lines := logs.Compact(logs.ParsePresence(data))
	for _, l := range lines {
		if l.Status != logs.Dead {
			return false, nil
		}
	}
	return len(lines) > 0, nil
}

// missingNote is git-annex's numcopies warning.
func missingNote(file string, present, needed int, untrusted, dead string) string {
	honorDead := ""
	if dead != "" {
		honorDead = "\nThese dead repositories used to have copies\n" + dead
	}
	switch {
	case present == 0 && untrusted == "":
		return "** No known copies exist of " + file + honorDead
	case present == 0:
		return "Only these untrusted locations may have copies of " + file + "\n" + untrusted +
			"Back it up to trusted locations with git-annex copy." + honorDead
	}
	s := fmt.Sprintf("Only %d of %d trustworthy copies exist of %s\nBack it up with git-annex copy.", present, needed, file)
	if untrusted != "" {
		s += "\nThe following untrusted locations may also have copies: \n" + untrusted
	}
	return s
}

// listRepos formats repositories as git-annex's prettyPrintUUIDs does.
func listRepos(rs []KnownRepo) string {
	s := ""
	for _, k := range rs {
		s += "\t" + k.Line() + "\n"
	}
	return s
}
