package ui

import (
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/troveproject/trove/internal/clock"

	"github.com/troveproject/trove/internal/progress"
)

// IsTerminal reports whether w is a terminal (an *os.File or anything with
// an Fd method that refers to one).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// TroveOptions configures the trove face's renderer.
type TroveOptions struct {
	// Live draws the overall progress line on stderr (set it from
	// IsTerminal(stderr)). Without it, only result lines are written.
	Live bool
	// Quiet writes only failures and warnings, to stderr.
	Quiet bool
	// Clock is the clock for rates, ETAs and throttling; nil disables the
	// live line's rate and ETA.
	Clock clock.Clock
}

// Trove renders the trove face: one line per result ("ok     get a.jpg
// (from nas)"), warnings and failures explained on stderr, and on a
// terminal a live line with overall bytes, rate, ETA and files in flight.
type Trove struct {
	stdout, stderr io.Writer
	opt            TroveOptions

	inflight map[*Task]bool
	finished int64 // bytes of ended tasks
	finTotal int64 // known totals of ended tasks
	began    time.Time
	drawn    bool
	lastDraw time.Time
	err      error
}

// NewTrove returns the trove renderer.
func NewTrove(stdout, stderr io.Writer, opt TroveOptions) *Trove {
	return &Trove{stdout: stdout, stderr: stderr, opt: opt, inflight: map[*Task]bool{}}
}

func (r *Trove) write(w io.Writer, s string) {
	if r.err == nil {
		_, r.err = io.WriteString(w, s)
	}
}

// clearLive erases the live line before other output.
func (r *Trove) clearLive() {
	if r.drawn {
		r.write(r.stderr, "\r\x1b[K")
		r.drawn = false
	}
}

func (r *Trove) drawLive(force bool) {
	if !r.opt.Live || r.opt.Quiet || len(r.inflight) == 0 {
		return
	}
	var now time.Time
	if r.opt.Clock != nil {
		now = r.opt.Clock.Now()
		if !force && r.drawn && now.Sub(r.lastDraw) < progress.DefaultInterval {
			return
		}
		r.lastDraw = now
	}
	r.write(r.stderr, "\r\x1b[K"+r.liveLine(now))
	r.drawn = true
}

// liveLine formats "2 in flight  1.5 MiB / 10 MiB  512 KiB/s  ETA 17s".
func (r *Trove) liveLine(now time.Time) string {
	done, total, known := r.finished, r.finTotal, true
	for t := range r.inflight {
		s := t.counter.Snapshot()
		done += s.Done
		if s.Total < 0 {
			known = false
		} else {
			total += s.Total
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d in flight  %s", len(r.inflight), humanBytes(done))
	if known {
		fmt.Fprintf(&b, " / %s", humanBytes(total))
	}
	if !now.IsZero() && !r.began.IsZero() {
		if el := now.Sub(r.began).Seconds(); el > 0 {
			bps := float64(done) / el
			fmt.Fprintf(&b, "  %s/s", rateBytes(bps))
			if known && bps > 0 {
				fmt.Fprintf(&b, "  ETA %s", formatETA(time.Duration(float64(total-done)/bps*float64(time.Second))))
			}
		}
	}
	return b.String()
}

// Start implements Renderer.
func (r *Trove) Start(t *Task) {
	if r.began.IsZero() && r.opt.Clock != nil {
		r.began = r.opt.Clock.Now()
	}
	r.inflight[t] = true
}

// Note implements Renderer; notes are shown with the result.
func (r *Trove) Note(*Task, Note) {}

// Progress implements Renderer.
func (r *Trove) Progress(_ *Task, s progress.Snapshot) {
	r.drawLive(s.Complete())
}

// Warn implements Renderer: "warning: a.jpg: msg" on stderr.
func (r *Trove) Warn(t *Task, msg string) {
	r.clearLive()
	if t != nil {
		msg = actionSubject(t.Action) + ": " + msg
	}
	r.write(r.stderr, "warning: "+msg+"\n")
	r.drawLive(true)
}

// WarnAside implements Renderer: Trove's output does not tell the sides
// apart.
func (r *Trove) WarnAside(t *Task, msg string) { r.Warn(t, msg) }

// End implements Renderer.
func (r *Trove) End(t *Task, res Result) {
	s := t.counter.Snapshot()
	delete(r.inflight, t)
	r.finished += s.Done
	if s.Total > 0 {
		r.finTotal += s.Total
	}
	r.clearLive()
	line := troveResultLine(res)
	switch {
	case !res.Success:
		r.write(r.stderr, line)
	case !r.opt.Quiet:
		r.write(r.stdout, line)
	}
	r.drawLive(true)
}

// troveResultLine formats one result: status word, command, subject, then
// short notes in parentheses and long notes indented below.
func troveResultLine(res Result) string {
	word := "ok"
	if !res.Success {
		word = "failed"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-6s %s %s", word, res.Command, actionSubject(res.Action))
	var short, long []string
	for _, n := range res.Notes {
		switch {
		case n.Long || strings.Contains(n.Text, "\n"):
			long = append(long, n.Text)
		default:
			short = append(short, strings.TrimSuffix(n.Text, "..."))
		}
	}
	if len(short) > 0 {
		b.WriteString(" (" + strings.Join(short, "; ") + ")")
	}
	b.WriteByte('\n')
	for _, l := range long {
		b.WriteString(indent(strings.TrimRight(l, "\n")) + "\n")
	}
	for _, e := range res.Errors {
		b.WriteString(indent(strings.TrimSpace(e)) + "\n")
	}
	return b.String()
}

// Record implements Renderer.
func (r *Trove) Record(rec Record) {
	if r.opt.Quiet {
		return
	}
	r.clearLive()
	r.write(r.stdout, rec.Human+"\n")
	r.drawLive(true)
}

// SideAction implements Renderer; the trove face does not show housekeeping.
func (r *Trove) SideAction(string) {}

// Info implements Renderer.
func (r *Trove) Info(msg string) {
	if r.opt.Quiet {
		return
	}
	r.clearLive()
	r.write(r.stdout, msg+"\n")
	r.drawLive(true)
}

// Close implements Renderer: clears the live line and sums up failures.
func (r *Trove) Close(failed []Failure) error {
	r.clearLive()
	if len(failed) > 0 {
		total := 0
		parts := make([]string, len(failed))
		for i, f := range failed {
			total += f.Count
			parts[i] = fmt.Sprintf("%s %d", f.Command, f.Count)
		}
		r.write(r.stderr, fmt.Sprintf("%d failed (%s)\n", total, strings.Join(parts, ", ")))
	}
	return r.err
}

var _ Renderer = (*Trove)(nil)
