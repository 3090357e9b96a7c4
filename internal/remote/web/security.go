package web

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
)

// DefaultSchemes are the URL schemes git-annex allows when
// annex.security.allowed-url-schemes is unset.
var DefaultSchemes = []string{"http", "https", "ftp"}

// SecurityError is a refusal by one of git-annex's security settings. Its
// message is git-annex's own.
type SecurityError struct {
	// Setting is the git config name that refused the access.
	Setting string
	// What is the URL (scheme refusals) or the address (IP refusals).
	What string
}

func (e *SecurityError) Error() string {
	if e.Setting == settingAddresses {
		return "Configuration of " + e.Setting + " does not allow accessing address " + e.What
	}
	return "Configuration of " + e.Setting + " does not allow accessing " + e.What
}

const (
	settingSchemes   = "annex.security.allowed-url-schemes"
	settingAddresses = "annex.security.allowed-ip-addresses"
)

// policy is the parsed form of the security settings.
type policy struct {
	schemes map[string]bool
	// unrestricted is allowed-ip-addresses=all: any address, proxies used.
	unrestricted bool
	allowed      []addrMatch
}

// addrMatch is one entry of allowed-ip-addresses: an address and, with
// the "[addr]:port" form, a port.
type addrMatch struct {
	addr netip.Addr
	port uint16 // 0 = any
}

func newPolicy(schemes []string, addresses string) policy {
	if schemes == nil {
		schemes = DefaultSchemes
	}
	p := policy{schemes: map[string]bool{}}
	for _, s := range schemes {
		p.schemes[strings.ToLower(s)] = true
	}
	words := strings.Fields(addresses)
	if len(words) == 1 && words[0] == "all" {
		p.unrestricted = true
		return p
	}
	for _, w := range words {
		if m, ok := parseAddrMatch(w); ok {
			p.allowed = append(p.allowed, m)
		}
	}
	return p
}

// parseAddrMatch parses "addr", "[addr]" or "[addr]:port" as git-annex's
// splitAddrPort and makeAddressMatcher do (no DNS lookups; unparsable
// entries are ignored).
func parseAddrMatch(s string) (addrMatch, bool) {
	var port uint16
	if rest, ok := strings.CutPrefix(s, "["); ok {
		a, cp, ok := strings.Cut(rest, "]")
		if !ok {
			return addrMatch{}, false
		}
		switch {
		case cp == "":
		case strings.HasPrefix(cp, ":"):
			n, err := strconv.ParseUint(cp[1:], 10, 16)
			if err != nil {
				return addrMatch{}, false
			}
			port = uint16(n)
		default:
			return addrMatch{}, false
		}
		s = a
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return addrMatch{}, false
	}
	return addrMatch{addr: addr.Unmap(), port: port}, true
}

// schemeAllowed checks a URL's scheme.
func (p policy) schemeAllowed(scheme, rawURL string) error {
	if p.schemes[strings.ToLower(scheme)] {
		return nil
	}
	return &SecurityError{Setting: settingSchemes, What: rawURL}
}

// addressAllowed applies git-annex's rule: an address listed is allowed;
// otherwise loopback and private addresses are refused and the rest
// allowed.
func (p policy) addressAllowed(ap netip.AddrPort) error {
	if p.unrestricted {
		return nil
	}
	a := ap.Addr().Unmap()
	for _, m := range p.allowed {
		if m.addr == a && (m.port == 0 || m.port == ap.Port()) {
			return nil
		}
	}
	if isLoopback(a) || isPrivate(a) {
		return &SecurityError{Setting: settingAddresses, What: showAddr(a)}
	}
	return nil
}

// control is a net.Dialer Control function refusing disallowed addresses
// after name resolution, so a DNS name cannot smuggle in a local address.
func (p policy) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", address, err)
	}
	return p.addressAllowed(ap)
}

// embeddedIPv4 returns the IPv4 address inside the IPv6 forms git-annex
// recognises (mapped, translated, 64:ff9b::/96).
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() {
		return netip.Addr{}, false
	}
	b := a.As16()
	w := func(i int) uint16 { return uint16(b[2*i])<<8 | uint16(b[2*i+1]) }
	zero := func(from, to int) bool {
		for i := from; i < to; i++ {
			if w(i) != 0 {
				return false
			}
		}
		return true
	}
	v4 := netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	switch {
	case zero(0, 5) && w(5) == 0xffff,
		zero(0, 4) && w(4) == 0xffff && w(5) == 0,
		w(0) == 0x64 && w(1) == 0xff9b && zero(2, 6):
		return v4, true
	}
	return netip.Addr{}, false
}

func isLoopback(a netip.Addr) bool {
	if a.Is4() {
		b := a.As4()
		return b[0] == 127 || b[0] == 0
	}
	if a == netip.IPv6Loopback() || a == netip.IPv6Unspecified() {
		return true
	}
	v4, ok := embeddedIPv4(a)
	return ok && isLoopback(v4)
}

func isPrivate(a netip.Addr) bool {
	if a.Is4() {
		b := a.As4()
		switch {
		case b[0] == 10,
			b[0] == 172 && b[1] >= 16 && b[1] <= 31,
			b[0] == 192 && b[1] == 168,
			b[0] == 100 && b[1] >= 64 && b[1] <= 127 && b[2] == 0 && b[3] == 0, // as git-annex matches it
			b[0] == 169 && b[1] == 254:
			return true
		}
		return false
	}
	b := a.As16()
	n := uint16(b[0])<<8 | uint16(b[1])
	if (n >= 0xfc00 && n <= 0xfdff) || (n >= 0xfe80 && n <= 0xfebf) {
		return true
	}
	v4, ok := embeddedIPv4(a)
	return ok && isPrivate(v4)
}

// showAddr formats an address as git-annex's extractIPAddress: dotted
// IPv4, or eight uncompressed hex groups for IPv6.
func showAddr(a netip.Addr) string {
	if a.Is4() {
		return a.String()
	}
	b := a.As16()
	parts := make([]string, 8)
	for i := range parts {
		parts[i] = strconv.FormatUint(uint64(b[2*i])<<8|uint64(b[2*i+1]), 16)
	}
	return strings.Join(parts, ":")
}
