package logs

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/troveproject/trove/internal/uuid"
)

// RemoteConfig is a special remote's configuration as stored in remote.log:
// setting name to value (name=, type=, encryption=, ...).
type RemoteConfig map[string]string

// ParseRemoteConfig parses a remote.log value: whitespace-separated
// "key=value" words whose values are unescaped with UnescapeConfigValue.
// A word without '=' is a key with an empty value; a repeated key keeps the
// last value.
func ParseRemoteConfig(s string) RemoteConfig {
	c := RemoteConfig{}
	for _, w := range strings.FieldsFunc(s, isHaskellSpace) {
		k, v, _ := strings.Cut(w, "=")
		c[k] = UnescapeConfigValue(v)
	}
	return c
}

// String formats c as git-annex writes it: "key=value" pairs sorted by key,
// values escaped with EscapeConfigValue, separated by single spaces. Keys
// must not contain whitespace or '='.
func (c RemoteConfig) String() string {
	keys := sortedKeys(c)
	words := make([]string, len(keys))
	for i, k := range keys {
		words[i] = k + "=" + EscapeConfigValue(c[k])
	}
	return strings.Join(words, " ")
}

// EscapeConfigValue escapes whitespace and '&' as "&<decimal code point>;"
// (e.g. "hello world" → "hello&32;world"), as git-annex's configEscape does.
func EscapeConfigValue(v string) string {
	if !strings.ContainsFunc(v, needsConfigEscape) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); {
		r, n := utf8.DecodeRuneInString(v[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteByte(v[i]) // invalid UTF-8 passes through
		} else if needsConfigEscape(r) {
			b.WriteString("&" + strconv.Itoa(int(r)) + ";")
		} else {
			b.WriteString(v[i : i+n])
		}
		i += n
	}
	return b.String()
}

// UnescapeConfigValue reverses EscapeConfigValue: "&digits;" becomes that
// code point; any other '&' is kept literally.
func UnescapeConfigValue(v string) string {
	if !strings.Contains(v, "&") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '&' {
			j := i + 1
			for j < len(v) && isDigit(v[j]) {
				j++
			}
			if j > i+1 && j < len(v) && v[j] == ';' {
				if n, err := strconv.Atoi(v[i+1 : j]); err == nil && n <= unicode.MaxRune {
					b.WriteRune(rune(n))
					i = j
					continue
				}
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

func needsConfigEscape(r rune) bool { return r == '&' || isHaskellSpace(r) }

// isHaskellSpace is Haskell's Data.Char.isSpace.
func isHaskellSpace(r rune) bool {
	switch {
	case r == ' ', r >= '\t' && r <= '\r', r == 0xa0:
		return true
	case r > 0x377:
		return unicode.Is(unicode.Zs, r)
	}
	return false
}

var remoteLog = oldLog[RemoteConfig]{
	parse:  func(s string) (RemoteConfig, bool) { return ParseRemoteConfig(s), true },
	format: RemoteConfig.String,
}

// ParseRemoteLog parses remote.log: the newest configuration of each
// special remote (keyed by its config UUID).
func ParseRemoteLog(b []byte) map[uuid.UUID]Entry[RemoteConfig] { return remoteLog.parseLog(b) }

// SetRemoteConfig returns remote.log old with u's configuration replaced by
// c, rewriting every line in git-annex's normalised form.
func SetRemoteConfig(old []byte, u uuid.UUID, c RemoteConfig, now Timestamp) []byte {
	return remoteLog.set(old, u, c, now)
}
