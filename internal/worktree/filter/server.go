package filter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Capabilities the Server offers, in the order git-annex lists them.
// "delay" is never offered.
var serverCapabilities = []string{"clean", "smudge"}

// Server answers git's filter process requests. The zero value is not
// usable: Handler must be set.
type Server struct {
	// Handler filters each file.
	Handler Handler
	// OnError, when set, is told about each request that ends with
	// status=error, so the caller can report it (the server prints nothing).
	OnError func(command, path string, err error)
}

// Serve runs the handshake and then answers requests until r ends at a
// request boundary, which returns nil. Protocol violations return an error
// wrapping ErrProtocol; write failures and ctx cancellation (checked
// between requests) are returned as they are. Handler errors are not
// returned: they become status=error responses.
func (s *Server) Serve(ctx context.Context, r io.Reader, w io.Writer) error {
	pr, pw := NewPacketReader(r), NewPacketWriter(w)
	if err := s.handshake(pr, pw); err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		lines, err := pr.ReadText()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := s.serveRequest(ctx, lines, pr, pw); err != nil {
			return err
		}
	}
}

func (s *Server) handshake(pr *PacketReader, pw *PacketWriter) error {
	hello, err := pr.ReadText()
	if err != nil {
		return fmt.Errorf("filter handshake: %w", err)
	}
	if len(hello) == 0 || hello[0] != "git-filter-client" {
		return fmt.Errorf("%w: handshake: expected git-filter-client, got %q", ErrProtocol, hello)
	}
	if !slices.Contains(hello[1:], "version=2") {
		return fmt.Errorf("%w: handshake: client does not offer version=2: %q", ErrProtocol, hello[1:])
	}
	if err := pw.WriteText("git-filter-server", "version=2"); err != nil {
		return err
	}
	// git waits for our version before it sends its capabilities.
	if err := pw.Sync(); err != nil {
		return err
	}
	caps, err := pr.ReadText()
	if err != nil {
		return fmt.Errorf("filter handshake: reading capabilities: %w", err)
	}
	var reply []string
	for _, c := range caps {
		name, ok := strings.CutPrefix(c, "capability=")
		if ok && slices.Contains(serverCapabilities, name) && !slices.Contains(reply, c) {
			reply = append(reply, c)
		}
	}
	if err := pw.WriteText(reply...); err != nil {
		return err
	}
	return pw.Sync()
}

// request holds the keys of one request that the server acts on.
type request struct {
	command, path string
}

func parseRequest(lines []string) request {
	var req request
	for _, l := range lines {
		k, v, _ := strings.Cut(l, "=")
		switch k {
		case "command":
			req.command = v
		case "pathname":
			req.path = v
		}
	}
	return req
}

func (s *Server) serveRequest(ctx context.Context, lines []string, pr *PacketReader, pw *PacketWriter) error {
	req := parseRequest(lines)
	in := &contentReader{pr: pr}
	out := &responseWriter{in: in, pw: pw, cw: newContentWriter(pw)}
	var herr error
	switch req.command {
	case "clean":
		herr = s.Handler.Clean(ctx, req.path, in, out)
	case "smudge":
		herr = s.Handler.Smudge(ctx, req.path, in, out)
	default:
		herr = fmt.Errorf("unsupported filter command %q", req.command)
	}
	if err := in.drain(); err != nil {
		return fmt.Errorf("filter %s %q: %w", req.command, req.path, err)
	}
	if out.err != nil {
		return fmt.Errorf("filter %s %q: writing response: %w", req.command, req.path, out.err)
	}
	if herr != nil && s.OnError != nil {
		s.OnError(req.command, req.path, herr)
	}
	return out.finish(herr == nil)
}

// responseWriter is the out stream handed to a Handler. It holds output in
// memory until the request's input has been read to its end, then writes
// status=success and streams content packets.
type responseWriter struct {
	in      *contentReader
	pw      *PacketWriter
	cw      *contentWriter
	pending bytes.Buffer
	started bool
	err     error // sticky write error
}

func (o *responseWriter) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if !o.in.eof {
		return o.pending.Write(p)
	}
	if err := o.start(); err != nil {
		o.err = err
		return 0, err
	}
	n, err := o.cw.Write(p)
	if err != nil {
		o.err = err
	}
	return n, err
}

// start writes the success status and any pending output.
func (o *responseWriter) start() error {
	if o.started {
		return nil
	}
	o.started = true
	if err := o.pw.WriteText("status=success"); err != nil {
		return err
	}
	_, err := o.cw.Write(o.pending.Bytes())
	o.pending = bytes.Buffer{}
	return err
}

// finish completes the response after the input was drained.
func (o *responseWriter) finish(ok bool) error {
	var err error
	switch {
	case ok:
		err = o.start()
		if err == nil {
			err = o.cw.flushBuf()
		}
		if err == nil {
			err = o.pw.WriteFlush()
		}
		if err == nil {
			// An empty list keeps the status given before the content.
			err = o.pw.WriteFlush()
		}
	case o.started:
		err = o.cw.flushBuf()
		if err == nil {
			err = o.pw.WriteFlush()
		}
		if err == nil {
			err = o.pw.WriteText("status=error")
		}
	default:
		err = o.pw.WriteText("status=error")
	}
	if err == nil {
		err = o.pw.Sync()
	}
	return err
}
