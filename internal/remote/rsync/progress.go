package rsync

import (
	"bytes"
	"strconv"
)

// progressParser reads rsync --progress output and reports the bytes done
// of the file being sent: each progress line starts with the running byte
// count ("      1,048,576 100%  ..."), lines end in '\r' or '\n'.
type progressParser struct {
	line   []byte
	report func(done int64)
}

// Write implements io.Writer; it never fails.
func (p *progressParser) Write(b []byte) (int, error) {
	for _, c := range b {
		if c == '\r' || c == '\n' {
			if n, ok := parseProgressLine(p.line); ok {
				p.report(n)
			}
			p.line = p.line[:0]
			continue
		}
		if len(p.line) < 256 {
			p.line = append(p.line, c)
		}
	}
	return len(b), nil
}

// parseProgressLine returns the byte count a progress line starts with,
// when the line has the shape "<count> <percent>% ...".
func parseProgressLine(line []byte) (int64, bool) {
	f := bytes.Fields(line)
	if len(f) < 2 || !bytes.HasSuffix(f[1], []byte("%")) {
		return 0, false
	}
	digits := bytes.ReplaceAll(f[0], []byte(","), nil)
	n, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
