package p2p

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/p2pproto"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/keylock"
	"github.com/troveproject/trove/internal/uuid"
)

// Config describes one remote.
type Config struct {
	// Name is the git remote name; UUID the repository's annex-uuid.
	Name string
	UUID uuid.UUID
	// Cost is annex-cost, or remote.ExpensiveCost.
	Cost float64
	// Location is shown by `info` (the remote's URL).
	Location string
	// ReadOnly is annex-readonly: Store and Remove fail with
	// remote.ErrReadOnly.
	ReadOnly bool
	// Dial opens a session with the server (SSHDialer).
	Dial Dialer
}

// Remote is a git-annex repository served by git-annex-shell p2pstdio.
// It is safe for concurrent use; Close ends its sessions.
type Remote struct {
	cfg  Config
	pool pool
	// storing serialises stores of one key: git-annex-shell refuses a
	// second upload of a key while one is in progress (its transfer lock)
	// and ends the session.
	storing keylock.Set
}

// New returns the remote. It does no I/O: sessions open on first use.
func New(cfg Config) *Remote {
	r := &Remote{cfg: cfg}
	r.pool.dial = r.dial
	return r
}

func (r *Remote) dial(ctx context.Context) (*conn, error) {
	s, err := r.cfg.Dial(ctx)
	if err != nil {
		return nil, r.unavailable(err)
	}
	c, err := handshake(s, r.cfg.UUID)
	if err != nil {
		cerr := s.Close()
		return nil, r.unavailable(errors.Join(err, cerr))
	}
	return c, nil
}

func (r *Remote) unavailable(err error) error {
	return fmt.Errorf("remote %s (%s) cannot currently be accessed: %w: %w (check it with `git annex info %s`)", r.cfg.Name, r.cfg.Location, remote.ErrUnavailable, err, r.cfg.Name)
}

// Name implements remote.Remote.
func (r *Remote) Name() string { return r.cfg.Name }

// UUID implements remote.Remote.
func (r *Remote) UUID() uuid.UUID { return r.cfg.UUID }

// Cost implements remote.Remote.
func (r *Remote) Cost() float64 { return r.cfg.Cost }

// with runs f on a pooled connection.
func (r *Remote) with(ctx context.Context, f func(c *conn) error) error {
	c, err := r.pool.get(ctx)
	if err != nil {
		return err
	}
	// A cancelled context may leave a request half done.
	stop := context.AfterFunc(ctx, func() {
		c.broken.Store(true)
		_ = c.close()
	})
	err = f(c)
	if !stop() {
		c.broken.Store(true)
		if ctx.Err() != nil {
			err = ctx.Err()
		}
	}
	r.pool.put(c)
	return err
}

func (r *Remote) readOnly() error {
	return fmt.Errorf("remote %s: %w (annex-readonly is set; `git config --unset remote.%s.annex-readonly` allows changes)", r.cfg.Name, remote.ErrReadOnly, r.cfg.Name)
}

// CheckPresent implements remote.Remote.
func (r *Remote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	var present bool
	err := r.with(ctx, func(c *conn) error {
		m, err := c.request(p2pproto.Message{Cmd: p2pproto.CheckPresent, Key: k})
		if err != nil {
			return err
		}
		switch m.Cmd {
		case p2pproto.Success:
			present = true
		case p2pproto.Failure:
		default:
			return c.unexpected("CHECKPRESENT "+k.String(), m)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("remote %s: check %s: %w", r.cfg.Name, k, err)
	}
	return present, nil
}

// Store implements remote.Remote: PUT, resuming from the offset the
// server has, then VALID; the server verifies the content before it keeps
// it and records it in its own location log.
func (r *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	if r.cfg.ReadOnly {
		return r.readOnly()
	}
	f, err := src.Open()
	if err != nil {
		return fmt.Errorf("remote %s: store %s: %w", r.cfg.Name, k, err)
	}
	defer f.Close()
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return fmt.Errorf("remote %s: store %s: %w", r.cfg.Name, k, err)
	}
	m.SetTotal(size)
	unlock := r.storing.Lock(k)
	defer unlock()
	err = r.with(ctx, func(c *conn) error {
		reply, err := c.request(p2pproto.Message{Cmd: p2pproto.Put, AFile: src.File, Key: k})
		if err != nil {
			return err
		}
		switch reply.Cmd {
		case p2pproto.AlreadyHave:
			m.Add(size)
			return nil
		case p2pproto.PutFrom:
		case p2pproto.Error:
			return fmt.Errorf("%s: %w", reply.Text, remote.ErrReadOnly)
		default:
			return c.unexpected("PUT "+k.String(), reply)
		}
		off := min(reply.Offset, size)
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			c.broken.Store(true)
			return err
		}
		m.Add(off)
		validity := p2pproto.Valid
		if err := c.c.SendData(progress.Reader{R: f, M: m}, size-off); err != nil {
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				c.broken.Store(true)
				return err
			}
			validity = p2pproto.Invalid
		}
		reply, err = c.request(p2pproto.Message{Cmd: validity})
		if err != nil {
			return err
		}
		switch reply.Cmd {
		case p2pproto.Success:
			if validity == p2pproto.Invalid {
				return errors.New("the content changed while it was sent")
			}
			return nil
		case p2pproto.Failure:
			return errors.New("the server did not accept the content (it failed verification there, or the disk is full)")
		}
		return c.unexpected("PUT "+k.String(), reply)
	})
	if err != nil {
		return fmt.Errorf("remote %s: store %s: %w", r.cfg.Name, k, err)
	}
	return nil
}

// Retrieve implements remote.Remote: GET from dst.Offset().
func (r *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	err := r.with(ctx, func(c *conn) error {
		off := dst.Offset()
		if k.HasSize && off > k.Size {
			if err := dst.Restart(); err != nil {
				return err
			}
			off = 0
		}
		reply, err := c.request(p2pproto.Message{Cmd: p2pproto.Get, Offset: off, AFile: "", Key: k})
		if err != nil {
			return err
		}
		if reply.Cmd != p2pproto.Data {
			return c.unexpected("GET "+k.String(), reply)
		}
		if k.HasSize {
			m.SetTotal(k.Size)
		} else {
			m.SetTotal(off + reply.Offset)
		}
		m.Add(off)
		werr := c.c.ReceiveData(progress.Writer{W: dst, M: m}, reply.Offset)
		if werr != nil && errors.Is(werr, io.ErrUnexpectedEOF) {
			c.broken.Store(true)
			return werr
		}
		v, err := c.receive()
		if err != nil {
			return err
		}
		ok := werr == nil && v.Cmd == p2pproto.Valid
		if v.Cmd != p2pproto.Valid && v.Cmd != p2pproto.Invalid {
			return c.unexpected("GET "+k.String(), v)
		}
		result := p2pproto.Success
		if !ok {
			result = p2pproto.Failure
		}
		if err := c.send(p2pproto.Message{Cmd: result}); err != nil {
			return err
		}
		switch {
		case werr != nil:
			return werr
		case v.Cmd == p2pproto.Invalid && reply.Offset == 0:
			return remote.ErrNotPresent
		case v.Cmd == p2pproto.Invalid:
			return errors.New("the content changed on the server while it was sent")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remote %s: retrieve %s: %w", r.cfg.Name, k, err)
	}
	return nil
}

// Remove implements remote.Remote. The server removes the content under
// its removal lock (failing when another process holds the content
// locked) and records it missing there.
func (r *Remote) Remove(ctx context.Context, k key.Key) error {
	if r.cfg.ReadOnly {
		return r.readOnly()
	}
	err := r.with(ctx, func(c *conn) error {
		m, err := c.request(p2pproto.Message{Cmd: p2pproto.Remove, Key: k})
		if err != nil {
			return err
		}
		switch m.Cmd {
		case p2pproto.Success:
			return nil
		case p2pproto.Failure:
			return fmt.Errorf("the server could not remove it: %w", remote.ErrLocked)
		case p2pproto.Error:
			return fmt.Errorf("%s: %w", m.Text, remote.ErrReadOnly)
		}
		return c.unexpected("REMOVE "+k.String(), m)
	})
	if err != nil {
		return fmt.Errorf("remote %s: remove %s: %w", r.cfg.Name, k, err)
	}
	return nil
}

// LockNote is the note git-annex shows before it locks content on the
// remote, "locking NAME..." (its showLocking, in the human line and in
// --json's "note"). Git-annex shows it for ssh git remotes, which are what
// this remote type serves, and not for local ones (gitlocal has no
// LockNote). The caller shows it whether or not the lock is then taken.
func (r *Remote) LockNote() string { return "locking " + r.cfg.Name + "..." }

var _ remote.LockNoter = (*Remote)(nil)

// LockContent implements remote.ContentLocker: LOCKCONTENT holds the
// server's shared content lock, on a connection of its own, until the
// returned function sends UNLOCKCONTENT. A refused lock is reported as
// remote.ErrNotPresent when the server lacks the content and
// remote.ErrLocked otherwise.
func (r *Remote) LockContent(ctx context.Context, k key.Key) (func() error, error) {
	c, err := r.pool.get(ctx)
	if err != nil {
		return nil, err
	}
	m, err := c.request(p2pproto.Message{Cmd: p2pproto.LockContent, Key: k})
	if err != nil {
		r.pool.put(c)
		return nil, fmt.Errorf("remote %s: lock %s: %w", r.cfg.Name, k, err)
	}
	switch m.Cmd {
	case p2pproto.Success:
		return func() error {
			err := c.send(p2pproto.Message{Cmd: p2pproto.UnlockContent})
			r.pool.put(c)
			return err
		}, nil
	case p2pproto.Failure:
		r.pool.put(c)
		present, err := r.CheckPresent(ctx, k)
		switch {
		case err != nil:
			return nil, err
		case !present:
			return nil, fmt.Errorf("remote %s: lock %s: %w", r.cfg.Name, k, remote.ErrNotPresent)
		}
		return nil, fmt.Errorf("remote %s: lock %s: %w", r.cfg.Name, k, remote.ErrLocked)
	}
	err = c.unexpected("LOCKCONTENT "+k.String(), m)
	r.pool.put(c)
	return nil, fmt.Errorf("remote %s: %w", r.cfg.Name, err)
}

// Close implements remote.Closer: it ends the idle sessions, so that the
// server commits what it recorded.
func (r *Remote) Close(ctx context.Context) error {
	if err := r.pool.close(); err != nil {
		return fmt.Errorf("remote %s: close: %w", r.cfg.Name, err)
	}
	return nil
}

// Type implements remote.InfoReporter.
func (r *Remote) Type() string { return "git" }

// Info implements remote.InfoReporter.
func (r *Remote) Info() []remote.InfoField {
	return []remote.InfoField{{Name: "repository location", Value: r.cfg.Location}}
}

var (
	_ remote.Remote        = (*Remote)(nil)
	_ remote.ContentLocker = (*Remote)(nil)
	_ remote.InfoReporter  = (*Remote)(nil)
	_ remote.Closer        = (*Remote)(nil)
)
