package cli_test

// Process tests: they build the real binary and run `ktpocr worker` /
// `ktpocr serve` with the slow fake engine (KTPOCR_TEST_ENGINE=slow-fake), to
// check what only separate processes can show: an accepted job survives a
// SIGKILL mid-run and completes exactly once, several workers share jobs
// without doing any twice, and serve works end to end.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/queue"
	"github.com/ktpocr/ktpocr/internal/storage"
	"github.com/ktpocr/ktpocr/internal/storage/storagetest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds cmd/ktpocr once per test run.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("process test: skipped in -short mode")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ktpocr-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "ktpocr")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/ktpocr/ktpocr/cmd/ktpocr").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is a running ktpocr process.
type proc struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

func start(t *testing.T, dbURL string, stdout io.Writer, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "KTPOCR_TEST_ENGINE=slow-fake", "KTPOCR_TEST_ENGINE_DELAY=1500ms")
	p := &proc{cmd: cmd, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	cmd.Stdout = stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("%s stderr:\n%s", strings.Join(args, " "), p.stderr.String())
		}
	})
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		if err != nil {
			t.Errorf("process exited with %v after SIGTERM", err)
		}
	case <-time.After(40 * time.Second):
		t.Errorf("process did not stop within 40 s of SIGTERM")
	}
}

func (p *proc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-p.done
	p.done <- err
}

// callbackCounter counts callback deliveries per reference_id.
type callbackCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *callbackCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body ktpocr.ResultBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Data == nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.n[body.Data.ReferenceID]++
	c.mu.Unlock()
}

func (c *callbackCounter) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

type fixture struct {
	url   string
	store *storage.Store
	app   *ktpocr.App
	imgs  map[string][]byte // reference_id → image
	cb    *callbackCounter
}

// submit opens the database in the test process (as a serve --no-worker
// node would) and submits n jobs with callbacks to a local server.
func submit(t *testing.T, backend string, n int) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{url: storagetest.URL(t, backend), imgs: map[string][]byte{}, cb: &callbackCounter{n: map[string]int{}}}
	s, err := storage.Open(ctx, f.url, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := queue.New(s, queue.Config{}); err != nil {
		t.Fatal(err)
	}
	f.store = s
	f.app, _, err = s.CreateApp(ctx, "process-test", false)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f.cb)
	t.Cleanup(srv.Close)
	for i := range n {
		ref := fmt.Sprintf("ref-%04d", i)
		f.imgs[ref] = []byte("image " + ref)
		if err := s.Submit(ctx, f.app, ktpocr.JobRequest{ReferenceID: ref, Image: f.imgs[ref], CallbackURL: srv.URL + "/cb"}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) db() *sql.DB { return f.store.DB() }

func (f *fixture) count(t *testing.T, query string) int {
	t.Helper()
	var n int
	if err := f.db().QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkAllDoneOnce waits for every job to end, then checks each succeeded
// with the result of its own image, ran to completion once in River, and
// was called back exactly once.
func (f *fixture) checkAllDoneOnce(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	waitUntil(t, 90*time.Second, "every job to end", func() bool {
		return f.count(t, `SELECT count(*) FROM jobs WHERE status = 'PROCESSING'`) == 0
	})
	for ref, img := range f.imgs {
		job, err := f.store.Get(ctx, f.app, ref)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(img)
		if job.Status != ktpocr.StatusSucceeded || job.Body.Data == nil || job.Body.Data.Card == nil || job.Body.Data.NIK != hex.EncodeToString(sum[:8]) {
			t.Errorf("job %s: status %s, body %+v; want SUCCEEDED with its own image's digest", ref, job.Status, job.Body)
		}
	}
	if got := f.count(t, `SELECT count(*) FROM river_job WHERE kind = 'ktpocr_extract' AND state = 'completed'`); got != len(f.imgs) {
		t.Errorf("completed extraction jobs = %d, want %d", got, len(f.imgs))
	}
	waitUntil(t, 30*time.Second, "every callback", func() bool { return len(f.cb.counts()) == len(f.imgs) })
	time.Sleep(time.Second) // room for a duplicate to show up
	for ref, n := range f.cb.counts() {
		if n != 1 {
			t.Errorf("callback of %s delivered %d times, want once", ref, n)
		}
	}
	if got := f.count(t, `SELECT count(*) FROM river_job WHERE kind = 'ktpocr_callback'`); got != len(f.imgs) {
		t.Errorf("callback jobs = %d, want %d (one per job)", got, len(f.imgs))
	}
}

var workerArgs = []string{"worker", "--allow-private-network", "--concurrency", "2",
	"--job-timeout", "4s", "--callback-timeout", "4s", "--rescue-after", "5s", "--poll-interval", "100ms"}

// TestKillWorkerMidJob kills a worker with SIGKILL while it runs jobs,
// restarts it, and checks that every job completes exactly once.
func TestKillWorkerMidJob(t *testing.T) {
	for _, backend := range storagetest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			f := submit(t, backend, 5)
			p := start(t, f.url, io.Discard, workerArgs...)
			waitUntil(t, 30*time.Second, "a running extraction", func() bool {
				return f.count(t, `SELECT count(*) FROM river_job WHERE kind = 'ktpocr_extract' AND state = 'running'`) > 0
			})
			p.kill(t)
			if n := f.count(t, `SELECT count(*) FROM river_job WHERE kind = 'ktpocr_extract' AND state = 'running'`); n == 0 {
				t.Fatalf("no job was running when the worker was killed")
			}
			p = start(t, f.url, io.Discard, workerArgs...)
			f.checkAllDoneOnce(t)
			p.stop(t)
		})
	}
}

// TestTwoWorkers runs two worker processes on one PostgreSQL database.
func TestTwoWorkers(t *testing.T) {
	t.Parallel()
	f := submit(t, "postgres", 8)
	p1 := start(t, f.url, io.Discard, workerArgs...)
	p2 := start(t, f.url, io.Discard, workerArgs...)
	f.checkAllDoneOnce(t)
	// Each worker runs two jobs at most at once, 1.5 s each: both had to work.
	if n := f.count(t, `SELECT count(DISTINCT attempted_by[array_length(attempted_by, 1)]) FROM river_job WHERE kind = 'ktpocr_extract'`); n != 2 {
		t.Errorf("extractions were done by %d distinct workers, want 2", n)
	}
	p1.stop(t)
	p2.stop(t)
}

// TestServe starts serve on a fresh database: it prints the two first apps,
// accepts an async job over HTTP and serves its result.
func TestServe(t *testing.T) {
	t.Parallel()
	s := startServe(t)
	live := s.apps["live"]
	do := func(method, path string, body any) (int, ktpocr.ResultBody) {
		t.Helper()
		status, raw := s.call(t, live, method, path, body)
		var rb ktpocr.ResultBody
		json.Unmarshal(raw, &rb)
		return status, rb
	}
	img := testPNG(t)
	status, rb := do("POST", "/ktp/id/extract-async", map[string]any{"image": base64.StdEncoding.EncodeToString(img), "reference_id": "serve-test-1"})
	if status != 200 {
		t.Fatalf("POST extract-async = %d %+v", status, rb)
	}
	waitUntil(t, 30*time.Second, "the async result", func() bool {
		status, rb = do("GET", "/ktp/id/extract-async/result?reference_id=serve-test-1", nil)
		return status == 200
	})
	sum := sha256.Sum256(img)
	if rb.Data == nil || rb.Data.Card == nil || rb.Data.NIK != hex.EncodeToString(sum[:8]) {
		t.Errorf("result = %+v, want the fake engine's digest of the image", rb)
	}
	s.proc.stop(t)
}

// appCreds are the credentials serve prints for an application on first start.
type appCreds struct{ id, key, cbUser, cbPass, cbSecret string }

// served is a running `ktpocr serve` and the applications it created.
type served struct {
	proc *proc
	addr string
	apps map[string]appCreds // "sandbox", "live"
}

// startServe runs `ktpocr serve` on a fresh SQLite database and reads the
// credentials it prints on first start, as the README tells a user to.
func startServe(t *testing.T, args ...string) *served {
	t.Helper()
	url := storagetest.URL(t, "sqlite")
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.Close() })
	p := start(t, url, pw, append([]string{"serve", "--addr", "127.0.0.1:0", "--poll-interval", "100ms"}, args...)...)
	var out strings.Builder
	printed := make(chan struct{})
	go func() {
		lines := bufio.NewScanner(pr)
		for lines.Scan() {
			out.WriteString(lines.Text() + "\n")
			if strings.Count(out.String(), "Callback secret:") == 2 {
				break
			}
		}
		close(printed)
		io.Copy(io.Discard, pr)
	}()
	select {
	case <-printed:
	case <-time.After(30 * time.Second):
		t.Fatalf("serve printed no credentials within 30 s")
	}
	s := &served{proc: p, apps: map[string]appCreds{}}
	for _, block := range strings.Split(out.String(), "\n\n") {
		field := func(name string) string {
			m := regexp.MustCompile(name + `:\s+(\S+)`).FindStringSubmatch(block)
			if m == nil {
				return ""
			}
			return m[1]
		}
		c := appCreds{field("App-ID"), field("API-Key"), field("Callback username"), field("Callback password"), field("Callback secret")}
		switch {
		case strings.Contains(block, "sandbox app"):
			s.apps["sandbox"] = c
		case strings.Contains(block, "live app"):
			s.apps["live"] = c
		}
	}
	for _, mode := range []string{"sandbox", "live"} {
		if c := s.apps[mode]; c.id == "" || c.key == "" || c.cbSecret == "" {
			t.Fatalf("first start printed:\n%s\nwant a %s App-ID with API-Key and callback credentials", out.String(), mode)
		}
	}
	waitUntil(t, 20*time.Second, "the listening address", func() bool {
		m := regexp.MustCompile(`msg=listening addr=(\S+)`).FindStringSubmatch(p.stderr.String())
		if m != nil {
			s.addr = m[1]
		}
		return m != nil
	})
	return s
}

// call sends one API request as app, the way a client does, and returns
// the status and raw body.
func (s *served) call(t *testing.T, app appCreds, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, "http://"+s.addr+path, rd)
	req.Header.Set("App-ID", app.id)
	req.Header.Set("API-Key", app.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

// testPNG makes a valid 800x600 PNG: the fake engine does not read it, but
// the API checks format and size before accepting a job.
func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 800, 600))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
