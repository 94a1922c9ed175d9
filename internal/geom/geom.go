// Package geom holds the plane geometry that finding a card and rendering
// one share: the projective transform between two quadrilaterals. Card
// finding maps the rectified card back into the photo with it; the
// generator maps a flat card into its photograph.
package geom

import "math"

// Point is a position in pixels.
type Point struct{ X, Y float64 }

// Homography maps points by a 3x3 projective matrix (h[8] is 1).
type Homography [9]float64

// Apply maps (x, y).
func (h Homography) Apply(x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

// HomographyFrom returns the transform taking src[i] to dst[i]. ok is false
// for a degenerate quadrilateral (three points on a line).
func HomographyFrom(src, dst [4]Point) (h Homography, ok bool) {
	var a [8][9]float64
	for i := range 4 {
		x, y, u, v := src[i].X, src[i].Y, dst[i].X, dst[i].Y
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	// Gauss-Jordan elimination with partial pivoting.
	for col := range 8 {
		piv := col
		for row := col + 1; row < 8; row++ {
			if math.Abs(a[row][col]) > math.Abs(a[piv][col]) {
				piv = row
			}
		}
		if math.Abs(a[piv][col]) < 1e-12 {
			return Homography{}, false
		}
		a[col], a[piv] = a[piv], a[col]
		for row := range 8 {
			if row == col {
				continue
			}
			f := a[row][col] / a[col][col]
			for k := col; k < 9; k++ {
				a[row][k] -= f * a[col][k]
			}
		}
	}
	for i := range 8 {
		h[i] = a[i][8] / a[i][i]
	}
	h[8] = 1
	return h, true
}
