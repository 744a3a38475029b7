package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/logging"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/sandbox/wiring"
	"github.com/guestflow/guestflow/scenario"
	"github.com/guestflow/guestflow/telemetry"
)

// stack is the four sandboxes listening, seeded with the day.
type stack struct {
	logger    *slog.Logger
	sandboxes scenario.Sandboxes
	servers   []server
	day       *scenario.Day
	clock     scenario.Clock
}

// server is one sandbox on its listener.
type server struct {
	vendor  string
	path    string // where the API lives under the address
	handler http.Handler
	port    int // 0 picks a free one
	ln      net.Listener
}

func (s server) url() string { return "http://" + s.ln.Addr().String() + s.path }

// newStack builds, seeds and binds the sandboxes; run serves them.
func newStack(s settings, stderr io.Writer) (*stack, error) {
	gin.SetMode(gin.ReleaseMode) // the route table is no news to an operator
	logger, err := logging.New(stderr, s.log)
	if err != nil {
		return nil, program.UsageError{Err: err}
	}
	g, err := config.Load(s.guestflowConfig)
	if err != nil {
		return nil, err
	}
	opts, err := wiring.ReadOptions(s.config)
	if err != nil {
		return nil, err
	}
	opts.AcceptGuestflow(g, s.day.Seed, s.hook)
	s.day.Hooked = s.hook.URL != ""
	dayOpts, err := wiring.DayOptions(g, s.day, time.Now())
	if err != nil {
		return nil, err
	}

	if opts.Passcreator.TimeZone != "" {
		if _, err := time.LoadLocation(opts.Passcreator.TimeZone); err != nil {
			return nil, program.UsageError{Err: fmt.Errorf("passcreator time zone %q does not load", opts.Passcreator.TimeZone)}
		}
	}
	st := &stack{
		logger:    logger,
		sandboxes: opts.Sandboxes(),
		day:       scenario.Generate(dayOpts),
	}
	if err := st.day.Seed(st.sandboxes); err != nil {
		return nil, err
	}
	st.clock = scenario.NewClock(st.day.Start.Add(s.startAt), s.speed)

	for _, sv := range []server{
		{vendor: "PassportScan", handler: st.sandboxes.PassportScan, port: s.ports.passportScan},
		{vendor: "Mews", handler: st.sandboxes.Mews, port: s.ports.mews},
		{vendor: "Passquare", path: "/api/v2", handler: st.sandboxes.Passquare, port: s.ports.passquare},
		{vendor: "Passcreator", handler: st.sandboxes.Passcreator, port: s.ports.passcreator},
	} {
		ln, err := net.Listen("tcp", net.JoinHostPort(s.host, strconv.Itoa(sv.port)))
		if err != nil {
			st.close()
			return nil, fmt.Errorf("%s sandbox: %w", sv.vendor, err)
		}
		sv.ln = ln
		st.servers = append(st.servers, sv)
	}
	e := st.day.Expected()
	logger.Info("day seeded", "day", dayOpts.Day.String(), "seed", s.day.Seed, "branches", len(dayOpts.Branches),
		"reservations", len(st.day.Reservations), "guests", e.Guests, "events", len(st.day.Timeline()),
		"expected_cards", e.Cards, "expected_awaiting_document", e.AwaitingDocument,
		"speed", s.speed, "hook", s.hook.URL != "")
	return st, nil
}

func (st *stack) close() {
	for _, sv := range st.servers {
		_ = sv.ln.Close()
	}
}

func (st *stack) printAddresses(w io.Writer) {
	for _, sv := range st.servers {
		fmt.Fprintf(w, "%-13s %s\n", sv.vendor, sv.url())
		st.logger.Info("sandbox listening", "vendor", sv.vendor, "url", sv.url())
	}
}

// run serves every sandbox and plays the day until ctx ends, then shuts
// the servers down gracefully. A server that fails stops the others.
func (st *stack) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(st.servers))
	for i, sv := range st.servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := telemetry.Serve(ctx, sv.ln, sv.handler); err != nil {
				errs[i] = fmt.Errorf("%s sandbox: %w", sv.vendor, err)
				cancel()
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := st.day.Play(ctx, st.sandboxes, st.clock, st.report); err == nil {
			st.logger.Info("timeline played; the sandboxes keep serving")
		}
	}()
	wg.Wait()
	st.logger.Info("sandboxes stopped")
	return errors.Join(errs...)
}

// report logs an applied event by its ids: the event itself carries the
// guest's phone, which never goes into a log.
func (st *stack) report(a scenario.Applied) {
	attrs := []any{"kind", a.Event.Kind, "branch_id", a.Event.BranchID, "reservation_id", a.Event.ReservationID,
		"simulated_at", a.At.Format(time.RFC3339)}
	if a.Event.CustomerID != 0 {
		attrs = append(attrs, "customer_id", a.Event.CustomerID)
	}
	if a.AppScanID != "" {
		attrs = append(attrs, "app_scan_id", a.AppScanID)
	}
	if a.Err != nil {
		st.logger.Warn("event not applied", append(attrs, "error", a.Err)...)
		return
	}
	st.logger.Info("event applied", attrs...)
}
