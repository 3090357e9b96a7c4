package filter

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPacketWriterFraming(t *testing.T) {
	var b bytes.Buffer
	pw := NewPacketWriter(&b)
	must(t, pw.WriteText("git-filter-server", "version=2"))
	must(t, pw.WritePacket(bytes.Repeat([]byte{'x'}, MaxData)))
	must(t, pw.Sync())
	want := "0016git-filter-server\n000eversion=2\n0000fff0" + string(bytes.Repeat([]byte{'x'}, MaxData))
	if b.String() != want {
		t.Errorf("got %.60q, want %.60q", b.String(), want)
	}
	if err := pw.WritePacket(make([]byte, MaxData+1)); err == nil {
		t.Error("oversized packet accepted")
	}
	if err := pw.WritePacket(nil); err == nil {
		t.Error("empty packet accepted")
	}
}

func TestPacketReaderRejects(t *testing.T) {
	for _, in := range []string{"0001", "0003", "fff1" + string(make([]byte, MaxData+1)), "00g0", "000", "0009abc"} {
		_, _, err := NewPacketReader(bytes.NewBufferString(in)).ReadPacket()
		if !errors.Is(err, ErrProtocol) {
			t.Errorf("ReadPacket(%.10q) = %v, want ErrProtocol", in, err)
		}
	}
	if _, _, err := NewPacketReader(bytes.NewReader(nil)).ReadPacket(); err != io.EOF {
		t.Errorf("ReadPacket(empty) = %v, want io.EOF", err)
	}
}

func TestContentWriterPacksFullPackets(t *testing.T) {
	var b bytes.Buffer
	pw := NewPacketWriter(&b)
	cw := newContentWriter(pw)
	data := bytes.Repeat([]byte("0123456789"), 20000) // 200000 bytes in small writes
	for i := 0; i < len(data); i += 7 {
		if _, err := cw.Write(data[i:min(i+7, len(data))]); err != nil {
			t.Fatal(err)
		}
	}
	must(t, cw.flushBuf())
	must(t, pw.WriteFlush())
	must(t, pw.Sync())
	pr := NewPacketReader(&b)
	var sizes []int
	var got []byte
	for {
		p, flush, err := pr.ReadPacket()
		if err != nil {
			t.Fatal(err)
		}
		if flush {
			break
		}
		sizes = append(sizes, len(p))
		got = append(got, p...)
	}
	if diff := cmp.Diff([]int{MaxData, MaxData, MaxData, 200000 - 3*MaxData}, sizes); diff != "" {
		t.Errorf("packet sizes (-want +got):\n%s", diff)
	}
	if !bytes.Equal(got, data) {
		t.Error("content changed in transit")
	}
}

// FuzzPacketReader feeds arbitrary bytes to the reader: it must never
// panic, and every packet it accepts must re-encode to the bytes it read.
func FuzzPacketReader(f *testing.F) {
	f.Add([]byte("0016git-filter-client\n000eversion=2\n0000"))
	f.Add([]byte("00040000"))
	f.Add([]byte("0001"))
	f.Add([]byte("ffff"))
	f.Fuzz(func(t *testing.T, in []byte) {
		pr := NewPacketReader(bytes.NewReader(in))
		var re bytes.Buffer
		for {
			data, flush, err := pr.ReadPacket()
			if err != nil {
				if err != io.EOF && !errors.Is(err, ErrProtocol) {
					t.Fatalf("unexpected error kind: %v", err)
				}
				break
			}
			switch {
			case flush:
				re.WriteString("0000")
			case len(data) == 0:
				re.WriteString("0004")
			default:
				pw := NewPacketWriter(&re)
				if err := pw.WritePacket(data); err != nil {
					t.Fatal(err)
				}
				must(t, pw.Sync())
			}
		}
		if !bytes.EqualFold(re.Bytes(), in[:re.Len()]) {
			t.Fatalf("re-encoded %q, input began %q", re.Bytes(), in[:re.Len()])
		}
	})
}

// FuzzServer feeds arbitrary request streams after a valid handshake: the
// server must never panic or hang, only answer or fail with ErrProtocol.
func FuzzServer(f *testing.F) {
	f.Add([]byte("0012command=clean\n0010pathname=x\n00000007abc0000"))
	f.Add([]byte("0013command=smudge\n0000"))
	f.Fuzz(func(t *testing.T, req []byte) {
		in := append([]byte("0016git-filter-client\n000eversion=2\n00000015capability=clean\n0000"), req...)
		err := (&Server{Handler: scriptedHandler{}}).Serve(t.Context(), bytes.NewReader(in), io.Discard)
		if err != nil && !errors.Is(err, ErrProtocol) {
			t.Fatalf("Serve: %v", err)
		}
	})
}
