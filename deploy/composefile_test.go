package deploy_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// composeFile is the part of the Compose specification guestflow's file
// uses, in both the short and the long syntax where Compose allows both.
type composeFile struct {
	Services map[string]*service `yaml:"services"`
	Configs  map[string]struct {
		File string `yaml:"file"`
	} `yaml:"configs"`
	Secrets map[string]struct {
		File        string `yaml:"file"`
		Environment string `yaml:"environment"`
	} `yaml:"secrets"`
}

type service struct {
	Image         string     `yaml:"image"`
	Build         *yaml.Node `yaml:"build"`
	ContainerName string     `yaml:"container_name"`
	Command       command    `yaml:"command"`
	Environment   environ    `yaml:"environment"`
	Ports         []port     `yaml:"ports"`
	Configs       []mount    `yaml:"configs"`
	Secrets       []mount    `yaml:"secrets"`
	Restart       string     `yaml:"restart"`
	Entrypoint    command    `yaml:"entrypoint"`
	Volumes       []string   `yaml:"volumes"`
}

// builtHere tells guestflow's own services (built from the repository's
// Dockerfile) from the third-party ones.
func (s *service) builtHere() bool { return s.Build != nil }

func readCompose(path string) (*composeFile, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

// command is the exec form or a string Compose splits on spaces.
type command []string

func (c *command) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*c = strings.Fields(n.Value)
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*c = list
	return nil
}

// environ is a service's environment, written as a map or as KEY=VALUE.
type environ map[string]string

func (e *environ) UnmarshalYAML(n *yaml.Node) error {
	out := environ{}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		var m map[string]any // Decode follows aliases and merge keys
		if err := n.Decode(&m); err != nil {
			return err
		}
		for k, v := range m {
			if v != nil {
				out[k] = fmt.Sprint(v)
			}
		}
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		for _, kv := range list {
			k, v, _ := strings.Cut(kv, "=")
			out[k] = v
		}
	default:
		return fmt.Errorf("line %d: environment must be a map or a list", n.Line)
	}
	*e = out
	return nil
}

// port is one published port; Host is empty when Docker picks one.
type port struct {
	HostIP, Host, Container string
}

func (p *port) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		var long struct {
			Target    string `yaml:"target"`
			Published string `yaml:"published"`
			HostIP    string `yaml:"host_ip"`
		}
		if err := n.Decode(&long); err != nil {
			return err
		}
		*p = port{HostIP: long.HostIP, Host: long.Published, Container: long.Target}
		return nil
	}
	spec, _, _ := strings.Cut(n.Value, "/") // "8080:8080/tcp"
	parts := strings.Split(spec, ":")
	switch len(parts) {
	case 1:
		*p = port{Container: parts[0]}
	case 2:
		*p = port{Host: parts[0], Container: parts[1]}
	case 3:
		*p = port{HostIP: parts[0], Host: parts[1], Container: parts[2]}
	default:
		return fmt.Errorf("line %d: port %q is not [ip:][host:]container", n.Line, n.Value)
	}
	return nil
}

// mount is a secret or config given to a service.
type mount struct {
	Source, Target string
}

func (m *mount) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*m = mount{Source: n.Value}
		return nil
	}
	var long struct {
		Source string `yaml:"source"`
		Target string `yaml:"target"`
	}
	if err := n.Decode(&long); err != nil {
		return err
	}
	*m = mount{Source: long.Source, Target: long.Target}
	return nil
}

// secretPath is where Compose mounts a secret: /run/secrets/<target or
// source> unless the target is absolute.
func (m mount) secretPath() string {
	switch {
	case strings.HasPrefix(m.Target, "/"):
		return m.Target
	case m.Target != "":
		return "/run/secrets/" + m.Target
	}
	return "/run/secrets/" + m.Source
}

// configPath is where Compose mounts a config: /<source> without a target.
func (m mount) configPath() string {
	if m.Target != "" {
		return m.Target
	}
	return "/" + m.Source
}

var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}`)

// interpolate resolves ${VAR:-default} as Compose does with VAR unset, the
// value a fresh deployment gets.
func interpolate(s string) string {
	return interpolation.ReplaceAllString(s, "$2")
}
