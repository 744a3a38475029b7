package scenario_test

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guestflow/guestflow/lifecycle"
	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/scenario"
)

func TestSameSeedAndDayGiveTheSameDay(t *testing.T) {
	for _, tc := range []struct {
		name     string
		seed     int64
		day      rules.Date
		arrivals int
	}{
		{"dev stack", 1, day, 40},
		{"another seed", 987654321, day, 25},
		{"leap day", 7, rules.Date{Year: 2028, Month: 2, Day: 29}, 30},
		{"clocks go back", 3, rules.Date{Year: 2026, Month: 10, Day: 25}, 30},
		{"no arrivals", 5, day, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := options(tc.seed, tc.arrivals)
			o.Day = tc.day
			a, b := scenario.Generate(o), scenario.Generate(o)
			assert.True(t, reflect.DeepEqual(a.Reservations, b.Reservations), "same options, same reservations")
			assert.True(t, reflect.DeepEqual(a.Timeline(), b.Timeline()), "same options, same timeline")
			assert.Equal(t, a.Expected(), b.Expected())

			o.Seed++
			c := scenario.Generate(o)
			if tc.arrivals > 0 {
				assert.NotEqual(t, phones(a), phones(c), "another seed, other guests")
			}
		})
	}
}

func phones(d *scenario.Day) []string {
	var out []string
	for _, g := range d.Guests() {
		out = append(out, g.E164)
	}
	return out
}

func TestEachCaseHasItsShareOfEachBranch(t *testing.T) {
	custom := map[scenario.Case]float64{scenario.LateDocument: 0.5, scenario.Minor: 0.1, scenario.Returning: 0.2}
	for _, tc := range []struct {
		name     string
		seed     int64
		arrivals int
		shares   map[scenario.Case]float64
	}{
		{"default shares", 1, 60, nil},
		{"default shares, small day", 11, 8, nil},
		{"default shares, big day", 42, 300, nil},
		{"custom shares", 2, 50, custom},
		{"no cases", 3, 20, map[scenario.Case]float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := options(tc.seed, tc.arrivals)
			o.Shares = tc.shares
			want := tc.shares
			if want == nil {
				want = scenario.DefaultShares()
			}
			d := scenario.Generate(o)
			for _, b := range o.Branches {
				counts, guests := map[scenario.Case]int{}, 0
				for _, g := range d.Guests() {
					if g.BranchID == b.ID {
						counts[g.Case]++
						guests++
					}
				}
				assigned := 0
				for _, c := range scenario.Cases {
					share := int(math.Round(want[c] * float64(guests)))
					assert.Equal(t, share, counts[c], "%s at %s: %d guests", c, b.ID, guests)
					assigned += counts[c]
				}
				assert.Equal(t, guests-assigned, counts[scenario.Ordinary], "the rest are ordinary")
			}
		})
	}
}

func TestGuestsLookLikeAHotelDay(t *testing.T) {
	o := options(1, 80)
	d := scenario.Generate(o)
	emails, e164s, nonASCII, national, international := map[string]bool{}, map[string]bool{}, 0, 0, 0
	for _, r := range d.Reservations {
		b, _ := d.Branch(r.BranchID)
		loc, _ := time.LoadLocation(b.TimeZone)
		local := r.CheckIn.In(loc)
		assert.Equal(t, day, rules.DateOf(local), "check-in on the day at the branch")
		assert.GreaterOrEqual(t, local.Hour(), 7)
		nights := daysBetween(r.Arrival, r.Departure)
		assert.True(t, nights >= 1 && nights <= 7, "departure 1 to 7 days later, got %d", nights)
		require.True(t, len(r.Guests) >= 1 && len(r.Guests) <= 4)
		assert.True(t, r.Guests[0].Leader)
		for _, g := range r.Guests {
			assert.False(t, g.Case == scenario.Minor && g.Leader, "a minor never leads a reservation")
			if strings.IndexFunc(g.FirstName+g.LastName, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
				nonASCII++
			}
			if g.Email != "" {
				assert.False(t, emails[g.Email], "e-mails are unique")
				emails[g.Email] = true
			}
			if g.Phone == "" {
				assert.Empty(t, g.E164)
				continue
			}
			got, err := rules.NormalisePhone(g.Phone, b.Country)
			require.NoError(t, err, "guest %d", g.CustomerID)
			assert.Equal(t, g.E164, got)
			assert.False(t, e164s[g.E164], "phones are unique")
			e164s[g.E164] = true
			if strings.HasPrefix(g.Phone, "+") || strings.HasPrefix(g.Phone, "00") {
				international++
			} else {
				national++
			}
		}
	}
	assert.Positive(t, nonASCII, "names with accents and other scripts")
	assert.Positive(t, national, "phones in national form")
	assert.Positive(t, international, "phones in international form")
}

func daysBetween(a, b rules.Date) int {
	return int(b.At(time.UTC, 0).Sub(a.At(time.UTC, 0)).Hours() / 24)
}

// Each case ends where the branch's rules send it.
func TestCasesEndWhereTheRulesSendThem(t *testing.T) {
	d := scenario.Generate(options(4, 120))
	type end struct {
		stage  lifecycle.Stage
		reason rules.Reason
	}
	wallet := end{lifecycle.StageWalletIssued, ""}
	for _, g := range d.Guests() {
		want := map[scenario.Case]end{
			scenario.Ordinary:          wallet,
			scenario.LateDocument:      wallet,
			scenario.Returning:         wallet,
			scenario.NoDocument:        {lifecycle.StageAwaitingDocument, rules.DocumentMissing},
			scenario.ExpiredDocument:   {lifecycle.StageNeedsAttention, rules.DocumentExpired},
			scenario.BadRecognition:    {lifecycle.StageNeedsAttention, rules.DocumentNotRecognised},
			scenario.NoPhone:           {lifecycle.StageNoWallet, rules.NoPhone},
			scenario.ConsentRefused:    {lifecycle.StageNoWallet, rules.NoConsent},
			scenario.ConsentUnanswered: {lifecycle.StageNoWallet, rules.NoConsent},
			scenario.Minor:             {lifecycle.StageNoWallet, rules.Minor},
		}
		if g.BranchID == "lisbon" {
			want[scenario.ConsentUnanswered] = wallet // the branch reads no answer as yes
		}
		got := end{g.Outcome.Stage, g.Outcome.Reason}
		if g.Case == scenario.OutletScans {
			assert.Contains(t, []lifecycle.Stage{lifecycle.StageBonusCredited, lifecycle.StageScansRecorded}, got.stage)
			assert.True(t, len(g.Scans) >= 2 && len(g.Scans) <= 5, "several scans")
			assert.True(t, g.InstallsCard, "a card used at the bar is installed")
			continue
		}
		assert.Equal(t, want[g.Case], got, "guest %d, case %q at %s", g.CustomerID, g.Case, g.BranchID)
		assert.Equal(t, got.stage != lifecycle.StageAwaitingDocument && got.stage != lifecycle.StageNeedsAttention, g.Outcome.Mews)
		assert.Equal(t, got.stage == lifecycle.StageWalletIssued, g.Outcome.Card)
	}
}

func TestExpectedCountsTheOutcomes(t *testing.T) {
	d := scenario.Generate(options(9, 70))
	e := d.Expected()
	guests := d.Guests()
	assert.Equal(t, len(guests), e.Guests)

	stages, cards, installs, scans, credits := 0, 0, 0, 0, decimal.Zero
	for _, n := range e.Stages {
		stages += n
	}
	assert.Equal(t, e.Guests, stages)
	sum := func(m map[rules.Reason]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	assert.Equal(t, e.Stages[lifecycle.StageNeedsAttention], sum(e.NeedsAttention))
	assert.Equal(t, e.Stages[lifecycle.StageNoWallet], sum(e.NoWallet))
	assert.Equal(t, e.Stages[lifecycle.StageAwaitingDocument], e.AwaitingDocument)
	for _, g := range guests {
		if g.Outcome.Card {
			cards++
			scans += len(g.Scans)
			credits = credits.Add(g.Outcome.Credit)
			if g.InstallsCard {
				installs++
			}
		}
	}
	assert.Equal(t, cards, e.Cards)
	assert.Equal(t, installs, e.Installs)
	assert.Equal(t, scans, e.OutletScans)
	assert.True(t, credits.Equal(e.Credits))
	assert.True(t, e.Credits.IsPositive(), "real uses at branches with a bonus earn credits")
	assert.Less(t, e.Installs, e.Cards, "most cards are installed, not all")
	assert.Greater(t, e.Installs, e.Cards/2)
	assert.Equal(t, e.Cases[scenario.ExpiredDocument], e.NeedsAttention[rules.DocumentExpired])
	assert.Equal(t, e.Cases[scenario.Minor], e.NoWallet[rules.Minor])
}

func TestValidateRefusesWhatGenerateCannotUse(t *testing.T) {
	good := options(1, 10)
	require.NoError(t, good.Validate())
	for name, change := range map[string]func(*scenario.Options){
		"no day":          func(o *scenario.Options) { o.Day = rules.Date{} },
		"no branches":     func(o *scenario.Options) { o.Branches = nil },
		"repeated branch": func(o *scenario.Options) { o.Branches[1].ID = o.Branches[0].ID },
		"unknown zone":    func(o *scenario.Options) { o.Branches[0].TimeZone = "Mars/Olympus" },
		"unknown country": func(o *scenario.Options) { o.Branches[0].Country = "ZZ" },
		"shares above 1": func(o *scenario.Options) {
			o.Shares = map[scenario.Case]float64{scenario.Minor: 0.6, scenario.NoPhone: 0.5}
		},
		"negative share":    func(o *scenario.Options) { o.Shares = map[scenario.Case]float64{scenario.Minor: -0.1} },
		"unknown case":      func(o *scenario.Options) { o.Shares = map[scenario.Case]float64{"Drunk": 0.1} },
		"too many arrivals": func(o *scenario.Options) { o.ArrivalsPerBranch = 10000 },
	} {
		t.Run(name, func(t *testing.T) {
			o := options(1, 10)
			change(&o)
			assert.Error(t, o.Validate())
			assert.Panics(t, func() { scenario.Generate(o) })
		})
	}
}
