package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/argon2"

	"github.com/ktpocr/ktpocr"
)

// ErrAppNotFound is returned by app management for an unknown App-ID.
var ErrAppNotFound = errors.New("storage: app not found")

var _ ktpocr.AppService = (*Store)(nil)

// argon2id parameters: OWASP's minimum recommendation (19 MiB, 2 passes).
// API keys are random and long, so the hash guards against a leaked table,
// not against guessing; the memory cost keeps that cheap to verify once and
// then the auth cache serves repeats.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// dummyHash is verified against when an App-ID is unknown, so that the
// answer takes as long as for a known one.
var dummyHash = hashKey(randomToken(24))

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("storage: crypto/rand failed: " + err.Error()) // never happens on supported platforms
	}
	return hex.EncodeToString(b)
}

func hashKey(key string) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic("storage: crypto/rand failed: " + err.Error())
	}
	h := argon2.IDKey([]byte(key), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(h))
}

// verifyKey reports whether key matches encoded, in time independent of
// where they differ.
func verifyKey(encoded, key string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(key), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// authCache remembers successful verifications, keyed by a SHA-256 of App-ID
// and key: a fast hash is safe here because only keys that already passed
// the slow hash are stored, and only in memory.
type authCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[[32]byte]authEntry
}

type authEntry struct {
	app     ktpocr.App
	expires time.Time
}

const authCacheMax = 10000

func newAuthCache(ttl time.Duration) *authCache {
	return &authCache{ttl: ttl, m: map[[32]byte]authEntry{}}
}

func authCacheKey(appID, key string) [32]byte {
	return sha256.Sum256([]byte(appID + "\x00" + key))
}

func (c *authCache) get(k [32]byte, now time.Time) (*ktpocr.App, bool) {
	if c.ttl < 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || now.After(e.expires) {
		delete(c.m, k)
		return nil, false
	}
	a := e.app
	return &a, true
}

func (c *authCache) put(k [32]byte, app *ktpocr.App, now time.Time) {
	if c.ttl < 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= authCacheMax {
		clear(c.m) // crude bound; a flood of distinct valid keys is not expected
	}
	c.m[k] = authEntry{app: *app, expires: now.Add(c.ttl)}
}

// forget drops every cached verification of appID (key rotated or app deleted).
func (c *authCache) forget(appID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if e.app.ID == appID {
			delete(c.m, k)
		}
	}
}

// Authenticate implements ktpocr.AppService.
func (s *Store) Authenticate(ctx context.Context, appID, apiKey string) (*ktpocr.App, error) {
	unauthorized := ktpocr.Errorf(ktpocr.CodeUnauthorized, "Invalid App-ID or API-Key")
	if appID == "" || apiKey == "" {
		return nil, unauthorized
	}
	ck := authCacheKey(appID, apiKey)
	now := s.opts.Now()
	if app, ok := s.auth.get(ck, now); ok {
		return app, nil
	}
	app, hash, err := s.appWithHash(ctx, appID)
	if errors.Is(err, ErrAppNotFound) {
		verifyKey(dummyHash, apiKey) // same cost as a known App-ID
		return nil, unauthorized
	}
	if err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeInternal, "authenticating")
	}
	if !verifyKey(hash, apiKey) {
		return nil, unauthorized
	}
	s.auth.put(ck, app, now)
	return app, nil
}

const appColumns = `id, name, sandbox, created_at, callback_username, callback_password, callback_secret`

func scanApp(sc interface{ Scan(...any) error }, extra ...any) (*ktpocr.App, error) {
	var a ktpocr.App
	dest := append([]any{&a.ID, &a.Name, &a.Sandbox, &a.CreatedAt, &a.CallbackUsername, &a.CallbackPassword, &a.CallbackSecret}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	a.CreatedAt = a.CreatedAt.UTC()
	return &a, nil
}

func (s *Store) appWithHash(ctx context.Context, appID string) (*ktpocr.App, string, error) {
	var hash string
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+appColumns+`, api_key_hash FROM apps WHERE id = ?`), appID)
	app, err := scanApp(row, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrAppNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("storage: reading app: %w", err)
	}
	return app, hash, nil
}

// App returns the app with the given ID, or ErrAppNotFound.
func (s *Store) App(ctx context.Context, appID string) (*ktpocr.App, error) {
	app, _, err := s.appWithHash(ctx, appID)
	return app, err
}

// CreateApp creates an application and returns it with its API key. The key
// is stored hashed only: this is the one time it can be shown.
func (s *Store) CreateApp(ctx context.Context, name string, sandbox bool) (*ktpocr.App, string, error) {
	return s.createApp(ctx, s.db, name, sandbox)
}

// execer is what createApp needs of a *sql.DB or *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (s *Store) createApp(ctx context.Context, db execer, name string, sandbox bool) (*ktpocr.App, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, "", errors.New("storage: app name is empty")
	}
	id := uuid.NewString()
	app := &ktpocr.App{
		ID:               id,
		Name:             name,
		Sandbox:          sandbox,
		CreatedAt:        s.now(),
		CallbackUsername: "ktpocr-" + id[:8],
		CallbackPassword: randomToken(16),
		CallbackSecret:   randomToken(32),
	}
	key := randomToken(24)
	_, err := db.ExecContext(ctx, s.q(`INSERT INTO apps (id, name, sandbox, api_key_hash, callback_username, callback_password, callback_secret, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		app.ID, app.Name, app.Sandbox, hashKey(key), app.CallbackUsername, app.CallbackPassword, app.CallbackSecret, app.CreatedAt)
	if err != nil {
		return nil, "", fmt.Errorf("storage: creating app: %w", err)
	}
	return app, key, nil
}

// AppSpec describes an application to create.
type AppSpec struct {
	Name    string
	Sandbox bool
}

// NewApp is a created application with its API key, known only now.
type NewApp struct {
	App *ktpocr.App
	Key string
}

// firstAppsLockKey is the PostgreSQL advisory lock that serialises
// CreateFirstApps across processes ("ktpocr" + 1, beside the migration lock).
const firstAppsLockKey = migrationLockKey + 1

// CreateFirstApps creates the applications of specs, in one transaction,
// when the database has no application at all, and returns them with their
// keys; when any application exists it creates nothing and returns nil.
// Processes that call it together on an empty database (two serve nodes
// starting at once) are serialised, so exactly one of them creates the
// applications and the others see them: on PostgreSQL by a transaction
// advisory lock, on SQLite by taking the write lock before counting.
func (s *Store) CreateFirstApps(ctx context.Context, specs []AppSpec) ([]NewApp, error) {
	var created []NewApp
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var lock string
		switch s.dialect {
		case Postgres:
			lock = `SELECT pg_advisory_xact_lock(` + fmt.Sprint(firstAppsLockKey) + `)`
		default:
			// A write as the first statement makes this transaction the
			// writer at once (SQLite's RESERVED lock); another process
			// waits here on busy_timeout instead of reading the same empty
			// table and then failing to upgrade.
			lock = `UPDATE apps SET name = name WHERE 1 = 0`
		}
		if _, err := tx.ExecContext(ctx, lock); err != nil {
			return fmt.Errorf("storage: first-start lock: %w", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM apps`).Scan(&n); err != nil {
			return fmt.Errorf("storage: counting apps: %w", err)
		}
		if n > 0 {
			return nil
		}
		for _, spec := range specs {
			app, key, err := s.createApp(ctx, tx, spec.Name, spec.Sandbox)
			if err != nil {
				return err
			}
			created = append(created, NewApp{App: app, Key: key})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// ListApps returns every application, oldest first.
func (s *Store) ListApps(ctx context.Context) ([]*ktpocr.App, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+appColumns+` FROM apps ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("storage: listing apps: %w", err)
	}
	defer rows.Close()
	var apps []*ktpocr.App
	for rows.Next() {
		a, err := scanApp(rows)
		if err != nil {
			return nil, fmt.Errorf("storage: listing apps: %w", err)
		}
		apps = append(apps, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: listing apps: %w", err)
	}
	return apps, nil
}

// RotateKey gives appID a new API key and returns it; the old key stops
// working at once in this process, and within the auth cache TTL elsewhere.
func (s *Store) RotateKey(ctx context.Context, appID string) (string, error) {
	key := randomToken(24)
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE apps SET api_key_hash = ? WHERE id = ?`), hashKey(key), appID)
	if err != nil {
		return "", fmt.Errorf("storage: rotating key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", ErrAppNotFound
	}
	s.auth.forget(appID)
	return key, nil
}

// DeleteApp deletes appID with its jobs and their callback attempts.
func (s *Store) DeleteApp(ctx context.Context, appID string) error {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM apps WHERE id = ?`), appID)
	if err != nil {
		return fmt.Errorf("storage: deleting app: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrAppNotFound
	}
	s.auth.forget(appID)
	return nil
}
