package hooks_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/guestflow/guestflow/activities"
	"github.com/guestflow/guestflow/devserver"
	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/payloadcodec"
	"github.com/guestflow/guestflow/temporalclient"
	"github.com/guestflow/guestflow/vendors/passquare"
	passquaresandbox "github.com/guestflow/guestflow/vendors/passquare/sandbox"
	"github.com/guestflow/guestflow/workflows"
)

// The suite runs against one real Temporal dev server, with the lead's
// workflows on a worker and Passquare played by its sandbox, so the
// accounts' balance pushes succeed.
var (
	temporalClient client.Client
	codec          *payloadcodec.Codec
	// frontend is the dev server's address, for the temporal CLI.
	frontend string
)

const payloadKey = "aG9va3MtdGVzdC1vbmx5LXBheWxvYWQta2V5LTAwMDE=" // 32 bytes, tests only

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	gin.SetMode(gin.ReleaseMode)
	// A fuzzing run (its coordinator and each of its workers run TestMain)
	// plays Temporal with memoryTemporal: no dev server per process.
	flag.Parse()
	if fuzzing() {
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := devserver.Start(ctx, devserver.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hooks tests need the Temporal dev server:", err)
		return 1
	}
	defer func() { _ = srv.Stop() }()
	frontend = srv.FrontendHostPort()

	codec, err = payloadcodec.New(payloadKey)
	if err != nil {
		panic(err)
	}
	quiet := sdklog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	temporalClient, err = client.Dial(client.Options{
		HostPort: srv.FrontendHostPort(), Namespace: "default", DataConverter: codec.DataConverter(), Logger: quiet,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "dial the dev server:", err)
		return 1
	}
	defer temporalClient.Close()
	if err := temporalclient.EnsureSearchAttributes(ctx, temporalClient, "default", lifecycle.SearchAttributes); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}

	passquareSandbox := httptest.NewServer(passquaresandbox.New(passquaresandbox.Options{
		Accounts: []passquaresandbox.AccountConfig{{AppKey: "hooks-test-app-key", Plan: "exclusive"}},
	}))
	defer passquareSandbox.Close()
	accounts := worker.New(temporalClient, lifecycle.TaskQueue, worker.Options{})
	workflows.Register(accounts)
	pushes := worker.New(temporalClient, lifecycle.PassquareTaskQueue, worker.Options{})
	pushes.RegisterActivity(&activities.Passquare{Client: passquare.New(passquare.Options{
		AppKey: "hooks-test-app-key", BaseURL: passquareSandbox.URL + "/api/v2",
	})})
	for _, w := range []worker.Worker{accounts, pushes} {
		if err := w.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer w.Stop()
	}
	return m.Run()
}

// fuzzing reports whether this process runs `go test -fuzz`, as its
// coordinator or as one of its workers.
func fuzzing() bool {
	for _, name := range []string{"test.fuzz", "test.fuzzworker"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" && f.Value.String() != "false" {
			return true
		}
	}
	return false
}
