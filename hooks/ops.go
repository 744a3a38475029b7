package hooks

import (
	"net/http"

	"github.com/guestflow/guestflow/telemetry"
)

// CodecPath is where the ops server serves the Web UI's codec server
// (POST /codec/decode and /codec/encode).
const CodecPath = "/codec"

// Ops is the webhook's ops server: /metrics, /healthz and /readyz (Temporal
// reachable) from telemetry, and the payload codec server under CodecPath
// when codec is not nil.
func Ops(s *telemetry.Server, t Temporal, codec http.Handler) http.Handler {
	if s.Ready == nil {
		s.Ready = map[string]telemetry.Check{}
	}
	s.Ready["temporal"] = t.CheckHealth
	if codec == nil {
		return s.Handler()
	}
	mux := http.NewServeMux()
	mux.Handle(CodecPath+"/", http.StripPrefix(CodecPath, codec))
	mux.Handle("/", s.Handler())
	return mux
}
