package cli

import (
	"encoding/json"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ktpocr/ktpocr/internal/bench"
)

func init() { register(newBenchCmd) }

func newBenchCmd() *cobra.Command {
	var (
		opts   bench.Options
		asJSON bool
		limit  int
	)
	cmd := &cobra.Command{
		Use:   "bench DIR",
		Short: "Measure reading accuracy and speed on a set made by ktpocr synth",
		Long: `bench reads every image of DIR (a set written by ktpocr synth) with the real
pipeline and compares the result with the ground truth. It prints exact-match
accuracy per field and per condition, NIK and whole-card exact rates,
quality-flag precision and recall, KTP false accepts and rejects, p50/p95
seconds per image, images per second and peak RSS. When glare washed values
out of some photos (the set's truth lists them), it also prints their share
and the exact rates of the other values: what the reader missed where the
print could still be read.

--ocr-dump DIR writes one NNNN.result.json per image there: the extraction,
its error code and the fields that did not match.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			truths, err := bench.Load(args[0])
			if err != nil {
				return err
			}
			if limit > 0 && limit < len(truths) {
				truths = truths[:limit]
			}
			x, closeX, err := newExtractor(cmd)
			if err != nil {
				return err
			}
			defer closeX()
			bar := progressbar.NewOptions(len(truths),
				progressbar.OptionSetWriter(cmd.ErrOrStderr()),
				progressbar.OptionSetDescription("reading"),
				progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionClearOnFinish(),
			)
			opts.Progress = func() { bar.Add(1) }
			rep, err := bench.Run(cmd.Context(), x, args[0], truths, opts)
			if err != nil {
				return err
			}
			_ = bar.Finish()
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return rep.WriteText(cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Workers, "workers", defaultWorkers(), "images read in parallel")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	f.StringVar(&opts.DumpDir, "ocr-dump", "", "write each image's extraction and mismatches to this directory")
	f.IntVar(&limit, "limit", 0, "read only the first N images (0: all)")
	return cmd
}
