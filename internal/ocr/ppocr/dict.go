package ppocr

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// loadDict reads the recogniser's character list, one character a line.
// Class 0 of the recogniser is the CTC blank, class i+1 is line i, and the
// class after the last line is a space.
func loadDict(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ppocr: dictionary %s: %w (run scripts/setup.sh to install the OCR engine)", path, missing(err))
	}
	s := strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	if s == "" {
		return nil, fmt.Errorf("ppocr: dictionary %s is empty", path)
	}
	dict := strings.Split(s, "\n")
	// Normalised once here (NFKC: the recogniser's full-width "：" and
	// digits become ASCII) so that decoding and the space rules see the
	// characters the caller will.
	for i, d := range dict {
		dict[i] = norm.NFKC.String(d)
	}
	return append(dict, " "), nil
}
