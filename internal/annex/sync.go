package annex

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/troveproject/trove/internal/gitcmd"
)

// Toggle is an on/off option of a command that may be left to the
// repository's configuration.
type Toggle int8

// The values of a Toggle.
const (
	ToggleDefault Toggle = iota // decided by configuration
	ToggleOn
	ToggleOff
)

// resolve returns the toggle's value, def when left to configuration.
func (t Toggle) resolve(def bool) bool {
	switch t {
	case ToggleOn:
		return true
	case ToggleOff:
		return false
	}
	return def
}

// SyncOptions are the options of `git annex sync` (and of push, pull and
// merge, which are syncs with some steps left out).
type SyncOptions struct {
	// Remotes are the remotes to sync with by name; none means every git
	// remote whose annex-sync is not false, in cost order.
	Remotes []string
	// Commit commits the work tree first (default annex.autocommit, true).
	Commit Toggle
	// Message is the commit message; "" means "git-annex in DESCRIPTION".
	Message string
	// Pull fetches from and merges the remotes (default: annex-pull of each).
	Pull Toggle
	// Push pushes to the remotes (default: annex-push of each).
	Push Toggle
	// Content transfers annexed content (default annex.synccontent, or
	// true with OnlyAnnex).
	Content Toggle
	// ContentOf limits content transfers to these repository paths.
	ContentOf []string
	// All transfers every key with a location log, not only the work tree's.
	All bool
	// NoGet and NoSend leave out content transfers in one direction:
	// Trove's push sets NoGet and pull NoSend (git-annex 10.20230126's
	// sync moves content both ways whatever --no-pull and --no-push say).
	NoGet, NoSend bool
	// NumCopies and MinCopies override the configured values for the
	// drops of unwanted content when > 0.
	NumCopies, MinCopies int
	// Transfers carries out and reports the content actions; nil does
	// them without reporting.
	Transfers SyncTransfers
	// OnlyAnnex syncs only the git-annex branch (default annex.synconlyannex).
	OnlyAnnex Toggle
	// ResolveMerge resolves conflicted merges of annexed files by keeping
	// both versions (default annex.resolvemerge, true).
	ResolveMerge Toggle
	// AllowUnrelatedHistories is passed to git merge.
	AllowUnrelatedHistories bool
	// Cleanup removes the synced/ branches here and on the remotes and
	// does nothing else.
	Cleanup bool
	// Jobs is how many content transfers run at once (<1 means 1).
	Jobs int
	// NoNetwork merges only what is already here: every */git-annex ref,
	// then the local synced/ branch (`git annex merge`).
	NoNetwork bool
}

// SyncReporter receives the steps of a sync as they happen, from one
// goroutine and in order. The git-annex face renders them as git-annex
// does: "pull origin", git's own output, "ok".
type SyncReporter interface {
	// Start begins a step: command is "commit", "merge", "pull", "push"
	// or "cleanup"; subject names the remote or branch ("" for none).
	Start(command, subject string)
	// GitOutput is called before each git command of the current step
	// whose output the user sees, and returns where its stdout and stderr
	// go (git-annex starts a new line each time).
	GitOutput() (stdout, stderr io.Writer)
	// Note adds a long note to the current step.
	Note(text string)
	// Warn reports a problem with the current step.
	Warn(msg string)
	// End finishes the current step.
	End(ok bool)
	// SideAction reports housekeeping between steps, such as
	// "merging origin/git-annex into git-annex".
	SideAction(msg string)
}

// SyncResult summarises a sync.
type SyncResult struct {
	// Failed counts the steps that failed.
	Failed int
}

// syncRun is the state of one sync.
type syncRun struct {
	r    *Repo
	opts SyncOptions
	rep  SyncReporter
	res  SyncResult

	branch    string // checked-out branch, "refs/heads/master"; "" when detached or bare
	hasCommit bool   // branch has commits
	onlyAnnex bool
	resolve   bool
	remotes   []syncRemote
	specials  []string // special remotes whose content is synced (no git)
	merged    []string // git-annex refs merged and not yet reported
}

// Sync synchronises the repository with its git remotes as `git annex
// sync` does (internals §11.3): commit, merge the local synced/ branch,
// fetch and merge each remote, merge every */git-annex ref, transfer
// content when asked, update synced/BRANCH, push. Steps that fail are
// reported to rep and counted; an error means sync could not go on (an
// unknown remote, a broken repository). Sync is not safe to run twice at
// once on one Repo.
func (r *Repo) Sync(ctx context.Context, opts SyncOptions, rep SyncReporter) (SyncResult, error) {
	s := &syncRun{r: r, opts: opts, rep: rep}
	if err := s.prepare(ctx); err != nil {
		return s.res, err
	}
	if opts.Cleanup {
		return s.res, s.cleanup(ctx)
	}
	if opts.NoNetwork {
		return s.res, s.mergeOnly(ctx)
	}
	if !s.onlyAnnex {
		if err := s.commit(ctx); err != nil {
			return s.res, err
		}
	}
	if !s.onlyAnnex {
		if err := s.mergeLocal(ctx); err != nil {
			return s.res, err
		}
	}
	if err := s.pullAll(ctx); err != nil {
		return s.res, err
	}
	if err := s.mergeAnnex(ctx); err != nil {
		return s.res, err
	}
	if s.content() {
		if err := s.contentThenPull(ctx); err != nil {
			return s.res, err
		}
	}
	if err := s.updateSyncedBranch(ctx); err != nil {
		return s.res, err
	}
	return s.res, s.pushAll(ctx)
}

// contentThenPull transfers content and, when any was transferred, pulls
// again, records the new locations and merges the git-annex branches, so
// that the push does not overwrite what the remotes recorded meanwhile
// (as git-annex does).
func (s *syncRun) contentThenPull(ctx context.Context) error {
	changed, err := s.syncContent(ctx)
	if err != nil {
		return err
	}
	if err := s.commitPeers(ctx); err != nil || !changed {
		return err
	}
	if err := s.pullAll(ctx); err != nil {
		return err
	}
	committed, err := s.r.Commit(ctx)
	if err != nil {
		return err
	}
	if committed {
		s.rep.SideAction("recording state in git")
	}
	return s.mergeAnnex(ctx)
}

// prepare resolves the options against the configuration.
func (s *syncRun) prepare(ctx context.Context) error {
	var err error
	if s.onlyAnnex, err = s.r.syncSetting(ctx, "annex.synconlyannex", s.opts.OnlyAnnex, false); err != nil {
		return err
	}
	if s.resolve, err = s.r.syncSetting(ctx, "annex.resolvemerge", s.opts.ResolveMerge, true); err != nil {
		return err
	}
	if !s.r.git.Bare {
		if s.branch, err = s.r.git.CurrentBranch(ctx); err != nil {
			return err
		}
		if s.branch != "" {
			if s.hasCommit, err = s.r.git.RefExists(ctx, s.branch); err != nil {
				return err
			}
		}
	}
	if !s.opts.NoNetwork {
		// Peers opened to learn their UUIDs have their journals
		// committed already (settleAsPeer).
		if s.remotes, s.specials, err = s.r.syncRemotes(ctx, s.opts.Remotes); err != nil {
			return err
		}
	}
	return nil
}

// content reports whether content is transferred.
func (s *syncRun) content() bool {
	if s.opts.NoNetwork {
		return false
	}
	def, err := s.r.syncSetting(context.Background(), "annex.synccontent", ToggleDefault, s.onlyAnnex)
	if err != nil {
		def = s.onlyAnnex
	}
	return s.opts.Content.resolve(def) || len(s.opts.ContentOf) > 0
}

// syncSetting resolves a boolean setting: the option, else git config,
// else config.log in the git-annex branch, else def.
func (r *Repo) syncSetting(ctx context.Context, name string, opt Toggle, def bool) (bool, error) {
	if opt != ToggleDefault {
		return opt.resolve(def), nil
	}
	if v, ok := r.cfg.Git().Get(name); ok {
		return parseGitBool(v, def), nil
	}
	v, ok, err := r.GlobalConfig(ctx, name)
	if err != nil || !ok {
		return def, err
	}
	return parseGitBool(v, def), nil
}

// parseGitBool reads a boolean as git config does; other values give def.
func parseGitBool(v string, def bool) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1", "":
		return true
	case "false", "no", "off", "0":
		return false
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n != 0
	}
	return def
}

// git runs a git command whose output the user sees.
func (s *syncRun) git(ctx context.Context, args ...string) error {
	stdout, stderr := s.rep.GitOutput()
	return s.r.git.RunTo(ctx, stdout, stderr, args...)
}

// end finishes a step and counts a failure.
func (s *syncRun) end(ok bool) {
	if !ok {
		s.res.Failed++
	}
	s.rep.End(ok)
}

// syncedBranch returns synced/NAME for a full branch ref.
func syncedBranch(branch string) string {
	return "refs/heads/synced/" + gitcmd.BranchName(branch)
}

// commitMessage is the message of sync's work-tree commit.
func (s *syncRun) commitMessage(ctx context.Context) (string, error) {
	if s.opts.Message != "" {
		return s.opts.Message, nil
	}
	descs, err := s.r.Descriptions(ctx)
	if err != nil {
		return "", fmt.Errorf("read repository descriptions: %w", err)
	}
	d, ok := descs[s.r.here]
	if !ok {
		d = "unknown"
	}
	return "git-annex in " + d, nil
}

// commit commits the git-annex branch journal and then the work tree.
func (s *syncRun) commit(ctx context.Context) error {
	on, err := s.r.syncSetting(ctx, "annex.autocommit", s.opts.Commit, true)
	if err != nil || !on || s.r.git.Bare {
		return err
	}
	msg, err := s.commitMessage(ctx)
	if err != nil {
		return err
	}
	s.rep.Start("commit", "")
	if _, err := s.r.Commit(ctx); err != nil {
		s.rep.Warn(err.Error())
		s.end(false)
		return nil
	}
	// Like git-annex, a commit with nothing to commit is not a failure.
	_ = s.git(ctx, "commit", "-a", "-m", msg)
	if s.branch != "" && !s.hasCommit {
		if s.hasCommit, err = s.r.git.RefExists(ctx, s.branch); err != nil {
			return err
		}
	}
	s.end(true)
	return nil
}

// mergeLocal merges synced/BRANCH, where others push, into BRANCH.
func (s *syncRun) mergeLocal(ctx context.Context) error {
	if !s.hasCommit {
		return nil
	}
	synced := syncedBranch(s.branch)
	ok, err := s.changed(ctx, s.branch, synced)
	if err != nil || !ok {
		return err
	}
	s.rep.Start("merge", gitcmd.BranchName(synced))
	s.end(s.merge(ctx, synced))
	return nil
}

// changed reports whether ref exists and has commits base lacks.
func (s *syncRun) changed(ctx context.Context, base, ref string) (bool, error) {
	ok, err := s.r.git.RefExists(ctx, ref)
	if err != nil || !ok {
		return false, err
	}
	return s.r.git.HasNewCommits(ctx, base, ref)
}

// merge merges ref into the current branch as git-annex does, resolving
// conflicts of annexed files when allowed. It reports success.
func (s *syncRun) merge(ctx context.Context, ref string) bool {
	args := []string{"-c", "merge.directoryRenames=false", "merge", "--no-edit"}
	if s.opts.AllowUnrelatedHistories {
		args = append(args, "--allow-unrelated-histories")
	}
	if err := s.git(ctx, append(args, ref)...); err == nil {
		return true
	}
	if !s.resolve {
		return false
	}
	resolved, err := s.r.resolveMerge(ctx)
	if err != nil {
		s.rep.Warn(err.Error())
		return false
	}
	if resolved {
		s.rep.Note("Merge conflict was automatically resolved; you may want to examine the result.")
	}
	return s.git(ctx, "commit", "--no-verify", "-m", "git-annex automatic merge conflict fix") == nil
}

// mergeAnnex merges every */git-annex ref into the git-annex branch.
func (s *syncRun) mergeAnnex(ctx context.Context) error {
	if err := s.updateAnnex(ctx); err != nil {
		return err
	}
	if len(s.merged) > 0 {
		s.rep.SideAction("merging " + strings.Join(s.merged, " ") + " into git-annex")
		s.merged = nil
	}
	return nil
}

// updateAnnex merges the */git-annex refs now, remembering their names for
// mergeAnnex to report. A pull calls it right after fetching, before git
// merge starts filter processes that would merge them unreported.
func (s *syncRun) updateAnnex(ctx context.Context) error {
	names, err := s.r.branch.UpdateMerged(ctx)
	if err != nil {
		return fmt.Errorf("merge git-annex branches: %w", err)
	}
	for _, n := range names {
		if !slices.Contains(s.merged, n) {
			s.merged = append(s.merged, n)
		}
	}
	if len(names) > 0 {
		s.r.repos = reposCache{}
	}
	return nil
}

// mergeOnly is `git annex merge`: the git-annex branch, then synced/BRANCH.
func (s *syncRun) mergeOnly(ctx context.Context) error {
	s.rep.Start("merge", "git-annex")
	if err := s.mergeAnnex(ctx); err != nil {
		return err
	}
	s.end(true)
	return s.mergeLocal(ctx)
}

// updateSyncedBranch points synced/BRANCH at BRANCH.
func (s *syncRun) updateSyncedBranch(ctx context.Context) error {
	if s.onlyAnnex || !s.hasCommit {
		return nil
	}
	if _, err := s.r.git.Run(ctx, "branch", "-f", gitcmd.BranchName(syncedBranch(s.branch)), s.branch); err != nil {
		return fmt.Errorf("update %s: %w", syncedBranch(s.branch), err)
	}
	return nil
}
