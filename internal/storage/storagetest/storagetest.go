// Package storagetest provides fresh test databases for every storage
// backend and the conformance suite that each backend must pass. SQLite
// always runs; PostgreSQL runs when TEST_DATABASE_URL is set, each test in
// a schema of its own.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/ktpocr/ktpocr/internal/storage"
)

// Backends lists the backends a test should run on: "sqlite" always,
// "postgres" when TEST_DATABASE_URL is set.
func Backends() []string {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// URL returns the URL of a fresh, empty database of backend, removed when t
// ends: a file in t.TempDir for SQLite, a new schema (selected through
// search_path) for PostgreSQL. It skips t when backend is postgres and
// TEST_DATABASE_URL is unset.
func URL(t testing.TB, backend string) string {
	t.Helper()
	switch backend {
	case "sqlite":
		return filepath.Join(t.TempDir(), "ktpocr.db")
	case "postgres":
		base := os.Getenv("TEST_DATABASE_URL")
		if base == "" {
			t.Skip("TEST_DATABASE_URL is not set")
		}
		b := make([]byte, 6)
		rand.Read(b)
		schema := "ktpocr_test_" + hex.EncodeToString(b)
		db, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatalf("opening %s: %v", base, err)
		}
		if _, err := db.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
			db.Close()
			t.Fatalf("creating schema: %v", err)
		}
		t.Cleanup(func() {
			if _, err := db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				t.Errorf("dropping schema %s: %v", schema, err)
			}
			db.Close()
		})
		u, err := url.Parse(base)
		if err != nil {
			t.Fatalf("TEST_DATABASE_URL: %v", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	t.Fatalf("unknown backend %q", backend)
	return ""
}

// Open opens a Store on a fresh database of backend, closed when t ends.
func Open(t testing.TB, backend string, opts storage.Options) *storage.Store {
	t.Helper()
	s, err := storage.Open(context.Background(), URL(t, backend), opts)
	if err != nil {
		t.Fatalf("storage.Open(%s): %v", backend, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
