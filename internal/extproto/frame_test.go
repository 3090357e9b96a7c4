package extproto

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestSplitJob(t *testing.T) {
	tests := []struct {
		line string
		job  int
		rest string
		ok   bool
	}{
		{"J 1 PREPARE-SUCCESS", 1, "PREPARE-SUCCESS", true},
		{"J 12 TRANSFER-SUCCESS RETRIEVE k", 12, "TRANSFER-SUCCESS RETRIEVE k", true},
		{"J 3", 3, "", true},
		{"ERROR oops", 0, "ERROR oops", false},
		{"J x PREPARE", 0, "J x PREPARE", false},
		{"JOB 1 PREPARE", 0, "JOB 1 PREPARE", false},
	}
	for _, tt := range tests {
		job, rest, ok := SplitJob(tt.line)
		if job != tt.job || rest != tt.rest || ok != tt.ok {
			t.Errorf("SplitJob(%q) = %d, %q, %v; want %d, %q, %v", tt.line, job, rest, ok, tt.job, tt.rest, tt.ok)
		}
	}
}

func TestReader(t *testing.T) {
	in := "VERSION 1\r\nEXTENSIONS \n\nlong " + strings.Repeat("x", 70000) + "\n"
	r := NewReader(strings.NewReader(in))
	for _, want := range []string{"VERSION 1", "EXTENSIONS ", ""} {
		got, err := r.ReadLine()
		if err != nil || got != want {
			t.Fatalf("ReadLine = %q, %v; want %q", got, err, want)
		}
	}
	if _, err := r.ReadLine(); !errors.Is(err, ErrLineTooLong) {
		t.Errorf("ReadLine of a 70000-byte line: %v, want ErrLineTooLong", err)
	}

	r = NewReader(strings.NewReader("PREPARE-SUCC"))
	if _, err := r.ReadLine(); !errors.Is(err, io.EOF) {
		t.Errorf("ReadLine of an unterminated line: %v, want io.EOF", err)
	}
}

func TestWrite(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, New(Value, "")); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, Message{Job: 1, Command: Prepare}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "VALUE \nJ 1 PREPARE\n" {
		t.Errorf("written %q", got)
	}
	b.Reset()
	if err := Write(&b, New(Export, "evil\nREMOVE x")); !errors.Is(err, ErrSyntax) {
		t.Errorf("Write with a newline in a parameter: %v, want ErrSyntax", err)
	}
	if b.Len() != 0 {
		t.Errorf("Write wrote %q despite the error", b.String())
	}
}
