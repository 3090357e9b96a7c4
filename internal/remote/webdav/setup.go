package webdav

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Type is the webdav special remote type.
var Type = &remote.Type{
	Name:        "webdav",
	DefaultCost: remote.ExpensiveCost,
	Setup:       setup,
	New:         newRemote,
}

// Configuration fields and environment variables, as git-annex names them.
const (
	// URLField is url=, the WebDAV collection the remote stores in; kept
	// in remote.log.
	URLField = "url"
	// CredsField is davcreds=, the credentials embedded in remote.log
	// (embedcreds=yes).
	CredsField = "davcreds"
	// EnvUser and EnvPassword are the environment variables that give
	// the login, ahead of any stored one.
	EnvUser     = "WEBDAV_USERNAME"
	EnvPassword = "WEBDAV_PASSWORD"

	gitMarker = "annex-webdav" // remote.NAME.annex-webdav=true
)

// envCreds returns the login from the environment when both variables
// are set.
func envCreds() (user, password string, ok bool) {
	user, uok := os.LookupEnv(EnvUser)
	password, pok := os.LookupEnv(EnvPassword)
	return user, password, uok && pok
}

// HostCredentials returns the credentials of remote name in git-annex's
// order: the environment, then what h has stored. With none, the error is
// permanent and says how to give them.
func HostCredentials(h remote.Host, name string) Credentials {
	return func(ctx context.Context) (string, string, error) {
		if u, p, ok := envCreds(); ok {
			return u, p, nil
		}
		u, p, ok, err := h.Creds(ctx, "")
		if err != nil {
			return "", "", remote.Permanent(fmt.Errorf("webdav remote %s: %w", name, err))
		}
		if !ok {
			return "", "", remote.Permanent(fmt.Errorf("webdav remote %s: no credentials; set %s and %s and run `git annex enableremote %s` to store them", name, EnvUser, EnvPassword, name))
		}
		return u, p, nil
	}
}

// setup requires url= and a login (from the environment or stored), tests
// the server by writing and deleting a file (making the url's collection
// when missing), and stores the login as git-annex does: locally, and in
// remote.log as davcreds= with embedcreds=yes.
func setup(ctx context.Context, mode remote.SetupMode, u uuid.UUID, cfg remote.Config, h remote.Host) (remote.SetupResult, error) {
	out := remote.Config{}
	for k, v := range cfg {
		out[k] = v
	}
	if mode == remote.Reconfigure {
		return remote.SetupResult{Config: out}, nil
	}
	rawURL := cfg[URLField]
	if rawURL == "" {
		return remote.SetupResult{}, fmt.Errorf("Specify url=")
	}
	name := cfg.Get("name", cfg["sameas-name"])
	user, password, ok := envCreds()
	if !ok {
		var err error
		user, password, ok, err = h.Creds(ctx, "")
		if err != nil {
			return remote.SetupResult{}, err
		}
	}
	if !ok {
		return remote.SetupResult{}, fmt.Errorf("Need to configure webdav username and password. (set %s and %s, then run this command again)", EnvUser, EnvPassword)
	}
	c, err := newClient(name, rawURL, func(context.Context) (string, string, error) { return user, password, nil }, nil)
	if err != nil {
		return remote.SetupResult{}, err
	}
	c.next = "run this command again"
	if err := testServer(ctx, c); err != nil {
		return remote.SetupResult{}, fmt.Errorf("WebDAV test failed: %w", err)
	}
	if err := h.SetCreds(ctx, "", user, password); err != nil {
		return remote.SetupResult{}, err
	}
	if embedPlain(out) {
		out[CredsField] = base64.StdEncoding.EncodeToString([]byte(user + "\n" + password + "\n"))
	}
	return remote.SetupResult{Config: out, GitConfig: map[string]string{gitMarker: "true"}}, nil
}

// embedPlain reports whether the login goes into remote.log unencrypted:
// embedcreds=yes on a remote without a cipher. (With a cipher the Host
// embeds it encrypted, or refuses.)
func embedPlain(cfg remote.Config) bool {
	_, cipher := cfg["cipher"]
	return cfg["embedcreds"] == "yes" && !cipher
}

// testServer makes the url's collections, then writes and deletes a test
// file, as git-annex's testDav.
func testServer(ctx context.Context, c *client) error {
	c.mkbase(ctx)
	loc := tmpPrefix + "test"
	if _, err := c.call(ctx, request{method: http.MethodPut, loc: loc, body: strings.NewReader("test"), size: 4},
		http.StatusCreated, http.StatusNoContent, http.StatusOK); err != nil {
		return err
	}
	_, err := c.call(ctx, request{method: http.MethodDelete, loc: loc}, http.StatusNoContent, http.StatusOK)
	return err
}

// newRemote opens a webdav remote: url= from remote.log, the login from
// the environment or the repository on first use.
func newRemote(ctx context.Context, p remote.Params) (remote.Remote, error) {
	rawURL := p.Config[URLField]
	if rawURL == "" {
		return nil, fmt.Errorf("webdav remote %s has no url= in remote.log; set it with `git annex enableremote %s url=URL`", p.Name, p.Name)
	}
	return New(p, rawURL, HostCredentials(p.Host, p.Name), httpClient)
}

// httpClient is shared by the webdav remotes of a process; it keeps
// enough idle connections for parallel transfers (-J) to reuse them.
var httpClient = func() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: t}
}()
