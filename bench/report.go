package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/guestflow/guestflow/activities"
)

func numCPU() int { return runtime.NumCPU() }

// results is what a bench invocation measured.
type results struct {
	Machine  string                  `json:"machine"`
	Started  string                  `json:"started"`
	Guests   int                     `json:"guests"`
	Branches int                     `json:"branches"`
	Reps     int                     `json:"reps"`
	Tuning   activities.WorkerTuning `json:"tuning"`
	Settings []summary               `json:"settings"`
	Runs     []run                   `json:"runs"`
}

// summary is one setting over its repetitions: guestflow's runs, with the
// ratio of each to the ceiling run of the same repetition.
type summary struct {
	Setting   setting    `json:"setting"`
	GuestsPS  [3]float64 `json:"guestsPerSecond"`        // min, median, max
	CeilingPS [3]float64 `json:"ceilingGuestsPerSecond"` // min, median, max
	Ratio     [3]float64 `json:"ratio"`                  // min, median, max
	Counts    counts     `json:"counts"`                 // the median repetition's
	Measures  run        `json:"median"`                 // the run with the median ratio
}

// counts are what CI compares with the baseline: counts, never times.
type counts struct {
	CallsPerGuest     map[string]float64 `json:"callsPerGuest"`
	Status429PerGuest map[string]float64 `json:"status429PerGuest"`
	EventsPerStay     float64            `json:"eventsPerStay"`
}

func (res *results) summarise(settings []string) {
	for _, s := range settings {
		var own, ceil []run
		for _, r := range res.Runs {
			if string(r.Setting) != s {
				continue
			}
			if r.Ceiling {
				ceil = append(ceil, r)
			} else {
				own = append(own, r)
			}
		}
		sum := summary{Setting: setting(s)}
		var gps, cps, ratios []float64
		for i := range own {
			gps = append(gps, own[i].GuestsPS)
			cps = append(cps, ceil[i].GuestsPS)
			ratios = append(ratios, own[i].GuestsPS/ceil[i].GuestsPS)
		}
		sum.GuestsPS, sum.CeilingPS, sum.Ratio = spread(gps), spread(cps), spread(ratios)
		mid := own[0]
		for i := range own {
			if ratios[i] == sum.Ratio[1] {
				mid = own[i]
			}
		}
		sum.Measures = mid
		sum.Counts = counts{CallsPerGuest: mid.CallsPerGuest, EventsPerStay: mid.EventsPerStay, Status429PerGuest: map[string]float64{}}
		for v, n := range mid.Status429 {
			sum.Counts.Status429PerGuest[v] = float64(n) / float64(mid.Guests)
		}
		res.Settings = append(res.Settings, sum)
	}
}

func spread(v []float64) [3]float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return [3]float64{s[0], s[len(s)/2], s[len(s)-1]}
}

func (res *results) table(w io.Writer) {
	fmt.Fprintf(w, "%s; %d guests over %d branches, %d repetitions; worker %d/%d pollers, %d/%d at once\n\n",
		res.Machine, res.Guests, res.Branches, res.Reps, res.Tuning.WorkflowPollers, res.Tuning.ActivityPollers,
		res.Tuning.MaxWorkflowTasks, res.Tuning.MaxActivities)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "| measure\t| "+strings.Join(mapSettings(res.Settings, func(s summary) string { return string(s.Setting) }), "\t| ")+"\t|")
	fmt.Fprintln(tw, "| ---\t| "+strings.Repeat("---\t| ", len(res.Settings)))
	row := func(name string, f func(s summary) string) {
		fmt.Fprintln(tw, "| "+name+"\t| "+strings.Join(mapSettings(res.Settings, f), "\t| ")+"\t|")
	}
	row("finish stage", func(s summary) string { return string(s.Setting.finish()[0]) })
	row("stays finished (median run)", func(s summary) string {
		if len(s.Measures.Unfinished) == 0 {
			return fmt.Sprintf("%d of %d", s.Measures.Finished, s.Measures.Guests)
		}
		return fmt.Sprintf("%d of %d (short: %v)", s.Measures.Finished, s.Measures.Guests, s.Measures.Unfinished)
	})
	row("guests/s (min, median, max)", func(s summary) string { return triple(s.GuestsPS, "%.1f") })
	row("ceiling guests/s", func(s summary) string { return triple(s.CeilingPS, "%.1f") })
	row("ratio to ceiling", func(s summary) string { return triple(s.Ratio, "%.2f") })
	row("history events per stay", func(s summary) string { return fmt.Sprintf("%.1f", s.Measures.EventsPerStay) })
	row("history events per account", func(s summary) string { return fmt.Sprintf("%.1f", s.Measures.EventsPerAccount) })
	row("vendor calls per guest", func(s summary) string { return endpoints(s.Measures.CallsPerGuest) })
	row("429s by vendor", func(s summary) string {
		if len(s.Measures.Status429) == 0 {
			return "none"
		}
		return fmt.Sprint(s.Measures.Status429)
	})
	row("Passquare rate used (of 1/s)", func(s summary) string { return fmt.Sprintf("%.2f", s.Measures.PassquareRate) })
	row("worker CPU ms per guest", func(s summary) string { return fmt.Sprintf("%.1f", s.Measures.WorkerCPUms) })
	row("dev server CPU ms per guest", func(s summary) string { return fmt.Sprintf("%.1f", s.Measures.ServerCPUms) })
	row("worker heap after GC per open stay", func(s summary) string { return fmt.Sprintf("%.1f KB", s.Measures.HeapPerStayKB) })
	row("document to Mews write p50 / p95", func(s summary) string {
		return fmt.Sprintf("%.1f s / %.1f s", s.Measures.DocToMewsP50, s.Measures.DocToMewsP95)
	})
	_ = tw.Flush()
}

func mapSettings(ss []summary, f func(summary) string) []string {
	var out []string
	for _, s := range ss {
		out = append(out, f(s))
	}
	return out
}

func triple(v [3]float64, format string) string {
	return fmt.Sprintf(format+", "+format+", "+format, v[0], v[1], v[2])
}

func endpoints(m map[string]float64) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		path := strings.Split(k, "/")
		name := strings.Join(path[max(0, len(path)-2):], "/")
		parts = append(parts, fmt.Sprintf("%s %s %.2f", strings.Fields(k)[0], name, m[k]))
	}
	return strings.Join(parts, "; ")
}

// compare fails when a count is worse than the baseline's by more than
// margin, and by more than slack per guest (a retried call, a 429 the
// machine's load caused). History events per stay are compared where every
// stay stands at the same point (the wallet, limits lifted); at the limits
// the stays are spread along the wallet's path when the run ends.
func (res *results) compare(file string, margin, slack float64, w io.Writer) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var base results
	if err := json.Unmarshal(b, &base); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	var errs []error
	check := func(s setting, what string, got, want float64) {
		if got > want*(1+margin)+slack {
			errs = append(errs, fmt.Errorf("%s: %s %.3f, baseline %.3f (margin %.0f%%)", s, what, got, want, margin*100))
		}
	}
	for _, bs := range base.Settings {
		for _, s := range res.Settings {
			if s.Setting != bs.Setting {
				continue
			}
			if s.Measures.Finished < s.Measures.Guests {
				errs = append(errs, fmt.Errorf("%s: %d of %d stays finished, the others %v", s.Setting, s.Measures.Finished, s.Measures.Guests, s.Measures.Unfinished))
			}
			if s.Setting == lifted {
				check(s.Setting, "history events per stay", s.Counts.EventsPerStay, bs.Counts.EventsPerStay)
			}
			for _, k := range slices.Sorted(maps.Keys(s.Counts.CallsPerGuest)) {
				if s.Setting == atLimits && strings.HasPrefix(k, "passquare ") {
					continue // a rate there: the run ends at the Mews write, Passquare's queue mid-way
				}
				check(s.Setting, "calls per guest to "+k, s.Counts.CallsPerGuest[k], bs.Counts.CallsPerGuest[k])
			}
			for _, k := range slices.Sorted(maps.Keys(s.Counts.Status429PerGuest)) {
				check(s.Setting, "429s per guest from "+k, s.Counts.Status429PerGuest[k], bs.Counts.Status429PerGuest[k])
			}
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	fmt.Fprintf(w, "\ncounts within %.0f%% of %s\n", margin*100, file)
	return nil
}
