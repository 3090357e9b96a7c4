package s3

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/minio/minio-go/v7"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/units"
	"github.com/troveproject/trove/internal/uuid"
)

// Remote is an S3 special remote. It is safe for concurrent use: every
// operation is one or a few independent HTTP requests, over a shared pool
// of connections. The client is made on first use, so opening a remote
// needs neither the network nor credentials.
type Remote struct {
	name string
	uuid uuid.UUID
	cost float64
	s    settings
	host remote.Host

	mu     sync.Mutex
	client *minio.Client
}

// New returns the S3 remote p describes. It does no I/O; a bad setting
// is an error naming it.
func New(p remote.Params) (*Remote, error) {
	s, err := parseSettings(p.Name, p.Config)
	if err != nil {
		return nil, err
	}
	if s.bucket == "" {
		s.bucket = strings.ToLower(DefaultBucket(p.Name, p.UUID))
	}
	cost := p.Cost
	if cost == 0 {
		cost = remote.ExpensiveCost
	}
	return &Remote{name: p.Name, uuid: p.UUID, cost: cost, s: s, host: p.Host}, nil
}

// Name implements remote.Remote.
func (r *Remote) Name() string { return r.name }

// UUID implements remote.Remote.
func (r *Remote) UUID() uuid.UUID { return r.uuid }

// Cost implements remote.Remote.
func (r *Remote) Cost() float64 { return r.cost }

// Bucket returns the bucket the remote stores in.
func (r *Remote) Bucket() string { return r.s.bucket }

// conn returns the client, making it on first use from the credentials
// of the environment or the Host.
func (r *Remote) conn(ctx context.Context) (*minio.Client, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.client != nil {
		return r.client, nil
	}
	id, secret, token, err := lookupCreds(ctx, r.name, r.s, r.host)
	if err != nil {
		return nil, err
	}
	c, err := newClient(r.s, id, secret, token)
	if err != nil {
		return nil, remote.Permanent(fmt.Errorf("remote %s: %w", r.name, err))
	}
	r.client = c
	return c, nil
}

// Store implements remote.Remote: one PUT of the object (a multipart
// upload when partsize= is set and the content is larger), which S3 makes
// visible only when complete. Storing over an existing object replaces
// it with the same content.
func (r *Remote) Store(ctx context.Context, k key.Key, src remote.Source, m progress.Meter) error {
	return r.put(ctx, r.s.object(k.String()), src, m)
}

// put uploads src as object.
func (r *Remote) put(ctx context.Context, object string, src remote.Source, m progress.Meter) error {
	_, err := r.putInfo(ctx, object, src, m)
	return err
}

// putInfo uploads src as object and returns what the server said of the
// new object (its ETag, and version ID in a versioned bucket).
func (r *Remote) putInfo(ctx context.Context, object string, src remote.Source, m progress.Meter) (minio.UploadInfo, error) {
	if err := ctx.Err(); err != nil {
		return minio.UploadInfo{}, fmt.Errorf("store %s in bucket %s: %w", object, r.s.bucket, err)
	}
	c, err := r.conn(ctx)
	if err != nil {
		return minio.UploadInfo{}, err
	}
	f, err := src.Open()
	if err != nil {
		return minio.UploadInfo{}, fmt.Errorf("store %s: open %s: %w", object, src.Path, err)
	}
	defer f.Close()
	size := src.Size
	if size < 0 {
		if size, err = f.Seek(0, io.SeekEnd); err == nil {
			_, err = f.Seek(0, io.SeekStart)
		}
		if err != nil {
			return minio.UploadInfo{}, fmt.Errorf("store %s: %s: %w", object, src.Path, err)
		}
	}
	m.SetTotal(size)
	info, err := c.PutObject(ctx, r.s.bucket, object, f, size, r.putOptions(size, m))
	return info, r.classify(ctx, "store", object, err)
}

// putOptions are the headers and upload mode of an object of size bytes.
func (r *Remote) putOptions(size int64, m progress.Meter) minio.PutObjectOptions {
	opts := minio.PutObjectOptions{
		StorageClass:     r.s.storageClass,
		Progress:         meterReader{m},
		DisableMultipart: r.s.partSize == 0 || size <= r.s.partSize,
		PartSize:         uint64(r.s.partSize),
	}
	if len(r.s.metadata) > 0 || r.s.public {
		opts.UserMetadata = map[string]string{}
		for k, v := range r.s.metadata {
			opts.UserMetadata[k] = v
		}
		if r.s.public {
			opts.UserMetadata["x-amz-acl"] = "public-read"
		}
	}
	return opts
}

// Retrieve implements remote.Remote, resuming at dst.Offset() with a
// ranged GET. With versioning=yes it gets the version recorded for k when
// there is one (so a versioned export serves keys whose files are no
// longer exported); a versioned export with none recorded does not have
// k (the error wraps remote.ErrNotPresent).
func (r *Remote) Retrieve(ctx context.Context, k key.Key, dst remote.Sink, m progress.Meter) error {
	object, p, err := r.keyVersion(ctx, k)
	if err != nil {
		return err
	}
	return r.get(ctx, object, p, dst, m)
}

// pin names the version of an object a download gets; the zero value
// is the current one.
type pin struct {
	// versionID, when set, is the version ID in a versioned bucket.
	versionID string
	// etag, when set, is the ETag (without quotes) the object must
	// have: the GET is conditional (If-Match), and the ETag of the
	// response is checked too, for servers that ignore the condition.
	etag string
}

// describe names the object, and the version when pinned, for errors.
func (p pin) describe(object string) string {
	if p.versionID != "" {
		return "version " + p.versionID + " of " + object
	}
	return object
}

// options are the GET options of the pinned version from byte off.
func (p pin) options(off int64) (minio.GetObjectOptions, error) {
	opts := minio.GetObjectOptions{VersionID: p.versionID}
	if p.etag != "" {
		if err := opts.SetMatchETag(p.etag); err != nil {
			return opts, err
		}
	}
	if off > 0 {
		if err := opts.SetRange(off, 0); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

// get downloads the version of object p names into dst, resuming at
// dst.Offset() with a ranged GET (a version never changes, so the bytes
// already in dst stay valid). When p names an ETag the object no longer
// has, the error wraps remote.ErrContentChanged.
func (r *Remote) get(ctx context.Context, object string, p pin, dst remote.Sink, m progress.Meter) error {
	c, err := r.conn(ctx)
	if err != nil {
		return err
	}
	what := p.describe(object)
	core := minio.Core{Client: c}
	off := dst.Offset()
	opts, err := p.options(off)
	if err != nil {
		return fmt.Errorf("retrieve %s: %w", what, err)
	}
	body, info, _, err := core.GetObject(ctx, r.s.bucket, object, opts)
	if err != nil && off > 0 && minio.ToErrorResponse(err).Code == "InvalidRange" {
		// The sink holds at least the whole object: start again.
		if err := dst.Restart(); err != nil {
			return err
		}
		off = 0
		opts, _ = p.options(0)
		body, info, _, err = core.GetObject(ctx, r.s.bucket, object, opts)
	}
	if err != nil {
		if minio.ToErrorResponse(err).StatusCode == http.StatusPreconditionFailed {
			return r.changed(object, "")
		}
		return r.classify(ctx, "retrieve", what, err)
	}
	defer body.Close()
	if have := r.contentID("", info.ETag); p.etag != "" && have != remote.ContentID("#"+p.etag) {
		return r.changed(object, have)
	}
	m.SetTotal(off + info.Size)
	if _, err := copyMetered(dst, body, m); err != nil {
		return r.classify(ctx, "retrieve", what, err)
	}
	return nil
}

// CheckPresent implements remote.Remote with a HEAD of the object, or of
// the version recorded for k, as Retrieve chooses.
func (r *Remote) CheckPresent(ctx context.Context, k key.Key) (bool, error) {
	object, p, err := r.keyVersion(ctx, k)
	if isNotPresent(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return r.present(ctx, object, p)
}

// present reports whether the version of object p names exists.
func (r *Remote) present(ctx context.Context, object string, p pin) (bool, error) {
	c, err := r.conn(ctx)
	if err != nil {
		return false, err
	}
	_, err = c.StatObject(ctx, r.s.bucket, object, minio.StatObjectOptions{VersionID: p.versionID})
	if err == nil {
		return true, nil
	}
	err = r.classify(ctx, "check presence of", p.describe(object), err)
	if isNotPresent(err) {
		return false, nil
	}
	return false, err
}

// Remove implements remote.Remote with a DELETE of the object; S3
// answers a DELETE of a missing object with success.
func (r *Remote) Remove(ctx context.Context, k key.Key) error {
	return r.remove(ctx, r.s.object(k.String()))
}

// remove deletes object.
func (r *Remote) remove(ctx context.Context, object string) error {
	c, err := r.conn(ctx)
	if err != nil {
		return err
	}
	err = r.classify(ctx, "remove", object, c.RemoveObject(ctx, r.s.bucket, object, minio.RemoveObjectOptions{}))
	if isNotPresent(err) {
		return nil
	}
	return err
}

// Whereis implements remote.Whereiser: the public URL of k's object for
// public=yes remotes (from publicurl=, or AWS's URL for the bucket). An
// export has no object per key: with versioning=yes the URLs are those of
// the versions recorded for k ("?versionId=" added), else there are none.
func (r *Remote) Whereis(ctx context.Context, k key.Key) ([]string, error) {
	if r.s.exportTree {
		vs, err := r.versions(ctx, k)
		if err != nil {
			return nil, err
		}
		var urls []string
		for _, v := range vs {
			if u := r.s.publicURLFor(v.object); u != "" {
				urls = append(urls, u+"?versionId="+v.id)
			}
		}
		return urls, nil
	}
	if u := r.s.publicURLFor(r.s.object(k.String())); u != "" {
		return []string{u}, nil
	}
	return nil, nil
}

// Type implements remote.InfoReporter.
func (r *Remote) Type() string { return "S3" }

// Info implements remote.InfoReporter with the lines git-annex's info
// shows for S3 remotes.
func (r *Remote) Info() []remote.InfoField {
	partsize := "unlimited"
	if r.s.partSize > 0 {
		partsize = units.LongSize(r.s.partSize)
	}
	protocol := "http"
	if r.s.secure {
		protocol = "https"
	}
	return []remote.InfoField{
		{Name: "creds", Value: r.credsInfo()},
		{Name: "bucket", Value: r.s.bucket},
		{Name: "endpoint", Value: r.s.host},
		{Name: "port", Value: fmt.Sprint(r.s.port)},
		{Name: "protocol", Value: protocol},
		{Name: "storage class", Value: r.s.storageClass},
		{Name: "partsize", Value: partsize},
		{Name: "public", Value: yesNoString(r.s.public)},
		{Name: "versioning", Value: yesNoString(r.s.versioning)},
	}
}

// credsInfo says where the remote's credentials come from, in git-annex's
// words: the environment, remote.log, the local creds file, or nowhere.
func (r *Remote) credsInfo() string {
	if _, _, _, ok := envCreds(); ok {
		return "from environment variables (" + EnvAccessKey + " " + EnvSecretKey + ")"
	}
	if r.s.embedded != "" {
		return "embedded in git repository (" + r.s.embedded + ")"
	}
	if r.host != nil {
		if _, _, ok, err := r.host.Creds(context.Background(), ""); ok && err == nil {
			return "stored locally"
		}
	}
	return "not available"
}

func yesNoString(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// meterReader is minio-go's progress hook: it is handed every chunk of
// the body as it is sent.
type meterReader struct{ m progress.Meter }

func (r meterReader) Read(p []byte) (int, error) {
	r.m.Add(int64(len(p)))
	return len(p), nil
}

// copyMetered copies src to dst, reporting the bytes to m.
func copyMetered(dst io.Writer, src io.Reader, m progress.Meter) (int64, error) {
	return io.Copy(meterWriter{dst, m}, src)
}

// meterWriter reports what passes through it to a meter.
type meterWriter struct {
	w io.Writer
	m progress.Meter
}

func (w meterWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	w.m.Add(int64(n))
	return n, err
}

var (
	_ remote.Remote       = (*Remote)(nil)
	_ remote.Whereiser    = (*Remote)(nil)
	_ remote.InfoReporter = (*Remote)(nil)
)
