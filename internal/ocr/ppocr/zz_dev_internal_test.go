package ppocr

// TEMPORARY development harness (not to be committed).

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

func devDecode(t *testing.T, e *Engine, img image.Image, r image.Rectangle) (crop, []char) {
	src := rgba(img, img.Bounds())
	c := r.Intersect(img.Bounds())
	w := recWidth(c)
	cr := crop{r: c, inkW: w, w: max(recMinWidth, (w+recStride-1)/recStride*recStride)}
	plane := recHeight * cr.w
	in := make([]float32, 3*plane)
	cr.gray = make([]uint8, recHeight*cr.inkW)
	resizeBGR(src, c, cr.inkW, recHeight, in, cr.w, plane, recMean, recStd, cr.gray)
	steps, classes := cr.w/recStride, len(e.dict)+1
	out := make([]float32, steps*classes)
	it, _ := ort.NewTensor(ort.NewShape(1, 3, recHeight, int64(cr.w)), in)
	ot, _ := ort.NewTensor(ort.NewShape(1, int64(steps), int64(classes)), out)
	if err := run(context.Background(), e.rec, it, ot); err != nil {
		t.Fatal(err)
	}
	chars := e.decode(out, steps, classes, nil)
	// blank runs per step
	var sb strings.Builder
	for s := range steps {
		row := out[s*classes : (s+1)*classes]
		best := 0
		for k, p := range row {
			if p > row[best] {
				best = k
			}
		}
		if best == 0 {
			sb.WriteByte('_')
		} else {
			sb.WriteString(e.dict[best-1])
		}
	}
	t.Logf("steps: %s", sb.String())
	return cr, chars
}

func TestDevGaps(t *testing.T) {
	f := os.Getenv("DEV_CARD")
	if f == "" {
		t.Skip()
	}
	want := os.Getenv("DEV_TEXT")
	e, err := Open(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	r, _ := os.Open(f)
	img, _ := png.Decode(r)
	boxes, _ := e.Detect(context.Background(), img)
	lines, _ := e.Recognize(context.Background(), img, boxes, ocr.RecognizeOptions{})
	for i, l := range lines {
		if !strings.Contains(l.Text, want) {
			continue
		}
		b := boxes[i]
		p := max(1, b.Dy()/8)
		if os.Getenv("DEV_NOPAD") != "" {
			p = 0
		}
		b = b.Inset(-p)
		cr, chars := devDecode(t, e, img, b)
		ink, textH := inkColumns(cr.gray, cr.inkW, recHeight)
		var sb strings.Builder
		for _, v := range ink {
			if v {
				sb.WriteByte('#')
			} else {
				sb.WriteByte('.')
			}
		}
		t.Logf("box %v w %d textH %d medianGap %d", b, cr.inkW, textH, medianGap(ink, len(chars)))
		t.Logf("ink: %s", sb.String())
		sb.Reset()
		pos := 0
		for _, c := range chars {
			x := c.step*recStride + recStride/2
			for pos < x {
				sb.WriteByte(' ')
				pos++
			}
			sb.WriteString(c.s)
			pos += len(c.s)
		}
		t.Logf("chr: %s", sb.String())
		out := recoverSpaces(chars, cr.gray, cr.inkW, recHeight)
		var s strings.Builder
		for _, c := range out {
			s.WriteString(c.s)
		}
		t.Logf("text: %q", s.String())
		g := image.NewGray(image.Rect(0, 0, cr.inkW, recHeight))
		copy(g.Pix, cr.gray)
		w, _ := os.Create(fmt.Sprintf("/tmp/f2/crop%d.png", i))
		png.Encode(w, g)
		w.Close()
	}
}

func TestDevProfile(t *testing.T) {
	r, _ := os.Open("/tmp/f2/crop12.png")
	if r == nil {
		t.Skip()
	}
	img, _ := png.Decode(r)
	g := img.(*image.Gray)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var hist [256]int
	for _, v := range g.Pix {
		hist[v]++
	}
	th := otsu(&hist, len(g.Pix))
	t.Logf("otsu %d", th)
	for y := 0; y < h; y++ {
		n := 0
		for x := 0; x < w; x++ {
			if int(g.Pix[y*w+x]) <= th {
				n++
			}
		}
		t.Logf("row %2d ink %d", y, n)
	}
	var sb strings.Builder
	for x := 250; x < 420; x++ {
		mn := 255
		for y := 0; y < h; y++ {
			mn = min(mn, int(g.Pix[y*w+x]))
		}
		sb.WriteString(fmt.Sprintf("%d ", mn))
	}
	t.Log(sb.String())
}
