package netguard_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/netguard"
)

func TestIsPublic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr string
		want bool
	}{
		// IPv4 public
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"93.184.216.34", true},
		{"100.63.255.255", true}, // just below CGNAT
		{"100.128.0.0", true},    // just above CGNAT
		{"172.15.255.255", true},
		{"172.32.0.0", true},
		{"198.17.255.255", true},
		{"198.20.0.0", true},
		{"223.255.255.255", true},
		// IPv4 forbidden
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"10.0.0.1", false},
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"127.0.0.1", false},
		{"127.255.255.254", false},
		{"169.254.169.254", false},
		{"169.254.0.1", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"192.0.0.170", false},
		{"192.0.2.1", false},
		{"192.168.1.1", false},
		{"198.18.0.1", false},
		{"198.19.255.255", false},
		{"198.51.100.7", false},
		{"203.0.113.9", false},
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"240.0.0.1", false},
		{"255.255.255.255", false},
		// IPv6 public
		{"2606:4700:4700::1111", true},
		{"2001:4860:4860::8888", true},
		{"2a00:1450:4001:80b::200e", true},
		// IPv6 forbidden
		{"::", false},
		{"::1", false},
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"fc00::1", false},
		{"fd12:3456:789a::1", false},
		{"fec0::1", false},
		{"ff02::1", false},
		{"ff05::1:3", false},
		{"100::1", false},
		{"2001:db8::1", false},
		{"2001::1", false}, // Teredo
		{"3fff::1", false},
		{"::127.0.0.1", false}, // IPv4-compatible (deprecated)
		{"::8.8.8.8", false},
		// IPv4-mapped IPv6: judged by the IPv4 inside
		{"::ffff:127.0.0.1", false},
		{"::ffff:169.254.169.254", false},
		{"::ffff:10.1.2.3", false},
		{"::ffff:0.0.0.0", false},
		{"::ffff:8.8.8.8", true},
		// NAT64 and 6to4: judged by the IPv4 inside
		{"64:ff9b::7f00:1", false},
		{"64:ff9b::a9fe:a9fe", false},
		{"64:ff9b::808:808", true},
		{"2002:7f00:1::1", false},
		{"2002:c0a8:101::1", false},
		{"2002:808:808::1", true},
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		if got := netguard.IsPublic(a); got != tt.want {
			t.Errorf("IsPublic(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
	if netguard.IsPublic(netip.Addr{}) {
		t.Error("IsPublic(zero Addr) = true, want false")
	}
}

func TestCheckCallbackURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://example.com/hook", false, true},
		{"https://api.client.co.id:8443/ktp/callback?x=1", false, true},
		{"https://8.8.8.8/hook", false, true},
		{"https://[2606:4700:4700::1111]/hook", false, true},
		{"", false, false},
		{"   ", false, false},
		{"not a url", false, false},
		{"/relative/path", false, false},
		{"https://", false, false},
		{"http://example.com/hook", false, false},
		{"ftp://example.com/hook", false, false},
		{"javascript:alert(1)", false, false},
		{"https://user:pass@example.com/hook", false, false},
		{"https://example.com:99999/hook", false, false},
		{"https://localhost/hook", false, false},
		{"https://LOCALHOST./hook", false, false},
		{"https://app.localhost/hook", false, false},
		{"https://metadata.google.internal/computeMetadata/v1/", false, false},
		{"https://printer.local/", false, false},
		{"https://router.home.arpa/", false, false},
		{"https://db/", false, false},
		{"https://127.0.0.1/hook", false, false},
		{"https://169.254.169.254/latest/meta-data/", false, false},
		{"https://10.0.0.5/hook", false, false},
		{"https://[::1]/hook", false, false},
		{"https://[::ffff:127.0.0.1]/hook", false, false},
		{"https://[fe80::1%25eth0]/hook", false, false},
		{"https://2130706433/hook", false, false},
		{"https://0x7f.1/hook", false, false},
		{"https://127.1/hook", false, false},
		{"https://" + strings.Repeat("a", 2100) + ".com/", false, false},
		// allowPrivate: plain http and private hosts pass, malformed still fails
		{"http://127.0.0.1:8080/hook", true, true},
		{"https://localhost/hook", true, true},
		{"http://db:9000/", true, true},
		{"ftp://127.0.0.1/", true, false},
		{"", true, false},
		{"http://", true, false},
	}
	for _, tt := range tests {
		err := netguard.CheckCallbackURL(tt.url, tt.allowPrivate)
		if tt.ok {
			if err != nil {
				t.Errorf("CheckCallbackURL(%.60q, %v) = %v, want nil", tt.url, tt.allowPrivate, err)
			}
			continue
		}
		var e *ktpocr.Error
		if !errors.As(err, &e) || e.Code != ktpocr.CodeCallbackURL {
			t.Errorf("CheckCallbackURL(%.60q, %v) = %v, want code %s", tt.url, tt.allowPrivate, err, ktpocr.CodeCallbackURL)
			continue
		}
		if len(e.Fields) != 1 || e.Fields[0] != "callback_url" {
			t.Errorf("CheckCallbackURL(%.60q) fields = %v, want [callback_url]", tt.url, e.Fields)
		}
	}
}

// serveOn starts h on addr ("127.0.0.2:0"); tests only listen on and send
// to 127.0.0.0/8.
func serveOn(t *testing.T, addr string, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	s := httptest.NewUnstartedServer(h)
	s.Listener.Close()
	s.Listener = l
	s.Start()
	t.Cleanup(s.Close)
	return s
}

var publicLoopback = netip.MustParseAddr("127.0.0.2")

func pngHandler(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(body)
	})
}

func wantCode(t *testing.T, err error, code ktpocr.Code) *ktpocr.Error {
	t.Helper()
	var e *ktpocr.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	return e
}

func TestLoopbackRefusedByDefault(t *testing.T) {
	t.Parallel()
	srv := serveOn(t, "127.0.0.1:0", pngHandler([]byte("img")))
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	for _, u := range []string{
		srv.URL,
		"http://localhost:" + port + "/",    // a name resolving to loopback
		"http://[::ffff:127.0.0.1]:" + port, // mapped form of the same address
	} {
		_, err := netguard.FetchImage(context.Background(), netguard.NewClient(netguard.Options{}), u)
		e := wantCode(t, err, ktpocr.CodeImageFormat)
		if !errors.Is(err, netguard.ErrForbidden) {
			t.Errorf("FetchImage(%s) cause = %v, want ErrForbidden", u, e.Err)
		}
		if strings.Contains(e.Message, "127.0.0.1") || strings.Contains(e.Message, "forbidden") {
			t.Errorf("FetchImage(%s) message %q leaks internals", u, e.Message)
		}
	}

	got, err := netguard.FetchImage(context.Background(), netguard.NewClient(netguard.Options{AllowPrivate: true}), srv.URL)
	if err != nil || string(got) != "img" {
		t.Fatalf("FetchImage with AllowPrivate = %q, %v; want \"img\", nil", got, err)
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	forbidden := serveOn(t, "127.0.0.1:0", pngHandler([]byte("secret")))
	var public *httptest.Server
	public = serveOn(t, "127.0.0.2:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/img":
			w.Write([]byte("ok"))
		case "/to-forbidden":
			http.Redirect(w, r, forbidden.URL+"/", http.StatusFound)
		default: // /hop/N redirects N more times, then to /img
			var n int
			if _, err := fmt.Sscanf(r.URL.Path, "/hop/%d", &n); err != nil {
				http.NotFound(w, r)
				return
			}
			next := "/img"
			if n > 1 {
				next = fmt.Sprintf("/hop/%d", n-1)
			}
			http.Redirect(w, r, public.URL+next, http.StatusFound)
		}
	}))
	client := netguard.NewClient(netguard.TreatAsPublic(netguard.Options{}, publicLoopback))
	ctx := context.Background()

	if got, err := netguard.FetchImage(ctx, client, public.URL+"/img"); err != nil || string(got) != "ok" {
		t.Fatalf("FetchImage(public) = %q, %v; want \"ok\", nil", got, err)
	}
	if got, err := netguard.FetchImage(ctx, client, public.URL+"/hop/3"); err != nil || string(got) != "ok" {
		t.Fatalf("FetchImage(3 redirects) = %q, %v; want \"ok\", nil", got, err)
	}
	_, err := netguard.FetchImage(ctx, client, public.URL+"/hop/4")
	if e := wantCode(t, err, ktpocr.CodeImageFormat); !strings.Contains(e.Err.Error(), "redirects") {
		t.Errorf("4 redirects: cause %v, want the redirect limit", e.Err)
	}

	_, err = netguard.FetchImage(ctx, client, public.URL+"/to-forbidden")
	wantCode(t, err, ktpocr.CodeImageFormat)
	if !errors.Is(err, netguard.ErrForbidden) {
		t.Errorf("redirect to 127.0.0.1: cause %v, want ErrForbidden", err)
	}
}

func TestFetchImageErrors(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte{0xff}, netguard.MaxImageBytes+1)
	exact := big[:netguard.MaxImageBytes]
	srv := serveOn(t, "127.0.0.2:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/exact":
			w.Write(exact)
		case "/big": // Content-Length announces the size
			w.Write(big)
		case "/big-chunked": // no Content-Length: the read limit catches it
			w.Header().Set("Content-Type", "image/jpeg")
			for i := 0; i < len(big); i += 1 << 20 {
				w.Write(big[i:min(i+1<<20, len(big))])
				w.(http.Flusher).Flush()
			}
		case "/404":
			http.NotFound(w, r)
		case "/500":
			http.Error(w, "boom", 500)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case "/slow-body":
			w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	}))
	client := netguard.NewClient(netguard.TreatAsPublic(netguard.Options{}, publicLoopback))
	shortClient := netguard.NewClient(netguard.TreatAsPublic(netguard.Options{Timeout: 200 * time.Millisecond}, publicLoopback))
	ctx := context.Background()

	got, err := netguard.FetchImage(ctx, client, srv.URL+"/exact")
	if err != nil || len(got) != netguard.MaxImageBytes {
		t.Errorf("FetchImage(exactly 5 MB) = %d bytes, %v; want %d, nil", len(got), err, netguard.MaxImageBytes)
	}

	tests := []struct {
		name   string
		client *http.Client
		ctx    func() (context.Context, context.CancelFunc)
		url    string
		code   ktpocr.Code
	}{
		{"too big", client, nil, srv.URL + "/big", ktpocr.CodeImageSize},
		{"too big chunked", client, nil, srv.URL + "/big-chunked", ktpocr.CodeImageSize},
		{"404", client, nil, srv.URL + "/404", ktpocr.CodeImageFormat},
		{"500", client, nil, srv.URL + "/500", ktpocr.CodeImageFormat},
		{"client timeout", shortClient, nil, srv.URL + "/slow", ktpocr.CodeImageTimeout},
		{"body timeout", shortClient, nil, srv.URL + "/slow-body", ktpocr.CodeImageTimeout},
		{"deadline", client, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(ctx, 200*time.Millisecond)
		}, srv.URL + "/slow", ktpocr.CodeImageTimeout},
		{"not http", client, nil, "file:///etc/passwd", ktpocr.CodeImageFormat},
		{"no host", client, nil, "http:///x", ktpocr.CodeImageFormat},
		{"garbage", client, nil, "::::", ktpocr.CodeImageFormat},
		{"closed port", client, nil, "http://127.0.0.2:1/", ktpocr.CodeImageFormat},
		{"nil client refuses loopback", nil, nil, srv.URL + "/exact", ktpocr.CodeImageFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, cancel := context.WithCancel(ctx)
			if tt.ctx != nil {
				c, cancel = tt.ctx()
			}
			defer cancel()
			start := time.Now()
			_, err := netguard.FetchImage(c, tt.client, tt.url)
			wantCode(t, err, tt.code)
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("FetchImage took %v", d)
			}
		})
	}
}

func TestFetchImageCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := netguard.FetchImage(ctx, netguard.NewClient(netguard.Options{}), "http://127.0.0.2:1/")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("FetchImage(cancelled ctx) = %v, want context.Canceled", err)
	}
}
