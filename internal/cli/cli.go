// Package cli picks the face the binary was started as and runs its command
// tree. The cli packages are the only ones that import cobra.
package cli

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/cli/annexcli"
	"github.com/troveproject/trove/internal/cli/invocation"
	"github.com/troveproject/trove/internal/cli/shellcli"
	"github.com/troveproject/trove/internal/cli/trovecli"
)

// Stdio is the process's standard streams, handed down to the commands.
type Stdio = invocation.Stdio

// ExitCoder is an error that carries the process exit status.
type ExitCoder = invocation.ExitCoder

// Main runs the face named by args[0] with the remaining arguments.
func Main(ctx context.Context, args []string, stdio Stdio) error {
	name := filepath.Base(args[0])
	switch {
	case name == "git-annex" || strings.HasPrefix(name, "git-annex."):
		return annexcli.Run(ctx, invocation.New(invocation.FaceAnnex, stdio), args[1:])
	case name == "git-annex-shell":
		return shellcli.Run(ctx, invocation.New(invocation.FaceAnnex, stdio), args[1:])
	default:
		return trovecli.Run(ctx, invocation.New(invocation.FaceTrove, stdio), args[1:])
	}
}
