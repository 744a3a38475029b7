package logging_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/guestflow/guestflow/logging"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		opts    logging.Options
		wantErr string
		check   func(t *testing.T, out string)
	}{
		{name: "json by default", opts: logging.Options{Level: "info", Format: "json"}, check: func(t *testing.T, out string) {
			var m map[string]any
			if err := json.Unmarshal([]byte(out), &m); err != nil {
				t.Fatalf("not JSON: %q", out)
			}
			if m["workflow_id"] != "stay-rome-1-2" {
				t.Errorf("workflow_id = %v", m["workflow_id"])
			}
		}},
		{name: "text", opts: logging.Options{Level: "debug", Format: "text"}, check: func(t *testing.T, out string) {
			if !strings.Contains(out, "workflow_id=stay-rome-1-2") {
				t.Errorf("text output %q", out)
			}
		}},
		{name: "level filters", opts: logging.Options{Level: "error", Format: "json"}, check: func(t *testing.T, out string) {
			if out != "" {
				t.Errorf("info logged at level error: %q", out)
			}
		}},
		{name: "bad level", opts: logging.Options{Level: "loud", Format: "json"}, wantErr: "--log-level"},
		{name: "bad format", opts: logging.Options{Level: "info", Format: "xml"}, wantErr: "--log-format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			l, err := logging.New(&buf, tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			l.Info("stage reached", "workflow_id", "stay-rome-1-2")
			tt.check(t, strings.TrimSpace(buf.String()))
		})
	}
}

func TestPersonalDataIsRedacted(t *testing.T) {
	var buf bytes.Buffer
	l, err := logging.New(&buf, logging.Options{Level: "info", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	logging.ForTemporal(l).Info("oops", "phone", "+390612345678", "Email", "a@b.it", "branch_id", "rome")
	out := buf.String()
	for _, pii := range []string{"+390612345678", "a@b.it"} {
		if strings.Contains(out, pii) {
			t.Errorf("log line carries %q: %s", pii, out)
		}
	}
	if !strings.Contains(out, `"branch_id":"rome"`) {
		t.Errorf("ids must still be logged: %s", out)
	}
}
