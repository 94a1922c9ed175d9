// Package ppocr is the OCR engine of ktpocr: the PP-OCRv4 text detector and
// recogniser run through ONNX Runtime (github.com/yalue/onnxruntime_go). It
// implements ocr.Engine.
//
// The runtime library and the models are installed by scripts/setup.sh into
// $KTPOCR_HOME (default ~/.local/share/ktpocr). One Engine is opened per
// process and shared: its sessions are created once, and ONNX Runtime
// documents Run as safe for concurrent use, so callers get parallelism from
// several goroutines calling the same Engine, each using IntraOpThreads
// threads.
package ppocr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
	"golang.org/x/sys/cpu"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

// Config locates the engine files and tunes the runtime. The zero value is
// ready to use.
type Config struct {
	// Home is the directory holding lib/libonnxruntime.so and
	// models/{det.onnx,rec.onnx,keys.txt}. Defaults to $KTPOCR_HOME, or
	// ~/.local/share/ktpocr when that is unset.
	Home string
	// LibraryPath, DetModel, RecModel and Dict override single files.
	// Each defaults to its place under Home.
	LibraryPath, DetModel, RecModel, Dict string
	// IntraOpThreads is the number of threads one inference uses. Defaults
	// to 1: on a shared box, parallelism comes from several callers, and
	// the threads never spin waiting for work.
	IntraOpThreads int
	// DetMaxSide is the longest side, in pixels, an image is scaled down to
	// before detection. Defaults to 960 (1280 measured slower and no
	// better on cards).
	DetMaxSide int
	// Unfused loads the models as they are, without fuseModel's rewrite
	// (for the test that compares the two). It implies Float: the
	// quantization ranges are named after the fused model's tensors.
	Unfused bool
	// Float runs every convolution of the recogniser in floats, without
	// quantizeModel's rewrite (for calibration and the test that compares
	// the two). KTPOCR_FLOAT=1 sets it.
	Float bool
}

// WithDefaults returns cfg with every unset field given its default.
func (cfg Config) WithDefaults() Config {
	if cfg.Home == "" {
		cfg.Home = os.Getenv("KTPOCR_HOME")
	}
	if cfg.Home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			cfg.Home = filepath.Join(h, ".local", "share", "ktpocr")
		}
	}
	def := func(p *string, rel string) {
		if *p == "" {
			*p = filepath.Join(cfg.Home, rel)
		}
	}
	// KTPOCR_FLOAT=1 keeps the recogniser in floats everywhere (operators
	// who want every read at full precision, at about 20 % more time).
	if os.Getenv("KTPOCR_FLOAT") == "1" {
		cfg.Float = true
	}
	def(&cfg.LibraryPath, "lib/libonnxruntime.so")
	def(&cfg.DetModel, "models/det.onnx")
	def(&cfg.RecModel, "models/rec.onnx")
	def(&cfg.Dict, "models/keys.txt")
	if cfg.IntraOpThreads == 0 {
		cfg.IntraOpThreads = 1
	}
	if cfg.DetMaxSide == 0 {
		cfg.DetMaxSide = 960
	}
	return cfg
}

func (cfg Config) validate() error {
	for _, f := range []struct{ field, path string }{
		{"LibraryPath", cfg.LibraryPath},
		{"DetModel", cfg.DetModel},
		{"RecModel", cfg.RecModel},
		{"Dict", cfg.Dict},
	} {
		st, err := os.Stat(f.path)
		if err != nil {
			return fmt.Errorf("ppocr: %s %s: %w (run scripts/setup.sh to install the OCR engine)", f.field, f.path, missing(err))
		}
		if st.IsDir() {
			return fmt.Errorf("ppocr: %s %s is a directory, not a file (run scripts/setup.sh to install the OCR engine)", f.field, f.path)
		}
	}
	if cfg.IntraOpThreads < 0 {
		return fmt.Errorf("ppocr: IntraOpThreads %d is negative", cfg.IntraOpThreads)
	}
	if cfg.DetMaxSide < 32 {
		return fmt.Errorf("ppocr: DetMaxSide %d is below 32", cfg.DetMaxSide)
	}
	return nil
}

// ErrMissingFile is wrapped by Open's error when an engine file is absent.
var ErrMissingFile = errors.New("engine file not found")

func missing(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return ErrMissingFile
	}
	return err
}

// The ONNX Runtime environment is process-wide: it is initialised once, from
// the library path of the first Open, and never torn down, because sessions
// of other Engines may still use it.
var (
	envOnce sync.Once
	envLib  string
	envErr  error
)

func initEnv(lib string) error {
	envOnce.Do(func() {
		envLib = lib
		ort.SetSharedLibraryPath(lib)
		if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
			envErr = fmt.Errorf("ppocr: initialising ONNX Runtime from %s: %w (ONNX Runtime 1.24 or newer is needed; run scripts/setup.sh)", lib, err)
		}
	})
	if envErr == nil && lib != envLib {
		// The runtime is loaded once per process; a second library cannot
		// replace it. Saying so beats silently using the first one.
		if a, b := absPath(lib), absPath(envLib); a != b {
			return fmt.Errorf("ppocr: ONNX Runtime is already loaded from %s; cannot load %s too", envLib, lib)
		}
	}
	return envErr
}

func absPath(p string) string {
	if a, err := filepath.EvalSymlinks(p); err == nil {
		p = a
	}
	if a, err := filepath.Abs(p); err == nil {
		p = a
	}
	return p
}

// Engine is the PP-OCRv4 detector and recogniser. It is safe for concurrent
// use; Close it once no call is running.
type Engine struct {
	cfg Config
	det *ort.DynamicAdvancedSession
	rec *ort.DynamicAdvancedSession
	// precise is the recogniser in floats when rec runs quantized
	// (RecognizeOptions.Precise), else rec itself.
	precise *ort.DynamicAdvancedSession
	dict    []string // class i+1 of the recogniser is dict[i]; the class after the last is a space

	// Class tables of vocabulary reads (vocab.go), built on first use.
	vocabOnce   sync.Once
	classesOf   map[rune][]int
	skipClasses []int

	// tap, when set, sees each recogniser input before it runs
	// (calibration).
	tap func(in []float32, n, w int)

	closeOnce sync.Once
}

var _ ocr.Engine = (*Engine)(nil)

// Open loads the runtime (once per process), the dictionary and both models.
// A missing file gives an error naming it and wrapping ErrMissingFile.
func Open(cfg Config) (*Engine, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	dict, err := loadDict(cfg.Dict)
	if err != nil {
		return nil, err
	}
	if err := initEnv(cfg.LibraryPath); err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, dict: dict}
	if e.det, err = newSession(cfg, cfg.DetModel, []string{detInput}, []string{detOutput}); err != nil {
		return nil, err
	}
	if err := e.openRec(cfg); err != nil {
		e.det.Destroy()
		return nil, err
	}
	return e, nil
}

// openRec makes the recogniser's sessions: the float one, and when the
// CPU and Config allow, the 8-bit one beside it, both from one read and
// fusion of the model.
func (e *Engine) openRec(cfg Config) error {
	fused, err := loadModel(cfg, cfg.RecModel)
	if err != nil {
		return err
	}
	if e.precise, err = sessionOf(cfg, cfg.RecModel, fused, []string{recInput}, []string{recOutput}); err != nil {
		return err
	}
	e.rec = e.precise
	if cfg.Float || cfg.Unfused || !dotProducts() {
		return nil
	}
	ranges, err := recRanges()
	var q []byte
	if err == nil {
		q, _, err = quantizeModel(fused, ranges)
	}
	if err == nil {
		e.rec, err = sessionOf(cfg, cfg.RecModel, q, []string{recInput}, []string{recOutput})
	}
	if err != nil {
		e.precise.Destroy()
		return err
	}
	return nil
}

// Tensor names of the PP-OCRv4 inference models exported by PaddleOCR.
const (
	detInput  = "x"
	detOutput = "sigmoid_0.tmp_0"
	recInput  = "x"
	recOutput = "softmax_11.tmp_0"
)

// dotProducts reports whether the CPU multiplies 8-bit integers with
// dot-product instructions (x86 VNNI, ARM dot product), where the 8-bit
// recogniser is both fast and exact in its sums. Without them ONNX Runtime
// falls back to 16-bit intermediate sums that can saturate with full-range
// int8 weights, so the recogniser stays in floats there.
func dotProducts() bool {
	return cpu.X86.HasAVX512VNNI || cpu.X86.HasAVXVNNI || cpu.ARM64.HasASIMDDP
}

// newSession loads model, fused, into a session with inputs ins and
// outputs outs.
func newSession(cfg Config, model string, ins, outs []string) (*ort.DynamicAdvancedSession, error) {
	data, err := loadModel(cfg, model)
	if err != nil {
		return nil, err
	}
	return sessionOf(cfg, model, data, ins, outs)
}

// loadModel reads model and, unless cfg.Unfused, rewrites it with
// fuseModel.
func loadModel(cfg Config, model string) ([]byte, error) {
	data, err := os.ReadFile(model)
	if err != nil {
		return nil, fmt.Errorf("ppocr: %w", err)
	}
	if !cfg.Unfused {
		if data, _, err = fuseModel(data); err != nil {
			return nil, fmt.Errorf("ppocr: %s: %w", model, err)
		}
	}
	return data, nil
}

// sessionOf makes a session of the model data.
func sessionOf(cfg Config, model string, data []byte, ins, outs []string) (*ort.DynamicAdvancedSession, error) {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("ppocr: session options: %w", err)
	}
	defer opts.Destroy()
	if err := opts.SetIntraOpNumThreads(cfg.IntraOpThreads); err != nil {
		return nil, fmt.Errorf("ppocr: %w", err)
	}
	if err := opts.SetInterOpNumThreads(1); err != nil {
		return nil, fmt.Errorf("ppocr: %w", err)
	}
	// Spinning threads burn the other core while they wait for work; on a
	// shared 2-core box that time is taken from the other workers.
	for _, k := range []string{"session.intra_op.allow_spinning", "session.inter_op.allow_spinning"} {
		if err := opts.AddSessionConfigEntry(k, "0"); err != nil {
			return nil, fmt.Errorf("ppocr: session option %s: %w", k, err)
		}
	}
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(data, ins, outs, opts)
	if err != nil {
		return nil, fmt.Errorf("ppocr: loading %s: %w", model, err)
	}
	return s, nil
}

// Close releases the sessions. The runtime itself stays loaded for the
// process. Close is idempotent.
func (e *Engine) Close() error {
	var err error
	e.closeOnce.Do(func() {
		err = errors.Join(e.det.Destroy(), e.rec.Destroy())
		if e.precise != e.rec {
			err = errors.Join(err, e.precise.Destroy())
		}
	})
	return err
}

// run runs one session on in, writing into out (both pre-shaped), and
// aborts the inference when ctx is cancelled.
func run(ctx context.Context, s *ort.DynamicAdvancedSession, in, out ort.Value) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ro, err := ort.NewRunOptions()
	if err != nil {
		return err
	}
	defer ro.Destroy()
	terminated := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		ro.Terminate()
		close(terminated)
	})
	err = s.RunWithOptions([]ort.Value{in}, []ort.Value{out}, ro)
	if !stop() {
		// The runtime was told to stop: wait until Terminate returned
		// before ro is destroyed, and report why the run ended.
		<-terminated
		return ctx.Err()
	}
	return err
}
