// Package remote defines what a storage location for annexed content is:
// the Remote interface every remote type implements, the optional abilities
// found by type assertion, the Sink a download writes into, and the error
// kinds the transfer engine and the commands act on.
//
// A remote never imports the repository layers (annex, annexbranch,
// objectstore). What it needs from the repository comes through the
// arguments of its methods and, for special remotes, through Host.
package remote

import (
	"context"
	"io"
	"os"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/uuid"
)

// Costs git-annex gives remotes by kind (Config/Cost.hs). Lower is
// preferred: content is fetched from the cheapest remote that has it.
const (
	CheapCost         = 100.0  // local git remotes, directory remotes
	SemiCheapCost     = 110.0  // local remotes that are slower (e.g. rsync to a local path)
	ExpensiveCost     = 200.0  // ssh and network remotes
	VeryExpensiveCost = 1000.0 // glacier-like stores
)

// Remote stores annexed content under keys. Implementations are safe for
// concurrent use by the workers of one command.
type Remote interface {
	// Name is the git remote name ("origin", "nas"); never empty.
	Name() string
	// UUID is the repository UUID of the remote; never empty once the
	// remote is opened.
	UUID() uuid.UUID
	// Cost orders remotes: content is retrieved from the cheapest first.
	Cost() float64

	// Store copies the content src holds to the remote under k. It never
	// leaves a partial object visible under k's final name: on error or
	// cancellation the remote either has the whole content or none of it.
	// Storing a key the remote already has succeeds.
	Store(ctx context.Context, k key.Key, src Source, m progress.Meter) error

	// Retrieve writes k's content into dst, starting at dst.Offset() when
	// the remote can resume (or after dst.Restart() when it cannot). It
	// returns an error wrapping ErrNotPresent when the remote does not
	// have k. Retrieve does not verify the content: the caller checks the
	// key's hash over what dst received.
	Retrieve(ctx context.Context, k key.Key, dst Sink, m progress.Meter) error

	// CheckPresent reports whether the remote has k's content. It returns
	// an error only when presence cannot be determined (the remote is
	// unreachable), never for a plain "no".
	CheckPresent(ctx context.Context, k key.Key) (bool, error)

	// Remove deletes k's content from the remote. Removing an absent key
	// is not an error.
	Remove(ctx context.Context, k key.Key) error
}

// Source is content to Store: the bytes [Offset, Offset+Size) of a local
// file (usually the local object; a chunk of it for chunked remotes; a
// temporary file of ciphertext for encrypted ones). Remotes read it through
// Open and never modify or remove Path.
type Source struct {
	// Path is the file holding the content.
	Path string
	// Offset is where the content starts in Path (0 for a whole file).
	Offset int64
	// Size is the content's length in bytes from Offset, or -1 for "to
	// the end of Path" (the whole file when Offset is 0).
	Size int64
	// File is the work-tree path the content is known as, or "" (for
	// remotes that tell a helper about it, and for progress display).
	File string
}

// Whole reports whether the source is all of Path, so that a remote whose
// helper program reads a file by name (rsync, external) can hand it Path.
func (s Source) Whole() bool { return s.Offset == 0 && s.Size < 0 }

// Open opens the source's bytes for reading; seeking is relative to the
// start of the content, not of Path.
func (s Source) Open() (io.ReadSeekCloser, error) {
	f, err := fsutil.Open(s.Path)
	if err != nil {
		return nil, err
	}
	if s.Offset == 0 && s.Size < 0 {
		return f, nil
	}
	n := s.Size
	if n < 0 {
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		n = fi.Size() - s.Offset
	}
	return sectionFile{io.NewSectionReader(f, s.Offset, n), f}, nil
}

// sectionFile is a section of an open file that closes the file.
type sectionFile struct {
	*io.SectionReader
	f *os.File
}

func (s sectionFile) Close() error { return s.f.Close() }

// Sink receives retrieved content. It is a file that may already hold a
// prefix of the content from an interrupted attempt; a resuming remote
// sends the rest starting at Offset, any other remote calls Restart first.
// Bytes written through Write are hashed as they arrive, so verifying the
// content costs no second read.
type Sink interface {
	io.Writer
	// Offset is the number of bytes of the content already in the sink.
	Offset() int64
	// Restart discards what the sink holds, so that Offset becomes 0.
	Restart() error
	// Path names the sink's file, for remotes whose helper program writes
	// the file itself (rsync, external remotes). After such a write the
	// sink re-reads the file to verify it.
	Path() string
}

// ContentLocker is the ability to hold a remote's copy of a key in place,
// so that it cannot be removed while another repository counts on it
// (dropping its own copy). Git-annex repositories on local paths and over
// ssh have it.
type ContentLocker interface {
	// LockContent locks k's content on the remote and returns the function
	// that releases the lock. It returns an error wrapping ErrNotPresent
	// when the remote does not have k, and ErrLocked when the content is
	// being removed there.
	LockContent(ctx context.Context, k key.Key) (unlock func() error, err error)
}

// Availability says where a remote can be reached from.
type Availability int

const (
	// GloballyAvailable remotes can be reached from any clone (a server, a
	// cloud bucket).
	GloballyAvailable Availability = iota
	// LocallyAvailable remotes can only be reached from this machine (an
	// external drive, a path on this disk).
	LocallyAvailable
	// Unavailable remotes cannot be reached now.
	Unavailable
)

// LockNoter is a ContentLocker that has something to say while it locks
// ("locking NAME..." for a remote reached over ssh), as git-annex notes it.
type LockNoter interface {
	LockNote() string
}

// Availabler is the ability to say where a remote can be reached from.
// Remotes without it are GloballyAvailable.
type Availabler interface {
	Availability() Availability
}

// InfoField is one line of `info REMOTE` that is specific to a remote's
// type ("directory", "chunking", ...), in display order.
type InfoField struct {
	Name  string
	Value string
}

// InfoReporter is the ability to describe a remote's type-specific
// settings for `info REMOTE`.
type InfoReporter interface {
	// Type is the remote's type as git-annex names it ("git", "directory").
	Type() string
	Info() []InfoField
}

// Whereiser is the ability to tell where on the remote a key is stored
// (URLs or paths), for `whereis`.
type Whereiser interface {
	Whereis(ctx context.Context, k key.Key) ([]string, error)
}

// Flusher is implemented by remotes whose Store returns once the content
// is complete and readable but not yet durable: Flush makes everything
// stored so far survive a power failure. Whoever records stored content
// in the location log flushes first (one sync for many small stores
// instead of one per store).
type Flusher interface {
	Flush(ctx context.Context) error
}

// Flush flushes rm, or the first remote it wraps (through an
// `Unwrap() Remote` method, as the chunking and encryption layers have)
// that is a Flusher. A remote that is none stores durably already.
func Flush(ctx context.Context, rm Remote) error {
	for rm != nil {
		if f, ok := rm.(Flusher); ok {
			return f.Flush(ctx)
		}
		u, ok := rm.(interface{ Unwrap() Remote })
		if !ok {
			return nil
		}
		rm = u.Unwrap()
	}
	return nil
}

// Closer is implemented by remotes that hold resources (processes,
// connections, the other repository's journal) until Close.
type Closer interface {
	Close(ctx context.Context) error
}
