package encrypted

import (
	"io"
	"sync"

	"github.com/troveproject/trove/internal/progress"
)

// scaledMeter passes a base remote's progress over ciphertext on as
// progress over the plaintext: the total becomes the plaintext size and
// bytes are scaled by plain/cipher, so the count ends exactly at the
// plaintext size. A cipher size of 0 is taken from the base remote's
// SetTotal (until then bytes pass unscaled, capped at the plaintext
// size); a negative plain size (unknown) passes everything through. The
// base remote's silence is kept: nothing is reported that it does not
// report. Safe for concurrent use.
type scaledMeter struct {
	m     progress.Meter
	plain int64

	mu             sync.Mutex
	cipher         int64
	done, reported int64
}

func (s *scaledMeter) SetTotal(n int64) {
	if s.plain < 0 {
		s.m.SetTotal(n)
		return
	}
	s.mu.Lock()
	if s.cipher == 0 {
		s.cipher = n
	}
	s.mu.Unlock()
	s.m.SetTotal(s.plain)
}

func (s *scaledMeter) Add(n int64) {
	if s.plain < 0 {
		s.m.Add(n)
		return
	}
	s.mu.Lock()
	s.done += n
	scaled := min(s.done, s.plain)
	if s.cipher > 0 {
		scaled = s.plain
		if s.done < s.cipher {
			scaled = int64(float64(s.done) / float64(s.cipher) * float64(s.plain))
		}
	}
	d := max(scaled-s.reported, 0)
	s.reported += d
	s.mu.Unlock()
	if d != 0 {
		s.m.Add(d)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

var _ progress.Meter = (*scaledMeter)(nil)
