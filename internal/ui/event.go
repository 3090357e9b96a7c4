package ui

import (
	"github.com/troveproject/trove/internal/progress"
)

// Action identifies one unit of work of a command: one file or key.
type Action struct {
	// Command is the verb as git-annex reports it ("get", "drop dr").
	Command string
	// File is the work-tree path; empty for key-only input (JSON null).
	File string
	// Input is the seek input that led to this action (JSON "input").
	Input []string
	// Key is the annex key, empty when not known (JSON field omitted).
	Key string
	// Subject, when set, is what human output names the action by instead
	// of File or Key (addurl names the URL). It is not part of JSON.
	Subject string
}

// Note is text attached to an action: "(from origin...)" style short notes
// or indented long notes in human output, joined with "\n" into JSON
// "note".
type Note struct {
	Text string
	// Long notes go on their own indented lines in human output.
	Long bool
	// HumanOnly notes are left out of JSON.
	HumanOnly bool
}

// Result is how an action ended.
type Result struct {
	Action
	Success bool
	Notes   []Note
	// Errors are the warnings collected for JSON "error-messages".
	Errors []string
	// Fields are command-specific JSON fields ("wanted", "whereis", ...).
	// They cannot replace the standard fields.
	Fields Object
}

// Record is an output line that is not an action result, such as one
// found file of `find` or one line of `status`.
type Record struct {
	// Fields are the JSON fields; "error-messages" is added.
	Fields Object
	// Human is the line printed in human modes, without its newline.
	Human string
}

// Renderer turns events into output. The Output serialises all calls, so
// implementations need no locking of their own. Errors writing to the
// output are remembered and reported by Close.
type Renderer interface {
	// Start announces that work on t.Action begins.
	Start(t *Task)
	// Note adds a note to a running task.
	Note(t *Task, n Note)
	// Progress reports a throttled byte count of a running task.
	Progress(t *Task, s progress.Snapshot)
	// Warn reports a warning; t is nil for warnings outside any task.
	Warn(t *Task, msg string)
	// WarnAside reports a warning that another repository's side of t
	// gave (a local peer receiving content), as git-annex prints one from
	// the remote's own output state: never among t's JSON error-messages,
	// and leaving t's line as it was.
	WarnAside(t *Task, msg string)
	// End finishes t with r.
	End(t *Task, r Result)
	// Record prints a non-action record.
	Record(r Record)
	// SideAction reports housekeeping such as "recording state in git".
	SideAction(msg string)
	// Info prints a standalone message (an external remote's INFO).
	Info(msg string)
	// Close writes any summary of the failed results and returns the
	// first write error seen.
	Close(failed []Failure) error
}

// Failure counts the failed results of one command.
type Failure struct {
	Command string
	Count   int
}
