package external

import (
	"context"
	"fmt"

	"github.com/troveproject/trove/internal/extproto"
)

// job is one conversation with a helper: the whole helper, or one ASYNC
// job of it. It is used by one goroutine at a time.
type job struct {
	h  *helper
	id int // 0 for an unframed helper
	ch chan string
}

// send writes m, framed with the job number in ASYNC mode.
func (j *job) send(m extproto.Message) error {
	if j.id != 0 && m.Command != extproto.Error {
		m.Job = j.id
	}
	return j.h.write(m)
}

// recv returns the next message the helper sent for this job. When ctx
// ends first, the helper is killed (it is in the middle of a request and
// cannot be reused) and ctx's error is returned. A line that does not
// parse kills the helper.
func (j *job) recv(ctx context.Context) (extproto.Message, error) {
	select {
	case line := <-j.ch:
		m, err := extproto.ParseFromRemote(line)
		if err != nil {
			j.h.fail(fmt.Errorf("protocol error: %w", err))
			return extproto.Message{}, j.h.failure()
		}
		return m, nil
	case <-j.h.dead:
		// Lines queued before the helper died are still answers.
		select {
		case line := <-j.ch:
			if m, err := extproto.ParseFromRemote(line); err == nil {
				return m, nil
			}
		default:
		}
		return extproto.Message{}, j.h.failure()
	case <-ctx.Done():
		j.h.fail(fmt.Errorf("killed: %w", context.Cause(ctx)))
		return extproto.Message{}, fmt.Errorf("external special remote %s: %w", j.h.label, context.Cause(ctx))
	}
}
