package annexcli

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/version"
)

func newVersionCommand(g *invocation.Globals) *cobra.Command {
	var raw bool
	c := &cobra.Command{
		Use:   "version",
		Short: "show version info",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runVersion(g, raw)
		},
	}
	c.Flags().BoolVar(&raw, "raw", false, "output only program version")
	return c
}

func runVersion(g *invocation.Globals, raw bool) error {
	w := g.Stdio.Out
	if raw {
		_, err := fmt.Fprint(w, version.AnnexCompat)
		return err
	}
	lines := []string{
		"git-annex version: " + version.AnnexCompat,
		"trove version: " + version.Trove,
		"build flags: Trove",
		"dependency versions: go-" + strings.TrimPrefix(runtime.Version(), "go"),
		"key/value backends: " + strings.Join(backend.Names(), " "),
		"remote types: git",
		"operating system: " + runtime.GOOS + " " + archName(),
		"supported repository versions: 8 9 10",
		"upgrade supported from repository versions: 8 9 10",
	}
	_, err := fmt.Fprintln(w, strings.Join(lines, "\n"))
	return err
}

func archName() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	default:
		return runtime.GOARCH
	}
}
