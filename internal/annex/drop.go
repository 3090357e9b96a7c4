package annex

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/objectstore"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// DropOptions are the settings of drop, drop --from, and of the drop half
// of move.
type DropOptions struct {
	// Force skips every check (--force).
	Force bool
	// NumCopies and MinCopies override the configured values when > 0
	// (--numcopies, --mincopies).
	NumCopies, MinCopies int
	// Auto drops only content that the repository dropped from does not
	// want (preferred content) and that has more than numcopies copies
	// elsewhere (--auto); other items are skipped, not refused.
	Auto bool
	// Unused records the content as dead rather than missing in the
	// location log, as git-annex does for `drop --unused`.
	Unused bool
	// Note, when set, receives the notes git-annex shows while it
	// verifies copies ("locking origin..." for ssh remotes).
	Note func(string)
}

// DropResult is what a drop did.
type DropResult struct {
	// Dropped: the content is gone from the repository dropped from.
	Dropped bool
	// Skipped: --auto left the item alone (it is wanted, or too few
	// copies exist elsewhere); nothing is reported for it.
	Skipped bool
	// Copies are the copies verified to allow the drop (nil with Force).
	Copies []VerifiedCopy
	// Kept, set with Skipped, says why content that is not --auto's to
	// leave was left in place: a *ThinModifiedError.
	Kept error
}

// ErrRequiredContent is wrapped by *RequiredContentError.
var ErrRequiredContent = errors.New("required content cannot be dropped")

// RequiredContentError is a drop refused because the repository's
// required content expression matches the item. Error() is git-annex's
// note.
type RequiredContentError struct {
	File string
}

// Is makes errors.Is(err, ErrRequiredContent) true.
func (e *RequiredContentError) Is(target error) bool { return target == ErrRequiredContent }

func (e *RequiredContentError) Error() string {
	return "That file is required content. It cannot be dropped!\n(Use --force to override this check, or adjust required content configuration.)"
}

// DropLocal drops this repository's copy of it.Key after git-annex's
// safety checks: the exclusive removal lock on the local object first (so
// no other process can count it as a copy meanwhile), then
// max(numcopies, mincopies) copies verified elsewhere — trusted
// repositories without contact, remotes with remote.ContentLocker locked
// until the drop is done, others by CheckPresent. Required content is
// refused (*RequiredContentError); too few copies is an *UnsafeDropError.
// Force skips the checks. Content not present is not an error
// (Dropped is true: it is gone). With annex.thin, content modified
// through a hard-linked unlocked file counts as not present, as in
// git-annex: the item is Skipped, with Kept a *ThinModifiedError, and
// even Force leaves the object and the location log alone. After a drop the location log records
// this repository as missing it. Safe for concurrent use on different keys.
func (r *Repo) DropLocal(ctx context.Context, it Item, opts DropOptions) (DropResult, error) {
	if modified, err := r.thinModified(ctx, it.Key); err != nil || modified {
		var kept error
		if modified {
			kept = &ThinModifiedError{Key: it.Key, File: it.describeFile()}
		}
		return DropResult{Skipped: modified, Kept: kept}, err
	}
	d, num, minc, skip, err := r.dropPlan(ctx, it, r.here, opts)
	if err != nil || skip {
		return DropResult{Skipped: skip}, err
	}
	lock, err := r.objects.LockForRemoval(ctx, it.Key)
	switch {
	case errors.Is(err, objectstore.ErrNotPresent):
		// Gone already (another file with the same content was dropped
		// first): only the log is left to fix, as git-annex does.
		return DropResult{Dropped: true}, d.logDropped(ctx, it.Key, r.here, opts)
	case err != nil:
		return DropResult{}, fmt.Errorf("drop %s: %w", it.describe(), err)
	}
	defer func() { _ = lock.Release() }() // a failed release leaves only a stale lock file
	var res DropResult
	if !opts.Force {
		if err := d.checkRequired(ctx, it, r.here, opts); err != nil {
			return DropResult{}, err
		}
		v, err := d.verify(ctx, it, r.here, num, minc, true, "", opts.Note)
		if v != nil {
			defer func() { _ = v.release() }() // releasing the remotes' locks; the drop is done either way
		}
		if err != nil {
			return DropResult{}, err
		}
		res.Copies = v.have
	}
	if err := r.removeContent(ctx, lock, opts.Note); err != nil {
		return DropResult{}, fmt.Errorf("drop %s: %w", it.describe(), err)
	}
	res.Dropped = true
	return res, d.logDropped(ctx, it.Key, r.here, opts)
}

// DropFrom drops rm's copy of it.Key with the same rules as DropLocal,
// except that no local removal lock is involved: this repository counts
// as a copy when it has the content (locked shared until the drop is
// done), and of the numcopies copies needed, mincopies must be locked or
// trusted. After Remove succeeds the location log records rm as missing
// the content. Removing content rm lacks is not an error.
func (r *Repo) DropFrom(ctx context.Context, it Item, rm remote.Remote, opts DropOptions) (DropResult, error) {
	d, num, minc, skip, err := r.dropPlan(ctx, it, rm.UUID(), opts)
	if err != nil || skip {
		return DropResult{Skipped: skip}, err
	}
	var res DropResult
	if !opts.Force {
		if err := d.checkRequired(ctx, it, rm.UUID(), opts); err != nil {
			return DropResult{}, err
		}
		v, err := d.verify(ctx, it, rm.UUID(), num, minc, false, rm.Name(), opts.Note)
		if v != nil {
			defer func() { _ = v.release() }() // releasing the remotes' locks; the drop is done either way
		}
		if err != nil {
			return DropResult{}, err
		}
		res.Copies = v.have
	}
	if err := rm.Remove(ctx, it.Key); err != nil {
		return DropResult{}, fmt.Errorf("drop %s from %s: %w", it.describe(), rm.Name(), err)
	}
	res.Dropped = true
	return res, d.logDropped(ctx, it.Key, rm.UUID(), opts)
}

// dropPlan returns the command's dropper and the numcopies and mincopies
// a drop of it from u needs; skip is set when --auto leaves it alone.
func (r *Repo) dropPlan(ctx context.Context, it Item, u uuid.UUID, opts DropOptions) (d *dropper, num, minc int, skip bool, err error) {
	if d, err = r.dropper(ctx); err != nil {
		return nil, 0, 0, false, err
	}
	if num, minc, err = d.copiesFor(ctx, it, opts); err != nil {
		return nil, 0, 0, false, err
	}
	if opts.Auto {
		ok, err := d.autoWants(ctx, it, u, num)
		if err != nil {
			return nil, 0, 0, false, err
		}
		skip = !ok
	}
	return d, num, minc, skip, nil
}

// describe names the item in errors.
func (it Item) describe() string {
	if it.File != "" {
		return it.Shown()
	}
	return it.Key.String()
}

// describeFile names the item's file in messages; empty for a key.
func (it Item) describeFile() string {
	if it.File == "" {
		return ""
	}
	return it.Shown()
}

// logDropped records that u no longer has k (dead with opts.Unused). The
// record is deferred to Commit, in one commit with the command's other
// records, unless u is trusted: other repositories count a trusted
// repository's copies from the log without checking, so a command dying
// before Commit must not leave a trusted copy claimed that is gone. For
// other repositories a stale "present" misleads nobody into an unsafe
// drop, since their copies are verified live (locked or checked), and
// `git annex fsck` corrects it.
func (d *dropper) logDropped(ctx context.Context, k key.Key, u uuid.UUID, opts DropOptions) error {
	st := logs.Missing
	if opts.Unused {
		st = logs.Dead
	}
	if d.repos.Get(u).Trust != policy.Trusted {
		d.r.deferLocation(k, u, st)
		return nil
	}
	if err := d.r.logLocation(ctx, k, u, st); err != nil {
		return fmt.Errorf("record that %s was dropped: %w", k, err)
	}
	return nil
}

// dropper holds what the drops of one command share, loaded on first use.
type dropper struct {
	r     *Repo
	repos *Repos
	env   *queryEnv

	globalNum, globalMin int

	policyOnce sync.Once
	policy     *contentPolicy
	policyErr  error

	attrMu sync.Mutex
	attrs  *gitcmd.CheckAttr
}

// dropState is the Repo's dropper, created on first use.
type dropState struct {
	once sync.Once
	d    *dropper
	err  error
	// depop turns unlocked files back into pointer files (populate.go).
	depop depopulation
}

func (r *Repo) dropper(ctx context.Context) (*dropper, error) {
	r.drops.once.Do(func() { r.drops.d, r.drops.err = r.newDropper(ctx) })
	return r.drops.d, r.drops.err
}

// close stops the dropper's check-attr process.
func (s *dropState) close() error {
	if s.d == nil || s.d.attrs == nil {
		return nil
	}
	return s.d.attrs.Close()
}

func (r *Repo) newDropper(ctx context.Context) (*dropper, error) {
	env, err := r.queryEnv(ctx)
	if err != nil {
		return nil, err
	}
	nc, err := r.NumCopies(ctx)
	if err != nil {
		return nil, err
	}
	mc, ok, err := r.GlobalCopies(ctx, MinCopiesSetting)
	if err != nil {
		return nil, err
	}
	if !ok {
		mc = int(policy.DefaultMinCopies)
	}
	return &dropper{r: r, repos: env.repos, env: env, globalNum: configured(int(nc)), globalMin: configured(mc)}, nil
}

// configured is git-annex's configuredNumCopies: values below 1 mean 1.
func configured(n int) int { return max(n, 1) }

// copiesAttrNames are the git attributes that set the numcopies and
// mincopies of a file.
var copiesAttrNames = []string{"annex.numcopies", "annex.mincopies"}

// copiesFor returns the numcopies and mincopies a drop of it needs:
// --numcopies/--mincopies, else the item's annex.numcopies/annex.mincopies
// attributes, else numcopies.log (or the deprecated git config
// annex.numcopies) and mincopies.log, else 1.
func (d *dropper) copiesFor(ctx context.Context, it Item, opts DropOptions) (int, int, error) {
	num, minc := opts.NumCopies, opts.MinCopies
	if (num > 0 && minc > 0) || it.File == "" || it.Branch != "" {
		return cmpOr(num, d.globalNum), cmpOr(minc, d.globalMin), nil
	}
	vals := it.copiesAttrs
	if !it.hasCopiesAttrs {
		var err error
		if vals, err = d.checkAttr(ctx, it.File); err != nil {
			return 0, 0, err
		}
	}
	if num <= 0 {
		num = d.globalNum
		if n, ok := attrCount(vals["annex.numcopies"]); ok {
			num = n
		}
	}
	if minc <= 0 {
		minc = d.globalMin
		if n, ok := attrCount(vals["annex.mincopies"]); ok {
			minc = n
		}
	}
	return num, minc, nil
}

func cmpOr(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

// attrCount reads an attribute value as git-annex's readish.
func attrCount(v string) (int, bool) {
	if v == "" || v == gitcmd.AttrSet || v == gitcmd.AttrUnset {
		return 0, false
	}
	n, err := policy.ParseNumCopies(v)
	if err != nil {
		return 0, false
	}
	return configured(int(n)), true
}

func (d *dropper) checkAttr(ctx context.Context, path string) (map[string]string, error) {
	d.attrMu.Lock()
	if d.attrs == nil {
		a, err := d.r.git.NewCheckAttr(context.WithoutCancel(ctx), copiesAttrNames...)
		if err != nil {
			d.attrMu.Unlock()
			return nil, err
		}
		d.attrs = a
	}
	a := d.attrs
	d.attrMu.Unlock()
	vals, err := a.Check(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("check attributes of %s: %w", path, err)
	}
	return vals, nil
}

// subject is the item as preferred-content expressions see it.
func (it Item) subject() policy.Subject {
	if it.File == "" || it.Branch != "" {
		return keySubject{it.Key}
	}
	return annexedSubject{AnnexedFile{Path: it.File, Key: it.Key, Unlocked: it.Unlocked}}
}

// checkRequired refuses to drop what from's required content matches,
// evaluated as if from no longer had it.
func (d *dropper) checkRequired(ctx context.Context, it Item, from uuid.UUID, opts DropOptions) error {
	cp, err := d.contentPolicy(ctx)
	if err != nil {
		return err
	}
	expr, ok := cp.required[from]
	if !ok {
		return nil
	}
	match, err := expr.Match(ctx, d.env, it.subject(), from)
	if err != nil {
		return fmt.Errorf("check required content of %s: %w", it.describe(), err)
	}
	if match {
		return &RequiredContentError{File: it.File}
	}
	return nil
}

// autoWants reports whether --auto should drop it from u: more than
// numcopies trustworthy copies exist besides u's, and u's preferred
// content (which includes its required content) does not want it.
func (d *dropper) autoWants(ctx context.Context, it Item, u uuid.UUID, num int) (bool, error) {
	locs, err := d.r.ItemLocations(ctx, it)
	if err != nil {
		return false, fmt.Errorf("location log of %s: %w", it.describe(), err)
	}
	n := 0
	for _, l := range locs {
		if t := d.repos.Get(l).Trust; l != u && t != policy.UnTrusted && t != policy.Dead {
			n++
		}
	}
	if n < num {
		return false, nil
	}
	cp, err := d.contentPolicy(ctx)
	if err != nil {
		return false, err
	}
	expr, ok := cp.preferred[u]
	if !ok {
		return true, nil
	}
	want, err := expr.Match(ctx, d.env, it.subject(), u)
	if err != nil {
		return false, fmt.Errorf("check preferred content of %s: %w", it.describe(), err)
	}
	return !want, nil
}

// verify gathers the evidence for dropping it from the repository from
// (here for a local drop, whose removal lock the caller holds). It
// returns the verification (whose locks the caller releases) and an
// *UnsafeDropError when the copies do not suffice.
func (d *dropper) verify(ctx context.Context, it Item, from uuid.UUID, num, minc int, local bool, fromName string, note func(string)) (*verification, error) {
	locs, err := d.r.ItemLocations(ctx, it)
	if err != nil {
		return nil, fmt.Errorf("location log of %s: %w", it.describe(), err)
	}
	slices.Sort(locs)
	locs = slices.Compact(locs)
	var live []uuid.UUID
	for _, u := range locs {
		if d.repos.Get(u).Trust != policy.Dead {
			live = append(live, u)
		}
	}
	var pre []VerifiedCopy
	var cands []dropCandidate
	usable := func(u uuid.UUID) bool {
		return u != from && d.repos.Get(u).Trust != policy.UnTrusted && slices.Contains(live, u)
	}
	for _, u := range live {
		if usable(u) && d.repos.Get(u).Trust == policy.Trusted {
			pre = append(pre, VerifiedCopy{UUID: u, Kind: TrustedCopy})
		}
	}
	if !local && usable(d.r.here) && d.repos.Get(d.r.here).Trust != policy.Trusted {
		cands = append(cands, dropCandidate{UUID: d.r.here})
	}
	if len(live) > len(pre)+len(cands) {
		rms, err := d.r.Remotes(ctx)
		if err != nil {
			return nil, err
		}
		for _, rm := range rms {
			u := rm.UUID()
			if usable(u) && u != d.r.here && d.repos.Get(u).Trust != policy.Trusted &&
				!slices.ContainsFunc(cands, func(c dropCandidate) bool { return c.UUID == u }) {
				cands = append(cands, dropCandidate{UUID: u, rm: rm})
			}
		}
	}
	lockHere := func(ctx context.Context) (func() error, error) {
		l, err := d.r.objects.LockShared(ctx, it.Key)
		if err != nil {
			return nil, err
		}
		return l.Release, nil
	}
	v, ok := verifyCopies(ctx, it.Key, num, minc, local, pre, cands, lockHere, note)
	if ok {
		return v, nil
	}
	if err := ctx.Err(); err != nil {
		return v, err
	}
	return v, d.unsafeError(ctx, it, from, fromName, num, minc, live, v)
}

// unsafeError describes a refused drop as git-annex's notEnoughCopies
// and showLocations do.
func (d *dropper) unsafeError(ctx context.Context, it Item, from uuid.UUID, fromName string, num, minc int, live []uuid.UUID, v *verification) error {
	e := &UnsafeDropError{Key: it.Key, File: it.Shown(), From: fromName, Verified: len(v.have), Needed: num,
		LockUnsupported: v.lockUnsupported, Unreachable: v.unreachable}
	if len(v.have) >= num {
		e.LockShortfall, e.Needed = true, minc
	}
	excluded := append([]uuid.UUID{d.r.here, from}, v.missing...)
	for _, c := range v.have {
		excluded = append(excluded, c.UUID)
	}
	for _, u := range live {
		if slices.Contains(excluded, u) {
			continue
		}
		kr := d.repos.Get(u)
		if kr.Trust == policy.UnTrusted {
			e.Untrusted = append(e.Untrusted, kr)
		} else {
			e.Candidates = append(e.Candidates, kr)
		}
	}
	cp, err := d.contentPolicy(ctx)
	if err != nil {
		return err
	}
	for _, c := range e.Candidates {
		if cp.special[c.UUID] {
			e.SpecialRemotes = append(e.SpecialRemotes, c.UUID)
		}
	}
	for _, rem := range d.r.cfg.Remotes {
		if rem.Ignore {
			e.Ignored = append(e.Ignored, rem.Name)
		}
	}
	return e
}

// contentPolicy holds the parsed preferred and required content
// expressions of every repository, and which UUIDs are special remotes.
type contentPolicy struct {
	preferred map[uuid.UUID]*policy.Expr // required content or-ed in
	required  map[uuid.UUID]*policy.Expr
	special   map[uuid.UUID]bool
}

func (d *dropper) contentPolicy(ctx context.Context) (*contentPolicy, error) {
	d.policyOnce.Do(func() { d.policy, d.policyErr = d.loadContentPolicy(ctx) })
	return d.policy, d.policyErr
}

// loadContentPolicy reads preferred-content.log, required-content.log,
// group-preferred-content.log and remote.log. Expressions that do not
// parse match only present content, as in git-annex.
func (d *dropper) loadContentPolicy(ctx context.Context) (*contentPolicy, error) {
	read := func(path string) ([]byte, error) {
		b, err := d.r.branch.Get(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		return b, nil
	}
	groupWanted := map[string]string{}
	b, err := read(logs.GroupPreferredContentLog)
	if err != nil {
		return nil, err
	}
	for g, e := range logs.ParseMapLog(b) {
		groupWanted[g] = e.Value
	}
	remoteLog, err := read(logs.RemoteLog)
	if err != nil {
		return nil, err
	}
	cp := &contentPolicy{preferred: map[uuid.UUID]*policy.Expr{}, required: map[uuid.UUID]*policy.Expr{}, special: map[uuid.UUID]bool{}}
	remotes := logs.ParseRemoteLog(remoteLog)
	for u := range remotes {
		cp.special[u] = true
	}
	parse := func(path string, into map[uuid.UUID]*policy.Expr) error {
		b, err := read(path)
		if err != nil {
			return err
		}
		for u, e := range logs.ParseUUIDLog(b) {
			info := policy.RepoInfo{UUID: u, Groups: d.env.groups[u], GroupWanted: groupWanted}
			if rc, ok := remotes[u]; ok {
				info.PreferredDir = rc.Value["preferreddir"]
			}
			x, err := policy.ParsePreferred(e.Value, info)
			switch {
			case err != nil:
				into[u] = policy.Unparseable(u)
			case !x.IsEmpty(): // an empty expression is an unset one
				into[u] = x
			}
		}
		return nil
	}
	if err := parse(logs.PreferredContentLog, cp.preferred); err != nil {
		return nil, err
	}
	if err := parse(logs.RequiredContentLog, cp.required); err != nil {
		return nil, err
	}
	for u, req := range cp.required {
		if pc, ok := cp.preferred[u]; ok {
			cp.preferred[u] = policy.Combine(pc, req)
		} else {
			cp.preferred[u] = req
		}
	}
	return cp, nil
}
