package ui

// Identify sets the task's file and key once they are known (addurl
// learns them after the download starts): later progress records and the
// result carry them. Empty values leave the field as it was. Safe for
// concurrent use; ignored after End.
func (t *Task) Identify(file, key string) {
	t.o.mu.Lock()
	defer t.o.mu.Unlock()
	if t.ended {
		return
	}
	if file != "" {
		t.Action.File = file
	}
	if key != "" {
		t.Action.Key = key
	}
}
