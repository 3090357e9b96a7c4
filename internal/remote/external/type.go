package external

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/troveproject/trove/internal/extproto"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/uuid"
)

// Type is the "external" special remote type.
var Type = &remote.Type{
	Name:        "external",
	DefaultCost: remote.ExpensiveCost,
	Setup:       setup,
	New:         open,
}

// commonFields are the remote.log settings git-annex handles for every
// special remote; a helper that lists its own settings (LISTCONFIGS)
// need not list these.
var commonFields = map[string]bool{
	"name": true, "type": true, "externaltype": true, "encryption": true,
	"keyid": true, "keyid+": true, "keyid-": true, "mac": true, "cipher": true,
	"cipherkeys": true, "pubkeys": true, "chunk": true, "chunksize": true,
	"embedcreds": true, "autoenable": true, "cost": true, "exporttree": true,
	"importtree": true, "preferreddir": true, "sameas-uuid": true,
	"sameas-name": true, "readonly": true, "highRandomQuality": true,
}

// programFor returns the helper program of cfg's externaltype.
func programFor(cfg remote.Config) (string, error) {
	t := cfg["externaltype"]
	if t == "" {
		return "", fmt.Errorf("Specify externaltype=") //nolint:staticcheck // git-annex's text
	}
	return ProgramPrefix + t, nil
}

// setup runs at initremote and enableremote: a helper is started, asked
// LISTCONFIGS (unknown settings are refused when it answers), then
// INITREMOTE, during which its SETCONFIGs go into the stored config. Its
// cost and availability are asked and kept in git config as git-annex
// caches them. With readonly=true (enableremote) no helper runs.
func setup(ctx context.Context, mode remote.SetupMode, u uuid.UUID, cfg remote.Config, h remote.Host) (remote.SetupResult, error) {
	program, err := programFor(cfg)
	if err != nil {
		return remote.SetupResult{}, err
	}
	res := remote.SetupResult{Config: cfg, GitConfig: map[string]string{"annex-externaltype": cfg["externaltype"]}}
	if cfg["readonly"] == "true" {
		c := cloneConfig(cfg)
		delete(c, "readonly")
		res.Config = c
		res.GitConfig["annex-readonly"] = "true"
		return res, nil
	}
	if mode == remote.Reconfigure {
		return res, nil
	}
	name := cfg["name"]
	if name == "" {
		name = cfg["sameas-name"]
	}
	p := newPeer(name, u, program, cfg, h)
	pl := &pool{p: p}
	defer pl.close(ctx)
	if err := checkExportSupported(ctx, pl, cfg); err != nil {
		return remote.SetupResult{}, err
	}

	j, err := pl.get(ctx)
	if err != nil {
		return remote.SetupResult{}, err
	}
	defer pl.release(j)
	if err := p.checkConfigs(ctx, j, cfg); err != nil {
		return remote.SetupResult{}, err
	}
	ok, msg, err := p.simple(ctx, j, extproto.New(extproto.InitRemote), extproto.InitRemoteSuccess, extproto.InitRemoteFailure)
	if err != nil {
		return remote.SetupResult{}, err
	}
	if !ok {
		return remote.SetupResult{}, p.failed("INITREMOTE", msg)
	}
	res.Config = p.config()
	if err := pl.prepare(ctx, j); err != nil {
		// A helper that cannot prepare yet (no network) still set up.
		return res, nil
	}
	if cost, err := p.cost(ctx, j); err == nil {
		res.GitConfig["annex-cost"] = extproto.FormatCost(cost)
	}
	if a, err := p.availability(ctx, j); err == nil {
		res.GitConfig["annex-availability"] = a
	}
	return res, nil
}

// checkConfigs asks LISTCONFIGS and refuses settings the helper does not
// list, as git-annex does; a helper without LISTCONFIGS accepts any.
func (p *peer) checkConfigs(ctx context.Context, j *job, cfg remote.Config) error {
	known := map[string]string{}
	var names []string
	supported := true
	err := p.exchange(ctx, j, extproto.New(extproto.ListConfigs), nil, func(m extproto.Message) verdict {
		switch m.Command {
		case extproto.Config:
			known[m.Param(0)] = m.Param(1)
			names = append(names, m.Param(0))
			return more
		case extproto.ConfigEnd:
			return done
		case extproto.UnsupportedRequest:
			supported = false
			return done
		}
		return reject
	})
	if err != nil || !supported {
		return err
	}
	var bad []string
	for k := range cfg {
		if _, ok := known[k]; !ok && !commonFields[k] {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return fmt.Errorf("unexpected parameters for %s: %s (it accepts: %s); run `git annex initremote` again without them",
		p.label(), strings.Join(bad, ", "), strings.Join(names, ", "))
}

// cost asks GETCOST; an unsupported request gives the expensive default.
func (p *peer) cost(ctx context.Context, j *job) (float64, error) {
	cost := remote.ExpensiveCost
	err := p.exchange(ctx, j, extproto.New(extproto.GetCost), nil, func(m extproto.Message) verdict {
		switch m.Command {
		case extproto.Cost:
			cost, _ = extproto.ReadFloat(m.Param(0))
		case extproto.UnsupportedRequest:
		default:
			return reject
		}
		return done
	})
	return cost, err
}

// availability asks GETAVAILABILITY and returns git-annex's cached form.
func (p *peer) availability(ctx context.Context, j *job) (string, error) {
	a := "GloballyAvailable"
	err := p.exchange(ctx, j, extproto.New(extproto.GetAvailability), nil, func(m extproto.Message) verdict {
		switch m.Command {
		case extproto.Availability:
			if m.Param(0) == extproto.Local {
				a = "LocallyAvailable"
			}
		case extproto.UnsupportedRequest:
		default:
			return reject
		}
		return done
	})
	return a, err
}

func cloneConfig(cfg remote.Config) remote.Config {
	c := make(remote.Config, len(cfg))
	for k, v := range cfg {
		c[k] = v
	}
	return c
}

// open opens an external remote; no helper runs until the first request.
func open(ctx context.Context, p remote.Params) (remote.Remote, error) {
	program, err := programFor(p.Config)
	if err != nil {
		return nil, fmt.Errorf("remote %s: %w", p.Name, err)
	}
	if v, _ := p.Host.GitConfig("remote." + p.Name + ".annex-readonly"); v == "true" {
		return newReadOnly(p), nil
	}
	return New(p, program), nil
}

// New returns an external remote that runs program (normally
// ProgramPrefix + the externaltype setting). It starts nothing.
func New(p remote.Params, program string) *Remote {
	pr := newPeer(p.Name, p.UUID, program, p.Config, p.Host)
	return &Remote{p: pr, pool: &pool{p: pr}, externalType: p.Config["externaltype"], cost: p.Cost}
}
