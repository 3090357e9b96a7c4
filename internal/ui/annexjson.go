package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/troveproject/trove/internal/progress"
)

// AnnexJSON renders git-annex's --json output: one object per line on
// stdout with keys sorted, human messages on stderr.
type AnnexJSON struct {
	stdout, stderr io.Writer
	// Progress enables --json-progress records.
	progress bool
	// errorMessages enables --json-error-messages: warnings go into the
	// result's "error-messages" instead of stderr.
	errorMessages bool
	err           error
}

// NewAnnexJSON returns the renderer for `--json`, optionally with
// `--json-progress` and `--json-error-messages`.
func NewAnnexJSON(stdout, stderr io.Writer, jsonProgress, jsonErrorMessages bool) *AnnexJSON {
	return &AnnexJSON{stdout: stdout, stderr: stderr, progress: jsonProgress, errorMessages: jsonErrorMessages}
}

// actionObject is the part of a result object that progress records
// repeat under "action".
func actionObject(a Action, notes []Note) Object {
	o := Object{"command": a.Command, "input": a.Input}
	if a.Input == nil {
		o["input"] = []string{}
	}
	if a.File == "" {
		o["file"] = nil
	} else {
		o["file"] = a.File
	}
	if a.Key != "" {
		o["key"] = a.Key
	}
	if n := jsonNote(notes); n != "" {
		o["note"] = n
	}
	return o
}

func jsonNote(notes []Note) string {
	var parts []string
	for _, n := range notes {
		if !n.HumanOnly {
			parts = append(parts, n.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// ResultObject returns the JSON object git-annex prints for r.
func ResultObject(r Result) Object {
	o := Object{}
	for k, v := range r.Fields {
		o[k] = v
	}
	for k, v := range actionObject(r.Action, r.Notes) {
		o[k] = v
	}
	o["success"] = r.Success
	o["error-messages"] = r.Errors
	if r.Errors == nil {
		o["error-messages"] = []string{}
	}
	return o
}

func (j *AnnexJSON) line(o Object) {
	if j.err != nil {
		return
	}
	b, err := appendJSON(nil, o)
	if err != nil {
		j.err = err
		return
	}
	_, j.err = j.stdout.Write(append(b, '\n'))
}

func (j *AnnexJSON) stderrLine(s string) {
	if j.err == nil {
		_, j.err = io.WriteString(j.stderr, s+"\n")
	}
}

// Start implements Renderer.
func (j *AnnexJSON) Start(*Task) {}

// Note implements Renderer.
func (j *AnnexJSON) Note(*Task, Note) {}

// Progress implements Renderer.
func (j *AnnexJSON) Progress(t *Task, s progress.Snapshot) {
	if !j.progress {
		return
	}
	o := Object{"action": actionObject(t.Action, t.notes), "byte-progress": s.Done}
	if s.Total >= 0 {
		o["total-size"] = s.Total
		o["percent-progress"] = percent(s.Done, s.Total)
	}
	j.line(o)
}

// Warn implements Renderer. Warnings are indented by two spaces, as
// git-annex does in both places.
func (j *AnnexJSON) Warn(t *Task, msg string) {
	msg = indent(msg)
	if j.errorMessages && t != nil {
		t.collect(msg)
		return
	}
	j.stderrLine(msg)
}

// WarnAside implements Renderer: on stderr, and with error-messages not
// at all, as git-annex does (the record has the sender's own message).
func (j *AnnexJSON) WarnAside(_ *Task, msg string) {
	if !j.errorMessages {
		j.stderrLine(indent(msg))
	}
}

// End implements Renderer.
func (j *AnnexJSON) End(_ *Task, r Result) { j.line(ResultObject(r)) }

// Record implements Renderer.
func (j *AnnexJSON) Record(r Record) {
	o := Object{"error-messages": []string{}}
	for k, v := range r.Fields {
		o[k] = v
	}
	j.line(o)
}

// SideAction implements Renderer; JSON output has none.
func (j *AnnexJSON) SideAction(string) {}

// Info implements Renderer: {"info":"..."}.
func (j *AnnexJSON) Info(msg string) { j.line(Object{"info": msg}) }

// Close implements Renderer: "get: 1 failed" on stderr per command.
func (j *AnnexJSON) Close(failed []Failure) error {
	for _, f := range failed {
		j.stderrLine(fmt.Sprintf("%s: %d failed", f.Command, f.Count))
	}
	return j.err
}

// indent prefixes each line of s with two spaces, as git-annex's indent.
func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n")
}

var _ Renderer = (*AnnexJSON)(nil)
