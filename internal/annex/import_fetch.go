package annex

import (
	"context"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/troveproject/trove/internal/backend"
	"github.com/troveproject/trove/internal/fsutil"
	"github.com/troveproject/trove/internal/gitcmd"
	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
)

// importFetcher reads the new files of one import.
type importFetcher struct {
	r         *Repo
	s         *specialRemote
	imp       remote.Importer
	rep       ImportReporter
	lf        *largeFiles
	b         *backend.Backend
	blobs     *gitcmd.BlobWriter
	subdir    string
	noContent bool
}

// treePath is where loc goes in the work tree.
func (f *importFetcher) treePath(loc remote.ExportLocation) string {
	if f.subdir == "" {
		return loc.String()
	}
	return f.subdir + "/" + loc.String()
}

// fetchAll returns the files of the import in files' order: known
// content identifiers are mapped to their keys, the other files are read
// with jobs workers. Files that fail are reported, left out and counted.
func (f *importFetcher) fetchAll(ctx context.Context, files []remote.ImportableFile, prior *priorImport, jobs int) ([]importedFile, int) {
	out := make([]importedFile, len(files))
	ok := make([]bool, len(files))
	var todo []int
	for i, file := range files {
		if k, known := prior.byCID[file.CID]; known {
			out[i], ok[i] = importedFile{loc: file.Loc, cid: file.CID, key: k}, true
			continue
		}
		todo = append(todo, i)
	}
	var c importCounter
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				k, err := f.fetch(ctx, files[i])
				if err != nil {
					c.fail()
					continue
				}
				out[i], ok[i] = importedFile{loc: files[i].Loc, cid: files[i].CID, key: k, new: true}, true
			}
		}()
	}
	for _, i := range todo {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	kept := out[:0]
	for i, file := range out {
		if ok[i] {
			kept = append(kept, file)
		}
	}
	return kept, c.failed
}

// fetch reads one file from the remote and returns its key: the git blob
// key of a file annex.largefiles keeps in git, else the backend's key of
// its content, stored in the annex unless noContent.
func (f *importFetcher) fetch(ctx context.Context, file remote.ImportableFile) (k key.Key, err error) {
	m, done := f.rep.Importing(f.s.name, file.Loc.String())
	defer func() { done(k, err) }()
	large, err := f.lf.isLarge(ctx, f.treePath(file.Loc), file.Size)
	if err != nil {
		return key.Key{}, err
	}
	sink, err := newImportSink(filepath.Join(annexDir(f.r.git), "tmp"), f.b)
	if err != nil {
		return key.Key{}, fmt.Errorf("import %s from %s: %w", file.Loc, f.s.name, err)
	}
	defer sink.discard()
	if err := f.imp.RetrieveImport(ctx, file.Loc, file.CID, sink, m); err != nil {
		return key.Key{}, err
	}
	if !large {
		data, err := sink.contents()
		if err != nil {
			return key.Key{}, fmt.Errorf("import %s from %s: %w", file.Loc, f.s.name, err)
		}
		sha, err := f.blobs.Write(ctx, data)
		if err != nil {
			return key.Key{}, fmt.Errorf("import %s from %s: %w", file.Loc, f.s.name, err)
		}
		return gitBlobKey(sha), nil
	}
	sum, size, err := sink.sum(ctx)
	if err != nil {
		return key.Key{}, fmt.Errorf("import %s from %s: %w", file.Loc, f.s.name, err)
	}
	k = f.b.KeyFromSum(sum, size, path.Base(file.Loc.String()), f.r.maxExtLen())
	if f.noContent {
		return k, nil
	}
	if err := sink.closeFile(); err != nil {
		return key.Key{}, fmt.Errorf("import %s from %s: %w", file.Loc, f.s.name, err)
	}
	if err := os.Rename(sink.path, f.r.objects.TmpPath(k)); err != nil {
		return key.Key{}, fmt.Errorf("import %s from %s: %w", file.Loc, f.s.name, err)
	}
	if err := f.r.objects.IngestTmp(ctx, k); err != nil {
		return key.Key{}, fmt.Errorf("import %s from %s: %w", file.Loc, f.s.name, err)
	}
	f.r.logPresentAt(k, f.r.here)
	return k, nil
}

// importSink is the remote.Sink a new file is read into: a temporary file,
// hashed with the backend as it is written.
type importSink struct {
	path string
	file *os.File
	b    *backend.Backend
	h    hash.Hash
	n    int64
}

func newImportSink(dir string, b *backend.Backend) (*importSink, error) {
	if !b.IsHash() {
		return nil, fmt.Errorf("backend %s cannot key imported files (set annex.backend to a hash backend such as SHA256E)", b.Name())
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	file, err := os.CreateTemp(dir, "import-")
	if err != nil {
		return nil, err
	}
	return &importSink{path: file.Name(), file: file, b: b, h: b.NewHash()}, nil
}

// Write implements remote.Sink.
func (s *importSink) Write(p []byte) (int, error) {
	n, err := s.file.Write(p)
	s.h.Write(p[:n])
	s.n += int64(n)
	if err != nil {
		return n, fmt.Errorf("write %s: %w", s.path, err)
	}
	return n, nil
}

// Offset implements remote.Sink.
func (s *importSink) Offset() int64 { return s.n }

// Restart implements remote.Sink.
func (s *importSink) Restart() error {
	if err := s.file.Truncate(0); err != nil {
		return fmt.Errorf("restart %s: %w", s.path, err)
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("restart %s: %w", s.path, err)
	}
	s.h.Reset()
	s.n = 0
	return nil
}

// Path implements remote.Sink.
func (s *importSink) Path() string { return s.path }

// sum returns the content's digest and size. When a helper program wrote
// the file behind the sink's back (its size differs from what was
// written through it), the file is hashed again.
func (s *importSink) sum(ctx context.Context) ([]byte, int64, error) {
	fi, err := os.Stat(s.path)
	if err != nil {
		return nil, 0, err
	}
	if fi.Size() == s.n {
		return s.h.Sum(nil), s.n, nil
	}
	h := s.b.NewHash()
	r, err := os.Open(s.path)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	n, err := io.Copy(h, fsutil.ContextReader(ctx, r))
	return h.Sum(nil), n, err
}

// contents returns the file's bytes (for a file kept in git).
func (s *importSink) contents() ([]byte, error) { return os.ReadFile(s.path) }

// closeFile closes the temporary file, to be renamed.
func (s *importSink) closeFile() error {
	if s.file == nil {
		return nil
	}
	err := s.file.Close()
	s.file = nil
	return err
}

// discard removes the temporary file, unless it was renamed away.
func (s *importSink) discard() {
	_ = s.closeFile()
	_ = os.Remove(s.path)
}

var _ remote.Sink = (*importSink)(nil)
