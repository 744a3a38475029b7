package main

import (
	"fmt"
	"time"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/scenario"
)

// scenarioOptions describe the day from guestflow's configuration, so the
// expectations use the rules each branch runs with.
func scenarioOptions(g *config.Group, s settings, now time.Time) (scenario.Options, error) {
	o := scenario.Options{
		Seed:              s.seed,
		ArrivalsPerBranch: s.arrivals,
		ArrivalsOverTime:  s.arrivalsOverTime,
		InstallShare:      s.installShare,
		Passquare:         scenario.PassquareAccount{AppKey: g.Passquare.AppKey.Value(), Plan: g.Passquare.Plan},
	}
	if s.hook.url == "" || s.installShare == 0 {
		o.InstallShare = -1 // nobody to tell, or nobody installs
	}
	o.Branches = scenario.BranchesOf(g)
	if s.day != "" {
		d, err := rules.ParseDate(s.day)
		if err != nil {
			return o, program.UsageError{Err: fmt.Errorf("--day %q is not a YYYY-MM-DD date", s.day)}
		}
		o.Day = d
	} else if len(g.BranchIDs) > 0 {
		o.Day = rules.Today(now, g.Branches[g.BranchIDs[0]].Location)
	}
	if err := o.Validate(); err != nil {
		return o, program.UsageError{Err: err}
	}
	return o, nil
}
