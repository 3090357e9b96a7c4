package annexcli

import (
	"strings"
	"unicode/utf8"
)

// jsonValue is a parsed JSON value: kind is one of "object", "array",
// "string", "number", "boolean", "null" (aeson's names in its errors).
type jsonValue struct {
	kind    string
	str     string // string value
	members []jsonMember
	items   []jsonValue
}

type jsonMember struct {
	name  string
	value jsonValue
}

// get returns the first member called name (later duplicates are
// ignored, as git-annex's aeson does) and whether there is one.
func (v jsonValue) get(name string) (jsonValue, bool) {
	for _, m := range v.members {
		if m.name == name {
			return m.value, true
		}
	}
	return jsonValue{}, false
}

// aesonKind is the name aeson gives the kind in "expected String, but
// encountered Number".
func (v jsonValue) aesonKind() string {
	return strings.ToUpper(v.kind[:1]) + v.kind[1:]
}

// parseAesonJSON parses s as one JSON value followed by white space only.
// Its errors are the messages git-annex's aeson (attoparsec) parser gives
// after "Error in $: " for the mistakes a batch input line can hold: the
// failure, the outermost thing the parser was expecting, and the rest of
// the input (white space and '"' left out, as git-annex shows it).
func parseAesonJSON(s string) (jsonValue, string) {
	p := &jsonParser{s: s}
	v, ok := p.value("")
	if !ok {
		return jsonValue{}, p.err
	}
	p.space()
	if p.i < len(p.s) {
		return jsonValue{}, "endOfInput at '" + p.rest() + "'"
	}
	return v, ""
}

type jsonParser struct {
	s   string
	i   int
	err string
}

func (p *jsonParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// rest is the unparsed input as aeson's errors show it.
func (p *jsonParser) rest() string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, p.s[p.i:])
}

// expecting adds the label of the outermost expectation to msg.
func expecting(msg, label string) string {
	if label != "" {
		msg += ". Expecting " + label
	}
	return msg
}

// failed records a parse failure at the current position.
func (p *jsonParser) failed(msg, label string) bool {
	p.err = expecting("Failed reading: "+msg, label) + " at '" + p.rest() + "'"
	return false
}

// short records running out of input.
func (p *jsonParser) short(label string) bool {
	p.err = expecting("not enough input", label)
	return false
}

// value parses a value; label is the outermost expectation ("" at the
// top level).
func (p *jsonParser) value(label string) (jsonValue, bool) {
	p.space()
	if p.i >= len(p.s) {
		return jsonValue{}, p.short(label)
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		return p.object(label)
	case c == '[':
		p.i++
		return p.array(label)
	case c == '"':
		p.i++
		s, ok := p.str(label)
		return jsonValue{kind: "string", str: s}, ok
	case c == 't' || c == 'f' || c == 'n':
		return p.literal(label)
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	}
	return jsonValue{}, p.failed("not a valid json value", label)
}

func (p *jsonParser) literal(label string) (jsonValue, bool) {
	for word, kind := range map[string]string{"true": "boolean", "false": "boolean", "null": "null"} {
		if word[0] != p.s[p.i] {
			continue
		}
		switch rest := p.s[p.i:]; {
		case strings.HasPrefix(rest, word):
			p.i += len(word)
			return jsonValue{kind: kind}, true
		case strings.HasPrefix(word, rest):
			p.err = "not enough input at '" + p.rest() + "'"
			return jsonValue{}, false
		}
		p.err = expecting("string", label) + " at '" + p.rest() + "'"
		return jsonValue{}, false
	}
	return jsonValue{}, p.failed("not a valid json value", label)
}

func (p *jsonParser) number() (jsonValue, bool) {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("+-0123456789.eE", p.s[p.i]) >= 0 {
		p.i++
	}
	return jsonValue{kind: "number", str: p.s[start:p.i]}, true
}

// str parses the rest of a string after its opening quote.
func (p *jsonParser) str(label string) (string, bool) {
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.ValidString(b.String()) {
				return "", p.failed("Cannot decode input: Data.Text.Internal.Encoding.decodeUtf8: Invalid UTF-8 stream", label)
			}
			return b.String(), true
		case c < 0x20:
			p.i++
			return "", p.failed("unescaped control character", label)
		case c == '\\':
			if p.i+1 >= len(p.s) {
				p.i = len(p.s)
				continue
			}
			r, n, ok := unescape(p.s[p.i:])
			if !ok {
				p.i = p.endOfString()
				return "", p.failed("Cannot decode input: Data.Text.Internal.Encoding.decodeUtf8: Invalid UTF-8 stream", label)
			}
			b.WriteString(r)
			p.i += n
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	p.err = expecting("Failed reading: string without end", label)
	return "", false
}

// endOfString is the index after the closing quote of the string p is in.
func (p *jsonParser) endOfString() int {
	for j := p.i; j < len(p.s); j++ {
		switch p.s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(p.s)
}

// unescape decodes the escape sequence at the start of s.
func unescape(s string) (string, int, bool) {
	switch s[1] {
	case '"', '\\', '/':
		return s[1:2], 2, true
	case 'b':
		return "\b", 2, true
	case 'f':
		return "\f", 2, true
	case 'n':
		return "\n", 2, true
	case 'r':
		return "\r", 2, true
	case 't':
		return "\t", 2, true
	case 'u':
		if len(s) < 6 {
			return "", 0, false
		}
		var r rune
		for _, h := range s[2:6] {
			var d rune
			switch {
			case '0' <= h && h <= '9':
				d = h - '0'
			case 'a' <= h && h <= 'f':
				d = h - 'a' + 10
			case 'A' <= h && h <= 'F':
				d = h - 'A' + 10
			default:
				return "", 0, false
			}
			r = r*16 + d
		}
		return string(r), 6, true
	}
	return "", 0, false
}

// labelOr is label, the caller's name for what is being parsed, or l when
// there is none.
func labelOr(label, l string) string {
	if label != "" {
		return label
	}
	return l
}

func (p *jsonParser) object(label string) (jsonValue, bool) {
	v := jsonValue{kind: "object"}
	p.space()
	if p.i >= len(p.s) {
		return v, p.short("")
	}
	if p.s[p.i] == '}' {
		p.i++
		return v, true
	}
	or := func(l string) string { return labelOr(label, l) }
	for {
		p.space()
		if p.i >= len(p.s) {
			return v, p.short(or("object key"))
		}
		if p.s[p.i] != '"' {
			return v, p.failed("satisfy", or("object key"))
		}
		p.i++
		name, ok := p.str(or("object key"))
		if !ok {
			return v, false
		}
		p.space()
		if p.i >= len(p.s) {
			return v, p.short(or("':'"))
		}
		if p.s[p.i] != ':' {
			return v, p.failed("satisfyWith", or("':'"))
		}
		p.i++
		val, ok := p.value(or("object value"))
		if !ok {
			return v, false
		}
		if _, dup := v.get(name); !dup {
			v.members = append(v.members, jsonMember{name: name, value: val})
		}
		p.space()
		if p.i >= len(p.s) {
			return v, p.short(or("',' or '}'"))
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return v, true
		default:
			return v, p.failed("satisfy", or("',' or '}'"))
		}
	}
}

func (p *jsonParser) array(label string) (jsonValue, bool) {
	v := jsonValue{kind: "array"}
	p.space()
	if p.i >= len(p.s) {
		return v, p.short("")
	}
	if p.s[p.i] == ']' {
		p.i++
		return v, true
	}
	or := func(l string) string { return labelOr(label, l) }
	for {
		item, ok := p.value(or("json list value"))
		if !ok {
			return v, false
		}
		v.items = append(v.items, item)
		p.space()
		if p.i >= len(p.s) {
			return v, p.short(or("',' or ']'"))
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return v, true
		default:
			return v, p.failed("satisfy", or("',' or ']'"))
		}
	}
}
