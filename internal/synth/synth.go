package synth

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/ktpocr/ktpocr"
)

// Condition is a quality label of a sample (see the package doc for the
// exact definitions).
type Condition string

const (
	Blur       Condition = "blur"
	Dark       Condition = "dark"
	Flashlight Condition = "flashlight"
	Grayscale  Condition = "grayscale"
)

// Kind is what a sample shows.
type Kind string

const (
	KTP     Kind = "ktp"
	Letter  Kind = "letter"
	NPWP    Kind = "npwp"
	SIM     Kind = "sim"
	Receipt Kind = "receipt"
	Photo   Kind = "photo"
	Parody  Kind = "parody"
)

// NegativeKinds lists the kinds that are not KTPs.
var NegativeKinds = []Kind{Letter, NPWP, SIM, Receipt, Photo, Parody}

// ConditionSets lists the degraded conditions the default mix spreads its
// degraded samples over, singles then combinations.
var ConditionSets = [][]Condition{
	{Blur}, {Dark}, {Flashlight}, {Grayscale},
	{Blur, Dark}, {Flashlight, Grayscale}, {Dark, Grayscale}, {Blur, Flashlight}, {Blur, Grayscale},
}

// Spec says what one sample shows; the rest is drawn from the rng.
type Spec struct {
	Kind       Kind        // "" means KTP
	Conditions []Condition // none: clean
	Turn       int         // 0, 90, 180 or 270: added to the random tilt
	Person     *Person     // nil: drawn from the rng
	Width      int         // photo width; 0: drawn from 1000-1600 (height is 3/4 of it)
	MaxWidth   int         // when Width is 0, draw it from 1000-MaxWidth instead (keeps small sets small)
}

// Truth is the ground truth of a sample, written as JSON next to the image.
type Truth struct {
	File       string         `json:"file"`
	IsKTP      bool           `json:"is_ktp"`
	Kind       Kind           `json:"kind"`
	Conditions []Condition    `json:"conditions"`
	Quality    ktpocr.Quality `json:"quality"`
	Card       ktpocr.Card    `json:"card"`
	ValidUntil string         `json:"valid_until"`
	// Corners of the document (TL, TR, BR, BL of the upright document) in
	// image px; absent for a photo with no document.
	Corners []ktpocr.Point `json:"corners"`
	// Rotation is the document's rotation in degrees, clockwise as seen in
	// the image: ~0 upright, ~180 upside down.
	Rotation float64 `json:"rotation"`
	Width    int     `json:"width"`
	Height   int     `json:"height"`
	// Washed lists the fields of a KTP a glare spot washed out, wholly or
	// in part (their ink lifted to within the noise of white): what no
	// reader can read whole from the photo.
	Washed []string `json:"washed,omitempty"`
}

// Label returns the sample's condition label: "clean", "negative", or the
// conditions joined by "+".
func (t Truth) Label() string {
	if !t.IsKTP {
		return "negative"
	}
	return ConditionLabel(t.Conditions)
}

// ConditionLabel joins conditions with "+" in the canonical order of
// ConditionSets; none is "clean".
func ConditionLabel(cs []Condition) string {
	if len(cs) == 0 {
		return "clean"
	}
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, "+")
}

// ParseConditions parses a label made by ConditionLabel.
func ParseConditions(label string) ([]Condition, error) {
	if label == "clean" {
		return nil, nil
	}
	var cs []Condition
	for _, p := range strings.Split(label, "+") {
		switch c := Condition(p); c {
		case Blur, Dark, Flashlight, Grayscale:
			if slices.Contains(cs, c) {
				return nil, fmt.Errorf("synth: condition %q repeated in %q", p, label)
			}
			cs = append(cs, c)
		default:
			return nil, fmt.Errorf("synth: unknown condition %q (want blur, dark, flashlight, grayscale or clean)", p)
		}
	}
	return cs, nil
}

func has(cs []Condition, c Condition) bool { return slices.Contains(cs, c) }

// Render draws one sample. The same rng state and spec give the same image
// and truth. Truth.File is left empty.
func Render(r *rand.Rand, spec Spec) (image.Image, Truth) {
	kind := spec.Kind
	if kind == "" {
		kind = KTP
	}
	w := spec.Width
	if w <= 0 {
		hi := 1600
		if spec.MaxWidth >= 1000 {
			hi = min(spec.MaxWidth, 1600)
		}
		w = 1000 + r.IntN(hi-999)
	}
	w = max(w, 720)
	h := w * 3 / 4
	t := Truth{Kind: kind, IsKTP: kind == KTP, Conditions: slices.Clone(spec.Conditions), Width: w, Height: h}
	if t.Conditions == nil {
		t.Conditions = []Condition{}
	}
	t.Quality = ktpocr.Quality{
		Blur: has(t.Conditions, Blur), Dark: has(t.Conditions, Dark),
		Flashlight: has(t.Conditions, Flashlight), Grayscale: has(t.Conditions, Grayscale),
	}

	fs := faces{}
	c := newCanvas(w, h)
	var doc *image.RGBA
	radius := 0.0
	var lay cardLayout
	switch kind {
	case KTP, Parody:
		var p Person
		if spec.Person != nil {
			p = *spec.Person
		} else {
			p = newPerson(r)
		}
		lb := ktpLabels
		if kind == Parody {
			lb = parodyLabels
			p.Card.State = pick(r, []string{"KUCING OREN", "NUSA MEONG", "ANTAH BERANTAH"})
			p.Card.City = pick(r, []string{"KABUPATEN BANTAL", "KOTA KARDUS", "DESA IKAN ASIN"})
		} else {
			t.Card = p.Card
			t.ValidUntil = p.ValidUntil
		}
		doc, lay = renderCard(r, fs, p, lb)
		radius = 32
	case Photo:
		landscape(r, c)
	default:
		doc = renderNegative(r, fs, kind)
		if kind == NPWP || kind == SIM {
			radius = 32
		}
	}

	rot := (r.Float64()*2 - 1) * 10
	if doc != nil {
		background(r, c)
		dw, dh := float64(doc.Bounds().Dx()), float64(doc.Bounds().Dy())
		pl := place(r, w, h, dw, dh, 0.55+r.Float64()*0.30, rot+float64(spec.Turn))
		if pl.scale < 0.8 {
			// Shrinking fine guilloche and text by bilinear sampling
			// aliases; a camera's optics low-pass first.
			softenRGBA(doc)
		}
		composite(c, doc, pl, radius)
		t.Corners = points(pl.quad)
		t.Rotation = math.Round(normDeg(pl.rotation)*100) / 100
		fwd, _ := solveHomography([4]pt{{0, 0}, {dw, 0}, {dw, dh}, {0, dh}}, pl.quad)
		if r.IntN(3) == 0 {
			holdBy(r, c, fwd, dw, dh, pl.scale)
		}
		if has(t.Conditions, Flashlight) {
			s := flash(r, c, fwd, dw, dh, pl.scale, kind == KTP)
			if kind == KTP {
				t.Washed = washed(lay, fwd, s)
			}
		}
		applyConditions(r, c, t.Conditions, 14.4*pl.scale)
	} else {
		t.Rotation = 0
		applyConditions(r, c, t.Conditions, 14)
	}
	if has(t.Conditions, Grayscale) {
		return toGray(c), t
	}
	return c.toRGBA(), t
}

func normDeg(d float64) float64 {
	d = math.Mod(d, 360)
	if d < 0 {
		d += 360
	}
	if d > 180 {
		d -= 360
	}
	return d
}

// holdBy draws a thumb over the card's bottom or right border, where the
// layout prints nothing, reaching at most 38 card px in.
func holdBy(r *rand.Rand, c *canvas, fwd homography, dw, dh, scale float64) {
	var at, out pt
	if r.IntN(2) == 0 {
		at, out = pt{dw * (0.45 + r.Float64()*0.22), dh}, pt{0, 1}
	} else {
		at, out = pt{dw, dh * (0.88 + r.Float64()*0.08)}, pt{1, 0}
	}
	ex, ey := fwd.Apply(at.x, at.y)
	ox, oy := fwd.Apply(at.x+out.x*10, at.y+out.y*10)
	n := math.Hypot(ox-ex, oy-ey)
	if n == 0 {
		return
	}
	hand(r, c, pt{ex, ey}, pt{(ox - ex) / n, (oy - ey) / n}, 34*scale)
}

// flash puts the glare spot on the document, and returns it: over the
// field text half of the time on a KTP, else elsewhere on it.
func flash(r *rand.Rand, c *canvas, fwd homography, dw, dh, scale float64, ktp bool) spot {
	u, v := dw*(0.1+r.Float64()*0.8), dh*(0.15+r.Float64()*0.7)
	if ktp && r.IntN(2) == 0 {
		u, v = 60+r.Float64()*600, 150+r.Float64()*400
	}
	x, y := fwd.Apply(u, v)
	s := spot{x: x, y: y, rad: dw * scale * (0.06 + r.Float64()*0.06), strength: 0.85 + r.Float64()*0.15}
	glare(c, s)
	return s
}

// washed lists the fields of lay (in the order of ktpocr.FieldNames, then
// valid_until) of which some printed pixel lies where s washes ink out
// (washK), the card mapped into the photo by fwd: no reader can read
// all of such a value from the photo.
func washed(lay cardLayout, fwd homography, s spot) []string {
	var out []string
	for _, name := range append(slices.Clone(ktpocr.FieldNames), "valid_until") {
	boxes:
		for _, b := range lay.fields[name] {
			for y := b.Min.Y; y < b.Max.Y; y += 2 {
				for x := b.Min.X; x < b.Max.X; x += 2 {
					if px, py := fwd.Apply(float64(x), float64(y)); s.k(px, py) >= washK {
						out = append(out, name)
						break boxes
					}
				}
			}
		}
	}
	return out
}

// applyConditions applies light, the degradations and noise in the order a
// camera does: exposure and glare, optics, sensor noise.
func applyConditions(r *rand.Rand, c *canvas, cs []Condition, capH float64) {
	light(r, c, 0.9+r.Float64()*0.2)
	noise := 1 + r.Float64()*2
	if has(cs, Dark) {
		darken(r, c)
		noise = 2.5 + r.Float64()*2.5
	}
	if has(cs, Blur) {
		if r.IntN(3) == 0 {
			l := math.Max(4, capH*(0.35+r.Float64()*0.25))
			rad := int(l / 2 / 1.6) // two box passes of 2rad+1 spread about l
			motionBlur(c, max(rad, 1), r.IntN(3))
		} else {
			gaussBlur(c, math.Max(1.2, capH*(0.10+r.Float64()*0.06)))
		}
	}
	sensorNoise(r, c, noise)
}

func toGray(c *canvas) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, c.w, c.h))
	for i, j := 0, 0; i < len(c.p); i, j = i+3, j+1 {
		g.Pix[j] = clamp8(0.299*c.p[i] + 0.587*c.p[i+1] + 0.114*c.p[i+2])
	}
	return g
}

// softenRGBA applies a 3x3 box blur in place.
func softenRGBA(img *image.RGBA) {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	src := slices.Clone(img.Pix)
	for y := range h {
		for x := range w {
			for k := range 3 {
				s, n := 0, 0
				for dy := -1; dy <= 1; dy++ {
					yy := y + dy
					if yy < 0 || yy >= h {
						continue
					}
					for dx := -1; dx <= 1; dx++ {
						xx := x + dx
						if xx < 0 || xx >= w {
							continue
						}
						s += int(src[yy*img.Stride+4*xx+k])
						n++
					}
				}
				img.Pix[y*img.Stride+4*x+k] = uint8(s / n)
			}
		}
	}
}
