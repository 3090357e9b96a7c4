// Package ui renders what commands do. Commands describe their work as
// Tasks (an Action, notes, warnings, byte progress, and a final Result);
// a Renderer turns those events into the git-annex face's human output,
// its --json / --json-progress / --json-error-messages lines, or the trove
// face's own result lines with a live progress display.
//
// Together with cli this is the only package that writes to standard
// output and standard error, and it only ever writes to the io.Writers it
// is handed.
package ui
