// Package cli wires ktpocr together: it reads flags and KTPOCR_* environment,
// opens the engine, storage and queue, and runs the subcommands. It is the
// only package that imports adapters.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
)

// commands holds the constructors of the subcommands; each subcommand's file
// registers itself in init so that files can be added without touching this one.
var commands []func() *cobra.Command

func register(f func() *cobra.Command) { commands = append(commands, f) }

// exitError carries a process exit code out of a subcommand.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main runs the CLI with args and returns the process exit code.
func Main(args []string) int {
	root := &cobra.Command{
		Use:           "ktpocr",
		Short:         "Read Indonesian e-KTP photos: CLI and Verihubs-compatible service",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	for _, f := range commands {
		root.AddCommand(f())
	}
	root.SetArgs(goStyleFlags(root, args))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := root.ExecuteContext(ctx); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		fmt.Fprintln(os.Stderr, "ktpocr:", err)
		return 1
	}
	return 0
}

// goStyleFlags accepts Go-style single-dash long flags ("-seed 7", "-out
// DIR") as well as "--seed": each "-name" or "-name=value" whose name is a
// long flag of the subcommand is rewritten to "--name". Without this, pflag
// would read "-out DIR" as the shorthand -o with the value "ut".
func goStyleFlags(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		return args
	}
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "--" {
			copy(out[i:], args[i:])
			break
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' {
			name, _, _ := strings.Cut(a[1:], "=")
			if len(name) > 1 && cmd.Flags().Lookup(name) != nil {
				out[i] = "-" + a
			}
		}
	}
	return out
}
