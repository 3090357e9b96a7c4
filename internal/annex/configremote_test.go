package annex

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/remote"
)

func TestConfigRemoteParams(t *testing.T) {
	tests := []struct {
		params  []string
		want    remote.Config
		field   string // refused field, "" when accepted or another error
		errPart string
	}{
		{params: []string{"autoenable=true"}, want: remote.Config{"autoenable": "true"}},
		{params: []string{"autoenable=true", "autoenable=false"}, want: remote.Config{"autoenable": "false"}},
		{params: nil, want: remote.Config{}},
		{params: []string{"autoenable=yes"}, errPart: "Bad value for autoenable (expected true or false)"},
		{params: []string{"chunk=1MiB"}, field: "chunk", errPart: "`git annex initremote NEWNAME --sameas=nas chunk=1MiB`"},
		{params: []string{"type=rsync"}, field: "type", errPart: "how content is stored in nas"},
		{params: []string{"encryption=shared"}, field: "encryption", errPart: "how content is encrypted in nas"},
		{params: []string{"keyid+=ABCD"}, field: "keyid+", errPart: "`git annex enableremote nas keyid+=ABCD`"},
		{params: []string{"name=other"}, field: "name", errPart: "`git annex renameremote nas other`"},
		{params: []string{"cost=100"}, field: "cost", errPart: "Use git-annex enableremote instead."},
		{params: []string{"autoenable"}, errPart: "Bad value for autoenable"},
		{params: []string{"bogus"}, field: "bogus", errPart: `Cannot change field "bogus" with this command.`},
		// The first refused field in name order is reported.
		{params: []string{"type=x", "autoenable=true", "chunk=1"}, field: "chunk"},
	}
	for _, tt := range tests {
		got, err := configRemoteParams("nas", tt.params)
		var ce *ConfigRemoteError
		switch {
		case tt.field != "":
			if !errors.As(err, &ce) || ce.Field != tt.field {
				t.Errorf("%q: error %v, want a refusal of %q", tt.params, err, tt.field)
			}
		case tt.errPart != "":
			if err == nil || errors.As(err, &ce) {
				t.Errorf("%q: error %v, want a bad value", tt.params, err)
			}
		default:
			if err != nil {
				t.Errorf("%q: %v", tt.params, err)
			} else if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%q (-want +got):\n%s", tt.params, diff)
			}
		}
		if tt.errPart != "" && (err == nil || !strings.Contains(err.Error(), tt.errPart)) {
			t.Errorf("%q: error %v lacks %q", tt.params, err, tt.errPart)
		}
	}
}

// FuzzConfigRemoteParams: only autoenable=true|false is ever accepted, and
// every refusal names a field of the input.
func FuzzConfigRemoteParams(f *testing.F) {
	f.Add("autoenable=true", "chunk=1MiB")
	f.Add("autoenable", "=")
	f.Add("name=x=y", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		cfg, err := configRemoteParams("r", []string{a, b})
		if err != nil {
			var ce *ConfigRemoteError
			if errors.As(err, &ce) && !strings.HasPrefix(a, ce.Field) && !strings.HasPrefix(b, ce.Field) {
				t.Errorf("refused field %q is not in %q %q", ce.Field, a, b)
			}
			return
		}
		for k, v := range cfg {
			if k != "autoenable" || (v != "true" && v != "false") {
				t.Errorf("accepted %s=%s from %q %q", k, v, a, b)
			}
		}
	})
}
