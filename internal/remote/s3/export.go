package s3

import (
	"context"

	"github.com/minio/minio-go/v7"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// exportObject is the object an exported file at loc is: fileprefix + the
// path in the tree.
func (r *Remote) exportObject(loc remote.ExportLocation) string {
	return r.s.object(loc.String())
}

// StoreExport implements remote.Exporter: one PUT (or multipart upload)
// of the file's object, visible only when complete. With versioning=yes
// the version ID S3 gives the new object is recorded for k.
func (r *Remote) StoreExport(ctx context.Context, src remote.Source, k key.Key, loc remote.ExportLocation, m progress.Meter) error {
	_, err := r.storeExport(ctx, src, k, r.exportObject(loc), m)
	return err
}

// storeExport uploads src (k's content) as object and records its
// version for k.
func (r *Remote) storeExport(ctx context.Context, src remote.Source, k key.Key, object string, m progress.Meter) (minio.UploadInfo, error) {
	info, err := r.putInfo(ctx, object, src, m)
	if err != nil {
		return info, err
	}
	return info, r.recordVersion(ctx, k, object, info.VersionID)
}

// RetrieveExport implements remote.Exporter.
func (r *Remote) RetrieveExport(ctx context.Context, k key.Key, loc remote.ExportLocation, dst remote.Sink, m progress.Meter) error {
	return r.get(ctx, r.exportObject(loc), pin{}, dst, m)
}

// CheckPresentExport implements remote.Exporter.
func (r *Remote) CheckPresentExport(ctx context.Context, k key.Key, loc remote.ExportLocation) (bool, error) {
	return r.present(ctx, r.exportObject(loc), pin{})
}

// RemoveExport implements remote.Exporter. On a versioned remote it
// refuses when no version of k is recorded (the object might be the only
// copy of k's content); else the deletion leaves the recorded versions.
func (r *Remote) RemoveExport(ctx context.Context, k key.Key, loc remote.ExportLocation) error {
	if err := r.checkVersioned(ctx, k); err != nil {
		return err
	}
	return r.remove(ctx, r.exportObject(loc))
}

// RemoveExportDirectory implements remote.Exporter: S3 has no
// directories, so there is nothing to remove.
func (r *Remote) RemoveExportDirectory(ctx context.Context, dir remote.ExportLocation) error {
	return nil
}

// RenameExport implements remote.Exporter as git-annex does on S3: a
// server-side copy to the new name, then a delete of the old one (which
// RemoveExport's check for versioned remotes guards).
func (r *Remote) RenameExport(ctx context.Context, k key.Key, from, to remote.ExportLocation) (bool, error) {
	if err := r.checkVersioned(ctx, k); err != nil {
		return true, err
	}
	c, err := r.conn(ctx)
	if err != nil {
		return true, err
	}
	src, dst := r.exportObject(from), r.exportObject(to)
	_, err = c.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: r.s.bucket, Object: dst},
		minio.CopySrcOptions{Bucket: r.s.bucket, Object: src})
	if err != nil {
		return true, r.classify(ctx, "rename "+src+" to", dst, err)
	}
	return true, r.remove(ctx, src)
}

// VersionedExport implements remote.VersionedExporter: a bucket with
// versioning=yes keeps every version it was sent.
func (r *Remote) VersionedExport() bool { return r.s.versioning }

var (
	_ remote.Exporter          = (*Remote)(nil)
	_ remote.VersionedExporter = (*Remote)(nil)
)
