package deploy_test

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
)

// deployment is everything the checks compare: the compose file, the
// programs as their --help describes them (absent when not built yet), and
// the "${NAME}" references of the configuration file compose mounts.
type deployment struct {
	Compose *composeFile
	// Programs by name; a missing one is not built yet and its checks that
	// need --help are skipped.
	Programs map[string]*program
	// SecretRefs are the NAMEs of "${NAME}" in ConfigFile.
	SecretRefs []string
	// ConfigFile is the configuration, relative to the compose file.
	ConfigFile string
	// UIOrigin is the configuration's encryption.ui_origin.
	UIOrigin string
}

// temporalClientEnv are the variables go.temporal.io/sdk/contrib/envconfig
// reads for temporalclient besides the two --help names: credentials and TLS
// for Temporal Cloud, which have no flag on purpose.
var temporalClientEnv = []string{
	"TEMPORAL_API_KEY", "TEMPORAL_CLIENT_AUTHORITY", "TEMPORAL_PROFILE", "TEMPORAL_CONFIG_FILE",
	"TEMPORAL_TLS", "TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CLIENT_CERT_DATA",
	"TEMPORAL_TLS_CLIENT_KEY_PATH", "TEMPORAL_TLS_CLIENT_KEY_DATA", "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
	"TEMPORAL_TLS_SERVER_CA_CERT_DATA", "TEMPORAL_TLS_SERVER_NAME", "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION",
}

// problems runs every check and lists what disagrees, one line each.
func (d *deployment) problems() []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }

	for _, name := range sortedKeys(d.Compose.Services) {
		s := d.Compose.Services[name]
		d.checkImage(name, s, add)
		d.checkMountsExist(name, s, add)
		d.checkTemporalAddress(name, s, add)
		if s.builtHere() {
			d.checkProgramService(name, s, add)
		}
	}
	d.checkSecretFiles(add)
	d.checkEveryProgramRuns(add)
	d.checkWebUI(add)
	return out
}

func (d *deployment) checkImage(name string, s *service, add func(string, ...any)) {
	ref := interpolate(s.Image)
	if ref == "" {
		add("service %s: no image: name the image so its version is pinned", name)
		return
	}
	ref, _, digest := strings.Cut(ref, "@")
	tag := ""
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		tag = ref[i+1:]
	}
	if !digest && (tag == "" || tag == "latest") {
		add("service %s: image %q is not pinned to a version", name, s.Image)
	}
}

func (d *deployment) checkMountsExist(name string, s *service, add func(string, ...any)) {
	for _, m := range s.Secrets {
		if _, ok := d.Compose.Secrets[m.Source]; !ok {
			add("service %s: secret %q is not defined under secrets:", name, m.Source)
		}
	}
	for _, m := range s.Configs {
		if _, ok := d.Compose.Configs[m.Source]; !ok {
			add("service %s: config %q is not defined under configs:", name, m.Source)
		}
	}
}

// checkTemporalAddress: whoever talks to Temporal must name the Temporal
// service of this file and its frontend port.
func (d *deployment) checkTemporalAddress(name string, s *service, add func(string, ...any)) {
	addr, ok := s.Environment["TEMPORAL_ADDRESS"]
	if !ok {
		if s.builtHere() {
			add("service %s: TEMPORAL_ADDRESS is not set", name)
		}
		return
	}
	host, p, err := net.SplitHostPort(interpolate(addr))
	if err != nil {
		add("service %s: TEMPORAL_ADDRESS %q is not host:port", name, addr)
		return
	}
	if _, ok := d.Compose.Services[host]; !ok || p != "7233" {
		add("service %s: TEMPORAL_ADDRESS %q is not a service of this file on the frontend port 7233", name, addr)
	}
}

// checkSecretFiles: credentials come from files under deploy/secrets/, which
// git ignores (checked by the test with git itself).
func (d *deployment) checkSecretFiles(add func(string, ...any)) {
	for _, name := range sortedKeys(d.Compose.Secrets) {
		sec := d.Compose.Secrets[name]
		if sec.Environment != "" {
			continue
		}
		if filepath.Dir(filepath.Clean(sec.File)) != filepath.Join("deploy", "secrets") {
			add("secret %s: file %q is not in deploy/secrets/", name, sec.File)
		}
	}
}

func (d *deployment) checkEveryProgramRuns(add func(string, ...any)) {
	runs := map[string]bool{}
	for _, s := range d.Compose.Services {
		if s.builtHere() && len(s.Command) > 0 {
			runs[s.Command[0]] = true
		}
	}
	for _, name := range programNames {
		if !runs[name] {
			add("no service runs the %s program", name)
		}
	}
}

func (d *deployment) checkProgramService(name string, s *service, add func(string, ...any)) {
	if len(s.Command) == 0 || !slices.Contains(programNames, s.Command[0]) {
		add("service %s: built from the Dockerfile but command %q runs none of %v", name, []string(s.Command), programNames)
		return
	}
	prog := d.Programs[s.Command[0]]
	d.checkConfigMount(name, s, add)
	d.checkSecretsProvided(name, s, add)
	if prog != nil {
		d.checkVariablesRead(name, s, prog, add)
		d.checkPorts(name, s, prog, add)
	}
	switch s.Command[0] {
	case "worker":
		// --scale worker=N needs replicas that do not collide.
		if s.ContainerName != "" {
			add("service %s: container_name %q stops --scale worker=N", name, s.ContainerName)
		}
		for _, p := range s.Ports {
			if p.Host != "" {
				add("service %s: host port %s stops --scale worker=N", name, p.Host)
			}
		}
	case "starter":
		if s.Restart != "" && s.Restart != "no" {
			add("service %s: the starter runs once, but restart is %q", name, s.Restart)
		}
	}
}

func (d *deployment) checkConfigMount(name string, s *service, add func(string, ...any)) {
	want, ok := s.Environment["GUESTFLOW_CONFIG"]
	if !ok {
		add("service %s: GUESTFLOW_CONFIG is not set", name)
		return
	}
	for _, m := range s.Configs {
		if m.configPath() != interpolate(want) {
			continue
		}
		file := d.Compose.Configs[m.Source].File
		if filepath.Clean(file) != filepath.Clean(d.ConfigFile) {
			add("service %s: GUESTFLOW_CONFIG %s is config %q from %q, not %s", name, want, m.Source, file, d.ConfigFile)
		}
		return
	}
	add("service %s: GUESTFLOW_CONFIG %s is not where a config is mounted", name, want)
}

// checkSecretsProvided: every "${NAME}" of the configuration resolves in the
// container, as NAME or as NAME_FILE naming a secret mounted there, and no
// mounted secret is left unused.
func (d *deployment) checkSecretsProvided(name string, s *service, add func(string, ...any)) {
	mounted := map[string]string{} // path -> secret
	for _, m := range s.Secrets {
		mounted[m.secretPath()] = m.Source
	}
	used := map[string]bool{}
	for _, ref := range d.SecretRefs {
		if v := s.Environment[ref]; v != "" {
			continue
		}
		path, ok := s.Environment[ref+"_FILE"]
		if !ok {
			add("service %s: %s in %s is not provided as %s or %s_FILE", name, "${"+ref+"}", d.ConfigFile, ref, ref)
			continue
		}
		sec, ok := mounted[interpolate(path)]
		if !ok {
			add("service %s: %s_FILE=%s is not where a secret is mounted", name, ref, path)
			continue
		}
		used[sec] = true
	}
	for _, m := range s.Secrets {
		if !used[m.Source] {
			add("service %s: secret %q is mounted but no NAME_FILE of %s points at it", name, m.Source, d.ConfigFile)
		}
	}
}

// checkVariablesRead: a variable the program does not read is a typo or a
// leftover, and silently does nothing.
func (d *deployment) checkVariablesRead(name string, s *service, prog *program, add func(string, ...any)) {
	known := map[string]bool{}
	for v := range prog.Reads {
		known[v] = true
	}
	if prog.Reads["TEMPORAL_ADDRESS"] {
		for _, v := range temporalClientEnv {
			known[v] = true
		}
	}
	for _, ref := range d.SecretRefs {
		known[ref], known[ref+"_FILE"] = true, true
	}
	for _, v := range sortedKeys(s.Environment) {
		if !known[v] && !strings.HasPrefix(v, "TEMPORAL_GRPC_META_") {
			add("service %s: %s is set but %s does not read it (--help names %v) and %s does not reference it",
				name, v, prog.Name, sortedKeys(prog.Reads), d.ConfigFile)
		}
	}
}

// listenFlags are a program's flags that take an address it listens on.
func listenFlags(prog *program) []string {
	var out []string
	for _, f := range sortedKeys(prog.Flags) {
		if f == "listen" || strings.HasSuffix(f, "-addr") || strings.HasSuffix(f, "-listen") {
			out = append(out, f)
		}
	}
	return out
}

// listenPort is the port a flag ends up with in the container: the command
// line wins over the environment, which wins over the default.
func listenPort(s *service, prog *program, name string) (string, error) {
	f := prog.Flags[name]
	value, from := f.Default, "default"
	if v, ok := s.Environment[f.Env]; ok && f.Env != "" && v != "" {
		value, from = interpolate(v), f.Env
	}
	args := s.Command[1:]
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			value, from = v, "command"
		} else if a == "--"+name && i+1 < len(args) {
			value, from = args[i+1], "command"
		}
	}
	_, p, err := net.SplitHostPort(value)
	if err != nil || p == "" {
		return "", fmt.Errorf("--%s %q (from %s) is not [host]:port", name, value, from)
	}
	return p, nil
}

// checkPorts: every published port is one the program listens on; the
// webhook publishes all of its own (vendors call one, browsers the other).
func (d *deployment) checkPorts(name string, s *service, prog *program, add func(string, ...any)) {
	listens := map[string]string{} // port -> flag
	for _, f := range listenFlags(prog) {
		p, err := listenPort(s, prog, f)
		if err != nil {
			add("service %s: %v", name, err)
			continue
		}
		listens[p] = f
	}
	published := map[string]bool{}
	for _, p := range s.Ports {
		published[p.Container] = true
		if _, ok := listens[p.Container]; !ok {
			add("service %s: publishes container port %s, but %s listens on %v", name, p.Container, prog.Name, listens)
		}
	}
	if prog.Name != "webhook" {
		return
	}
	for p, f := range listens {
		if !published[p] {
			add("service %s: --%s listens on %s, which is not published", name, f, p)
		}
	}
}

// checkWebUI: the Web UI's browser side must reach the webhook's codec
// server, and the codec server must allow the UI's origin.
func (d *deployment) checkWebUI(add func(string, ...any)) {
	var ui *service
	for _, s := range d.Compose.Services {
		if strings.HasPrefix(interpolate(s.Image), "temporalio/ui:") {
			ui = s
		}
	}
	if ui == nil {
		add("no service runs the Temporal Web UI (temporalio/ui)")
		return
	}
	uiPort := ""
	for _, p := range ui.Ports {
		if p.Container == "8080" {
			uiPort = p.Host
		}
	}
	origin, err := url.Parse(d.UIOrigin)
	if err != nil || origin.Port() != uiPort {
		add("encryption.ui_origin %q of %s is not the Web UI's published port %q", d.UIOrigin, d.ConfigFile, uiPort)
	}
	if !slices.Contains(strings.Split(interpolate(ui.Environment["TEMPORAL_CORS_ORIGINS"]), ","), d.UIOrigin) {
		add("temporal-ui: TEMPORAL_CORS_ORIGINS %q lacks encryption.ui_origin %q", ui.Environment["TEMPORAL_CORS_ORIGINS"], d.UIOrigin)
	}

	endpoint, err := url.Parse(interpolate(ui.Environment["TEMPORAL_CODEC_ENDPOINT"]))
	if err != nil || endpoint.Port() == "" {
		add("temporal-ui: TEMPORAL_CODEC_ENDPOINT %q has no port", ui.Environment["TEMPORAL_CODEC_ENDPOINT"])
		return
	}
	for _, name := range sortedKeys(d.Compose.Services) {
		s := d.Compose.Services[name]
		if !s.builtHere() || len(s.Command) == 0 || s.Command[0] != "webhook" {
			continue
		}
		for _, p := range s.Ports {
			if p.Host != endpoint.Port() {
				continue
			}
			if prog := d.Programs["webhook"]; prog != nil {
				if ops, err := listenPort(s, prog, "ops-addr"); err == nil && ops != p.Container {
					add("temporal-ui: TEMPORAL_CODEC_ENDPOINT port %s reaches webhook port %s, not its --ops-addr port %s", p.Host, p.Container, ops)
				}
			}
			return
		}
	}
	add("temporal-ui: TEMPORAL_CODEC_ENDPOINT %s is on no port the webhook publishes", endpoint)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
