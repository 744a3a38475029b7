package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shopspring/decimal"
	"go.temporal.io/sdk/converter"

	"github.com/guestflow/guestflow/config"
	"github.com/guestflow/guestflow/sandbox/wiring"
	"github.com/guestflow/guestflow/scenario"
	"github.com/guestflow/guestflow/telemetry"
)

// sandboxes are the four vendor sandboxes serving on loopback, seeded with
// the day, and guestflow's configuration pointing at them.
type sandboxes struct {
	group         *config.Group
	configFile    string
	sandboxes     scenario.Sandboxes
	day           *scenario.Day
	clock         scenario.Clock
	hooks         *hookBalancer
	webhookPorts  []string
	welcome       map[string]decimal.Decimal
	dataConverter converter.DataConverter
	stop          func()
}

// devstackPorts are the sandboxes' ports in devstack/guestflow.toml, which
// the run's copy of the file replaces with its own.
var devstackPorts = []string{"18101", "18102", "18103", "18104"}

func startSandboxes(s settings, log io.Writer) (*sandboxes, error) {
	gin.SetMode(gin.ReleaseMode) // the route table is no news to an operator
	raw, err := os.ReadFile(devstackConfig)
	if err != nil {
		return nil, err
	}
	text := string(raw)
	listeners := make([]net.Listener, len(devstackPorts))
	for i, port := range devstackPorts {
		if listeners[i], err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return nil, err
		}
		text = strings.ReplaceAll(text, "http://127.0.0.1:"+port, "http://"+listeners[i].Addr().String())
	}
	sb := &sandboxes{configFile: filepath.Join(s.dir, "guestflow.toml"), welcome: map[string]decimal.Decimal{}}
	if err := os.WriteFile(sb.configFile, []byte(text), 0o600); err != nil {
		return nil, err
	}
	g, err := config.Load(sb.configFile)
	if err != nil {
		return nil, err
	}
	sb.group = g
	codec, err := g.Encryption.Codec()
	if err != nil {
		return nil, err
	}
	sb.dataConverter = codec.DataConverter()
	for _, id := range g.BranchIDs {
		sb.welcome[id] = g.Branches[id].Rules.WelcomeBonus.Decimal
	}

	for range 2 {
		p, err := freePort()
		if err != nil {
			return nil, err
		}
		sb.webhookPorts = append(sb.webhookPorts, p)
	}
	sb.hooks = newHookBalancer("127.0.0.1:"+sb.webhookPorts[0], "127.0.0.1:"+sb.webhookPorts[1])
	var opts wiring.Options
	// The host is the balancer's to choose; the path is the webhook's.
	opts.AcceptGuestflow(g, s.seed, wiring.Hook{URL: "http://webhooks" + g.Webhook.Path, CRMKey: g.Webhook.CRMKey.Value()})
	opts.Passquare.HookClient = sb.hooks.client()

	dayOpts, err := wiring.DayOptions(g, wiring.Day{
		Seed: s.seed, ArrivalsPerBranch: s.arrivals, ArrivalsOverTime: true, InstallShare: 0.8, Hooked: true,
	}, time.Now())
	if err != nil {
		return nil, err
	}
	sb.sandboxes = opts.Sandboxes()
	sb.day = scenario.Generate(dayOpts)
	if err := sb.day.Seed(sb.sandboxes); err != nil {
		return nil, err
	}
	sb.clock = scenario.NewClock(sb.day.Start, s.speed)

	serveCtx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i, h := range []http.Handler{sb.sandboxes.PassportScan, sb.sandboxes.Mews, sb.sandboxes.Passquare, sb.sandboxes.Passcreator} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := telemetry.Serve(serveCtx, listeners[i], h); err != nil {
				fmt.Fprintf(log, "sandbox on %s: %v\n", listeners[i].Addr(), err)
			}
		}()
	}
	sb.stop = func() { cancel(); wg.Wait() }
	return sb, nil
}
