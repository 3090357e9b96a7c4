package annex

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"syscall"

	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/uuid"
)

// uuidLogPath is the branch file of repository descriptions.
const uuidLogPath = "uuid.log"

// initDescription records desc for this repository, or git-annex's default
// description when desc is empty and none is recorded yet.
func (r *Repo) initDescription(ctx context.Context, desc string) error {
	if desc == "" {
		descs, err := r.Descriptions(ctx)
		if err != nil {
			return err
		}
		if _, ok := descs[r.here]; ok {
			return nil
		}
		desc = defaultDescription(r.paths.Top)
	}
	return r.Describe(ctx, r.here, desc)
}

// Describe records desc as the description of repository u.
func (r *Repo) Describe(ctx context.Context, u uuid.UUID, desc string) error {
	if strings.ContainsAny(desc, "\r\n") {
		return fmt.Errorf("describe: a description cannot contain a newline")
	}
	now := r.now()
	return r.changeBranch(ctx, uuidLogPath, func(old []byte) []byte {
		return logs.SetUUIDLog(old, u, desc, now)
	})
}

// Descriptions returns the description of every repository in uuid.log.
func (r *Repo) Descriptions(ctx context.Context) (map[uuid.UUID]string, error) {
	data, err := r.branch.Get(ctx, uuidLogPath)
	if err != nil {
		return nil, err
	}
	out := map[uuid.UUID]string{}
	for u, e := range logs.ParseUUIDLog(data) {
		out[u] = e.Value
	}
	return out, nil
}

// inodeCacheString formats a file's identity as git-annex's InodeCache:
// "INODE SIZE MTIME-SECONDS MTIME-FRACTION".
func inodeCacheString(fi fs.FileInfo) string {
	var ino uint64
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ino = st.Ino
	}
	mt := fi.ModTime()
	frac := strings.TrimRight(fmt.Sprintf("%09d", mt.Nanosecond()), "0")
	if frac == "" {
		frac = "0"
	}
	return fmt.Sprintf("%d %d %d %s", ino, fi.Size(), mt.Unix(), frac)
}
