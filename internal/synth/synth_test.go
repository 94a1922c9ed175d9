package synth

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/region"
)

// TestPersonConsistent checks the NIK rules on many drawn identities: the
// NIK's district exists and is the printed one, its date is the birth date
// with +40 for women, and the header is the district's city and province.
func TestPersonConsistent(t *testing.T) {
	r := SampleRand(1, 0)
	for i := range 400 {
		p := newPerson(r)
		c := p.Card
		if len(c.NIK) != 16 {
			t.Fatalf("person %d: NIK %q has %d digits, want 16", i, c.NIK, len(c.NIK))
		}
		if _, err := strconv.ParseUint(c.NIK, 10, 64); err != nil {
			t.Fatalf("person %d: NIK %q is not digits", i, c.NIK)
		}
		dist, ok := region.Lookup(c.NIK[:6])
		if !ok || dist.Name != c.District {
			t.Fatalf("person %d: NIK district %s = %v %v, want printed %q", i, c.NIK[:6], dist, ok, c.District)
		}
		city, _ := region.Lookup(c.NIK[:4])
		prov, _ := region.Lookup(c.NIK[:2])
		if got := region.PrintedCity(city); got != c.City {
			t.Errorf("person %d: city %q, NIK says %q", i, c.City, got)
		}
		if got := region.PrintedProvince(prov); got != c.State {
			t.Errorf("person %d: state %q, NIK says %q", i, c.State, got)
		}
		if v, ok := region.Lookup(p.VillageCode); !ok || v.Name != c.AdministrativeVillage || p.VillageCode[:6] != c.NIK[:6] {
			t.Errorf("person %d: village %s %v, printed %q", i, p.VillageCode, v, c.AdministrativeVillage)
		}
		birth, err := time.Parse("02-01-2006", c.DateOfBirth)
		if err != nil {
			t.Fatalf("person %d: date of birth %q: %v", i, c.DateOfBirth, err)
		}
		day := birth.Day()
		switch c.Gender {
		case "PEREMPUAN":
			day += 40
		case "LAKI-LAKI":
		default:
			t.Fatalf("person %d: gender %q", i, c.Gender)
		}
		if want := fmt.Sprintf("%02d%02d%02d", day, birth.Month(), birth.Year()%100); c.NIK[6:12] != want {
			t.Errorf("person %d: NIK date %s, want %s for %s %s", i, c.NIK[6:12], want, c.DateOfBirth, c.Gender)
		}
		if c.Nationality != "WNI" || c.Religion == "" || c.MaritalStatus == "" || c.Occupation == "" || c.Address == "" {
			t.Errorf("person %d: empty or wrong field: %+v", i, c)
		}
		if len(c.RTRW) != 7 || c.RTRW[3] != '/' {
			t.Errorf("person %d: RT/RW %q, want NNN/NNN", i, c.RTRW)
		}
		if p.ValidUntil != "SEUMUR HIDUP" {
			if _, err := time.Parse("02-01-2006", p.ValidUntil); err != nil {
				t.Errorf("person %d: valid until %q", i, p.ValidUntil)
			}
		}
	}
}

func TestPlanDefaultMix(t *testing.T) {
	specs, err := Plan(100, 3, "default")
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	turns := map[int]int{}
	for _, s := range specs {
		if s.Kind != KTP {
			count["negative"]++
			continue
		}
		turns[s.Turn]++
		if len(s.Conditions) == 0 {
			count["clean"]++
		} else {
			count["degraded"]++
		}
	}
	if diff := cmp.Diff(map[string]int{"clean": 45, "degraded": 40, "negative": 15}, count); diff != "" {
		t.Errorf("Plan(100) categories (-want +got):\n%s", diff)
	}
	if turns[180] == 0 || turns[90]+turns[270] == 0 || turns[0] < 70 {
		t.Errorf("Plan(100) turns = %v, want mostly 0 and a few 90/180/270", turns)
	}

	// A small set holds every condition set and some negatives.
	specs, _ = Plan(24, 7, "")
	seen := map[string]bool{}
	for _, s := range specs {
		if s.Kind == KTP {
			seen[ConditionLabel(s.Conditions)] = true
		} else {
			seen["negative"] = true
		}
	}
	for _, cs := range ConditionSets {
		if !seen[ConditionLabel(cs)] {
			t.Errorf("Plan(24) lacks %s", ConditionLabel(cs))
		}
	}
	if !seen["negative"] || !seen["clean"] {
		t.Errorf("Plan(24) lacks clean or negative samples: %v", seen)
	}
	again, _ := Plan(24, 7, "")
	if diff := cmp.Diff(specs, again); diff != "" {
		t.Errorf("Plan is not deterministic:\n%s", diff)
	}
}

func TestPlanMixErrors(t *testing.T) {
	for _, mix := range []string{"sharp", "blur+blur", "blur+", "clean,foo"} {
		if _, err := Plan(5, 1, mix); err == nil {
			t.Errorf("Plan(mix %q) = nil error, want an error", mix)
		}
	}
	if _, err := Plan(0, 1, ""); err == nil {
		t.Error("Plan(0) = nil error, want an error")
	}
	specs, err := Plan(4, 1, "letter, dark+grayscale")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range specs {
		if s.Kind == Letter {
			n++
		} else if ConditionLabel(s.Conditions) != "dark+grayscale" {
			t.Errorf("mix letter,dark+grayscale gave %+v", s)
		}
	}
	if n != 2 {
		t.Errorf("mix letter,dark+grayscale gave %d letters of 4, want 2", n)
	}
}

func TestParseConditions(t *testing.T) {
	for _, cs := range append(ConditionSets, nil) {
		label := ConditionLabel(cs)
		got, err := ParseConditions(label)
		if err != nil || !cmp.Equal(got, cs) {
			t.Errorf("ParseConditions(%q) = %v, %v; want %v", label, got, err, cs)
		}
	}
}

func TestEncodeDeterministic(t *testing.T) {
	t.Parallel()
	spec := Spec{Conditions: []Condition{Flashlight}, Width: 900}
	a, ta, err := Encode(11, 3, spec)
	if err != nil {
		t.Fatal(err)
	}
	b, tb, _ := Encode(11, 3, spec)
	if !bytes.Equal(a, b) || !cmp.Equal(ta, tb) {
		t.Error("Encode(11, 3) differs between two calls")
	}
	c, _, _ := Encode(11, 4, spec)
	if bytes.Equal(a, c) {
		t.Error("Encode(11, 3) and Encode(11, 4) are identical")
	}
	if ta.File != "0004.jpg" {
		t.Errorf("File = %q, want 0004.jpg", ta.File)
	}
}

// render draws spec with a fixed seed at a small size to keep tests fast.
func render(spec Spec) (image.Image, Truth) {
	spec.Width = 800
	return Render(SampleRand(5, 0), spec)
}

func TestRenderTruth(t *testing.T) {
	t.Parallel()
	specs := []Spec{
		{Kind: KTP},
		{Kind: KTP, Turn: 180, Conditions: []Condition{Blur, Grayscale}},
		{Kind: KTP, Turn: 90, Conditions: []Condition{Dark}},
		{Kind: Parody},
		{Kind: Receipt},
		{Kind: Photo},
	}
	for _, s := range specs {
		img, tr := render(s)
		name := fmt.Sprintf("%s/%s/turn%d", s.Kind, ConditionLabel(s.Conditions), s.Turn)
		b := img.Bounds()
		if b.Dx() != tr.Width || b.Dy() != tr.Height || b.Dx() < 720 || b.Dy() < 480 {
			t.Errorf("%s: image %v, truth %dx%d, want equal and at least 720x480", name, b, tr.Width, tr.Height)
		}
		if tr.IsKTP != (s.Kind == KTP) {
			t.Errorf("%s: IsKTP = %v", name, tr.IsKTP)
		}
		if tr.IsKTP && (tr.Card.NIK == "" || tr.ValidUntil == "") || !tr.IsKTP && tr.Card.NIK != "" {
			t.Errorf("%s: card truth %+v valid until %q", name, tr.Card, tr.ValidUntil)
		}
		q := tr.Quality
		if q.Blur != has(s.Conditions, Blur) || q.Dark != has(s.Conditions, Dark) || q.Grayscale != has(s.Conditions, Grayscale) || q.Flashlight != has(s.Conditions, Flashlight) {
			t.Errorf("%s: quality %+v does not match conditions", name, q)
		}
		if _, gray := img.(*image.Gray); gray != q.Grayscale {
			t.Errorf("%s: image type %T", name, img)
		}
		if s.Kind == Photo {
			if tr.Corners != nil {
				t.Errorf("%s: corners %v, want none", name, tr.Corners)
			}
			continue
		}
		if len(tr.Corners) != 4 {
			t.Fatalf("%s: %d corners", name, len(tr.Corners))
		}
		for _, p := range tr.Corners {
			if p.X < 0 || p.Y < 0 || p.X > float64(tr.Width) || p.Y > float64(tr.Height) {
				t.Errorf("%s: corner %v outside the image", name, p)
			}
		}
		// The rotation is the direction of the TL->TR edge.
		tl, tr2 := tr.Corners[0], tr.Corners[1]
		ang := math.Atan2(tr2.Y-tl.Y, tr2.X-tl.X) * 180 / math.Pi
		if d := math.Abs(normDeg(ang - tr.Rotation)); d > 5 {
			t.Errorf("%s: TL->TR edge at %.1f°, rotation %.1f°", name, ang, tr.Rotation)
		}
		if want := float64(s.Turn); math.Abs(normDeg(tr.Rotation-want)) > 10.01 {
			t.Errorf("%s: rotation %.1f, want within 10° of %v", name, tr.Rotation, want)
		}
		// Card width in the photo: 55-85 % of the image width (the bounding
		// box's, as the card may be turned; or less when the height limits).
		qq := toPts(tr.Corners)
		minX, _, maxX, _ := bbox(qq[:])
		if f := (maxX - minX) / float64(tr.Width); f > 0.86 || f < 0.3 {
			t.Errorf("%s: document spans %.2f of the width", name, f)
		}
	}
}

// TestConditionsMeasurable checks that the labelled degradations change the
// pixels the way their definitions say, on the same card and pose.
func TestConditionsMeasurable(t *testing.T) {
	t.Parallel()
	clean, tr := render(Spec{})
	blurred, _ := render(Spec{Conditions: []Condition{Blur}})
	dark, _ := render(Spec{Conditions: []Condition{Dark}})
	flash, _ := render(Spec{Conditions: []Condition{Flashlight}})
	q := toPts(tr.Corners)
	cs, cm, cb := cardStats(clean, q)
	bs, _, _ := cardStats(blurred, q)
	_, dm, _ := cardStats(dark, q)
	_, _, fb := cardStats(flash, q)
	if bs > cs*0.3 {
		t.Errorf("blur: sharpness %.1f vs clean %.1f, want below 30 %%", bs, cs)
	}
	if dm > cm*0.35 {
		t.Errorf("dark: card mean %.1f vs clean %.1f, want below 35 %%", dm, cm)
	}
	if fb < cb+0.03 {
		t.Errorf("flashlight: saturated share %.3f vs clean %.3f, want +3 points", fb, cb)
	}
}

func toPts(ps []ktpocr.Point) [4]pt {
	var q [4]pt
	for i, p := range ps {
		q[i] = pt{p.X, p.Y}
	}
	return q
}

// cardStats measures inside quad: the mean squared Laplacian of luminance
// (sharpness), the mean luminance, and the share of saturated pixels.
func cardStats(img image.Image, q [4]pt) (sharp, mean, sat float64) {
	b := img.Bounds()
	lum := func(x, y int) float64 {
		r, g, bb, _ := img.At(x, y).RGBA()
		return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bb)) / 257
	}
	n := 0
	for y := b.Min.Y + 1; y < b.Max.Y-1; y += 2 {
		for x := b.Min.X + 1; x < b.Max.X-1; x += 2 {
			if !insideConvex(q, pt{float64(x), float64(y)}) {
				continue
			}
			l := lum(x, y)
			lap := 4*l - lum(x-1, y) - lum(x+1, y) - lum(x, y-1) - lum(x, y+1)
			sharp += lap * lap
			mean += l
			if l >= 250 {
				sat++
			}
			n++
		}
	}
	return sharp / float64(n), mean / float64(n), sat / float64(n)
}

func TestGenerateWritesSet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	truths, err := Generate(Options{N: 3, Seed: 2, Dir: dir, Mix: "clean,negative,blur+dark", Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	read, err := ReadTruth(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(truths, read); diff != "" {
		t.Errorf("truth.jsonl differs from Generate's result:\n%s", diff)
	}
	for i, tr := range truths {
		if want := fmt.Sprintf("%04d.jpg", i+1); tr.File != want {
			t.Errorf("truth %d: file %q, want %q", i, tr.File, want)
		}
		f, err := os.Open(filepath.Join(dir, tr.File))
		if err != nil {
			t.Fatal(err)
		}
		cfg, format, err := image.DecodeConfig(f)
		f.Close()
		if err != nil || format != "jpeg" || cfg.Width != tr.Width || cfg.Height != tr.Height {
			t.Errorf("%s: %v %s %dx%d, truth %dx%d", tr.File, err, format, cfg.Width, cfg.Height, tr.Width, tr.Height)
		}
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("%04d.json", i+1))); err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkEncode measures rendering and JPEG-encoding one sample of the
// default mix (the budget is about 0.3 s of CPU per image).
func BenchmarkEncode(b *testing.B) {
	specs, _ := Plan(24, 7, "")
	for i := 0; b.Loop(); i++ {
		if _, _, err := Encode(7, i%24, specs[i%24]); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWashed: a glare spot over the NIK washes the NIK and the fields it
// reaches out, a spot off the text or too weak washes nothing.
func TestWashed(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	_, lay := renderCard(r, faces{}, newPerson(r), ktpLabels)
	nik := lay.fields["nik"][0]
	identity := homography{1, 0, 0, 0, 1, 0, 0, 0, 1}
	cx, cy := float64(nik.Min.X+nik.Max.X)/2, float64(nik.Min.Y+nik.Max.Y)/2
	for _, tc := range []struct {
		name string
		s    spot
		want []string
	}{
		{"over the NIK", spot{x: cx, y: cy, rad: 20, strength: 1}, []string{"nik"}},
		{"over the NIK, weak", spot{x: cx, y: cy, rad: 20, strength: 0.6}, nil},
		{"on the portrait", spot{x: 850, y: 250, rad: 20, strength: 1}, nil},
	} {
		if got := washed(lay, identity, tc.s); !slices.Equal(got, tc.want) {
			t.Errorf("%s: washed %v, want %v", tc.name, got, tc.want)
		}
	}
	// Every field the bench scores has its printed boxes.
	for _, f := range append(slices.Clone(ktpocr.FieldNames), "valid_until") {
		if len(lay.fields[f]) == 0 {
			t.Errorf("no printed box for %s", f)
		}
	}
}
