package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/guestflow/guestflow/payloadcodec"
	"github.com/guestflow/guestflow/program"
)

const (
	// recordedKey is the key the workflows' replay fixtures were recorded
	// under (the e2e test's key); rotatedKey came after it.
	recordedKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	rotatedKey  = "bmV3LWtleS1yb3RhdGVkLWluLTIwMjYtMTItMDItMzI="
	stayHistory = "../workflows/testdata/histories/stay.json"
)

func TestReplayAfterKeyRotation(t *testing.T) {
	rotated, err := payloadcodec.New(rotatedKey, recordedKey)
	if err != nil {
		t.Fatal(err)
	}
	p := &program.Program{Logger: slog.New(slog.DiscardHandler), Codec: rotated}
	h, err := ReadHistory(context.Background(), p, stayHistory)
	if err != nil {
		t.Fatal(err)
	}
	if err := Replay(p, h); err != nil {
		t.Fatal(err)
	}
}

// A history written under a key the configuration lacks is reported as that,
// naming the key id, not as a nondeterministic history.
func TestReplayNamesAMissingKey(t *testing.T) {
	dropped, err := payloadcodec.New(rotatedKey)
	if err != nil {
		t.Fatal(err)
	}
	recorded, _ := payloadcodec.New(recordedKey)
	p := &program.Program{Logger: slog.New(slog.DiscardHandler), Codec: dropped}
	_, err = ReadHistory(context.Background(), p, stayHistory)
	if err == nil || !strings.Contains(err.Error(), recorded.KeyID()) || !strings.Contains(err.Error(), "previous_payload_keys") {
		t.Fatalf("want an error naming key %s: %v", recorded.KeyID(), err)
	}
	for _, k := range []string{recordedKey, rotatedKey} {
		if strings.Contains(err.Error(), k) {
			t.Errorf("error carries a key: %v", err)
		}
	}
}
