package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestARowFailsOnAnyLossDuplicateOrUnsettledStay(t *testing.T) {
	clean := row{Scenario: "worker-sigkill", Guests: 10, Settled: 10, InBound: true}
	if clean.failed() {
		t.Fatal("a clean row failed")
	}
	for name, r := range map[string]row{
		"lost":           {InBound: true, Lost: 1},
		"Mews customer":  {InBound: true, DupMewsCustomers: 1},
		"Mews document":  {InBound: true, DupMewsDocuments: 1},
		"card":           {InBound: true, DupCards: 1},
		"credit":         {InBound: true, DoubleCredits: 1},
		"balance":        {InBound: true, WrongBalances: 1},
		"429":            {InBound: true, Passquare429s: 1},
		"not settled":    {InBound: false},
		"scenario check": {InBound: true, Problems: []string{"addBalance with another sum was granted"}},
	} {
		if !r.failed() {
			t.Errorf("%s: the row passed", name)
		}
	}
}

func TestTheTableComparesEachScenarioWithTheBaseline(t *testing.T) {
	var out bytes.Buffer
	printTable(&out, []row{
		{Scenario: baselineName, Guests: 10, Settled: 10, InBound: true, SettleSeconds: 20},
		{Scenario: "vendor-faults", Guests: 10, Settled: 10, InBound: true, SettleSeconds: 50},
		{Scenario: "temporal-restart", Guests: 10, Settled: 9, Lost: 1, Problems: []string{"stay/rome/1/2: no stay"}},
	})
	text := out.String()
	for _, want := range []string{"time to settle", "50.0s (2.50x)", "not settled", "temporal-restart: PROBLEM stay/rome/1/2: no stay"} {
		if !strings.Contains(text, want) {
			t.Errorf("the table lacks %q:\n%s", want, text)
		}
	}
}
