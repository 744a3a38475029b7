package wiring

import (
	"fmt"
	"time"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/scenario"
)

// Day is the generated day's settings (the sandbox program's flags).
type Day struct {
	Seed              int64
	ArrivalsPerBranch int
	Date              string // YYYY-MM-DD; empty means today at the first branch
	ArrivalsOverTime  bool
	InstallShare      float64
	// Hooked says the Passquare sandbox has a webhook to tell of installs.
	Hooked bool
}

// DayOptions describe the day from guestflow's configuration, so the
// expectations use the rules each branch runs with.
func DayOptions(g *config.Group, s Day, now time.Time) (scenario.Options, error) {
	o := scenario.Options{
		Seed:              s.Seed,
		ArrivalsPerBranch: s.ArrivalsPerBranch,
		ArrivalsOverTime:  s.ArrivalsOverTime,
		InstallShare:      s.InstallShare,
		Passquare:         scenario.PassquareAccount{AppKey: g.Passquare.AppKey.Value(), Plan: g.Passquare.Plan},
	}
	if !s.Hooked || s.InstallShare == 0 {
		o.InstallShare = -1 // nobody to tell, or nobody installs
	}
	o.Branches = scenario.BranchesOf(g)
	if s.Date != "" {
		d, err := rules.ParseDate(s.Date)
		if err != nil {
			return o, program.UsageError{Err: fmt.Errorf("--day %q is not a YYYY-MM-DD date", s.Date)}
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
