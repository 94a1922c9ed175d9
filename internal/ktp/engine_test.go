package ktp

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr/ppocrtest"
	"github.com/ktpocr/ktpocr/internal/synth"
)

var (
	benchN    = flag.Int("ktp.bench", 0, "measure exact-match per field over this many generated cards (TestMeasure)")
	benchSeed = flag.Uint64("ktp.seed", 1, "seed of the generated set of TestMeasure")
	benchMix  = flag.String("ktp.mix", "clean", "synth mix of TestMeasure")
	dumpDir   = flag.String("ktp.dump", "", "write the page of every miss of TestMeasure here as *.page.json")
)

// rectify warps the document whose corners (TL, TR, BR, BL) are given to an
// upright 1000x631 image, as internal/card does, so that these tests
// measure the reader alone.
func rectify(src image.Image, corners []ktpocr.Point) *image.RGBA {
	const w, h = 1000, 631
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	hm := homography([4][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}}, [4][2]float64{
		{corners[0].X, corners[0].Y}, {corners[1].X, corners[1].Y}, {corners[2].X, corners[2].Y}, {corners[3].X, corners[3].Y},
	})
	b := src.Bounds()
	at := func(x, y int) [3]float64 {
		x = min(max(x, b.Min.X), b.Max.X-1)
		y = min(max(y, b.Min.Y), b.Max.Y-1)
		r, g, bb, _ := src.At(x, y).RGBA()
		return [3]float64{float64(r >> 8), float64(g >> 8), float64(bb >> 8)}
	}
	for v := 0; v < h; v++ {
		for u := 0; u < w; u++ {
			fu, fv := float64(u)+0.5, float64(v)+0.5
			d := hm[6]*fu + hm[7]*fv + 1
			x := (hm[0]*fu+hm[1]*fv+hm[2])/d - 0.5
			y := (hm[3]*fu+hm[4]*fv+hm[5])/d - 0.5
			x0, y0 := int(math.Floor(x)), int(math.Floor(y))
			ax, ay := x-float64(x0), y-float64(y0)
			p00, p10, p01, p11 := at(x0, y0), at(x0+1, y0), at(x0, y0+1), at(x0+1, y0+1)
			var c [3]uint8
			for k := range 3 {
				val := (p00[k]*(1-ax)+p10[k]*ax)*(1-ay) + (p01[k]*(1-ax)+p11[k]*ax)*ay
				c[k] = uint8(min(255, max(0, val+0.5)))
			}
			dst.SetRGBA(u, v, color.RGBA{c[0], c[1], c[2], 255})
		}
	}
	return dst
}

// homography returns the 8 coefficients mapping the points from onto to.
func homography(from, to [4][2]float64) [8]float64 {
	var a [8][9]float64
	for i := range 4 {
		x, y, X, Y := from[i][0], from[i][1], to[i][0], to[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -x * X, -y * X, X}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -x * Y, -y * Y, Y}
	}
	for c := range 8 { // Gauss-Jordan with partial pivoting
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		for r := range 8 {
			if r != c {
				f := a[r][c] / a[c][c]
				for k := c; k < 9; k++ {
					a[r][k] -= f * a[c][k]
				}
			}
		}
	}
	var h [8]float64
	for i := range 8 {
		h[i] = a[i][8] / a[i][i]
	}
	return h
}

// sample renders generated sample i of (seed, mix) and rectifies it by its
// true corners.
func sample(t testing.TB, seed uint64, mix string, n, i int) (image.Image, synth.Truth) {
	t.Helper()
	specs, err := synth.Plan(n, seed, mix)
	if err != nil {
		t.Fatal(err)
	}
	img, truth := synth.Render(synth.SampleRand(seed, i), specs[i])
	if len(truth.Corners) != 4 {
		return img, truth
	}
	return rectify(img, truth.Corners), truth
}

// fieldsOf returns the fields compared against the truth.
func fieldsOf(c ktpocr.Card, validUntil string) map[string]string {
	m := map[string]string{"valid_until": validUntil}
	for _, f := range ktpocr.FieldNames {
		m[f] = c.Field(f)
	}
	return m
}

// TestReadGenerated reads a few generated clean cards with the real engine
// and demands the NIK and nearly every field exact.
func TestReadGenerated(t *testing.T) {
	if !synth.FontsFound() {
		t.Skip("card fonts not installed")
	}
	r := &Reader{Engine: ppocrtest.Engine(t)}
	const n = 3
	wrong := 0
	for i := range n {
		img, truth := sample(t, 11, "clean", n, i)
		res, err := r.Read(context.Background(), img)
		if err != nil {
			t.Fatalf("sample %d: Read: %v", i, err)
		}
		if res.Card.NIK != truth.Card.NIK {
			t.Errorf("sample %d: NIK = %q, want %q", i, res.Card.NIK, truth.Card.NIK)
		}
		got, want := fieldsOf(res.Card, res.ValidUntil), fieldsOf(truth.Card, truth.ValidUntil)
		for f, w := range want {
			if got[f] != w {
				wrong++
				t.Logf("sample %d: %s = %q, want %q", i, f, got[f], w)
			}
		}
	}
	if total := n * 17; wrong > total/20 {
		t.Errorf("%d of %d fields wrong, want at most %d", wrong, total, total/20)
	}
}

// TestRejectsGenerated checks that generated negatives (other documents,
// the parody card) are not read as KTPs.
func TestRejectsGenerated(t *testing.T) {
	if !synth.FontsFound() {
		t.Skip("card fonts not installed")
	}
	r := &Reader{Engine: ppocrtest.Engine(t)}
	for _, kind := range []string{"parody", "sim", "letter"} {
		img, truth := sample(t, 5, kind, 1, 0)
		if truth.IsKTP {
			t.Fatalf("%s sample is a KTP", kind)
		}
		_, err := r.Read(context.Background(), img)
		if got := ktpocr.ErrorCode(err); got != ktpocr.CodeNotKTP {
			t.Errorf("Read(%s) = %v, want %s", kind, err, ktpocr.CodeNotKTP)
		}
	}
}

// cpuTime is the CPU time the process used so far: on a shared machine
// wall time says more about the neighbours than about the reader.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestMeasure prints exact-match per field and time per card over
// -ktp.bench generated samples (rectified by their true corners):
//
//	go test ./internal/ktp -run TestMeasure -ktp.bench 200 -ktp.seed 1 -ktp.mix clean -v
func TestMeasure(t *testing.T) {
	if *benchN == 0 {
		t.Skip("set -ktp.bench N to measure")
	}
	r := &Reader{Engine: ppocrtest.Engine(t)}
	names := append(append([]string{}, ktpocr.FieldNames...), "valid_until")
	ok := map[string]int{}
	var ktps, rejected, falseAccepts, negatives, allRight int
	var times []time.Duration
	for i := range *benchN {
		img, truth := sample(t, *benchSeed, *benchMix, *benchN, i)
		start := cpuTime()
		res, err := r.Read(context.Background(), img)
		times = append(times, cpuTime()-start)
		if !truth.IsKTP {
			negatives++
			if err == nil {
				falseAccepts++
				t.Logf("sample %d (%s) accepted", i, truth.Kind)
			}
			continue
		}
		ktps++
		if err != nil {
			rejected++
			t.Logf("sample %d (%s): %v", i, truth.Label(), err)
			continue
		}
		got, want := fieldsOf(res.Card, res.ValidUntil), fieldsOf(truth.Card, truth.ValidUntil)
		right := true
		for _, f := range names {
			if got[f] == want[f] {
				ok[f]++
			} else {
				right = false
				t.Logf("sample %d (%s): %s = %q, want %q", i, truth.Label(), f, got[f], want[f])
			}
		}
		if right {
			allRight++
		} else if *dumpDir != "" {
			b, _ := jsonMarshal(res.Page)
			os.WriteFile(fmt.Sprintf("%s/%d-%04d.page.json", *dumpDir, *benchSeed, i), b, 0o644)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	var sb strings.Builder
	fmt.Fprintf(&sb, "seed %d mix %s: %d KTPs (%d rejected), %d negatives (%d accepted)\n", *benchSeed, *benchMix, ktps, rejected, negatives, falseAccepts)
	for _, f := range names {
		fmt.Fprintf(&sb, "  %-24s %6.2f %%\n", f, 100*float64(ok[f])/float64(max(ktps, 1)))
	}
	fmt.Fprintf(&sb, "  whole card right         %6.2f %%\n", 100*float64(allRight)/float64(max(ktps, 1)))
	fmt.Fprintf(&sb, "  CPU time per card (all threads) p50 %v p95 %v\n", times[len(times)/2].Round(time.Millisecond), times[len(times)*95/100].Round(time.Millisecond))
	t.Log("\n" + sb.String())
}
