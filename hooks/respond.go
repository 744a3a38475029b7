package hooks

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guestflow/guestflow/vendors/passquare"
)

// errorBody is the failure shape of every route but Passquare's, whose
// failures answer passquare.HookErrorResponse. Its text reaches callers'
// logs: it names fields and never carries values.
type errorBody struct {
	Error string `json:"error"`
}

// passquareRoute marks a request to Passquare's hook URL.
const passquareRoute = "guestflow.passquareRoute"

// markPassquare makes every failure of the route, from access control to a
// panic, answer in Passquare's documented form.
func markPassquare(c *gin.Context) {
	c.Set(passquareRoute, true)
	c.Next()
}

// readBody reads at most MaxBody bytes; a larger body is refused with 413.
func (s *server) readBody(c *gin.Context) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.MaxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		s.refuse(c, http.StatusRequestEntityTooLarge, "request body too large")
		return nil, false
	case err != nil:
		s.refuse(c, http.StatusBadRequest, "request body could not be read")
		return nil, false
	}
	return body, true
}

// refuse answers {"error": msg} with status; on Passquare's route
// {"success": false, "error": msg}.
func (s *server) refuse(c *gin.Context, status int, msg string) {
	if c.GetBool(passquareRoute) {
		c.AbortWithStatusJSON(status, passquare.HookErrorResponse{Error: msg})
		return
	}
	c.AbortWithStatusJSON(status, errorBody{msg})
}

// retryLater tells the caller to send the call again: Temporal did not
// confirm it in time. It may have been recorded all the same; every call
// is idempotent, so the repeat records nothing twice.
func (s *server) retryLater(c *gin.Context, err error, what string) {
	s.Logger.WarnContext(c.Request.Context(), "temporal unavailable, caller told to retry",
		"route", c.FullPath(), "call", what, "error", err)
	c.Header("Retry-After", retryAfterSeconds(s.RetryAfter))
	s.refuse(c, http.StatusServiceUnavailable, "temporarily unavailable, retry later")
}

// temporalCtx bounds a request's Temporal calls, together, by the request
// and by TemporalTimeout, so the caller is answered within that time.
func (s *server) temporalCtx(c *gin.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request.Context(), s.TemporalTimeout)
}

// retryAfterSeconds is a Retry-After value: whole seconds, at least one.
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(max(1, int(d/time.Second)))
}
