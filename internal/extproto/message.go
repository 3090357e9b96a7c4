package extproto

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/troveproject/trove/internal/key"
)

// Commands git-annex sends to the helper program (requests).
const (
	Extensions            = "EXTENSIONS"
	Prepare               = "PREPARE"
	InitRemote            = "INITREMOTE"
	GetCost               = "GETCOST"
	GetAvailability       = "GETAVAILABILITY"
	ClaimURL              = "CLAIMURL"
	CheckURL              = "CHECKURL"
	Transfer              = "TRANSFER"
	CheckPresent          = "CHECKPRESENT"
	Remove                = "REMOVE"
	Whereis               = "WHEREIS"
	ListConfigs           = "LISTCONFIGS"
	GetInfo               = "GETINFO"
	ExportSupported       = "EXPORTSUPPORTED"
	Export                = "EXPORT"
	TransferExport        = "TRANSFEREXPORT"
	CheckPresentExport    = "CHECKPRESENTEXPORT"
	RemoveExport          = "REMOVEEXPORT"
	RemoveExportDirectory = "REMOVEEXPORTDIRECTORY"
	RenameExport          = "RENAMEEXPORT"
)

// Replies git-annex sends to the helper's requests, and ERROR (both ways).
const (
	Value = "VALUE"
	Creds = "CREDS"
	Error = "ERROR"
)

// Replies the helper sends to git-annex's requests.
const (
	PrepareSuccess               = "PREPARE-SUCCESS"
	PrepareFailure               = "PREPARE-FAILURE"
	TransferSuccess              = "TRANSFER-SUCCESS"
	TransferFailure              = "TRANSFER-FAILURE"
	CheckPresentSuccess          = "CHECKPRESENT-SUCCESS"
	CheckPresentFailure          = "CHECKPRESENT-FAILURE"
	CheckPresentUnknown          = "CHECKPRESENT-UNKNOWN"
	RemoveSuccess                = "REMOVE-SUCCESS"
	RemoveFailure                = "REMOVE-FAILURE"
	Cost                         = "COST"
	Availability                 = "AVAILABILITY"
	InitRemoteSuccess            = "INITREMOTE-SUCCESS"
	InitRemoteFailure            = "INITREMOTE-FAILURE"
	ClaimURLSuccess              = "CLAIMURL-SUCCESS"
	ClaimURLFailure              = "CLAIMURL-FAILURE"
	CheckURLContents             = "CHECKURL-CONTENTS"
	CheckURLMulti                = "CHECKURL-MULTI"
	CheckURLFailure              = "CHECKURL-FAILURE"
	WhereisSuccess               = "WHEREIS-SUCCESS"
	WhereisFailure               = "WHEREIS-FAILURE"
	Config                       = "CONFIG"
	ConfigEnd                    = "CONFIGEND"
	InfoField                    = "INFOFIELD"
	InfoValue                    = "INFOVALUE"
	InfoEnd                      = "INFOEND"
	ExportSupportedSuccess       = "EXPORTSUPPORTED-SUCCESS"
	ExportSupportedFailure       = "EXPORTSUPPORTED-FAILURE"
	RemoveExportDirectorySuccess = "REMOVEEXPORTDIRECTORY-SUCCESS"
	RemoveExportDirectoryFailure = "REMOVEEXPORTDIRECTORY-FAILURE"
	RenameExportSuccess          = "RENAMEEXPORT-SUCCESS"
	RenameExportFailure          = "RENAMEEXPORT-FAILURE"
	UnsupportedRequest           = "UNSUPPORTED-REQUEST"
)

// Requests the helper may send to git-annex while it handles a request.
// EXTENSIONS is also the helper's reply to git-annex's EXTENSIONS.
const (
	Version          = "VERSION"
	Progress         = "PROGRESS"
	DirHash          = "DIRHASH"
	DirHashLower     = "DIRHASH-LOWER"
	SetConfig        = "SETCONFIG"
	GetConfig        = "GETCONFIG"
	SetCreds         = "SETCREDS"
	GetCreds         = "GETCREDS"
	GetUUID          = "GETUUID"
	GetGitDir        = "GETGITDIR"
	GetGitRemoteName = "GETGITREMOTENAME"
	SetWanted        = "SETWANTED"
	GetWanted        = "GETWANTED"
	SetState         = "SETSTATE"
	GetState         = "GETSTATE"
	SetURLPresent    = "SETURLPRESENT"
	SetURLMissing    = "SETURLMISSING"
	SetURIPresent    = "SETURIPRESENT"
	SetURIMissing    = "SETURIMISSING"
	GetURLs          = "GETURLS"
	Debug            = "DEBUG"
	Info             = "INFO"
)

// Directions of TRANSFER and TRANSFEREXPORT.
const (
	Store    = "STORE"
	Retrieve = "RETRIEVE"
)

// Availability values.
const (
	Global = "GLOBAL"
	Local  = "LOCAL"
)

// SupportedExtensions is what git-annex 10.20230126 offers in its
// EXTENSIONS request, in its order.
var SupportedExtensions = []string{"INFO", "GETGITREMOTENAME", "ASYNC"}

// ErrSyntax is wrapped by every parse error.
var ErrSyntax = errors.New("external special remote protocol: malformed message")

// Message is one protocol line: a command and its parameters. Job is the
// ASYNC job number of a "J n" framed line, or 0.
type Message struct {
	Job     int
	Command string
	Params  []string
}

// New returns the message cmd with params.
func New(cmd string, params ...string) Message {
	return Message{Command: cmd, Params: params}
}

// String formats m as git-annex does (its unwords): the command and every
// parameter separated by one space, so an empty last parameter leaves a
// trailing space ("VALUE "), preceded by "J n " when m.Job is not 0. It
// has no line terminator.
func (m Message) String() string {
	var b strings.Builder
	if m.Job != 0 {
		b.WriteString("J ")
		b.WriteString(strconv.Itoa(m.Job))
		b.WriteByte(' ')
	}
	b.WriteString(m.Command)
	for _, p := range m.Params {
		b.WriteByte(' ')
		b.WriteString(p)
	}
	return b.String()
}

// Param returns parameter i, or "" when m has fewer.
func (m Message) Param(i int) string {
	if i < len(m.Params) {
		return m.Params[i]
	}
	return ""
}

// kind says how git-annex deserialises a parameter.
type kind int

const (
	str       kind = iota // any string
	keyParam              // a key (key.Parse)
	direction             // STORE | RETRIEVE
	integer               // readish Integer
	float                 // readish Double
	avail                 // GLOBAL | LOCAL
	size                  // UNKNOWN | readish Integer
	uri                   // Network.URI parseURI (absolute URI)
)

// fromAnnex and fromRemote give the parameter kinds of every message each
// side may send; the number of kinds is the number of parameters.
var (
	fromAnnex = map[string][]kind{
		Extensions:            {str},
		Prepare:               {},
		InitRemote:            {},
		GetCost:               {},
		GetAvailability:       {},
		ClaimURL:              {str},
		CheckURL:              {str},
		Transfer:              {direction, keyParam, str},
		CheckPresent:          {keyParam},
		Remove:                {keyParam},
		Whereis:               {keyParam},
		ListConfigs:           {},
		GetInfo:               {},
		ExportSupported:       {},
		Export:                {str},
		TransferExport:        {direction, keyParam, str},
		CheckPresentExport:    {keyParam},
		RemoveExport:          {keyParam},
		RemoveExportDirectory: {str},
		RenameExport:          {keyParam, str},
		Value:                 {str},
		Creds:                 {str, str},
		Error:                 {str},
	}
	fromRemote = map[string][]kind{
		Extensions:                   {str},
		PrepareSuccess:               {},
		PrepareFailure:               {str},
		TransferSuccess:              {direction, keyParam},
		TransferFailure:              {direction, keyParam, str},
		CheckPresentSuccess:          {keyParam},
		CheckPresentFailure:          {keyParam},
		CheckPresentUnknown:          {keyParam, str},
		RemoveSuccess:                {keyParam},
		RemoveFailure:                {keyParam, str},
		Cost:                         {float},
		Availability:                 {avail},
		InitRemoteSuccess:            {},
		InitRemoteFailure:            {str},
		ClaimURLSuccess:              {},
		ClaimURLFailure:              {},
		CheckURLContents:             {size, str},
		CheckURLMulti:                {str},
		CheckURLFailure:              {str},
		WhereisSuccess:               {str},
		WhereisFailure:               {},
		Config:                       {str, str},
		ConfigEnd:                    {},
		InfoField:                    {str},
		InfoValue:                    {str},
		InfoEnd:                      {},
		ExportSupportedSuccess:       {},
		ExportSupportedFailure:       {},
		RemoveExportDirectorySuccess: {},
		RemoveExportDirectoryFailure: {},
		RenameExportSuccess:          {keyParam},
		RenameExportFailure:          {keyParam},
		UnsupportedRequest:           {},

		Version:          {integer},
		Progress:         {integer},
		DirHash:          {keyParam},
		DirHashLower:     {keyParam},
		SetConfig:        {str, str},
		GetConfig:        {str},
		SetCreds:         {str, str, str},
		GetCreds:         {str},
		GetUUID:          {},
		GetGitDir:        {},
		GetGitRemoteName: {},
		SetWanted:        {str},
		GetWanted:        {},
		SetState:         {keyParam, str},
		GetState:         {keyParam},
		SetURLPresent:    {keyParam, str},
		SetURLMissing:    {keyParam, str},
		SetURIPresent:    {keyParam, uri},
		SetURIMissing:    {keyParam, uri},
		GetURLs:          {keyParam, str},
		Debug:            {str},
		Info:             {str},

		Error: {str},
	}
)

// ParseFromRemote parses a line a helper program sent (without its line
// terminator and without an ASYNC "J n" frame). An unknown command or a
// parameter git-annex would not accept gives an error wrapping ErrSyntax.
func ParseFromRemote(line string) (Message, error) { return parse(line, fromRemote) }

// ParseFromAnnex parses a line git-annex sent to a helper program, with
// the same rules as ParseFromRemote. Helper programs written in Go (and
// tests) use it.
func ParseFromAnnex(line string) (Message, error) { return parse(line, fromAnnex) }

func parse(line string, table map[string][]kind) (Message, error) {
	cmd, rest := splitWord(line)
	kinds, ok := table[cmd]
	if !ok {
		return Message{}, fmt.Errorf("%w: unknown command %q", ErrSyntax, cmd)
	}
	m := Message{Command: cmd, Params: make([]string, len(kinds))}
	if len(kinds) == 0 {
		if rest != "" {
			return Message{}, fmt.Errorf("%w: %s takes no parameters, got %q", ErrSyntax, cmd, rest)
		}
		m.Params = nil
		return m, nil
	}
	for i := range kinds {
		if i == len(kinds)-1 {
			m.Params[i] = rest
		} else {
			m.Params[i], rest = splitWord(rest)
		}
	}
	for i, k := range kinds {
		if err := check(k, m.Params[i]); err != nil {
			return Message{}, fmt.Errorf("%w: %s parameter %d: %w", ErrSyntax, cmd, i+1, err)
		}
	}
	return m, nil
}

func check(k kind, p string) error {
	switch k {
	case keyParam:
		if _, err := key.Parse(p); err != nil {
			return err
		}
	case direction:
		if p != Store && p != Retrieve {
			return fmt.Errorf("direction %q is neither STORE nor RETRIEVE", p)
		}
	case integer:
		if _, ok := ReadInt(p); !ok {
			return fmt.Errorf("%q is not a number", p)
		}
	case float:
		if _, ok := ReadFloat(p); !ok {
			return fmt.Errorf("%q is not a number", p)
		}
	case avail:
		if p != Global && p != Local {
			return fmt.Errorf("availability %q is neither GLOBAL nor LOCAL", p)
		}
	case size:
		if _, ok := ReadSize(p); !ok {
			return fmt.Errorf("size %q is neither UNKNOWN nor a number", p)
		}
	case uri:
		if !isAbsoluteURI(p) {
			return fmt.Errorf("%q is not a URI", p)
		}
	}
	return nil
}

// splitWord splits s at its first whitespace character, which is dropped;
// without one, rest is "" (Utility.Misc.separate isSpace).
func splitWord(s string) (word, rest string) {
	for i, r := range s {
		if isSpace(r) {
			return s[:i], s[i+utf8.RuneLen(r):]
		}
	}
	return s, ""
}

// isSpace is Haskell's Data.Char.isSpace: the ASCII and Latin-1 spaces and
// the Unicode space separators (category Zs).
func isSpace(r rune) bool {
	switch {
	case r == ' ', r >= '\t' && r <= '\r', r == 0xa0:
		return true
	case r < 0x378:
		return false
	}
	return r != utf8.RuneError && unicode.Is(unicode.Zs, r)
}

// isAbsoluteURI approximates Network.URI.parseURI: a scheme (a letter,
// then letters, digits, '+', '-' or '.') followed by ':', and no
// whitespace or characters a URI cannot hold.
func isAbsoluteURI(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon < 1 {
		return false
	}
	for i, c := range s[:colon] {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !(letter || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	for _, c := range s {
		if c <= ' ' || c >= 0x7f || strings.ContainsRune(`"<>\^{|}`+"`", c) {
			return false
		}
	}
	return true
}
