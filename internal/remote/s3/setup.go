package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"

	"github.com/minio/minio-go/v7"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Type is the S3 special remote type (type=S3).
var Type = &remote.Type{
	Name:        "S3",
	DefaultCost: remote.ExpensiveCost,
	Setup:       setup,
	New: func(ctx context.Context, p remote.Params) (remote.Remote, error) {
		return New(p)
	},
}

// ErrBucketInUse is wrapped by initremote's error for a bucket whose
// annex-uuid marker names another remote.
var ErrBucketInUse = errors.New("The bucket already exists, and its annex-uuid file indicates it is used by a different special remote. Cannot reuse this bucket.")

// setup completes cfg as git-annex's S3 setup does: at initremote the
// defaults it records (bucket, datacenter, host, port, storageclass), the
// credentials from the environment stored through the Host (which embeds
// them in remote.log when embedcreds applies), then the bucket is created when missing and its
// annex-uuid marker written, or checked when present.
func setup(ctx context.Context, mode remote.SetupMode, u uuid.UUID, cfg remote.Config, h remote.Host) (remote.SetupResult, error) {
	out := maps.Clone(cfg)
	name := cfg.Get("name", cfg["sameas-name"])
	if mode == remote.Init {
		port := "80"
		if cfg[ProtocolField] == "https" {
			port = "443"
		}
		for f, v := range map[string]string{
			BucketField:       DefaultBucket(name, u),
			DatacenterField:   DefaultDatacenter,
			HostField:         DefaultHost,
			PortField:         port,
			StorageClassField: DefaultStorageClass,
		} {
			if _, ok := out[f]; !ok {
				out[f] = v
			}
		}
	}
	s, err := parseSettings(name, out)
	if err != nil {
		return remote.SetupResult{}, err
	}
	if mode == remote.Init && s.exportTree && s.importTree && !s.versioning {
		return remote.SetupResult{}, errUnversionedImport
	}
	res := remote.SetupResult{Config: out, GitConfig: map[string]string{"annex-s3": "true"}}
	if mode == remote.Reconfigure || s.signature == SignatureAnonymous {
		return res, nil
	}
	if id, secret, _, ok := envCreds(); ok {
		// The Host caches them in .git/annex/creds and embeds them in
		// remote.log (s3creds=) when embedcreds applies, encrypted with
		// the remote's cipher if it has one.
		if err := h.SetCreds(ctx, "", id, secret); err != nil {
			return remote.SetupResult{}, err
		}
	} else if mode == remote.Init {
		return remote.SetupResult{}, fmt.Errorf("%w (then run `git annex initremote %s` again)", ErrNoCreds, name)
	}
	if mode != remote.Init {
		return res, nil
	}
	r := &Remote{name: name, uuid: u, s: s, host: h}
	if err := r.makeBucket(ctx); err != nil {
		return remote.SetupResult{}, err
	}
	return res, nil
}

// makeBucket creates the bucket when it does not exist (with versioning
// when versioning=yes) and writes the annex-uuid marker, or checks that
// an existing marker names this remote. Export and import remotes have
// no marker.
func (r *Remote) makeBucket(ctx context.Context) error {
	c, err := r.conn(ctx)
	if err != nil {
		return err
	}
	ok, err := c.BucketExists(ctx, r.s.bucket)
	if err != nil {
		return r.classify(ctx, "check", "", err)
	}
	if !ok {
		loc := r.s.region
		if loc == "us-east-1" {
			loc = ""
		}
		if err := c.MakeBucket(ctx, r.s.bucket, minio.MakeBucketOptions{Region: loc}); err != nil {
			return r.classify(ctx, "create", "", err)
		}
	}
	if r.s.versioning {
		if err := c.EnableVersioning(ctx, r.s.bucket); err != nil {
			return r.classify(ctx, "enable versioning of", "", err)
		}
	}
	if r.s.exportTree || r.s.importTree {
		return nil
	}
	return r.claimBucket(ctx, c)
}

// claimBucket writes the annex-uuid marker, or checks the one there.
func (r *Remote) claimBucket(ctx context.Context, c *minio.Client) error {
	marker := r.s.uuidObject()
	body, _, _, err := minio.Core{Client: c}.GetObject(ctx, r.s.bucket, marker, minio.GetObjectOptions{})
	if err == nil {
		defer body.Close()
		have, err := io.ReadAll(io.LimitReader(body, 1024))
		if err != nil {
			return r.classify(ctx, "read", marker, err)
		}
		if !bytes.Equal(have, []byte(r.uuid)) {
			return fmt.Errorf("bucket %s on %s: %w (its %s names %s; pick another with bucket=NAME)", r.s.bucket, r.s.endpoint(), ErrBucketInUse, marker, have)
		}
		return nil
	}
	if err := r.classify(ctx, "read", marker, err); !isNotPresent(err) {
		return err
	}
	data := []byte(r.uuid)
	_, err = c.PutObject(ctx, r.s.bucket, marker, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{StorageClass: r.s.storageClass, DisableMultipart: true})
	return r.classify(ctx, "write", marker, err)
}

// errUnversionedImport is git-annex's refusal of an export and import
// remote on an unversioned bucket, where an export could overwrite what
// someone else put in the bucket before it is imported.
var errUnversionedImport = errors.New("Combining exporttree=yes and importtree=yes with an unversioned S3 bucket is not safe; exporting can overwrite other modifications to files in the bucket. Recommend you add versioning=yes.")
