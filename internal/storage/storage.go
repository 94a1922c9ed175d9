// Package storage keeps ktpocr's durable state, applications, async jobs and
// callback attempts, in SQLite (the default, one file) or PostgreSQL (several
// nodes), and implements ktpocr.AppService and ktpocr.JobService on it.
//
// The database URL picks the backend: empty or a file path is SQLite,
// postgres:// is PostgreSQL through pgx's database/sql driver. Both share the
// same *sql.DB/*sql.Tx surface so that the River queue (internal/queue)
// inserts its jobs in the transactions of this package. Open creates and
// migrates the schema, ktpocr's tables and River's, on first start.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Dialect names a database backend.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DefaultSQLitePath is the database file used when no URL is given.
const DefaultSQLitePath = "ktpocr.db"

// DefaultRetention is how long finished results are kept.
const DefaultRetention = 30 * 24 * time.Hour

// Options tune a Store. The zero value is valid.
type Options struct {
	// Retention is how long a finished job's result (and callback attempts)
	// are kept before Purge deletes them. Defaults to DefaultRetention.
	Retention time.Duration
	// Now returns the current time. Defaults to time.Now.
	Now func() time.Time
	// Logger receives operational messages (never personal data). Defaults
	// to a discarding logger.
	Logger *slog.Logger
	// AuthCacheTTL is how long a successful key verification is remembered
	// in memory, so that each request does not pay the slow hash. Another
	// process's key rotation is seen after at most this long. Defaults to
	// 30 s; negative disables the cache.
	AuthCacheTTL time.Duration
}

func (o Options) withDefaults() Options {
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.AuthCacheTTL == 0 {
		o.AuthCacheTTL = 30 * time.Second
	}
	return o
}

// Enqueuer inserts queue jobs inside a storage transaction, so that a row and
// the job that processes it commit or roll back together. internal/queue
// implements it and attaches itself with Store.SetEnqueuer.
type Enqueuer interface {
	// EnqueueExtractTx enqueues the extraction of job jobID.
	EnqueueExtractTx(ctx context.Context, tx *sql.Tx, jobID int64) error
	// EnqueueCallbackTx enqueues the delivery of a callback.
	EnqueueCallbackTx(ctx context.Context, tx *sql.Tx, c Callback) error
}

// Callback is a callback to deliver. Either JobID names the job whose stored
// result is the body, or JobID is 0 and Body is the body itself.
type Callback struct {
	AppID string
	JobID int64
	URL   string
	Body  []byte
}

// Store is the durable state of ktpocr. It is safe for concurrent use.
type Store struct {
	db       *sql.DB
	dialect  Dialect
	opts     Options
	enqueuer Enqueuer
	auth     *authCache
}

// Open opens (creating and migrating if needed) the database at rawURL: ""
// or a path (optionally sqlite://path) is SQLite, postgres:// or
// postgresql:// is PostgreSQL.
func Open(ctx context.Context, rawURL string, opts Options) (*Store, error) {
	dialect, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	var db *sql.DB
	switch dialect {
	case SQLite:
		db, err = sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("storage: opening sqlite: %w", err)
		}
		// SQLite allows one writer; River and our own queries share one
		// connection so that they queue in the pool instead of failing
		// with SQLITE_BUSY. Other processes wait on busy_timeout.
		db.SetMaxOpenConns(1)
		db.SetConnMaxIdleTime(0)
	case Postgres:
		db, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("storage: opening postgres: %w", err)
		}
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
		db.SetConnMaxIdleTime(5 * time.Minute)
	}
	s := &Store{db: db, dialect: dialect, opts: opts.withDefaults()}
	s.auth = newAuthCache(s.opts.AuthCacheTTL)
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("storage: connecting to %s: %w", dialect, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// parseURL returns the dialect of rawURL and the DSN its driver takes.
func parseURL(rawURL string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		if _, err := url.Parse(rawURL); err != nil {
			return "", "", fmt.Errorf("storage: bad database URL: %w", err)
		}
		return Postgres, rawURL, nil
	case rawURL == "":
		return SQLite, sqliteDSN(DefaultSQLitePath), nil
	case strings.HasPrefix(rawURL, "sqlite://"):
		p := strings.TrimPrefix(rawURL, "sqlite://")
		if p == "" {
			return "", "", errors.New("storage: sqlite:// URL has no file path")
		}
		return SQLite, sqliteDSN(p), nil
	case strings.Contains(rawURL, "://"):
		return "", "", fmt.Errorf("storage: unsupported database URL scheme in %q (want postgres:// or a SQLite file path)", redactURL(rawURL))
	default:
		return SQLite, sqliteDSN(rawURL), nil
	}
}

func sqliteDSN(p string) string {
	// WAL lets readers run beside the writer; busy_timeout makes another
	// process (a CLI command beside the server) wait instead of failing;
	// foreign_keys enables ON DELETE CASCADE.
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_time_format", "sqlite")
	return "file:" + p + "?" + q.Encode()
}

// redactURL drops the password of a URL for error messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "<unparsable URL>"
	}
	return u.Redacted()
}

// Dialect returns the backend of s.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB returns the database handle, for the queue's River driver.
func (s *Store) DB() *sql.DB { return s.db }

// Retention returns the configured result retention.
func (s *Store) Retention() time.Duration { return s.opts.Retention }

// SetEnqueuer attaches the queue that Submit and Notify enqueue into. It must
// be called before the Store serves requests.
func (s *Store) SetEnqueuer(e Enqueuer) { s.enqueuer = e }

// RiverDriver returns River's driver for this database: both backends use
// *sql.Tx, so storage transactions can carry River inserts.
func (s *Store) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if s.dialect == SQLite {
		return riversqlite.New(s.db)
	}
	return riverdatabasesql.New(s.db)
}

// Ping reports whether the database answers; readiness probes use it.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// now returns the current time in UTC truncated to microseconds, the
// precision both backends store, so that values read back compare equal.
func (s *Store) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }

// q rewrites a query written with ? placeholders for the dialect.
func (s *Store) q(query string) string {
	if s.dialect != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

//go:embed migrations
var migrationFS embed.FS

// migrationLockKey is the PostgreSQL advisory lock that serialises the
// migrations of processes starting together.
const migrationLockKey = 0x6b74706f6372 // "ktpocr"

// migrate applies ktpocr's migrations then River's. On SQLite both run in
// one transaction. On PostgreSQL River's cannot (some add enum values, which
// PostgreSQL refuses to use in the transaction that added them), so a
// session advisory lock serialises the processes that start together.
func (s *Store) migrate(ctx context.Context) error {
	m, err := rivermigrate.New(s.RiverDriver(), &rivermigrate.Config{Logger: s.opts.Logger})
	if err != nil {
		return fmt.Errorf("storage: river migrator: %w", err)
	}
	if s.dialect == Postgres {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("storage: migrating: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			return fmt.Errorf("storage: migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey)
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("storage: river migrations: %w", err)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: migrating: %w", err)
	}
	defer tx.Rollback()
	if err := s.migrateOwn(ctx, tx); err != nil {
		return err
	}
	if s.dialect == SQLite {
		if _, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("storage: river migrations: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storage: migrating: %w", err)
	}
	return nil
}

// migrateOwn applies the embedded migrations of ktpocr's tables not yet
// recorded in ktpocr_migrations.
func (s *Store) migrateOwn(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS ktpocr_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("storage: migrating: %w", err)
	}
	applied := map[int]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM ktpocr_migrations`)
	if err != nil {
		return fmt.Errorf("storage: migrating: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("storage: migrating: %w", err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: migrating: %w", err)
	}

	dir := path.Join("migrations", string(s.dialect))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return fmt.Errorf("storage: reading migrations: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := e.Name()
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("storage: migration %s: name must start with a version number", name)
		}
		if applied[v] {
			continue
		}
		sqlText, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return err
		}
		for _, stmt := range splitStatements(string(sqlText)) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("storage: migration %s: %w", name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO ktpocr_migrations (version) VALUES (?)`), v); err != nil {
			return fmt.Errorf("storage: migration %s: %w", name, err)
		}
	}
	return nil
}

// splitStatements splits a migration file on semicolons that end a line;
// our migrations hold no procedural code, so this is enough.
func splitStatements(sqlText string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sqlText, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") || t == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, strings.TrimSpace(cur.String()))
	}
	return out
}
