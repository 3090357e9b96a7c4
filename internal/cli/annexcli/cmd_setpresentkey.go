package annexcli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/ui"
	"github.com/troveproject/trove/internal/uuid"
)

func newSetPresentKeyCommand(g *invocation.Globals) *cobra.Command {
	var batch batchOptions
	c := &cobra.Command{
		Use:   "setpresentkey KEY UUID [1|0]",
		Short: "change records of where key is present",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSetPresentKey(cmd.Context(), g, batch, args)
		},
	}
	addBatchFlags(c, &batch)
	return c
}

// presentKeyRecord is one "KEY UUID STATUS" of setpresentkey.
type presentKeyRecord struct {
	k      key.Key
	u      uuid.UUID
	status logs.Status
}

// parsePresentKeyRecord parses setpresentkey's words as git-annex's
// parseKeyStatus: exactly three, a key, any UUID, and 1, 0 or X. The
// error is git-annex's words.
func parsePresentKeyRecord(words []string) (presentKeyRecord, string) {
	if len(words) != 3 {
		return presentKeyRecord{}, "Bad input. Expected: key uuid value"
	}
	k, err := key.Parse(words[0])
	if err != nil {
		return presentKeyRecord{}, "bad key"
	}
	st := logs.Status(0)
	if len(words[2]) == 1 {
		st = logs.Status(words[2][0])
	}
	if st != logs.Present && st != logs.Missing && st != logs.Dead {
		return presentKeyRecord{}, "bad value"
	}
	return presentKeyRecord{k: k, u: uuid.UUID(words[1]), status: st}, ""
}

// runSetPresentKey records where keys are present, from the arguments
// (KEY UUID STATUS) or from batch lines of those three words separated by
// any white space, as git-annex's setpresentkey plumbing: "setpresentkey
// KEY ok" per record, the records in the journal without a commit. Input
// that does not parse ends the command with status 1 and git-annex's
// words ("Batch input parse failure: bad key" in batch mode); the records
// before it are kept.
func runSetPresentKey(ctx context.Context, g *invocation.Globals, batch batchOptions, args []string) error {
	s, err := openSession(ctx, g)
	if err != nil {
		return err
	}
	set := func(rec presentKeyRecord, input []string) {
		t := s.out.Begin(ui.Action{Command: "setpresentkey", Key: rec.k.String(), Input: input})
		if err := s.repo.SetPresentKey(ctx, rec.k, rec.u, rec.status); err != nil {
			t.Warn(err.Error())
			t.End(false, nil)
			return
		}
		t.End(true, nil)
	}
	if !batch.enabled {
		rec, bad := parsePresentKeyRecord(args)
		if bad != "" {
			return s.finish(ctx, invocation.Exit(1, "git-annex: %s", bad))
		}
		set(rec, args)
		return s.finish(ctx, nil)
	}
	if len(args) > 0 {
		return s.finish(ctx, invocation.Exit(1, "git-annex: Cannot combine batch option with file or key options"))
	}
	return s.finish(ctx, batch.each(g, func(line string) error {
		rec, bad := parsePresentKeyRecord(strings.Fields(line))
		if bad != "" {
			return invocation.Exit(1, "git-annex: Batch input parse failure: %s", bad)
		}
		set(rec, []string{line})
		return nil
	}))
}
