package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr"
)

// needEngine skips a test that reads with the real engine when it is not
// installed (scripts/setup.sh installs it; CI runs these tests).
func needEngine(t *testing.T) {
	t.Helper()
	cfg := ppocr.Config{}.WithDefaults()
	for _, f := range []string{cfg.LibraryPath, cfg.DetModel, cfg.RecModel, cfg.Dict} {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("OCR engine not installed (run scripts/setup.sh): %v", err)
		}
	}
}

// extract runs `ktpocr extract args...` with the real engine.
func extract(t *testing.T, args ...string) (stdout []byte, code int) {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"extract"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	return out.Bytes(), code
}

func readTruth(t *testing.T, name string) (nik string, isKTP bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../testdata/synth-small", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var tr struct {
		IsKTP bool        `json:"is_ktp"`
		Card  ktpocr.Card `json:"card"`
	}
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	return tr.Card.NIK, tr.IsKTP
}

// TestExtractFile: `ktpocr extract card.jpg` prints the sync body and exits
// 0; bad input prints the error body and exits 1.
func TestExtractFile(t *testing.T) {
	t.Parallel()
	needEngine(t)
	out, code := extract(t, "../../testdata/synth-small/0001.jpg")
	var body ktpocr.ResultBody
	if err := json.Unmarshal(out, &body); err != nil {
		t.Fatalf("stdout is not the result body: %v\n%.300s", err, out)
	}
	nik, _ := readTruth(t, "0001")
	if code != 0 || body.ErrorCode != "" || body.Data == nil || body.Data.Card == nil || body.Data.NIK != nik {
		t.Fatalf("extract 0001.jpg: exit %d, error_code %q; want exit 0 and the card's NIK", code, body.ErrorCode)
	}

	notImage := filepath.Join(t.TempDir(), "note.jpg")
	os.WriteFile(notImage, []byte("not a photo"), 0o600)
	out, code = extract(t, notImage)
	json.Unmarshal(out, &body)
	if code != 1 || body.ErrorCode != ktpocr.CodeImageFormat {
		t.Errorf("extract of a text file: exit %d, error_code %q; want 1 and %s", code, body.ErrorCode, ktpocr.CodeImageFormat)
	}
}

// TestExtractDir: a folder gives one JSON line per image, in file order,
// each with its file name; a negative carries KTP_NOT_DETECTED.
func TestExtractDir(t *testing.T) {
	t.Parallel()
	needEngine(t)
	dir := t.TempDir()
	names := []string{"0001", "0008"} // a clean KTP and an NPWP-like card
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("../../testdata/synth-small", n+".jpg"))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, n+".jpg"), b, 0o600)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o600)
	out, code := extract(t, dir, "-workers", "2")
	if code != 0 {
		t.Fatalf("extract DIR exit %d, want 0", code)
	}
	lines := bufio.NewScanner(bytes.NewReader(out))
	i := 0
	for lines.Scan() {
		var line struct {
			File string `json:"file"`
			ktpocr.ResultBody
		}
		if err := json.Unmarshal(lines.Bytes(), &line); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		if i >= len(names) || line.File != names[i]+".jpg" {
			t.Fatalf("line %d is for %q, want %d lines for %v in order", i+1, line.File, len(names), names)
		}
		nik, isKTP := readTruth(t, names[i])
		switch {
		case isKTP && (line.ErrorCode != "" || line.Data == nil || line.Data.Card == nil || line.Data.NIK != nik):
			t.Errorf("%s: error_code %q, want the card read", line.File, line.ErrorCode)
		case !isKTP && line.ErrorCode != ktpocr.CodeNotKTP:
			t.Errorf("%s: error_code %q, want %s", line.File, line.ErrorCode, ktpocr.CodeNotKTP)
		}
		i++
	}
	if i != len(names) {
		t.Errorf("%d lines, want %d", i, len(names))
	}
}
