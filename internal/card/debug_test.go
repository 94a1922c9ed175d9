package card

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/ktpocr/ktpocr/internal/imaging"
)

var dbgFile = flag.String("card.debug", "", "")

func TestDebugLines(t *testing.T) {
	if *dbgFile == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(*dbgFile)
	img, err := imaging.Decode(data, imaging.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	px := newPixels(img)
	small, s := downscale(px, workLong)
	f := findEdges(small)
	lines := houghLines(f, 40)
	fmt.Println("s", s, "w", small.w, small.h, "edges", len(f.edges))
	for _, l := range lines[:min(len(lines), 40)] {
		fmt.Printf("line th %.0f rho %.1f votes %d\n", l.theta*180/3.14159, l.rho, l.votes)
	}
	cands := quadsFromLines(f, lines, 5)
	for _, c := range cands {
		fmt.Printf("cand %.3f %v\n", c.score, c.q)
	}
}
