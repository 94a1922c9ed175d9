package netguard

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/ktpocr/ktpocr"
)

// maxCallbackURL caps a callback URL's length; it is stored with the job.
const maxCallbackURL = 2048

// CheckCallbackURL validates a client's callback_url before it is stored. It
// returns an *ktpocr.Error INVALID_PAYLOAD_CALLBACK_URL (with error field
// callback_url) when raw is empty, malformed, not https (plain http only
// with allowPrivate), carries credentials, or names a host that is not
// public: a literal IP in a forbidden range or a localhost-like name. A name
// is not resolved here: the guarded dialer checks the address again at
// delivery time, when it may have changed.
func CheckCallbackURL(raw string, allowPrivate bool) error {
	bad := func(msg string) error {
		e := ktpocr.Errorf(ktpocr.CodeCallbackURL, "callback_url %s", msg)
		e.Fields = []string{"callback_url"}
		return e
	}
	if strings.TrimSpace(raw) == "" {
		return bad("is empty")
	}
	if len(raw) > maxCallbackURL {
		return bad("is too long")
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" {
		return bad("is not a valid absolute URL")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !allowPrivate {
			return bad("must use https")
		}
	default:
		return bad("must use https")
	}
	if u.User != nil {
		return bad("must not carry credentials")
	}
	host := u.Hostname()
	if host == "" {
		return bad("has no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return bad("has an invalid port")
		}
	}
	if allowPrivate {
		return nil
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if !IsPublic(a) {
			return bad("points to a non-public address")
		}
		return nil
	}
	if isLocalName(host) {
		return bad("points to a non-public host")
	}
	return nil
}

// isLocalName reports whether host is a name that points at the service's
// own machine or network rather than the Internet: localhost and its
// relatives, single-label names (completed by the resolver's search list)
// and special-use suffixes.
func isLocalName(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "" || !strings.Contains(h, ".") {
		return true
	}
	for _, suffix := range []string{
		".localhost", ".local", ".localdomain", ".internal", ".intranet",
		".lan", ".home", ".corp", ".private", ".home.arpa", ".in-addr.arpa", ".ip6.arpa",
		".test", ".invalid", ".example", ".onion",
	} {
		if strings.HasSuffix(h, suffix) || h == suffix[1:] {
			return true
		}
	}
	// A last label of digits or hex ("2130706433", "0x7f.1") is how C
	// resolvers spell IPv4 addresses; no real top-level domain looks so.
	tld := h[strings.LastIndexByte(h, '.')+1:]
	return strings.Trim(tld, "0123456789") == "" || strings.HasPrefix(tld, "0x")
}
