package httpapi_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr"
)

var flagsOf = map[string]map[string]any{
	"":   {"blur": false, "dark": false, "flashlight": false, "grayscale": false},
	"B":  {"blur": true, "dark": false, "flashlight": false, "grayscale": false},
	"D":  {"blur": false, "dark": true, "flashlight": false, "grayscale": false},
	"BD": {"blur": true, "dark": true, "flashlight": false, "grayscale": false},
	"F":  {"blur": false, "dark": false, "flashlight": true, "grayscale": false},
	"G":  {"blur": false, "dark": false, "flashlight": false, "grayscale": true},
	"FG": {"blur": false, "dark": false, "flashlight": true, "grayscale": true},
	"DG": {"blur": false, "dark": true, "flashlight": false, "grayscale": true},
	"BF": {"blur": true, "dark": false, "flashlight": true, "grayscale": false},
	"BG": {"blur": true, "dark": false, "flashlight": false, "grayscale": true},
}

// TestSandboxResult covers every row of the result endpoint's sandbox
// table (000_0fb15150c2c93c8d.txt) and its error rows.
func TestSandboxResult(t *testing.T) {
	e := setup(t, nil)
	type row struct {
		ref     string
		status  int
		code    string
		state   string // data.status
		card    bool
		quality map[string]any
	}
	var rows []row
	rows = append(rows, row{"REFERENCE_ID_KTP", 200, "", "SUCCEEDED", true, flagsOf[""]})
	for _, x := range []string{"B", "D", "BD", "F", "G", "FG", "DG", "BF", "BG"} {
		rows = append(rows, row{"REFERENCE_ID_KTP_" + x, 200, "", "SUCCEEDED", true, flagsOf[x]})
	}
	for _, x := range []string{"B", "D", "BD", "F", "G", "FG", "DG", "BF", "BG"} {
		rows = append(rows, row{"REFERENCE_ID_KTP_" + x + "_V", 200, "FAIL_ON_1", "FAILED", false, flagsOf[x]})
	}
	rows = append(rows,
		row{"REFERENCE_ID_NOT_FOUND", 404, "INVALID_PAYLOAD_REFERENCE_ID_NOT_FOUND", "", false, nil},
		row{"REFERENCE_ID_KTP_NOT_DETECTED", 200, "KTP_NOT_DETECTED", "FAILED", false, nil},
		row{"REFERENCE_ID_TOO_LONG", 400, "INVALID_PAYLOAD_REFERENCE_ID", "", false, nil},
		row{"REFERENCE_ID_TOO_SHORT", 400, "INVALID_PAYLOAD_REFERENCE_ID", "", false, nil},
	)
	if len(rows) != 23 {
		t.Fatalf("%d rows, the table has 23", len(rows))
	}
	// Error rows: anything else is not a sandbox code; a missing one is 404.
	for _, ref := range []string{"REFERENCE_ID", "REFERENCE_ID_EXIST", "REFERENCE_ID_KTP_V", "REFERENCE_ID_KTP_X",
		"REFERENCE_ID_KTP_GB", "reference_id_ktp", "REFERENCE_ID_KTP_BD_V_V", "some-order-123"} {
		rows = append(rows, row{ref, 400, "INVALID_SANDBOX_CODE", "", false, nil})
	}
	rows = append(rows, row{"", 404, "INVALID_PAYLOAD_REFERENCE_ID_NOT_FOUND", "", false, nil})

	for _, tt := range rows {
		t.Run(tt.ref, func(t *testing.T) {
			q := ""
			if tt.ref != "" {
				q = "?reference_id=" + tt.ref
			}
			r := e.call("GET", resultPath+q, sandboxApp, nil)
			if r.status != tt.status || r.code() != tt.code {
				t.Fatalf("GET result %s = %d %q, want %d %q; %.300s", tt.ref, r.status, r.code(), tt.status, tt.code, r.raw)
			}
			d := r.data()
			if tt.state != "" {
				if d["status"] != tt.state || d["reference_id"] != tt.ref {
					t.Errorf("data status, reference_id = %v %v, want %s %s", d["status"], d["reference_id"], tt.state, tt.ref)
				}
			}
			if _, has := d["nik"]; has != tt.card {
				t.Errorf("data has card fields = %v, want %v", has, tt.card)
			}
			if tt.card {
				checkSandboxCard(t, d)
			}
			if tt.quality != nil {
				if diff := cmp.Diff(tt.quality, d["image_quality"]); diff != "" {
					t.Errorf("image_quality (-want +got):\n%s", diff)
				}
			}
		})
	}
	// The JSON-body form answers the same.
	r := e.call("GET", resultPath, sandboxApp, `{"reference_id":"REFERENCE_ID_KTP_BD_V"}`)
	if r.status != 200 || r.code() != "FAIL_ON_1" {
		t.Errorf("GET result with JSON body = %d %s, want 200 FAIL_ON_1", r.status, r.code())
	}
}

func checkSandboxCard(t *testing.T, d map[string]any) {
	t.Helper()
	for _, f := range ktpocr.FieldNames {
		if s, _ := d[f].(string); s == "" {
			t.Errorf("sandbox card field %s is empty", f)
		}
	}
	if d["state"] != "DKI JAKARTA" || !strings.HasPrefix(d["nik"].(string), "3174") {
		t.Errorf("sandbox card = %v %v, want a DKI Jakarta card", d["state"], d["nik"])
	}
}

// TestSandboxSubmit covers the async sandbox codes: each image code with
// and without validate_quality answers the result code GET serves, each
// reference-id code its error, and a callback is delivered.
func TestSandboxSubmit(t *testing.T) {
	e := setup(t, nil)
	tests := []struct {
		image    string
		validate bool
		ref      any // nil: absent
		status   int
		code     string
		wantRef  string
	}{
		{"KTP", false, nil, 200, "", "REFERENCE_ID_KTP"},
		{"KTP", true, nil, 200, "", "REFERENCE_ID_KTP"},
		{"KTP_B", false, "REFERENCE_ID", 200, "", "REFERENCE_ID_KTP_B"},
		{"KTP_D", true, nil, 200, "", "REFERENCE_ID_KTP_D_V"},
		{"KTP_BD", true, "REFERENCE_ID", 200, "", "REFERENCE_ID_KTP_BD_V"},
		{"KTP_BD", false, nil, 200, "", "REFERENCE_ID_KTP_BD"},
		{"KTP_F", false, nil, 200, "", "REFERENCE_ID_KTP_F"},
		{"KTP_G", true, nil, 200, "", "REFERENCE_ID_KTP_G_V"},
		{"KTP_FG", false, nil, 200, "", "REFERENCE_ID_KTP_FG"},
		{"KTP_DG", true, nil, 200, "", "REFERENCE_ID_KTP_DG_V"},
		{"KTP_BF", false, nil, 200, "", "REFERENCE_ID_KTP_BF"},
		{"KTP_BG", true, nil, 200, "", "REFERENCE_ID_KTP_BG_V"},
		{"NO_KTP_DETECTED", false, nil, 200, "", "REFERENCE_ID_KTP_NOT_DETECTED"},
		{"NO_KTP_DETECTED", true, "REFERENCE_ID", 200, "", "REFERENCE_ID_KTP_NOT_DETECTED"},
		{"IMAGE_SIZE_EXCEED_LIMIT", false, nil, 400, "INVALID_PAYLOAD_IMAGE_SIZE", ""},
		{"KTP", false, "REFERENCE_ID_EXIST", 400, "INVALID_PAYLOAD_REFERENCE_ID_EXISTS", ""},
		{"KTP", false, "REFERENCE_ID_TOO_LONG", 400, "INVALID_PAYLOAD_REFERENCE_ID", ""},
		{"KTP", false, "REFERENCE_ID_TOO_SHORT", 400, "INVALID_PAYLOAD_REFERENCE_ID", ""},
		{"KTP", false, "order-000123", 400, "INVALID_SANDBOX_CODE", ""},
		{"KTP_X", false, nil, 400, "INVALID_SANDBOX_CODE", ""},
		{"KTP_GB", false, nil, 400, "INVALID_SANDBOX_CODE", ""},
		{b64(imgCard), false, nil, 400, "INVALID_SANDBOX_CODE", ""},
	}
	for _, tt := range tests {
		name := tt.image
		if len(name) > 30 {
			name = "base64 image"
		}
		t.Run(name+"/"+strings.Repeat("V", btoi(tt.validate)), func(t *testing.T) {
			body := map[string]any{"image": tt.image, "validate_quality": tt.validate}
			if tt.ref != nil {
				body["reference_id"] = tt.ref
			}
			r := e.call("POST", asyncPath, sandboxApp, body)
			if r.status != tt.status || r.code() != tt.code {
				t.Fatalf("POST async = %d %q, want %d %q; %.300s", r.status, r.code(), tt.status, tt.code, r.raw)
			}
			if tt.status != 200 {
				if msg, _ := r.body["message"].(string); strings.Contains(msg, b64(imgCard)[:40]) {
					t.Errorf("message echoes the image: %.100s", msg)
				}
				return
			}
			ref, _ := r.data()["reference_id"].(string)
			if ref != tt.wantRef {
				t.Fatalf("reference_id = %q, want %q", ref, tt.wantRef)
			}
			// The returned reference id is one GET serves.
			if g := e.call("GET", resultPath+"?reference_id="+ref, sandboxApp, nil); g.status != 200 {
				t.Errorf("GET result %s = %d, want 200", ref, g.status)
			}
		})
	}
	if n := len(e.jobs.Notifications()); n != 0 {
		t.Errorf("%d callbacks without callback_url", n)
	}
	if e.ex.Calls() != 0 {
		t.Errorf("sandbox ran the Extractor %d times", e.ex.Calls())
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestSandboxCallback(t *testing.T) {
	e := setup(t, nil)
	r := e.call("POST", asyncPath, sandboxApp, map[string]any{
		"image": "KTP_BD", "validate_quality": true, "callback_url": "https://cb.example.com/ktp",
	})
	if r.status != 200 {
		t.Fatalf("submit = %d %s", r.status, r.raw)
	}
	got := e.jobs.Notifications()
	if len(got) != 1 {
		t.Fatalf("%d callbacks, want 1", len(got))
	}
	n := got[0]
	if n.AppID != sandboxApp.ID || n.URL != "https://cb.example.com/ktp" || n.Body.ErrorCode != ktpocr.CodeFailOn1 ||
		n.Body.Data.ReferenceID != "REFERENCE_ID_KTP_BD_V" || !n.Body.Data.ImageQuality.Blur || !n.Body.Data.ImageQuality.Dark {
		t.Errorf("callback = %+v, want app %s, FAIL_ON_1 for REFERENCE_ID_KTP_BD_V with blur and dark", n, sandboxApp.ID)
	}
	// A rejected submission sends nothing; a bad callback URL is refused
	// in the sandbox as in live.
	e.call("POST", asyncPath, sandboxApp, map[string]any{"image": "IMAGE_SIZE_EXCEED_LIMIT", "callback_url": "https://cb.example.com/ktp"})
	if r := e.call("POST", asyncPath, sandboxApp, map[string]any{"image": "KTP", "callback_url": "http://cb.example.com/ktp"}); r.code() != "INVALID_PAYLOAD_CALLBACK_URL" {
		t.Errorf("sandbox http callback = %d %s, want INVALID_PAYLOAD_CALLBACK_URL", r.status, r.code())
	}
	if n := len(e.jobs.Notifications()); n != 1 {
		t.Errorf("%d callbacks after rejected submissions, want still 1", n)
	}
}

// TestSandboxSync covers the sync sandbox: the same image codes, at once.
func TestSandboxSync(t *testing.T) {
	e := setup(t, nil)
	tests := []struct {
		image    string
		validate bool
		status   int
		code     string
		quality  map[string]any
	}{
		{"KTP", true, 200, "", flagsOf[""]},
		{"KTP_B", false, 200, "", flagsOf["B"]},
		{"KTP_D", false, 200, "", flagsOf["D"]},
		{"KTP_BD", false, 200, "", flagsOf["BD"]},
		{"KTP_F", false, 200, "", flagsOf["F"]},
		{"KTP_G", false, 200, "", flagsOf["G"]},
		{"KTP_FG", false, 200, "", flagsOf["FG"]},
		{"KTP_DG", false, 200, "", flagsOf["DG"]},
		{"KTP_BF", false, 200, "", flagsOf["BF"]},
		{"KTP_BG", false, 200, "", flagsOf["BG"]},
		{"KTP_BD", true, 200, "FAIL_ON_1", flagsOf["BD"]},
		{"KTP_G", true, 200, "FAIL_ON_1", flagsOf["G"]},
		{"NO_KTP_DETECTED", false, 400, "KTP_NOT_DETECTED", nil},
		{"IMAGE_SIZE_EXCEED_LIMIT", false, 400, "INVALID_PAYLOAD_IMAGE_SIZE", nil},
		{"KTP_Z", false, 400, "INVALID_SANDBOX_CODE", nil},
		{"https://img.example.com/card.png", false, 400, "INVALID_SANDBOX_CODE", nil},
	}
	for _, tt := range tests {
		t.Run(tt.image+"/"+strings.Repeat("V", btoi(tt.validate)), func(t *testing.T) {
			r := e.call("POST", syncPath, sandboxApp, map[string]any{"image": tt.image, "validate_quality": tt.validate, "reference_id": "sandbox-sync-1"})
			if r.status != tt.status || r.code() != tt.code {
				t.Fatalf("POST sync = %d %q, want %d %q; %.300s", r.status, r.code(), tt.status, tt.code, r.raw)
			}
			d := r.data()
			if tt.status == 200 && tt.code == "" {
				checkSandboxCard(t, d)
			}
			if tt.quality != nil {
				if diff := cmp.Diff(tt.quality, d["image_quality"]); diff != "" {
					t.Errorf("image_quality (-want +got):\n%s", diff)
				}
			}
			if tt.status == 200 && d["reference_id"] != "sandbox-sync-1" {
				t.Errorf("reference_id = %v, want sandbox-sync-1", d["reference_id"])
			}
		})
	}
}
