package s3

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/minio/minio-go/v7"

	"github.com/troveproject/trove/internal/remote"
)

// classify turns a client error of op (on object, "" for the bucket) into
// the error the remote returns: cancellation wraps the context's error,
// a missing object remote.ErrNotPresent, refused credentials and missing
// buckets are remote.Permanent with the next step to take, server errors
// and lost connections wrap remote.ErrUnavailable (retryable).
func (r *Remote) classify(ctx context.Context, op, object string, err error) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf("%s %s in bucket %s on %s", op, object, r.s.bucket, r.s.endpoint())
	if object == "" {
		what = fmt.Sprintf("%s bucket %s on %s", op, r.s.bucket, r.s.endpoint())
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", what, ctx.Err())
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.StatusCode == 0 && resp.Code == "":
		// Not an S3 answer: the connection failed or was dropped.
		return fmt.Errorf("%s: %v (is the server up? check host= and port= with `git annex info %s`): %w", what, err, r.name, remote.ErrUnavailable)
	case resp.Code == minio.NoSuchBucket:
		return remote.Permanent(fmt.Errorf("%s: the bucket does not exist (check bucket= with `git annex info %s`; initremote creates it)", what, r.name))
	case resp.Code == minio.NoSuchKey || resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%s: %w", what, remote.ErrNotPresent)
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized ||
		resp.Code == "InvalidAccessKeyId" || resp.Code == "SignatureDoesNotMatch" || resp.Code == minio.AccessDenied:
		return remote.Permanent(fmt.Errorf("%s: the server refused the credentials (%s: %s); set %s and %s to credentials it accepts, and signature= to what it expects (now %s)",
			what, resp.Code, resp.Message, EnvAccessKey, EnvSecretKey, r.s.signature))
	case resp.StatusCode >= 500:
		return fmt.Errorf("%s: server error %d (%s): %w", what, resp.StatusCode, resp.Code, remote.ErrUnavailable)
	}
	return remote.Permanent(fmt.Errorf("%s: %w", what, err))
}

// isNotPresent reports whether err says the object is absent.
func isNotPresent(err error) bool { return errors.Is(err, remote.ErrNotPresent) }
