package annexcli

import (
	"bufio"
	"bytes"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/cli/invocation"
)

// batchOptions are --batch and -z, shared by the commands that read their
// inputs from stdin.
type batchOptions struct {
	enabled bool
	nul     bool
}

func addBatchFlags(c *cobra.Command, o *batchOptions) {
	c.Flags().BoolVar(&o.enabled, "batch", false, "enable batch mode")
	c.Flags().BoolVarP(&o.nul, "nul", "z", false, "null delimited batch input")
}

// each calls fn for every input line on stdin (NUL-separated with -z).
// git-annex answers every input with exactly one output line; fn writes it
// (or calls empty when there is nothing to say).
func (o batchOptions) each(g *invocation.Globals, fn func(line string) error) error {
	sc := bufio.NewScanner(g.Stdio.In)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	if o.nul {
		sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
			if i := bytes.IndexByte(data, 0); i >= 0 {
				return i + 1, data[:i], nil
			}
			if atEOF && len(data) > 0 {
				return len(data), data, nil
			}
			return 0, nil, nil
		})
	}
	for sc.Scan() {
		line := sc.Text()
		if !o.nul {
			line = string(bytes.TrimSuffix([]byte(line), []byte("\r")))
		}
		if err := fn(line); err != nil {
			return err
		}
	}
	return sc.Err()
}

// empty writes the empty line git-annex prints for a batch input it has
// nothing to say about.
func (o batchOptions) empty(g *invocation.Globals) {
	fmt.Fprintln(g.Stdio.Out)
}
