package deploy_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// composeVolumes is each service's bind mounts, container path -> path
// relative to the repository.
func composeVolumes(t *testing.T) map[string]map[string]string {
	t.Helper()
	raw, err := os.ReadFile(composePath)
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Volumes []string `yaml:"volumes"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for name, s := range compose.Services {
		out[name] = map[string]string{}
		for _, v := range s.Volumes {
			parts := strings.Split(v, ":")
			if len(parts) >= 2 && strings.HasPrefix(parts[0], "./") {
				out[name][parts[1]] = parts[0]
			}
		}
	}
	return out
}

// hostPath is the repository file behind a container path of a service's
// bind mounts, or "" when none holds it.
func hostPath(mounts map[string]string, path string) string {
	for target, source := range mounts {
		if path == target {
			return filepath.Join(root, source)
		}
		if rel, ok := strings.CutPrefix(path, target+"/"); ok {
			return filepath.Join(root, source, rel)
		}
	}
	return ""
}

// Grafana is provisioned from files in this repository: its data source is
// the compose file's Prometheus, and its dashboards parse and draw
// guestflow's metrics from that data source.
func TestGrafanaIsProvisioned(t *testing.T) {
	volumes := composeVolumes(t)
	grafana, prometheus := volumes["grafana"], volumes["prometheus"]
	if grafana == nil || prometheus == nil {
		t.Fatal("docker-compose.yml has no grafana or prometheus service")
	}
	for target, source := range grafana {
		if _, err := os.Stat(filepath.Join(root, source)); err != nil {
			t.Errorf("grafana mounts %s at %s: %v", source, target, err)
		}
	}
	if p := hostPath(prometheus, "/etc/prometheus/prometheus.yml"); p == "" {
		t.Error("prometheus does not mount its configuration")
	} else if raw, err := os.ReadFile(p); err != nil {
		t.Error(err)
	} else {
		for _, target := range []string{"worker", "9090", "webhook:9091"} {
			if !strings.Contains(string(raw), target) {
				t.Errorf("%s does not scrape %s", p, target)
			}
		}
	}

	dir := hostPath(grafana, "/etc/grafana/provisioning")
	if dir == "" {
		t.Fatal("grafana does not mount /etc/grafana/provisioning")
	}
	var sources struct {
		Datasources []struct {
			UID  string `yaml:"uid"`
			Type string `yaml:"type"`
			URL  string `yaml:"url"`
		} `yaml:"datasources"`
	}
	readYAML(t, filepath.Join(dir, "datasources", "prometheus.yml"), &sources)
	uids := map[string]bool{}
	for _, s := range sources.Datasources {
		uids[s.UID] = true
		if s.Type == "prometheus" && s.URL != "http://prometheus:9090" {
			t.Errorf("data source %s reaches %s, not the prometheus service", s.UID, s.URL)
		}
	}
	var providers struct {
		Providers []struct {
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	readYAML(t, filepath.Join(dir, "dashboards", "guestflow.yml"), &providers)
	if len(providers.Providers) == 0 {
		t.Fatal("no dashboard provider")
	}
	var exprs strings.Builder
	for _, p := range providers.Providers {
		dashboards := hostPath(grafana, p.Options.Path)
		if dashboards == "" {
			t.Fatalf("the provider's path %s is not mounted into grafana", p.Options.Path)
		}
		files, _ := filepath.Glob(filepath.Join(dashboards, "*.json"))
		if len(files) == 0 {
			t.Errorf("no dashboard in %s", dashboards)
		}
		for _, f := range files {
			exprs.WriteString(checkDashboard(t, f, uids))
		}
	}
	for _, metric := range []string{"guestflow_stays", "guestflow_vendor_requests_total", `status="429"`, "guestflow_vendor_request_duration_seconds_bucket"} {
		if !strings.Contains(exprs.String(), metric) {
			t.Errorf("no dashboard panel draws %s", metric)
		}
	}
}

// checkDashboard parses a dashboard, checks each panel's data source is
// provisioned, and returns its queries.
func checkDashboard(t *testing.T, file string, uids map[string]bool) string {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID    string `json:"uid"`
		Panels []struct {
			Title      string `json:"title"`
			Datasource struct {
				UID string `json:"uid"`
			} `json:"datasource"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if d.UID == "" || len(d.Panels) == 0 {
		t.Errorf("%s: no uid or no panels", file)
	}
	var exprs strings.Builder
	for _, p := range d.Panels {
		if !uids[p.Datasource.UID] {
			t.Errorf("%s: panel %q uses data source %q, which is not provisioned", file, p.Title, p.Datasource.UID)
		}
		for _, tg := range p.Targets {
			exprs.WriteString(tg.Expr + "\n")
		}
	}
	return exprs.String()
}

func readYAML(t *testing.T, file string, v any) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}
