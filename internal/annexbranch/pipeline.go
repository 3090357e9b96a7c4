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
// branch), except that journal entries are listed once, by NewPipeline:
// an entry another process journals later is not seen, while one committed
// and removed meanwhile is read from the branch.
//
// Memory is bounded by what the caller keeps in flight; Close the Pipeline
// when done (it discards answers nobody asked for).
type Pipeline struct {
	b       *Branch
	pipe    *gitcmd.CatFilePipe
	journal map[string]bool // names of the journal entries at NewPipeline
	private map[string]bool // names of the private journal's entries then
}

// Pending is a requested branch file whose content Result returns.
type Pending struct {
	path    string
	name    string // object name sent to git; "" when answered without git
	data    []byte // the journal content, when name == ""
	priv    []byte // the private journal entry, appended to the result
	hasPriv bool
}

// NewPipeline starts the git process of a Pipeline; cancelling ctx ends it
// and fails Requests and Results in progress.
func (b *Branch) NewPipeline(ctx context.Context) (*Pipeline, error) {
	entries, err := b.listJournal()
	if err != nil {
		return nil, err
	}
	journal := make(map[string]bool, len(entries))
	for _, e := range entries {
		journal[e.name] = true
	}
	var private map[string]bool
	if b.private() != nil {
		if private, err = b.listPrivate(); err != nil {
			return nil, err
		}
	}
	pipe, err := b.repo.NewCatFilePipe(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Ref, err)
	}
	return &Pipeline{b: b, pipe: pipe, journal: journal, private: private}, nil
}

// Request asks for branch file path. A journal entry is read now; a file
// absent from the branch costs git nothing. With private repositories, a
// private journal entry is read now and appended to the result, as Get
// does.
func (p *Pipeline) Request(ctx context.Context, path string) (Pending, error) {
	if !p.private[journalName(path)] {
		return p.request(ctx, path)
	}
	priv, ok, err := p.b.readPrivate(path)
	if err != nil {
		return Pending{}, err
	}
	pd, err := p.request(ctx, path)
	pd.priv, pd.hasPriv = priv, ok
	return pd, err
}

// request is Request without the private journal.
func (p *Pipeline) request(ctx context.Context, path string) (Pending, error) {
	if p.journal[journalName(path)] {
		data, ok, err := p.b.readJournal(path)
		if err != nil || ok {
			return Pending{path: path, data: data}, err
		}
		p.b.tree.markStale() // committed since NewPipeline: see that commit
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
	data, err := p.result(pd)
	if err != nil || !pd.hasPriv {
		return data, err
	}
	return withPrivate(data, pd.priv), nil
}

// result is Result without the private journal.
func (p *Pipeline) result(pd Pending) ([]byte, error) {
	if pd.name == "" {
		return pd.data, nil
	}
	obj, found, err := p.pipe.Receive(pd.name)
	if err != nil {
		return nil, fmt.Errorf("read %s:%s: %w", Ref, pd.path, err)
	}
	if !found || obj.Type != "blob" {
		obj.Data = nil
	}
	p.b.read.put(pd.name, obj.Data)
	return obj.Data, nil
}

// Close ends the Pipeline's git process. It is idempotent.
func (p *Pipeline) Close() error { return p.pipe.Close() }
