package cli_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ktpocr/ktpocr/internal/callback"
)

// TestServeSandboxCodes runs every code of the result endpoint's original
// text (spec 000_0fb15150c2c93c8d.txt) against the real `ktpocr serve`
// binary with the sandbox App-ID it printed on first start, as a Verihubs
// client would; internal/httpapi tests each code in more depth.
func TestServeSandboxCodes(t *testing.T) {
	t.Parallel()
	s := startServe(t, "--allow-private-network")
	sb := s.apps["sandbox"]
	type want struct {
		status int
		code   string
	}
	cases := map[string]want{
		"REFERENCE_ID_KTP":              {200, ""},
		"REFERENCE_ID_NOT_FOUND":        {404, "INVALID_PAYLOAD_REFERENCE_ID_NOT_FOUND"},
		"REFERENCE_ID_KTP_NOT_DETECTED": {200, "KTP_NOT_DETECTED"},
		"REFERENCE_ID_TOO_LONG":         {400, "INVALID_PAYLOAD_REFERENCE_ID"},
		"REFERENCE_ID_TOO_SHORT":        {400, "INVALID_PAYLOAD_REFERENCE_ID"},
		"NOT_A_SANDBOX_CODE":            {400, "INVALID_SANDBOX_CODE"},
	}
	for _, x := range []string{"B", "D", "BD", "F", "G", "FG", "DG", "BF", "BG"} {
		cases["REFERENCE_ID_KTP_"+x] = want{200, ""}
		cases["REFERENCE_ID_KTP_"+x+"_V"] = want{200, "FAIL_ON_1"}
	}
	if len(cases) != 24 { // the text's 23 rows and one invalid code
		t.Fatalf("%d cases, want 24", len(cases))
	}
	for ref, w := range cases {
		status, raw := s.call(t, sb, "GET", "/ktp/id/extract-async/result?reference_id="+ref, nil)
		var body struct {
			ErrorCode string `json:"error_code"`
			Data      struct {
				NIK string `json:"nik"`
			} `json:"data"`
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("GET result %s: body is not JSON: %.200s", ref, raw)
		}
		if status != w.status || body.ErrorCode != w.code {
			t.Errorf("GET result %s = %d %q, want %d %q", ref, status, body.ErrorCode, w.status, w.code)
		}
		if (w.status == 200 && w.code == "") != (body.Data.NIK != "") {
			t.Errorf("GET result %s: nik %q present = %v, want %v", ref, body.Data.NIK, body.Data.NIK != "", w.code == "")
		}
	}
	// A wrong key is refused whatever the code.
	bad := sb
	bad.key = "not-the-key"
	if status, _ := s.call(t, bad, "GET", "/ktp/id/extract-async/result?reference_id=REFERENCE_ID_KTP", nil); status != 401 {
		t.Errorf("GET result with a wrong API-Key = %d, want 401", status)
	}
}

// TestServeSandboxCallback: a sandbox async submission with a callback_url
// really delivers the result body, signed with the App's secret and with its
// Basic-auth credentials.
func TestServeSandboxCallback(t *testing.T) {
	t.Parallel()
	s := startServe(t, "--allow-private-network")
	sb := s.apps["sandbox"]
	got := make(chan *http.Request, 1)
	bodies := make(chan []byte, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		select {
		case got <- r:
			bodies <- b
		default:
		}
	}))
	defer hook.Close()
	status, raw := s.call(t, sb, "POST", "/ktp/id/extract-async", map[string]any{
		"image": "KTP_BD", "validate_quality": true, "callback_url": hook.URL + "/kyc/callback",
	})
	var resp struct {
		Data struct {
			ReferenceID string `json:"reference_id"`
		} `json:"data"`
	}
	json.Unmarshal(raw, &resp)
	if status != 200 || resp.Data.ReferenceID != "REFERENCE_ID_KTP_BD_V" {
		t.Fatalf("POST sandbox async = %d %s, want 200 with reference_id REFERENCE_ID_KTP_BD_V", status, raw)
	}
	select {
	case r := <-got:
		body := <-bodies
		if u, p, ok := r.BasicAuth(); !ok || u != sb.cbUser || p != sb.cbPass {
			t.Errorf("callback Basic auth = %q %q %v, want the App's callback credentials", u, p, ok)
		}
		if err := callback.Verify(sb.cbSecret, r.Header, body, time.Now(), 5*time.Minute); err != nil {
			t.Errorf("callback signature: %v", err)
		}
		var cb struct {
			ErrorCode string `json:"error_code"`
			Data      struct {
				ReferenceID string `json:"reference_id"`
			} `json:"data"`
		}
		json.Unmarshal(body, &cb)
		if cb.ErrorCode != "FAIL_ON_1" || cb.Data.ReferenceID != "REFERENCE_ID_KTP_BD_V" {
			t.Errorf("callback body = %s, want the FAIL_ON_1 result of REFERENCE_ID_KTP_BD_V", body)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no callback delivered within 30 s")
	}
}
