package card

import (
	"image/png"
	"os"
	"strconv"
	"testing"
)

func TestDebugLocate(t *testing.T) {
	p := os.Getenv("CARD_DEBUG")
	if p == "" {
		t.Skip()
	}
	f, _ := os.Open(p)
	img, _ := png.Decode(f)
	px := newPixels(img)
	small, s := downscale(px, workLong)
	seed := seedColour(small)
	t.Logf("seed %v scale %.2f", seed, s)
	d := distanceMap(small, seed)
	if v := os.Getenv("EF"); v != "" {
		f, _ := strconv.ParseFloat(v, 32)
		edgeFrac = float32(f)
	}
	e := edgeMap(small, seed)
	for i := range d {
		if e[i] {
			d[i] = 1e9
		}
	}
	for _, thr := range []float32{8, 12, 17, 24, 33, 45, 60, 80} {
		c, ok := segment(small, d, thr)
		var q [4]pt
		for i := range c.q {
			q[i] = c.q[i].mul(s)
		}
		t.Logf("thr %v ok %v score %.3f q %v", thr, ok, c.score, q)
	}
	debugRefine = func(side, k, bi int, bv float64, prof []float64) {
		if k%8 == 0 {
			t.Logf("side %d probe %d: bi %d bv %.1f prof %.0f", side, k, bi, bv, prof)
		}
	}
	debugSeg = func(s string, n int) { t.Logf("seg %s %d", s, n) }
	q, sc, ok := locate(px, small, s, seed)
	t.Logf("locate %v %.3f %v", q, sc, ok)
}
