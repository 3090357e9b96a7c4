package annex

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/troveproject/trove/internal/config"
	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/remote"
)

// syncRemote is a git remote sync pulls from and pushes to.
type syncRemote struct {
	config.Remote
	cost float64
}

// UnknownRemoteError is a remote named on the command line that is not a
// git remote of the repository.
type UnknownRemoteError struct{ Name string }

func (e *UnknownRemoteError) Error() string {
	return fmt.Sprintf("there is no git remote named %q (`git remote -v` lists the remotes; `git remote add %s URL` adds one)", e.Name, e.Name)
}

// syncRemotes returns the git remotes to sync with: those named, or every
// git remote whose annex-sync is not false, cheapest first; and the names
// of the special remotes whose content sync --content moves (those named,
// or every one whose annex-sync is not false), which have no git side.
// The cost of a remote Trove can move content with is its cost in
// r.Remotes; other git remotes cost annex-cost, else git-annex's default
// for a remote that is not on this machine.
func (r *Repo) syncRemotes(ctx context.Context, names []string) ([]syncRemote, []string, error) {
	usable, err := r.Remotes(ctx)
	if err != nil {
		return nil, nil, err
	}
	var specials []string
	special := func(c config.Remote) bool { return c.URL == "" && !c.UUID.IsZero() }
	var out []syncRemote
	add := func(c config.Remote) {
		cost := remote.ExpensiveCost
		if i := slices.IndexFunc(usable, func(rm remote.Remote) bool { return rm.Name() == c.Name }); i >= 0 {
			cost = usable[i].Cost()
		} else if c.HasCost {
			cost = c.Cost
		}
		out = append(out, syncRemote{Remote: c, cost: cost})
	}
	if len(names) > 0 {
		for _, n := range names {
			c, ok := r.cfg.Remote(n)
			switch {
			case ok && special(c):
				specials = append(specials, n)
			case !ok || c.URL == "":
				return nil, nil, &UnknownRemoteError{Name: n}
			default:
				add(c)
			}
		}
	} else {
		for _, c := range r.cfg.Remotes {
			switch {
			case !c.Sync:
			case c.URL != "":
				add(c)
			case special(c):
				specials = append(specials, c.Name)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b syncRemote) int {
		return cmp.Or(cmp.Compare(a.cost, b.cost), cmp.Compare(a.Name, b.Name))
	})
	return out, specials, nil
}

// commitPeers commits the journals of the repositories of local remotes
// (content they lost; what opening them wrote was committed then) to their
// own git-annex branches, so that the next fetch brings it here and a
// journal file written before the push does not overwrite, when committed
// later, what the push brought. What they received is recorded by
// deferred changes, which are applied to the branch as it is when they
// are committed (at Close), so they can wait, as in git-annex, whose
// fetch after content transfers brings nothing new.
func (s *syncRun) commitPeers(ctx context.Context) error {
	s.r.remotes.mu.Lock()
	peers := slices.Clone(s.r.remotes.peers)
	s.r.remotes.mu.Unlock()
	for _, p := range peers {
		if err := p.branch.Commit(ctx, p.cfg.CommitMessage); err != nil {
			return fmt.Errorf("record state in remote repository %s: %w", p.paths.Top, err)
		}
	}
	return nil
}

// pullAll fetches from and merges every remote that is pulled from.
func (s *syncRun) pullAll(ctx context.Context) error {
	for _, rm := range s.remotes {
		if !s.opts.Pull.resolve(rm.Pull) {
			continue
		}
		if err := s.pull(ctx, rm); err != nil {
			return err
		}
	}
	return nil
}

// pull fetches from rm and merges its branches.
func (s *syncRun) pull(ctx context.Context, rm syncRemote) error {
	s.rep.Start("pull", rm.Name)
	args := []string{"fetch", rm.Name}
	if s.onlyAnnex {
		args = append(args, "git-annex", "refs/heads/synced/git-annex")
	}
	if err := s.git(ctx, args...); err != nil {
		s.end(false)
		return nil
	}
	if err := s.updateAnnex(ctx); err != nil {
		return err
	}
	ok, err := s.mergeRemote(ctx, rm.Name)
	if err != nil {
		return err
	}
	s.end(ok)
	return nil
}

// mergeRemote merges refs/remotes/R/BRANCH and refs/remotes/R/synced/BRANCH
// into the current branch, those that have new commits.
func (s *syncRun) mergeRemote(ctx context.Context, name string) (bool, error) {
	if s.onlyAnnex || !s.hasCommit {
		return true, nil
	}
	// The synced branch follows the current one, so merging the remote's
	// synced branch into it would fast-forward.
	if err := s.updateSyncedBranch(ctx); err != nil {
		return false, err
	}
	short := gitcmd.BranchName(s.branch)
	pairs := [][2]string{
		{s.branch, "refs/remotes/" + name + "/" + short},
		{syncedBranch(s.branch), "refs/remotes/" + name + "/synced/" + short},
	}
	var todo []string
	for _, p := range pairs {
		ok, err := s.changed(ctx, p[0], p[1])
		if err != nil {
			return false, err
		}
		if ok {
			todo = append(todo, p[1])
		}
	}
	ok := true
	for _, ref := range todo {
		ok = s.merge(ctx, ref) && ok
	}
	return ok, nil
}

// pushAll pushes to every remote that is pushed to.
func (s *syncRun) pushAll(ctx context.Context) error {
	for _, rm := range s.remotes {
		if rm.ReadOnly || !s.opts.Push.resolve(rm.Push) {
			continue
		}
		need, err := s.needPush(ctx, rm.Name)
		if err != nil {
			return err
		}
		if need {
			s.push(ctx, rm)
		}
	}
	return nil
}

// needPush reports whether rm lacks synced/BRANCH or git-annex as they are
// here (judged by the remote tracking refs, as git-annex does).
func (s *syncRun) needPush(ctx context.Context, name string) (bool, error) {
	var branches []string
	if !s.onlyAnnex && s.hasCommit {
		branches = append(branches, "synced/"+gitcmd.BranchName(s.branch))
	}
	branches = append(branches, "git-annex")
	for _, b := range branches {
		tracking := "refs/remotes/" + name + "/" + b
		ok, err := s.r.git.RefExists(ctx, tracking)
		if err != nil {
			return false, err
		}
		if !ok {
			return true, nil
		}
		local := "refs/heads/" + b
		if ok, err := s.r.git.HasNewCommits(ctx, tracking, local); err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// push pushes BRANCH to synced/BRANCH and git-annex to synced/git-annex
// (forced), then tries git-annex and BRANCH themselves, as git-annex does:
// only the first push decides success; a refused push of the checked-out
// branch of a non-bare remote (receive.denyCurrentBranch) is not shown.
func (s *syncRun) push(ctx context.Context, rm syncRemote) {
	s.rep.Start("push", rm.Name)
	args := []string{"push", rm.Name}
	short := ""
	if !s.onlyAnnex && s.hasCommit {
		short = gitcmd.BranchName(s.branch)
		args = append(args, short+":synced/"+short)
	}
	args = append(args, "+git-annex:synced/git-annex")
	ok := s.git(ctx, args...) == nil
	_, _, _ = s.r.git.Transcript(ctx, "push", rm.Name, "git-annex")
	if short != "" {
		out, pushed, err := s.r.git.Transcript(ctx, "push", rm.Name, short)
		if err == nil && !pushed && !strings.Contains(out, "denyCurrentBranch") {
			_, stderr := s.rep.GitOutput()
			_, _ = stderr.Write([]byte(out))
		}
	}
	if !ok {
		s.rep.Warn("Pushing to " + rm.Name + " failed.")
	}
	s.end(ok)
}

// cleanup deletes the synced/ branches here and on the remotes.
func (s *syncRun) cleanup(ctx context.Context) error {
	var branches []string
	if s.branch != "" {
		branches = append(branches, "synced/"+gitcmd.BranchName(s.branch))
	}
	branches = append(branches, "synced/git-annex")
	s.rep.Start("cleanup", "local")
	ok := true
	for _, b := range branches {
		exists, err := s.r.git.RefExists(ctx, "refs/heads/"+b)
		if err != nil {
			return err
		}
		if exists {
			if _, err := s.r.git.Run(ctx, "branch", "-q", "-D", b); err != nil {
				s.rep.Warn(err.Error())
				ok = false
			}
		}
	}
	s.end(ok)
	for _, rm := range s.remotes {
		if rm.ReadOnly || !s.opts.Push.resolve(rm.Push) {
			continue
		}
		var del []string
		for _, b := range branches {
			exists, err := s.r.git.RefExists(ctx, "refs/remotes/"+rm.Name+"/"+b)
			if err != nil {
				return err
			}
			if exists {
				del = append(del, "refs/heads/"+b)
			}
		}
		s.rep.Start("cleanup", rm.Name)
		ok := true
		if len(del) > 0 {
			out, pushed, err := s.r.git.Transcript(ctx, append([]string{"push", "--quiet", "--delete", rm.Name}, del...)...)
			if err != nil || !pushed {
				s.rep.Warn(strings.TrimSpace(out + " " + errorText(err)))
				ok = false
			}
		}
		s.end(ok)
	}
	return nil
}

// errorText is err's message, "" for nil.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
