package activities

import (
	"log/slog"
	"math"
	"net/http"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/vendors/mews"
	"github.com/guestflow/guestflow/vendors/passquare"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// ClientName is how guestflow introduces itself to Mews.
const ClientName = "guestflow 0.1.0"

// Set is every activity struct, built from the group's configuration.
type Set struct {
	Mews      *Mews
	Passquare *Passquare
	Accounts  *Accounts
}

// FromConfig builds the vendor clients and the activities that use them.
func FromConfig(cfg *config.Group, tc client.Client, metrics *vendorhttp.Metrics, logger *slog.Logger) *Set {
	httpClient := &http.Client{Transport: http.DefaultTransport}
	m := &Mews{Branches: map[string]*mews.Client{}}
	base := mews.New(mews.Options{
		BaseURL: cfg.Mews.BaseURL, HTTP: httpClient, Metrics: metrics, Logger: logger,
		ClientToken: cfg.Mews.ClientToken.Value(), ClientName: ClientName,
	})
	for _, id := range cfg.BranchIDs {
		m.Branches[id] = base.ForEnterprise(cfg.Branches[id].MewsAccessToken.Value())
	}
	return &Set{
		Mews: m,
		Passquare: &Passquare{
			Client: passquare.New(passquare.Options{
				AppKey: cfg.Passquare.AppKey.Value(), BaseURL: cfg.Passquare.BaseURL,
				HTTP: httpClient, Metrics: metrics, Logger: logger,
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
	r.RegisterActivity(s.Mews)
	r.RegisterActivity(s.Accounts)
}

// RegisterPassquare registers the activities of the Passquare task queue.
func (s *Set) RegisterPassquare(r worker.ActivityRegistry) {
	r.RegisterActivity(s.Passquare)
}

// PassquareRate is the steady rate, in activities per second, that keeps
// the whole group within a Passquare plan: one request per second, and the
// plan's hourly quota spread evenly over the hour (60 an hour is one a
// minute). Every worker on the Passquare task queue must use the same rate.
func PassquareRate(plan string) float64 {
	perHour := config.PassquarePlans[plan]
	if perHour == 0 {
		perHour = config.PassquarePlans["base"]
	}
	return math.Min(1, float64(perHour)/time.Hour.Seconds())
}
