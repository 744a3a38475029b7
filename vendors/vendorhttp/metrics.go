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
	retries  *prometheus.CounterVec
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
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "guestflow_vendor_call_retries_total",
			Help: "Vendor calls sent again inside the calling activity after a transient failure, by vendor, endpoint and the failure's status (error: no answer, timeout).",
		}, []string{"vendor", "endpoint", "reason"}),
	}
	reg.MustRegister(m.requests, m.duration, m.retries)
	return m
}

func (m *Metrics) observe(vendor, endpoint, status string, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(vendor, endpoint, status).Inc()
	m.duration.WithLabelValues(vendor, endpoint).Observe(d.Seconds())
}

func (m *Metrics) retried(vendor, endpoint, reason string) {
	if m == nil {
		return
	}
	m.retries.WithLabelValues(vendor, endpoint, reason).Inc()
}
