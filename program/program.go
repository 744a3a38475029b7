// Package program is the start-up every guestflow program shares: flags
// with environment fallback, the logger, the group configuration, the
// metrics registry and the Temporal client, so each main.go only wires its
// own part.
package program

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/pflag"
	"go.temporal.io/sdk/client"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/envflag"
	"github.com/guestflow/guestflow/logging"
	"github.com/guestflow/guestflow/payloadcodec"
	"github.com/guestflow/guestflow/telemetry"
	"github.com/guestflow/guestflow/temporalclient"
)

// Flags are the flags every program has.
type Flags struct {
	Config   string
	Log      logging.Options
	Temporal temporalclient.Options
}

// NewFlagSet returns the program's flag set with the shared flags on it.
func NewFlagSet(name string, f *Flags) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringVar(&f.Config, "config", "guestflow.toml", "the hotel group's configuration file")
	f.Log.AddFlags(fs)
	f.Temporal.AddFlags(fs)
	return fs
}

// Program is what a started program has to work with.
type Program struct {
	Logger   *slog.Logger
	Config   *config.Group
	Metrics  *telemetry.Registry
	Temporal client.Client
	// Namespace is the Temporal namespace the client works in.
	Namespace string
	// Codec encrypts payloads; the same one backs the Web UI's codec server.
	Codec *payloadcodec.Codec
}

// Start parses args, then builds the logger, reads the configuration and
// connects (lazily) to Temporal. A bad flag or configuration is returned as
// an error for main to print before exiting non-zero.
func Start(fs *pflag.FlagSet, f *Flags, args []string, stderr io.Writer) (*Program, error) {
	if err := envflag.Parse(fs, args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil, err
		}
		return nil, UsageError{err}
	}
	logger, err := logging.New(stderr, f.Log)
	if err != nil {
		return nil, UsageError{err}
	}
	slog.SetDefault(logger)
	cfg, err := config.Load(f.Config)
	if err != nil {
		return nil, err
	}
	codec, err := cfg.Encryption.Codec()
	if err != nil {
		return nil, err // config.Load has checked the keys already
	}
	logger.Info("payload keys", "encrypting_key_id", codec.KeyID(), "decrypting_key_ids", codec.DecryptKeyIDs())
	metrics := telemetry.NewRegistry()
	opts, err := f.Temporal.ClientOptions(logger, metrics.TemporalHandler(), codec.DataConverter())
	if err != nil {
		return nil, UsageError{err}
	}
	tc, err := temporalclient.Dial(opts)
	if err != nil {
		return nil, err
	}
	return &Program{Logger: logger, Config: cfg, Metrics: metrics, Temporal: tc, Namespace: opts.Namespace, Codec: codec}, nil
}

// Close releases the Temporal connection.
func (p *Program) Close() {
	p.Temporal.Close()
}

// SignalContext ends on SIGINT or SIGTERM, which is how docker, systemd and
// Ctrl-C ask a program to stop.
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// UsageError is a bad flag, environment variable or configuration: no
// restart will fix it, so Exit reports it with status 2.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Exit prints err for an operator and exits: 0 when there is none or help
// was asked for, 2 for a UsageError or *config.Error, 1 otherwise.
func Exit(name string, err error) {
	switch {
	case err == nil, errors.Is(err, pflag.ErrHelp):
		os.Exit(0)
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	var usage UsageError
	var cfg *config.Error
	if errors.As(err, &usage) || errors.As(err, &cfg) {
		os.Exit(2)
	}
	os.Exit(1)
}
