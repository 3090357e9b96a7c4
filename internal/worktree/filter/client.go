package filter

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// StatusError is returned by Client.Filter when the filter answers with a
// status other than success for one file. The stream remains usable.
type StatusError struct {
	Command, Path, Status string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("filter %s %q: status=%s", e.Command, e.Path, e.Status)
}

// Client speaks git's side of the filter process protocol. It is not safe
// for concurrent use.
type Client struct {
	pr   *PacketReader
	pw   *PacketWriter
	caps []string
}

// NewClient performs the handshake over r (from the filter) and w (to the
// filter), offering the given capabilities (e.g. "clean", "smudge",
// "delay"). Errors wrap ErrProtocol when the filter's answer is malformed.
func NewClient(r io.Reader, w io.Writer, capabilities ...string) (*Client, error) {
	c := &Client{pr: NewPacketReader(r), pw: NewPacketWriter(w)}
	if err := c.pw.WriteText("git-filter-client", "version=2"); err != nil {
		return nil, err
	}
	if err := c.pw.Sync(); err != nil {
		return nil, err
	}
	hello, err := c.pr.ReadText()
	if err != nil {
		return nil, fmt.Errorf("filter handshake: %w", err)
	}
	if !slices.Equal(hello, []string{"git-filter-server", "version=2"}) {
		return nil, fmt.Errorf("%w: unexpected server greeting %q", ErrProtocol, hello)
	}
	offer := make([]string, len(capabilities))
	for i, c := range capabilities {
		offer[i] = "capability=" + c
	}
	if err := c.pw.WriteText(offer...); err != nil {
		return nil, err
	}
	if err := c.pw.Sync(); err != nil {
		return nil, err
	}
	got, err := c.pr.ReadText()
	if err != nil {
		return nil, fmt.Errorf("filter handshake: reading capabilities: %w", err)
	}
	for _, l := range got {
		name, ok := strings.CutPrefix(l, "capability=")
		if !ok || !slices.Contains(capabilities, name) {
			return nil, fmt.Errorf("%w: server announced %q, which was not offered", ErrProtocol, l)
		}
		c.caps = append(c.caps, name)
	}
	return c, nil
}

// Capabilities returns the capabilities the server accepted, in its order.
func (c *Client) Capabilities() []string { return slices.Clone(c.caps) }

// Filter sends one request ("clean" or "smudge") for path with content
// and copies the filtered result to out. The whole content is sent before
// the response is read, as git does, so the server must run concurrently.
// A non-success status returns *StatusError; out may then hold partial
// output.
func (c *Client) Filter(command, path string, content io.Reader, out io.Writer) error {
	if err := c.pw.WriteText("command="+command, "pathname="+path); err != nil {
		return err
	}
	cw := newContentWriter(c.pw)
	if _, err := io.Copy(cw, content); err != nil {
		return fmt.Errorf("filter %s %q: sending content: %w", command, path, err)
	}
	if err := cw.flushBuf(); err != nil {
		return err
	}
	if err := c.pw.WriteFlush(); err != nil {
		return err
	}
	if err := c.pw.Sync(); err != nil {
		return err
	}
	status, err := c.readStatus("")
	if err != nil {
		return fmt.Errorf("filter %s %q: %w", command, path, err)
	}
	if status != "success" {
		return &StatusError{Command: command, Path: path, Status: status}
	}
	in := &contentReader{pr: c.pr}
	if _, err := io.Copy(out, in); err != nil {
		_ = in.drain()
		if in.err != nil {
			return fmt.Errorf("filter %s %q: %w", command, path, in.err)
		}
		// out failed: still read the trailing status to stay in sync.
		if _, serr := c.readStatus(status); serr != nil {
			return fmt.Errorf("filter %s %q: %w", command, path, serr)
		}
		return fmt.Errorf("filter %s %q: writing output: %w", command, path, err)
	}
	if status, err = c.readStatus(status); err != nil {
		return fmt.Errorf("filter %s %q: %w", command, path, err)
	}
	if status != "success" {
		return &StatusError{Command: command, Path: path, Status: status}
	}
	return nil
}

// readStatus reads a status list; an empty list keeps prev.
func (c *Client) readStatus(prev string) (string, error) {
	lines, err := c.pr.ReadText()
	if errors.Is(err, io.EOF) {
		return "", fmt.Errorf("%w: filter closed the stream: %w", ErrProtocol, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return "", err
	}
	status := prev
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, "status="); ok {
			status = v
		}
	}
	return status, nil
}
