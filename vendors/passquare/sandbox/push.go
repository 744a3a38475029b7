package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

var pushKinds = map[string]string{"text": "push", "webpush": "webpush", "telegram": "telegram"}

func (s *Server) pushCreate(c *gin.Context) {
	a, b, ok := s.begin(c)
	if !ok {
		return
	}
	message, _ := b.str("message")
	if message == "" {
		fail(c, http.StatusBadRequest, "message is required")
		return
	}
	typ, _ := b.str("type")
	if typ == "" {
		typ = "text"
	}
	if _, known := pushKinds[typ]; !known {
		fail(c, http.StatusBadRequest, "type must be text, webpush or telegram")
		return
	}
	name, _ := b.str("name")
	segment, _ := b.str("segment_uuid")
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(a.campaigns) + 1
	if name == "" {
		name = fmt.Sprintf("Push#%04d", n)
	}
	camp := &Campaign{AppKey: a.key, UUID: campaignUUID(a.key, n), Name: name, Message: message, Type: typ, SegmentUUID: segment}
	a.campaigns = append(a.campaigns, camp)
	c.JSON(http.StatusOK, gin.H{"result": gin.H{"name": camp.Name, "uuid": camp.UUID, "message": camp.Message}})
}

func campaignUUID(appKey string, n int) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s|campaign|%d", appKey, n))
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-4" + x[13:16] + "-8" + x[17:20] + "-" + x[20:32]
}

// pushSend runs a campaign: every customer with an installed card gets it
// (the sandbox has no segments, so a segment means everyone).
func (s *Server) pushSend(c *gin.Context) {
	a, b, ok := s.begin(c)
	if !ok {
		return
	}
	id, _ := b.str("push_uuid")
	if id == "" {
		fail(c, http.StatusBadRequest, "push_uuid is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var camp *Campaign
	for _, cp := range a.campaigns {
		if cp.UUID == id {
			camp = cp
		}
	}
	if camp == nil {
		fail(c, http.StatusNotFound, "push campaign not found")
		return
	}
	camp.Sends++
	for _, cust := range a.ordered() {
		if cust.Installed {
			s.pushes = append(s.pushes, SentPush{AppKey: a.key, Phone: cust.Phone, Kind: pushKinds[camp.Type], Text: camp.Message, Campaign: camp.UUID})
		}
	}
	c.JSON(http.StatusOK, gin.H{"success": true})
}
