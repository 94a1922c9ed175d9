package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/storage"
)

func init() { register(newJobsCmd) }

func newJobsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "jobs",
		Short: "Inspect async extraction jobs",
	}
	cmd.AddCommand(newJobsShowCmd())
	return cmd
}

// jobJSON is the stable --json shape of jobs show.
type jobJSON struct {
	AppID       string                   `json:"app_id"`
	ReferenceID string                   `json:"reference_id"`
	Status      ktpocr.Status            `json:"status"`
	ErrorCode   ktpocr.Code              `json:"error_code,omitempty"`
	CallbackURL string                   `json:"callback_url,omitempty"`
	CreatedAt   time.Time                `json:"created_at"`
	FinishedAt  *time.Time               `json:"finished_at,omitempty"`
	Callbacks   []ktpocr.CallbackAttempt `json:"callbacks"`
}

func newJobsShowCmd() *cobra.Command {
	var (
		appID  string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "show REFERENCE_ID [--app APP-ID]",
		Short: "Show a job's status, times and callback attempts (never its card data)",
		Args:  cobra.ExactArgs(1),
	}
	db := databaseFlag(cmd)
	cmd.Flags().StringVar(&appID, "app", "", "App-ID of the job (needed only when several apps used the reference)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		ref := args[0]
		s, err := openStore(cmd, *db, 0, nil)
		if err != nil {
			return err
		}
		defer s.Close()
		if appID == "" {
			ids, err := s.AppIDsWithReference(ctx, ref)
			if err != nil {
				return err
			}
			switch len(ids) {
			case 0:
				return fmt.Errorf("no job with reference_id %q", ref)
			case 1:
				appID = ids[0]
			default:
				return fmt.Errorf("several apps have a job %q, choose one with --app: %s", ref, strings.Join(ids, ", "))
			}
		}
		app, err := s.App(ctx, appID)
		if errors.Is(err, storage.ErrAppNotFound) {
			return fmt.Errorf("no application with App-ID %q", appID)
		}
		if err != nil {
			return err
		}
		job, err := s.Get(ctx, app, ref)
		if ktpocr.ErrorCode(err) == ktpocr.CodeReferenceIDNotFound {
			return fmt.Errorf("app %s has no job with reference_id %q", appID, ref)
		}
		if err != nil {
			return err
		}
		out := jobJSON{AppID: job.AppID, ReferenceID: job.ReferenceID, Status: job.Status, CallbackURL: job.CallbackURL,
			CreatedAt: job.CreatedAt, Callbacks: job.Callbacks}
		if out.Callbacks == nil {
			out.Callbacks = []ktpocr.CallbackAttempt{}
		}
		if !job.FinishedAt.IsZero() {
			out.FinishedAt = &job.FinishedAt
		}
		if job.Body != nil {
			out.ErrorCode = job.Body.ErrorCode
		}
		if asJSON {
			return writeJSON(cmd.OutOrStdout(), out)
		}
		w := cmd.OutOrStdout()
		fmt.Fprintf(w, "reference_id: %s\napp_id:       %s\nstatus:       %s\n", out.ReferenceID, out.AppID, out.Status)
		if out.ErrorCode != "" {
			fmt.Fprintf(w, "error_code:   %s\n", out.ErrorCode)
		}
		fmt.Fprintf(w, "created:      %s\n", out.CreatedAt.Format(time.RFC3339))
		if out.FinishedAt != nil {
			fmt.Fprintf(w, "finished:     %s (%s)\n", out.FinishedAt.Format(time.RFC3339), out.FinishedAt.Sub(out.CreatedAt).Round(time.Millisecond))
		}
		if out.CallbackURL != "" {
			fmt.Fprintf(w, "callback:     %s\n", out.CallbackURL)
			if len(out.Callbacks) == 0 {
				fmt.Fprintln(w, "  no attempt yet")
			}
			for _, a := range out.Callbacks {
				status := "-"
				if a.HTTPStatus != 0 {
					status = fmt.Sprint(a.HTTPStatus)
				}
				fmt.Fprintf(w, "  %s  HTTP %s  %s\n", a.At.Format(time.RFC3339), status, a.Error)
			}
		}
		return nil
	}
	return cmd
}
