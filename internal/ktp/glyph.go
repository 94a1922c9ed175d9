package ktp

import (
	"image"
	"math"
	"slices"
)

// Blur closes the gap of an OCR-A 8 and the recogniser reads a 6, sure
// of it (0.97): on 120 blurred photos (seed 9007) 13 of the NIK's 8s came
// out as 6s, and no other digit was confused with another more than
// once. The two glyphs differ only in their upper half, which blur
// leaves readable at the scale of the whole cell: a 6 is one stem at
// the left there, an 8 a narrow loop in the middle. So each NIK digit
// read as a 6 on a blurred card is compared with the two glyphs' mean
// cells (sixCell, eightCell) and made an 8 when it is much nearer the 8.

// sixCell and eightCell are the mean darkness grids (nikCell.feat) of the
// 6s and 8s of the NIKs on the clean photos of seed 9002 (106 and 99
// cells), rounded.
var (
	sixCell = [cellW * cellH]float64{
		0.04, 0.47, 0.29, 0.04, 0.05, 0.04,
		0.05, 0.72, 0.30, 0.04, 0.04, 0.04,
		0.06, 0.70, 0.18, 0.04, 0.04, 0.04,
		0.05, 0.70, 0.17, 0.04, 0.04, 0.03,
		0.05, 0.70, 0.19, 0.05, 0.06, 0.04,
		0.05, 0.73, 0.57, 0.50, 0.46, 0.10,
		0.05, 0.75, 0.88, 0.85, 0.93, 0.23,
		0.05, 0.70, 0.23, 0.11, 0.66, 0.25,
		0.05, 0.71, 0.41, 0.32, 0.74, 0.24,
		0.04, 0.60, 0.85, 0.84, 0.82, 0.17,
	}
	eightCell = [cellW * cellH]float64{
		0.03, 0.08, 0.62, 0.71, 0.24, 0.03,
		0.03, 0.13, 0.83, 0.80, 0.38, 0.03,
		0.02, 0.14, 0.71, 0.53, 0.39, 0.03,
		0.02, 0.14, 0.71, 0.52, 0.40, 0.03,
		0.03, 0.32, 0.87, 0.79, 0.60, 0.06,
		0.04, 0.70, 0.78, 0.75, 0.86, 0.17,
		0.05, 0.70, 0.19, 0.09, 0.67, 0.21,
		0.06, 0.70, 0.15, 0.04, 0.66, 0.21,
		0.05, 0.71, 0.40, 0.32, 0.75, 0.20,
		0.03, 0.51, 0.83, 0.83, 0.72, 0.10,
	}
)

// Blur also fills in the open left of an OCR-A 1's foot and flag, and
// the recogniser reads a 3: the dominant NIK error once the 8s were
// settled (24 digits on ten blurred sets, development and final). The
// two differ at mid-height, where a 3 has its middle bar and a 1 only
// its stem. oneCell and threeCell are the mean cells of the 1s and 3s of
// the clean photos of seed 9002 (243 and 151), rounded.
var (
	oneCell = [cellW * cellH]float64{
		0.05, 0.45, 0.75, 0.51, 0.06, 0.04,
		0.04, 0.36, 0.67, 0.68, 0.06, 0.04,
		0.04, 0.05, 0.23, 0.66, 0.06, 0.04,
		0.04, 0.04, 0.22, 0.65, 0.05, 0.03,
		0.04, 0.04, 0.22, 0.65, 0.06, 0.04,
		0.03, 0.04, 0.22, 0.65, 0.24, 0.13,
		0.04, 0.04, 0.22, 0.66, 0.57, 0.29,
		0.04, 0.04, 0.22, 0.66, 0.60, 0.31,
		0.04, 0.18, 0.45, 0.77, 0.71, 0.30,
		0.04, 0.50, 0.85, 0.86, 0.82, 0.22,
	}
	threeCell = [cellW * cellH]float64{
		0.06, 0.41, 0.73, 0.74, 0.63, 0.15,
		0.06, 0.35, 0.62, 0.62, 0.79, 0.33,
		0.06, 0.06, 0.08, 0.08, 0.54, 0.37,
		0.05, 0.05, 0.06, 0.07, 0.54, 0.36,
		0.06, 0.08, 0.40, 0.57, 0.79, 0.30,
		0.05, 0.09, 0.56, 0.77, 0.87, 0.26,
		0.05, 0.05, 0.08, 0.11, 0.57, 0.36,
		0.05, 0.05, 0.06, 0.07, 0.53, 0.37,
		0.05, 0.17, 0.31, 0.32, 0.65, 0.36,
		0.06, 0.47, 0.86, 0.86, 0.78, 0.21,
	}
)

// oneMargin is how much nearer oneCell than threeCell a cell read as 3
// must be to be made a 1. Measured on the blurred photos of seeds 9001,
// 9002, 9007 and 9010: the 562 true 3s read as 3 came to at most -0.5,
// the 9 true 1s read as 3 to at least 4.3. Only a 3 is looked at: a
// blurred 9 read as 1 scored -3.8.
const oneMargin = 2.0

// oneScore is how much nearer c is to a 1 than to a 3.
func oneScore(c nikCell) float64 { return cellScore(c, &threeCell, &oneCell) }

// cellScore is how much nearer c is to cell b than to cell a, in squared
// distance.
func cellScore(c nikCell, a, b *[cellW * cellH]float64) float64 {
	s := 0.0
	for i, v := range c.feat {
		da, db := v-a[i], v-b[i]
		s += da*da - db*db
	}
	return s
}

// eightMargin is how much nearer (in squared distance) to eightCell than
// to sixCell a cell read as 6 must be to be made an 8. Measured on the
// blurred photos of seeds 9002, 9007 and 9010: the true 6s read as 6 came
// to at most -0.7, the 8s read as 6 to at least 5.1.
const eightMargin = 2.0

// eightScore is how much nearer c is to an 8 than to a 6.
func eightScore(c nikCell) float64 { return cellScore(c, &sixCell, &eightCell) }

// cellDigits returns n with each 6 whose cell in the band box of img
// looks like an 8 (eightScore) made an 8, and each 3 that looks like a 1
// (oneScore) a 1, unless that makes a plausible NIK implausible. Every 6
// or 8 the pixels tell apart by eightMargin, however it was read, and
// every 3 they tell from a 1 by oneMargin, gets a confidence of at least
// nikSure: the pixels settle
// it, and a repair must not undo it to agree with a printed birth date
// blurred the same way (seed 9010: a NIK's 8 read right, the printed year
// 1987 read 1967, and the 8 repaired into a 6).
func cellDigits(img image.Image, box image.Rectangle, n nikRead) nikRead {
	if len(n.digits) != 16 || len(n.conf) != 16 {
		return n
	}
	cells, ok := nikCells(img, box)
	if !ok {
		return n
	}
	d := []byte(n.digits)
	conf := slices.Clone(n.conf)
	for i, c := range cells {
		switch d[i] {
		case '6', '8':
			switch s := eightScore(c); {
			case s > eightMargin:
				d[i], conf[i] = '8', max(conf[i], nikSure)
			case s < -eightMargin && d[i] == '6':
				conf[i] = max(conf[i], nikSure)
			}
		case '3':
			switch s := oneScore(c); {
			case s > oneMargin:
				d[i], conf[i] = '1', max(conf[i], nikSure)
			case s < -oneMargin:
				conf[i] = max(conf[i], nikSure)
			}
		}
	}
	if plausibleNIK(n.digits) && !plausibleNIK(string(d)) {
		return n
	}
	return nikRead{digits: string(d), conf: conf, confidence: mean(conf), minConf: slices.Min(conf)}
}

// nikCell is one digit's cell of the NIK band.
type nikCell struct {
	feat []float64 // darkness over a cellW×cellH grid, row-major, ink 1
}

const (
	cellW = 6
	cellH = 10
)

// nikCells cuts the NIK band in box into its 16 digit cells. OCR-A is
// monospaced: the cells are 16 equal steps of one pitch, found as the comb
// whose teeth fall in the gaps between glyphs and which holds the ink.
func nikCells(img image.Image, box image.Rectangle) ([]nikCell, bool) {
	src := box.Inset(-box.Dy() / 4).Intersect(img.Bounds())
	w, h := src.Dx(), src.Dy()
	if w < 64 || h < 8 {
		return nil, false
	}
	flat := flatten(img, src, h*3/2)
	dark := make([]float64, w*h)
	for i, p := range flat.Pix[:w*h] {
		dark[i] = float64(255-int(p)) / 255
	}
	// Glyph rows: the longest run of rows at least a third as dark as the
	// darkest.
	rows := make([]float64, h)
	for y := range h {
		for x := range w {
			rows[y] += dark[y*w+x]
		}
	}
	top := slices.Max(rows)
	if top <= 0 {
		return nil, false
	}
	yt, yb := longestRun(rows, top/3)
	if yb-yt < 6 {
		return nil, false
	}
	cols := make([]float64, w)
	for y := yt; y < yb; y++ {
		for x := range w {
			cols[x] += dark[y*w+x]
		}
	}
	total := 0.0
	for _, v := range cols {
		total += v
	}
	if total <= 0 {
		return nil, false
	}
	sat := make([]float64, w+1)
	for x, v := range cols {
		sat[x+1] = sat[x] + v
	}
	inkIn := func(a, b float64) float64 {
		ia, ib := max(0, int(math.Round(a))), min(w, int(math.Round(b)))
		if ib <= ia {
			return 0
		}
		return sat[ib] - sat[ia]
	}
	gap := func(x float64) float64 {
		i := int(math.Round(x))
		return inkIn(float64(i-1), float64(i+2)) / 3
	}
	// The comb: pitches from half to 1.2 times the glyph height (an OCR-A
	// digit's advance is about 0.8 of it), starts every half pixel. Its
	// cost is the mean ink under its 17 teeth, against the band's mean
	// column, plus four times the share of the ink it leaves out (the
	// colon before the digits is a few percent; a comb one digit short
	// leaves out a sixteenth, and more than a tenth is no comb).
	meanCol := total / float64(w)
	H := float64(yb - yt)
	bestJ, bestP, bestX := math.Inf(1), 0.0, 0.0
	for p := 0.5 * H; p <= 1.2*H; p += 0.25 {
		for x0 := 0.0; x0+16*p <= float64(w)+p/4; x0 += 0.5 {
			out := (total - inkIn(x0, x0+16*p)) / total
			if out > 0.1 {
				continue
			}
			j := 0.0
			for k := 0; k <= 16; k++ {
				j += gap(x0 + float64(k)*p)
			}
			j = j/17/meanCol + 4*out
			if j < bestJ {
				bestJ, bestP, bestX = j, p, x0
			}
		}
	}
	if bestP == 0 {
		return nil, false
	}
	// Ink level: the 95th percentile of darkness in the glyph rows.
	vals := slices.Clone(dark[yt*w : yb*w])
	slices.Sort(vals)
	ink := max(vals[len(vals)*95/100], 0.05)
	cells := make([]nikCell, 16)
	for k := range cells {
		a := bestX + float64(k)*bestP
		c := nikCell{feat: make([]float64, cellW*cellH)}
		for gy := range cellH {
			for gx := range cellW {
				x0 := a + float64(gx)*bestP/cellW
				x1 := a + float64(gx+1)*bestP/cellW
				y0 := yt + gy*(yb-yt)/cellH
				y1 := yt + (gy+1)*(yb-yt)/cellH
				s, n := 0.0, 0
				for y := y0; y < max(y1, y0+1); y++ {
					for x := int(x0); x < max(int(x1), int(x0)+1); x++ {
						if x >= 0 && x < w {
							s += dark[y*w+x]
							n++
						}
					}
				}
				if n > 0 {
					c.feat[gy*cellW+gx] = min(1, s/float64(n)/ink)
				}
			}
		}
		cells[k] = c
	}
	return cells, true
}

// longestRun returns the longest run [a, b) of v at or above lo.
func longestRun(v []float64, lo float64) (a, b int) {
	start := -1
	for i := 0; i <= len(v); i++ {
		if i < len(v) && v[i] >= lo {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start > b-a {
			a, b = start, i
		}
		start = -1
	}
	return a, b
}
