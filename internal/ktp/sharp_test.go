package ktp

import "testing"

func TestSharpNIK(t *testing.T) {
	read := func(d string) nikRead {
		n := nikRead{digits: d, minConf: 0.97, confidence: 0.97}
		for range d {
			n.conf = append(n.conf, 0.97)
		}
		return n
	}
	for _, tc := range []struct{ best, sharp, want string }{
		{"3326130309660470", "3326130309680470", "3326130309680470"},  // the 6 the sharp read opens
		{"3376040612842416", "3376040812842418", "3376040812842418"},  // two of them
		{"3326130309680470", "3326130309660470", "3326130309680470"},  // never an 8 made a 6
		{"3326130309660470", "3326130309660471", "3326130309660470"},  // nor any other change
		{"3326130309660470", "13326130309680470", "3326130309660470"}, // 17 digits: nothing taken
		{"", "3326130309680470", ""},
	} {
		got := sharpNIK(read(tc.best), read(tc.sharp))
		if tc.want == "" {
			if got.digits != "" {
				t.Errorf("sharpNIK(%q, %q) = %q, want none", tc.best, tc.sharp, got.digits)
			}
			continue
		}
		if got.digits != tc.want {
			t.Errorf("sharpNIK(%q, %q) = %q, want %q", tc.best, tc.sharp, got.digits, tc.want)
		}
		if len(got.conf) != 16 {
			t.Errorf("sharpNIK(%q, %q): %d digit confidences, want 16", tc.best, tc.sharp, len(got.conf))
		}
	}
}
