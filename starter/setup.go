package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
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
		cfg := p.Config
		pc := passcreator.New(passcreator.Options{APIKey: cfg.Passcreator.APIKey.Value(), BaseURL: cfg.Passcreator.BaseURL, Logger: p.Logger})
		if err := ensureAppConfigurationsRetrying(ctx, pc, cfg, os.Stdout, p.Logger); err != nil {
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
			lifecycle.PollArrivals{BranchID: id, TimeZone: b.TimeZone, Full: true, LateDocumentDays: b.LateDocumentDays})
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

// AppConfigurationName is the name setup gives, and looks for, a branch's
// Passcreator app configuration: the branch id, which is unique in the
// group's file and does not change when the hotel is renamed.
func AppConfigurationName(branchID string) string { return "guestflow " + branchID }

// setupBackoff is how long setup waits out a vendor that is down, slow or
// rate limiting before it gives up: six calls over about half a minute.
var setupBackoff = vendorhttp.Backoff{First: time.Second, Max: 16 * time.Second, Attempts: 6}

// ensureAppConfigurationsRetrying runs ensureAppConfigurations again after a
// transient vendor failure (5xx, 429, no answer), within setupBackoff; a
// refusal (401, 403, 404, a configuration without its property) stops at
// once. A run that failed half way is simply run again, as ensure finds
// before it creates; only the run that succeeded prints.
func ensureAppConfigurationsRetrying(ctx context.Context, pc *passcreator.Client, cfg *config.Group, out io.Writer, logger *slog.Logger) error {
	var printed bytes.Buffer
	err := vendorhttp.Retry(ctx, setupBackoff, func(ctx context.Context) error {
		printed.Reset()
		return ensureAppConfigurations(ctx, pc, cfg, &printed)
	}, func(err error, wait time.Duration) {
		logger.Warn("Passcreator failed for now; setup tries again", "error", err, "wait", wait)
	})
	if err != nil {
		return err
	}
	_, err = printed.WriteTo(out)
	return err
}

// ensureAppConfigurations checks each branch's Passcreator app
// configuration and its transaction-value property. For a branch without
// one configured it finds its own by name (AppConfigurationName) before it
// creates one, so every run after the first creates nothing, and prints
// the id to put in the configuration file.
func ensureAppConfigurations(ctx context.Context, pc *passcreator.Client, cfg *config.Group, out io.Writer) error {
	var listed []passcreator.AppConfiguration
	listedOnce := false
	for _, id := range cfg.BranchIDs {
		b := cfg.Branches[id]
		if b.PasscreatorAppConfigurationID != "" {
			ac, err := pc.GetAppConfiguration(ctx, b.PasscreatorAppConfigurationID)
			if vendorhttp.IsStatus(err, 404) {
				return fmt.Errorf("branch %s: Passcreator app configuration %s does not exist (clear the field to have setup find or create %q)",
					id, b.PasscreatorAppConfigurationID, AppConfigurationName(id))
			}
			if err != nil {
				return fmt.Errorf("branch %s: read Passcreator app configuration: %w", id, err)
			}
			if err := hasTransactionValue(id, *ac, b.TransactionValueProperty); err != nil {
				return err
			}
			fmt.Fprintf(out, "branch %s: Passcreator app configuration %s has its %q property\n", id, ac.ConfigurationID, b.TransactionValueProperty)
			continue
		}
		if !listedOnce {
			var err error
			if listed, err = pc.ListAppConfigurations(ctx); err != nil {
				return fmt.Errorf("list Passcreator app configurations: %w", err)
			}
			listedOnce = true
		}
		ac, found, err := ownAppConfiguration(id, listed)
		if err != nil {
			return err
		}
		verb := "found"
		if !found {
			created, err := pc.CreateAppConfiguration(ctx, passcreator.NewAppConfiguration{
				Name:     AppConfigurationName(id),
				ScanMode: passcreator.ScanModeAttendance,
				AdditionalProperties: []passcreator.NewAdditionalProperty{
					{Name: b.TransactionValueProperty, Type: passcreator.PropertyDouble},
				},
			})
			if err != nil {
				return fmt.Errorf("branch %s: create Passcreator app configuration: %w", id, err)
			}
			if ac, found = created.Created(); !found || ac.ConfigurationID == "" {
				return fmt.Errorf("branch %s: Passcreator created app configuration %q without naming its id; run setup again to find it by name",
					id, AppConfigurationName(id))
			}
			verb = "created"
		}
		if err := hasTransactionValue(id, ac, b.TransactionValueProperty); err != nil {
			return err
		}
		fmt.Fprintf(out, "branch %s: %s Passcreator app configuration %s (%q); set passcreator_app_configuration_id = %q in [branches.%s]\n",
			id, verb, ac.ConfigurationID, ac.Name, ac.ConfigurationID, id)
	}
	return nil
}

// ownAppConfiguration finds the branch's configuration among those listed
// by its name. Two of that name are not guessed between.
func ownAppConfiguration(branchID string, listed []passcreator.AppConfiguration) (passcreator.AppConfiguration, bool, error) {
	name := AppConfigurationName(branchID)
	var mine []passcreator.AppConfiguration
	for _, ac := range listed {
		if ac.Name == name {
			mine = append(mine, ac)
		}
	}
	switch len(mine) {
	case 0:
		return passcreator.AppConfiguration{}, false, nil
	case 1:
		return mine[0], true, nil
	}
	ids := make([]string, len(mine))
	for i, ac := range mine {
		ids[i] = ac.ConfigurationID
	}
	return passcreator.AppConfiguration{}, false, fmt.Errorf("branch %s: %d Passcreator app configurations are named %q (%s); set passcreator_app_configuration_id in [branches.%s] to the one the outlets use",
		branchID, len(mine), name, strings.Join(ids, ", "), branchID)
}

// hasTransactionValue: the configuration asks for the branch's transaction
// value at each scan. Passcreator's API cannot add a property later.
func hasTransactionValue(branchID string, ac passcreator.AppConfiguration, property string) error {
	if _, ok := passcreator.PropertyIDByName(ac.AdditionalProperties, property); !ok {
		return fmt.Errorf("branch %s: Passcreator app configuration %s has no %q property; add it in Passcreator so outlets can enter the amount",
			branchID, ac.ConfigurationID, property)
	}
	return nil
}
