package console_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/console"
)

func get(t *testing.T, h http.Handler, method, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandlerServesAssets(t *testing.T) {
	t.Parallel()
	// Mounted as the lead does, and also behind StripPrefix: both must work.
	mux := http.NewServeMux()
	mux.Handle("/console/", console.Handler())
	mux.Handle("/strip/", http.StripPrefix("/strip", console.Handler()))
	mux.Handle("/strip", http.StripPrefix("/strip", console.Handler()))

	tests := []struct {
		target      string
		status      int
		contentType string
		contains    string
		location    string
	}{
		{"/console/", 200, "text/html; charset=utf-8", `<script src="app.js" defer></script>`, ""},
		{"/console/index.html", 200, "text/html; charset=utf-8", "<title>ktpocr console</title>", ""},
		{"/console/app.js", 200, "text/javascript; charset=utf-8", "/ktp/id/extract-async/result", ""},
		{"/console/app.css", 200, "text/css; charset=utf-8", ".conf-low", ""},
		{"/console/missing.png", 404, "", "", ""},
		{"/strip/", 200, "text/html; charset=utf-8", "<title>ktpocr console</title>", ""},
		{"/strip/app.js", 200, "text/javascript; charset=utf-8", "sessionStorage", ""},
		{"/strip?x=1", 301, "", "", "/strip/?x=1"},
	}
	for _, tt := range tests {
		resp := get(t, mux, "GET", tt.target, nil)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s: status %d, want %d", tt.target, resp.StatusCode, tt.status)
			continue
		}
		if got := resp.Header.Get("Content-Security-Policy"); got != console.ContentSecurityPolicy {
			t.Errorf("GET %s: CSP = %q, want %q", tt.target, got, console.ContentSecurityPolicy)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options = %q, want nosniff", tt.target, got)
		}
		if tt.contentType != "" {
			if got := resp.Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("GET %s: Content-Type = %q, want %q", tt.target, got, tt.contentType)
			}
		}
		if tt.contains != "" && !strings.Contains(string(body), tt.contains) {
			t.Errorf("GET %s: body lacks %q", tt.target, tt.contains)
		}
		if tt.location != "" {
			if got := resp.Header.Get("Location"); got != tt.location {
				t.Errorf("GET %s: Location = %q, want %q", tt.target, got, tt.location)
			}
		}
	}
}

func TestHandlerDirectRedirect(t *testing.T) {
	t.Parallel()
	// A router that hands "/console" itself to the handler (chi's Mount does).
	resp := get(t, console.Handler(), "GET", "/console?a=b", nil)
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "/console/?a=b" {
		t.Errorf("GET /console = %d %q, want 301 /console/?a=b", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestHandlerMethodsAndCaching(t *testing.T) {
	t.Parallel()
	h := console.Handler()
	resp := get(t, h, "POST", "/console/", nil)
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST = %d Allow %q, want 405 \"GET, HEAD\"", resp.StatusCode, resp.Header.Get("Allow"))
	}
	resp = get(t, h, "HEAD", "/console/app.js", nil)
	if resp.StatusCode != 200 {
		t.Errorf("HEAD app.js = %d, want 200", resp.StatusCode)
	}
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	resp = get(t, h, "GET", "/console/app.js", map[string]string{"If-None-Match": etag})
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("GET with If-None-Match = %d, want 304", resp.StatusCode)
	}
}

// The CSP forbids inline code; a page that relied on it would silently
// break in the browser, so the page is checked for it here.
func TestPageHasNoInlineCode(t *testing.T) {
	t.Parallel()
	page := readStatic(t, "index.html")
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]+</script>`),     // inline script body
		regexp.MustCompile(`<script(?:\s(?:[^s>]|s[^r]|sr[^c])*)?>`), // a script without src
		regexp.MustCompile(`\son[a-z]+\s*=`),                         // event handler attributes
		regexp.MustCompile(`\sstyle\s*=`),                            // inline styles
		regexp.MustCompile(`<style`),                                 // style elements
		regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//`),     // anything off-origin (CDN)
		regexp.MustCompile(`(?i)javascript:`),
	} {
		if m := re.FindString(page); m != "" {
			t.Errorf("index.html has %q, which the CSP forbids", m)
		}
	}
	js := readStatic(t, "app.js")
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", ".style.", "localStorage"} {
		if strings.Contains(js, bad) {
			t.Errorf("app.js uses %s", bad)
		}
	}
}

// Every element the script looks up must exist in the page.
func TestScriptIDsExist(t *testing.T) {
	t.Parallel()
	page := readStatic(t, "index.html")
	js := readStatic(t, "app.js")
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		ids[m[1]] = true
	}
	refs := regexp.MustCompile(`\$\('([^']+)'\)`).FindAllStringSubmatch(js, -1)
	if len(refs) < 10 {
		t.Fatalf("found only %d element lookups in app.js", len(refs))
	}
	for _, m := range refs {
		if !ids[m[1]] {
			t.Errorf("app.js looks up #%s, which index.html lacks", m[1])
		}
	}
}

// The script's field list must follow the API's; a renamed field would
// otherwise vanish from the table.
func TestScriptFieldList(t *testing.T) {
	t.Parallel()
	js := readStatic(t, "app.js")
	for _, f := range ktpocr.FieldNames {
		if !strings.Contains(js, "'"+f+"'") {
			t.Errorf("app.js lacks field %q", f)
		}
	}
}

// The script is checked for syntax errors when node is installed; the
// embedded file would otherwise fail only in a browser.
func TestScriptSyntax(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	if out, err := exec.Command(node, "--check", "static/app.js").CombinedOutput(); err != nil {
		t.Errorf("node --check app.js: %v\n%s", err, out)
	}
}

func readStatic(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("static/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
