package s3

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/troveproject/trove/internal/remote"
)

// Credential environment variables, as git-annex and the AWS tools read
// them.
const (
	EnvAccessKey    = "AWS_ACCESS_KEY_ID"
	EnvSecretKey    = "AWS_SECRET_ACCESS_KEY"
	EnvSessionToken = "AWS_SESSION_TOKEN"
)

// maxRetries is how often the client tries a request that fails with a
// server error or a lost connection before giving up (the transfer
// engine may try the whole transfer again).
const maxRetries = 4

// ErrNoCreds is wrapped by the error for a remote that needs credentials
// and has none, neither in the environment nor stored.
var ErrNoCreds = errors.New("Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use S3")

// envCreds returns the credentials in the environment, if both the key id
// and the secret are set.
func envCreds() (id, secret, token string, ok bool) {
	id, secret = os.Getenv(EnvAccessKey), os.Getenv(EnvSecretKey)
	return id, secret, os.Getenv(EnvSessionToken), id != "" && secret != ""
}

// lookupCreds returns the credentials to sign with: the environment
// first, then what the Host stored (git-annex's order). A remote with
// signature=anonymous needs none.
func lookupCreds(ctx context.Context, name string, s settings, h remote.Host) (id, secret, token string, err error) {
	if s.signature == SignatureAnonymous {
		return "", "", "", nil
	}
	if id, secret, token, ok := envCreds(); ok {
		return id, secret, token, nil
	}
	if h != nil {
		id, secret, ok, err := h.Creds(ctx, "")
		if err != nil {
			return "", "", "", err
		}
		if ok {
			return id, secret, "", nil
		}
	}
	return "", "", "", remote.Permanent(fmt.Errorf("remote %s: %w (or run `git annex enableremote %s` with them set, to store them)", name, ErrNoCreds, name))
}

// newClient returns a client of the remote's server signing as s says.
// It does no I/O.
func newClient(s settings, id, secret, token string) (*minio.Client, error) {
	var creds *credentials.Credentials
	switch s.signature {
	case SignatureAnonymous:
		creds = credentials.NewStatic("", "", "", credentials.SignatureAnonymous)
	case SignatureV4:
		creds = credentials.NewStaticV4(id, secret, token)
	default:
		creds = credentials.NewStaticV2(id, secret, token)
	}
	tr, err := minio.DefaultTransport(s.secure)
	if err != nil {
		return nil, err
	}
	// -J workers each keep a connection to the one server.
	tr.MaxIdleConnsPerHost = 64
	tr.MaxIdleConns = 256
	lookup := minio.BucketLookupDNS
	if s.pathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(s.endpoint(), &minio.Options{
		Creds:        creds,
		Secure:       s.secure,
		Transport:    http.RoundTripper(tr),
		Region:       s.region,
		BucketLookup: lookup,
		MaxRetries:   maxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("S3 endpoint %s: %w", s.endpoint(), err)
	}
	return c, nil
}
