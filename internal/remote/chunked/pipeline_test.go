package chunked

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/encrypted"
	"github.com/troveproject/trove/internal/remote/remotetest"
)

// TestInOrder: results are consumed in order although later work ends
// first, no more than `ahead` chunks are in hand at once, and every
// result produced is released, also after a failure.
func TestInOrder(t *testing.T) {
	for _, failAt := range []int{-1, 3} {
		t.Run(fmt.Sprint("fail at ", failAt), func(t *testing.T) {
			const n, ahead = 8, 3
			var (
				inHand, maxInHand, released, produced atomic.Int64
				firstDone                             = make(chan struct{})
				once                                  sync.Once
				consumed                              []int
			)
			err := inOrder(context.Background(), n, ahead,
				func(ctx context.Context, i int) (int, func(), error) {
					h := inHand.Add(1)
					for m := maxInHand.Load(); h > m && !maxInHand.CompareAndSwap(m, h); m = maxInHand.Load() {
					}
					if i == 0 {
						<-firstDone // chunk 1 finishes before chunk 0
					}
					if i == 1 {
						once.Do(func() { close(firstDone) })
					}
					if i == failAt {
						inHand.Add(-1) // nothing to release
						return 0, nil, errInjected
					}
					produced.Add(1)
					return i * 10, func() { released.Add(1); inHand.Add(-1) }, nil
				},
				func(i, v int) error {
					if v != i*10 {
						t.Errorf("result %d is %d", i, v)
					}
					consumed = append(consumed, i)
					return nil
				})
			want := []int{0, 1, 2, 3, 4, 5, 6, 7}
			if failAt >= 0 {
				want = want[:failAt]
				if !errors.Is(err, errInjected) {
					t.Errorf("error %v, want the injected failure", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, consumed); diff != "" {
				t.Errorf("consumed (-want +got):\n%s", diff)
			}
			if m := maxInHand.Load(); m > ahead {
				t.Errorf("%d chunks in hand at once, want at most %d", m, ahead)
			}
			if released.Load() != produced.Load() {
				t.Errorf("%d results released of %d produced", released.Load(), produced.Load())
			}
		})
	}
}

// TestConformanceOverEncrypted runs the conformance suite on chunks over
// an encrypted directory remote: the pipelined store (PrepareStore) and
// retrieve (spools) with several chunks per object.
func TestConformanceOverEncrypted(t *testing.T) {
	h := remotetest.NewHost(t)
	cfg, err := encrypted.Setup(context.Background(), remote.Init,
		remote.Config{"name": "dchunk", "type": "directory", "encryption": "shared", "chunk": "16KiB"}, h)
	if err != nil {
		t.Fatal(err)
	}
	remotetest.Run(t, func(t *testing.T) remote.Remote {
		p := remote.Params{Name: "dchunk", UUID: testUUID, Config: cfg, Host: remotetest.NewHost(t)}
		enc, err := encrypted.Wrap(dirRemote(t.TempDir()), p)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := enc.(Preparer); !ok {
			t.Fatal("the encrypted remote is not a Preparer")
		}
		r, err := Wrap(enc, p)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}, remotetest.Options{Size: 100 << 10})
}
