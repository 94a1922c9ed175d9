package ppocr

import (
	"testing"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

func TestEdgeI(t *testing.T) {
	dict := []string{"A", "D", "I", "M", "W", "7", " ", ":"}
	e := &Engine{dict: dict}
	classes := len(dict) + 1
	for _, tc := range []struct {
		name   string
		frames []map[string]float32
		want   string
	}{
		{"a word's last I", []map[string]float32{{"D": 0.95}, {}, {"W": 0.9}, {}, {"I": 0.22}, {}}, "DWI"},
		{"a word's first I", []map[string]float32{{}, {"I": 0.2}, {"M": 0.9}, {}, {"A": 0.9}}, "IMA"},
		{"before a space", []map[string]float32{{"D": 0.95}, {"I": 0.3}, {" ": 0.9}, {"A": 0.9}}, "DI A"},
		{"too faint", []map[string]float32{{"D": 0.95}, {}, {"W": 0.9}, {}, {"I": 0.1}, {}}, "DW"},
		{"inside a word", []map[string]float32{{"W": 0.9}, {"I": 0.3}, {"A": 0.9}}, "WA"},
		{"the tail of an I read", []map[string]float32{{"D": 0.95}, {}, {"I": 0.9}, {}, {"I": 0.3}}, "DI"},
		{"after a digit", []map[string]float32{{"7": 0.95}, {}, {"I": 0.3}}, "7"},
		{"a lone I after the colon", []map[string]float32{{":": 0.9}, {}, {"I": 0.38}, {}, {"M": 0.9}}, ":IM"},
		{"after the colon, too faint", []map[string]float32{{":": 0.9}, {}, {"I": 0.1}, {}, {"M": 0.9}}, ":M"},
		{"a frame I won is the best path's", []map[string]float32{{"D": 0.95}, {}, {"W": 0.9}, {}, {"I": 0.6}}, "DWI"},
	} {
		probs := framesOf(dict, tc.frames)
		got := e.edgeI(e.decode(probs, len(tc.frames), classes, nil), probs, len(tc.frames), classes)
		if s := text(got); s != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, s, tc.want)
		}
	}
	// The I put back keeps its frame and probability.
	probs := framesOf(dict, []map[string]float32{{"D": 0.95}, {}, {"W": 0.9}, {}, {"I": 0.22}})
	got := e.edgeI(e.decode(probs, 5, classes, nil), probs, 5, classes)
	if last := got[len(got)-1]; last.s != "I" || last.step != 4 || last.p != 0.22 {
		t.Errorf("I put back as %+v, want step 4, p 0.22", last)
	}
}

// TestDecodeDigitsMarks: a digits-only read takes a frame a colon wins for
// no character, where the digits alone would name the likeliest of them;
// a letter a digit looks like still counts as that digit's frame.
func TestDecodeDigitsMarks(t *testing.T) {
	dict := []string{":", "O", "0", "1", "3"}
	e := &Engine{dict: dict}
	classes := len(dict) + 1
	mask := e.classMask(ocr.Digits)
	for _, tc := range []struct {
		name   string
		frames []map[string]float32
		want   string
	}{
		{"the colon before the digits", []map[string]float32{{":": 0.9, "1": 0.07}, {}, {"3": 0.9}, {}, {"3": 0.9}}, "33"},
		{"a digit read as a letter", []map[string]float32{{"O": 0.6, "0": 0.3}, {}, {"3": 0.9}}, "03"},
	} {
		probs := framesOf(dict, tc.frames)
		if got := text(e.decode(probs, len(tc.frames), classes, mask)); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
