package annex

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// EvidenceKind is how a copy of a key in another repository was verified
// before dropping (git-annex's VerifiedCopy), weakest first.
type EvidenceKind int

const (
	// RecentlyVerifiedCopy means the repository answered that it has the
	// content, but nothing stops it from dropping it a moment later.
	RecentlyVerifiedCopy EvidenceKind = iota
	// TrustedCopy is a trusted repository the location log says has the
	// content; it was not contacted.
	TrustedCopy
	// LockedCopy means the content is locked in the repository until the drop
	// is over, so no git-annex or Trove process can remove it meanwhile.
	LockedCopy
)

// String names the kind as git-annex does.
func (k EvidenceKind) String() string {
	switch k {
	case TrustedCopy:
		return "TrustedCopy"
	case LockedCopy:
		return "LockedCopy"
	}
	return "RecentlyVerifiedCopy"
}

// VerifiedCopy is one copy counted towards a drop.
type VerifiedCopy struct {
	UUID uuid.UUID
	Kind EvidenceKind
}

// dedupCopies keeps the strongest evidence per repository, in first-seen
// order.
func dedupCopies(have []VerifiedCopy) []VerifiedCopy {
	var out []VerifiedCopy
	for _, c := range have {
		i := slices.IndexFunc(out, func(o VerifiedCopy) bool { return o.UUID == c.UUID })
		switch {
		case i < 0:
			out = append(out, c)
		case c.Kind > out[i].Kind:
			out[i] = c
		}
	}
	return out
}

// isSafeDrop is git-annex's isSafeDrop. Dropping local content (under the
// exclusive removal lock) needs max(numcopies, mincopies) distinct copies
// of any kind. Dropping from a remote needs numcopies distinct copies, of
// which mincopies are locked or trusted, so that concurrent drops may
// undercut numcopies but never mincopies.
func isSafeDrop(numCopies, minCopies int, have []VerifiedCopy, local bool) bool {
	distinct := len(dedupCopies(have))
	if local {
		return distinct >= max(numCopies, minCopies)
	}
	if numCopies == 0 && minCopies == 0 {
		return true
	}
	full := 0
	for _, c := range have {
		if c.Kind != RecentlyVerifiedCopy {
			full++
		}
	}
	return distinct >= numCopies && full >= minCopies
}

// dropCandidate is a repository that may hold a copy: this one (rm nil)
// or a remote that can be asked.
type dropCandidate struct {
	UUID uuid.UUID
	rm   remote.Remote
}

// verification is the evidence gathered for one drop. Its locks are held
// until release.
type verification struct {
	have []VerifiedCopy
	// missing are candidates that answered that they lack the content.
	missing []uuid.UUID
	// unreachable are the remotes that could not be asked.
	unreachable []string
	// lockUnsupported are the remotes that were not locked (no ability,
	// or the lock failed) and were asked with CheckPresent instead.
	lockUnsupported []string
	releases        []func() error
}

// release drops every lock taken while verifying, last taken first.
func (v *verification) release() error {
	var errs []error
	for i := len(v.releases) - 1; i >= 0; i-- {
		errs = append(errs, v.releases[i]())
	}
	v.releases = nil
	return errors.Join(errs...)
}

// verifyCopies gathers evidence until the drop is safe or no candidate is
// left, as git-annex's verifyEnoughCopiesToDrop: preverified (trusted)
// copies count without contact; then, in order, this repository is
// locked shared (lockHere), remotes with remote.ContentLocker are locked,
// others (and remotes whose lock failed) are asked CheckPresent. It stops
// as soon as isSafeDrop holds. The returned verification holds its locks
// even when the drop is unsafe; release it when done.
func verifyCopies(ctx context.Context, k key.Key, numCopies, minCopies int, local bool,
	preverified []VerifiedCopy, candidates []dropCandidate,
	lockHere func(context.Context) (func() error, error), note func(string)) (*verification, bool) {
	v := &verification{have: slices.Clone(preverified)}
	for _, c := range candidates {
		if isSafeDrop(numCopies, minCopies, v.have, local) {
			return v, true
		}
		if ctx.Err() != nil {
			break
		}
		if c.rm == nil {
			unlock, err := lockHere(ctx)
			if err != nil {
				v.missing = append(v.missing, c.UUID)
				continue
			}
			v.releases = append(v.releases, unlock)
			v.have = append(v.have, VerifiedCopy{UUID: c.UUID, Kind: LockedCopy})
			continue
		}
		if locker, ok := c.rm.(remote.ContentLocker); ok {
			if ln, ok := c.rm.(remote.LockNoter); ok && note != nil {
				note(ln.LockNote())
			}
			unlock, err := locker.LockContent(ctx, k)
			if err == nil {
				v.releases = append(v.releases, unlock)
				v.have = append(v.have, VerifiedCopy{UUID: c.UUID, Kind: LockedCopy})
				continue
			}
			if errors.Is(err, remote.ErrLocked) {
				// Being removed there: it is no evidence, whatever a
				// presence check would answer this instant.
				v.lockUnsupported = append(v.lockUnsupported, c.rm.Name())
				v.unreachable = append(v.unreachable, c.rm.Name())
				continue
			}
		}
		v.lockUnsupported = append(v.lockUnsupported, c.rm.Name())
		present, err := c.rm.CheckPresent(ctx, k)
		switch {
		case err != nil:
			v.unreachable = append(v.unreachable, c.rm.Name())
		case present:
			v.have = append(v.have, VerifiedCopy{UUID: c.UUID, Kind: RecentlyVerifiedCopy})
		default:
			v.missing = append(v.missing, c.UUID)
		}
	}
	return v, isSafeDrop(numCopies, minCopies, v.have, local)
}

// ErrUnsafeDrop is wrapped by *UnsafeDropError.
var ErrUnsafeDrop = errors.New("not enough verified copies to drop safely")

// UnsafeDropError is a drop refused because too few other copies could be
// verified. errors.Is(err, ErrUnsafeDrop) holds. Error() is the note
// git-annex's JSON carries; Notes gives every line git-annex prints.
type UnsafeDropError struct {
	Key key.Key
	// File is the work-tree path, "" for key-only input.
	File string
	// From is the remote name dropped from, "" for this repository.
	From string
	// Verified is the number of distinct copies verified; Needed the
	// numcopies (or, when LockShortfall, the mincopies) not reached.
	Verified, Needed int
	// LockShortfall: enough copies were seen, but too few of them could
	// be locked (or are trusted) to satisfy mincopies.
	LockShortfall bool
	// LockUnsupported are the remotes that could not be locked.
	LockUnsupported []string
	// Unreachable are the remotes that could not be asked.
	Unreachable []string
	// Candidates are the other repositories the location log says may
	// have the content (git-annex's "wanted"), RemoteName set for the
	// ones configured as remotes here.
	Candidates []KnownRepo
	// Untrusted are the untrusted repositories that may have it.
	Untrusted []KnownRepo
	// SpecialRemotes are the candidate UUIDs with a remote.log entry
	// (special remotes that could be enabled).
	SpecialRemotes []uuid.UUID
	// Ignored are the remotes with annex-ignore set.
	Ignored []string
}

// Is makes errors.Is(err, ErrUnsafeDrop) true.
func (e *UnsafeDropError) Is(target error) bool { return target == ErrUnsafeDrop }

func pluralCopies(n int) string {
	if n == 1 {
		return "copy"
	}
	return "copies"
}

// DropNote is one line of the refusal as git-annex prints it: the first
// is the short "unsafe" note, the rest long notes; HumanOnly ones are
// left out of JSON "note".
type DropNote struct {
	Text      string
	HumanOnly bool
}

// forceHint ends every refusal.
const forceHint = "(Use --force to override this check, or adjust numcopies.)"

// Notes returns the refusal's notes in git-annex's order.
func (e *UnsafeDropError) Notes() []DropNote {
	notes := []DropNote{{Text: "unsafe"}}
	if !e.LockShortfall {
		notes = append(notes, DropNote{Text: fmt.Sprintf("Could only verify the existence of %d out of %d necessary %s",
			e.Verified, e.Needed, pluralCopies(e.Needed))})
	} else {
		notes = append(notes, DropNote{Text: fmt.Sprintf("Unable to lock down %d %s of file necessary to safely drop it.",
			e.Needed, pluralCopies(e.Needed))})
		if len(e.LockUnsupported) == 0 {
			notes = append(notes, DropNote{Text: "(This could have happened because of a concurrent drop, or because a remote has too old a version of git-annex-shell installed.)"})
		} else {
			notes = append(notes, DropNote{Text: "These remotes do not support locking: " + strings.Join(e.LockUnsupported, ", ")})
		}
	}
	if len(e.Unreachable) > 0 {
		notes = append(notes, DropNote{Text: "Unable to access these remotes: " + strings.Join(e.Unreachable, ", ")})
	}
	notes = append(notes, DropNote{Text: e.locationsNote(), HumanOnly: true})
	if len(e.Ignored) > 0 {
		notes = append(notes, DropNote{Text: "(Note that these git remotes have annex-ignore set: " + strings.Join(e.Ignored, " ") + ")"})
	}
	return append(notes, DropNote{Text: forceHint})
}

// locationsNote is git-annex's showLocations text: where else the
// content may be, grouped by what the user can do about it.
func (e *UnsafeDropError) locationsNote() string {
	var avail, special, add []KnownRepo
	for _, c := range e.Candidates {
		switch {
		case c.RemoteName != "":
			avail = append(avail, c)
		case slices.Contains(e.SpecialRemotes, c.UUID):
			special = append(special, c)
		default:
			add = append(add, c)
		}
	}
	var b strings.Builder
	section := func(header string, rs []KnownRepo) {
		if len(rs) == 0 {
			return
		}
		b.WriteString(header + ":\n")
		for _, c := range rs {
			b.WriteString("\t" + c.Line() + "\n")
		}
	}
	section("Try making some of these remotes available", avail)
	section("Maybe enable some of these special remotes (git annex initremote ...)", special)
	section("Maybe add some of these git remotes (git remote add ...)", add)
	section("Also these untrusted repositories may contain the file", e.Untrusted)
	if b.Len() == 0 {
		return "Rather than dropping this file, try using: git annex move"
	}
	return b.String()
}

// Error is the note git-annex's JSON gives the refusal.
func (e *UnsafeDropError) Error() string {
	var parts []string
	for _, n := range e.Notes() {
		if !n.HumanOnly {
			parts = append(parts, n.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// Hint is the trove face's one-line explanation with the next command to
// run: where other copies could be, and how to make one.
func (e *UnsafeDropError) Hint(command string) string {
	what := e.File
	if what == "" {
		what = "--key " + e.Key.String()
	}
	from := ""
	if e.From != "" {
		from = " from " + e.From
	}
	var msg string
	if e.LockShortfall && e.Verified >= e.Needed {
		msg = fmt.Sprintf("not dropping %s%s: %d %s seen, but only %d could be locked or are trusted (mincopies %d)",
			what, from, e.Verified, pluralCopies(e.Verified), e.Verified-len(e.LockUnsupported), e.Needed)
	} else {
		msg = fmt.Sprintf("not dropping %s%s: only %d of %d required %s can be verified", what, from, e.Verified, e.Needed, pluralCopies(e.Needed))
	}
	var reachable []string
	for _, c := range e.Candidates {
		if c.RemoteName != "" && !slices.Contains(e.Unreachable, c.RemoteName) {
			reachable = append(reachable, c.RemoteName)
		}
	}
	switch {
	case len(e.Unreachable) > 0:
		msg += fmt.Sprintf("; %s could not be reached, make it available and try again", strings.Join(e.Unreachable, ", "))
	case len(e.Candidates) > 0 && len(reachable) == 0:
		var names []string
		for _, c := range e.Candidates {
			names = append(names, string(c.UUID)+" ("+c.Description+")")
		}
		msg += "; the location log says " + strings.Join(names, ", ") + " may have it: add it as a git remote (`git remote add NAME URL`)"
	}
	target := "REMOTE"
	if e.From == "" {
		if rs := e.remoteNamesHint(); rs != "" {
			target = rs
		}
	} else {
		target = "ANOTHER-REMOTE"
	}
	return msg + fmt.Sprintf("; copy it first with `%s copy %s --to %s`, or use --force to drop anyway", command, what, target)
}

// remoteNamesHint names a remote to copy to: the first candidate that is
// a remote here and lacks the content.
func (e *UnsafeDropError) remoteNamesHint() string {
	for _, c := range e.Candidates {
		if c.RemoteName != "" {
			return c.RemoteName
		}
	}
	return ""
}

// Wanted lists the repositories that may have the content, as git-annex's
// JSON "wanted" field does (trusted and semitrusted ones not verified).
func (e *UnsafeDropError) Wanted() []Copy {
	out := make([]Copy, len(e.Candidates))
	for i, c := range e.Candidates {
		out[i] = Copy{UUID: c.UUID, Description: c.Label(), Here: c.Here}
	}
	return out
}

// ThinModifiedError says why a drop left content in place: with
// annex.thin the unlocked file File is a hard link to Key's object, and
// it was modified, so the object no longer holds Key's content. As
// git-annex does, the repository then counts as not having the content
// (DropLocal skips it; git-annex prints nothing).
type ThinModifiedError struct {
	Key  key.Key
	File string // the file as the user names it; empty for a key
}

func (e *ThinModifiedError) Error() string {
	what := e.Key.String()
	if e.File != "" {
		what = e.File
	}
	next := "`git annex add " + e.File + "` to annex its new content"
	if e.File == "" {
		next = "`git annex add` on the modified file to annex its new content"
	}
	return fmt.Sprintf("not dropping %s: its content in .git/annex/objects was modified through a hard-linked unlocked file (annex.thin), so this repository no longer has %s; run %s, or `git annex fsck --key %s` to record that the content is gone", what, e.Key, next, e.Key)
}

// hasContent reports whether this repository has k's content, as
// git-annex's inAnnex: the object is present and, with annex.thin, was not
// modified through a hard-linked unlocked file.
func (r *Repo) hasContent(ctx context.Context, k key.Key) (bool, error) {
	has, err := r.objects.Has(k)
	if err != nil || !has {
		return false, err
	}
	modified, err := r.thinModified(ctx, k)
	return !modified, err
}

// thinModified reports whether, with annex.thin, k's object was modified
// through a work-tree file hard-linked to it (git-annex's inAnnex, which
// then answers that the content is not present). An object with no other
// link cannot have been; one whose stamp the inode cache recorded for k
// has not been; any other is checked by size and checksum.
func (r *Repo) thinModified(ctx context.Context, k key.Key) (bool, error) {
	if !r.cfg.Thin {
		return false, nil
	}
	obj, present, err := r.objects.Find(k)
	if err != nil || !present {
		return false, err
	}
	fi, err := os.Stat(obj)
	if err != nil {
		return false, fmt.Errorf("check %s: %w", obj, err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || st.Nlink < 2 {
		return false, nil
	}
	if ck, ok := r.depopInodes().lookup(fi); ok && ck == k {
		return false, nil
	}
	err = r.objects.Verify(ctx, k, false)
	var bad *objectstore.BadContentError
	switch {
	case errors.As(err, &bad):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("check %s: %w", k, err)
	}
	return false, nil
}
