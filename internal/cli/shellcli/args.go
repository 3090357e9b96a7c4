package shellcli

import (
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strings"
)

// request is one parsed git-annex-shell invocation.
type request struct {
	cmd  string
	dir  string
	args []string // positional parameters after the directory
	// uuid is the --uuid the client expects the repository to have.
	uuid   string
	fields map[string]string
}

// parseRequest reads "CMD DIR [PARAMS...] [--uuid U] [--debug] [-- field=value ... --]".
func parseRequest(words []string) (request, error) {
	if len(words) < 2 {
		return request{}, errors.New("bad parameters")
	}
	rq := request{cmd: words[0], dir: words[1], fields: map[string]string{}}
	rest := words[2:]
	for i := 0; i < len(rest); i++ {
		w := rest[i]
		switch {
		case w == "--":
			for i++; i < len(rest) && rest[i] != "--"; i++ {
				if name, value, ok := strings.Cut(rest[i], "="); ok {
					rq.fields[name] = value
				}
			}
		case w == "--uuid" && i+1 < len(rest):
			i++
			rq.uuid = rest[i]
		case strings.HasPrefix(w, "--uuid="):
			rq.uuid = strings.TrimPrefix(w, "--uuid=")
		case strings.HasPrefix(w, "--") && len(w) > 2:
			// --debug, --quiet, --force, --fast: no effect on the server.
		default:
			rq.args = append(rq.args, w)
		}
	}
	return rq, nil
}

// resolveDir turns the directory a client names into a path: "/~/" and
// "~/" start at the home directory, "/~user/" and "~user/" at user's, and
// a relative path is relative to the home directory.
func resolveDir(dir string) (string, error) {
	d := strings.TrimPrefix(dir, "/~")
	if d != dir || strings.HasPrefix(dir, "~") {
		d = strings.TrimPrefix(d, "~")
		name, rest, _ := strings.Cut(d, "/")
		home, err := homeOf(name)
		if err != nil {
			return "", err
		}
		return filepath.Join(home, rest), nil
	}
	if filepath.IsAbs(dir) {
		return filepath.Clean(dir), nil
	}
	home, err := homeOf("")
	if err != nil {
		return "", err
	}
	return filepath.Join(home, dir), nil
}

func homeOf(name string) (string, error) {
	if name == "" {
		return os.UserHomeDir()
	}
	u, err := user.Lookup(name)
	if err != nil {
		return "", err
	}
	return u.HomeDir, nil
}

// splitShellWords splits a command line given with -c into words as a
// POSIX shell would: single quotes, double quotes (with \ escaping " \ $
// and `), and backslash escapes outside quotes.
func splitShellWords(s string) ([]string, error) {
	var words []string
	var b strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated quote")
			}
			b.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New("unterminated quote")
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
			inWord = true
		default:
			b.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, b.String())
	}
	return words, nil
}
