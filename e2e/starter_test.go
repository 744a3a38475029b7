package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	ps "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
)

// starter runs the starter program against the stack.
func (s *stack) starter(bin string, args ...string) (int, string) {
	s.t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TEMPORAL_ADDRESS="+server.FrontendHostPort(), "TEMPORAL_NAMESPACE="+s.namespace,
		"GUESTFLOW_CONFIG="+s.configFile, "GUESTFLOW_LOG_LEVEL=error")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), string(out)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	return 0, string(out)
}

func (s *stack) mustStarter(bin string, want string, args ...string) string {
	s.t.Helper()
	code, out := s.starter(bin, args...)
	if code != 0 || !strings.Contains(out, want) {
		s.t.Fatalf("starter %s: exit %d, want %q in:\n%s", strings.Join(args, " "), code, want, out)
	}
	return out
}

// Every starter subcommand against a running system.
func TestStarterSubcommands(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "starter")
	if out, err := exec.Command("go", "build", "-o", bin, "../starter").CombinedOutput(); err != nil {
		t.Fatalf("build starter: %v\n%s", err, out)
	}
	s := newStack(t)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, id := range []string{"arrivals/rome", "arrivals-full/rome", "scans/rome"} {
			_ = s.client.ScheduleClient().GetHandle(ctx, id).Delete(ctx)
		}
	})
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(2).String()
	s.passport.PutReservation("101", ps.Reservation{ID: 9001, ArrivalDate: today.String(), DepartureDate: &departure,
		CustomerReservations: []ps.CustomerReservation{
			guest(91, "Chiara", "Conti", "+393402223344", func(c *ps.Customer) {
				c.LastDocument.ExpirationDate = ptr(today.AddDays(-30).String())
			}),
			guest(92, "Dario", "Conti", "", nil),
		}})
	expired := lifecycle.StayWorkflowID("rome", 9001, 91)
	noPhone := lifecycle.StayWorkflowID("rome", 9001, 92)

	s.mustStarter(bin, "schedule arrivals/rome", "setup", "--poll-interval", "1h", "--full-sync-interval", "2h", "--scan-interval", "1h")
	s.mustStarter(bin, "updated", "setup", "--poll-interval", "1h", "--full-sync-interval", "2h", "--scan-interval", "1h")
	s.mustStarter(bin, "triggered arrivals-full/rome", "poll-now", "--branch", "rome")
	s.waitStage(expired, lifecycle.StageNeedsAttention)
	s.waitStage(noPhone, lifecycle.StageNoWallet)

	s.eventually("guests lists the stuck guest", 15*time.Second, func() error {
		_, out := s.starter(bin, "guests", "--stage", "NeedsAttention", "--branch", "rome")
		if !strings.Contains(out, expired) || !strings.Contains(out, "DocumentExpired") {
			return errors.New(out)
		}
		return nil
	})
	s.mustStarter(bin, `"stage": "NeedsAttention"`, "status", expired)

	code, out := s.starter(bin, "approve", noPhone, "--by", "front-desk", "--reason", "looked fine")
	if code != 1 || !strings.Contains(out, "refused") {
		t.Errorf("approving a guest with nothing to approve: exit %d\n%s", code, out)
	}
	s.mustStarter(bin, "accepted", "approve", expired, "--by", "front-desk", "--reason", "passport renewal shown")
	s.waitStage(expired, lifecycle.StageWalletIssued)
	s.mustStarter(bin, "accepted", "skip-wallet", noPhone, "--by", "front-desk", "--reason", "guest declined")
	s.mustStarter(bin, "accepted", "retry", noPhone, "--by", "it-desk", "--reason", "check again")
	s.waitStage(noPhone, lifecycle.StageNoWallet)
	if st, _ := s.status(noPhone); st.NoWallet != lifecycle.ReasonWalletSkipped {
		t.Errorf("after skip-wallet: no-wallet reason %s", st.NoWallet)
	}

	from := today.String()
	s.mustStarter(bin, "guests 2", "backfill", "--branch", "rome", "--from", from, "--to", from)
	s.eventually("report counts the two guests", 15*time.Second, func() error {
		_, out := s.starter(bin, "report", "--branch", "rome", "--date", from)
		if !strings.Contains(out, "arrivals 2") || !strings.Contains(out, "NoWallet 1") {
			return errors.New(out)
		}
		return nil
	})
	s.mustStarter(bin, `"arrivals": 2`, "report", "--output", "json")
	s.mustStarter(bin, "replays deterministically", "replay", "--history", "../workflows/testdata/histories/stay.json")

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"status", "stay/rome/1/1"}, 1, "no running stay"},
		{[]string{"approve", expired}, 2, "--by and --reason are required"},
		{[]string{"backfill", "--branch", "paris", "--from", from, "--to", from}, 2, `"paris" is not in`},
		{[]string{"guests", "--stage", "x' OR '1'='1"}, 2, "letters, digits and dashes"},
		{[]string{"report", "--output", "xml"}, 2, "table or json"},
		{[]string{"report", "--date", "23/11/2026"}, 2, "YYYY-MM-DD"},
		{[]string{"no-such-command"}, 2, "unknown subcommand"},
		{[]string{"approve", "--help"}, 0, "--reason"},
	} {
		code, out := s.starter(bin, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.want) {
			t.Errorf("starter %s: exit %d, want %d and %q:\n%s", strings.Join(tt.args, " "), code, tt.code, tt.want, out)
		}
	}
}
