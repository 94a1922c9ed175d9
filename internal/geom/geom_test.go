package geom

import (
	"math"
	"testing"
)

func TestHomographyFrom(t *testing.T) {
	src := [4]Point{{0, 0}, {1000, 0}, {1000, 631}, {0, 631}}
	dst := [4]Point{{210, 95}, {1180, 160}, {1150, 790}, {170, 720}}
	h, ok := HomographyFrom(src, dst)
	if !ok {
		t.Fatal("HomographyFrom = not ok for a convex quad")
	}
	for i := range 4 {
		x, y := h.Apply(src[i].X, src[i].Y)
		if math.Hypot(x-dst[i].X, y-dst[i].Y) > 1e-6 {
			t.Errorf("Apply(%v) = (%.4f, %.4f), want %v", src[i], x, y, dst[i])
		}
	}
	// The inverse composes to the identity on an inner point.
	inv, ok := HomographyFrom(dst, src)
	if !ok {
		t.Fatal("inverse not ok")
	}
	x, y := h.Apply(400, 300)
	u, v := inv.Apply(x, y)
	if math.Hypot(u-400, v-300) > 1e-6 {
		t.Errorf("inverse(forward(400, 300)) = (%.6f, %.6f)", u, v)
	}
	if _, ok := HomographyFrom(src, [4]Point{{0, 0}, {1, 1}, {2, 2}, {3, 3}}); ok {
		t.Error("HomographyFrom onto collinear points = ok, want degenerate")
	}
}
