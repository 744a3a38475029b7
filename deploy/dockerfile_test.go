package deploy_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dockerfileInstructions joins continued lines, one instruction a line.
func dockerfileInstructions(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	cur := ""
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") || (line == "" && cur == "") {
			continue
		}
		if rest, ok := strings.CutSuffix(line, "\\"); ok {
			cur += rest + " "
			continue
		}
		out = append(out, strings.Join(strings.Fields(cur+line), " "))
		cur = ""
	}
	return out
}

var goDirective = regexp.MustCompile(`(?m)^go (\d+\.\d+)`)

// The image holds every program the compose file runs, statically built
// with the Go release go.mod asks for, on a pinned distroless base.
func TestDockerfileBuildsEveryProgram(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := goDirective.FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	goVersion := string(m[1])

	var froms []string
	build, copyBins := "", ""
	for _, ins := range dockerfileInstructions(t) {
		switch {
		case strings.HasPrefix(ins, "FROM "):
			froms = append(froms, ins)
		case strings.HasPrefix(ins, "RUN ") && strings.Contains(ins, "go build"):
			build = ins
		case strings.HasPrefix(ins, "COPY --from=") && strings.HasSuffix(ins, " /usr/local/bin/"):
			copyBins = ins
		}
	}
	if len(froms) != 2 {
		t.Fatalf("want a builder and a runtime stage, got %q", froms)
	}
	if !strings.Contains(froms[0], " golang:"+goVersion+" ") {
		t.Errorf("builder %q is not golang:%s, the go directive of go.mod", froms[0], goVersion)
	}
	if froms[1] != "FROM gcr.io/distroless/static-debian12:nonroot" {
		t.Errorf("runtime %q, want gcr.io/distroless/static-debian12:nonroot", froms[1])
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", `-ldflags="-s -w"`, "-o /out/"} {
		if !strings.Contains(build, want) {
			t.Errorf("go build lacks %s: %q", want, build)
		}
	}

	c, err := readCompose(composePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range sortedKeys(c.Services) {
		s := c.Services[name]
		if !s.builtHere() || len(s.Command) == 0 {
			continue
		}
		prog := s.Command[0]
		if !strings.Contains(build+" ", " ./"+prog+" ") {
			t.Errorf("service %s runs %s, which the Dockerfile does not build: %q", name, prog, build)
		}
		if !strings.Contains(copyBins, "/out/"+prog+" ") {
			t.Errorf("service %s runs %s, which the Dockerfile does not copy to /usr/local/bin: %q", name, prog, copyBins)
		}
	}
}

// The credentials compose mounts must never be committed or sent to the
// Docker build.
func TestSecretFilesStayPrivate(t *testing.T) {
	c, err := readCompose(composePath)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Secrets) == 0 {
		t.Fatal("docker-compose.yml defines no secrets")
	}
	ignore, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains("\n"+string(ignore)+"\n", "\ndeploy/secrets\n") {
		t.Error(".dockerignore does not keep deploy/secrets out of the build context")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	for _, name := range sortedKeys(c.Secrets) {
		file := c.Secrets[name].File
		if file == "" {
			continue
		}
		cmd := exec.Command("git", "check-ignore", "-q", "--no-index", filepath.Clean(file))
		cmd.Dir = root
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &exit) && exit.ExitCode() == 1:
			t.Errorf("secret %s: git does not ignore %s", name, file)
		default:
			t.Skipf("git check-ignore: %v (not a git checkout?)", err)
		}
	}
}
