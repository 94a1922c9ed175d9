package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/console"
)

// driverJS is served only by this test, from the page's own origin (the CSP
// allows nothing else): it picks a generated PNG as the image file, fills
// the credentials and submits the form, as a user would.
const driverJS = `'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const c = document.createElement('canvas');
  c.width = 960; c.height = 640;
  const g = c.getContext('2d');
  g.fillStyle = '#888'; g.fillRect(0, 0, 960, 640);
  g.fillStyle = '#9cc3e6'; g.fillRect(120, 100, 700, 440);
  c.toBlob((blob) => {
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'card.png', { type: 'image/png' }));
    document.getElementById('image-file').files = dt.files;
    document.getElementById('app-id').value = 'console-app';
    document.getElementById('api-key').value = 'console-key';
    document.getElementById('validate-quality').checked = true;
    document.getElementById('request-form').requestSubmit();
  }, 'image/png');
});
`

// TestBrowser drives the page in headless Chromium against a fake API and
// checks what it renders. Opt-in (KTPOCR_BROWSER_TEST=1): it needs the
// Debian chromium package and a few seconds. KTPOCR_BROWSER_SHOT=path also
// saves a screenshot.
func TestBrowser(t *testing.T) {
	if os.Getenv("KTPOCR_BROWSER_TEST") == "" {
		t.Skip("set KTPOCR_BROWSER_TEST=1 to run (needs chromium)")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed")
	}

	x := &ktpocr.Extraction{
		Quality: ktpocr.Quality{Dark: true},
		Card: ktpocr.Card{
			NIK: "3174096112900001", FullName: "CONTOH <b>NAMA</b>", PlaceOfBirth: "JAKARTA",
			DateOfBirth: "21-12-1990", Gender: "PEREMPUAN", BloodType: "O", Address: "JL. CONTOH NO. 1",
			RTRW: "005/003", AdministrativeVillage: "CONTOH", District: "CONTOH", City: "JAKARTA TIMUR",
			State: "DKI JAKARTA", Religion: "ISLAM", MaritalStatus: "KAWIN", Occupation: "KARYAWAN SWASTA",
			Nationality: "WNI",
		},
		Extra: ktpocr.Extra{
			ValidUntil: "SEUMUR HIDUP",
			Confidence: map[string]float64{"nik": 0.99, "full_name": 0.75, "address": 0.41},
			Corners:    []ktpocr.Point{{X: 120, Y: 100}, {X: 820, Y: 100}, {X: 820, Y: 540}, {X: 120, Y: 540}},
			NIKCheck:   ktpocr.NIKCheck{Format: true, RegionExists: true, BirthDateValid: true, Unchecked: []string{"district_matches"}},
		},
	}
	var gotReq struct {
		AppID, Key string
		Body       map[string]any
	}
	mux := http.NewServeMux()
	h := console.Handler()
	mux.HandleFunc("/console/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.Header().Del("ETag")
			page := strings.Replace(rec.Body.String(), `</head>`, `<script src="driver.js" defer></script></head>`, 1)
			w.Write([]byte(page))
			return
		}
		h.ServeHTTP(w, r)
	})
	mux.HandleFunc("/console/driver.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(driverJS))
	})
	mux.HandleFunc("POST /v2/ktp/extract", func(w http.ResponseWriter, r *http.Request) {
		gotReq.AppID, gotReq.Key = r.Header.Get("App-ID"), r.Header.Get("API-Key")
		json.NewDecoder(r.Body).Decode(&gotReq.Body)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(ktpocr.NewResultBody("ref-1", x, nil))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	dir := t.TempDir()
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--no-first-run", "--user-data-dir=" + filepath.Join(dir, "profile"),
		"--window-size=1400,1100", "--virtual-time-budget=5000",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, chromium, append(args, "--dump-dom", srv.URL+"/console/")...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	dom := string(out)

	if gotReq.AppID != "console-app" || gotReq.Key != "console-key" {
		t.Errorf("API got App-ID %q API-Key %q", gotReq.AppID, gotReq.Key)
	}
	if img, _ := gotReq.Body["image"].(string); !strings.HasPrefix(img, "data:image/png;base64,") {
		t.Errorf("API got image %.40q, want a PNG data URL", img)
	}
	if gotReq.Body["validate_quality"] != true {
		t.Errorf("API got validate_quality %v, want true", gotReq.Body["validate_quality"])
	}
	for _, want := range []string{
		`HTTP 200 [SUCCEEDED]`,
		`<td class="value">3174096112900001</td><td class="conf conf-high">0.99</td>`,
		`<td class="value">CONTOH &lt;b&gt;NAMA&lt;/b&gt;</td><td class="conf conf-mid">0.75</td>`,
		`<td class="conf conf-low">0.41</td>`,
		`<li class="set">dark: yes</li>`,
		`<li class="clear">blur: no</li>`,
		`<td class="name">16 digits</td><td class="pass">yes</td>`,
		`<td class="name">gender matches</td><td class="fail">no</td>`,
		`Not checked (field unread): district_matches`,
		`<td class="name">district matches</td><td class="skip">not checked</td>`,
		`points="120,100 820,100 820,540 120,540"`,
		`viewBox="0 0 960 640"`,
		`"reference_id": "ref-1"`,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("DOM:\n%s", dom)
	}
	if shot := os.Getenv("KTPOCR_BROWSER_SHOT"); shot != "" {
		if err := exec.CommandContext(ctx, chromium, append(args, "--screenshot="+shot, srv.URL+"/console/")...).Run(); err != nil {
			t.Errorf("screenshot: %v", err)
		}
	}
}
