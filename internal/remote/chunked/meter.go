package chunked

import "github.com/troveproject/trove/internal/progress"

// chunkMeter passes the bytes of one chunk's transfer on to the meter of
// the whole content, so that progress across chunks adds up to the
// whole. The base remote's SetTotal (the chunk's size) is dropped: the
// total is the content's.
type chunkMeter struct{ m progress.Meter }

func (c chunkMeter) SetTotal(int64) {}
func (c chunkMeter) Add(n int64)    { c.m.Add(n) }

var _ progress.Meter = chunkMeter{}
