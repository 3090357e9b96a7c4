// Package clock is the only source of the current time in Trove. Everything
// else takes a Clock so that tests, and users who set GIT_ANNEX_VECTOR_CLOCK,
// get reproducible timestamps.
package clock

import (
	"os"
	"time"
)

// VectorClockEnv is the environment variable git-annex consults for a fixed
// "current time" used in git-annex branch logs.
const VectorClockEnv = "GIT_ANNEX_VECTOR_CLOCK"

// Clock tells the current time. Implementations are safe for concurrent use.
type Clock interface {
	Now() time.Time
}

// System returns the clock git-annex would use in this process: when the
// environment variable GIT_ANNEX_VECTOR_CLOCK holds a valid POSIX time
// (e.g. "1700000000" or "1700000000.5s"), Now always returns that instant;
// otherwise Now returns the wall-clock time. The variable is read once, here.
func System() Clock { return FromEnv(os.LookupEnv) }

// FromEnv is System with the environment lookup supplied by the caller, so
// tests need not touch the process environment. An unset or unparseable
// GIT_ANNEX_VECTOR_CLOCK yields the wall clock, as in git-annex.
// Digits beyond nanosecond precision are truncated (time.Time holds no more).
func FromEnv(lookup func(string) (string, bool)) Clock {
	if s, ok := lookup(VectorClockEnv); ok {
		if t, ok := ParsePOSIX(s); ok {
			return Fixed(t)
		}
	}
	return wall{}
}

type wall struct{}

// Now returns the wall-clock time.
func (wall) Now() time.Time { return time.Now() }
