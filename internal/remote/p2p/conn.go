package p2p

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/troveproject/trove/internal/p2pproto"
	"github.com/troveproject/trove/internal/sshcmd"
	"github.com/troveproject/trove/internal/uuid"
)

// Stream is a byte stream to a P2P server: the standard input and output
// of git-annex-shell p2pstdio. Close ends the server's session and waits
// for it.
type Stream interface {
	io.Reader
	io.Writer
	Close() error
}

// Dialer opens a Stream to the server.
type Dialer func(ctx context.Context) (Stream, error)

// SSHDialer runs `SHELL p2pstdio DIR LOCALUUID --uuid REMOTEUUID` over
// ssh, as git-annex does; shell is remote.NAME.annex-shell or
// "git-annex-shell".
func SSHDialer(c *sshcmd.Client, shell string, local, remote uuid.UUID) Dialer {
	if shell == "" {
		shell = "git-annex-shell"
	}
	cmd := sshcmd.ShellCommand(shell, "p2pstdio", c.Location().Path, string(local), "--uuid", string(remote))
	return func(ctx context.Context) (Stream, error) {
		s, err := c.Start(ctx, cmd)
		if err != nil {
			return nil, err
		}
		return sshStream{s}, nil
	}
}

type sshStream struct{ s *sshcmd.Session }

func (s sshStream) Read(p []byte) (int, error)  { return s.s.Stdout.Read(p) }
func (s sshStream) Write(p []byte) (int, error) { return s.s.Stdin.Write(p) }
func (s sshStream) Close() error                { return s.s.Close() }

// conn is one protocol session.
type conn struct {
	s Stream
	c *p2pproto.Conn
	// broken is set when the session is out of step (an I/O error, an
	// unexpected reply); a broken conn is closed, never reused.
	broken atomic.Bool

	closeOnce sync.Once
	closeErr  error
}

// close ends the session once; later calls return the first result.
func (c *conn) close() error {
	c.closeOnce.Do(func() { c.closeErr = c.s.Close() })
	return c.closeErr
}

// handshake reads the server's AUTH-SUCCESS, checks its UUID and agrees
// on version 1.
func handshake(s Stream, want uuid.UUID) (*conn, error) {
	c := &conn{s: s, c: p2pproto.NewConn(s, s)}
	m, err := c.c.Receive()
	if err != nil {
		return nil, fmt.Errorf("p2p handshake: %w", err)
	}
	if m.Cmd != p2pproto.AuthSuccess {
		return nil, fmt.Errorf("p2p handshake: server sent %q instead of AUTH-SUCCESS", m.String())
	}
	if !want.IsZero() && m.UUID != want {
		return nil, fmt.Errorf("p2p handshake: the repository has UUID %s, expected %s", m.UUID, want)
	}
	if err := c.c.Send(p2pproto.Message{Cmd: p2pproto.Version, Version: p2pproto.MaxVersion}); err != nil {
		return nil, err
	}
	m, err = c.c.Receive()
	if err != nil {
		return nil, fmt.Errorf("p2p handshake: %w", err)
	}
	if m.Cmd != p2pproto.Version || m.Version < 1 {
		return nil, fmt.Errorf("p2p handshake: server answered VERSION with %q; Trove needs protocol version 1 (git-annex 6.20180529 or later)", m.String())
	}
	return c, nil
}

// request sends m and reads the reply.
func (c *conn) request(m p2pproto.Message) (p2pproto.Message, error) {
	if err := c.send(m); err != nil {
		return p2pproto.Message{}, err
	}
	return c.receive()
}

func (c *conn) send(m p2pproto.Message) error {
	if err := c.c.Send(m); err != nil {
		c.broken.Store(true)
		return err
	}
	return nil
}

func (c *conn) receive() (p2pproto.Message, error) {
	m, err := c.c.Receive()
	if err != nil {
		c.broken.Store(true)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return m, fmt.Errorf("p2p protocol: %w", err)
	}
	return m, nil
}

// unexpected is a reply that does not fit the request; the session is
// abandoned.
func (c *conn) unexpected(req string, m p2pproto.Message) error {
	c.broken.Store(true)
	if m.Cmd == p2pproto.Error {
		return fmt.Errorf("%s: the server said: %s", req, m.Text)
	}
	return fmt.Errorf("%s: unexpected reply %q", req, m.String())
}
