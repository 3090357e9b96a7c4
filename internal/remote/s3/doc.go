// Package s3 is the S3 special remote: annexed content kept as objects in
// a bucket of Amazon S3 or any S3-compatible server (MinIO, Ceph, ...),
// laid out and configured exactly as git-annex's S3 remote, so that either
// program reads what the other stored.
//
// Layout: each key is one object named fileprefix + the key (flat, no hash
// directories, no escaping; an encrypted or chunked remote stores the
// encrypted or chunk keys the decorators give it). The bucket holds an
// object fileprefix + "annex-uuid" whose content is the remote's UUID;
// initremote creates the bucket and the marker, and refuses a bucket whose
// marker names another remote. An S3 PUT is atomic, so no partial object
// is ever visible; a multipart upload (partsize=) becomes visible only
// when completed, and is aborted when it fails.
//
// Configuration is git-annex's: bucket (default <name>-<uuid>, lower
// case), fileprefix, host, port, protocol, requeststyle=path, signature
// (v2, the default, v4 or anonymous), datacenter or region, storageclass,
// partsize, public, publicurl, versioning and x-amz-meta-* headers.
// Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and
// AWS_SESSION_TOKEN), else from the creds the Host stored at initremote
// or enableremote (.git/annex/creds/UUID or s3creds= in remote.log).
//
// The client is minio-go, which signs with AWS signature v2 or v4 and
// retries requests that fail with 5xx errors or dropped connections; the
// errors it finally returns are classified for the transfer engine:
// server errors and lost connections wrap remote.ErrUnavailable (worth a
// retry), refused credentials and missing buckets are remote.Permanent.
package s3
