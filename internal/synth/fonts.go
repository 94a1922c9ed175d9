package synth

import (
	"os"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// Font files. The card prints its labels in an Arial-like sans and the NIK
// in OCR-A; Liberation Sans is metric-compatible with Arial. When a file is
// missing the Go fonts stand in, so rendering never fails; the cards then
// look less like real ones, which FontsFound reports.
var fontFiles = map[string]struct {
	path     string
	fallback []byte
}{
	"sans":     {"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", goregular.TTF},
	"sansBold": {"/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf", gobold.TTF},
	"mono":     {"/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf", gomono.TTF},
	"ocra":     {"/usr/share/fonts/truetype/ocr-a/OCRA.ttf", gomono.TTF},
}

var (
	fontsOnce  sync.Once
	fonts      map[string]*opentype.Font
	fontsFound bool
)

func loadFonts() {
	fonts = map[string]*opentype.Font{}
	fontsFound = true
	for name, ff := range fontFiles {
		b, err := os.ReadFile(ff.path)
		var f *opentype.Font
		if err == nil {
			f, err = opentype.Parse(b)
		}
		if err != nil {
			fontsFound = false
			f, _ = opentype.Parse(ff.fallback) // embedded and known good
		}
		fonts[name] = f
	}
}

// FontsFound reports whether the system fonts the card uses were found
// (Liberation Sans, Liberation Mono, OCR-A); otherwise Go fonts were used.
func FontsFound() bool {
	fontsOnce.Do(loadFonts)
	return fontsFound
}

// faces caches font faces of one render. A face is not safe for concurrent
// use, so each Render owns its own set.
type faces map[[2]int]font.Face

var fontIndex = map[string]int{"sans": 0, "sansBold": 1, "mono": 2, "ocra": 3}

func (fs faces) get(name string, size float64) font.Face {
	fontsOnce.Do(loadFonts)
	key := [2]int{fontIndex[name], int(size * 10)}
	if f, ok := fs[key]; ok {
		return f
	}
	f, err := opentype.NewFace(fonts[name], &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("synth: font face: " + err.Error()) // only on a nil or corrupt font, which loadFonts rules out
	}
	fs[key] = f
	return f
}
