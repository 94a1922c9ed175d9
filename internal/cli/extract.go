package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ktpocr/ktpocr"
)

func init() { register(newExtractCmd) }

// maxImageFile bounds what extract reads of a file: the API's 5 MB image
// limit, plus one byte to tell "exactly at the limit" from "over it".
const maxImageFile = 5<<20 + 1

func newExtractCmd() *cobra.Command {
	var (
		validate bool
		workers  int
		pretty   bool
	)
	cmd := &cobra.Command{
		Use:   "extract FILE|DIR",
		Short: "Read a KTP photo (or every image in a folder) and print the result body as JSON",
		Long: `extract reads one photo and prints, on stdout, the body the sync endpoint
POST /v2/ktp/extract would answer. It exits 0 when a card was read, 1 when the
extraction failed (the body's error_code says why: KTP_NOT_DETECTED, FAIL_ON_1,
INVALID_PAYLOAD_IMAGE_SIZE, INVALID_PAYLOAD_IMAGE_FORMAT, ...).

Given a folder, it reads every .jpg, .jpeg and .png in it with --workers in
parallel, shows progress on stderr, and prints one JSON line per image: the
same body plus "file". It then exits 0 once every image was attempted.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := os.Stat(args[0])
			if err != nil {
				return err
			}
			x, closeX, err := newExtractor(cmd)
			if err != nil {
				return err
			}
			defer closeX()
			opts := ktpocr.ExtractOptions{ValidateQuality: validate}
			if st.IsDir() {
				return extractDir(cmd.Context(), x, args[0], opts, workers, cmd.OutOrStdout(), cmd.ErrOrStderr())
			}
			body := extractFile(cmd.Context(), x, args[0], opts)
			enc := json.NewEncoder(cmd.OutOrStdout())
			if pretty {
				enc.SetIndent("", "  ")
			}
			if err := enc.Encode(body); err != nil {
				return err
			}
			if body.ErrorCode != "" {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&validate, "validate-quality", false, "fail with FAIL_ON_1 when a quality flag (blur, dark, flashlight, grayscale) is set")
	cmd.Flags().IntVar(&workers, "workers", defaultWorkers(), "images read in parallel (folder mode)")
	cmd.Flags().BoolVar(&pretty, "pretty", false, "indent the JSON (single file)")
	return cmd
}

// extractFile reads and extracts one file; every failure is a result body.
func extractFile(ctx context.Context, x ktpocr.Extractor, path string, opts ktpocr.ExtractOptions) ktpocr.ResultBody {
	data, err := readImageFile(path)
	if err != nil {
		return ktpocr.NewResultBody("", nil, err)
	}
	res, err := x.Extract(ctx, data, opts)
	return ktpocr.NewResultBody("", res, err)
}

func readImageFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeImageFormat, "the image file cannot be read")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxImageFile))
	if err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeImageFormat, "the image file cannot be read")
	}
	if len(data) >= maxImageFile {
		return nil, ktpocr.Errorf(ktpocr.CodeImageSize, "image is larger than 5 MB")
	}
	return data, nil
}

// fileResult is one line of folder mode: the result body plus the file name.
type fileResult struct {
	File string `json:"file"`
	ktpocr.ResultBody
}

func extractDir(ctx context.Context, x ktpocr.Extractor, dir string, opts ktpocr.ExtractOptions, workers int, stdout, stderr io.Writer) error {
	files, err := imageFiles(dir)
	if err != nil {
		return err
	}
	if workers < 1 {
		workers = 1
	}
	bar := progressbar.NewOptions(len(files),
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("reading"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
	)
	results := make([]*fileResult, len(files))
	done := make(chan int, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				body := extractFile(ctx, x, filepath.Join(dir, files[i]), opts)
				results[i] = &fileResult{File: files[i], ResultBody: body}
				done <- i
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range files {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()

	// Print in file order as soon as each prefix is complete, so output is
	// deterministic whatever the workers' order.
	enc := json.NewEncoder(stdout)
	printed := 0
	for range done {
		bar.Add(1)
		for printed < len(files) && results[printed] != nil {
			if err := enc.Encode(results[printed]); err != nil {
				return err
			}
			printed++
		}
	}
	bar.Finish()
	if printed < len(files) {
		return errors.Join(ctx.Err(), fmt.Errorf("interrupted after %d of %d images", printed, len(files)))
	}
	return nil
}

// imageFiles lists the .jpg, .jpeg and .png files directly in dir, sorted.
func imageFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !e.Type().IsRegular() && e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".jpg", ".jpeg", ".png":
			files = append(files, e.Name())
		}
	}
	sort.Strings(files)
	return files, nil
}
