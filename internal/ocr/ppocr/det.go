package ppocr

import (
	"context"
	"fmt"
	"image"
	"math"
	"sort"

	ort "github.com/yalue/onnxruntime_go"
)

// Post-processing constants of PaddleOCR's DB detector.
const (
	dbThresh    = 0.3 // a map pixel above it is text
	dbBoxThresh = 0.6 // a component whose mean probability is below it is dropped
	dbUnclip    = 1.5 // the shrunk text kernel is grown back by area·ratio/perimeter
	dbMinSide   = 3   // kernels thinner than this (map pixels) are noise
	dbMaxBoxes  = 1000
)

// ImageNet statistics, indexed by plane (B, G, R) as PaddleOCR applies them
// to OpenCV's BGR images.
var (
	detMean = [3]float32{0.485, 0.456, 0.406}
	detStd  = [3]float32{0.229, 0.224, 0.225}
)

// detSize returns the detector input size for a w×h image: scaled down so
// the longest side is at most maxSide, each side rounded to a multiple of 32
// (the detector's stride), never below 32.
func detSize(w, h, maxSide int) (int, int) {
	ratio := 1.0
	if m := max(w, h); m > maxSide {
		ratio = float64(maxSide) / float64(m)
	}
	r32 := func(v int) int {
		return max(32, int(math.Round(float64(v)*ratio/32))*32)
	}
	return r32(w), r32(h)
}

// Detect returns the boxes of the text lines on img, axis-aligned, in img's
// coordinates, top to bottom then left to right.
func (e *Engine) Detect(ctx context.Context, img image.Image) ([]image.Rectangle, error) {
	if img == nil {
		return nil, fmt.Errorf("ppocr: detect: nil image")
	}
	b := img.Bounds()
	if b.Dx() < 1 || b.Dy() < 1 {
		return nil, fmt.Errorf("ppocr: detect: empty image (%dx%d)", b.Dx(), b.Dy())
	}
	if tooLarge(b) {
		return nil, fmt.Errorf("ppocr: detect: image %dx%d is larger than %d pixels", b.Dx(), b.Dy(), maxPixels)
	}
	src := rgba(img, b)
	w, h := detSize(b.Dx(), b.Dy(), e.cfg.DetMaxSide)
	plane := w * h
	in := getFloats(3 * plane)
	defer putFloats(in)
	resizeBGR(src, b, w, h, in, w, plane, detMean, detStd, nil)
	prob := getFloats(plane)
	defer putFloats(prob)
	if err := e.runDet(ctx, in, prob, w, h); err != nil {
		return nil, err
	}
	boxes := dbBoxes(prob, w, h, float64(b.Dx())/float64(w), float64(b.Dy())/float64(h))
	for i := range boxes {
		boxes[i] = boxes[i].Add(b.Min).Intersect(b)
	}
	return boxes, nil
}

func (e *Engine) runDet(ctx context.Context, in, out []float32, w, h int) error {
	it, err := ort.NewTensor(ort.NewShape(1, 3, int64(h), int64(w)), in)
	if err != nil {
		return fmt.Errorf("ppocr: detect: %w", err)
	}
	defer it.Destroy()
	ot, err := ort.NewTensor(ort.NewShape(1, 1, int64(h), int64(w)), out)
	if err != nil {
		return fmt.Errorf("ppocr: detect: %w", err)
	}
	defer ot.Destroy()
	if err := run(ctx, e.det, it, ot); err != nil {
		return fmt.Errorf("ppocr: detect: %w", err)
	}
	return nil
}

// dbBoxes turns the detector's probability map (w×h) into text boxes scaled
// by sx, sy to the input image. Each 8-connected region above dbThresh is a
// text kernel; kernels that are weak or thin are dropped, the rest are grown
// back by the DB unclip distance (for a rectangle, area·ratio/perimeter on
// every side, as PaddleOCR's polygon offset does) and scaled.
func dbBoxes(prob []float32, w, h int, sx, sy float64) []image.Rectangle {
	label := make([]int32, w*h) // 0 unvisited, -1 background visited, >0 component
	var stack []int32
	var boxes []image.Rectangle
	var comp int32
	for start := range prob {
		if label[start] != 0 {
			continue
		}
		if prob[start] <= dbThresh {
			label[start] = -1
			continue
		}
		comp++
		label[start] = comp
		stack = append(stack[:0], int32(start))
		minX, minY, maxX, maxY := w, h, -1, -1
		var sum float64
		n := 0
		for len(stack) > 0 {
			p := int(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			minX, maxX = min(minX, x), max(maxX, x)
			minY, maxY = min(minY, y), max(maxY, y)
			sum += float64(prob[p])
			n++
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
					q := yy*w + xx
					if label[q] != 0 {
						continue
					}
					if prob[q] <= dbThresh {
						label[q] = -1
						continue
					}
					label[q] = comp
					stack = append(stack, int32(q))
				}
			}
		}
		// Sides between pixel centres, as OpenCV measures a contour.
		bw, bh := float64(maxX-minX), float64(maxY-minY)
		if min(bw, bh) < dbMinSide {
			continue
		}
		if sum/float64(n) < dbBoxThresh {
			continue
		}
		d := bw * bh * dbUnclip / (2 * (bw + bh))
		x0, x1 := float64(minX)-d, float64(maxX)+d
		y0, y1 := float64(minY)-d, float64(maxY)+d
		if min(x1-x0, y1-y0) < dbMinSide+2 {
			continue
		}
		r := image.Rect(
			int(math.Round(max(0, x0)*sx)), int(math.Round(max(0, y0)*sy)),
			int(math.Round(min(float64(w), x1+1)*sx)), int(math.Round(min(float64(h), y1+1)*sy)),
		)
		if r.Empty() {
			continue
		}
		boxes = append(boxes, r)
		if len(boxes) == dbMaxBoxes {
			break
		}
	}
	sortBoxes(boxes)
	return boxes
}

// sortBoxes orders boxes top to bottom, left to right within a row (boxes
// whose vertical centres are within half the smaller height share a row).
func sortBoxes(boxes []image.Rectangle) {
	sort.SliceStable(boxes, func(i, j int) bool {
		a, b := boxes[i], boxes[j]
		ca, cb := a.Min.Y+a.Max.Y, b.Min.Y+b.Max.Y // doubled centres
		hh := min(a.Dy(), b.Dy())
		if ca-cb > hh || cb-ca > hh {
			return ca < cb
		}
		return a.Min.X < b.Min.X
	})
}
