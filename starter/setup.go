package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/temporalclient"
	"github.com/guestflow/guestflow/vendors/passcreator"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Schedule intervals; flags of setup.
var intervals struct {
	poll, fullSync, scans time.Duration
	lookback              time.Duration
}

var setupCommand = &command{
	summary: "create or update the schedules, search attributes and Passcreator app configurations (idempotent)",
	flags: func(fs *pflag.FlagSet) {
		fs.DurationVar(&intervals.poll, "poll-interval", 2*time.Minute, "how often each branch's changed arrivals are polled")
		fs.DurationVar(&intervals.fullSync, "full-sync-interval", 15*time.Minute, "how often each branch's arrivals are read in full, to reconcile")
		fs.DurationVar(&intervals.scans, "scan-interval", time.Minute, "how often outlet scans are synced")
		fs.DurationVar(&intervals.lookback, "scan-lookback", time.Hour, "how far before the last scan each sync reads again, for devices that upload late (what the previous run delivered is not delivered again)")
	},
	run: func(ctx context.Context, p *program.Program, args []string) error {
		ns := p.Namespace
		if err := temporalclient.EnsureSearchAttributes(ctx, p.Temporal, ns, lifecycle.SearchAttributes); err != nil {
			// Temporal Cloud registers search attributes through its own
			// tools (tcld or the Cloud UI), not the operator API.
			p.Logger.Warn("search attributes not registered here; register them with your Temporal provider", "error", err)
		} else {
			fmt.Printf("search attributes: %d registered on namespace %s\n", len(lifecycle.SearchAttributes), ns)
		}
		if err := ensureAppConfigurations(ctx, p); err != nil {
			return err
		}
		for _, s := range schedules(p.Config) {
			created, err := ensureSchedule(ctx, p.Temporal, s)
			if err != nil {
				return fmt.Errorf("schedule %s: %w", s.ID, err)
			}
			verb := "updated"
			if created {
				verb = "created"
			}
			fmt.Printf("schedule %-28s %s (every %s)\n", s.ID, verb, s.Spec.Intervals[0].Every)
		}
		return nil
	},
}

// schedules are the group's Schedules: per branch a poll of changed
// arrivals, a full reconciling read, and a scan sync of its outlets.
func schedules(cfg *config.Group) []client.ScheduleOptions {
	var out []client.ScheduleOptions
	every := func(d time.Duration) client.ScheduleSpec {
		return client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: d}}}
	}
	add := func(id string, interval time.Duration, workflow string, arg any) {
		out = append(out, client.ScheduleOptions{
			ID:   id,
			Spec: every(interval),
			Action: &client.ScheduleWorkflowAction{
				ID: id, Workflow: workflow, Args: []any{arg}, TaskQueue: lifecycle.TaskQueue,
				WorkflowRunTimeout: 30 * time.Minute,
			},
			// A poll still running when the next is due makes the next one
			// pointless; after an outage one catch-up run is enough.
			Overlap:       enums.SCHEDULE_OVERLAP_POLICY_SKIP,
			CatchupWindow: 10 * time.Minute,
			Note:          "managed by starter setup",
		})
	}
	for _, id := range cfg.BranchIDs {
		b := cfg.Branches[id]
		add("arrivals/"+id, intervals.poll, lifecycle.PollArrivalsWorkflowName,
			lifecycle.PollArrivals{BranchID: id, TimeZone: b.TimeZone})
		add("arrivals-full/"+id, intervals.fullSync, lifecycle.PollArrivalsWorkflowName,
			lifecycle.PollArrivals{BranchID: id, TimeZone: b.TimeZone, Full: true})
		if b.PasscreatorAppConfigurationID != "" {
			add("scans/"+id, intervals.scans, lifecycle.SyncScansWorkflowName,
				lifecycle.SyncScans{AppConfigurationID: b.PasscreatorAppConfigurationID, Lookback: intervals.lookback})
		}
	}
	return out
}

// ensureSchedule creates the schedule, or brings an existing one to the
// desired spec and action, keeping its state (paused or not).
func ensureSchedule(ctx context.Context, c client.Client, s client.ScheduleOptions) (created bool, err error) {
	_, err = c.ScheduleClient().Create(ctx, s)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return false, err
	}
	h := c.ScheduleClient().GetHandle(ctx, s.ID)
	return false, h.Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			sched := in.Description.Schedule
			sched.Spec = &s.Spec
			sched.Action = s.Action
			sched.Policy = &client.SchedulePolicies{Overlap: s.Overlap, CatchupWindow: s.CatchupWindow}
			return &client.ScheduleUpdate{Schedule: &sched}, nil
		},
	})
}

// ensureAppConfigurations checks each branch's Passcreator app
// configuration and its transaction-value property, and creates one for a
// branch that has none configured yet.
func ensureAppConfigurations(ctx context.Context, p *program.Program) error {
	cfg := p.Config
	pc := passcreator.New(passcreator.Options{APIKey: cfg.Passcreator.APIKey.Value(), BaseURL: cfg.Passcreator.BaseURL, Logger: p.Logger})
	for _, id := range cfg.BranchIDs {
		b := cfg.Branches[id]
		if b.PasscreatorAppConfigurationID == "" {
			created, err := pc.CreateAppConfiguration(ctx, passcreator.NewAppConfiguration{
				Name:     "guestflow " + b.Name,
				ScanMode: passcreator.ScanModeAttendance,
				AdditionalProperties: []passcreator.NewAdditionalProperty{
					{Name: b.TransactionValueProperty, Type: passcreator.PropertyDouble},
				},
			})
			if err != nil {
				return fmt.Errorf("branch %s: create Passcreator app configuration: %w", id, err)
			}
			if ac, ok := created.Created(); ok {
				fmt.Printf("branch %s: created Passcreator app configuration %s; set passcreator_app_configuration_id = %q in [branches.%s]\n",
					id, ac.ConfigurationID, ac.ConfigurationID, id)
			}
			continue
		}
		ac, err := pc.GetAppConfiguration(ctx, b.PasscreatorAppConfigurationID)
		if vendorhttp.IsStatus(err, 404) {
			return fmt.Errorf("branch %s: Passcreator app configuration %s does not exist (clear the field to have setup create one)", id, b.PasscreatorAppConfigurationID)
		}
		if err != nil {
			return fmt.Errorf("branch %s: read Passcreator app configuration: %w", id, err)
		}
		if _, ok := passcreator.PropertyIDByName(ac.AdditionalProperties, b.TransactionValueProperty); !ok {
			return fmt.Errorf("branch %s: Passcreator app configuration %s has no %q property; add it in Passcreator so outlets can enter the amount",
				id, b.PasscreatorAppConfigurationID, b.TransactionValueProperty)
		}
		fmt.Printf("branch %s: Passcreator app configuration %s has its %q property\n", id, b.PasscreatorAppConfigurationID, b.TransactionValueProperty)
	}
	return nil
}
