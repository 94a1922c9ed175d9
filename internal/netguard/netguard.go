// Package netguard makes outbound HTTP requests that cannot be turned
// against the service's own network: image URLs and callback URLs come from
// clients, so every connection's resolved address is checked at dial time
// (which covers redirects and DNS rebinding) and loopback, private,
// link-local, metadata and other special-purpose ranges are refused unless
// the operator allows them.
package netguard

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrForbidden is the cause of every connection refused by the guard; test
// for it with errors.Is.
var ErrForbidden = errors.New("netguard: destination address not allowed")

// MaxRedirects is how many redirects a guarded client follows.
const MaxRedirects = 3

// Options configure NewClient.
type Options struct {
	// AllowPrivate lets connections reach loopback, private and other
	// non-public addresses. For development and tests; never for a service
	// that takes URLs from the Internet.
	AllowPrivate bool
	// Timeout bounds a whole request, redirects and body read included.
	// Defaults to 30 s.
	Timeout time.Duration

	// isPublic replaces IsPublic; only tests set it (see export_test.go),
	// so that an address on loopback can stand for a public host.
	isPublic func(netip.Addr) bool
}

// NewClient returns an http.Client whose every connection goes through the
// address check, which follows at most MaxRedirects redirects (http and
// https only) and which never uses a proxy from the environment: a proxy
// would make the dialer check the proxy instead of the destination.
func NewClient(opts Options) *http.Client {
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	allowed := opts.isPublic
	if allowed == nil {
		allowed = IsPublic
	}
	if opts.AllowPrivate {
		allowed = func(netip.Addr) bool { return true }
	}
	dialer := &net.Dialer{
		Timeout:   10 * time.Second,
		KeepAlive: 30 * time.Second,
		// Control runs after name resolution, on the address actually being
		// connected to, for every connection the transport makes.
		Control: func(network, address string, _ syscall.RawConn) error {
			return checkDial(network, address, allowed)
		},
	}
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           32,
		IdleConnTimeout:        60 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       opts.Timeout,
		CheckRedirect: checkRedirect,
	}
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("netguard: stopped after %d redirects", MaxRedirects)
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return fmt.Errorf("netguard: redirect to unsupported scheme %q", s)
	}
	// The destination's address is checked when it is dialled.
	return nil
}

func checkDial(network, address string, allowed func(netip.Addr) bool) error {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return fmt.Errorf("%w: network %s", ErrForbidden, network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unparsable address %q", ErrForbidden, address)
	}
	if !allowed(ap.Addr().WithZone("")) {
		return fmt.Errorf("%w: %s", ErrForbidden, ap.Addr())
	}
	return nil
}

// forbidden4 lists the IPv4 ranges that are not reachable public unicast
// (IANA special-purpose registry and RFC 6890), plus multicast and the
// reserved block that ends in the limited broadcast address.
var forbidden4 = prefixes(
	"0.0.0.0/8",       // "this network", incl. unspecified
	"10.0.0.0/8",      // RFC 1918
	"100.64.0.0/10",   // CGNAT shared space
	"127.0.0.0/8",     // loopback
	"169.254.0.0/16",  // link-local, incl. cloud metadata 169.254.169.254
	"172.16.0.0/12",   // RFC 1918
	"192.0.0.0/24",    // IETF protocol assignments
	"192.0.2.0/24",    // TEST-NET-1
	"192.31.196.0/24", // AS112
	"192.52.193.0/24", // AMT
	"192.88.99.0/24",  // 6to4 relay anycast (deprecated)
	"192.168.0.0/16",  // RFC 1918
	"192.175.48.0/24", // AS112 direct delegation
	"198.18.0.0/15",   // benchmarking
	"198.51.100.0/24", // TEST-NET-2
	"203.0.113.0/24",  // TEST-NET-3
	"224.0.0.0/4",     // multicast
	"240.0.0.0/4",     // reserved, incl. broadcast 255.255.255.255
)

// forbidden6 lists IPv6 ranges inside global unicast 2000::/3 that are not
// public; everything outside 2000::/3 is refused anyway (loopback,
// unspecified, ULA fc00::/7, link-local fe80::/10, multicast, ...), except
// the forms that embed an IPv4 address, which IsPublic unwraps.
var forbidden6 = prefixes(
	"2001::/23",     // IETF protocol assignments, incl. Teredo 2001::/32
	"2001:db8::/32", // documentation
	"3fff::/20",     // documentation (RFC 9637)
)

func prefixes(ss ...string) []netip.Prefix {
	ps := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		ps[i] = netip.MustParsePrefix(s)
	}
	return ps
}

var (
	nat64WKP  = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052 well-known NAT64
	sixToFour = netip.MustParsePrefix("2002::/16")    // 6to4: bits 16..48 are IPv4
	global6   = netip.MustParsePrefix("2000::/3")
)

// IsPublic reports whether a is a public unicast address that an outbound
// request may reach. IPv6 forms that carry an IPv4 address (IPv4-mapped,
// NAT64, 6to4) are judged by that IPv4 address, so ::ffff:127.0.0.1 is as
// forbidden as 127.0.0.1.
func IsPublic(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.WithZone("")
	if a.Is4In6() {
		a = a.Unmap()
	}
	if a.Is4() {
		for _, p := range forbidden4 {
			if p.Contains(a) {
				return false
			}
		}
		return true
	}
	b := a.As16()
	switch {
	case nat64WKP.Contains(a):
		return IsPublic(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	case sixToFour.Contains(a):
		return IsPublic(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
	case !global6.Contains(a):
		return false
	}
	for _, p := range forbidden6 {
		if p.Contains(a) {
			return false
		}
	}
	return true
}
