package annex

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/policy"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// GetOptions are the settings of Get.
type GetOptions struct {
	// From forces the remote to get from (--from); nil picks the
	// cheapest remote the location log says has the content.
	From remote.Remote
	// Auto is --auto: get only what WantGet selects.
	Auto bool
	// NumCopies overrides numcopies for --auto when > 0.
	NumCopies int
	// Trying, when set, is called before each remote is tried, so that
	// the caller can show "from NAME...". It is the first sign that Get
	// acts on the item.
	Trying func(rm remote.Remote)
}

// GetResult is what Get did.
type GetResult struct {
	// Skipped is set when there was nothing to do: the content is already
	// here, or --auto does not want it. git-annex reports nothing then.
	Skipped bool
	// From is the remote the content came from.
	From remote.Remote
}

// NotAvailableError is Get's failure: no remote could provide the content.
type NotAvailableError struct {
	Item Item
	// Tried are the remotes that were tried and failed, in order, with
	// their errors.
	Tried    []remote.Remote
	TriedErr []error
	// Wanted are the other repositories the location log says have the
	// content; each has RemoteName set when it is a git remote here.
	Wanted []KnownRepo
	// Untrusted are untrusted repositories that may have it.
	Untrusted []KnownRepo
	// Ignored are the remotes left out because of annex-ignore.
	Ignored []string
	// Explicit is set when the one remote tried was asked for (--from):
	// git-annex then reports only why that remote failed.
	Explicit bool
}

func (e *NotAvailableError) Error() string {
	what := e.Item.Shown()
	if what == "" {
		what = e.Item.Key.String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "cannot get %s: ", what)
	switch {
	case len(e.Tried) > 0:
		names := make([]string, len(e.Tried))
		for i, rm := range e.Tried {
			names[i] = rm.Name()
		}
		fmt.Fprintf(&b, "could not get it from %s (%v)", strings.Join(names, ", "), errors.Join(e.TriedErr...))
	default:
		b.WriteString("no reachable remote has it")
	}
	if len(e.Tried) > 0 && !slices.ContainsFunc(e.TriedErr, func(err error) bool { return !errors.Is(err, remote.ErrNotPresent) }) {
		// Every remote tried lacks what the location log says it has.
		names := make([]string, len(e.Tried))
		cmds := make([]string, len(e.Tried))
		for i, rm := range e.Tried {
			names[i] = rm.Name()
			cmds[i] = fmt.Sprintf("`git annex setpresentkey %s %s 0`", e.Item.Key, rm.UUID())
		}
		fmt.Fprintf(&b, "; the location log is out of date: %s does not have it (record that with %s)", strings.Join(names, ", "), strings.Join(cmds, " and "))
		return b.String()
	}
	var remotes, others []string
	for _, k := range e.Wanted {
		if k.RemoteName != "" {
			remotes = append(remotes, k.RemoteName)
		} else {
			others = append(others, k.Label()+" ("+string(k.UUID)+")")
		}
	}
	switch {
	case len(remotes) > 0:
		fmt.Fprintf(&b, "; make %s reachable and run `git annex get %s` again", strings.Join(remotes, ", "), what)
	case len(others) > 0:
		fmt.Fprintf(&b, "; %s may have it: add it with `git remote add NAME URL`", strings.Join(others, ", "))
	case len(e.Tried) == 0:
		b.WriteString("; no other repository is known to have it (`git annex whereis` shows where it was)")
	}
	return b.String()
}

// Get makes the content of it present here: from opts.From, or from the
// remotes the location log lists (dead ones left out) in cost order,
// trying each until one works. Present content and --auto items not
// wanted are skipped. On success the location log records the content
// here (deferred to Commit) and an unlocked file gets its content (see
// FinishTransfers). A failure is a *NotAvailableError. Safe for
// concurrent use on different keys.
func (r *Repo) Get(ctx context.Context, it Item, opts GetOptions, m progress.Meter) (GetResult, error) {
	if has, err := r.objects.Has(it.Key); err != nil || has {
		return GetResult{Skipped: has}, err
	}
	if opts.Auto {
		want, err := r.WantGet(ctx, it, opts.NumCopies)
		if err != nil || !want {
			return GetResult{Skipped: !want}, err
		}
	}
	locs, err := r.ItemLocations(ctx, it)
	if err != nil {
		return GetResult{}, fmt.Errorf("location log of %s: %w", it.Key, err)
	}
	candidates := []remote.Remote{opts.From}
	if opts.From == nil {
		if candidates, err = r.getCandidates(ctx, locs); err != nil {
			return GetResult{}, err
		}
	} else if !r.fromOK(ctx, opts.From, it.Key, locs) {
		return GetResult{Skipped: true}, nil
	}
	na := &NotAvailableError{Item: it, Explicit: opts.From != nil}
	for _, rm := range candidates {
		if opts.From == nil && hasKeyCheap(rm) {
			// git-annex's probablyPresent: a remote that answers cheaply
			// is asked first, and one without the key is passed over
			// without a word.
			if ok, err := rm.CheckPresent(ctx, it.Key); err != nil || !ok {
				if err == nil {
					err = remote.ErrNotPresent
				}
				na.Tried, na.TriedErr = append(na.Tried, rm), append(na.TriedErr, err)
				continue
			}
		}
		if opts.Trying != nil {
			opts.Trying(rm)
		}
		if err := r.Transfers().Download(ctx, rm, it.Key, it.File, m); err != nil {
			if ctx.Err() != nil {
				return GetResult{}, err
			}
			na.Tried, na.TriedErr = append(na.Tried, rm), append(na.TriedErr, err)
			continue
		}
		if err := r.gotContent(ctx, it); err != nil {
			return GetResult{From: rm}, err
		}
		return GetResult{From: rm}, nil
	}
	if err := r.explainMissing(ctx, na, locs); err != nil {
		return GetResult{}, err
	}
	return GetResult{}, na
}

// fromOK is git-annex's fromOk: whether to try getting k from the remote
// the user named (--from). A remote that answers cheaply and has it is
// tried; otherwise the location log decides, so that content the log
// says is there is tried (and its absence reported) while content the
// remote never had is passed over without a word.
func (r *Repo) fromOK(ctx context.Context, rm remote.Remote, k key.Key, locs []uuid.UUID) bool {
	if hasKeyCheap(rm) {
		if ok, err := rm.CheckPresent(ctx, k); err == nil && ok {
			return true
		}
	}
	return rm.UUID() != r.here && slices.Contains(locs, rm.UUID())
}

// hasKeyCheap reports whether asking rm whether it has a key costs next to
// nothing (a repository on a local path), as git-annex's hasKeyCheap.
func hasKeyCheap(rm remote.Remote) bool {
	a, ok := rm.(remote.Availabler)
	return ok && a.Availability() == remote.LocallyAvailable
}

// gotContent records that it's content arrived here: the location log
// (deferred) and the content of every unlocked work-tree file of the key
// that is still a pointer file (it's own, and the others git-annex fills
// too).
func (r *Repo) gotContent(ctx context.Context, it Item) error {
	if err := r.logPresent(ctx, it.Key); err != nil {
		return err
	}
	var paths []string
	if it.Unlocked && it.File != "" && it.Branch == "" {
		paths = append(paths, it.File)
	}
	others, err := r.unlockedFiles(ctx, it.Key)
	if err != nil {
		return err
	}
	for _, p := range others {
		if !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	for _, p := range paths {
		wrote, err := r.populate(ctx, p, it.Key)
		if err != nil {
			return err
		}
		if wrote {
			r.notePopulated(p)
		}
	}
	return nil
}

// getCandidates are the usable remotes whose UUID is in locs and that are
// not dead, cheapest first (Remotes' order).
func (r *Repo) getCandidates(ctx context.Context, locs []uuid.UUID) ([]remote.Remote, error) {
	rms, err := r.Remotes(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := r.Repos(ctx)
	if err != nil {
		return nil, err
	}
	var out []remote.Remote
	for _, rm := range rms {
		if slices.Contains(locs, rm.UUID()) && rs.Get(rm.UUID()).Trust != policy.Dead {
			out = append(out, rm)
		}
	}
	return out, nil
}

// explainMissing fills in where else the content may be, as git-annex's
// showLocations: the repositories in the log other than here and the
// remotes tried, untrusted ones apart, dead ones left out.
func (r *Repo) explainMissing(ctx context.Context, na *NotAvailableError, locs []uuid.UUID) error {
	rs, err := r.Repos(ctx)
	if err != nil {
		return err
	}
	tried := map[uuid.UUID]bool{r.here: true}
	for _, rm := range na.Tried {
		tried[rm.UUID()] = true
	}
	seen := map[uuid.UUID]bool{}
	for _, u := range locs {
		if tried[u] || seen[u] {
			continue
		}
		seen[u] = true
		k := rs.Get(u)
		switch k.Trust {
		case policy.Dead:
		case policy.UnTrusted:
			na.Untrusted = append(na.Untrusted, k)
		default:
			na.Wanted = append(na.Wanted, k)
		}
	}
	for _, rem := range r.cfg.Remotes {
		if rem.Ignore {
			na.Ignored = append(na.Ignored, rem.Name)
		}
	}
	return nil
}
