package ktp

import (
	"image"
	"slices"
	"strings"
)

// Villages and districts split in two are numbered with roman numerals
// ("LIMBA U I", "LIMBA U II"), and both names are in the official list, so
// no snap can tell them apart. The recogniser drops one of two thin bars
// even on clean photos (seed 20261144: 2 of 144 clean cards read "II" as
// "I"), while the bars are plain in the pixels: stems as tall as a capital,
// a stroke wide, closer to each other than a word space is to the word
// before them. romanTail counts them.

// Bar and word-space proportions, in capital heights, from the card's
// sans type (Liberation Sans, Arial's metrics): an I's stem is about 0.13
// of a capital tall, two I's stand about 0.2-0.3 apart, a word space with
// its letters' side bearings is about 0.6.
const (
	barMaxWidth = 0.3  // a run no wider than this is a stem
	barMinTall  = 0.75 // and at least this tall
	wordGap     = 0.42 // a gap this wide or wider is a word space
)

// romanTail returns s with the roman numeral that ends it (" I", " II",
// " III"; or none, when the recogniser dropped it whole: "KOPAI" for
// KOPAI II) as many I's long as there are stems at the right end of box
// in img, when the pixels show a clean group of one to three stems after a
// word space; otherwise s as it is. box is in img's pixels.
func romanTail(img image.Image, box image.Rectangle, s string) string {
	s = strings.TrimSpace(s)
	// The numeral read is the words of I's alone that end s, however the
	// recogniser spaced them ("BELITANG I I": seed 20261162, a clean
	// card's II that one I more made III), an I read as a one included
	// ("TINAMPAK 1", 20261160).
	words := strings.Fields(s)
	w := len(words)
	for w > 1 && strings.Trim(words[w-1], "I1") == "" {
		w--
	}
	k := len(strings.Join(words[w:], ""))
	head := strings.Join(words[:w], " ") + " "
	if k > 3 {
		return s
	}
	if strings.TrimSpace(head) == "" {
		return s
	}
	n, ok := stemsAtEnd(img, box)
	if !ok || n < 1 || n > 3 {
		return s
	}
	return head + strings.Repeat("I", n)
}

// inkRun is a run of inked columns: [x0, x1), its ink from row top to
// bottom.
type inkRun struct{ x0, x1, top, bottom int }

// stemsAtEnd counts the stems that end the text in box of img: narrow
// runs as tall as a capital, each within a word space of the next, the
// group set off from what is before it by a word space. ok is false when
// the text does not end so (the last run is a letter, or a stem joins a
// word).
func stemsAtEnd(img image.Image, box image.Rectangle) (n int, ok bool) {
	top, bottom, ok := inkedRows(img, box)
	if !ok {
		return 0, false
	}
	var runs []inkRun
	for x := 0; x < len(top); x++ {
		if bottom[x] < top[x] {
			continue
		}
		r := inkRun{x0: x, top: top[x], bottom: bottom[x]}
		for x < len(top) && bottom[x] >= top[x] {
			r.top, r.bottom = min(r.top, top[x]), max(r.bottom, bottom[x])
			x++
		}
		r.x1 = x
		runs = append(runs, r)
	}
	if len(runs) < 2 {
		return 0, false
	}
	heights := make([]int, len(runs))
	for i, r := range runs {
		heights[i] = r.bottom - r.top + 1
	}
	slices.Sort(heights)
	capH := float64(heights[len(heights)*9/10])
	if capH < 8 {
		return 0, false // too small to tell a stem from a letter
	}
	// A run's core is its columns inked at least half a capital tall:
	// blur and the JPEG leave a stem a faint column at its side, and an
	// A its foot, which narrow the gap a word space makes ("PUWETA II":
	// a gap of 0.33 capitals to the foot, 0.47 to the A's core; seed
	// 20261154).
	core := func(r inkRun) (x0, x1 int) {
		x0, x1 = r.x1, r.x0
		for x := r.x0; x < r.x1; x++ {
			if float64(bottom[x]-top[x]+1) >= capH/2 {
				x0, x1 = min(x0, x), x+1
			}
		}
		if x1 <= x0 {
			return r.x0, r.x1
		}
		return x0, x1
	}
	stem := func(r inkRun) bool {
		x0, x1 := core(r)
		return float64(x1-x0) <= barMaxWidth*capH && float64(r.bottom-r.top+1) >= barMinTall*capH
	}
	for i := len(runs) - 1; i >= 0; i-- {
		if !stem(runs[i]) {
			return 0, false // a letter ends the text, or a stem joins one
		}
		n++
		if i == 0 {
			return 0, false // nothing before the stems: no word to number
		}
		x0, _ := core(runs[i])
		_, x1 := core(runs[i-1])
		if float64(x0-x1) >= wordGap*capH {
			return n, true
		}
	}
	return 0, false
}
