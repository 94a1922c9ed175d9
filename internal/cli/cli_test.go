package cli

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

func TestGoStyleFlags(t *testing.T) {
	root := &cobra.Command{Use: "ktpocr"}
	for _, f := range commands {
		root.AddCommand(f())
	}
	tests := []struct{ in, want []string }{
		{[]string{"synth", "-n", "5", "-seed", "7", "-out", "d"}, []string{"synth", "-n", "5", "--seed", "7", "--out", "d"}},
		{[]string{"synth", "-seed=7", "--out", "d"}, []string{"synth", "--seed=7", "--out", "d"}},
		{[]string{"synth", "-o", "d", "-xyz"}, []string{"synth", "-o", "d", "-xyz"}}, // shorthand and unknown left alone
		{[]string{"extract", "-validate-quality", "f.jpg"}, []string{"extract", "--validate-quality", "f.jpg"}},
		{[]string{"extract", "--", "-seed"}, []string{"extract", "--", "-seed"}},
	}
	for _, tt := range tests {
		if got := goStyleFlags(root, tt.in); !cmp.Equal(got, tt.want) {
			t.Errorf("goStyleFlags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
