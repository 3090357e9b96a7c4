package extproto

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxLine is the longest line a Reader accepts, without its terminator.
const MaxLine = 32 * 1024

// ErrLineTooLong is returned by Reader.ReadLine for a line over MaxLine.
var ErrLineTooLong = errors.New("external special remote protocol: line too long")

// SplitJob removes an ASYNC frame "J n " from line. ok is false when the
// line is not framed (it does not start with the word J, or n does not
// read as a number); ERROR, VERSION and EXTENSIONS are never framed.
func SplitJob(line string) (job int, rest string, ok bool) {
	w, r := splitWord(line)
	if w != "J" {
		return 0, line, false
	}
	n, r := splitWord(r)
	v, ok := ReadInt(n)
	if !ok || v > 1<<31-1 || v < -1<<31 {
		return 0, line, false
	}
	return int(v), r, true
}

// Reader reads protocol lines. It is not safe for concurrent use.
type Reader struct {
	br *bufio.Reader
}

// NewReader returns a Reader reading from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64*1024)}
}

// ReadLine returns the next line without its "\n" and without one
// trailing "\r". At the end of input it returns io.EOF, also for a last
// line without terminator (a helper that died mid-line sent nothing
// complete). A line longer than MaxLine gives ErrLineTooLong; the Reader
// is not usable afterwards.
func (r *Reader) ReadLine() (string, error) {
	var b []byte
	for {
		chunk, err := r.br.ReadSlice('\n')
		b = append(b, chunk...)
		if len(b) > MaxLine+2 {
			return "", fmt.Errorf("%w (more than %d bytes)", ErrLineTooLong, MaxLine)
		}
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			return "", io.EOF
		}
		return "", err
	}
	line := strings.TrimSuffix(string(b[:len(b)-1]), "\r")
	if len(line) > MaxLine {
		return "", fmt.Errorf("%w (more than %d bytes)", ErrLineTooLong, MaxLine)
	}
	return line, nil
}

// Write writes m and a "\n" to w in one Write call. A parameter or
// command holding a newline would break the framing and is refused with an
// error wrapping ErrSyntax, before anything is written.
func Write(w io.Writer, m Message) error {
	if strings.ContainsAny(m.Command, "\n\r") {
		return fmt.Errorf("%w: newline in command %q", ErrSyntax, m.Command)
	}
	for _, p := range m.Params {
		if strings.ContainsAny(p, "\n") {
			return fmt.Errorf("%w: newline in a parameter of %s", ErrSyntax, m.Command)
		}
	}
	_, err := io.WriteString(w, m.String()+"\n")
	return err
}
