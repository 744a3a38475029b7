package activities

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/pflag"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/mews"
	"github.com/guestflow/guestflow/vendors/passcreator"
	"github.com/guestflow/guestflow/vendors/passportscan"
	"github.com/guestflow/guestflow/vendors/passquare"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// ClientName is how guestflow introduces itself to Mews.
const ClientName = "guestflow 0.1.0"

// Set is every activity struct, built from the group's configuration.
type Set struct {
	PassportScan *PassportScan
	Mews         *Mews
	Passquare    *Passquare
	Passcreator  *Passcreator
	Accounts     *Accounts
}

// FromConfig builds the vendor clients and the activities that use them.
func FromConfig(cfg *config.Group, tc client.Client, reg prometheus.Registerer, logger *slog.Logger) *Set {
	metrics := vendorhttp.NewMetrics(reg)
	httpClient := &http.Client{Transport: http.DefaultTransport}
	ps := &PassportScan{
		Branches: map[string]*passportscan.Client{}, Rules: map[string]lifecycle.BranchRules{}, Temporal: tc,
		Undelivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guestflow_snapshots_undelivered_total",
			Help: "Guests a poll could not hand to their stays in time, by branch; the next poll tries again.",
		}, []string{"branch"}),
		UnknownDocumentTypes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guestflow_passportscan_unknown_document_types_total",
			Help: "Guest snapshots read from PassportScan whose document code is not in [passportscan] document_types, by branch and code (each poll that reads the guest counts again).",
		}, []string{"branch", "code"}),
	}
	reg.MustRegister(ps.Undelivered, ps.UnknownDocumentTypes)
	m := &Mews{Branches: map[string]*mews.Client{},
		DocumentTypes: cfg.PassportScan.DocumentTypes, UnknownDocumentType: mews.DocumentType(cfg.PassportScan.UnknownDocumentType)}
	pc := &Passcreator{
		Client: passcreator.New(passcreator.Options{
			APIKey: cfg.Passcreator.APIKey.Value(), BaseURL: cfg.Passcreator.BaseURL,
			HTTP: httpClient, Metrics: metrics, Logger: logger, Retry: &vendorhttp.InActivity,
		}),
		Location: cfg.Passcreator.Location,
		Temporal: tc,
		Outlets:  map[string]Outlet{},
		UnknownCards: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guestflow_scans_unknown_card_total",
			Help: "Outlet scans of cards no loyalty account holds, by branch.",
		}, []string{"branch"}),
	}
	reg.MustRegister(pc.UnknownCards)
	pacerWait := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "guestflow_passquare_pacer_wait_seconds",
		Help:    "How long each Passquare request waited for its turn in this process; beyond 1.25 s, requests queue inside the process.",
		Buckets: []float64{0.1, 0.25, 0.5, 1, 1.25, 1.5, 2, 5, 10, 30},
	})
	reg.MustRegister(pacerWait)
	base := mews.New(mews.Options{
		BaseURL: cfg.Mews.BaseURL, HTTP: httpClient, Metrics: metrics, Logger: logger,
		ClientToken: cfg.Mews.ClientToken.Value(), ClientName: ClientName, Retry: &vendorhttp.InActivity,
	})
	for _, id := range cfg.BranchIDs {
		b := cfg.Branches[id]
		rules := BranchRules(b)
		ps.Branches[id] = passportscan.New(passportscan.Options{
			APIKey: b.PassportScanAPIKey.Value(), AccountID: b.PassportScanAccountID,
			BaseURL: cfg.PassportScan.BaseURL, HTTP: httpClient, Metrics: metrics, Logger: logger, Retry: &vendorhttp.InActivity,
		})
		ps.Rules[id] = rules
		m.Branches[id] = base.ForEnterprise(b.MewsAccessToken.Value())
		if b.PasscreatorAppConfigurationID != "" {
			pc.Outlets[b.PasscreatorAppConfigurationID] = Outlet{BranchID: id, TransactionValueProperty: b.TransactionValueProperty, Rules: rules}
		}
	}
	return &Set{
		PassportScan: ps,
		Passcreator:  pc,
		Mews:         m,
		Passquare: &Passquare{
			Client: passquare.New(passquare.Options{
				AppKey: cfg.Passquare.AppKey.Value(), BaseURL: cfg.Passquare.BaseURL,
				HTTP: httpClient, Metrics: metrics, Logger: logger, MinInterval: passquareSpacing, Retry: &vendorhttp.InActivity,
				PacerWait: func(d time.Duration) { pacerWait.Observe(d.Seconds()) },
			}),
			TemplateUUID: cfg.Passquare.TemplateUUID,
			FormLink:     cfg.Passquare.FormLink,
			SMSText:      cfg.Passquare.SMSText,
		},
		Accounts: &Accounts{Temporal: tc, KeySecret: []byte(cfg.Loyalty.AccountKeySecret.Value())},
	}
}

// Register registers the activities of the main task queue.
func (s *Set) Register(r worker.ActivityRegistry) {
	r.RegisterActivity(s.PassportScan)
	r.RegisterActivity(s.Mews)
	r.RegisterActivity(s.Passcreator)
	r.RegisterActivity(s.Accounts)
}

// BranchRules are the branch's configured rules as a stay carries them.
func BranchRules(b *config.Branch) lifecycle.BranchRules {
	docs := make([]rules.DocumentType, 0, len(b.Rules.AcceptedDocuments))
	for _, d := range b.Rules.AcceptedDocuments {
		docs = append(docs, rules.DocumentType(d))
	}
	return lifecycle.BranchRules{
		Country:               b.Country,
		TimeZone:              b.TimeZone,
		AcceptedDocuments:     docs,
		DocumentTypes:         b.Rules.DocumentTypes,
		AdultAge:              b.Rules.AdultAge,
		ConsentWhenUnanswered: b.Rules.ConsentWhenUnanswered,
		BonusPercent:          b.Rules.BonusPercent.Decimal,
		WelcomeBonus:          b.Rules.WelcomeBonus.Decimal,
		RealUseStatuses:       b.Rules.RealUseStatuses,
		Checkout:              b.Rules.CheckoutOffset(),
		DepartureGrace:        b.Rules.DepartureGrace.Duration,
		PushMessage:           b.Rules.PushMessage,
	}
}

// RegisterMews registers the activities of a branch's Mews task queue
// (lifecycle.MewsTaskQueue). Register has them on the main queue too, for
// stays recorded before mews-queue-per-branch.
func (s *Set) RegisterMews(r worker.ActivityRegistry) {
	r.RegisterActivity(s.Mews)
}

// MewsWorkers are this process's workers on the branches' Mews task queues,
// not started yet; every process runs them with the same rate.
func (s *Set) MewsWorkers(c client.Client, branchIDs []string) []worker.Worker {
	var ws []worker.Worker
	for _, id := range branchIDs {
		w := worker.New(c, lifecycle.MewsTaskQueue(id), MewsWorkerOptions())
		s.RegisterMews(w)
		ws = append(ws, w)
	}
	return ws
}

// Mews allows 200 requests per access token in any 30 seconds.
const (
	mewsRequestsPerWindow = 200
	mewsWindow            = 30 * time.Second
	// mewsHeadroom leaves a tenth of the limit for the calls a guest needs
	// beyond three (see activities.UpdateMews) and for calls retried inside
	// an activity.
	mewsHeadroom = 0.9
	// mewsCallsPerActivity is what a new guest's UpdateMews sends.
	mewsCallsPerActivity = 3
)

// MewsRate is a branch's Mews task queue rate, in activities per second for
// all workers together: 0.9 x 200 requests / 30 s / 3 requests = 2 new
// guests a second, 6 requests a second. The queue's partitions split the
// rate between them but not the total, and Mews counts over 30 seconds, so
// their bursts stay within its window.
func MewsRate() float64 {
	return mewsHeadroom * mewsRequestsPerWindow / mewsWindow.Seconds() / mewsCallsPerActivity
}

// MewsWorkerOptions are the options of every process's worker on a
// branch's Mews task queue: the queue's rate, which every worker on it must
// state alike (each poll sets it).
func MewsWorkerOptions() worker.Options {
	return worker.Options{TaskQueueActivitiesPerSecond: MewsRate()}
}

// RegisterPassquare registers the activities of the Passquare task queue.
func (s *Set) RegisterPassquare(r worker.ActivityRegistry) {
	r.RegisterActivity(s.Passquare)
}

// passquareHeadroom keeps guestflow below Passquare's limits by a margin:
// requests sent exactly one second apart can arrive 999 ms apart, and
// Passquare would refuse the second.
const passquareHeadroom = 0.8

// passquareSpacing is the least time between the end of one request and
// the next in a process (1/headroom seconds): the pacer of the process's
// one Passquare client counts from the end, as Passquare counts arrivals.
const passquareSpacing = 1250 * time.Millisecond

// passquareCallsPerActivity is the most requests one activity on the
// Passquare queue sends: IssueCard's retry reads the customer, writes it
// and, without a card number in the answer, reads it again; PushBalance
// sends two. Calls retried inside an activity spend from the same budget
// (passquareCalls), never beyond it, so retries need no larger number:
// raising it would slow every activity's queue for the sake of faults.
const passquareCallsPerActivity = 3

// PassquareRate is the Passquare task queue's rate, in activities per
// second, for the whole group: each activity may send
// passquareCallsPerActivity requests, so the group's requests stay within
// headroom of one a second and of the plan's hourly quota spread over the
// hour (base: 60 an hour). Every worker on the queue must use the same
// rate (PassquareWorkerOptions).
func PassquareRate(plan string) float64 {
	perHour := config.PassquarePlans[plan]
	if perHour == 0 {
		perHour = config.PassquarePlans["base"]
	}
	return passquareHeadroom * math.Min(1, float64(perHour)/time.Hour.Seconds()) / passquareCallsPerActivity
}

// PassquareWorkerOptions are the options of every process's worker on the
// Passquare task queue. The queue hands out PassquareRate activities a
// second for the group, and a process takes one activity at a time: it asks
// for the next only when the last has finished, so an activity never waits
// in the pacer behind another. Its requests wait at most passquareSpacing
// each, (passquareCallsPerActivity-1) x spacing plus the answers in all,
// well inside its 30 s StartToClose; activities the workers cannot take yet
// wait in the queue (ScheduleToStart), which costs no attempt.
func PassquareWorkerOptions(plan string) worker.Options {
	return worker.Options{
		TaskQueueActivitiesPerSecond:       PassquareRate(plan),
		MaxConcurrentActivityExecutionSize: 1,
	}
}

// WorkerTuning is how much a process's worker on the guestflow task queue
// asks for and runs at once. The defaults are measured with go run ./bench
// (README, Capacity): with the SDK's two pollers of each kind a first
// poll's burst of new stays waits for workflow tasks the server already has.
type WorkerTuning struct {
	WorkflowPollers  int
	ActivityPollers  int
	MaxWorkflowTasks int
	MaxActivities    int
}

// AddFlags registers the tuning flags, with the measured defaults.
func (t *WorkerTuning) AddFlags(fs *pflag.FlagSet) {
	fs.IntVar(&t.WorkflowPollers, "workflow-task-pollers", 8, "workflow task pollers on the guestflow task queue")
	fs.IntVar(&t.ActivityPollers, "activity-task-pollers", 8, "activity task pollers on the guestflow task queue")
	fs.IntVar(&t.MaxWorkflowTasks, "max-concurrent-workflow-tasks", 200, "workflow tasks this process runs at once")
	fs.IntVar(&t.MaxActivities, "max-concurrent-activities", 200, "activities this process runs at once on the guestflow task queue")
}

// Options are the worker options of the guestflow task queue.
func (t WorkerTuning) Options() worker.Options {
	return worker.Options{
		MaxConcurrentWorkflowTaskPollers:       t.WorkflowPollers,
		MaxConcurrentActivityTaskPollers:       t.ActivityPollers,
		MaxConcurrentWorkflowTaskExecutionSize: t.MaxWorkflowTasks,
		MaxConcurrentActivityExecutionSize:     t.MaxActivities,
	}
}

// Check refuses a tuning the SDK would refuse or silently change.
func (t WorkerTuning) Check() error {
	switch {
	case t.WorkflowPollers < 2:
		return errors.New("--workflow-task-pollers must be at least 2 (the SDK's sticky and normal queues)")
	case t.ActivityPollers < 1, t.MaxWorkflowTasks < 2, t.MaxActivities < 1:
		return errors.New("worker pollers and concurrency must be positive (workflow tasks at least 2)")
	}
	return nil
}
