package ui

import (
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Object is a JSON object. The encoder writes its keys sorted bytewise,
// as git-annex (aeson) does.
type Object map[string]any

// appendJSON appends v encoded as git-annex encodes JSON. Supported values:
// nil, bool, string, all integer kinds, []string, []any, []Object, Object,
// map[string]any, map[string]int and RawJSON. Any other type is an error.
func appendJSON(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case string:
		return appendJSONString(b, v), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case int32:
		return strconv.AppendInt(b, int64(v), 10), nil
	case uint64:
		return strconv.AppendUint(b, v, 10), nil
	case uint:
		return strconv.AppendUint(b, uint64(v), 10), nil
	case RawJSON:
		return append(b, v...), nil
	case []string:
		return appendArray(b, len(v), func(b []byte, i int) ([]byte, error) { return appendJSONString(b, v[i]), nil })
	case []any:
		return appendArray(b, len(v), func(b []byte, i int) ([]byte, error) { return appendJSON(b, v[i]) })
	case []Object:
		return appendArray(b, len(v), func(b []byte, i int) ([]byte, error) { return appendJSON(b, v[i]) })
	case Object:
		return appendObject(b, v)
	case map[string]any:
		return appendObject(b, v)
	case map[string]int:
		o := make(Object, len(v))
		for k, n := range v {
			o[k] = n
		}
		return appendObject(b, o)
	}
	return b, fmt.Errorf("ui: cannot encode %T as JSON", v)
}

// RawJSON is inserted into the output as it is; it must be valid JSON.
type RawJSON []byte

func appendArray(b []byte, n int, elem func([]byte, int) ([]byte, error)) ([]byte, error) {
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = elem(b, i); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

func appendObject(b []byte, o map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		var err error
		if b, err = appendJSON(b, o[k]); err != nil {
			return b, fmt.Errorf("field %q: %w", k, err)
		}
	}
	return append(b, '}'), nil
}

const lowerHex = "0123456789abcdef"

// appendJSONString appends s as a JSON string exactly as git-annex 10
// prints it: ", \ and the control characters \n \r \t get short escapes,
// other bytes below 0x20 become \u00xx (lower-case hex), DEL and all
// non-ASCII characters are written raw as UTF-8, and each byte that is not
// part of valid UTF-8 becomes U+FFFD (git-annex decodes file names with
// one replacement character per undecodable byte).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"':
				b = append(b, '\\', '"')
			case c == '\\':
				b = append(b, '\\', '\\')
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
