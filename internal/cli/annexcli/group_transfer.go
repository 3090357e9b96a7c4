package annexcli

import (
	"context"
	"errors"
	"iter"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/annex"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/keylock"
	"github.com/troveproject/trove/internal/transfer"
	"github.com/troveproject/trove/internal/ui"
	"github.com/troveproject/trove/internal/uuid"
)

// transferCommands are the commands that move content between
// repositories: get, copy, move.
func transferCommands(g *invocation.Globals) []*cobra.Command {
	return []*cobra.Command{
		newGetCommand(g),
		newCopyCommand(g),
		newMoveCommand(g),
		newUnusedCommand(g), newDropUnusedCommand(g), newAddUnusedCommand(g),
	}
}

// newItemsCommand returns the command use of those that act on items
// sought as seekFlags say (get, copy, move, drop): matching options, the
// seek flags, JSON output (with --json-progress when jsonProgress) and -J;
// stdout is buffered unless in batch mode. The caller adds its own flags;
// run reads their values when the command runs.
func newItemsCommand(g *invocation.Globals, use, short string, seek *seekFlags, jsonProgress bool, run func(ctx context.Context, g *invocation.Globals, args []string, terms []MatchTerm) error) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short}
	withMatching(c, func(cmd *cobra.Command, args []string, terms []MatchTerm) error {
		return withBufferedStdout(g, seek.batching(), func(g *invocation.Globals) error {
			return run(cmd.Context(), g, args, terms)
		})
	})
	addSeekFlags(c, seek)
	addJSONFlags(c, g, jsonProgress)
	addJobsFlag(c, g)
	return c
}

// transferJobs is how many items a transfer command works on at once: -J,
// else annex.jobs (not in batch mode, as git-annex), else one for the
// git-annex face and the number of CPUs for trove's.
func transferJobs(g *invocation.Globals, repo *annex.Repo, batch bool) int {
	v := g.Jobs
	if v == "" && !batch {
		if configured, ok := repo.Config().Git().Get("annex.jobs"); ok {
			v = configured
		}
	}
	if v == "" {
		if g.Face == invocation.FaceTrove {
			return runtime.NumCPU()
		}
		return 1
	}
	if strings.EqualFold(v, "cpus") {
		return runtime.NumCPU()
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return 1
}

// errStopSeek ends a Seek early when the consumer stops.
var errStopSeek = errors.New("stop seeking")

// runItems seeks what the command line selects and calls act for every
// item, with up to jobs items at once (results are reported as they
// complete); in batch mode it reads items from stdin one at a time. act
// reports whether it printed a result. via is the remote the command
// names (--from, --to), or nil.
//
// Without -J or annex.jobs, the git-annex face works on one item at a time
// as far as anyone can tell, but when every remote the command can touch
// is local (see overlapWorkers) it overlaps the items' filesystem work:
// several items run at once, their output is rendered strictly in input
// order through a ui.Sequence, and transfers with costlier remotes still
// run one at a time.
func (s *session) runItems(ctx context.Context, command string, via remote.Remote, f seekFlags, args []string, terms []MatchTerm, act func(context.Context, annex.Item) bool) error {
	if f.batching() {
		if len(args) > 0 || f.keyed() {
			return annex.ErrSeekConflict
		}
		m, err := s.matcher(ctx, terms)
		if err != nil {
			return err
		}
		f.batch.enabled = true
		return s.eachBatchItem(ctx, f, m, func(it annex.Item) (bool, error) { return act(ctx, it), nil })
	}
	so, ok, err := s.seekOptions(ctx, command, f, args, terms)
	if err != nil || !ok {
		return err
	}
	so.CopiesAttrs = dropCommands[command]
	var seekErr error
	items := iter.Seq[annex.Item](func(yield func(annex.Item) bool) {
		seekErr = s.repo.Seek(ctx, so, func(it annex.Item) error {
			if !yield(it) {
				return errStopSeek
			}
			return nil
		})
	})
	perr := s.runParallel(ctx, command, via, items, act)
	if seekErr != nil && !errors.Is(seekErr, errStopSeek) {
		return seekErr
	}
	return perr
}

// dropCommands are the item commands that drop content, and so need the
// numcopies attributes of every file.
var dropCommands = map[string]bool{"drop": true, "move": true}

// overlapCommands are the item commands whose work on one item does not
// depend on the output or outcome of the previous ones.
var overlapCommands = map[string]bool{"get": true, "copy": true, "move": true, "drop": true}

// overlapWorkers returns how many items command may work on at once
// while looking sequential: 1 unless the git-annex face runs without -J
// or annex.jobs and every remote it can touch is local (localOnly), whose
// transfers the engine then runs one at a time.
func (s *session) overlapWorkers(ctx context.Context, command string, via remote.Remote) int {
	if !overlapCommands[command] || !implicitJobs(s.g, s.repo) || !s.localOnly(ctx, via) {
		return 1
	}
	s.repo.SerializeTransfers(remote.CheapCost)
	if command == "drop" {
		return dropOverlapDepth
	}
	return overlapDepth
}

// localOnly reports whether every remote a command can touch is local
// (cost at most remote.CheapCost): via, or when via is nil every remote
// but the web.
func (s *session) localOnly(ctx context.Context, via remote.Remote) bool {
	if via != nil {
		return via.Cost() <= remote.CheapCost
	}
	rms, err := s.repo.Remotes(ctx)
	if err != nil {
		return false
	}
	for _, rm := range rms {
		if rm.UUID() != uuid.Web && rm.Cost() > remote.CheapCost {
			return false
		}
	}
	return true
}

// implicitJobs reports whether the git-annex face runs without -J and
// annex.jobs, so that it may overlap work it reports sequentially.
func implicitJobs(g *invocation.Globals, repo *annex.Repo) bool {
	return g.Face != invocation.FaceTrove && jobsUnset(g, repo)
}

// jobsUnset reports whether neither -J nor annex.jobs says how many jobs
// to run.
func jobsUnset(g *invocation.Globals, repo *annex.Repo) bool {
	if g.Jobs != "" {
		return false
	}
	_, ok := repo.Config().Git().Get("annex.jobs")
	return !ok
}

// overlapDepth is how many items overlapped work runs at once: enough to
// keep both the CPUs and the file system busy while one item waits on
// the other.
var overlapDepth = max(2, 2*runtime.NumCPU())

// dropOverlapDepth is overlapDepth for drop, whose items spend most of
// their time waiting on the file system rather than on a CPU: creating
// lock files, and freeing blocks, which on a file system mounted with
// online discard waits for the device to discard each one. More items in
// flight keep the device's queue full.
var dropOverlapDepth = max(8, 8*runtime.NumCPU())

// overlapWindow is how far overlapped work may run ahead of the output,
// in items; it bounds the output held back behind a slow item.
const overlapWindow = 256

// runParallel runs act on items: in overlapped turns (see runItems), or
// with the -J workers (results reported as they complete). Two items of
// one key are never worked on at once: the later one waits, as after a
// sequential run, and finds the work done.
func (s *session) runParallel(ctx context.Context, command string, via remote.Remote, items iter.Seq[annex.Item], act func(context.Context, annex.Item) bool) error {
	type work struct {
		it     annex.Item
		turn   *ui.Turn // nil unless overlapped
		unlock func()
	}
	workers := s.overlapWorkers(ctx, command, via)
	var seq *ui.Sequence
	if workers > 1 {
		seq = s.out.Sequence(overlapWindow)
	} else {
		workers = transferJobs(s.g, s.repo, false)
		if command == "drop" && s.g.Face == invocation.FaceTrove && jobsUnset(s.g, s.repo) && s.localOnly(ctx, via) {
			workers = dropOverlapDepth // the trove face's default, deepened for drop
		}
	}
	if workers <= 1 {
		return transfer.Parallel(ctx, 1, items, func(ctx context.Context, it annex.Item) { act(ctx, it) })
	}
	var keys keylock.Set
	queued := iter.Seq[work](func(yield func(work) bool) {
		for it := range items {
			w := work{it: it}
			if seq != nil {
				t, err := seq.Next(ctx)
				if err != nil {
					return // ctx ended: Parallel reports it
				}
				w.turn = t
			}
			// Locked here, in input order, so the earlier item of a key
			// does the work.
			w.unlock = keys.Lock(it.Key)
			if !yield(w) {
				w.unlock()
				if w.turn != nil {
					w.turn.Done()
				}
				return
			}
		}
	})
	return transfer.Parallel(ctx, workers, queued, func(ctx context.Context, w work) {
		defer w.unlock()
		if w.turn != nil {
			defer w.turn.Done()
			ctx = ui.WithTurn(ctx, w.turn)
		}
		act(ctx, w.it)
	})
}

// openDirected opens the session of copy or move, whose remote is named by
// exactly one of from (--from) and to (--to). When the remote cannot be
// used, the session is finished and s is nil; err is then the command's
// outcome.
func openDirected(ctx context.Context, g *invocation.Globals, from, to string) (s *session, rm remote.Remote, err error) {
	if (from == "") == (to == "") {
		return nil, nil, invocation.Exit(1, "git-annex: Specify --from or --to")
	}
	if s, err = openSession(ctx, g); err != nil {
		return nil, nil, err
	}
	if rm, err = s.remoteNamed(ctx, from+to); err != nil {
		return nil, nil, s.finish(ctx, err)
	}
	return s, rm, nil
}

// remoteNamed returns the remote a --from/--to option names.
func (s *session) remoteNamed(ctx context.Context, name string) (remote.Remote, error) {
	rm, err := s.repo.Remote(ctx, name)
	var re *annex.RemoteError
	switch {
	case err == nil:
		return rm, nil
	case s.g.Face == invocation.FaceTrove:
		return nil, err
	case errors.As(err, &re):
		return nil, invocation.Exit(1, "git-annex: %v", err)
	}
	return nil, invocation.Exit(1, "git-annex: there is no available git remote named %q", name)
}

// showWarnings prints the warnings collected while opening remotes.
func (s *session) showWarnings() {
	for _, w := range s.repo.Warnings() {
		s.out.Warn(w)
	}
}

// endTransfers makes downloads durable and git's index current, then
// finishes the session.
func (s *session) endTransfers(ctx context.Context, err error) error {
	s.showWarnings()
	if ferr := s.repo.FinishTransfers(context.WithoutCancel(ctx)); err == nil {
		err = ferr
	}
	return s.finish(ctx, err)
}

// getFrom gets it (from rm, or the cheapest remote that has it) as part
// of command, reporting the result; it returns false when there was
// nothing to report (content already here, --auto not wanting it).
func (s *session) getFrom(ctx context.Context, command string, it annex.Item, rm remote.Remote, auto bool) bool {
	lt := s.lazyTask(ctx, s.itemAction(command, it))
	opts := annex.GetOptions{From: rm, Auto: auto, NumCopies: max(s.g.NumCopies, 0), Trying: func(rm remote.Remote) {
		lt.begin().Note("from " + rm.Name() + "...")
	}}
	res, err := s.repo.Get(ctx, it, opts, lt)
	if err == nil && res.Skipped {
		return false
	}
	t := lt.begin()
	if err != nil {
		s.getFailure(t, err)
		return true
	}
	t.End(true, nil)
	return true
}

// warnTried warns of the error of a remote a get tried; a refusal for
// lack of space is git-annex's words alone, which name no remote.
func (s *session) warnTried(t *ui.Task, err error) {
	var ns *transfer.NoSpaceError
	if errors.As(err, &ns) {
		err = ns
	}
	t.Warn(err.Error())
}

// getFailure ends t with a failed get as git-annex reports it: "not
// available", or the remotes it could not access, then where else the
// content may be; the trove face adds the next command to run.
func (s *session) getFailure(t *ui.Task, err error) {
	var na *annex.NotAvailableError
	if !errors.As(err, &na) {
		t.Warn(err.Error())
		t.End(false, nil)
		return
	}
	if na.Explicit {
		// git-annex reports only why the remote asked for failed.
		if s.g.Face == invocation.FaceTrove {
			t.Warn(na.Error())
		} else {
			for _, e := range na.TriedErr {
				if errors.Is(e, remote.ErrNotPresent) {
					t.Warn("content is not present in remote")
				} else {
					s.warnTried(t, e)
				}
			}
		}
		t.End(false, nil)
		return
	}
	if len(na.Tried) == 0 {
		t.Note("not available")
	} else {
		names := make([]string, len(na.Tried))
		for i, rm := range na.Tried {
			names[i] = rm.Name()
			if e := na.TriedErr[i]; !errors.Is(e, remote.ErrUnavailable) && !errors.Is(e, remote.ErrNotPresent) {
				s.warnTried(t, e)
			}
		}
		t.AddNote(ui.Note{Text: "Unable to access these remotes: " + strings.Join(names, ", "), Long: true})
	}
	var remotes, others []annex.Copy
	wanted := []ui.Object{}
	for _, k := range na.Wanted {
		c := annex.Copy{UUID: k.UUID, Description: k.Label(), Here: k.Here}
		if k.RemoteName != "" {
			remotes = append(remotes, c)
		} else {
			others = append(others, c)
		}
		wanted = append(wanted, ui.Object{"description": c.Description, "here": c.Here, "uuid": string(c.UUID)})
	}
	var msg string
	if len(remotes) > 0 {
		msg += "Try making some of these repositories available:\n" + copyLines(remotes)
	}
	if len(others) > 0 {
		msg += "Maybe add some of these git remotes (git remote add ...):\n" + copyLines(others)
	}
	if len(na.Untrusted) > 0 {
		var us []annex.Copy
		for _, k := range na.Untrusted {
			us = append(us, annex.Copy{UUID: k.UUID, Description: k.Label()})
		}
		msg += "Also these untrusted repositories may contain the file:\n" + copyLines(us)
	}
	if msg == "" {
		msg = "No other repository is known to contain the file."
	}
	t.AddNote(ui.Note{Text: msg, Long: true, HumanOnly: true})
	if len(na.Ignored) > 0 {
		t.AddNote(ui.Note{Text: "(Note that these git remotes have annex-ignore set: " + strings.Join(na.Ignored, " ") + ")", Long: true, HumanOnly: true})
	}
	if s.g.Face == invocation.FaceTrove {
		t.Warn(na.Error())
	}
	t.End(false, ui.Object{"wanted": wanted})
}
