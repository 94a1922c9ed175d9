// Package console serves the web console: one embedded page, its script and
// its stylesheet, with which an operator or a developer sends a card image
// to the public API of the same origin and sees what came back (fields,
// confidences, quality flags, NIK checks, the card's corners over the photo,
// the raw JSON). It adds no API of its own and needs no build step.
package console

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// ContentSecurityPolicy is sent with every response of the console. Scripts
// and styles come only from the console's own files, so nothing injected
// into the page (a field read from a card, say) can run; images may be the
// blob: previews of files the user picked; the API is the only place the
// page talks to.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' blob: data:; connect-src 'self'; form-action 'none'; " +
	"frame-ancestors 'none'; base-uri 'none'"

type asset struct {
	name        string
	contentType string
	body        []byte
	etag        string
}

// Handler returns the console's handler. It may be mounted under any prefix
// (the lead mounts it at /console): assets are found by the last element of
// the path, and a request for the prefix without its trailing slash is
// redirected to it, so that the page's relative links resolve.
func Handler() http.Handler {
	h := &handler{assets: map[string]*asset{}}
	for name, ct := range map[string]string{
		"index.html": "text/html; charset=utf-8",
		"app.js":     "text/javascript; charset=utf-8",
		"app.css":    "text/css; charset=utf-8",
	} {
		b, err := fs.ReadFile(staticFS, "static/"+name)
		if err != nil {
			panic("console: embedded file missing: " + name) // a build fault, caught by the tests
		}
		sum := sha256.Sum256(b)
		h.assets[name] = &asset{name: name, contentType: ct, body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return h
}

type handler struct {
	assets map[string]*asset
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", ContentSecurityPolicy)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("X-Frame-Options", "DENY")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Cross-Origin-Opener-Policy", "same-origin")

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	a, status := h.lookup(r)
	switch status {
	case http.StatusMovedPermanently:
		// The prefix itself ("/console"): add the slash so that the page's
		// relative links resolve under it.
		target := originalPath(r) + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, status)
		return
	case http.StatusNotFound:
		http.NotFound(w, r)
		return
	}
	hdr.Set("Content-Type", a.contentType)
	// Revalidate every time: the files change with each release and are small.
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("ETag", a.etag)
	http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.body))
}

// lookup finds the asset r asks for, or says to redirect or answer 404.
func (h *handler) lookup(r *http.Request) (*asset, int) {
	p := r.URL.Path
	if strings.HasSuffix(p, "/") || (p == "" && strings.HasSuffix(originalPath(r), "/")) {
		return h.assets["index.html"], http.StatusOK
	}
	name := path.Base(p)
	if a, ok := h.assets[name]; ok {
		return a, http.StatusOK
	}
	if p == "" || !strings.Contains(name, ".") {
		return nil, http.StatusMovedPermanently
	}
	return nil, http.StatusNotFound
}

// originalPath returns the path the client asked for, before any prefix was
// stripped by the router in front of the console.
func originalPath(r *http.Request) string {
	if r.RequestURI != "" {
		if u, err := url.ParseRequestURI(r.RequestURI); err == nil && u.Path != "" {
			return u.Path
		}
	}
	if r.URL.Path == "" {
		return "/"
	}
	return r.URL.Path
}
