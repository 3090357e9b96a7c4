package ui

import "github.com/troveproject/trove/internal/units"

// percent formats done/total the way git-annex's --json-progress
// "percent-progress" does: two decimals at most ("0.11%", "33.33%", "100%").
func percent(done, total int64) string {
	if total == 0 {
		return "0%"
	}
	return units.ShowImprecise(2, float64(done)*100/float64(total)) + "%"
}

// humanBytes formats a byte count with binary units and two decimals at
// most, as git-annex's progress meter does ("1 B", "2.93 KiB").
func humanBytes(n int64) string { return units.RoughSize(units.Committee, true, n) }

// rateBytes formats a byte rate with binary units and no decimals, as
// git-annex's meter does ("5 KiB", "1 MiB").
func rateBytes(bps float64) string {
	u := units.Committee[len(units.Committee)-1]
	for _, c := range units.Committee {
		if bps >= c.Bytes {
			u = c
			break
		}
	}
	return units.ShowImprecise(0, bps/u.Bytes) + " " + u.Abbrev
}
