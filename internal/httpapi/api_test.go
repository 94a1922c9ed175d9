package httpapi_test

import (
	"context"
	"fmt"
	"hash/crc32"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/httpapi"
)

const (
	syncPath   = "/v2/ktp/extract"
	asyncPath  = "/ktp/id/extract-async"
	resultPath = "/ktp/id/extract-async/result"
)

// bigPNGHeader is a valid PNG signature and IHDR claiming 60000x60000
// pixels: a decompression bomb that must be refused from its header.
func bigPNGHeader() []byte {
	b := pngOf(nil, 720, 480, 1)
	// IHDR data starts at byte 16: width, height big-endian.
	out := append([]byte(nil), b...)
	put := func(at int, v uint32) {
		out[at], out[at+1], out[at+2], out[at+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	put(16, 60000)
	put(20, 60000)
	// Recompute the IHDR CRC over type+data (bytes 12..29).
	put(29, crc32.ChecksumIEEE(out[12:29]))
	return out
}

// TestRequestErrors covers every request-error row of the contract's table
// for a live App, on each endpoint it applies to.
func TestRequestErrors(t *testing.T) {
	e := setup(t, nil)
	images(t)
	long := strings.Repeat("a", 65)
	over5MB := b64(make([]byte, 5<<20+10))
	tests := []struct {
		name   string
		paths  []string
		body   any
		status int
		code   ktpocr.Code
		fields []string
		msg    string // in the message
	}{
		{"not JSON", both, `{"image": `, 400, ktpocr.CodeInvalidPayload, nil, "not valid JSON"},
		{"not an object", both, `["image"]`, 400, ktpocr.CodeInvalidPayload, nil, "not a JSON object"},
		{"empty body", both, ``, 400, ktpocr.CodeInvalidPayload, nil, "empty"},
		{"empty object", both, `{}`, 400, ktpocr.CodeInvalidPayload, nil, "empty"},
		{"trailing data", both, `{"image":"x"} {}`, 400, ktpocr.CodeInvalidPayload, nil, "after"},
		{"several empty fields", both, `{"image":"","reference_id":"","validate_quality":null}`, 400, ktpocr.CodeInvalidPayload,
			[]string{"image", "validate_quality", "reference_id"}, "several"},
		{"image wrong type", both, `{"image":42}`, 400, ktpocr.CodeInvalidPayload, []string{"image"}, "wrong type"},
		{"validate_quality wrong type", both, `{"image":"x","validate_quality":"yes"}`, 400, ktpocr.CodeInvalidPayload, []string{"validate_quality"}, "wrong type"},
		{"no image key", both, `{"validate_quality":true}`, 400, ktpocr.CodeMissingImage, []string{"image"}, "required"},
		{"image empty", both, `{"image":"","validate_quality":true}`, 400, ktpocr.CodeImageMissing, []string{"image"}, "empty"},
		{"image null", both, `{"image":null}`, 400, ktpocr.CodeImageMissing, []string{"image"}, "empty"},
		{"image over 5 MB", both, map[string]any{"image": over5MB}, 400, ktpocr.CodeImageSize, []string{"image"}, "5 MB"},
		{"image under 720x480", both, map[string]any{"image": b64(imgSmall)}, 400, ktpocr.CodeImageSize, []string{"image"}, "720x480"},
		{"image pixel bomb", both, map[string]any{"image": b64(bigPNGHeader())}, 400, ktpocr.CodeImageSize, []string{"image"}, "megapixels"},
		{"image URL too large", both, map[string]any{"image": "https://img.example.com/big.png"}, 400, ktpocr.CodeImageSize, nil, "5 MB"},
		{"image not base64", both, map[string]any{"image": "not base64 at all!"}, 400, ktpocr.CodeImageFormat, []string{"image"}, "base64"},
		{"image GIF", both, map[string]any{"image": b64([]byte("GIF89a\x01\x00\x01\x00"))}, 400, ktpocr.CodeImageFormat, []string{"image"}, "JPEG or PNG"},
		{"image truncated PNG", both, map[string]any{"image": b64(imgCard[:20])}, 400, ktpocr.CodeImageFormat, []string{"image"}, "decoded"},
		{"image URL not an image", both, map[string]any{"image": "https://img.example.com/page.html"}, 400, ktpocr.CodeImageFormat, []string{"image"}, "JPEG or PNG"},
		{"image URL 404", both, map[string]any{"image": "https://img.example.com/none.png"}, 400, ktpocr.CodeImageFormat, nil, "404"},
		{"image URL unreachable", both, map[string]any{"image": "https://img.example.com/gone.png"}, 400, ktpocr.CodeImageFormat, []string{"image"}, "could not be fetched"},
		{"image data URL not base64", both, map[string]any{"image": "data:image/png," + b64(imgCard)}, 400, ktpocr.CodeImageFormat, []string{"image"}, "base64"},
		{"image URL timeout", both, map[string]any{"image": "https://img.example.com/slow.png"}, 400, ktpocr.CodeImageTimeout, nil, "15 s"},
		{"callback_url on sync", sync1, map[string]any{"image": b64(imgCard), "callback_url": "https://cb.example.com/k"}, 400, ktpocr.CodeCallbackURL, []string{"callback_url"}, "async"},
		{"callback_url empty", async1, map[string]any{"image": b64(imgCard), "callback_url": ""}, 400, ktpocr.CodeCallbackURL, []string{"callback_url"}, "empty"},
		{"callback_url http", async1, map[string]any{"image": b64(imgCard), "callback_url": "http://cb.example.com/k"}, 400, ktpocr.CodeCallbackURL, []string{"callback_url"}, "https"},
		{"callback_url malformed", async1, map[string]any{"image": b64(imgCard), "callback_url": "https//cb"}, 400, ktpocr.CodeCallbackURL, []string{"callback_url"}, "absolute"},
		{"callback_url ftp", async1, map[string]any{"image": b64(imgCard), "callback_url": "ftp://cb.example.com/k"}, 400, ktpocr.CodeCallbackURL, []string{"callback_url"}, "https"},
		{"callback_url localhost", async1, map[string]any{"image": b64(imgCard), "callback_url": "https://localhost:8443/k"}, 400, ktpocr.CodeCallbackURL, []string{"callback_url"}, "non-public"},
		{"callback_url private IP", async1, map[string]any{"image": b64(imgCard), "callback_url": "https://10.1.2.3/k"}, 400, ktpocr.CodeCallbackURL, []string{"callback_url"}, "non-public"},
		{"callback_url metadata IP", async1, map[string]any{"image": b64(imgCard), "callback_url": "https://169.254.169.254/latest"}, 400, ktpocr.CodeCallbackURL, []string{"callback_url"}, "non-public"},
		{"callback_url IPv6 loopback", async1, map[string]any{"image": b64(imgCard), "callback_url": "https://[::1]/k"}, 400, ktpocr.CodeCallbackURL, []string{"callback_url"}, "non-public"},
		{"callback_url credentials", async1, map[string]any{"image": b64(imgCard), "callback_url": "https://u:p@cb.example.com/k"}, 400, ktpocr.CodeCallbackURL, []string{"callback_url"}, "credentials"},
		{"reference_id too short", both, map[string]any{"image": b64(imgCard), "reference_id": "abc12"}, 400, ktpocr.CodeReferenceID, []string{"reference_id"}, "too short"},
		{"reference_id empty", both, map[string]any{"image": b64(imgCard), "reference_id": ""}, 400, ktpocr.CodeReferenceID, []string{"reference_id"}, "too short"},
		{"reference_id too long", both, map[string]any{"image": b64(imgCard), "reference_id": long}, 400, ktpocr.CodeReferenceID, []string{"reference_id"}, "too long"},
		{"reference_id bad characters", both, map[string]any{"image": b64(imgCard), "reference_id": "order/123 456"}, 400, ktpocr.CodeReferenceID, []string{"reference_id"}, "characters"},
		{"reference_id wrong type", both, map[string]any{"image": b64(imgCard), "reference_id": 123456}, 400, ktpocr.CodeInvalidPayload, []string{"reference_id"}, "wrong type"},
		{"extractor fault", sync1, map[string]any{"image": b64(imgFault)}, 500, ktpocr.CodeInternal, nil, "Internal server error"},
	}
	for _, tt := range tests {
		for _, path := range tt.paths {
			t.Run(tt.name+path, func(t *testing.T) {
				r := e.call("POST", path, liveApp, tt.body)
				if r.status != tt.status || r.code() != string(tt.code) {
					t.Fatalf("POST %s = %d %s, want %d %s; body %.300s", path, r.status, r.code(), tt.status, tt.code, r.raw)
				}
				if tt.fields != nil {
					if diff := cmp.Diff(tt.fields, r.fields()); diff != "" {
						t.Errorf("error_fields (-want +got):\n%s", diff)
					}
				}
				if msg, _ := r.body["message"].(string); !strings.Contains(msg, tt.msg) {
					t.Errorf("message = %q, want it to contain %q", msg, tt.msg)
				}
			})
		}
	}
}

var (
	both   = []string{syncPath, asyncPath}
	sync1  = []string{syncPath}
	async1 = []string{asyncPath}
)

func TestSyncLive(t *testing.T) {
	e := setup(t, nil)
	tests := []struct {
		name    string
		body    map[string]any
		status  int
		code    string
		card    bool
		quality map[string]any
	}{
		{"card", map[string]any{"image": b64(imgCard), "reference_id": "order-1.2:3_x"}, 200, "", true, nil},
		{"data URL", map[string]any{"image": "data:image/png;base64," + b64(imgCard)}, 200, "", true, nil},
		{"base64 with newlines", map[string]any{"image": wrap76(b64(imgCard))}, 200, "", true, nil},
		{"image URL", map[string]any{"image": "https://img.example.com/card.png"}, 200, "", true, nil},
		{"blurry, not validated", map[string]any{"image": b64(imgBlurry)}, 200, "", true, map[string]any{"blur": true, "dark": false, "flashlight": false, "grayscale": false}},
		{"blurry, validated: FAIL_ON_1 at 200", map[string]any{"image": b64(imgBlurry), "validate_quality": true}, 200, "FAIL_ON_1", false, map[string]any{"blur": true, "dark": false, "flashlight": false, "grayscale": false}},
		{"no KTP: 400", map[string]any{"image": b64(imgNoKTP)}, 400, "KTP_NOT_DETECTED", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call("POST", syncPath, liveApp, tt.body)
			if r.status != tt.status || r.code() != tt.code {
				t.Fatalf("status, error_code = %d %q, want %d %q; %.300s", r.status, r.code(), tt.status, tt.code, r.raw)
			}
			d := r.data()
			if tt.card {
				if d["nik"] != testCard.NIK || d["full_name"] != testCard.FullName || d["status"] != "SUCCEEDED" || d["status_code"] != "BILLABLE" {
					t.Errorf("data = %v, want the card, SUCCEEDED, BILLABLE", d)
				}
			} else if _, ok := d["nik"]; ok {
				t.Errorf("failed extraction carries card fields: %v", d)
			}
			if tt.quality != nil {
				if diff := cmp.Diff(tt.quality, d["image_quality"]); diff != "" {
					t.Errorf("image_quality (-want +got):\n%s", diff)
				}
			}
			ref, _ := d["reference_id"].(string)
			if want, ok := tt.body["reference_id"]; ok && ref != want {
				t.Errorf("reference_id = %q, want %q", ref, want)
			}
			if len(ref) != 36 && tt.body["reference_id"] == nil {
				t.Errorf("generated reference_id = %q, want a UUID", ref)
			}
		})
	}
}

func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

func TestUnauthorized(t *testing.T) {
	e := setup(t, nil)
	wrongKey := &ktpocr.App{ID: liveApp.ID}
	keys[wrongKey] = "not-the-key"
	unknown := &ktpocr.App{ID: "nobody"}
	keys[unknown] = "live-key"
	t.Cleanup(func() { delete(keys, wrongKey); delete(keys, unknown) })
	var bodies []string
	before := e.apps.Calls()
	cases := []struct {
		name string
		app  *ktpocr.App
	}{{"no headers", nil}, {"wrong key", wrongKey}, {"unknown App-ID", unknown}}
	for _, c := range cases {
		for _, p := range []struct{ method, path string }{{"POST", syncPath}, {"POST", asyncPath}, {"GET", resultPath + "?reference_id=abcdef"}} {
			r := e.call(p.method, p.path, c.app, map[string]any{"image": b64(imgCard)})
			if r.status != 401 || r.code() != "UNAUTHORIZED" {
				t.Errorf("%s: %s %s = %d %s, want 401 UNAUTHORIZED", c.name, p.method, p.path, r.status, r.code())
			}
			bodies = append(bodies, string(r.raw))
		}
	}
	// One path for every refusal: Authenticate ran each time (even
	// without headers), and nothing in the answer tells the cases apart.
	if got, want := e.apps.Calls()-before, len(bodies); got != want {
		t.Errorf("Authenticate ran %d times for %d refusals", got, want)
	}
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Errorf("refusal bodies differ: %s vs %s", b, bodies[0])
		}
	}
	if e.ex.Calls() != 0 {
		t.Errorf("Extractor ran %d times for unauthenticated requests", e.ex.Calls())
	}
}

func TestBodyLimit(t *testing.T) {
	e := setup(t, func(c *httpapi.Config) { c.MaxBodyBytes = 1 << 20 })
	body := map[string]any{"image": b64(make([]byte, 1<<20))}
	for _, path := range both {
		r := e.call("POST", path, liveApp, body)
		if r.status != http.StatusRequestEntityTooLarge || r.code() != "INVALID_PAYLOAD_IMAGE_SIZE" {
			t.Errorf("POST %s with a body over the limit = %d %s, want 413 INVALID_PAYLOAD_IMAGE_SIZE", path, r.status, r.code())
		}
	}
}

// TestSaturation fills every sync slot and checks that one more request is
// refused at once with 429 and Retry-After, and that slots free up again.
func TestSaturation(t *testing.T) {
	const slots = 2
	var e *env
	e = setup(t, func(c *httpapi.Config) { c.SyncConcurrency = slots })
	e.ex.Gate = make(chan struct{})
	e.ex.Entered = make(chan struct{}, slots)
	var wg sync.WaitGroup
	results := make(chan int, slots)
	for range slots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- e.call("POST", syncPath, liveApp, map[string]any{"image": b64(imgCard)}).status
		}()
	}
	for range slots {
		select {
		case <-e.ex.Entered:
		case <-time.After(10 * time.Second):
			t.Fatal("extractions did not start")
		}
	}
	start := time.Now()
	r := e.call("POST", syncPath, liveApp, map[string]any{"image": b64(imgCard)})
	if r.status != 429 || r.code() != "TOO_MANY_REQUESTS" || r.header.Get("Retry-After") == "" {
		t.Errorf("saturated: %d %s Retry-After %q, want 429 TOO_MANY_REQUESTS with Retry-After", r.status, r.code(), r.header.Get("Retry-After"))
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("429 took %v: the request waited instead of being refused", d)
	}
	// Sandbox Apps run no OCR and are not held back by live load.
	if r := e.call("POST", syncPath, sandboxApp, map[string]any{"image": "KTP"}); r.status != 200 {
		t.Errorf("sandbox sync while saturated = %d, want 200", r.status)
	}
	close(e.ex.Gate)
	wg.Wait()
	close(results)
	for s := range results {
		if s != 200 {
			t.Errorf("held request = %d, want 200", s)
		}
	}
	e.ex.Entered = nil
	if r := e.call("POST", syncPath, liveApp, map[string]any{"image": b64(imgCard)}); r.status != 200 {
		t.Errorf("after release = %d, want 200", r.status)
	}
}

func TestAsyncLive(t *testing.T) {
	e := setup(t, nil)
	r := e.call("POST", asyncPath, liveApp, map[string]any{
		"image": b64(imgCard), "reference_id": "job-000001", "validate_quality": true,
		"callback_url": "https://cb.example.com/ktp",
	})
	if r.status != 200 || r.data()["reference_id"] != "job-000001" {
		t.Fatalf("submit = %d %s, want 200 with reference_id job-000001", r.status, r.raw)
	}
	req, ok := e.jobs.Request(liveApp.ID, "job-000001")
	if !ok || !req.ValidateQuality || req.CallbackURL != "https://cb.example.com/ktp" || string(req.Image) != string(imgCard) {
		t.Errorf("submitted job = %+v, %v; want the decoded image, validate_quality and callback_url", req.CallbackURL, ok)
	}
	// Generated reference ids are UUIDs.
	r = e.call("POST", asyncPath, liveApp, map[string]any{"image": b64(imgCard)})
	if ref, _ := r.data()["reference_id"].(string); r.status != 200 || len(ref) != 36 {
		t.Errorf("submit without reference_id = %d %q, want 200 and a UUID", r.status, ref)
	}
	// Same reference id again: EXISTS; another App may use it.
	r = e.call("POST", asyncPath, liveApp, map[string]any{"image": b64(imgCard), "reference_id": "job-000001"})
	if r.status != 400 || r.code() != "INVALID_PAYLOAD_REFERENCE_ID_EXISTS" {
		t.Errorf("reused reference_id = %d %s, want 400 INVALID_PAYLOAD_REFERENCE_ID_EXISTS", r.status, r.code())
	}
	if r := e.call("POST", asyncPath, otherApp, map[string]any{"image": b64(imgCard), "reference_id": "job-000001"}); r.status != 200 {
		t.Errorf("another App's submit with the same reference_id = %d, want 200", r.status)
	}
	// Private callbacks pass when the operator allows them.
	e2 := setup(t, func(c *httpapi.Config) { c.AllowPrivateNetwork = true })
	if r := e2.call("POST", asyncPath, liveApp, map[string]any{"image": b64(imgCard), "callback_url": "http://10.0.0.5:8080/cb"}); r.status != 200 {
		t.Errorf("http private callback with AllowPrivateNetwork = %d %s, want 200", r.status, r.raw)
	}
}

// TestResultLive covers GET result for a live App: every state of a job
// and every error row of the result table.
func TestResultLive(t *testing.T) {
	e := setup(t, nil)
	submit := func(ref string) {
		t.Helper()
		if r := e.call("POST", asyncPath, liveApp, map[string]any{"image": b64(imgCard), "reference_id": ref}); r.status != 200 {
			t.Fatalf("submit %s = %d %s", ref, r.status, r.raw)
		}
	}
	for _, ref := range []string{"processing", "done-ok", "done-noktp", "done-fail1", "done-fault"} {
		submit(ref)
	}
	card := testCard
	e.jobs.Finish(liveApp.ID, "done-ok", ktpocr.NewResultBody("done-ok", &ktpocr.Extraction{Card: card}, nil))
	e.jobs.Finish(liveApp.ID, "done-noktp", ktpocr.NewResultBody("done-noktp", nil, ktpocr.Errorf(ktpocr.CodeNotKTP, "KTP not detected from image")))
	e.jobs.Finish(liveApp.ID, "done-fail1", ktpocr.NewResultBody("done-fail1", &ktpocr.Extraction{Quality: ktpocr.Quality{Dark: true}}, ktpocr.Errorf(ktpocr.CodeFailOn1, "Fail on quality")))
	e.jobs.Finish(liveApp.ID, "done-fault", ktpocr.NewResultBody("done-fault", nil, fmt.Errorf("engine: %s", secret)))

	tests := []struct {
		name   string
		app    *ktpocr.App
		query  string
		body   any
		status int
		code   string
		state  string // data.status
	}{
		{"processing", liveApp, "?reference_id=processing", nil, 202, "", "PROCESSING"},
		{"succeeded", liveApp, "?reference_id=done-ok", nil, 200, "", "SUCCEEDED"},
		{"KTP_NOT_DETECTED at 200", liveApp, "?reference_id=done-noktp", nil, 200, "KTP_NOT_DETECTED", "FAILED"},
		{"FAIL_ON_1 at 200", liveApp, "?reference_id=done-fail1", nil, 200, "FAIL_ON_1", "FAILED"},
		{"INTERNAL_SERVER_ERROR at 200", liveApp, "?reference_id=done-fault", nil, 200, "INTERNAL_SERVER_ERROR", "FAILED"},
		{"JSON body", liveApp, "", `{"reference_id":"done-ok"}`, 200, "", "SUCCEEDED"},
		{"unknown", liveApp, "?reference_id=never-submitted", nil, 404, "INVALID_PAYLOAD_REFERENCE_ID_NOT_FOUND", ""},
		{"another App's job is invisible", otherApp, "?reference_id=done-ok", nil, 404, "INVALID_PAYLOAD_REFERENCE_ID_NOT_FOUND", ""},
		{"missing", liveApp, "", nil, 404, "INVALID_PAYLOAD_REFERENCE_ID_NOT_FOUND", ""},
		{"empty query", liveApp, "?reference_id=", nil, 404, "INVALID_PAYLOAD_REFERENCE_ID_NOT_FOUND", ""},
		{"JSON body without it", liveApp, "", `{"other":1}`, 404, "INVALID_PAYLOAD_REFERENCE_ID_NOT_FOUND", ""},
		{"JSON body not JSON", liveApp, "", `{"reference_id":`, 400, "INVALID_PAYLOAD", ""},
		{"too short", liveApp, "?reference_id=abc", nil, 400, "INVALID_PAYLOAD_REFERENCE_ID", ""},
		{"too long", liveApp, "?reference_id=" + strings.Repeat("x", 65), nil, 400, "INVALID_PAYLOAD_REFERENCE_ID", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call("GET", resultPath+tt.query, tt.app, tt.body)
			if r.status != tt.status || r.code() != tt.code {
				t.Fatalf("GET result = %d %q, want %d %q; %.300s", r.status, r.code(), tt.status, tt.code, r.raw)
			}
			if got := r.data()["status"]; tt.state != "" && got != tt.state {
				t.Errorf("data.status = %v, want %s", got, tt.state)
			}
			if tt.status == 202 && r.header.Get("Retry-After") == "" {
				t.Error("202 without Retry-After")
			}
		})
	}
	// The result for a success carries the stored card.
	r := e.call("GET", resultPath+"?reference_id=done-ok", liveApp, nil)
	if r.data()["nik"] != testCard.NIK {
		t.Errorf("stored body nik = %v, want %s", r.data()["nik"], testCard.NIK)
	}
	// A failing store is 500 without its cause.
	e.jobs500.mu.Lock()
	e.jobs500.err = fmt.Errorf("sqlite: %s", secret)
	e.jobs500.mu.Unlock()
	r = e.call("GET", resultPath+"?reference_id=done-ok", liveApp, nil)
	if r.status != 500 || r.code() != "INTERNAL_SERVER_ERROR" || r.body["message"] != "Internal server error" {
		t.Errorf("store failure = %d %s, want 500 INTERNAL_SERVER_ERROR, Internal server error", r.status, r.raw)
	}
}

func TestOperational(t *testing.T) {
	ready := fmt.Errorf("database: %s", secret)
	var mu sync.Mutex
	console := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "console "+r.URL.Path)
	})
	e := setup(t, func(c *httpapi.Config) {
		c.Ready = func(ctx context.Context) error { mu.Lock(); defer mu.Unlock(); return ready }
		c.Console = console
	})
	if r := e.call("GET", "/healthz", nil, nil); r.status != 200 {
		t.Errorf("/healthz = %d", r.status)
	}
	if r := e.call("GET", "/readyz", nil, nil); r.status != 503 {
		t.Errorf("/readyz while not ready = %d, want 503", r.status)
	}
	mu.Lock()
	ready = nil
	mu.Unlock()
	if r := e.call("GET", "/readyz", nil, nil); r.status != 200 {
		t.Errorf("/readyz when ready = %d, want 200", r.status)
	}
	if r := e.call("GET", "/openapi.json", nil, nil); r.status != 200 || r.body["openapi"] != "3.0.3" {
		t.Errorf("/openapi.json = %d %.100s", r.status, r.raw)
	}
	if r := e.call("GET", "/console/apps", nil, nil); r.status != 200 || string(r.raw) != "console /console/apps" {
		t.Errorf("/console/apps = %d %q, want the console's answer", r.status, r.raw)
	}
	if r := e.call("GET", "/nope", nil, nil); r.status != 404 {
		t.Errorf("/nope = %d, want 404", r.status)
	}
	e.call("POST", syncPath, liveApp, map[string]any{"image": b64(imgCard)})
	e.call("POST", syncPath, liveApp, map[string]any{"image": b64(imgNoKTP)})
	r := e.call("GET", "/metrics", nil, nil)
	for _, want := range []string{
		`ktpocr_http_requests_total{code="200",route="/v2/ktp/extract"} 1`,
		`ktpocr_http_requests_total{code="400",route="/v2/ktp/extract"} 1`,
		`ktpocr_sync_extractions_total{mode="live",outcome="OK"} 1`,
		`ktpocr_sync_extractions_total{mode="live",outcome="KTP_NOT_DETECTED"} 1`,
		`ktpocr_sync_extractions_in_flight 0`,
		`ktpocr_http_request_duration_seconds_count{route="/healthz"} 1`,
		`route="other"`,
	} {
		if !strings.Contains(string(r.raw), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
