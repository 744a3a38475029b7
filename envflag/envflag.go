// Package envflag gives every pflag flag an environment-variable fallback, so
// the same program runs from a shell (flags), from docker-compose and
// Kubernetes (environment), or both, with flags winning.
package envflag

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/pflag"
)

// Prefix starts the environment variable of every flag without an explicit one.
const Prefix = "GUESTFLOW_"

const annotation = "envflag.name"

// Name is the environment variable that feeds flag name: the explicit one
// given to Env, else GUESTFLOW_ and the flag name in upper snake case.
func Name(fs *pflag.FlagSet, name string) string {
	if f := fs.Lookup(name); f != nil {
		if v := f.Annotations[annotation]; len(v) == 1 {
			return v[0]
		}
	}
	return Prefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// Env names the environment variable of a flag explicitly, for variables with
// an established name such as TEMPORAL_ADDRESS.
func Env(fs *pflag.FlagSet, flag, variable string) {
	if err := fs.SetAnnotation(flag, annotation, []string{variable}); err != nil {
		panic(err) // a programming error: the flag was not defined
	}
}

// Parse parses args, then fills every flag not given on the command line from
// its environment variable. The usage text names each variable.
func Parse(fs *pflag.FlagSet, args []string) error {
	fs.VisitAll(func(f *pflag.Flag) {
		if !strings.Contains(f.Usage, "(env ") {
			f.Usage += " (env " + Name(fs, f.Name) + ")"
		}
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed {
			return
		}
		env := Name(fs, f.Name)
		v, ok := os.LookupEnv(env)
		if !ok || v == "" {
			return
		}
		if serr := fs.Set(f.Name, v); serr != nil {
			err = fmt.Errorf("environment variable %s: %w", env, serr)
		}
	})
	return err
}
