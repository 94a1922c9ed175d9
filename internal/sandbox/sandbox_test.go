package sandbox_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/sandbox"
)

// TestCardConsistent checks that the made-up card passes the checks a real
// one would: the NIK encodes the printed region, birth date and gender.
func TestCardConsistent(t *testing.T) {
	x, err := sandbox.New().Extract("KTP", ktpocr.ExtractOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := x.Card
	for _, f := range ktpocr.FieldNames {
		if c.Field(f) == "" {
			t.Errorf("field %s is empty", f)
		}
	}
	if len(c.NIK) != 16 {
		t.Fatalf("NIK %q is not 16 digits", c.NIK)
	}
	rc := x.Extra.RegionCodes
	if got := strings.ReplaceAll(rc.District, ".", ""); c.NIK[:6] != got || !strings.HasPrefix(rc.Village, rc.District) {
		t.Errorf("NIK region %s, district code %s, village %s: disagree", c.NIK[:6], rc.District, rc.Village)
	}
	day, _ := strconv.Atoi(c.NIK[6:8])
	if c.Gender == "PEREMPUAN" {
		day -= 40
	}
	if got := c.NIK[6:8]; day < 1 || day > 31 {
		t.Errorf("NIK day %s is not a day for %s", got, c.Gender)
	}
	if want := strconv.Itoa(day/10) + strconv.Itoa(day%10) + "-" + c.NIK[8:10] + "-19" + c.NIK[10:12]; c.DateOfBirth != want {
		t.Errorf("date_of_birth %s, NIK says %s", c.DateOfBirth, want)
	}
	if !x.Extra.NIKCheck.Valid {
		t.Error("sandbox NIK check is not valid")
	}
}

func TestExtract(t *testing.T) {
	s := sandbox.New()
	tests := []struct {
		image    string
		validate bool
		code     ktpocr.Code
		quality  ktpocr.Quality
	}{
		{"KTP", true, "", ktpocr.Quality{}},
		{"KTP_BD", false, "", ktpocr.Quality{Blur: true, Dark: true}},
		{"KTP_BD", true, ktpocr.CodeFailOn1, ktpocr.Quality{Blur: true, Dark: true}},
		{"KTP_FG", true, ktpocr.CodeFailOn1, ktpocr.Quality{Flashlight: true, Grayscale: true}},
		{"NO_KTP_DETECTED", false, ktpocr.CodeNotKTP, ktpocr.Quality{}},
		{"IMAGE_SIZE_EXCEED_LIMIT", false, ktpocr.CodeImageSize, ktpocr.Quality{}},
		{"KTP_", false, ktpocr.CodeInvalidSandboxCode, ktpocr.Quality{}},
		{"ktp", false, ktpocr.CodeInvalidSandboxCode, ktpocr.Quality{}},
		{"KTP_DB", false, ktpocr.CodeInvalidSandboxCode, ktpocr.Quality{}},
	}
	for _, tt := range tests {
		x, err := s.Extract(tt.image, ktpocr.ExtractOptions{ValidateQuality: tt.validate})
		if got := ktpocr.ErrorCode(err); got != tt.code {
			t.Errorf("Extract(%q, %v) code = %q, want %q", tt.image, tt.validate, got, tt.code)
			continue
		}
		if x != nil && x.Quality != tt.quality {
			t.Errorf("Extract(%q) quality = %+v, want %+v", tt.image, x.Quality, tt.quality)
		}
		if (tt.code == "" || tt.code == ktpocr.CodeFailOn1) && x == nil {
			t.Errorf("Extract(%q) = nil extraction", tt.image)
		}
	}
}

// TestSubmitMatchesResult checks the decided mapping: what Submit answers
// and calls back is exactly what Result serves for the returned id.
func TestSubmitMatchesResult(t *testing.T) {
	s := sandbox.New()
	for _, image := range []string{"KTP", "KTP_B", "KTP_D", "KTP_BD", "KTP_F", "KTP_G", "KTP_FG", "KTP_DG", "KTP_BF", "KTP_BG", "NO_KTP_DETECTED"} {
		for _, v := range []bool{false, true} {
			ref, body, err := s.Submit(image, "", v)
			if err != nil {
				t.Errorf("Submit(%s, %v): %v", image, v, err)
				continue
			}
			want, err := s.Result(ref)
			if err != nil {
				t.Errorf("Result(%s): %v", ref, err)
				continue
			}
			if diff := cmp.Diff(want, body); diff != "" {
				t.Errorf("Submit(%s, %v) body differs from Result(%s) (-result +submit):\n%s", image, v, ref, diff)
			}
		}
	}
}

func TestResultIsolation(t *testing.T) {
	s := sandbox.New()
	a, _ := s.Result("REFERENCE_ID_KTP")
	a.Data.Extra.Confidence["nik"] = 0
	a.Data.Card.NIK = "0"
	b, _ := s.Result("REFERENCE_ID_KTP")
	if b.Data.Extra.Confidence["nik"] == 0 || b.Data.Card.NIK == "0" {
		t.Error("editing one answer changed the next")
	}
}
