package cli

import (
	"fmt"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ktpocr/ktpocr/internal/synth"
)

func init() { register(newSynthCmd) }

func newSynthCmd() *cobra.Command {
	var opts synth.Options
	cmd := &cobra.Command{
		Use:   "synth -n N --seed S --out DIR",
		Short: "Render photographs of synthetic e-KTPs and other documents with ground truth",
		Long: `synth renders N photographed synthetic e-KTPs (and non-KTP negatives) into
DIR as NNNN.jpg with NNNN.json ground truth, plus DIR/truth.jsonl. The same seed
gives the same files. These are the only images ktpocr is tested with.

--mix "default" is ~45 % clean cards, ~40 % degraded ones spread over blur,
dark, flashlight, grayscale and the combinations blur+dark,
flashlight+grayscale, dark+grayscale, blur+flashlight, blur+grayscale, and ~15 %
negatives. Otherwise give comma-separated categories that share the set
equally: clean, negative, a negative kind (letter, npwp, sim, receipt, photo,
parody) or a condition label (blur, blur+dark, ...).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Dir == "" {
				return fmt.Errorf("synth: --out DIR is required")
			}
			bar := progressbar.NewOptions(opts.N,
				progressbar.OptionSetWriter(cmd.ErrOrStderr()),
				progressbar.OptionSetDescription("rendering"),
				progressbar.OptionShowCount(),
				progressbar.OptionClearOnFinish(),
			)
			opts.Progress = func() { bar.Add(1) }
			truths, err := synth.Generate(opts)
			if err != nil {
				return err
			}
			_ = bar.Finish()
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %d images and truth.jsonl to %s\n", len(truths), opts.Dir)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVarP(&opts.N, "n", "n", 100, "number of images")
	f.Uint64Var(&opts.Seed, "seed", 1, "random seed; the same seed gives the same files")
	f.StringVarP(&opts.Dir, "out", "o", "", "output directory (created if missing)")
	f.StringVar(&opts.Mix, "mix", "default", "sample mix: default, or comma-separated categories")
	f.IntVar(&opts.MaxWidth, "max-width", 1600, "largest photo width (1000-1600); widths are drawn from 1000 to it")
	f.IntVar(&opts.Workers, "workers", defaultWorkers(), "images rendered in parallel")
	return cmd
}
