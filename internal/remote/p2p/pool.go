package p2p

import (
	"context"
	"errors"
	"sync"
)

// pool keeps idle connections for reuse.
type pool struct {
	dial func(ctx context.Context) (*conn, error)

	mu     sync.Mutex
	idle   []*conn
	closed bool
}

// get returns an idle connection or opens one.
func (p *pool) get(ctx context.Context) (*conn, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	return p.dial(ctx)
}

// put returns c for reuse, or closes it when it is broken or the pool is
// closed.
func (p *pool) put(c *conn) {
	p.mu.Lock()
	if c.broken.Load() || p.closed {
		p.mu.Unlock()
		_ = c.close()
		return
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// close ends every idle session (the server commits what it recorded) and
// makes put close the connections still in use.
func (p *pool) close() error {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	var errs []error
	for _, c := range idle {
		errs = append(errs, c.close())
	}
	return errors.Join(errs...)
}
