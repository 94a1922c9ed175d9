package ppocr

// TEMPORARY development harness (not to be committed).

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
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
	if os.Getenv("DEV_STATS") == "" {
		t.Logf("steps: %s", sb.String())
	}
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
		var ws []int
		for _, g := range gapRuns(ink) {
			ws = append(ws, g[1]-g[0])
		}
		t.Logf("box %v w %d textH %d wordGap %d gaps %v", b, cr.inkW, textH, 0, ws)
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

func TestDevGapStats(t *testing.T) {
	dir := os.Getenv("DEV_STATS")
	if dir == "" {
		t.Skip()
	}
	e, err := Open(Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	out, _ := os.Create("/tmp/f2/gaps.tsv")
	defer out.Close()
	for _, f := range files {
		r, _ := os.Open(f)
		img, _ := png.Decode(r)
		r.Close()
		var truth struct {
			Card       map[string]string `json:"card"`
			ValidUntil string            `json:"valid_until"`
		}
		b, _ := os.ReadFile(strings.TrimSuffix(f, ".png") + ".json")
		json.Unmarshal(b, &truth)
		want := map[string]string{} // nospace -> spaced
		for _, v := range truth.Card {
			want[strings.ReplaceAll(v, " ", "")] = v
		}
		boxes, _ := e.Detect(context.Background(), img)
		for _, bx := range boxes {
			bx = bx.Inset(-max(1, bx.Dy()/8)).Intersect(img.Bounds())
			cr, chars := devDecode(t, e, img, bx)
			var ns []char
			for _, c := range chars {
				if c.s != " " {
					ns = append(ns, c)
				}
			}
			var sb strings.Builder
			for _, c := range ns {
				sb.WriteString(c.s)
			}
			key := strings.TrimPrefix(sb.String(), ":")
			off := len(ns) - len([]rune(key))
			spaced, ok := want[key]
			if !ok || len(key) < 3 {
				continue
			}
			// word boundary after rune index j of key
			wb := map[int]bool{}
			j := -1
			for _, r := range spaced {
				if r == ' ' {
					wb[j] = true
					continue
				}
				j++
			}
			ink, textH := inkColumns(cr.gray, cr.inkW, recHeight)
			pos := func(i int) int { return ns[i].step*recStride + recStride/2 }
			gaps := gapRuns(ink)
			next := 0
			for _, g := range gaps {
				mid := (g[0] + g[1]) / 2
				i := next
				for i+1 < len(ns) && pos(i+1) <= mid {
					i++
				}
				if i+1 >= len(ns) || pos(i) >= mid || i < off {
					continue
				}
				next = i + 1
				label := "L"
				if wb[i-off] {
					label = "W"
				}
				fmt.Fprintf(out, "%.3f\t%s\t%d\t%d\t%s%s\t%s\n", float64(g[1]-g[0])/float64(textH), label, g[1]-g[0], textH, ns[i].s, ns[i+1].s, spaced)
			}
		}
	}
}
