// Command webhook serves the hooks Passquare sends (createCustomer,
// readBalance, addBalance), Passcreator's app_scan_created webhook and the
// hotels' point-of-sale scan intake, and an ops server with /metrics,
// /healthz, /readyz and the Web UI's codec server.
package main

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"os"

	"golang.org/x/sync/errgroup"

	"github.com/guestflow/guestflow/hooks"
	"github.com/guestflow/guestflow/program"
	"github.com/guestflow/guestflow/telemetry"
	"github.com/guestflow/guestflow/vendors/passcreator"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

func main() { program.Exit("webhook", run(os.Args[1:])) }

func run(args []string) error {
	var f program.Flags
	fs := program.NewFlagSet("webhook", &f)
	listen := fs.String("listen", ":8080", "address of the hook endpoints")
	opsAddr := fs.String("ops-addr", ":9091", "address of /metrics, /healthz, /readyz and /codec")
	certFile := fs.String("tls-cert", "", "certificate file, to serve HTTPS without a proxy in front")
	keyFile := fs.String("tls-key", "", "key file of --tls-cert")
	p, err := program.Start(fs, &f, args, os.Stderr)
	if err != nil {
		return err
	}
	defer p.Close()
	if !p.Config.Webhook.Configured() {
		return program.UsageError{Err: errors.New(p.Config.File + ": [webhook] is missing: set crm_key or basic_user and basic_password")}
	}
	ctx, stop := program.SignalContext()
	defer stop()

	temporal := hooks.NewTemporal(p.Temporal)
	h, err := hooks.New(hooks.Options{
		Temporal: temporal,
		Passcreator: passcreator.New(passcreator.Options{
			APIKey: p.Config.Passcreator.APIKey.Value(), BaseURL: p.Config.Passcreator.BaseURL,
			HTTP: &http.Client{}, Metrics: vendorhttp.NewMetrics(p.Metrics), Logger: p.Logger,
		}),
		Config:  p.Config,
		Logger:  p.Logger,
		Metrics: p.Metrics,
	})
	if err != nil {
		return program.UsageError{Err: err}
	}
	ln, err := listener(*listen, *certFile, *keyFile)
	if err != nil {
		return err
	}
	var codec http.Handler
	if enc := p.Config.Encryption; enc.UIOrigin != "" {
		codec = p.Codec.Handler(enc.UIOrigin, enc.CodecToken.Value())
		if enc.CodecToken == "" {
			p.Logger.Warn("the codec server decrypts for anyone reaching the ops address: set [encryption] codec_token")
		}
	}
	ops := hooks.Ops(&telemetry.Server{Registry: p.Metrics, Logger: p.Logger}, temporal, codec)
	opsLn, err := net.Listen("tcp", *opsAddr)
	if err != nil {
		ln.Close()
		return err
	}
	p.Logger.Info("webhook started", "listen", ln.Addr().String(), "tls", *certFile != "",
		"passquare_path", p.Config.Webhook.Path, "ops_addr", opsLn.Addr().String())

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return telemetry.Serve(gctx, ln, h) })
	g.Go(func() error { return telemetry.Serve(gctx, opsLn, ops) })
	return g.Wait()
}

// listener listens on addr, with TLS when a certificate is given, since
// Passquare calls only HTTPS addresses.
func listener(addr, certFile, keyFile string) (net.Listener, error) {
	if (certFile == "") != (keyFile == "") {
		return nil, program.UsageError{Err: errors.New("--tls-cert and --tls-key go together")}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil || certFile == "" {
		return ln, err
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		ln.Close()
		return nil, program.UsageError{Err: err}
	}
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), nil
}
