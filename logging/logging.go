// Package logging builds the one slog.Logger a guestflow program uses, and
// hands the same logger to the Temporal SDK so worker and client logs share
// level, format and redaction.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/pflag"
	sdklog "go.temporal.io/sdk/log"
)

// Options are the logging flags every program has.
type Options struct {
	Level  string
	Format string
}

// AddFlags registers --log-level and --log-format. Production logs JSON by
// default; the dev stack passes --log-format=text.
func (o *Options) AddFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.Level, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&o.Format, "log-format", "json", "log format: json or text")
}

// New returns a logger writing to w.
func New(w io.Writer, o Options) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.Level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", o.Level)
	}
	ho := &slog.HandlerOptions{Level: level, ReplaceAttr: redact}
	switch strings.ToLower(o.Format) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, ho)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, ho)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want json or text", o.Format)
}

// ForTemporal adapts the logger for client.Options.Logger and worker logs.
func ForTemporal(l *slog.Logger) sdklog.Logger {
	return sdklog.NewStructuredLogger(l)
}

// personalKeys are attribute names that would carry personal data. Code must
// log ids instead; this is the net under that rule, not the rule itself.
var personalKeys = map[string]bool{
	"name": true, "first_name": true, "last_name": true, "surname": true, "middlename": true,
	"email": true, "phone": true, "birth_date": true, "birthday": true,
	"document_number": true, "address": true,
}

// Redacted replaces the value of an attribute whose key names personal data.
const Redacted = "[redacted]"

func redact(_ []string, a slog.Attr) slog.Attr {
	if personalKeys[strings.ToLower(a.Key)] {
		return slog.String(a.Key, Redacted)
	}
	return a
}
