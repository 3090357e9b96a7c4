package annex

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/logs"
	"github.com/troveproject/trove/internal/p2pproto"
)

// ServeMode limits what a P2P client may change (git-annex-shell's
// GIT_ANNEX_SHELL_READONLY and GIT_ANNEX_SHELL_APPENDONLY).
type ServeMode int

const (
	// ServeReadWrite allows every request.
	ServeReadWrite ServeMode = iota
	// ServeAppendOnly refuses REMOVE.
	ServeAppendOnly
	// ServeReadOnly refuses PUT and REMOVE.
	ServeReadOnly
)

// Error texts of git-annex's P2P server.
const (
	errReadOnly   = "this repository is read-only; write access denied"
	errAppendOnly = "this repository is append-only; removal denied"
)

// ServeP2P serves git-annex's P2P protocol (git-annex-shell p2pstdio) to
// one client on in/out until the client closes its side or sends ERROR:
// authentication is implicit (AUTH-SUCCESS is sent first), then VERSION,
// CHECKPRESENT, LOCKCONTENT/UNLOCKCONTENT, REMOVE, GET and PUT are answered
// with the repository's Peer methods and object store. Received content is
// verified before it enters the object store; what changes is recorded in
// this repository's location log and committed before ServeP2P returns.
// The error is non-nil when the streams fail or the client breaks the
// protocol; a client hanging up between requests is a clean end.
func (r *Repo) ServeP2P(ctx context.Context, in io.Reader, out io.Writer, mode ServeMode) (err error) {
	c := p2pproto.NewConn(in, out)
	defer func() {
		if _, cerr := r.Commit(context.WithoutCancel(ctx)); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	if err := c.Send(p2pproto.Message{Cmd: p2pproto.AuthSuccess, UUID: r.here}); err != nil {
		return err
	}
	s := &p2pSession{r: r, c: c, mode: mode}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		m, err := c.Receive()
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.Is(err, p2pproto.ErrUnknown):
			if err := s.sendError("unknown command"); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		}
		done, err := s.handle(ctx, m)
		if err != nil || done {
			return err
		}
	}
}

// p2pSession is one client's connection.
type p2pSession struct {
	r    *Repo
	c    *p2pproto.Conn
	mode ServeMode
}

func (s *p2pSession) send(cmd string) error { return s.c.Send(p2pproto.Message{Cmd: cmd}) }

func (s *p2pSession) sendError(text string) error {
	return s.c.Send(p2pproto.Message{Cmd: p2pproto.Error, Text: text})
}

func (s *p2pSession) reply(ok bool) error {
	if ok {
		return s.send(p2pproto.Success)
	}
	return s.send(p2pproto.Failure)
}

// handle answers one request; done is true when the session is over.
func (s *p2pSession) handle(ctx context.Context, m p2pproto.Message) (done bool, err error) {
	switch m.Cmd {
	case p2pproto.Version:
		return false, s.c.Send(p2pproto.Message{Cmd: p2pproto.Version, Version: min(m.Version, p2pproto.MaxVersion)})
	case p2pproto.CheckPresent:
		ok, err := s.r.PeerHasKey(ctx, m.Key)
		return false, s.reply(ok && err == nil)
	case p2pproto.LockContent:
		return s.lockContent(ctx, m.Key)
	case p2pproto.Remove:
		switch s.mode {
		case ServeReadOnly:
			return false, s.sendError(errReadOnly)
		case ServeAppendOnly:
			return false, s.sendError(errAppendOnly)
		}
		return false, s.reply(s.r.PeerRemove(ctx, m.Key) == nil)
	case p2pproto.Get:
		return false, s.get(ctx, m.Key, m.Offset)
	case p2pproto.Put:
		if s.mode == ServeReadOnly {
			return false, s.sendError(errReadOnly)
		}
		return false, s.put(ctx, m.Key)
	case p2pproto.Error:
		return true, nil
	}
	return false, s.sendError("unexpected command")
}

// lockContent holds a shared content lock until UNLOCKCONTENT (which has
// no reply) or the end of the connection.
func (s *p2pSession) lockContent(ctx context.Context, k key.Key) (done bool, err error) {
	unlock, err := s.r.PeerLockContent(ctx, k)
	if err != nil {
		return false, s.send(p2pproto.Failure)
	}
	defer func() {
		if uerr := unlock(); err == nil && uerr != nil {
			err = fmt.Errorf("unlock content of %s: %w", k, uerr)
		}
	}()
	if err := s.send(p2pproto.Success); err != nil {
		return false, err
	}
	m, err := s.c.Receive()
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if m.Cmd != p2pproto.UnlockContent {
		return true, fmt.Errorf("p2p client sent %s while content of %s was locked, expected UNLOCKCONTENT", m.Cmd, k)
	}
	return false, nil
}

// get sends k's content from offset: DATA, the bytes, VALID; then reads
// the client's SUCCESS or FAILURE. Absent content is DATA 0 and INVALID,
// as git-annex sends.
func (s *p2pSession) get(ctx context.Context, k key.Key, offset int64) error {
	f, size, err := s.r.objects.OpenObject(k)
	if err != nil {
		if err := s.c.SendData(http.NoBody, 0); err != nil {
			return err
		}
		if err := s.send(p2pproto.Invalid); err != nil {
			return err
		}
		return s.readResult()
	}
	defer f.Close()
	if offset > size {
		offset = size
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return fmt.Errorf("send %s: %w", f.Name(), err)
	}
	validity := p2pproto.Valid
	if err := s.c.SendData(fsutil.ContextReader(ctx, f), size-offset); err != nil {
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		validity = p2pproto.Invalid
	}
	if err := s.send(validity); err != nil {
		return err
	}
	return s.readResult()
}

// readResult reads the SUCCESS or FAILURE a client sends after receiving
// content.
func (s *p2pSession) readResult() error {
	m, err := s.c.Receive()
	if err != nil {
		return err
	}
	if m.Cmd != p2pproto.Success && m.Cmd != p2pproto.Failure {
		return fmt.Errorf("p2p client sent %s after DATA, expected SUCCESS or FAILURE", m.Cmd)
	}
	return nil
}

// put receives k's content: ALREADY-HAVE when present, otherwise PUT-FROM
// the offset of the partial file, DATA, VALID or INVALID; the content is
// verified against k before it enters the object store.
func (s *p2pSession) put(ctx context.Context, k key.Key) error {
	unlock := s.r.remotes.lockReceive(k)
	defer unlock()
	if ok, err := s.r.PeerHasKey(ctx, k); err == nil && ok {
		return s.send(p2pproto.AlreadyHave)
	}
	p, err := s.r.objects.OpenPartial(ctx, k)
	if err != nil {
		return s.send(p2pproto.Failure)
	}
	defer p.Close()
	if err := s.c.Send(p2pproto.Message{Cmd: p2pproto.PutFrom, Offset: p.Offset()}); err != nil {
		return err
	}
	m, err := s.c.Receive()
	if err != nil {
		return err
	}
	if m.Cmd != p2pproto.Data {
		if err := s.sendError("expected DATA"); err != nil {
			return err
		}
		return nil
	}
	werr := s.c.ReceiveData(p, m.Offset)
	if werr != nil && errors.Is(werr, io.ErrUnexpectedEOF) {
		return werr
	}
	v, err := s.c.Receive()
	if err != nil {
		return err
	}
	if werr != nil || v.Cmd != p2pproto.Valid {
		// Keep what arrived for a resume only when the sender vouched for it.
		if v.Cmd == p2pproto.Invalid {
			_ = p.Restart()
		}
		return s.send(p2pproto.Failure)
	}
	if err := p.Commit(ctx); err != nil {
		return s.send(p2pproto.Failure)
	}
	// Recorded now, not deferred to Commit like logPresent: a REMOVE of
	// the key later in the session records its removal at once, and a
	// deferred record applied after it would undo it.
	if err := s.r.logLocation(ctx, k, s.r.here, logs.Present); err != nil {
		return s.send(p2pproto.Failure)
	}
	return s.send(p2pproto.Success)
}
