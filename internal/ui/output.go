package ui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/troveproject/trove/internal/clock"

	"github.com/troveproject/trove/internal/progress"
)

// Output hands command events to a Renderer. It is safe for concurrent
// use: tasks may run, note and count progress from many goroutines.
type Output struct {
	mu     sync.Mutex
	r      Renderer
	clk    clock.Clock
	failed map[string]int
	order  []string
	nextID uint64
	// head and tail are the open turns of a Sequence, in order.
	head, tail *Turn
}

// NewOutput returns an Output rendering with r. clk (nil allowed) is the
// clock used to throttle progress and compute rates; with nil, progress is
// reported only on completion.
func NewOutput(r Renderer, clk clock.Clock) *Output {
	return &Output{r: r, clk: clk, failed: map[string]int{}}
}

// Task is one action in progress. It implements progress.Meter, so it can
// be handed to lower layers. Its methods are safe for concurrent use; calls
// after End are ignored.
type Task struct {
	Action Action
	ID     uint64
	// Started is when the task began (zero without a clock).
	Started time.Time

	o       *Output
	turn    *Turn // nil outside a Sequence
	counter *progress.Counter
	notes   []Note
	errs    []string
	last    progress.Snapshot
	ended   bool
}

// Begin starts a task for a. Call it only once there is work to do: the
// git-annex human face prints "get file " at once, as git-annex does.
func (o *Output) Begin(a Action) *Task { return o.BeginIn(context.Background(), a) }

// BeginIn is Begin for a task whose output takes its place in the turn
// ctx carries (see WithTurn), if any.
func (o *Output) BeginIn(ctx context.Context, a Action) *Task {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.nextID++
	t := &Task{Action: a, ID: o.nextID, o: o, turn: turnOf(ctx), last: progress.Snapshot{Total: -1}}
	if o.clk != nil {
		t.Started = o.clk.Now()
	}
	t.counter = progress.NewCounter(progress.DefaultInterval, o.clk, t.progress)
	o.emit(t.turn, func() { o.r.Start(t) })
	return t
}

func (t *Task) progress(s progress.Snapshot) {
	t.o.mu.Lock()
	defer t.o.mu.Unlock()
	if t.ended {
		return
	}
	t.last = s
	t.o.emit(t.turn, func() { t.o.r.Progress(t, s) })
}

// SetTotal implements progress.Meter.
func (t *Task) SetTotal(n int64) { t.counter.SetTotal(n) }

// Add implements progress.Meter.
func (t *Task) Add(n int64) { t.counter.Add(n) }

// Snapshot returns the progress last rendered.
func (t *Task) Snapshot() progress.Snapshot { return t.last }

// Notes returns the notes added so far.
func (t *Task) Notes() []Note { return slices.Clone(t.notes) }

// Note adds a short note ("from origin...").
func (t *Task) Note(text string) { t.AddNote(Note{Text: text}) }

// AddNote adds any kind of note.
func (t *Task) AddNote(n Note) {
	t.live(func() {
		t.notes = append(t.notes, n)
		t.o.emit(t.turn, func() { t.o.r.Note(t, n) })
	})
}

// Warn reports a warning about this task.
func (t *Task) Warn(msg string) {
	t.live(func() { t.o.emit(t.turn, func() { t.o.r.Warn(t, msg) }) })
}

// WarnAside reports a warning given by another repository's side of the
// task (see Renderer.WarnAside).
func (t *Task) WarnAside(msg string) {
	t.live(func() { t.o.emit(t.turn, func() { t.o.r.WarnAside(t, msg) }) })
}

// live runs f under the output's lock unless the task has ended: what
// comes after End is dropped.
func (t *Task) live(f func()) {
	t.o.mu.Lock()
	defer t.o.mu.Unlock()
	if !t.ended {
		f()
	}
}

// collect adds a message to the task's error-messages (renderers call it).
func (t *Task) collect(msg string) { t.errs = append(t.errs, msg) }

// End finishes the task with the given outcome and command-specific JSON
// fields (nil for none), and returns the Result it rendered.
func (t *Task) End(success bool, fields Object) Result {
	t.o.mu.Lock()
	defer t.o.mu.Unlock()
	r := Result{Action: t.Action, Success: success, Notes: slices.Clone(t.notes), Errors: slices.Clone(t.errs), Fields: fields}
	if t.ended {
		return r
	}
	t.ended = true
	t.o.emit(t.turn, func() {
		if !success {
			// "drop dr: 1 failed" is reported as "drop: 1 failed".
			verb, _, _ := strings.Cut(t.Action.Command, " ")
			t.o.countFailure(verb)
		}
		// A held-back task's warnings are collected as they are
		// rendered, just before this.
		r.Errors = slices.Clone(t.errs)
		t.o.r.End(t, r)
	})
	return r
}

// Record prints a non-action record.
func (o *Output) Record(r Record) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.r.Record(r)
}

// Warn reports a warning that belongs to no task.
func (o *Output) Warn(msg string) { o.WarnIn(context.Background(), msg) }

// WarnIn is Warn in the turn ctx carries, if any.
func (o *Output) WarnIn(ctx context.Context, msg string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.emit(turnOf(ctx), func() { o.r.Warn(nil, msg) })
}

// SideAction reports housekeeping, e.g. SideAction("recording state in git").
func (o *Output) SideAction(msg string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.r.SideAction(msg)
}

// Info prints a standalone informational message.
func (o *Output) Info(msg string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.r.Info(msg)
}

// Fail counts a failure of command that has no task of its own, such as a
// command-line path that names no file (git has already said so): the
// failure summary and the exit status include it.
func (o *Output) Fail(command string) { o.FailIn(context.Background(), command) }

// FailIn is Fail in the turn ctx carries, if any.
func (o *Output) FailIn(ctx context.Context, command string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.emit(turnOf(ctx), func() { o.countFailure(command) })
}

// countFailure counts a failure of command. o.mu is held.
func (o *Output) countFailure(command string) {
	if o.failed[command] == 0 {
		o.order = append(o.order, command)
	}
	o.failed[command]++
}

// Failed returns how many tasks ended unsuccessfully.
func (o *Output) Failed() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, c := range o.failed {
		n += c
	}
	return n
}

// Close lets the renderer write its summary and returns the first write
// error it met.
func (o *Output) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	fs := make([]Failure, len(o.order))
	for i, c := range o.order {
		fs[i] = Failure{Command: c, Count: o.failed[c]}
	}
	return o.r.Close(fs)
}

var _ progress.Meter = (*Task)(nil)
