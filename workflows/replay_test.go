package workflows

import (
	"log/slog"
	"path/filepath"
	"testing"

	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/guestflow/guestflow/payloadcodec"
)

// replayKey is the payload key the fixtures were recorded with (the e2e
// test's key, not a production one).
const replayKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// TestReplayRecordedHistories replays histories recorded on the dev server
// (go test ./e2e -run 'TestDayOfArrivals|TestBackfill|TestDeviceScan' -export-histories $PWD/workflows/testdata/histories)
// against the current code: a change that would break a running workflow
// fails here. Such a change must go behind workflow.GetVersion.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/histories/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 6 { // Stay, Account, PollArrivals, BackfillArrivals, SyncScans, DeviceScan
		t.Fatalf("want a recorded history per workflow type, found %v", files)
	}
	codec, err := payloadcodec.New(replayKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
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
