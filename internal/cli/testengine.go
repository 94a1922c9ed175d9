package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/ktpocr/ktpocr"
)

// testExtractor returns a stand-in extractor selected by KTPOCR_TEST_ENGINE,
// for process-level tests (crash recovery, several workers) that measure the
// queue, not reading. It never runs in production unless that variable is set.
//
//	slow-fake: waits KTPOCR_TEST_ENGINE_DELAY (default 2s), then returns an
//	extraction whose NIK field carries a digest of the image, so a test can
//	tell which input produced which result.
func testExtractor(name string) (ktpocr.Extractor, func(), error) {
	switch name {
	case "slow-fake":
		d := 2 * time.Second
		if v := os.Getenv("KTPOCR_TEST_ENGINE_DELAY"); v != "" {
			var err error
			if d, err = time.ParseDuration(v); err != nil {
				return nil, nil, fmt.Errorf("KTPOCR_TEST_ENGINE_DELAY: %w", err)
			}
		}
		return slowFake{delay: d}, func() {}, nil
	}
	return nil, nil, fmt.Errorf("KTPOCR_TEST_ENGINE=%q: unknown test engine", name)
}

type slowFake struct{ delay time.Duration }

func (f slowFake) Extract(ctx context.Context, img []byte, _ ktpocr.ExtractOptions) (*ktpocr.Extraction, error) {
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	sum := sha256.Sum256(img)
	x := &ktpocr.Extraction{}
	x.Card.NIK = hex.EncodeToString(sum[:8])
	x.Card.FullName = "TEST ENGINE"
	return x, nil
}
