package annexbranch

import (
	"context"
	"fmt"

	"github.com/troveproject/trove/internal/gitcmd"
)

// Pipeline reads many branch files with the requests to git sent ahead of
// reading the answers, so that git looks files up while the caller works on
// earlier ones. It is for commands that read one or a few files per key
// over many keys (whereis, fsck): one goroutine calls Request, another calls
// Result once for each Pending, in the order of the Requests. Results are
// what Get would return at the time of the Request (journal first, then the
// branch).
//
// Memory is bounded by what the caller keeps in flight; Close the Pipeline
// when done (it discards answers nobody asked for).
type Pipeline struct {
	b    *Branch
	pipe *gitcmd.CatFilePipe
}

// Pending is a requested branch file whose content Result returns.
type Pending struct {
	path string
	name string // object name sent to git; "" when answered without git
	data []byte // the journal content, when name == ""
}

// NewPipeline starts the git process of a Pipeline; cancelling ctx ends it
// and fails Requests and Results in progress.
func (b *Branch) NewPipeline(ctx context.Context) (*Pipeline, error) {
	pipe, err := b.repo.NewCatFilePipe(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Ref, err)
	}
	return &Pipeline{b: b, pipe: pipe}, nil
}

// Request asks for branch file path. The journal is read now; a file
// absent from the branch costs git nothing.
func (p *Pipeline) Request(ctx context.Context, path string) (Pending, error) {
	data, ok, err := p.b.readJournal(path)
	if err != nil || ok {
		return Pending{path: path, data: data}, err
	}
	root, err := p.b.rootTree(ctx)
	if err != nil || root == nil {
		return Pending{path: path}, err
	}
	name, ok := root.objectName(path)
	if !ok {
		return Pending{path: path}, nil
	}
	if err := p.pipe.Send(name); err != nil {
		return Pending{}, fmt.Errorf("read %s:%s: %w", Ref, path, err)
	}
	return Pending{path: path, name: name}, nil
}

// Result returns the content of the file pd was requested for, nil when it
// exists nowhere. Results must be taken in the order of the Requests.
func (p *Pipeline) Result(pd Pending) ([]byte, error) {
	if pd.name == "" {
		return pd.data, nil
	}
	obj, found, err := p.pipe.Receive(pd.name)
	if err != nil {
		return nil, fmt.Errorf("read %s:%s: %w", Ref, pd.path, err)
	}
	if !found || obj.Type != "blob" {
		return nil, nil
	}
	return obj.Data, nil
}

// Close ends the Pipeline's git process. It is idempotent.
func (p *Pipeline) Close() error { return p.pipe.Close() }
