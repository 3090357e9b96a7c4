package objectstore

import (
	"io"
	"sync"

	"golang.org/x/sys/unix"
)

// overlapMin is the content size from which ReadFrom hashes in a second
// goroutine: below it the hand-offs cost more than the overlap saves.
const overlapMin = 8 << 20

// readBufSize is the size of ReadFrom's buffers, and overlapBufs how many
// the overlapped copy cycles through (one being read and written, the
// others queued for or being hashed).
const (
	readBufSize = 1 << 20
	overlapBufs = 4
)

// writebackStep is how much the overlapped copy writes before it asks the
// kernel to start writing it back.
const writebackStep = 8 << 20

// readBuffers are ReadFrom's buffers, reused across Partials so that many
// small downloads allocate nothing per file.
var readBuffers = sync.Pool{New: func() any { b := make([]byte, readBufSize); return &b }}

// ReadFrom appends everything r yields to the file and hashes it, as Write
// does, until r reports io.EOF; it returns the number of bytes appended.
// For large content (a key of 8 MiB or more that is verified by hashing)
// the hash runs in a second goroutine on the buffers already written, so
// that reading, writing and hashing overlap on two CPUs; the bytes hashed
// are exactly the bytes written, in order. A write error is sticky, as for
// Write; a read error is returned and leaves the Partial usable (its
// Offset counts what was written).
func (p *Partial) ReadFrom(r io.Reader) (int64, error) {
	if p.err != nil {
		return 0, p.err
	}
	if !p.k.HasSize || p.k.Size-p.n < overlapMin || p.v.v == nil {
		bp := readBuffers.Get().(*[]byte)
		defer readBuffers.Put(bp)
		return io.CopyBuffer(partialWriter{p}, r, *bp)
	}
	return p.readFromOverlapped(r)
}

// partialWriter hides ReadFrom, so that io.CopyBuffer calls Write.
type partialWriter struct{ p *Partial }

func (w partialWriter) Write(b []byte) (int, error) { return w.p.Write(b) }

// readFromOverlapped is ReadFrom with the hash in a second goroutine: a
// buffer goes to the hasher once written and comes back to be read into
// once hashed.
func (p *Partial) readFromOverlapped(r io.Reader) (int64, error) {
	var bufs [overlapBufs]*[]byte
	free := make(chan []byte, overlapBufs)
	for i := range bufs {
		bufs[i] = readBuffers.Get().(*[]byte)
		free <- *bufs[i]
	}
	defer func() {
		for _, bp := range bufs {
			readBuffers.Put(bp)
		}
	}()
	hash := make(chan []byte, overlapBufs)
	hashed := make(chan struct{})
	go func() {
		defer close(hashed)
		for b := range hash {
			_, _ = p.v.Write(b) // a keyVerifier never fails
			free <- b[:cap(b)]
		}
	}()
	var total, flushed int64
	var err error
	for {
		b := <-free
		n, rerr := r.Read(b)
		if n > 0 {
			wn, werr := p.f.Write(b[:n])
			p.n += int64(wn)
			total += int64(wn)
			hash <- b[:wn]
			if p.n-flushed >= writebackStep {
				// Start writing this stretch to disk now, so that the
				// sync before the location log is written has little
				// left to wait for.
				_ = unix.SyncFileRange(int(p.f.Fd()), flushed, p.n-flushed, unix.SYNC_FILE_RANGE_WRITE)
				flushed = p.n
			}
			if werr != nil {
				p.err = writeError(p.path, werr)
				err = p.err
				break
			}
		} else {
			free <- b
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
	}
	close(hash)
	<-hashed
	return total, err
}
