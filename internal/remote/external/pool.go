package external

import (
	"context"
	"sync"

	"github.com/troveproject/trove/internal/extproto"
)

// pool keeps a remote's helpers for the whole command: idle unframed
// helpers ready for the next job, or the one ASYNC helper every job
// shares. Safe for concurrent use.
type pool struct {
	p *peer

	// first is held while the first helper starts, so that concurrent
	// jobs learn whether it takes ASYNC before starting more.
	first sync.Mutex
	known bool // a helper has finished its handshake

	mu     sync.Mutex
	idle   []*helper
	shared *helper // the ASYNC helper, once one said so
	all    []*helper
	closed bool
}

// acquire returns a job on a started, handshaken and PREPAREd helper.
// release must be called with it when the request is over.
func (pl *pool) acquire(ctx context.Context) (*job, error) {
	j, err := pl.get(ctx)
	if err != nil {
		return nil, err
	}
	if err := pl.prepare(ctx, j); err != nil {
		pl.release(j)
		return nil, err
	}
	return j, nil
}

// get returns a job without PREPARE.
func (pl *pool) get(ctx context.Context) (*job, error) {
	pl.mu.Lock()
	if pl.shared != nil && pl.shared.alive() {
		h := pl.shared
		pl.mu.Unlock()
		return h.newJob(), nil
	}
	for len(pl.idle) > 0 {
		h := pl.idle[len(pl.idle)-1]
		pl.idle = pl.idle[:len(pl.idle)-1]
		if h.alive() {
			pl.mu.Unlock()
			return &job{h: h, ch: h.jobs[0]}, nil
		}
	}
	known := pl.known
	pl.mu.Unlock()
	if !known {
		pl.first.Lock()
		pl.mu.Lock()
		known = pl.known
		pl.mu.Unlock()
		if known {
			// Another job started the first helper meanwhile.
			pl.first.Unlock()
			return pl.get(ctx)
		}
		defer pl.first.Unlock()
	}

	h, err := pl.p.start(ctx)
	if err != nil {
		return nil, err
	}
	pl.mu.Lock()
	pl.known = true
	pl.all = append(pl.all, h)
	if h.isAsync() {
		if pl.shared == nil || !pl.shared.alive() {
			pl.shared = h
		}
		pl.mu.Unlock()
		return h.newJob(), nil
	}
	pl.mu.Unlock()
	return &job{h: h, ch: h.jobs[0]}, nil
}

// prepare sends PREPARE once per helper; a PREPARE-FAILURE is kept and
// returned for every later request, as git-annex does.
func (pl *pool) prepare(ctx context.Context, j *job) error {
	h := j.h
	h.prepareMu.Lock()
	defer h.prepareMu.Unlock()
	if h.prepared {
		return h.prepareErr
	}
	ok, msg, err := pl.p.simple(ctx, j, extproto.New(extproto.Prepare), extproto.PrepareSuccess, extproto.PrepareFailure)
	if err != nil {
		return err
	}
	h.prepared = true
	if !ok {
		h.prepareErr = pl.p.failed("PREPARE", msg)
	}
	return h.prepareErr
}

// release ends j: an ASYNC job is forgotten, an unframed helper that is
// still usable goes back to the idle list.
func (pl *pool) release(j *job) {
	if j.id != 0 {
		j.h.endJob(j)
		return
	}
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if j.h.alive() && !pl.closed {
		pl.idle = append(pl.idle, j.h)
	}
}

// close ends every helper by closing its input, killing those still
// running when ctx ends.
func (pl *pool) close(ctx context.Context) {
	pl.mu.Lock()
	pl.closed = true
	all := pl.all
	pl.all, pl.idle, pl.shared = nil, nil, nil
	pl.mu.Unlock()
	var wg sync.WaitGroup
	for _, h := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.close(ctx.Done())
		}()
	}
	wg.Wait()
}
