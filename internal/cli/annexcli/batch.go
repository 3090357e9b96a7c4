package annexcli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// batchOptions are --batch and -z, shared by the commands that read their
// inputs from stdin.
type batchOptions struct {
	enabled bool
	nul     bool
	// command is the name of the command the flags belong to, which
	// selects git-annex's answer to an empty item (emptyItemAnswers).
	command string
}

func addBatchFlags(c *cobra.Command, o *batchOptions) {
	c.Flags().BoolVar(&o.enabled, "batch", false, "enable batch mode")
	c.Flags().BoolVarP(&o.nul, "nul", "z", false, "null delimited batch input")
	o.command = c.Name()
}

// emptyAnswer is what git-annex does with an empty batch item.
type emptyAnswer struct {
	// parseFailure, when set, ends the command with git-annex's
	// "Batch input parse failure: ..." (exit status 1); otherwise the
	// answer is an empty line.
	parseFailure string
}

// emptyItemAnswers are git-annex 10.20230126's answers to an empty batch
// item for the commands whose item handlers would otherwise take "" for
// something else (add and find for the whole work tree). The other batch
// commands answer an empty item themselves as git-annex does: an empty
// line (lookupkey, calckey, whereis, get, copy, move, drop), "bad key"
// (dropkey, contentlocation, examinekey), "not a valid key"
// (--batch-keys), a failed item (info, addurl).
var emptyItemAnswers = map[string]emptyAnswer{
	// git-annex's add fails at the empty item after the ones before it
	// were ingested but before they were staged ("git cat-file EOF"),
	// leaving them as untracked files; answering it as a path that names
	// nothing (an empty line) keeps git-annex's answer for every item
	// before it and stages them.
	"add":           {},
	"find":          {},
	"fromkey":       {parseFailure: "Expected pairs of key and filename"},
	"registerurl":   {parseFailure: "no url provided"},
	"unregisterurl": {parseFailure: "no url provided"},
	"rmurl":         {parseFailure: `Expected: "file url"`},
}

// each calls fn for every input item on stdin: lines, or with -z
// NUL-terminated items. As in git-annex (which splits its input at every
// NUL), -z input that ends with a NUL has one more, empty item after it,
// and empty -z input is one empty item; a final newline ends the last
// line without adding one. git-annex answers every input with exactly one
// output line; fn writes it (or calls empty when there is nothing to
// say). Empty items of the commands in emptyItemAnswers are answered here
// without calling fn.
func (o batchOptions) each(g *invocation.Globals, fn func(line string) error) error {
	item := func(line string) error {
		if line == "" {
			if a, ok := emptyItemAnswers[o.command]; ok {
				if a.parseFailure != "" {
					return invocation.Exit(1, "git-annex: Batch input parse failure: %s", a.parseFailure)
				}
				o.empty(g)
				return nil
			}
		}
		return fn(line)
	}
	if o.nul {
		return eachNulItem(g.Stdio.In, item)
	}
	sc := bufio.NewScanner(g.Stdio.In)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		if err := item(string(bytes.TrimSuffix(sc.Bytes(), []byte("\r")))); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read batch input: %w", err)
	}
	return nil
}

// eachNulItem calls fn for every NUL-separated item of in, including the
// (possibly empty) item after the last NUL.
func eachNulItem(in io.Reader, fn func(string) error) error {
	br := bufio.NewReaderSize(in, 64*1024)
	for {
		s, err := br.ReadString(0)
		switch {
		case err == nil:
			if err := fn(s[:len(s)-1]); err != nil {
				return err
			}
		case errors.Is(err, io.EOF):
			return fn(s)
		default:
			return fmt.Errorf("read batch input: %w", err)
		}
	}
}

// empty writes the empty line git-annex prints for a batch input it has
// nothing to say about.
func (o batchOptions) empty(g *invocation.Globals) {
	fmt.Fprintln(g.Stdio.Out)
}
