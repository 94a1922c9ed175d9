package storage_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ktpocr/ktpocr/internal/storage"
	"github.com/ktpocr/ktpocr/internal/storage/storagetest"
)

func TestConformance(t *testing.T) {
	for _, backend := range storagetest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			storagetest.Run(t, backend)
		})
	}
}

// TestReopen checks that opening an existing database migrates nothing
// twice and keeps its data.
func TestReopen(t *testing.T) {
	for _, backend := range storagetest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := storagetest.URL(t, backend)
			s, err := storage.Open(ctx, url, storage.Options{})
			if err != nil {
				t.Fatal(err)
			}
			a, key, err := s.CreateApp(ctx, "a", false)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			s, err = storage.Open(ctx, url, storage.Options{})
			if err != nil {
				t.Fatalf("reopening: %v", err)
			}
			defer s.Close()
			if _, err := s.Authenticate(ctx, a.ID, key); err != nil {
				t.Errorf("Authenticate after reopening = %v", err)
			}
		})
	}
}

func TestOpenBadURL(t *testing.T) {
	ctx := context.Background()
	for _, u := range []string{"mysql://u:secret@host/db", "sqlite://"} {
		if s, err := storage.Open(ctx, u, storage.Options{}); err == nil {
			s.Close()
			t.Errorf("Open(%q): no error", u)
		}
	}
	// An unwritable SQLite path fails with an error, not a panic.
	if s, err := storage.Open(ctx, filepath.Join(t.TempDir(), "no", "such", "dir", "x.db"), storage.Options{}); err == nil {
		s.Close()
		t.Errorf("Open(missing directory): no error")
	}
}
