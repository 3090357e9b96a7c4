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
// of the file's object, visible only when complete.
func (r *Remote) StoreExport(ctx context.Context, src remote.Source, k key.Key, loc remote.ExportLocation, m progress.Meter) error {
	return r.put(ctx, r.exportObject(loc), src, m)
}

// RetrieveExport implements remote.Exporter.
func (r *Remote) RetrieveExport(ctx context.Context, k key.Key, loc remote.ExportLocation, dst remote.Sink, m progress.Meter) error {
	return r.get(ctx, r.exportObject(loc), pin{}, dst, m)
}

// CheckPresentExport implements remote.Exporter.
func (r *Remote) CheckPresentExport(ctx context.Context, k key.Key, loc remote.ExportLocation) (bool, error) {
	return r.present(ctx, r.exportObject(loc))
}

// RemoveExport implements remote.Exporter.
func (r *Remote) RemoveExport(ctx context.Context, k key.Key, loc remote.ExportLocation) error {
	return r.remove(ctx, r.exportObject(loc))
}

// RemoveExportDirectory implements remote.Exporter: S3 has no
// directories, so there is nothing to remove.
func (r *Remote) RemoveExportDirectory(ctx context.Context, dir remote.ExportLocation) error {
	return nil
}

// RenameExport implements remote.Exporter as git-annex does on S3: a
// server-side copy to the new name, then a delete of the old one.
func (r *Remote) RenameExport(ctx context.Context, k key.Key, from, to remote.ExportLocation) (bool, error) {
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
