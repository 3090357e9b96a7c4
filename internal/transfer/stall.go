package transfer

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/troveproject/trove/internal/clock"
	"github.com/troveproject/trove/internal/units"
)

// StallMode says how stalled transfers are detected.
type StallMode int

const (
	// StallUnset is git-annex's behaviour when annex.stalldetection is not
	// set: stalls are probed for (as StallProbe) but only reported, with a
	// suggestion to configure annex.stalldetection; nothing is cancelled.
	StallUnset StallMode = iota
	// StallOff disables stall detection ("false").
	StallOff
	// StallProbe ("true") waits for the transfer to show steady progress,
	// then cancels it when no data at all moves for 60 seconds.
	StallProbe
	// StallRate ("10KiB/30s") cancels a transfer that moves fewer than
	// MinBytes in Period, once its first progress arrived.
	StallRate
)

// StallDetection is a parsed annex.stalldetection setting.
type StallDetection struct {
	Mode     StallMode
	MinBytes int64         // StallRate only
	Period   time.Duration // StallRate only
}

// ParseStallDetection parses annex.stalldetection as git-annex does: a
// boolean ("true"/"false", also yes/no/on/off/1/0) or a rate
// "<size>/<duration>" such as "10KiB/30s" or "1MB/1m30s". The empty
// string is StallUnset. The error names the setting and the bad part.
func ParseStallDetection(s string) (StallDetection, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return StallDetection{Mode: StallUnset}, nil
	case "true", "yes", "on", "1":
		return StallDetection{Mode: StallProbe}, nil
	case "false", "no", "off", "0":
		return StallDetection{Mode: StallOff}, nil
	}
	size, dur, _ := strings.Cut(s, "/")
	n, err := units.ParseSize(size)
	if err != nil {
		return StallDetection{}, fmt.Errorf("annex.stalldetection: unable to parse bandwidth amount %q", size)
	}
	d, err := parseDuration(dur)
	if err != nil {
		return StallDetection{}, fmt.Errorf("annex.stalldetection: %w", err)
	}
	return StallDetection{Mode: StallRate, MinBytes: n, Period: d}, nil
}

// durationUnits are git-annex's HumanTime units.
var durationUnits = map[byte]time.Duration{
	'y': 365 * 24 * time.Hour,
	'd': 24 * time.Hour,
	'h': time.Hour,
	'm': time.Minute,
	's': time.Second,
}

// parseDuration reads git-annex's durations: numbers each followed by a
// unit (y d h m s), summed; a trailing number without a unit is seconds.
func parseDuration(s string) (time.Duration, error) {
	var total time.Duration
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("unable to parse duration %q", s)
		}
		n, err := strconv.ParseInt(rest[:i], 10, 32)
		if err != nil {
			return 0, fmt.Errorf("unable to parse duration %q", s)
		}
		if i == len(rest) {
			return total + time.Duration(n)*time.Second, nil
		}
		u, ok := durationUnits[rest[i]]
		if !ok {
			return 0, fmt.Errorf("unable to parse duration %q", s)
		}
		total += time.Duration(n) * u
		rest = rest[i+1:]
	}
	if s == "" {
		return 0, fmt.Errorf("unable to parse duration %q", s)
	}
	return total, nil
}

// sleeper waits for d or until ctx is done, returning ctx's error then.
type sleeper func(ctx context.Context, d time.Duration) error

// timerSleep is the real sleeper.
func timerSleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// watch runs stall detection over the byte counter moved, which read from
// when the attempt started, until ctx is done, calling onStall (once) when
// the transfer stalls. It follows git-annex's Annex/StallDetection.hs.
func (sd StallDetection) watch(ctx context.Context, sleep sleeper, clk clock.Clock, moved func() int64, from int64, onStall func()) {
	sd.watchFrom(ctx, sleep, clk, moved, from, clk.Now(), false, onStall)
}

// firstCheck is how long after the start of an attempt watch first looks
// at the counter; zero when stall detection is off.
func (sd StallDetection) firstCheck() time.Duration {
	switch sd.Mode {
	case StallOff:
		return 0
	case StallRate:
		return min(time.Minute, sd.Period)
	default:
		return probePeriod / 2
	}
}

// probePeriod is how long a probed transfer may move no data at all.
const probePeriod = time.Minute

// watchFrom is watch for an attempt that started at start; with slept,
// the first wait (firstCheck) has already passed.
func (sd StallDetection) watchFrom(ctx context.Context, sleep sleeper, clk clock.Clock, moved func() int64, from int64, start time.Time, slept bool, onStall func()) {
	if slept {
		inner := sleep
		sleep = func(ctx context.Context, d time.Duration) error {
			if slept {
				slept = false
				return ctx.Err()
			}
			return inner(ctx, d)
		}
	}
	switch sd.Mode {
	case StallOff:
		return
	case StallRate:
		minBytes, period := sd.MinBytes, sd.Period
		// Wait for the first update and see how long it takes: progress
		// that is updated less often than the period (large chunks) must
		// not look like a stall.
		v, ok := waitAdvance(ctx, sleep, sd.firstCheck(), moved, from)
		if !ok {
			return
		}
		minBytes, period = upscale(minBytes, period, clk.Now().Sub(start))
		detect(ctx, sleep, minBytes, period, moved, v, onStall)
	default: // StallUnset, StallProbe
		// Progress must first be confirmed to update steadily: after the
		// first update it must advance twice within 30 seconds. Then no
		// data at all for 60 seconds is a stall.
		v, ok := waitAdvance(ctx, sleep, sd.firstCheck(), moved, from)
		for range 2 {
			if !ok || sleep(ctx, probePeriod/2) != nil {
				return
			}
			next := moved()
			if next <= v {
				return
			}
			v = next
		}
		detect(ctx, sleep, 1, probePeriod, moved, v, onStall)
	}
}

// waitAdvance sleeps in steps of d until the counter passes from.
func waitAdvance(ctx context.Context, sleep sleeper, d time.Duration, moved func() int64, from int64) (int64, bool) {
	for {
		if sleep(ctx, d) != nil {
			return 0, false
		}
		if v := moved(); v > from {
			return v, true
		}
	}
}

// detect checks every period that at least minBytes moved.
func detect(ctx context.Context, sleep sleeper, minBytes int64, period time.Duration, moved func() int64, prev int64, onStall func()) {
	for {
		if sleep(ctx, period) != nil {
			return
		}
		v := moved()
		if v >= prev && v-prev < minBytes {
			onStall()
			return
		}
		prev = v
	}
}

// upscale scales the rate up when the first update took longer than a
// third of the period (git-annex's allowedvariation of 3).
func upscale(minBytes int64, period, firstUpdate time.Duration) (int64, time.Duration) {
	const allowedVariation = 3
	secs := int64(period / time.Second)
	passed := int64(firstUpdate / time.Second)
	if passed <= secs/allowedVariation {
		return minBytes, period
	}
	scale := max(1, float64(passed)/float64(max(secs, 1))*allowedVariation)
	return int64(math.Ceil(float64(minBytes) * scale)), time.Duration(math.Ceil(float64(secs)*scale)) * time.Second
}
