package main

import (
	"errors"
	"time"

	"github.com/spf13/pflag"

	"github.com/guestflow/guestflow/envflag"
	"github.com/guestflow/guestflow/logging"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/sandbox/wiring"
)

// settings are the program's flags (each with its GUESTFLOW_ environment
// variable).
type settings struct {
	host  string
	ports ports

	config          string // the sandboxes' own options, TOML
	guestflowConfig string

	day     wiring.Day
	speed   float64
	startAt time.Duration

	hook wiring.Hook
	log  logging.Options
}

// ports are where each sandbox listens; 0 picks a free port.
type ports struct {
	passportScan, mews, passquare, passcreator int
}

func parseSettings(args []string) (settings, error) {
	var s settings
	fs := pflag.NewFlagSet("sandbox", pflag.ContinueOnError)
	fs.SortFlags = false
	fs.StringVar(&s.host, "host", "127.0.0.1", "address the sandboxes listen on")
	fs.IntVar(&s.ports.passportScan, "passportscan-port", 18101, "PassportScan sandbox port")
	fs.IntVar(&s.ports.mews, "mews-port", 18102, "Mews sandbox port")
	fs.IntVar(&s.ports.passquare, "passquare-port", 18103, "Passquare sandbox port (serving /api/v2)")
	fs.IntVar(&s.ports.passcreator, "passcreator-port", 18104, "Passcreator sandbox port")
	fs.StringVar(&s.config, "config", "", "TOML file with the sandboxes' own options: [passportscan], [mews], [passquare], [passcreator], each with [*.faults]")
	fs.StringVar(&s.guestflowConfig, "guestflow-config", "devstack/guestflow.toml", "guestflow's configuration: the branches and credentials the sandboxes accept")
	fs.Int64Var(&s.day.Seed, "seed", 1, "seed of the generated day; the same seed gives the same day")
	fs.IntVar(&s.day.ArrivalsPerBranch, "arrivals-per-branch", 20, "reservations arriving at each branch (1 to 4 guests each)")
	fs.StringVar(&s.day.Date, "day", "", "arrival date YYYY-MM-DD (default today at the first branch)")
	fs.Float64Var(&s.speed, "speed", 60, "simulated time per real time: 60 plays an hour a minute, 1 is real time")
	fs.DurationVar(&s.startAt, "start-at", 6*time.Hour, "simulated time of day the play starts from; earlier events happen at once")
	fs.BoolVar(&s.day.ArrivalsOverTime, "arrivals-over-time", true, "put guests on PassportScan at their check-in time instead of all at the start")
	fs.Float64Var(&s.day.InstallShare, "install-share", 0.8, "part of the issued cards guests install (needs --hook-url)")
	fs.StringVar(&s.hook.URL, "hook-url", "", "guestflow's Passquare webhook; empty: cards are never installed")
	fs.StringVar(&s.hook.CRMKey, "hook-crm-key", "", "crm_key Passquare sends in hook bodies")
	fs.StringVar(&s.hook.User, "hook-user", "", "HTTP Basic user of the hook calls")
	fs.StringVar(&s.hook.Password, "hook-password", "", "HTTP Basic password of the hook calls")
	fs.StringToStringVar(&s.hook.Headers, "hook-header", nil, "headers of the hook calls, e.g. X-organization-id=42")
	s.log.AddFlags(fs)
	// GUESTFLOW_CONFIG is guestflow's file for every program of the dev
	// stack, so it feeds --guestflow-config, not the sandboxes' own file.
	envflag.Env(fs, "config", "GUESTFLOW_SANDBOX_CONFIG")
	envflag.Env(fs, "guestflow-config", "GUESTFLOW_CONFIG")

	if err := envflag.Parse(fs, args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return s, err
		}
		return s, program.UsageError{Err: err}
	}
	switch {
	case s.speed <= 0:
		return s, program.UsageError{Err: errors.New("--speed must be positive")}
	case s.day.ArrivalsPerBranch < 0:
		return s, program.UsageError{Err: errors.New("--arrivals-per-branch must not be negative")}
	case s.startAt < 0 || s.startAt >= 24*time.Hour:
		return s, program.UsageError{Err: errors.New("--start-at must be a time of day, 0 to 24h")}
	case s.day.InstallShare < 0 || s.day.InstallShare > 1:
		return s, program.UsageError{Err: errors.New("--install-share must be between 0 and 1")}
	}
	return s, nil
}
