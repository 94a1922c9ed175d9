package cli

import (
	"context"
	"errors"
	"fmt"
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
		cfg := qf.queueConfig(!noWorker, logger)
		cfg.Extractor = x
		q, err := queue.New(store, cfg)
		if err != nil {
			return err
		}
		if err := q.Start(ctx); err != nil {
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
			Ready:               store.Ping,
			Logger:              logger,
			Console:             console.Handler(),
			Metrics:             newMetricsRegistry(),
		})
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		srv := &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       60 * time.Second,
			IdleTimeout:       120 * time.Second,
		}
		logger.Info("listening", "addr", ln.Addr().String(), "database", string(store.Dialect()), "workers", !noWorker)
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		select {
		case err := <-errc:
			if !errors.Is(err, http.ErrServerClosed) {
				q.Stop(context.Background())
				return err
			}
		case <-ctx.Done():
		}
		logger.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		herr := srv.Shutdown(sctx)
		qerr := q.Stop(sctx)
		return errors.Join(herr, qerr)
	}
	return cmd
}

// newMetricsRegistry returns the registry /metrics serves: the API's own
// collectors (registered by httpapi) plus the Go runtime and process ones,
// so an operator sees memory and CPU beside request counts.
func newMetricsRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// firstStart creates a sandbox and a live application when there is none,
// and prints their credentials: the README's first command shows them.
func firstStart(cmd *cobra.Command, store *storage.Store) error {
	ctx := cmd.Context()
	apps, err := store.ListApps(ctx)
	if err != nil {
		return err
	}
	if len(apps) > 0 {
		return nil
	}
	w := cmd.OutOrStdout()
	fmt.Fprintln(w, "First start: created two applications. The API-Keys are shown only now.")
	for _, sandbox := range []bool{true, false} {
		name := "default live"
		if sandbox {
			name = "default sandbox"
		}
		app, key, err := store.CreateApp(ctx, name, sandbox)
		if err != nil {
			return err
		}
		fmt.Fprintln(w)
		printNewApp(w, app, key)
	}
	fmt.Fprintln(w)
	return nil
}
