package crypto

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1" //nolint:gosec // OpenPGP's MDC is SHA-1 (RFC 4880 5.13)
	"crypto/subtle"
	"io"
	"runtime"
	"sync"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// A message of at most wholeMax bytes of encrypted contents (a chunk of a
// chunked remote, usually) is decrypted whole in memory rather than
// streamed: the CFB decryption and the MDC run over one buffer in one
// call each, and the deflate stream inside is inflated by inflate rather
// than by the streaming decoder. Larger messages (unchunked content) are
// streamed, holding ioBufSize buffers only, and so are messages that
// find every one of the wholeSlots taken: at most that many messages are
// held whole at once (about 2*wholeMax bytes each, contents and inflated
// packets). wholeMax is a variable for tests.
var wholeMax = 32 << 20

// wholeSlots holds a token for each message held whole.
var wholeSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// wholeBufs holds the buffers of whole messages and their inflated
// contents, reused across messages (chunks).
var wholeBufs sync.Pool

func getWholeBuf(size int) []byte {
	if p, ok := wholeBufs.Get().(*[]byte); ok && cap(*p) >= size {
		return (*p)[:0]
	}
	return make([]byte, 0, size)
}

func putWholeBuf(b []byte) { wholeBufs.Put(&b) }

// wholeBody is the decrypted, verified contents of a SEIPD v1 packet read
// whole: the packets after the random prefix, before the MDC packet.
type wholeBody struct {
	b   []byte
	buf []byte // the pooled buffer b is in
	r   bytes.Reader
}

func (w *wholeBody) Read(p []byte) (int, error) { return w.r.Read(p) }

// Close implements io.Closer: the MDC was checked when the body was read.
func (w *wholeBody) Close() error { return nil }

// release gives the buffer and the slot back; the body is unusable
// afterwards.
func (w *wholeBody) release() {
	putWholeBuf(w.buf)
	w.b, w.buf = nil, nil
	<-wholeSlots
}

// openWholeMDC reads the contents of a SEIPD v1 packet (after the version
// octet) into memory, decrypts them in place and checks the random
// prefix and the MDC, returning a *wholeBody. Contents larger than
// wholeMax are streamed through an mdcReader instead.
func openWholeMDC(contents io.Reader, cfb cipher.Stream) (io.ReadCloser, error) {
	select {
	case wholeSlots <- struct{}{}:
	default:
		return newMDCReader(contents, cfb)
	}
	buf := getWholeBuf(1 << 20) // grown by append; pooled buffers keep their size
	for len(buf) <= wholeMax {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := contents.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			putWholeBuf(buf)
			<-wholeSlots
			return nil, err
		}
	}
	if len(buf) > wholeMax {
		<-wholeSlots // buf is the stream's now, not the pool's
		return newMDCReader(io.MultiReader(bytes.NewReader(buf), contents), cfb)
	}
	const prefix = aes.BlockSize + 2
	body := &wholeBody{buf: buf}
	if len(buf) < prefix+mdcTrailer {
		body.release()
		return nil, io.ErrUnexpectedEOF
	}
	cfb.XORKeyStream(buf, buf)
	if buf[prefix-4] != buf[prefix-2] || buf[prefix-3] != buf[prefix-1] {
		body.release()
		return nil, errWrongPassphrase
	}
	body.b = buf[prefix : len(buf)-mdcTrailer]
	body.r.Reset(body.b)
	t := buf[len(buf)-mdcTrailer:]
	sum := sha1.Sum(buf[:len(buf)-mdcTrailer+2]) //nolint:gosec // the MDC
	if t[0] != 0xd3 || t[1] != 0x14 || subtle.ConstantTimeCompare(sum[:], t[2:]) != 1 {
		body.release()
		return nil, errMDC
	}
	return body, nil
}

// compressedBody returns the algorithm and body of the compressed packet
// that p begins with, when its length is known without reading it
// (definite or indeterminate: gpg and Trove write old-format packets of
// indeterminate length); ok is false otherwise.
func compressedBody(p []byte) (algo byte, body []byte, ok bool) {
	if len(p) < 2 || p[0]&0x80 == 0 {
		return 0, nil, false
	}
	var hdr, n int
	switch ctb := p[0]; {
	case ctb&0x40 == 0 && (ctb>>2)&0xf == tagCompressed:
		switch ctb & 3 {
		case 0:
			hdr, n = 2, int(p[1])
		case 1:
			if len(p) < 3 {
				return 0, nil, false
			}
			hdr, n = 3, int(p[1])<<8|int(p[2])
		case 2:
			if len(p) < 5 {
				return 0, nil, false
			}
			hdr, n = 5, int(p[1])<<24|int(p[2])<<16|int(p[3])<<8|int(p[4])
		default:
			hdr, n = 1, len(p)-1
		}
	case ctb&0x40 != 0 && ctb&0x3f == tagCompressed && p[1] < 192:
		hdr, n = 2, int(p[1])
	default:
		return 0, nil, false
	}
	if n < 1 || hdr+n > len(p) || n > len(p) {
		return 0, nil, false
	}
	return p[hdr], p[hdr+1 : hdr+n], true
}

// writeWhole writes the literal data of the decrypted packets p (a
// message decrypted whole) into dst when they are a ZIP-compressed packet
// that inflate reads; handled is false, with nothing written, when they
// are something else for the streaming decoder to read.
func writeWhole(dst io.Writer, p []byte, buf []byte) (handled bool, err error) {
	algo, z, ok := compressedBody(p)
	if !ok || packet.CompressionAlgo(algo) != packet.CompressionZIP {
		return false, nil
	}
	out := getWholeBuf(len(z) + len(z)>>6 + 4096)
	defer func() { putWholeBuf(out) }()
	out, err = inflate(out, z, wholeMax+1<<20)
	if err != nil {
		return false, nil // the streaming decoder says why
	}
	in := getReader(bytes.NewReader(out))
	defer putReader(in)
	lit, err := openLiteral(in)
	if err != nil {
		return true, err
	}
	_, err = io.CopyBuffer(dst, lit, buf)
	return true, err
}
