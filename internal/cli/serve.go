package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"

	"github.com/ktpocr/ktpocr/internal/console"
	"github.com/ktpocr/ktpocr/internal/httpapi"
	"github.com/ktpocr/ktpocr/internal/netguard"
	"github.com/ktpocr/ktpocr/internal/queue"
	"github.com/ktpocr/ktpocr/internal/storage"
)

func init() { register(newServeCmd) }

func newServeCmd() *cobra.Command {
	var (
		addr            string
		noWorker        bool
		syncConcurrency int
		rateLimit       float64
		rateBurst       int
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the Verihubs-compatible HTTP API (and run the async workers)",
		Long: `serve opens the database (DATABASE_URL, else ./ktpocr.db, created on first
start), runs the async workers unless --no-worker, and serves the HTTP API.
On the first start with no application it creates a sandbox and a live one
and prints their App-IDs and API-Keys on stdout: keep them, the keys are
stored hashed and cannot be shown again. SIGTERM or Ctrl-C stops it
gracefully: requests in flight and running jobs finish first.`,
		Args: cobra.NoArgs,
	}
	qf := bindQueueFlags(cmd)
	fs := cmd.Flags()
	fs.StringVar(&addr, "addr", ":8080", "address to listen on")
	fs.BoolVar(&noWorker, "no-worker", false, "do not run async workers here (run ktpocr worker elsewhere; PostgreSQL)")
	fs.IntVar(&syncConcurrency, "sync-concurrency", defaultWorkers(), "sync extractions run at once; more are answered 429")
	fs.Float64Var(&rateLimit, "rate-limit", 20, "API requests per second allowed to each App-ID; more are answered 429 (0 disables)")
	fs.IntVar(&rateBurst, "rate-burst", 40, "API requests an App-ID may make at once above --rate-limit")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		ctx := cmd.Context()
		logger := newLogger()
		store, err := openStore(cmd, *qf.database, qf.retention, logger)
		if err != nil {
			return err
		}
		defer store.Close()
		if err := firstStart(cmd, store); err != nil {
			return err
		}
		x, closeX, err := newExtractor(cmd)
		if err != nil {
			return err
		}
		defer closeX()
		// One registry for the API's and the workers' collectors: one
		// /metrics shows both.
		reg := newMetricsRegistry()
		cfg := qf.queueConfig(!noWorker, logger)
		cfg.Extractor = x
		cfg.Metrics = reg
		q, err := queue.New(store, cfg)
		if err != nil {
			return err
		}
		// Not ctx: River hard-cancels running jobs when its start context
		// ends, and ctx ends at SIGTERM; q.Stop below lets them finish.
		if err := q.Start(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("starting workers: %w", err)
		}
		fetchClient := netguard.NewClient(netguard.Options{AllowPrivate: qf.allowPrivate, Timeout: 15 * time.Second})
		handler, err := httpapi.New(httpapi.Config{
			Apps:      store,
			Jobs:      store,
			Extractor: x,
			Fetcher: func(ctx context.Context, url string) ([]byte, error) {
				return netguard.FetchImage(ctx, fetchClient, url)
			},
			AllowPrivateNetwork: qf.allowPrivate,
			SyncConcurrency:     syncConcurrency,
			SyncTimeout:         qf.jobTimeout,
			RateLimit:           rateLimit,
			RateBurst:           rateBurst,
			Ready:               store.Ping,
			Logger:              logger,
			Console:             console.Handler(),
			Metrics:             reg,
		})
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		srv := newHTTPServer(handler, logger)
		logger.Info("listening", "addr", ln.Addr().String(), "database", string(store.Dialect()), "workers", !noWorker)
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		select {
		case err := <-errc:
			if !errors.Is(err, http.ErrServerClosed) {
				sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				return errors.Join(err, q.Stop(sctx))
			}
		case <-ctx.Done():
		}
		// Stop taking requests and let those in flight finish (a sync
		// extraction, an async submission's commit), then let running jobs
		// finish; the store and the engine close after both (deferred).
		logger.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		herr := srv.Shutdown(sctx)
		qerr := q.Stop(sctx)
		return errors.Join(herr, qerr)
	}
	return cmd
}

// HTTP server limits. A request's body is at most httpapi.DefaultMaxBodyBytes
// (8 MB: a 5 MB image in base64). readTimeout lets that much arrive over a
// slow mobile uplink (8 MB in 3 min is about 370 kbit/s); writeTimeout runs
// from the end of the headers, so it covers the body, an image URL fetch
// (15 s) and a sync extraction as well.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 3 * time.Minute
	writeTimeout      = readTimeout + time.Minute
	idleTimeout       = 2 * time.Minute
	// maxHeaderBytes: the API needs two short headers; net/http's default
	// of 1 MB per request is memory a client could hold for nothing.
	maxHeaderBytes = 64 << 10
)

// newHTTPServer returns the API's server with the limits above. net/http's
// own errors (TLS handshakes, malformed requests) go to logger at Warn; they
// carry remote addresses, never request bodies.
func newHTTPServer(handler http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// newMetricsRegistry returns the registry /metrics serves: the API's own
// collectors (registered by httpapi and queue) plus the Go runtime and process ones,
// so an operator sees memory and CPU beside request counts.
func newMetricsRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// firstStart creates a sandbox and a live application when there is none,
// and prints their credentials: the README's first command shows them.
func firstStart(cmd *cobra.Command, store *storage.Store) error {
	// CreateFirstApps decides and creates in one transaction: of several
	// serve nodes starting together on an empty database, one creates
	// the applications and prints them, the others print nothing.
	created, err := store.CreateFirstApps(cmd.Context(), []storage.AppSpec{
		{Name: "default sandbox", Sandbox: true},
		{Name: "default live"},
	})
	if err != nil || len(created) == 0 {
		return err
	}
	w := cmd.OutOrStdout()
	fmt.Fprintln(w, "First start: created two applications. The API-Keys are shown only now.")
	for _, a := range created {
		fmt.Fprintln(w)
		printNewApp(w, a.App, a.Key)
	}
	fmt.Fprintln(w)
	return nil
}
