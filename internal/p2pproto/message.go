package p2pproto

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/uuid"
)

// Commands of the protocol, as they appear at the start of a line.
const (
	Auth          = "AUTH"
	AuthSuccess   = "AUTH-SUCCESS"
	AuthFailure   = "AUTH-FAILURE"
	Version       = "VERSION"
	Connect       = "CONNECT"
	ConnectDone   = "CONNECTDONE"
	NotifyChange  = "NOTIFYCHANGE"
	Changed       = "CHANGED"
	CheckPresent  = "CHECKPRESENT"
	LockContent   = "LOCKCONTENT"
	UnlockContent = "UNLOCKCONTENT"
	Remove        = "REMOVE"
	RemoveBefore  = "REMOVE-BEFORE"
	GetTimestamp  = "GETTIMESTAMP"
	Timestamp     = "TIMESTAMP"
	Get           = "GET"
	Put           = "PUT"
	PutFrom       = "PUT-FROM"
	AlreadyHave   = "ALREADY-HAVE"
	Success       = "SUCCESS"
	Failure       = "FAILURE"
	Data          = "DATA"
	Valid         = "VALID"
	Invalid       = "INVALID"
	Error         = "ERROR"
	Bypass        = "BYPASS"
)

// MaxVersion is the highest protocol version Trove speaks, the one of
// git-annex 10.20230126 (version 0 lacks VALID/INVALID).
const MaxVersion = 1

// Message is one protocol line. Cmd says which fields are meaningful:
//
//	AUTH           UUID Token
//	AUTH-SUCCESS   UUID
//	VERSION        Version
//	CONNECT        Service (git-upload-pack, git-receive-pack)
//	CONNECTDONE    ExitCode
//	CHANGED        Refs
//	BYPASS         UUIDs
//	CHECKPRESENT, LOCKCONTENT, REMOVE   Key
//	REMOVE-BEFORE  Timestamp Key
//	TIMESTAMP      Timestamp
//	GET            Offset AFile Key
//	PUT            AFile Key
//	PUT-FROM       Offset
//	DATA           Offset (the payload length)
//	ERROR          Text
//
// and the others have no field.
type Message struct {
	Cmd       string
	Key       key.Key
	Offset    int64 // GET and PUT-FROM offsets, DATA length
	AFile     string
	UUID      uuid.UUID
	UUIDs     []uuid.UUID
	Token     string
	Version   int
	Service   string
	ExitCode  int
	Refs      []string
	Timestamp int64
	Text      string
}

// ErrUnknown is wrapped by Parse errors for lines that are not a message
// of the protocol (an unknown command, or bad or missing fields); a server
// answers them with "ERROR unknown command".
var ErrUnknown = errors.New("unknown command")

// ParseError is a line Parse could not read.
type ParseError struct {
	Line string
	Err  error
}

func (e *ParseError) Error() string { return fmt.Sprintf("p2p protocol: %q: %v", e.Line, e.Err) }

// Unwrap returns ErrUnknown.
func (e *ParseError) Unwrap() error { return ErrUnknown }

// Parse reads one line (without its "\n") as git-annex does: the command
// is the text up to the first space, and each field but the last ends at
// the next single space, so the last field (a key, an error text) may hold
// spaces. Errors wrap ErrUnknown.
func Parse(line string) (Message, error) {
	cmd, rest, hasRest := strings.Cut(line, " ")
	m := Message{Cmd: cmd}
	fail := func(err error) (Message, error) { return Message{}, &ParseError{Line: line, Err: err} }
	nargs := func(n int) ([]string, bool) {
		if !hasRest {
			return nil, false
		}
		f := strings.SplitN(rest, " ", n)
		return f, len(f) == n
	}
	var err error
	switch cmd {
	case AuthFailure, NotifyChange, UnlockContent, GetTimestamp, AlreadyHave, Success, Failure, Valid, Invalid:
		if hasRest {
			return fail(errors.New("unexpected fields"))
		}
	case Auth:
		f, ok := nargs(2)
		if !ok {
			return fail(errors.New("want UUID and token"))
		}
		m.UUID, m.Token = uuid.UUID(f[0]), f[1]
	case AuthSuccess:
		if !hasRest {
			return fail(errors.New("want UUID"))
		}
		m.UUID = uuid.UUID(rest)
	case Version:
		if m.Version, err = parseNat(rest, hasRest); err != nil {
			return fail(err)
		}
	case Connect:
		if rest != "git-upload-pack" && rest != "git-receive-pack" {
			return fail(errors.New("unknown service"))
		}
		m.Service = rest
	case ConnectDone:
		if m.ExitCode, err = parseNat(rest, hasRest); err != nil {
			return fail(err)
		}
	case Changed:
		if hasRest {
			m.Refs = strings.Split(rest, " ")
		}
	case Bypass:
		if hasRest {
			for _, u := range strings.Split(rest, " ") {
				m.UUIDs = append(m.UUIDs, uuid.UUID(u))
			}
		}
	case CheckPresent, LockContent, Remove:
		if m.Key, err = parseKey(rest, hasRest); err != nil {
			return fail(err)
		}
	case RemoveBefore:
		f, ok := nargs(2)
		if !ok {
			return fail(errors.New("want timestamp and key"))
		}
		if m.Timestamp, err = parseInt(f[0]); err != nil {
			return fail(err)
		}
		if m.Key, err = parseKey(f[1], true); err != nil {
			return fail(err)
		}
	case Timestamp:
		if m.Timestamp, err = parseInt(rest); err != nil || !hasRest {
			return fail(errors.New("want a timestamp"))
		}
	case Get:
		f, ok := nargs(3)
		if !ok {
			return fail(errors.New("want offset, file and key"))
		}
		if m.Offset, err = parseInt(f[0]); err != nil {
			return fail(err)
		}
		if m.AFile, err = DecodeAFile(f[1]); err != nil {
			return fail(err)
		}
		if m.Key, err = parseKey(f[2], true); err != nil {
			return fail(err)
		}
	case Put:
		f, ok := nargs(2)
		if !ok {
			return fail(errors.New("want file and key"))
		}
		if m.AFile, err = DecodeAFile(f[0]); err != nil {
			return fail(err)
		}
		if m.Key, err = parseKey(f[1], true); err != nil {
			return fail(err)
		}
	case PutFrom, Data:
		if m.Offset, err = parseInt(rest); err != nil || !hasRest {
			return fail(errors.New("want a number"))
		}
	case Error:
		m.Text = rest
	default:
		return fail(errors.New("unknown command"))
	}
	return m, nil
}

// String formats the message as its line, without the "\n".
func (m Message) String() string {
	switch m.Cmd {
	case Auth:
		return m.Cmd + " " + string(m.UUID) + " " + m.Token
	case AuthSuccess:
		return m.Cmd + " " + string(m.UUID)
	case Version:
		return m.Cmd + " " + strconv.Itoa(m.Version)
	case Connect:
		return m.Cmd + " " + m.Service
	case ConnectDone:
		return m.Cmd + " " + strconv.Itoa(m.ExitCode)
	case Changed:
		return joinFields(m.Cmd, m.Refs)
	case Bypass:
		s := make([]string, len(m.UUIDs))
		for i, u := range m.UUIDs {
			s[i] = string(u)
		}
		return joinFields(m.Cmd, s)
	case CheckPresent, LockContent, Remove:
		return m.Cmd + " " + m.Key.String()
	case RemoveBefore:
		return m.Cmd + " " + strconv.FormatInt(m.Timestamp, 10) + " " + m.Key.String()
	case Timestamp:
		return m.Cmd + " " + strconv.FormatInt(m.Timestamp, 10)
	case Get:
		return m.Cmd + " " + strconv.FormatInt(m.Offset, 10) + " " + EncodeAFile(m.AFile) + " " + m.Key.String()
	case Put:
		return m.Cmd + " " + EncodeAFile(m.AFile) + " " + m.Key.String()
	case PutFrom, Data:
		return m.Cmd + " " + strconv.FormatInt(m.Offset, 10)
	case Error:
		return m.Cmd + " " + m.Text
	}
	return m.Cmd
}

func joinFields(cmd string, f []string) string {
	if len(f) == 0 {
		return cmd
	}
	return cmd + " " + strings.Join(f, " ")
}

// EncodeAFile writes an associated file name for GET and PUT as git-annex
// does: "%" doubled, each whitespace character replaced by "%".
func EncodeAFile(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); {
		c, size := utf8.DecodeRuneInString(f[i:])
		switch {
		case c == '%':
			b.WriteString("%%")
		case unicode.IsSpace(c):
			b.WriteByte('%')
		default:
			b.WriteString(f[i : i+size])
		}
		i += size
	}
	return b.String()
}

// DecodeAFile reads an associated file name: "%%" is "%", a lone "%" (a
// whitespace character once) becomes "_". An absolute name is an error;
// "" means no file.
func DecodeAFile(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		b.WriteByte('_')
	}
	f := b.String()
	if path.IsAbs(f) {
		return "", fmt.Errorf("associated file %q is absolute", f)
	}
	return f, nil
}

func parseKey(s string, present bool) (key.Key, error) {
	if !present {
		return key.Key{}, errors.New("want a key")
	}
	return key.Parse(s)
}

// parseInt reads a non-negative decimal integer.
func parseInt(s string) (int64, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return strconv.ParseInt(s, 10, 64)
}

func parseNat(s string, present bool) (int, error) {
	if !present {
		return 0, errors.New("want a number")
	}
	n, err := parseInt(s)
	if err != nil || n > 1<<30 {
		return 0, fmt.Errorf("%q is not a small number", s)
	}
	return int(n), nil
}
