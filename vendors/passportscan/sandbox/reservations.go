package sandbox

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

type reservationsQuery struct {
	arrivalDate string
	all         bool
	page, limit int
}

// reservations is GET /v1/reservations.
func (s *Server) reservations(c *gin.Context) {
	q, msg := s.parseQuery(c)
	if msg != "" {
		fail(c, http.StatusBadRequest, msg)
		return
	}
	b := c.MustGet(branchKey).(Branch)

	s.mu.Lock()
	items := s.answerLocked(b, q)
	s.mu.Unlock()

	from := min((q.page-1)*q.limit, len(items))
	to := min(from+q.limit, len(items))
	out := page{Total: len(items), Count: to - from, Items: items[from:to]}
	for i := range out.Items {
		if out.Items[i].CustomerReservations == nil {
			out.Items[i].CustomerReservations = []CustomerReservation{}
		}
	}
	lastPage := max(1, (len(items)+q.limit-1)/q.limit)
	out.Links = links{Self: q.link(q.page), First: q.link(1), Last: q.link(lastPage)}
	c.JSON(http.StatusOK, out)
}

// answerLocked returns every item of the query, before paging, and moves the
// key's change-feed mark when the call opens a query (see the package doc).
func (s *Server) answerLocked(b Branch, q reservationsQuery) []Reservation {
	ks := s.keys[b]
	if q.all {
		if q.page == 1 {
			ks.mark = s.seq
		}
		return s.arrivingLocked(b.AccountID, q.arrivalDate, false, 0)
	}
	if q.page == 1 || ks.window == nil || ks.window.arrivalDate != q.arrivalDate {
		ks.window = &changeWindow{
			arrivalDate: q.arrivalDate,
			items:       s.arrivingLocked(b.AccountID, q.arrivalDate, true, ks.mark),
		}
		ks.mark = s.seq
	}
	return clone(ks.window.items)
}

// parseQuery validates the query string; a non-empty message is the 400.
// Only the documented bracketed names page the answer; others are ignored.
func (s *Server) parseQuery(c *gin.Context) (reservationsQuery, string) {
	q := reservationsQuery{arrivalDate: c.Query("arrival_date")}
	if q.arrivalDate == "" {
		return q, "arrival_date is required"
	}
	if _, err := time.Parse(time.DateOnly, q.arrivalDate); err != nil || !datePattern.MatchString(q.arrivalDate) {
		return q, "arrival_date must be a date as YYYY-MM-DD"
	}
	switch strings.ToLower(c.Query("all_customers")) {
	case "1", "true", "yes":
		q.all = true
	case "", "0", "false", "no":
	default:
		return q, "all_customers must be 1 or 0"
	}
	var ok bool
	if q.page, ok = intParam(c, 1, "pagination[page]"); !ok || q.page < 1 {
		return q, "pagination[page] must be a positive integer"
	}
	if q.limit, ok = intParam(c, defaultLimit, "pagination[limit]"); !ok || q.limit < 1 {
		return q, "pagination[limit] must be a positive integer"
	}
	if q.limit > s.opts.MaxLimit {
		return q, fmt.Sprintf("pagination[limit] must be at most %d", s.opts.MaxLimit)
	}
	return q, ""
}

func intParam(c *gin.Context, def int, name string) (int, bool) {
	v, ok := c.GetQuery(name)
	if !ok {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

func (q reservationsQuery) link(page int) string {
	all := 0
	if q.all {
		all = 1
	}
	return fmt.Sprintf("/v1/reservations?arrival_date=%s&all_customers=%d&pagination[page]=%d&pagination[limit]=%d",
		q.arrivalDate, all, page, q.limit)
}
