package vendorhttp

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts vendor calls by vendor, endpoint template and status
// ("200", "429", "error" for no answer). A nil *Metrics records nothing.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the vendor call metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guestflow_vendor_requests_total",
			Help: "Calls to vendor APIs by vendor, endpoint and HTTP status (error: no response).",
		}, []string{"vendor", "endpoint", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "guestflow_vendor_request_duration_seconds",
			Help:    "Latency of calls to vendor APIs.",
			Buckets: prometheus.DefBuckets,
		}, []string{"vendor", "endpoint"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *Metrics) observe(vendor, endpoint, status string, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(vendor, endpoint, status).Inc()
	m.duration.WithLabelValues(vendor, endpoint).Observe(d.Seconds())
}
