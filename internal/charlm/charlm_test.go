package charlm

import (
	"testing"
)

// sum is the model's score of a whole string, letter by letter.
func sum(m *Model, s string) float64 {
	rs := []rune(s)
	t := 0.0
	for i, r := range rs {
		t += m.Score(rs[:i], r)
	}
	return t
}

// TestSpelling: the blur confusions the model is for score below the
// names they came from.
func TestSpelling(t *testing.T) {
	m := Get()
	for _, tc := range []struct{ right, wrong string }{
		{"WIJAYA", "WUAYA"},
		{"INDAH", "INOAH"},
		{"HENDRA", "HENORA"},
		{"SRI WIRATAMA", "SRE WIRATAMA"},
		{"DSN. KRAJAN BLOK", "DSNL KRAJAN DLOK"}, // the address words count too
		{"PONDOK", "PONOOK"},
		{"SITUMORANG", "STUMORANG"},
	} {
		r, w := sum(m, tc.right), sum(m, tc.wrong)
		t.Logf("%s %.2f %s %.2f", tc.right, r, tc.wrong, w)
		if r <= w {
			t.Errorf("score(%s) = %.2f, not above score(%s) = %.2f", tc.right, r, tc.wrong, w)
		}
	}
}

// TestFloor: a letter people's names keep and place names dropped costs no
// more than the floor.
func TestFloor(t *testing.T) {
	m := Get()
	if s := m.Score([]rune("SET"), 'Y'); s < weight*floor {
		t.Errorf("Score(SET, Y) = %.2f, under the floor %.2f", s, weight*floor)
	}
}

func TestNoOpinion(t *testing.T) {
	m := Get()
	for _, r := range "0123456789.,/-+" {
		if s := m.Score([]rune("NO"), r); s != 0 {
			t.Errorf("Score(NO, %q) = %v, want 0", r, s)
		}
	}
	if a, b := m.Score([]rune("jal"), 'a'), m.Score([]rune("JAL"), 'A'); a != b {
		t.Errorf("case counts: %v vs %v", a, b)
	}
}

// TestAddressDigits: where a block's or a house's number stands, a digit
// outscores the letter blur makes of it; elsewhere the address scores as
// the names do.
func TestAddressDigits(t *testing.T) {
	a := GetAddress()
	for _, tc := range []struct {
		before string
		digit  bool // a digit is due after before
	}{
		{"JL. MAWAR BLOK C", true},
		{"JL.MAWARBLOKC", true}, // the recogniser's spaces lost
		{"BLOKF1", true},
		{"BLOK ", false}, // a block's letter, or its number
		{"BLOK C4 NO.", true},
		{"JL. MAWAR NO ", true},
		{"NO.6", false}, // a house's letter may follow its digits
		{"PONO", false}, // "PONOROGO"
		{"BLOK C4 GG. ", false},
		{"BLOKAB", false},
	} {
		if got := digitDue([]rune(tc.before)); got != tc.digit {
			t.Errorf("digitDue(%q) = %v, want %v", tc.before, got, tc.digit)
		}
		d, l := a.Score([]rune(tc.before), '4'), a.Score([]rune(tc.before), 'A')
		if tc.digit && d <= l {
			t.Errorf("after %q: Score(4) = %.2f, not above Score(A) = %.2f", tc.before, d, l)
		}
		if !tc.digit && (d != 0 || l != Get().Score([]rune(tc.before), 'A')) {
			t.Errorf("after %q: Score(4) = %.2f, Score(A) = %.2f; want the model's (0 for a digit)", tc.before, d, l)
		}
	}
}
