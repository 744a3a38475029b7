package sandbox

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// dateRange reads read_customers' optional start_date and end_date.
func dateRange(c *gin.Context, b body) (start, end *time.Time, ok bool) {
	for _, f := range []struct {
		key string
		dst **time.Time
		end bool
	}{{"start_date", &start, false}, {"end_date", &end, true}} {
		v, present := b.str(f.key)
		if !present || v == "" {
			continue
		}
		t, err := parseBound(v, f.end)
		if err != nil {
			fail(c, http.StatusBadRequest, f.key+" must be dd.mm.yyyy or dd.mm.yyyy hh:mm:ss")
			return nil, nil, false
		}
		*f.dst = &t
	}
	return start, end, true
}
