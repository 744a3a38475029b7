package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/devserver"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/payloadcodec"
	"github.com/guestflow/guestflow/rules"
	ps "github.com/guestflow/guestflow/vendors/passportscan/sandbox"
)

// The Web UI test runs when GUESTFLOW_BROWSER=1 (scripts/test sets it once
// it has Chromium and e2e/webui's node modules): the package's dev server
// then serves its Web UI, pointed at guestflow's codec server.
var webUI string // the UI's base URL, "" when the test is off

// webUIArgs starts the codec server the Web UI decodes payloads through,
// exactly as the webhook serves it (CORS for the UI's origin), and returns
// the dev server options that serve the UI and point it there.
func webUIArgs() (devserver.Options, func(), error) {
	if os.Getenv("GUESTFLOW_BROWSER") != "1" {
		return devserver.Options{}, func() {}, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return devserver.Options{}, nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	codec, err := payloadcodec.New(payloadKey)
	if err != nil {
		return devserver.Options{}, nil, err
	}
	origin := fmt.Sprintf("http://127.0.0.1:%d", port)
	codecServer := httptest.NewServer(codec.Handler(origin, ""))
	webUI = origin
	return devserver.Options{UI: true, UIPort: fmt.Sprint(port),
		ExtraArgs: []string{"--ui-codec-endpoint", codecServer.URL}}, codecServer.Close, nil
}

// artefact is where a test keeps a file for people to look at:
// $GUESTFLOW_ARTEFACTS when set, else e2e/artefacts.
func artefact(t *testing.T, name string) string {
	dir := os.Getenv("GUESTFLOW_ARTEFACTS")
	if dir == "" {
		dir = "artefacts"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := filepath.Abs(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A stay stuck in NeedsAttention, opened in the Web UI by headless
// Chromium: the page shows why it waits, and the guest's input decoded
// through the codec server, while the history the server stores holds the
// guest's name only as ciphertext. The screenshot is kept as an artefact
// (docs/webui-stay.png in the README is one).
func TestStayPageInWebUI(t *testing.T) {
	if webUI == "" {
		t.Skip("GUESTFLOW_BROWSER=1 runs it (needs /usr/bin/chromium and `npm ci` in e2e/webui; scripts/test does both)")
	}
	s := newStack(t)
	rome, _ := time.LoadLocation("Europe/Rome")
	today := rules.Today(time.Now(), rome)
	departure := today.AddDays(2).String()
	const name = "Ottavia"
	s.passport.PutReservation("101", ps.Reservation{ID: 7001, ArrivalDate: today.String(), DepartureDate: &departure,
		CustomerReservations: []ps.CustomerReservation{guest(71, name, "Ferraresi", "+393401112233", func(c *ps.Customer) {
			c.LastDocument.ExpirationDate = ptr(today.AddDays(-3).String())
		})}})
	var poll activities.PollArrivalsResult
	s.run(lifecycle.PollArrivalsWorkflowName, "poll-webui", lifecycle.PollArrivals{BranchID: "rome", TimeZone: "Europe/Rome", Full: true}, &poll)
	id := lifecycle.StayWorkflowID("rome", 7001, 71)
	s.waitStage(id, lifecycle.StageNeedsAttention)
	s.settled(id)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := s.client.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	run := d.GetWorkflowExecutionInfo().GetExecution().GetRunId()

	// What the server stores, read without the codec: no name in clear.
	cli, err := devserver.CLIPath()
	if err != nil {
		t.Fatal(err)
	}
	stored, err := exec.Command(cli, "workflow", "show", "--workflow-id", id, "--output", "json",
		"--address", server.FrontendHostPort(), "--namespace", s.namespace).Output()
	if err != nil {
		t.Fatalf("temporal workflow show: %v", err)
	}
	var encrypted, clear int
	if err := eachString(stored, func(v string) {
		raw, _ := base64.StdEncoding.DecodeString(v) // payload data and metadata are base64
		switch {
		case string(raw) == "binary/encrypted":
			encrypted++
		case strings.Contains(v, name) || bytes.Contains(raw, []byte(name)):
			clear++
		}
	}); err != nil {
		t.Fatalf("temporal workflow show: %v", err)
	}
	if encrypted == 0 || clear > 0 {
		t.Fatalf("the stored history of %s: %d encrypted payloads, the guest's name in clear %d times", id, encrypted, clear)
	}

	// The workflow page's History tab shows the input, decoded through the
	// codec server; its User Metadata tab shows the current details.
	base := fmt.Sprintf("%s/namespaces/%s/workflows/%s/%s", webUI, s.namespace, url.PathEscape(id), run)
	type page struct {
		URL        string   `json:"url"`
		Texts      []string `json:"texts"`
		Screenshot string   `json:"screenshot"`
		Caption    string   `json:"caption"`
	}
	spec, err := json.Marshal(struct {
		Pages    []page `json:"pages"`
		Combined string `json:"combined"`
	}{
		Pages: []page{
			{URL: base + "/history", Texts: []string{name, "Ferraresi"}, Screenshot: artefact(t, "webui-stay-history.png"),
				Caption: "History tab: the stay's input, decoded in the browser through guestflow's codec server"},
			{URL: base + "/user-metadata", Texts: []string{"NeedsAttention (" + string(rules.DocumentExpired) + ")", "Waiting for:"},
				Screenshot: artefact(t, "webui-stay-details.png"),
				Caption:    "User Metadata tab: the stay's current details, why it waits and for what"},
		},
		Combined: artefact(t, "webui-stay.png"),
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "stay.mjs", string(spec))
	cmd.Dir = "webui"
	out, err := cmd.CombinedOutput()
	t.Logf("%s\nscreenshots in %s", out, filepath.Dir(artefact(t, "webui-stay.png")))
	if err != nil {
		t.Fatalf("the Web UI page of %s: %v", id, err)
	}
}

// eachString calls f with every string in a JSON document.
func eachString(doc []byte, f func(string)) error {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return err
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			f(v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return nil
}
