package transfer

import (
	"io"
	"sync"
	"sync/atomic"

	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// Reporter is implemented by callers' meters that can show git-annex's
// side messages for the transfer they measure: Note for "Delaying 2s
// before retrying.", Warn for warnings (an attempt's error, a suspected
// stall, content that failed verification). Calls may come from any
// goroutine.
type Reporter interface {
	Note(msg string)
	Warn(msg string)
}

// meter sits between a remote and the caller's meter. It counts every byte
// the remote reports (for stall detection), keeps the position in the
// content (offset of the attempt plus bytes since), passes the caller only
// progress beyond what it has already seen (so a resumed or restarted
// attempt never counts bytes twice), and updates the transfer record.
type meter struct {
	caller progress.Meter
	rec    *Record
	moved  atomic.Int64 // bytes reported by remotes, all attempts

	mu       sync.Mutex
	pos      int64 // position in the content of the current attempt
	reported int64 // highest position passed to the caller
}

func newMeter(caller progress.Meter, rec *Record) *meter {
	if caller == nil {
		caller = progress.Discard
	}
	return &meter{caller: caller, rec: rec}
}

// SetTotal implements progress.Meter.
func (m *meter) SetTotal(n int64) { m.caller.SetTotal(n) }

// Add implements progress.Meter.
func (m *meter) Add(n int64) {
	m.moved.Add(n)
	m.mu.Lock()
	m.pos += n
	pos := m.pos
	m.mu.Unlock()
	m.advance(pos)
}

// at sets the position (the start of an attempt, or 0 after a restart).
func (m *meter) at(pos int64) {
	m.mu.Lock()
	m.pos = pos
	m.mu.Unlock()
	m.advance(pos)
}

func (m *meter) advance(pos int64) {
	m.mu.Lock()
	delta := pos - m.reported
	if delta > 0 {
		m.reported = pos
	}
	m.mu.Unlock()
	if delta > 0 {
		m.caller.Add(delta)
	}
	if m.rec != nil {
		m.rec.Progress(pos)
	}
}

// position returns the position of the current attempt.
func (m *meter) position() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.pos
}

func (m *meter) note(msg string) {
	if r, ok := m.caller.(Reporter); ok {
		r.Note(msg)
	}
}

func (m *meter) warn(msg string) {
	if r, ok := m.caller.(Reporter); ok {
		r.Warn(msg)
	}
}

// sink is the remote.Sink a download writes into: the Partial, with
// Restart reported to the meter.
type sink struct {
	remote.Sink
	m *meter
}

// Restart implements remote.Sink.
func (s sink) Restart() error {
	if err := s.Sink.Restart(); err != nil {
		return err
	}
	s.m.at(0)
	return nil
}

// ReadFrom passes r to the sink's own ReadFrom when it has one (an
// objectstore.Partial hashes large content in parallel with writing it),
// else copies r into the sink's Write.
func (s sink) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := s.Sink.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{s.Sink}, r)
}

var (
	_ progress.Meter = (*meter)(nil)
	_ remote.Sink    = sink{}
	_ io.ReaderFrom  = sink{}
)
