package netguard

import "net/netip"

// TreatAsPublic returns o with the given addresses counted as public, so
// that tests can stand up "public" servers on loopback (127.0.0.2) and
// still see every other loopback address refused.
func TreatAsPublic(o Options, addrs ...netip.Addr) Options {
	o.isPublic = func(a netip.Addr) bool {
		for _, p := range addrs {
			if a == p {
				return true
			}
		}
		return IsPublic(a)
	}
	return o
}
