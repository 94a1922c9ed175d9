package storage_test

import (
	"context"
	"sync"
	"testing"

	"github.com/ktpocr/ktpocr/internal/storage"
	"github.com/ktpocr/ktpocr/internal/storage/storagetest"
)

// TestCreateFirstAppsOnce starts several "processes" (each a Store with
// its own connection pool) on one empty database at once: exactly one of
// them creates the default applications, the others create none and fail
// not.
func TestCreateFirstAppsOnce(t *testing.T) {
	specs := []storage.AppSpec{{Name: "default sandbox", Sandbox: true}, {Name: "default live"}}
	for _, backend := range storagetest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := storagetest.URL(t, backend)
			const procs = 4
			stores := make([]*storage.Store, procs)
			for i := range stores {
				s, err := storage.Open(ctx, url, storage.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				stores[i] = s
			}
			var (
				wg      sync.WaitGroup
				start   = make(chan struct{})
				created = make([]int, procs)
				errs    = make([]error, procs)
			)
			for i, s := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					apps, err := s.CreateFirstApps(ctx, specs)
					created[i], errs[i] = len(apps), err
				}()
			}
			close(start)
			wg.Wait()
			creators := 0
			for i := range procs {
				if errs[i] != nil {
					t.Errorf("process %d: CreateFirstApps = %v", i, errs[i])
				}
				switch created[i] {
				case 0:
				case len(specs):
					creators++
				default:
					t.Errorf("process %d created %d apps, want 0 or %d", i, created[i], len(specs))
				}
			}
			if creators != 1 {
				t.Errorf("%d processes created the first apps, want exactly 1", creators)
			}
			apps, err := stores[0].ListApps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(apps) != len(specs) {
				t.Errorf("%d apps in the database, want %d", len(apps), len(specs))
			}
			// A later start creates nothing.
			if again, err := stores[1].CreateFirstApps(ctx, specs); err != nil || len(again) != 0 {
				t.Errorf("CreateFirstApps on a database with apps = %d apps, %v; want 0, nil", len(again), err)
			}
		})
	}
}
