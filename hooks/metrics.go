package hooks

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are labelled by route, hook method and branch only: never by
// anything a caller sent freely, so no personal data and no unbounded
// label values reach Prometheus.
type metrics struct {
	requests     *prometheus.CounterVec
	unknownCards *prometheus.CounterVec
	delivered    *prometheus.CounterVec
	skipped      *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guestflow_webhook_requests_total",
			Help: "Webhook requests by route, Passquare hook method and HTTP status.",
		}, []string{"route", "method", "status"}),
		unknownCards: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guestflow_webhook_unknown_card_scans_total",
			Help: "Scans of cards no loyalty account holds, by source and branch.",
		}, []string{"source", "branch"}),
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guestflow_webhook_scans_delivered_total",
			Help: "Scans handed to loyalty accounts, by source and branch.",
		}, []string{"source", "branch"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guestflow_webhook_scans_skipped_total",
			Help: "Scans the webhook could not use, by source and reason.",
		}, []string{"source", "reason"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.unknownCards, m.delivered, m.skipped)
	}
	return m
}

func (m *metrics) request(route, method string, status int) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
}
