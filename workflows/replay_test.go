package workflows

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/guestflow/guestflow/payloadcodec"
)

// replayKey is the payload key the fixtures were recorded with (the e2e
// test's key, not a production one).
const replayKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// TestReplayRecordedHistories replays histories recorded on the dev server
// against the current code: a change that would break a running workflow
// fails here. Such a change must go behind workflow.GetVersion.
//
// testdata/histories holds the current code's histories, recorded with
// go test ./e2e -run 'TestDayOfArrivals|TestBackfill|TestDeviceScan' -export-histories $PWD/workflows/testdata/histories
// Each subfolder holds an earlier version's, never regenerated, because
// workflows of that version may still be running: v1 delivered guest
// snapshots by signal, before the snapshot update; v2 is the version before
// the account's push ran beside its loop, the poll fetched apart from its
// deliveries and read late documents, and the wallet weighed the phone's
// kind (each behind workflow.GetVersion); v3 is the version before stays
// asked Passquare about installs no hook reported; v4 before the stay
// upserted its search attributes only on change; v5 before the Mews
// activity ran on its branch's queue, probed Mews after an outage, and
// the stay wrote its search attributes once per workflow task.
func TestReplayRecordedHistories(t *testing.T) {
	current, earlier := recordedHistories(t)
	if len(current) < 7 || len(earlier) < 36 { // Stay, Account, PollArrivals, BackfillArrivals, SyncScans, DeviceScan, Card
		t.Fatalf("want a recorded history per workflow type, found %v and %v", current, earlier)
	}
	codec, err := payloadcodec.New(replayKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range append(current, earlier...) {
		t.Run(strings.TrimPrefix(file, "testdata/histories/"), func(t *testing.T) {
			if err := replayWith(codec, file); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// recordedHistories lists the current code's fixtures and the earlier
// versions' (in subfolders).
func recordedHistories(t *testing.T) (current, earlier []string) {
	t.Helper()
	current, err := filepath.Glob("testdata/histories/*.json")
	if err != nil {
		t.Fatal(err)
	}
	earlier, err = filepath.Glob("testdata/histories/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	return current, earlier
}

// replayWith replays a recorded history with the workers' data converter
// built on codec.
func replayWith(codec *payloadcodec.Codec, file string) error {
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DataConverter: codec.DataConverter()})
	if err != nil {
		return err
	}
	Register(r)
	return r.ReplayWorkflowHistoryFromJSONFile(sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)), file)
}
