package annexcli

import (
	"context"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/gitcmd"
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
	if v := localRepoVersion(g); v != "" {
		lines = append(lines, "local repository version: "+v)
	}
	_, err := fmt.Fprintln(w, strings.Join(lines, "\n"))
	return err
}

// localRepoVersion is annex.version of the repository the command runs in,
// "" outside an initialised repository.
func localRepoVersion(g *invocation.Globals) string {
	dir, err := g.WorkDir()
	if err != nil {
		return ""
	}
	repo, err := gitcmd.Discover(context.Background(), dir)
	if err != nil {
		return ""
	}
	cfg, err := repo.WithConfig(g.ConfigParams...).ReadConfig(context.Background())
	if err != nil {
		return ""
	}
	v, _ := cfg.Get("annex.version")
	return v
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
