package encrypted

import (
	"io"
	"sync"

	"github.com/troveproject/trove/internal/progress"
)

// scaledMeter passes a base remote's progress over ciphertext on as
// progress over the plaintext: totals become the plaintext size and
// bytes are scaled by plain/cipher, so the count ends exactly at the
// plaintext size. Safe for concurrent use.
type scaledMeter struct {
	m             progress.Meter
	plain, cipher int64

	mu             sync.Mutex
	done, reported int64
}

func (s *scaledMeter) SetTotal(int64) { s.m.SetTotal(s.plain) }

func (s *scaledMeter) Add(n int64) {
	s.mu.Lock()
	s.done += n
	scaled := s.plain
	if s.done < s.cipher {
		scaled = int64(float64(s.done) / float64(s.cipher) * float64(s.plain))
	}
	d := scaled - s.reported
	s.reported = scaled
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
