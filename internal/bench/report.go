package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
)

// shortLabel abbreviates condition labels for table headers: blur+dark is
// B+D.
func shortLabel(l string) string {
	switch l {
	case "all", "clean":
		return l
	}
	parts := strings.Split(l, "+")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1])
		}
	}
	return strings.Join(parts, "+")
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.1f", 100*v)
}

// WriteText writes the report as aligned tables: accuracy (percent) per field
// and condition, quality flags, detection and speed.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%d images: %d KTPs, %d negatives; %d workers\n\n", r.Images, r.KTPs, r.Negatives, r.Workers)
	fmt.Fprintln(w, "Exact match, % of KTPs (B blur, D dark, F flashlight, G grayscale):")
	fmt.Fprint(tw, "field\t")
	for _, g := range r.Groups {
		fmt.Fprintf(tw, "%s\t", shortLabel(g.Label))
	}
	fmt.Fprintln(tw)
	fmt.Fprint(tw, "n\t")
	for _, g := range r.Groups {
		fmt.Fprintf(tw, "%d\t", g.N)
	}
	fmt.Fprintln(tw)
	row := func(name string, f func(Group) float64) {
		fmt.Fprintf(tw, "%s\t", name)
		for _, g := range r.Groups {
			fmt.Fprintf(tw, "%s\t", pct(f(g)))
		}
		fmt.Fprintln(tw)
	}
	for _, f := range Fields {
		row(f, func(g Group) float64 { return g.Fields[f] })
	}
	row("NIK exact", func(g Group) float64 { return g.NIKExact })
	row("card exact", func(g Group) float64 { return g.CardExact })
	row("not read", func(g Group) float64 { return float64(g.Rejected) / float64(max(g.N, 1)) })
	row(fmt.Sprintf("sure (conf >= %.1f)", SureConfidence), func(g Group) float64 { return g.Sure })
	row("wrong when sure", func(g Group) float64 { return g.SureWrong })
	if slices.ContainsFunc(r.Groups, func(g Group) bool { return g.Washed > 0 }) {
		// Glare washes some values out of the photo: how the rest read
		// tells the reader's misses from the photo's.
		row("washed by glare", func(g Group) float64 { return g.Washed })
		row("exact, the rest", func(g Group) float64 { return g.LegibleExact })
		row("NIK exact, the rest", func(g Group) float64 { return g.NIKLegibleExact })
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nQuality flags (%d images with flags returned):\n", r.QualityN)
	fmt.Fprintln(tw, "flag\tTP\tFP\tFN\tprecision %\trecall %\t")
	for _, f := range []string{"blur", "dark", "flashlight", "grayscale"} {
		s := r.Quality[f]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t\n", f, s.TP, s.FP, s.FN, pct(s.Precision), pct(s.Recall))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nKTP detection: false accepts %d/%d negatives, false rejects %d/%d KTPs\n",
		r.FalseAccepts, r.Negatives, r.FalseRejects, r.KTPs)
	if len(r.Errors) > 0 {
		var codes []string
		for c, n := range r.Errors {
			codes = append(codes, fmt.Sprintf("%s %d", c, n))
		}
		slices.Sort(codes)
		fmt.Fprintf(w, "Errors: %s\n", strings.Join(codes, ", "))
	}
	if r.Panics > 0 {
		fmt.Fprintf(w, "PANICS: the extractor panicked on %d images (see --ocr-dump)\n", r.Panics)
	}
	s := r.Speed
	_, err := fmt.Fprintf(w, "\nSpeed: p50 %.3f s, p95 %.3f s, mean %.3f s per image; %.2f images/s over %.1f s; peak RSS %.0f MiB\n",
		s.P50Seconds, s.P95Seconds, s.MeanSeconds, s.ImagesPerSecond, s.WallSeconds, s.PeakRSSMB)
	return err
}
