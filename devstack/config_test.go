package main

import (
	"testing"

	"github.com/guestflow/guestflow/config"
)

// The configuration the dev stack writes must load as it is.
func TestDevStackConfigurationIsValid(t *testing.T) {
	g, err := config.Parse("devstack/guestflow.toml", string(configFile), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if len(g.BranchIDs) != 3 {
		t.Errorf("branches: %v", g.BranchIDs)
	}
}
