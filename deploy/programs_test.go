package deploy_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// programNames are guestflow's programs, each a folder at the repository root.
var programNames = []string{"worker", "webhook", "starter"}

// program is what a guestflow program says about itself in --help.
type program struct {
	Name  string
	Path  string // the built binary; empty for a help text given directly
	Help  string
	Flags map[string]flag
	// Reads lists the environment variables the help names.
	Reads map[string]bool
}

type flag struct {
	Env     string
	Default string
}

var (
	flagLine   = regexp.MustCompile(`^\s*(?:-\w, )?--([a-z0-9][a-z0-9-]*)\b(.*)$`)
	envNote    = regexp.MustCompile(`\(env ([A-Z][A-Z0-9_]*)\)`)
	stringDflt = regexp.MustCompile(`\(default "([^"]*)"\)`)
)

// parseHelp reads pflag's usage as envflag annotates it:
//
//	--ops-addr string   address of /metrics (env GUESTFLOW_OPS_ADDR) (default ":9090")
func parseHelp(name, help string) *program {
	p := &program{Name: name, Help: help, Flags: map[string]flag{}, Reads: map[string]bool{}}
	for _, line := range strings.Split(help, "\n") {
		m := flagLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var f flag
		if e := envNote.FindStringSubmatch(m[2]); e != nil {
			f.Env = e[1]
			p.Reads[e[1]] = true
		}
		if d := stringDflt.FindStringSubmatch(m[2]); d != nil {
			f.Default = d[1]
		}
		p.Flags[m[1]] = f
	}
	return p
}

// buildPrograms builds every program whose folder exists into dir, in one
// go build so the packages they share compile once.
func buildPrograms(root, dir string) (present, missing []string, err error) {
	for _, name := range programNames {
		if st, err := os.Stat(filepath.Join(root, name)); err == nil && st.IsDir() {
			present = append(present, name)
		} else {
			missing = append(missing, name)
		}
	}
	if len(present) == 0 {
		return nil, missing, nil
	}
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	for _, name := range present {
		args = append(args, "./"+name)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return present, missing, nil
}

// helpOf runs the binary with args and --help, in an environment without
// guestflow's variables so the defaults shown are the program's own.
func helpOf(bin string, args ...string) (string, error) {
	cmd := exec.Command(bin, append(args, "--help")...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir()}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s %s --help: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	if !envNote.Match(out) {
		return "", fmt.Errorf("%s %s --help names no environment variable:\n%s", filepath.Base(bin), strings.Join(args, " "), out)
	}
	return string(out), nil
}
