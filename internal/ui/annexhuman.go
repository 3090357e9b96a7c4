package ui

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/units"

	"github.com/troveproject/trove/internal/progress"
)

// AnnexHuman renders git-annex's human output: "get foo (from origin...) ok"
// on stdout, warnings indented on stderr, a redrawn progress meter, and
// "get: 1 failed" on stderr at the end. With Quiet set nothing but
// warnings and the failure summary is written.
//
// While one task owns the terminal line, other concurrent tasks' output is
// buffered and written whole when they end (as git-annex -J does without
// a terminal).
type AnnexHuman struct {
	stdout, stderr io.Writer
	quiet          bool
	clk            clock.Clock

	fg       *Task // task whose output goes straight to stdout
	buffered map[*Task]*bytes.Buffer
	open     bool // stdout line started but not ended
	meterLen int  // width of the meter currently drawn, 0 if none
	err      error
}

// NewAnnexHuman returns the git-annex human renderer; quiet is --quiet.
// clk (nil allowed) is used for the meter's rate; without it the meter
// shows no rate.
func NewAnnexHuman(stdout, stderr io.Writer, quiet bool, clk clock.Clock) *AnnexHuman {
	return &AnnexHuman{stdout: stdout, stderr: stderr, quiet: quiet, clk: clk, buffered: map[*Task]*bytes.Buffer{}}
}

func (h *AnnexHuman) write(w io.Writer, s string) {
	if h.err == nil {
		_, h.err = io.WriteString(w, s)
	}
}

// out writes task output to stdout or to the task's buffer.
func (h *AnnexHuman) out(t *Task, s string) {
	if h.quiet {
		return
	}
	if t != nil && t != h.fg {
		h.buffered[t].WriteString(s)
		return
	}
	h.write(h.stdout, s)
	if s != "" {
		h.open = !strings.HasSuffix(s, "\n")
	}
}

func (h *AnnexHuman) clearMeter() {
	if h.meterLen > 0 {
		h.write(h.stdout, "\r"+strings.Repeat(" ", h.meterLen)+"\r")
		h.meterLen = 0
	}
}

func actionSubject(a Action) string {
	if a.Subject != "" {
		return a.Subject
	}
	if a.File != "" {
		return a.File
	}
	return a.Key
}

// Start implements Renderer.
func (h *AnnexHuman) Start(t *Task) {
	if h.fg == nil {
		h.fg = t
	} else {
		h.buffered[t] = &bytes.Buffer{}
	}
	h.out(t, t.Action.Command+" "+actionSubject(t.Action)+" ")
}

// Note implements Renderer.
func (h *AnnexHuman) Note(t *Task, n Note) {
	if t == h.fg {
		h.clearMeter()
	}
	if n.Long {
		// git-annex indents the note's lines, so one final newline ends
		// the last line rather than starting an empty one.
		h.out(t, "\n"+indent(strings.TrimSuffix(n.Text, "\n"))+"\n")
		return
	}
	h.out(t, "("+n.Text+") ")
}

// Progress implements Renderer: the meter is drawn on its own line and
// redrawn in place with carriage returns.
func (h *AnnexHuman) Progress(t *Task, s progress.Snapshot) {
	if h.quiet || t != h.fg {
		return
	}
	if h.meterLen == 0 && h.open {
		h.write(h.stdout, "\n")
		h.open = false
	}
	var elapsed time.Duration
	if h.clk != nil && !t.Started.IsZero() {
		elapsed = h.clk.Now().Sub(t.Started)
	}
	line := meterLine(s, elapsed)
	h.write(h.stdout, "\r"+line)
	h.meterLen = max(h.meterLen, len(line))
}

// meterLine formats git-annex's meter: "100%  2.93 KiB          1 MiB/s 0s".
func meterLine(s progress.Snapshot, elapsed time.Duration) string {
	pct := ""
	if s.Total > 0 {
		pct = units.ShowImprecise(0, float64(s.Done)*100/float64(s.Total)) + "%"
	}
	size := humanBytes(s.Done)
	rate, eta := "", ""
	if elapsed > 0 {
		bps := float64(s.Done) / elapsed.Seconds()
		rate = rateBytes(bps) + "/s"
		if s.Total >= 0 && bps > 0 {
			eta = formatETA(time.Duration(float64(s.Total-s.Done) / bps * float64(time.Second)))
		}
	}
	gap := max(1, 25-len(size)-len(rate))
	line := size + strings.Repeat(" ", gap) + rate + " " + eta
	if pct != "" {
		line = fmt.Sprintf("%4s  %s", pct, line)
	}
	return strings.TrimRight(line, " ")
}

// formatETA writes a duration as git-annex does: "0s", "1m30s", "2h5m0s".
func formatETA(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%dm%ds", h, m, s)
	case m > 0:
		return fmt.Sprintf("%dm%ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}

// Warn implements Renderer: an open stdout line is ended first, then the
// indented warning goes to stderr.
func (h *AnnexHuman) Warn(t *Task, msg string) {
	if t == nil || t == h.fg {
		h.clearMeter()
		if h.open && !h.quiet {
			h.write(h.stdout, "\n")
			h.open = false
		}
	}
	h.write(h.stderr, indent(msg)+"\n")
}

// WarnAside implements Renderer: the line break on stdout that a
// warning brings, without closing t's line, so that a warning of t's own
// that follows brings another, as in git-annex.
func (h *AnnexHuman) WarnAside(t *Task, msg string) {
	if t == h.fg {
		h.clearMeter()
		if h.open && !h.quiet {
			h.write(h.stdout, "\n")
		}
	}
	h.write(h.stderr, indent(msg)+"\n")
}

// End implements Renderer.
func (h *AnnexHuman) End(t *Task, r Result) {
	word := "ok"
	if !r.Success {
		word = "failed"
	}
	if t == h.fg {
		h.clearMeter()
		h.out(t, word+"\n")
		h.fg = nil
		h.flushBuffered(false)
		return
	}
	h.buffered[t].WriteString(word + "\n")
	if h.fg == nil {
		h.out(nil, h.buffered[t].String())
		delete(h.buffered, t)
	}
}

// flushBuffered writes the buffered output of ended tasks (of all tasks
// when all is set) in the order the tasks began.
func (h *AnnexHuman) flushBuffered(all bool) {
	tasks := slices.Collect(maps.Keys(h.buffered))
	slices.SortFunc(tasks, func(a, b *Task) int { return cmp.Compare(a.ID, b.ID) })
	for _, t := range tasks {
		if all || t.ended {
			h.out(nil, h.buffered[t].String())
			delete(h.buffered, t)
		}
	}
}

// Record implements Renderer.
func (h *AnnexHuman) Record(r Record) { h.out(nil, r.Human+"\n") }

// SideAction implements Renderer: "(recording state in git...)".
func (h *AnnexHuman) SideAction(msg string) { h.out(nil, "("+msg+"...)\n") }

// Info implements Renderer.
func (h *AnnexHuman) Info(msg string) { h.out(nil, msg+"\n") }

// Close implements Renderer.
func (h *AnnexHuman) Close(failed []Failure) error {
	h.flushBuffered(true)
	for _, f := range failed {
		h.write(h.stderr, fmt.Sprintf("%s: %d failed\n", f.Command, f.Count))
	}
	return h.err
}

var _ Renderer = (*AnnexHuman)(nil)
