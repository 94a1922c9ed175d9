package cli

import (
	"fmt"
	"os"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr"
	"github.com/ktpocr/ktpocr/internal/pipeline"
)

// newExtractor opens the real reading pipeline: the PP-OCR engine from
// $KTPOCR_HOME (installed by scripts/setup.sh), loaded once for the process.
// The returned func releases the engine.
func newExtractor(cmd *cobra.Command) (ktpocr.Extractor, func(), error) {
	if name := os.Getenv("KTPOCR_TEST_ENGINE"); name != "" {
		return testExtractor(name)
	}
	eng, err := ppocr.Open(ppocr.Config{})
	if err != nil {
		return nil, nil, fmt.Errorf("opening the OCR engine: %w", err)
	}
	p, err := pipeline.New(pipeline.Config{Engine: eng})
	if err != nil {
		eng.Close()
		return nil, nil, err
	}
	return p, func() { eng.Close() }, nil
}

// defaultWorkers is the default parallelism of batch commands.
func defaultWorkers() int { return runtime.NumCPU() }
