// Package ppocrtest opens the real PP-OCR engine for tests that measure
// reading: once per test binary, skipping the test only when the engine's
// files are not installed (scripts/setup.sh installs them, and CI runs it).
package ppocrtest

import (
	"errors"
	"sync"
	"testing"

	"github.com/ktpocr/ktpocr/internal/ocr/ppocr"
)

var (
	once   sync.Once
	engine *ppocr.Engine
	err    error
)

// Engine returns the process's engine, opened on first use with the default
// configuration. It is never closed: the process exit releases it, and
// tests running in parallel share it as the service does.
func Engine(t testing.TB) *ppocr.Engine {
	t.Helper()
	once.Do(func() { engine, err = ppocr.Open(ppocr.Config{}) })
	if errors.Is(err, ppocr.ErrMissingFile) {
		t.Skipf("OCR engine not installed (run scripts/setup.sh): %v", err)
	}
	if err != nil {
		t.Fatalf("ppocr.Open: %v", err)
	}
	return engine
}
