package ui

import "context"

// Sequence lets a command work on several items at once while its output
// stays exactly what working on them one after another would print: each
// item takes a Turn, in input order, before its work starts; what the item
// renders while an earlier turn is still open is held back and rendered
// when every earlier turn is done. Only one item's output is ever live.
//
// The window bounds how far work may run ahead of the output: Next blocks
// while that many turns are taken and not yet rendered, so held-back
// output never grows beyond the window's items.
type Sequence struct {
	o     *Output
	slots chan struct{}
}

// Turn is one item's place in a Sequence. Every Turn must be ended with
// Done once the item's work (and output) is over, or later items' output
// is never rendered.
type Turn struct {
	seq     *Sequence
	next    *Turn
	pending []func()
	done    bool
}

// Sequence returns a new sequence of turns whose work may run at most
// window items ahead of the output (window < 1 means 1). Only one sequence
// should be active on an Output at a time.
func (o *Output) Sequence(window int) *Sequence {
	return &Sequence{o: o, slots: make(chan struct{}, max(1, window))}
}

// Next takes the next turn, waiting while the window is full. It fails,
// with ctx's error, only when ctx ends first. Call it from one goroutine, in input order.
func (s *Sequence) Next(ctx context.Context) (*Turn, error) {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	t := &Turn{seq: s}
	o := s.o
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.tail == nil {
		o.head, o.tail = t, t
	} else {
		o.tail.next = t
		o.tail = t
	}
	return t, nil
}

// Done ends the turn: its held-back output, and that of the later turns
// already done, is rendered as soon as the earlier turns are done. Calling
// Done again does nothing.
func (t *Turn) Done() {
	o := t.seq.o
	o.mu.Lock()
	defer o.mu.Unlock()
	if t.done {
		return
	}
	t.done = true
	for o.head != nil && o.head.done {
		h := o.head
		o.head = h.next
		if o.head == nil {
			o.tail = nil
		}
		<-h.seq.slots
		if o.head != nil {
			o.head.replay()
		}
	}
}

// replay renders what was held back for t, now the head. o.mu is held.
func (t *Turn) replay() {
	for _, fn := range t.pending {
		fn()
	}
	t.pending = nil
}

// emit renders through fn now when t is nil or the head turn, and holds fn
// back for later otherwise. o.mu is held.
func (o *Output) emit(t *Turn, fn func()) {
	if t == nil || t == o.head {
		fn()
		return
	}
	t.pending = append(t.pending, fn)
}

type turnKey struct{}

// WithTurn returns a context whose output (BeginIn, WarnIn, FailIn) takes
// its place in t's turn.
func WithTurn(ctx context.Context, t *Turn) context.Context {
	return context.WithValue(ctx, turnKey{}, t)
}

// turnOf returns the turn ctx carries, or nil.
func turnOf(ctx context.Context) *Turn {
	t, _ := ctx.Value(turnKey{}).(*Turn)
	return t
}
