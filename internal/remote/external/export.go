package external

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/troveproject/trove/internal/extproto"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/progress"
	"github.com/troveproject/trove/internal/remote"
)

// ErrExportUnsupported is wrapped by the error of setting up an external
// remote with exporttree=yes whose helper does not answer EXPORTSUPPORTED
// with EXPORTSUPPORTED-SUCCESS.
var ErrExportUnsupported = errors.New("exporttree is not supported by this special remote")

// checkExportSupported asks a fresh helper EXPORTSUPPORTED (without
// PREPARE, as git-annex does at initremote) when cfg has exporttree=yes.
func checkExportSupported(ctx context.Context, pl *pool, cfg remote.Config) error {
	if cfg["exporttree"] != "yes" {
		return nil
	}
	j, err := pl.get(ctx)
	if err != nil {
		return err
	}
	defer pl.release(j)
	ok, _, err := pl.p.simple(ctx, j, extproto.New(extproto.ExportSupported), extproto.ExportSupportedSuccess, extproto.ExportSupportedFailure)
	if errors.Is(err, remote.ErrUnsupported) || err == nil && !ok {
		return fmt.Errorf("%s: %w", pl.p.label(), ErrExportUnsupported)
	}
	return err
}

// exportName is loc as EXPORT sends it; the protocol cannot carry line
// breaks.
func exportName(loc remote.ExportLocation) (string, error) {
	s := loc.String()
	if strings.ContainsAny(s, "\r\n") {
		return "", remote.Permanent(fmt.Errorf("%q cannot be exported to an external special remote: its name has a line break", s))
	}
	return s, nil
}

// withExport runs fn on a prepared job after sending EXPORT loc on it:
// the name the next request (fn's) acts on.
func (r *Remote) withExport(ctx context.Context, k key.Key, loc remote.ExportLocation, fn func(j *job) error) error {
	name, err := exportName(loc)
	if err != nil {
		return err
	}
	return r.with(ctx, k, func(j *job) error {
		if err := j.send(extproto.New(extproto.Export, name)); err != nil {
			return err
		}
		return fn(j)
	})
}

// transferExport runs TRANSFEREXPORT dir k path.
func (r *Remote) transferExport(ctx context.Context, j *job, dir string, k key.Key, path string, m progress.Meter) error {
	ks := k.String()
	return r.p.outcome(ctx, j, extproto.New(extproto.TransferExport, dir, ks, path), m,
		extproto.TransferSuccess, extproto.TransferFailure, dir, ks)
}

// StoreExport implements remote.Exporter: EXPORT loc, then TRANSFEREXPORT
// STORE with the path of src's file (a temporary copy when src is part of
// a file). Whether the file appears atomically is up to the helper.
func (r *Remote) StoreExport(ctx context.Context, src remote.Source, k key.Key, loc remote.ExportLocation, m progress.Meter) error {
	path, cleanup, err := r.exportFile(k, src)
	if err != nil {
		return err
	}
	defer cleanup()
	return r.withExport(ctx, k, loc, func(j *job) error {
		return r.transferExport(ctx, j, extproto.Store, k, path, m)
	})
}

// exportFile returns an absolute path holding src's bytes.
func (r *Remote) exportFile(k key.Key, src remote.Source) (string, func(), error) {
	if src.Whole() {
		abs, err := filepath.Abs(src.Path)
		if err != nil {
			return "", nil, fmt.Errorf("exporting %s to %s: %w", k, r.p.name, err)
		}
		return abs, func() {}, nil
	}
	return r.storeFile(k, src)
}

// RetrieveExport implements remote.Exporter: EXPORT loc, then
// TRANSFEREXPORT RETRIEVE into a fresh file, whose bytes then go to dst.
// A failure when CHECKPRESENTEXPORT says there is no file at loc wraps
// remote.ErrNotPresent.
func (r *Remote) RetrieveExport(ctx context.Context, k key.Key, loc remote.ExportLocation, dst remote.Sink, m progress.Meter) error {
	return r.retrieveVia(ctx, k, loc.String(), dst,
		func(path string) error {
			return r.withExport(ctx, k, loc, func(j *job) error { return r.transferExport(ctx, j, extproto.Retrieve, k, path, m) })
		},
		func() (bool, error) { return r.CheckPresentExport(ctx, k, loc) })
}

// CheckPresentExport implements remote.Exporter: EXPORT loc, then
// CHECKPRESENTEXPORT. CHECKPRESENT-UNKNOWN is an error.
func (r *Remote) CheckPresentExport(ctx context.Context, k key.Key, loc remote.ExportLocation) (present bool, err error) {
	err = r.withExport(ctx, k, loc, func(j *job) error {
		present, err = r.askPresent(ctx, j, k, extproto.New(extproto.CheckPresentExport, k.String()))
		return err
	})
	return present, err
}

// RemoveExport implements remote.Exporter: EXPORT loc, then REMOVEEXPORT
// (the helper answers success for an absent file).
func (r *Remote) RemoveExport(ctx context.Context, k key.Key, loc remote.ExportLocation) error {
	return r.withExport(ctx, k, loc, func(j *job) error {
		return r.p.outcome(ctx, j, extproto.New(extproto.RemoveExport, k.String()), nil,
			extproto.RemoveSuccess, extproto.RemoveFailure, k.String())
	})
}

// RemoveExportDirectory implements remote.Exporter:
// REMOVEEXPORTDIRECTORY. A helper that does not support it has no
// directories to remove, as git-annex takes it.
func (r *Remote) RemoveExportDirectory(ctx context.Context, dir remote.ExportLocation) error {
	name, err := exportName(dir)
	if err != nil {
		return err
	}
	return r.with(ctx, key.Key{}, func(j *job) error {
		ok, msg, err := r.p.simple(ctx, j, extproto.New(extproto.RemoveExportDirectory, name),
			extproto.RemoveExportDirectorySuccess, extproto.RemoveExportDirectoryFailure)
		switch {
		case errors.Is(err, remote.ErrUnsupported):
			return nil
		case err != nil:
			return err
		case !ok:
			return r.p.failed("REMOVEEXPORTDIRECTORY "+name, msg)
		}
		return nil
	})
}

// RenameExport implements remote.Exporter: EXPORT from, then RENAMEEXPORT
// k to. A helper answering UNSUPPORTED-REQUEST cannot rename
// (supported=false, no error).
func (r *Remote) RenameExport(ctx context.Context, k key.Key, from, to remote.ExportLocation) (supported bool, err error) {
	name, err := exportName(to)
	if err != nil {
		return true, err
	}
	ks := k.String()
	err = r.withExport(ctx, k, from, func(j *job) error {
		return r.p.outcome(ctx, j, extproto.New(extproto.RenameExport, ks, name), nil,
			extproto.RenameExportSuccess, extproto.RenameExportFailure, ks)
	})
	if errors.Is(err, remote.ErrUnsupported) {
		return false, nil
	}
	return true, err
}

var _ remote.Exporter = (*Remote)(nil)
