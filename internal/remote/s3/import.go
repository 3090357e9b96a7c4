package s3

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/minio/minio-go/v7"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// contentID is git-annex's content identifier of an object version: the
// version ID in a versioned bucket, else "#" + the ETag without quotes.
func (r *Remote) contentID(versionID, etag string) remote.ContentID {
	if r.s.versioning && versionID != "" {
		return remote.ContentID(versionID)
	}
	return remote.ContentID("#" + strings.Trim(etag, `"`))
}

// ListImportable implements remote.Importer: every object under
// fileprefix whose name is a valid location, except the files of an
// export in progress.
func (r *Remote) ListImportable(ctx context.Context) ([]remote.ImportableFile, error) {
	c, err := r.conn(ctx)
	if err != nil {
		return nil, err
	}
	var files []remote.ImportableFile
	// In a versioned bucket only a listing of versions has their IDs.
	opts := minio.ListObjectsOptions{Prefix: r.s.prefix, Recursive: true, WithVersions: r.s.versioning}
	for o := range c.ListObjects(ctx, r.s.bucket, opts) {
		if o.Err != nil {
			return nil, r.classify(ctx, "list", r.s.prefix+"*", o.Err)
		}
		if r.s.versioning && (!o.IsLatest || o.IsDeleteMarker) {
			continue
		}
		name := strings.TrimPrefix(o.Key, r.s.prefix)
		if remote.IsTempExportName(name) {
			continue
		}
		loc, err := remote.NewExportLocation(name)
		if err != nil {
			continue
		}
		files = append(files, remote.ImportableFile{Loc: loc, CID: r.contentID(o.VersionID, o.ETag), Size: o.Size})
	}
	return files, nil
}

// currentID returns the content identifier of the object at loc, or ""
// when there is none.
func (r *Remote) currentID(ctx context.Context, c *minio.Client, object string) (remote.ContentID, error) {
	info, err := c.StatObject(ctx, r.s.bucket, object, minio.StatObjectOptions{})
	if err != nil {
		if err = r.classify(ctx, "check", object, err); isNotPresent(err) {
			return "", nil
		}
		return "", err
	}
	return r.contentID(info.VersionID, info.ETag), nil
}

// changed is the error for an object that is not the version named;
// have is its content identifier now, or "" when unknown.
func (r *Remote) changed(object string, have remote.ContentID) error {
	now := "has changed"
	if have != "" {
		now = fmt.Sprintf("is now %q", have)
	}
	return fmt.Errorf("%s in bucket %s %s, not a version this repository knows (run `git annex import` to record it): %w",
		object, r.s.bucket, now, remote.ErrContentChanged)
}

// RetrieveImport implements remote.Importer with one GET of the version
// cid names: by its version ID in a versioned bucket, else conditional on
// its ETag, so that a change on the remote is never taken for it.
func (r *Remote) RetrieveImport(ctx context.Context, loc remote.ExportLocation, cid remote.ContentID, dst remote.Sink, m progress.Meter) error {
	object := r.exportObject(loc)
	if etag, ok := strings.CutPrefix(string(cid), "#"); ok {
		return r.get(ctx, object, pin{etag: etag}, dst, m)
	}
	if !r.s.versioning {
		return fmt.Errorf("retrieve %s in bucket %s: content identifier %q is a version ID, but the remote has no versioning=yes: %w",
			object, r.s.bucket, cid, remote.ErrContentChanged)
	}
	return r.get(ctx, object, pin{versionID: string(cid)}, dst, m)
}

// StoreExportWithContentID implements remote.Importer. S3 has no
// conditional PUT git-annex relies on, so, as git-annex, the current
// version is checked just before the upload.
func (r *Remote) StoreExportWithContentID(ctx context.Context, src remote.Source, k key.Key, loc remote.ExportLocation, overwritable []remote.ContentID, m progress.Meter) (remote.ContentID, error) {
	c, err := r.conn(ctx)
	if err != nil {
		return "", err
	}
	object := r.exportObject(loc)
	have, err := r.currentID(ctx, c, object)
	if err != nil {
		return "", err
	}
	if have != "" && !slices.Contains(overwritable, have) {
		return "", r.changed(object, have)
	}
	info, err := r.storeExport(ctx, src, k, object, m)
	if err != nil {
		return "", err
	}
	return r.contentID(info.VersionID, info.ETag), nil
}

// RemoveExportWithContentID implements remote.Importer.
func (r *Remote) RemoveExportWithContentID(ctx context.Context, k key.Key, loc remote.ExportLocation, removable []remote.ContentID) error {
	c, err := r.conn(ctx)
	if err != nil {
		return err
	}
	if err := r.checkVersioned(ctx, k); err != nil {
		return err
	}
	object := r.exportObject(loc)
	have, err := r.currentID(ctx, c, object)
	switch {
	case err != nil:
		return err
	case have == "":
		return nil
	case !slices.Contains(removable, have):
		return r.changed(object, have)
	}
	return r.remove(ctx, object)
}

// CheckPresentExportWithContentID implements remote.Importer.
func (r *Remote) CheckPresentExportWithContentID(ctx context.Context, k key.Key, loc remote.ExportLocation, cids []remote.ContentID) (bool, error) {
	c, err := r.conn(ctx)
	if err != nil {
		return false, err
	}
	have, err := r.currentID(ctx, c, r.exportObject(loc))
	if err != nil {
		return false, err
	}
	return have != "" && slices.Contains(cids, have), nil
}

// RemoveExportDirectoryWhenEmpty implements remote.Importer: S3 has no
// directories.
func (r *Remote) RemoveExportDirectoryWhenEmpty(ctx context.Context, dir remote.ExportLocation) error {
	return nil
}

var _ remote.Importer = (*Remote)(nil)
