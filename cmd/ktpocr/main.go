// Command ktpocr reads Indonesian e-KTP photos: a CLI and a
// Verihubs-compatible HTTP service. See README.md.
package main

import (
	"os"

	"github.com/ktpocr/ktpocr/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
