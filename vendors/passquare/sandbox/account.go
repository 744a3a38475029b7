package sandbox

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/vendors/sandboxkit"
)

// planQuota is the documented hourly limit per plan.
var planQuota = map[string]int{"base": 60, "advanced": 600, "expert": 3600, "exclusive": 3600}

type account struct {
	key, plan, name string
	balance         decimal.Decimal
	perSecond       *sandboxkit.Window
	perHour         *sandboxkit.Window

	nextCard  int
	seq       int // registration order, to keep pages stable
	customers map[string]*Customer
	campaigns []*Campaign
}

// AddAccount adds (or replaces) an account. An unknown plan gets the base
// plan's quota unless Options.HourlyQuota names it.
func (s *Server) AddAccount(appKey, plan string) {
	s.addAccount(AccountConfig{AppKey: appKey, Plan: plan})
}

func (s *Server) addAccount(cfg AccountConfig) {
	quota, ok := s.opts.HourlyQuota[cfg.Plan]
	if !ok {
		quota, ok = planQuota[cfg.Plan]
	}
	if !ok {
		quota = planQuota["base"]
	}
	if cfg.Name == "" {
		cfg.Name = "sandbox"
	}
	balance, err := decimal.NewFromString(cfg.Balance)
	if err != nil {
		balance = decimal.RequireFromString("1000.00")
	}
	a := &account{
		key: cfg.AppKey, plan: cfg.Plan, name: cfg.Name, balance: balance,
		perSecond: &sandboxkit.Window{Limit: s.opts.PerSecond, Period: time.Second, Now: s.opts.Now},
		perHour:   &sandboxkit.Window{Limit: quota, Period: time.Hour, Now: s.opts.Now},
		nextCard:  s.opts.FirstCardNumber,
		customers: map[string]*Customer{},
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, exists := s.accounts[cfg.AppKey]; !exists {
		s.order = append(s.order, cfg.AppKey)
	}
	s.accounts[cfg.AppKey] = a
}

// begin authenticates and rate limits a call and returns its account and
// body. On false the answer has been written.
func (s *Server) begin(c *gin.Context) (*account, body, bool) {
	b, err := readBody(c)
	if err != nil {
		fail(c, http.StatusBadRequest, "invalid JSON")
		return nil, nil, false
	}
	key, _ := b.str("app_key")
	if key == "" {
		fail(c, http.StatusUnauthorized, "app_key is required")
		return nil, nil, false
	}
	s.mu.Lock()
	a := s.accounts[key]
	s.mu.Unlock()
	if a == nil {
		fail(c, http.StatusUnauthorized, "invalid app_key")
		return nil, nil, false
	}
	// Every request counts, as Passquare documents; the per-second check
	// comes first so a burst does not eat the hourly quota.
	if wait := a.perSecond.Allow(key); wait > 0 {
		sandboxkit.TooManyRequests(c, wait, errorBody(http.StatusTooManyRequests, "too many requests per second"))
		return nil, nil, false
	}
	if wait := a.perHour.Allow(key); wait > 0 {
		sandboxkit.TooManyRequests(c, wait, errorBody(http.StatusTooManyRequests, "hourly request limit of the plan exceeded"))
		return nil, nil, false
	}
	return a, b, true
}
