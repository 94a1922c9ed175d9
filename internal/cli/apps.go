package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/storage"
)

func init() { register(newAppsCmd) }

// databaseFlag binds --database, whose default is $DATABASE_URL: empty means
// the SQLite file ktpocr.db in the working directory.
func databaseFlag(cmd *cobra.Command) *string {
	return cmd.Flags().String("database", os.Getenv("DATABASE_URL"),
		"database URL: postgres://... or a SQLite file path (default $DATABASE_URL, else ./ktpocr.db)")
}

// openStore opens (creating and migrating) the database.
func openStore(cmd *cobra.Command, url string, retention time.Duration, logger *slog.Logger) (*storage.Store, error) {
	return storage.Open(cmd.Context(), url, storage.Options{Retention: retention, Logger: logger})
}

// appJSON is the stable --json shape of an app; api_key only when just made.
type appJSON struct {
	AppID            string    `json:"app_id"`
	APIKey           string    `json:"api_key,omitempty"`
	Name             string    `json:"name"`
	Mode             string    `json:"mode"`
	CreatedAt        time.Time `json:"created_at"`
	CallbackUsername string    `json:"callback_username"`
	CallbackPassword string    `json:"callback_password"`
	CallbackSecret   string    `json:"callback_secret"`
}

func toAppJSON(a *ktpocr.App, key string) appJSON {
	return appJSON{AppID: a.ID, APIKey: key, Name: a.Name, Mode: a.Mode(), CreatedAt: a.CreatedAt,
		CallbackUsername: a.CallbackUsername, CallbackPassword: a.CallbackPassword, CallbackSecret: a.CallbackSecret}
}

// printNewApp shows an app with its key, the one time the key is known.
func printNewApp(w io.Writer, a *ktpocr.App, key string) {
	fmt.Fprintf(w, "%s app %q\n", a.Mode(), a.Name)
	fmt.Fprintf(w, "  App-ID:            %s\n", a.ID)
	fmt.Fprintf(w, "  API-Key:           %s   (shown once: store it now)\n", key)
	fmt.Fprintf(w, "  Callback username: %s\n", a.CallbackUsername)
	fmt.Fprintf(w, "  Callback password: %s\n", a.CallbackPassword)
	fmt.Fprintf(w, "  Callback secret:   %s\n", a.CallbackSecret)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newAppsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "apps",
		Short: "Manage client applications (App-ID and API-Key)",
	}
	cmd.AddCommand(newAppsCreateCmd(), newAppsListCmd(), newAppsRotateKeyCmd(), newAppsDeleteCmd())
	return cmd
}

func newAppsCreateCmd() *cobra.Command {
	var (
		name    string
		sandbox bool
		asJSON  bool
	)
	cmd := &cobra.Command{
		Use:   "create --name NAME [--sandbox]",
		Short: "Create an application and print its App-ID and API-Key (shown once)",
		Args:  cobra.NoArgs,
	}
	db := databaseFlag(cmd)
	cmd.Flags().StringVar(&name, "name", "", "name of the application (required)")
	cmd.Flags().BoolVar(&sandbox, "sandbox", false, "a sandbox application: answers from made-up data, never runs OCR")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: app_id, api_key, mode and the callback credentials")
	cmd.MarkFlagRequired("name")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		s, err := openStore(cmd, *db, 0, nil)
		if err != nil {
			return err
		}
		defer s.Close()
		app, key, err := s.CreateApp(cmd.Context(), name, sandbox)
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(cmd.OutOrStdout(), toAppJSON(app, key))
		}
		printNewApp(cmd.OutOrStdout(), app, key)
		return nil
	}
	return cmd
}

func newAppsListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List applications (keys are stored hashed and cannot be shown)",
		Args:  cobra.NoArgs,
	}
	db := databaseFlag(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		s, err := openStore(cmd, *db, 0, nil)
		if err != nil {
			return err
		}
		defer s.Close()
		apps, err := s.ListApps(cmd.Context())
		if err != nil {
			return err
		}
		if asJSON {
			out := []appJSON{}
			for _, a := range apps {
				out = append(out, toAppJSON(a, ""))
			}
			return writeJSON(cmd.OutOrStdout(), out)
		}
		tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "APP-ID\tMODE\tNAME\tCREATED")
		for _, a := range apps {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.ID, a.Mode(), a.Name, a.CreatedAt.Format(time.RFC3339))
		}
		return tw.Flush()
	}
	return cmd
}

func newAppsRotateKeyCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "rotate-key APP-ID",
		Short: "Give an application a new API-Key (printed once); the old key stops working",
		Args:  cobra.ExactArgs(1),
	}
	db := databaseFlag(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"app_id","api_key"}`)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		s, err := openStore(cmd, *db, 0, nil)
		if err != nil {
			return err
		}
		defer s.Close()
		key, err := s.RotateKey(cmd.Context(), args[0])
		if errors.Is(err, storage.ErrAppNotFound) {
			return fmt.Errorf("no application with App-ID %q", args[0])
		}
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(cmd.OutOrStdout(), map[string]string{"app_id": args[0], "api_key": key})
		}
		fmt.Fprintf(cmd.OutOrStdout(), "App-ID:  %s\nAPI-Key: %s   (shown once: store it now)\n", args[0], key)
		fmt.Fprintln(cmd.ErrOrStderr(), "note: a running server may accept the old key for up to 30 s more (its auth cache)")
		return nil
	}
	return cmd
}

func newAppsDeleteCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "delete APP-ID",
		Short: "Delete an application with all its jobs and results",
		Args:  cobra.ExactArgs(1),
	}
	db := databaseFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		s, err := openStore(cmd, *db, 0, nil)
		if err != nil {
			return err
		}
		defer s.Close()
		err = s.DeleteApp(cmd.Context(), args[0])
		if errors.Is(err, storage.ErrAppNotFound) {
			return fmt.Errorf("no application with App-ID %q", args[0])
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "deleted application %s\n", args[0])
		return nil
	}
	return cmd
}
