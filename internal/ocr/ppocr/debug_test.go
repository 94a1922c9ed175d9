package ppocr

import (
	"fmt"
	"os"
)

func init() {
	debugSpaces = func(ink []bool, textH, minGap int, chars []char) {
		if len(ink) == 350 {
			os.WriteFile("/tmp/ink.txt", []byte(fmt.Sprint(ink)), 0o644)
		}
		if os.Getenv("PPOCR_DEBUG") == "" {
			return
		}
		var gaps []int
		x := 0
		for x < len(ink) && !ink[x] {
			x++
		}
		for x < len(ink) {
			for x < len(ink) && ink[x] {
				x++
			}
			g0 := x
			for x < len(ink) && !ink[x] {
				x++
			}
			if x < len(ink) {
				gaps = append(gaps, x-g0)
			}
		}
		s := ""
		for _, c := range chars {
			s += fmt.Sprintf("%s@%d ", c.s, c.step)
		}
		fmt.Printf("textH=%d minGap=%d gaps=%v chars=%s\n", textH, minGap, gaps, s)
	}
}
