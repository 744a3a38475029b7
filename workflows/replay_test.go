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
// asked Passquare about installs no hook reported.
func TestReplayRecordedHistories(t *testing.T) {
	current, err := filepath.Glob("testdata/histories/*.json")
	if err != nil {
		t.Fatal(err)
	}
	earlier, err := filepath.Glob("testdata/histories/*/*.json")
	if err != nil {
		t.Fatal(err)
	}
	files := append(current, earlier...)
	if len(current) < 7 || len(earlier) < 20 { // Stay, Account, PollArrivals, BackfillArrivals, SyncScans, DeviceScan, Card
		t.Fatalf("want a recorded history per workflow type, found %v", files)
	}
	codec, err := payloadcodec.New(replayKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(strings.TrimPrefix(file, "testdata/histories/"), func(t *testing.T) {
			r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DataConverter: codec.DataConverter()})
			if err != nil {
				t.Fatal(err)
			}
			Register(r)
			if err := r.ReplayWorkflowHistoryFromJSONFile(sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler)), file); err != nil {
				t.Fatal(err)
			}
		})
	}
}
