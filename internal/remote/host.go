package remote

import (
	"context"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/uuid"
)

// Host is what a special remote may ask of the repository that uses it.
// It mirrors the requests of the external special remote protocol
// (GETCONFIG, SETSTATE, SETURLPRESENT, GETCREDS, ...), so that built-in
// remotes and external helpers see the repository the same way. The annex
// layer implements it, one Host per remote; every method is about that
// remote. Methods are safe for concurrent use.
type Host interface {
	// RepoUUID is the UUID of the repository using the remote.
	RepoUUID() uuid.UUID
	// TmpDir is a directory for temporary files on the same file system
	// as the object store; it exists.
	TmpDir() string

	// GitConfig returns a git configuration value of the repository
	// (for example "remote.NAME.annex-directory"), as git config prints it.
	GitConfig(name string) (string, bool)

	// State returns what the remote recorded for k with SetState ("" when
	// nothing), from the key's .log.rmt in the git-annex branch.
	State(ctx context.Context, k key.Key) (string, error)
	// SetState records per-key state for the remote.
	SetState(ctx context.Context, k key.Key, value string) error

	// URLs returns the URLs recorded for k (the .log.web file) that start
	// with prefix ("" = all), in the order git-annex lists them.
	URLs(ctx context.Context, k key.Key, prefix string) ([]string, error)
	// SetURLPresent records that k can be downloaded from url.
	SetURLPresent(ctx context.Context, k key.Key, url string) error
	// SetURLMissing records that k can no longer be downloaded from url.
	SetURLMissing(ctx context.Context, k key.Key, url string) error

	// ChunkCounts returns the chunk sizes the remote stored k with and the
	// number of chunks of each, from the key's .log.cnk (count 0 = removed).
	ChunkCounts(ctx context.Context, k key.Key) (map[int64]int64, error)
	// SetChunkCount records that k is stored in count chunks of chunkSize
	// bytes (0 when the chunks were removed).
	SetChunkCount(ctx context.Context, k key.Key, chunkSize, count int64) error

	// Creds returns the login and password stored for setting ("" for the
	// remote's main credentials), from .git/annex/creds or, decrypted,
	// from the remote's embedded config; ok is false when there are none.
	Creds(ctx context.Context, setting string) (login, password string, ok bool, err error)
	// SetCreds stores credentials for setting locally (mode 0600), and in
	// the remote's config when embedcreds applies.
	SetCreds(ctx context.Context, setting, login, password string) error

	// Warn shows a message to the user about the remote (the external
	// protocol's INFO and DEBUG go here too, via Info and Debug).
	Warn(msg string)
	// Info shows an informational message (git-annex's --json prints it as
	// {"info":...}).
	Info(msg string)
}
