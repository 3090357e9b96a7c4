package gitcmd

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadConfig(t *testing.T) {
	r := newRepo(t)
	ctx := context.Background()
	gitIn(t, r.Top, "config", "annex.uuid", "aaaa")
	gitIn(t, r.Top, "config", "--add", "Remote.Origin.URL", "one")
	gitIn(t, r.Top, "config", "--add", "remote.Origin.url", "two")
	gitIn(t, r.Top, "config", "remote.b.annex-cost", "2k")
	t.Setenv("GIT_CONFIG_PARAMETERS", "'annex.fromenv'='yes'")
	cfg, err := r.WithConfig("annex.uuid=bbbb", "annex.jobs=").ReadConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := cfg.Get("ANNEX.UUID"); !ok || v != "bbbb" {
		t.Errorf("Get(annex.uuid) = %q %v, want the -c value", v, ok)
	}
	if got := cfg.GetAll("remote.Origin.url"); !cmp.Equal(got, []string{"one", "two"}) {
		t.Errorf("GetAll = %q", got)
	}
	if got := cfg.GetAll("remote.origin.url"); len(got) != 0 {
		t.Errorf("subsection is case-sensitive, got %q", got)
	}
	if n, err := cfg.GetInt("remote.b.annex-cost", 0); err != nil || n != 2048 {
		t.Errorf("GetInt = %d %v", n, err)
	}
	if b, err := cfg.GetBool("annex.fromenv", false); err != nil || !b {
		t.Errorf("GIT_CONFIG_PARAMETERS not seen: %v %v", b, err)
	}
	if b, err := cfg.GetBool("annex.jobs", true); err != nil || b {
		t.Errorf("empty value as bool = %v %v, want false", b, err)
	}
	if got := cfg.Subsections("remote"); !cmp.Equal(got, []string{"Origin", "b"}) {
		t.Errorf("Subsections = %q", got)
	}

	if err := r.ConfigSet(ctx, "annex.x", "1"); err != nil {
		t.Fatal(err)
	}
	if err := r.ConfigAdd(ctx, "annex.x", "2"); err != nil {
		t.Fatal(err)
	}
	if got := gitIn(t, r.Top, "config", "--get-all", "annex.x"); got != "1\n2" {
		t.Errorf("after Set+Add: %q", got)
	}
	if err := r.ConfigSet(ctx, "annex.x", "3"); err != nil {
		t.Fatal(err)
	}
	if got := gitIn(t, r.Top, "config", "--get-all", "annex.x"); got != "3" {
		t.Errorf("after Set over two values: %q", got)
	}
	if err := r.ConfigUnset(ctx, "annex.x"); err != nil {
		t.Fatal(err)
	}
	if err := r.ConfigUnset(ctx, "annex.x"); err != nil {
		t.Errorf("unsetting an unset variable: %v", err)
	}
}

func TestParseConfigList(t *testing.T) {
	cfg, err := ParseConfigList([]byte("core.bare\nfalse\x00a.novalue\x00A.Sub.Sec.Key\nmulti\nline\x00"))
	if err != nil {
		t.Fatal(err)
	}
	want := []ConfigEntry{
		{Name: "core.bare", Value: "false"},
		{Name: "a.novalue", NoValue: true},
		{Name: "a.Sub.Sec.key", Value: "multi\nline"},
	}
	if d := cmp.Diff(want, cfg.Entries()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if b, err := cfg.GetBool("a.novalue", false); err != nil || !b {
		t.Errorf("value-less variable as bool = %v %v", b, err)
	}
	if _, err := ParseConfigList([]byte("unterminated")); err == nil {
		t.Error("unterminated record accepted")
	}
}

func TestParseBoolInt(t *testing.T) {
	for s, want := range map[string]bool{"true": true, "YES": true, "On": true, "1": true, "2": true, "1k": true,
		"false": false, "no": false, "OFF": false, "0": false, "": false} {
		if got, err := ParseBool(s); err != nil || got != want {
			t.Errorf("ParseBool(%q) = %v %v", s, got, err)
		}
	}
	if _, err := ParseBool("maybe"); err == nil {
		t.Error("ParseBool(maybe) succeeded")
	}
	for s, want := range map[string]int64{"0": 0, "12": 12, "-3": -3, "1k": 1024, "2M": 2 << 20, "3g": 3 << 30} {
		if got, err := ParseInt(s); err != nil || got != want {
			t.Errorf("ParseInt(%q) = %v %v", s, got, err)
		}
	}
	for _, s := range []string{"", "k", "1x", "9999999999999g"} {
		if _, err := ParseInt(s); err == nil {
			t.Errorf("ParseInt(%q) succeeded", s)
		}
	}
}
