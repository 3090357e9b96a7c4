package external

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/extproto"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Remote is an external special remote. It is safe for concurrent use;
// each concurrent request gets its own helper process (or ASYNC job).
type Remote struct {
	p            *peer
	pool         *pool
	externalType string
	cost         float64
}

// Name implements remote.Remote.
func (r *Remote) Name() string { return r.p.name }

// UUID implements remote.Remote.
func (r *Remote) UUID() uuid.UUID { return r.p.uuid }

// Cost implements remote.Remote.
func (r *Remote) Cost() float64 { return r.cost }

// ExternalType is the externaltype= value (the helper program is
// ProgramPrefix + ExternalType).
func (r *Remote) ExternalType() string { return r.externalType }

// Availability implements remote.Availabler from the value git-annex
// caches in remote.NAME.annex-availability.
func (r *Remote) Availability() remote.Availability {
	if v, _ := r.p.host.GitConfig("remote." + r.p.name + ".annex-availability"); v == "LocallyAvailable" {
		return remote.LocallyAvailable
	}
	return remote.GloballyAvailable
}

// safeKey refuses keys the protocol cannot carry, with git-annex's text.
func safeKey(k key.Key) error {
	if strings.IndexFunc(k.Name, func(r rune) bool { return r == ' ' || r >= '\t' && r <= '\r' || r == 0xa0 }) >= 0 {
		return remote.Permanent(fmt.Errorf("Sorry, this file cannot be stored on an external special remote because its key's name contains a space. "+
			"To avoid this problem, you can run: git-annex migrate --backend=%s and pass it the name of the file", k.Variety))
	}
	return nil
}

// with runs fn on a prepared job.
func (r *Remote) with(ctx context.Context, k key.Key, fn func(j *job) error) error {
	if !k.IsZero() {
		if err := safeKey(k); err != nil {
			return err
		}
	}
	j, err := r.pool.acquire(ctx)
	if err != nil {
		return err
	}
	defer r.pool.release(j)
	return fn(j)
}

// Store implements remote.Remote: TRANSFER STORE with the path of a file
// whose name is k's escaped key (the local object itself when src is a
// whole file so named, else a temporary copy), as git-annex passes it.
func (r *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	if err := safeKey(k); err != nil {
		return err
	}
	path, cleanup, err := r.storeFile(k, src)
	if err != nil {
		return err
	}
	defer cleanup()
	return r.with(ctx, k, func(j *job) error {
		return r.transfer(ctx, j, extproto.Store, k, path, m)
	})
}

// storeFile returns a file named k.File() holding src's bytes.
func (r *Remote) storeFile(k key.Key, src remote.Source) (string, func(), error) {
	abs, err := filepath.Abs(src.Path)
	if err != nil {
		return "", nil, fmt.Errorf("storing %s on %s: %w", k, r.p.name, err)
	}
	if src.Whole() && filepath.Base(abs) == k.File() {
		return abs, func() {}, nil
	}
	dir, err := os.MkdirTemp(r.p.host.TmpDir(), "external-")
	if err != nil {
		return "", nil, fmt.Errorf("storing %s on %s: %w", k, r.p.name, err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	tmp := filepath.Join(dir, k.File())
	if err := copySource(src, tmp); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("storing %s on %s: %w", k, r.p.name, err)
	}
	return tmp, cleanup, nil
}

// copySource writes src's bytes to a new file dst, hard-linking a whole
// file when it can.
func copySource(src remote.Source, dst string) error {
	if src.Whole() && os.Link(src.Path, dst) == nil {
		return nil
	}
	in, err := src.Open()
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copying %s to %s: %w", src.Path, dst, err)
	}
	return out.Close()
}

// Retrieve implements remote.Remote: TRANSFER RETRIEVE into a fresh
// file named by the key under Host.TmpDir, whose bytes are then written
// into dst from the start. The helper gets a file of its own because
// helpers replace the file rather than write into it
// (git-annex-remote-rclone moves its download over it), which a Sink
// holding the file open would not see.
func (r *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	if err := safeKey(k); err != nil {
		return err
	}
	return r.retrieveVia(ctx, k, k.String(), dst,
		func(path string) error {
			return r.with(ctx, k, func(j *job) error { return r.transfer(ctx, j, extproto.Retrieve, k, path, m) })
		},
		func() (bool, error) { return r.CheckPresent(ctx, k) })
}

// retrieveVia is what Retrieve and RetrieveExport share: run asks the
// helper to write k's content (what, in messages) to a file in a fresh
// temporary directory, and the file then replaces dst's content. The
// protocol has no "not present" answer to a transfer, so when the helper
// fails it, present asks, and the error wraps remote.ErrNotPresent when
// the answer is no.
func (r *Remote) retrieveVia(ctx context.Context, k key.Key, what string, dst remote.Sink, run func(path string) error, present func() (bool, error)) error {
	dir, err := os.MkdirTemp(r.p.host.TmpDir(), "external-")
	if err != nil {
		return fmt.Errorf("retrieving %s from %s: %w", what, r.p.name, err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, k.File())
	err = run(path)
	var f *failure
	if errors.As(err, &f) {
		if ok, cerr := present(); cerr == nil && !ok {
			return fmt.Errorf("%w: %w", err, remote.ErrNotPresent)
		}
	}
	if err != nil {
		return err
	}
	return fill(ctx, dst, path)
}

// fill replaces dst's content with the file at path.
func fill(ctx context.Context, dst remote.Sink, path string) error {
	in, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading what the helper retrieved: %w", err)
	}
	defer in.Close()
	if err := dst.Restart(); err != nil {
		return err
	}
	if _, err := fsutil.CopyStream(ctx, dst, in); err != nil {
		return fmt.Errorf("copying %s to %s: %w", path, dst.Path(), err)
	}
	return nil
}

// transfer runs TRANSFER dir k path.
func (r *Remote) transfer(ctx context.Context, j *job, dir string, k key.Key, path string, m progress.Meter) error {
	ks := k.String()
	return r.p.outcome(ctx, j, extproto.New(extproto.Transfer, dir, ks, path), m,
		extproto.TransferSuccess, extproto.TransferFailure, dir, ks)
}

// CheckPresent implements remote.Remote. CHECKPRESENT-UNKNOWN is an
// error carrying the helper's message, never a "no".
func (r *Remote) CheckPresent(ctx context.Context, k key.Key) (present bool, err error) {
	err = r.with(ctx, k, func(j *job) error {
		present, err = r.askPresent(ctx, j, k, extproto.New(extproto.CheckPresent, k.String()))
		return err
	})
	return present, err
}

// askPresent sends req (CHECKPRESENT or CHECKPRESENTEXPORT of k) on j and
// reads its CHECKPRESENT-SUCCESS/FAILURE/UNKNOWN answer; UNKNOWN is an
// error wrapping remote.ErrUnavailable.
func (r *Remote) askPresent(ctx context.Context, j *job, k key.Key, req extproto.Message) (bool, error) {
	ks := k.String()
	var present bool
	var unknown *string
	err := r.p.exchange(ctx, j, req, nil, func(reply extproto.Message) verdict {
		if reply.Param(0) != ks {
			return reject
		}
		switch reply.Command {
		case extproto.CheckPresentSuccess:
			present = true
		case extproto.CheckPresentFailure:
		case extproto.CheckPresentUnknown:
			u := reply.Param(1)
			unknown = &u
		default:
			return reject
		}
		return done
	})
	if err != nil {
		return false, err
	}
	if unknown != nil {
		return false, fmt.Errorf("%w: %w", r.p.failed(req.Command+" "+ks, *unknown), remote.ErrUnavailable)
	}
	return present, nil
}

// Remove implements remote.Remote.
func (r *Remote) Remove(ctx context.Context, k key.Key) error {
	return r.with(ctx, k, func(j *job) error {
		return r.p.outcome(ctx, j, extproto.New(extproto.Remove, k.String()), nil,
			extproto.RemoveSuccess, extproto.RemoveFailure, k.String())
	})
}

// Whereis implements remote.Whereiser: the helper's WHEREIS answer, or
// nothing when it has none or does not support the request.
func (r *Remote) Whereis(ctx context.Context, k key.Key) ([]string, error) {
	var where []string
	err := r.with(ctx, k, func(j *job) error {
		return r.p.exchange(ctx, j, extproto.New(extproto.Whereis, k.String()), nil, func(reply extproto.Message) verdict {
			switch reply.Command {
			case extproto.WhereisSuccess:
				where = []string{reply.Param(0)}
			case extproto.WhereisFailure, extproto.UnsupportedRequest:
			default:
				return reject
			}
			return done
		})
	})
	return where, err
}

// Type implements remote.InfoReporter.
func (r *Remote) Type() string { return "external" }

// Info implements remote.InfoReporter: externaltype, then the fields the
// helper reports for GETINFO. A helper that cannot be asked adds nothing
// (InfoContext returns the error).
func (r *Remote) Info() []remote.InfoField {
	f, _ := r.InfoContext(context.Background())
	return f
}

// InfoContext is Info with a context and the error of asking the helper.
func (r *Remote) InfoContext(ctx context.Context) ([]remote.InfoField, error) {
	fields := []remote.InfoField{{Name: "externaltype", Value: r.externalType}}
	var pending *string
	err := r.with(ctx, key.Key{}, func(j *job) error {
		return r.p.exchange(ctx, j, extproto.New(extproto.GetInfo), nil, func(reply extproto.Message) verdict {
			switch {
			case reply.Command == extproto.InfoField && pending == nil:
				n := reply.Param(0)
				pending = &n
				return more
			case reply.Command == extproto.InfoValue && pending != nil:
				fields = append(fields, remote.InfoField{Name: *pending, Value: reply.Param(0)})
				pending = nil
				return more
			case reply.Command == extproto.InfoEnd && pending == nil,
				reply.Command == extproto.UnsupportedRequest:
				return done
			}
			return reject
		})
	})
	return fields, err
}

// Close ends the helpers (implements remote.Closer).
func (r *Remote) Close(ctx context.Context) error {
	r.pool.close(ctx)
	return nil
}

var (
	_ remote.Remote       = (*Remote)(nil)
	_ remote.Whereiser    = (*Remote)(nil)
	_ remote.InfoReporter = (*Remote)(nil)
	_ remote.Availabler   = (*Remote)(nil)
	_ remote.Closer       = (*Remote)(nil)
)
