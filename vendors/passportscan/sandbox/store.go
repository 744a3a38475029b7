package sandbox

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
)

// The change feed. Every change gets the next number of one sequence; a
// reservation remembers the number of its own last change and of each
// guest's. A key's mark is the sequence number at its previous call, so
// "changed since your last query" is every stamp above the mark.

type storedReservation struct {
	r        Reservation
	changed  uint64           // last change of the reservation itself
	guestSeq map[int64]uint64 // customer id -> last change of that guest
}

type account struct {
	reservations map[int64]*storedReservation
}

// keyState is what the API remembers about one API key.
type keyState struct {
	mark uint64 // sequence number at the key's previous call
	// window is what page 1 of the key's last change query found; the
	// later pages of that query read it, so a walk loses nothing even when
	// guests change while it runs (they come with the next query).
	window *changeWindow
}

type changeWindow struct {
	arrivalDate string
	items       []Reservation
}

func (s *Server) accountLocked(accountID string) *account {
	a := s.accounts[accountID]
	if a == nil {
		a = &account{reservations: map[int64]*storedReservation{}}
		s.accounts[accountID] = a
	}
	return a
}

// PutReservation creates or replaces a reservation of the branch with
// accountID; the reservation and every guest on it count as changed.
func (s *Server) PutReservation(accountID string, r Reservation) {
	r = clone(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	st := &storedReservation{r: r, changed: s.seq, guestSeq: map[int64]uint64{}}
	for _, cr := range r.CustomerReservations {
		st.guestSeq[cr.Customer.ID] = s.seq
	}
	s.accountLocked(accountID).reservations[r.ID] = st
}

// PutCustomer stores one guest's new data on a reservation (a document
// scanned later, a corrected address), replacing the guest with the same id
// or adding them as a non-leading guest. Only that guest counts as changed.
func (s *Server) PutCustomer(accountID string, reservationID int64, c Customer) error {
	c = clone(c)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.accountLocked(accountID).reservations[reservationID]
	if st == nil {
		return fmt.Errorf("sandbox: account %s has no reservation %d", accountID, reservationID)
	}
	s.seq++
	i := slices.IndexFunc(st.r.CustomerReservations, func(cr CustomerReservation) bool { return cr.Customer.ID == c.ID })
	if i < 0 {
		st.r.CustomerReservations = append(st.r.CustomerReservations, CustomerReservation{Customer: c})
	} else {
		st.r.CustomerReservations[i].Customer = c
	}
	st.guestSeq[c.ID] = s.seq
	return nil
}

// Reservation returns the stored reservation, to inspect the sandbox's state.
func (s *Server) Reservation(accountID string, id int64) (Reservation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.accountLocked(accountID).reservations[id]
	if st == nil {
		return Reservation{}, false
	}
	return clone(st.r), true
}

// arrivingLocked returns the reservations arriving on date, by id; with
// since > 0 only those changed after since, each with only its changed
// guests.
func (s *Server) arrivingLocked(accountID, date string, changedOnly bool, since uint64) []Reservation {
	var out []Reservation
	for _, st := range s.accountLocked(accountID).reservations {
		if st.r.ArrivalDate != date {
			continue
		}
		if !changedOnly {
			out = append(out, clone(st.r))
			continue
		}
		r := clone(st.r)
		r.CustomerReservations = slices.DeleteFunc(r.CustomerReservations, func(cr CustomerReservation) bool {
			return st.guestSeq[cr.Customer.ID] <= since
		})
		if st.changed > since || len(r.CustomerReservations) > 0 {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Reservation) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// clone deep-copies seeded data so the caller's later edits cannot change
// the sandbox's state behind its mutex.
func clone[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sandbox: seed data does not encode: %v", err))
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("sandbox: seed data does not decode: %v", err))
	}
	return out
}
