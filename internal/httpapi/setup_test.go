package httpapi_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/httpapi"
	"github.com/ktpocr/ktpocr/internal/httpapi/httpapitest"
)

// Applications every test server knows.
var (
	liveApp    = &ktpocr.App{ID: "live-app", Name: "Live"}
	otherApp   = &ktpocr.App{ID: "other-app", Name: "Other"}
	sandboxApp = &ktpocr.App{ID: "sbx-app", Name: "Sandbox", Sandbox: true}
	keys       = map[*ktpocr.App]string{liveApp: "live-key", otherApp: "other-key", sandboxApp: "sbx-key"}
)

// Images made in the test (never a real card): the fake Extractor answers
// by their bytes.
var (
	imgOnce                                          sync.Once
	imgCard, imgNoKTP, imgBlurry, imgFault, imgSmall []byte
)

func images(t testing.TB) {
	imgOnce.Do(func() {
		imgCard = pngOf(t, 720, 480, 200)
		imgNoKTP = pngOf(t, 720, 480, 10)
		imgBlurry = pngOf(t, 480, 720, 120) // portrait is allowed
		imgFault = pngOf(t, 800, 600, 60)
		imgSmall = pngOf(t, 719, 480, 200)
	})
}

func pngOf(t testing.TB, w, h int, v uint8) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = v
	}
	img.SetGray(0, 0, color.Gray{Y: v + 1})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// testCard is what the fake Extractor reads on imgCard.
var testCard = ktpocr.Card{
	NIK: "3201014506950002", FullName: "SRI MULYANI UJI", PlaceOfBirth: "BOGOR", DateOfBirth: "05-06-1995",
	Gender: "PEREMPUAN", BloodType: "A", Address: "JL. CONTOH NO. 1", RTRW: "001/002",
	AdministrativeVillage: "CIBINONG", District: "CIBINONG", City: "KABUPATEN BOGOR", State: "JAWA BARAT",
	Religion: "ISLAM", MaritalStatus: "BELUM KAWIN", Occupation: "PELAJAR/MAHASISWA", Nationality: "WNI",
}

// secret is in the cause of an internal fault; no response may show it.
const secret = "/var/lib/ktpocr/models/det.onnx: shape mismatch"

type env struct {
	t    *testing.T
	url  string
	apps *httpapitest.Apps
	jobs *httpapitest.Jobs
	ex   *httpapitest.Extractor
	// jobs500 is the JobService the server uses: jobs, with Get failing
	// while its err is set.
	jobs500 *failingJobs
}

// failingJobs is the fake JobService with Get failing on demand, to reach
// the 500 row of the result table.
type failingJobs struct {
	*httpapitest.Jobs
	mu  sync.Mutex
	err error
}

func (f *failingJobs) Get(ctx context.Context, app *ktpocr.App, ref string) (*ktpocr.Job, error) {
	f.mu.Lock()
	err := f.err
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return f.Jobs.Get(ctx, app, ref)
}

var fetchable = map[string]func() ([]byte, error){
	"https://img.example.com/card.png": func() ([]byte, error) { return imgCard, nil },
	"https://img.example.com/slow.png": func() ([]byte, error) {
		return nil, ktpocr.Errorf(ktpocr.CodeImageTimeout, "image URL did not answer within 15 s")
	},
	"https://img.example.com/big.png": func() ([]byte, error) {
		return nil, ktpocr.Errorf(ktpocr.CodeImageSize, "image is larger than 5 MB")
	},
	"https://img.example.com/gone.png":  func() ([]byte, error) { return nil, errors.New("dial tcp: " + secret) },
	"https://img.example.com/page.html": func() ([]byte, error) { return []byte("<html></html>"), nil },
}

func setup(t *testing.T, mod func(*httpapi.Config)) *env {
	t.Helper()
	images(t)
	e := &env{t: t, apps: &httpapitest.Apps{}, jobs: &httpapitest.Jobs{}, ex: &httpapitest.Extractor{}}
	for app, key := range keys {
		e.apps.Add(app, key)
	}
	e.jobs500 = &failingJobs{Jobs: e.jobs}
	e.ex.Default = httpapitest.Outcome{Extraction: &ktpocr.Extraction{Card: testCard,
		Extra: ktpocr.Extra{ValidUntil: "SEUMUR HIDUP", Confidence: map[string]float64{"nik": 0.97}}}}
	e.ex.Set(imgNoKTP, httpapitest.Outcome{Err: ktpocr.Errorf(ktpocr.CodeNotKTP, "KTP not detected from image")})
	e.ex.Set(imgBlurry, httpapitest.Outcome{Extraction: &ktpocr.Extraction{Card: testCard, Quality: ktpocr.Quality{Blur: true}}})
	e.ex.Set(imgFault, httpapitest.Outcome{Err: errors.New(secret)})
	cfg := httpapi.Config{
		Apps: e.apps, Jobs: e.jobs500, Extractor: e.ex,
		Fetcher: func(ctx context.Context, url string) ([]byte, error) {
			if f, ok := fetchable[url]; ok {
				return f()
			}
			return nil, ktpocr.Errorf(ktpocr.CodeImageFormat, "image URL answered 404")
		},
		SyncConcurrency: 4,
		Logger:          slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if mod != nil {
		mod(&cfg)
	}
	h, err := httpapi.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// response is what a client saw.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (r response) code() string {
	s, _ := r.body["error_code"].(string)
	return s
}

func (r response) data() map[string]any {
	d, _ := r.body["data"].(map[string]any)
	return d
}

func (r response) fields() []string {
	var out []string
	if fs, ok := r.body["error_fields"].([]any); ok {
		for _, f := range fs {
			out = append(out, f.(string))
		}
	}
	return out
}

// call sends a request as app (nil: no credentials) with body (a string is
// sent as is, anything else as JSON, nil as nothing), and checks the
// response against the OpenAPI document.
func (e *env) call(method, path string, app *ktpocr.App, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if app != nil {
		req.Header.Set("App-ID", app.ID)
		req.Header.Set("API-Key", keys[app])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %v: %s", method, path, err, raw)
		}
	}
	if strings.Contains(string(raw), "onnx") || strings.Contains(string(raw), "shape mismatch") {
		e.t.Errorf("%s %s: response leaks an internal cause: %s", method, path, raw)
	}
	validateResponse(e.t, method, path, r)
	return r
}

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
)

func validateResponse(t *testing.T, method, path string, r response) {
	t.Helper()
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(httpapi.OpenAPI())
		if err != nil {
			specErr = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			specErr = err
			return
		}
		specRouter, specErr = legacy.NewRouter(doc)
	})
	if specErr != nil {
		t.Fatalf("openapi.json: %v", specErr)
	}
	req := httptest.NewRequest(method, path, nil)
	route, params, err := specRouter.FindRoute(req)
	if err != nil {
		return // not an API route (console, unknown paths)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 r.status,
		Header:                 r.header,
		Body:                   io.NopCloser(bytes.NewReader(r.raw)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s: %d response does not match openapi.json: %v\n%s", method, path, r.status, err, r.raw)
	}
}
