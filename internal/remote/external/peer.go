package external

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/troveproject/trove/internal/extproto"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// GitDirer is an optional ability of a remote.Host: the repository's git
// directory, for the helper's GETGITDIR. Without it the git directory is
// taken to be the parent of TmpDir's "annex/tmp".
type GitDirer interface {
	GitDir() string
}

// Wanter is an optional ability of a remote.Host: the remote's preferred
// content expression, for the helper's GETWANTED and SETWANTED. Without
// it GETWANTED answers "" and SETWANTED is refused with a warning.
type Wanter interface {
	Wanted(ctx context.Context) (string, error)
	SetWanted(ctx context.Context, expr string) error
}

// Debugger is an optional ability of a remote.Host: where the helper's
// DEBUG messages go (git-annex shows them with --debug). Without it they
// are dropped.
type Debugger interface {
	Debug(msg string)
}

// peer is what a helper's requests are answered from: the remote's
// identity, its configuration (with the helper's SETCONFIGs) and the Host.
type peer struct {
	name    string
	uuid    uuid.UUID
	program string
	host    remote.Host

	mu  sync.Mutex
	cfg remote.Config
}

func newPeer(name string, u uuid.UUID, program string, cfg remote.Config, h remote.Host) *peer {
	c := make(remote.Config, len(cfg))
	for k, v := range cfg {
		c[k] = v
	}
	return &peer{name: name, uuid: u, program: program, host: h, cfg: c}
}

// config returns a copy of the configuration.
func (p *peer) config() remote.Config {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := make(remote.Config, len(p.cfg))
	for k, v := range p.cfg {
		c[k] = v
	}
	return c
}

// verdict is what an exchange's accept function makes of a reply.
type verdict int

const (
	reject verdict = iota // not allowed now: a protocol error
	more                  // part of a longer reply: keep reading
	done                  // the final reply
)

// exchange sends req on j and answers the helper's requests until accept
// says a reply is the final one. Any other message, an
// ERROR, a failed Host call or ctx ending kills the helper, since it is
// then in the middle of a request; the error names the remote and program.
func (p *peer) exchange(ctx context.Context, j *job, req extproto.Message, m progress.Meter, accept func(extproto.Message) verdict) error {
	if err := context.Cause(ctx); err != nil {
		return fmt.Errorf("external special remote %s: %s not sent: %w", p.label(), req.Command, err)
	}
	if err := j.send(req); err != nil {
		return err
	}
	var progressed int64
	for {
		msg, err := j.recv(ctx)
		if err != nil {
			return err
		}
		if msg.Command == extproto.Error {
			j.h.fail(fmt.Errorf("external special remote error: %s", msg.Param(0)))
			return j.h.failure()
		}
		if handled, err := p.answer(ctx, j, msg, m, &progressed); handled {
			if err != nil {
				j.h.fail(err)
				return j.h.failure()
			}
			continue
		}
		switch accept(msg) {
		case done:
			return nil
		case more:
			continue
		}
		if msg.Command == extproto.UnsupportedRequest {
			// The helper is in a clean state: it answered.
			return fmt.Errorf("external special remote %s: %s: %w", p.label(), req.Command, remote.ErrUnsupported)
		}
		j.h.fail(fmt.Errorf("protocol error: unexpected %q in reply to %s (command not allowed at this time)", msg.String(), req.Command))
		return j.h.failure()
	}
}

// answer handles one of the helper's own requests; handled is false for
// a message that is not one.
func (p *peer) answer(ctx context.Context, j *job, msg extproto.Message, m progress.Meter, done *int64) (handled bool, err error) {
	value := func(v string) error { return j.send(extproto.New(extproto.Value, v)) }
	parseKey := func() key.Key {
		k, _ := key.Parse(msg.Param(0)) // checked by extproto
		return k
	}
	switch msg.Command {
	case extproto.Progress:
		if m != nil {
			n, _ := extproto.ReadInt(msg.Param(0))
			if n > *done {
				m.Add(n - *done)
				*done = n
			}
		}
		return true, nil
	case extproto.DirHash:
		return true, value(parseKey().HashDirMixed())
	case extproto.DirHashLower:
		return true, value(parseKey().HashDirLower())
	case extproto.SetConfig:
		p.mu.Lock()
		p.cfg[msg.Param(0)] = msg.Param(1)
		p.mu.Unlock()
		return true, nil
	case extproto.GetConfig:
		p.mu.Lock()
		v := p.cfg[msg.Param(0)]
		p.mu.Unlock()
		return true, value(v)
	case extproto.SetCreds:
		if err := p.host.SetCreds(ctx, msg.Param(0), msg.Param(1), msg.Param(2)); err != nil {
			return true, fmt.Errorf("SETCREDS %s: %w", msg.Param(0), err)
		}
		return true, nil
	case extproto.GetCreds:
		login, pass, _, err := p.host.Creds(ctx, msg.Param(0))
		if err != nil {
			return true, fmt.Errorf("GETCREDS %s: %w", msg.Param(0), err)
		}
		return true, j.send(extproto.New(extproto.Creds, login, pass))
	case extproto.GetUUID:
		return true, value(string(p.uuid))
	case extproto.GetGitDir:
		return true, value(p.gitDir())
	case extproto.GetGitRemoteName:
		return true, value(p.name)
	case extproto.SetWanted:
		if w, ok := p.host.(Wanter); ok {
			if err := w.SetWanted(ctx, msg.Param(0)); err != nil {
				return true, fmt.Errorf("SETWANTED: %w", err)
			}
			return true, nil
		}
		p.host.Warn(fmt.Sprintf("%s: SETWANTED is not supported here; set it with `git annex wanted %s %s`", p.label(), p.name, msg.Param(0)))
		return true, nil
	case extproto.GetWanted:
		v := ""
		if w, ok := p.host.(Wanter); ok {
			if v, err = w.Wanted(ctx); err != nil {
				return true, fmt.Errorf("GETWANTED: %w", err)
			}
		}
		return true, value(v)
	case extproto.SetState:
		if err := p.host.SetState(ctx, parseKey(), msg.Param(1)); err != nil {
			return true, fmt.Errorf("SETSTATE %s: %w", msg.Param(0), err)
		}
		return true, nil
	case extproto.GetState:
		v, err := p.host.State(ctx, parseKey())
		if err != nil {
			return true, fmt.Errorf("GETSTATE %s: %w", msg.Param(0), err)
		}
		return true, value(v)
	case extproto.SetURLPresent, extproto.SetURIPresent:
		u := msg.Param(1)
		if msg.Command == extproto.SetURIPresent {
			u = ":" + u // git-annex's OtherDownloader marker in .log.web
		}
		if err := p.host.SetURLPresent(ctx, parseKey(), u); err != nil {
			return true, fmt.Errorf("%s %s: %w", msg.Command, msg.Param(0), err)
		}
		return true, nil
	case extproto.SetURLMissing, extproto.SetURIMissing:
		u := msg.Param(1)
		if msg.Command == extproto.SetURIMissing {
			u = ":" + u
		}
		if err := p.host.SetURLMissing(ctx, parseKey(), u); err != nil {
			return true, fmt.Errorf("%s %s: %w", msg.Command, msg.Param(0), err)
		}
		return true, nil
	case extproto.GetURLs:
		urls, err := p.urls(ctx, parseKey(), msg.Param(1))
		if err != nil {
			return true, fmt.Errorf("GETURLS %s: %w", msg.Param(0), err)
		}
		for _, u := range urls {
			if err := value(u); err != nil {
				return true, err
			}
		}
		return true, value("")
	case extproto.Debug:
		if d, ok := p.host.(Debugger); ok {
			d.Debug(msg.Param(0))
		}
		return true, nil
	case extproto.Info:
		p.host.Info(msg.Param(0))
		return true, nil
	}
	return false, nil
}

// urls returns k's recorded URLs that start with prefix, with the ":" of
// URIs removed, as git-annex's getUrlsWithPrefix does.
func (p *peer) urls(ctx context.Context, k key.Key, prefix string) ([]string, error) {
	all, err := p.host.URLs(ctx, k, "")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, u := range all {
		u = strings.TrimPrefix(u, ":")
		if strings.HasPrefix(u, prefix) {
			out = append(out, u)
		}
	}
	return out, nil
}

func (p *peer) gitDir() string {
	if g, ok := p.host.(GitDirer); ok {
		return g.GitDir()
	}
	return filepath.Dir(filepath.Dir(p.host.TmpDir()))
}

func (p *peer) label() string {
	return fmt.Sprintf("%s (remote %s)", p.program, p.name)
}

// handshake reads the helper's VERSION and negotiates extensions on job
// 0, switching the helper to ASYNC framing when it asks for it.
func (p *peer) handshake(ctx context.Context, h *helper) error {
	j := &job{h: h, ch: h.jobs[0]}
	msg, err := j.recv(ctx)
	if err != nil {
		return err
	}
	if msg.Command != extproto.Version {
		h.fail(fmt.Errorf("protocol error: expected VERSION first, got %q", msg.String()))
		return h.failure()
	}
	if v, _ := extproto.ReadInt(msg.Param(0)); v != 1 {
		_ = j.send(extproto.New(extproto.Error, "unsupported VERSION"))
		h.fail(fmt.Errorf("it speaks protocol version %s; only version 1 is supported", msg.Param(0)))
		return h.failure()
	}
	var exts []string
	err = p.exchange(ctx, j, extproto.New(extproto.Extensions, strings.Join(extproto.SupportedExtensions, " ")), nil,
		func(m extproto.Message) verdict {
			switch m.Command {
			case extproto.Extensions:
				exts = strings.FieldsFunc(m.Param(0), func(r rune) bool { return r == ' ' || r == '\t' })
				return done
			case extproto.UnsupportedRequest:
				return done
			}
			return reject
		})
	if err != nil {
		return err
	}
	for _, e := range exts {
		known := false
		for _, s := range extproto.SupportedExtensions {
			known = known || e == s
		}
		if !known {
			h.fail(fmt.Errorf("it requested the extension %s, which is not supported", e))
			return h.failure()
		}
		if e == "ASYNC" {
			h.setAsync()
		}
	}
	return nil
}

// simple sends a request whose replies are a success, a failure with a
// message, or UNSUPPORTED-REQUEST, and reports which.
func (p *peer) simple(ctx context.Context, j *job, req extproto.Message, success, failure string) (ok bool, msg string, err error) {
	supported := true
	err = p.exchange(ctx, j, req, nil, func(m extproto.Message) verdict {
		switch m.Command {
		case success:
			ok = true
		case failure:
			msg = m.Param(0)
		case extproto.UnsupportedRequest:
			supported = false
		default:
			return reject
		}
		return done
	})
	if err == nil && !supported {
		err = fmt.Errorf("external special remote %s: %s: %w", p.label(), req.Command, remote.ErrUnsupported)
	}
	return ok, msg, err
}

// start starts a helper and does the handshake.
func (p *peer) start(ctx context.Context) (*helper, error) {
	h, err := startHelper(p.program, p.name, func(line string) { p.host.Warn(line) })
	if err != nil {
		return nil, err
	}
	if err := p.handshake(ctx, h); err != nil {
		return nil, err
	}
	return h, nil
}

// failure is a request the helper answered with a failure (the helper
// itself is fine).
type failure struct {
	label, what, msg string
}

func (f *failure) Error() string {
	if f.msg == "" {
		return fmt.Sprintf("external special remote %s: %s failed", f.label, f.what)
	}
	return fmt.Sprintf("external special remote %s: %s failed: %s", f.label, f.what, f.msg)
}

// outcome sends req and waits for its final reply: success, or failure
// whose first parameters echo the request's (echo) and whose next one is
// the helper's message, returned as a *failure. Any other reply is a
// protocol error.
func (p *peer) outcome(ctx context.Context, j *job, req extproto.Message, m progress.Meter, success, failure string, echo ...string) error {
	ok, msg := false, ""
	err := p.exchange(ctx, j, req, m, func(reply extproto.Message) verdict {
		if len(reply.Params) < len(echo) || !slices.Equal(reply.Params[:len(echo)], echo) {
			return reject
		}
		switch reply.Command {
		case success:
			ok = true
		case failure:
			msg = reply.Param(len(echo))
		default:
			return reject
		}
		return done
	})
	if err != nil {
		return err
	}
	if !ok {
		return p.failed(req.Command+" "+strings.Join(echo, " "), msg)
	}
	return nil
}

// failed is the error for a request the helper answered with a failure.
func (p *peer) failed(what, msg string) error {
	return &failure{label: p.label(), what: what, msg: msg}
}
