package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/ktpocr/ktpocr/internal/callback"
	"github.com/ktpocr/ktpocr/internal/netguard"
	"github.com/ktpocr/ktpocr/internal/queue"
	"github.com/ktpocr/ktpocr/internal/storage"
)

func init() { register(newWorkerCmd) }

// queueFlags are the settings shared by serve and worker.
type queueFlags struct {
	database     *string
	retention    time.Duration
	concurrency  int
	jobTimeout   time.Duration
	rescueAfter  time.Duration
	pollInterval time.Duration
	cbTimeout    time.Duration
	allowPrivate bool
}

func bindQueueFlags(cmd *cobra.Command) *queueFlags {
	f := &queueFlags{database: databaseFlag(cmd)}
	fs := cmd.Flags()
	fs.DurationVar(&f.retention, "retention", storage.DefaultRetention, "how long results are kept before they are purged")
	fs.IntVar(&f.concurrency, "concurrency", defaultWorkers(), "async extractions run at once by this process")
	fs.DurationVar(&f.jobTimeout, "job-timeout", 2*time.Minute, "time limit of one extraction attempt")
	fs.BoolVar(&f.allowPrivate, "allow-private-network", false,
		"allow http:// and private/loopback addresses for callbacks and image URLs (development only)")
	// Tuning for tests and unusual deployments.
	fs.DurationVar(&f.rescueAfter, "rescue-after", 0, "re-run a job running this long, presuming its process dead (default job-timeout + 1m)")
	fs.DurationVar(&f.pollInterval, "poll-interval", time.Second, "how often idle workers look for jobs")
	fs.DurationVar(&f.cbTimeout, "callback-timeout", 15*time.Second, "time limit of one callback delivery")
	fs.MarkHidden("callback-timeout")
	fs.MarkHidden("rescue-after")
	fs.MarkHidden("poll-interval")
	return f
}

func newLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// newSender returns the callback sender: a netguard client that refuses
// private addresses unless allowed.
func newSender(allowPrivate bool) *callback.Sender {
	return &callback.Sender{Client: netguard.NewClient(netguard.Options{AllowPrivate: allowPrivate})}
}

// queueConfig builds the queue configuration from the flags.
func (f *queueFlags) queueConfig(work bool, logger *slog.Logger) queue.Config {
	return queue.Config{
		Work:            work,
		Concurrency:     f.concurrency,
		JobTimeout:      f.jobTimeout,
		RescueAfter:     f.rescueAfter,
		PollInterval:    f.pollInterval,
		CallbackTimeout: f.cbTimeout,
		Sender:          newSender(f.allowPrivate),
		Logger:          logger,
	}
}

func newWorkerCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run async extraction and callback workers only (extra nodes on PostgreSQL)",
		Long: `worker runs the River workers that extract async jobs, deliver callbacks and
purge expired results, without the HTTP API. Start as many as the machines
allow against one PostgreSQL database (DATABASE_URL); each job runs once.
On SQLite, serve already runs the workers.`,
		Args: cobra.NoArgs,
	}
	qf := bindQueueFlags(cmd)
	var metricsAddr string
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", "", "serve Prometheus /metrics (extractions, callbacks, Go runtime) on this address, e.g. :9090; empty: none")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		ctx := cmd.Context()
		logger := newLogger()
		store, err := openStore(cmd, *qf.database, qf.retention, logger)
		if err != nil {
			return err
		}
		defer store.Close()
		x, closeX, err := newExtractor(cmd)
		if err != nil {
			return err
		}
		defer closeX()
		reg := newMetricsRegistry()
		cfg := qf.queueConfig(true, logger)
		cfg.Extractor = x
		cfg.Metrics = reg
		q, err := queue.New(store, cfg)
		if err != nil {
			return err
		}
		var msrv *http.Server
		if metricsAddr != "" {
			ln, err := net.Listen("tcp", metricsAddr)
			if err != nil {
				return fmt.Errorf("--metrics-addr: %w", err)
			}
			mux := http.NewServeMux()
			mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
			msrv = newHTTPServer(mux, logger)
			go msrv.Serve(ln)
			logger.Info("serving metrics", "addr", ln.Addr().String())
		}
		// Not ctx: River hard-cancels running jobs when its start context
		// ends, and ctx ends at SIGTERM; q.Stop below lets them finish.
		if err := q.Start(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("starting workers: %w", err)
		}
		logger.Info("worker started", "database", string(store.Dialect()), "concurrency", qf.concurrency)
		<-ctx.Done()
		logger.Info("stopping: waiting for running jobs")
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err = q.Stop(sctx)
		if msrv != nil {
			// After the jobs: a scrape during the drain still sees them.
			err = errors.Join(err, msrv.Shutdown(sctx))
		}
		return err
	}
	return cmd
}
