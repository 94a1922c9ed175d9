package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/queue"
	"github.com/ktpocr/ktpocr/internal/storage"
	"github.com/ktpocr/ktpocr/internal/storage/storagetest"
)

// run runs the binary to completion and returns its stdout.
func run(t *testing.T, dbURL string, wantOK bool, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if (err == nil) != wantOK {
		t.Fatalf("ktpocr %s: err %v (want ok=%v)\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, wantOK, out, stderr.String())
	}
	return string(out)
}

func TestAppsAndJobsCommands(t *testing.T) {
	t.Parallel()
	url := storagetest.URL(t, "sqlite")
	var created struct {
		AppID, APIKey, Mode, CallbackSecret string
	}
	out := run(t, url, true, "apps", "create", "--name", "Acme", "--sandbox", "--json")
	if err := json.Unmarshal([]byte(strings.NewReplacer("app_id", "AppID", "api_key", "APIKey", "callback_secret", "CallbackSecret").Replace(out)), &created); err != nil {
		t.Fatalf("apps create --json printed %q: %v", out, err)
	}
	if created.AppID == "" || created.APIKey == "" || created.Mode != "sandbox" || created.CallbackSecret == "" {
		t.Fatalf("apps create --json = %s", out)
	}
	run(t, url, false, "apps", "create") // --name is required

	ctx := context.Background()
	s, err := storage.Open(ctx, url, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	app, err := s.Authenticate(ctx, created.AppID, created.APIKey)
	if err != nil {
		t.Fatalf("the printed key does not authenticate: %v", err)
	}

	if out := run(t, url, true, "apps", "list"); !strings.Contains(out, created.AppID) || !strings.Contains(out, "Acme") {
		t.Errorf("apps list = %q", out)
	}
	if out := run(t, url, true, "apps", "list", "--json"); strings.Contains(out, created.APIKey) {
		t.Errorf("apps list --json shows the API key")
	}

	if _, err := queue.New(s, queue.Config{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Submit(ctx, app, ktpocr.JobRequest{ReferenceID: "ref-show-1", Image: []byte{1}, CallbackURL: "https://example.com/cb"}); err != nil {
		t.Fatal(err)
	}
	out = run(t, url, true, "jobs", "show", "ref-show-1")
	if !strings.Contains(out, "PROCESSING") || !strings.Contains(out, "no attempt yet") {
		t.Errorf("jobs show = %q", out)
	}
	run(t, url, false, "jobs", "show", "ref-unknown")

	out = run(t, url, true, "apps", "rotate-key", created.AppID, "--json")
	var rotated map[string]string
	if err := json.Unmarshal([]byte(out), &rotated); err != nil || rotated["api_key"] == "" || rotated["api_key"] == created.APIKey {
		t.Fatalf("apps rotate-key --json = %q (%v)", out, err)
	}
	run(t, url, true, "apps", "delete", created.AppID)
	run(t, url, false, "apps", "delete", created.AppID)
	if _, err := s.App(ctx, created.AppID); err == nil {
		t.Errorf("app still exists after apps delete")
	}
}
