package sandbox

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

const utcLayout = "2006-01-02T15:04:05Z"

// enterprise is one hotel's data. Every record gets a sequence number when
// created; pages run newest first, and a cursor is the id of the last
// record returned, as Mews describes it.
type enterprise struct {
	chainID    string
	seq        int64
	customers  map[string]*Customer // by lower-case id, without deprecated document fields
	docs       map[string]*IdentityDocument
	created    map[string]int64  // sequence of every id ever issued, deleted ones too, so old cursors keep working
	deletedUtc map[string]string // when each inactive customer was deleted or merged away
	nextNumber int
}

func newEnterprise() *enterprise {
	return &enterprise{
		chainID:    uuid.NewString(),
		customers:  map[string]*Customer{},
		docs:       map[string]*IdentityDocument{},
		created:    map[string]int64{},
		deletedUtc: map[string]string{},
		nextNumber: 1,
	}
}

func (e *enterprise) issue(id string) string {
	id = strings.ToLower(id)
	e.seq++
	e.created[id] = e.seq
	return id
}

// AddEnterprise registers an enterprise reachable with accessToken. Adding
// one twice keeps its data.
func (s *Server) AddEnterprise(accessToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.enterprises[accessToken] == nil {
		s.enterprises[accessToken] = newEnterprise()
	}
}

func (s *Server) mustEnterprise(accessToken string) *enterprise {
	e := s.enterprises[accessToken]
	if e == nil {
		panic("mews sandbox: no enterprise registered for that access token (call AddEnterprise first)")
	}
	return e
}

func (s *Server) now() string { return s.opts.Now().UTC().Format(utcLayout) }

// AddCustomer seeds a customer and returns its id (c.ID, or a new GUID).
// Number, ChainID and timestamps are filled in when empty; deprecated
// document fields (Passport, ...) become identity documents.
func (s *Server) AddCustomer(accessToken string, c Customer) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.mustEnterprise(accessToken)
	c = clone(c)
	if c.ID == "" {
		c.ID = uuid.NewString()
	}
	c.ID = e.issue(c.ID)
	if c.ChainID == "" {
		c.ChainID = e.chainID
	}
	if c.Number == "" {
		c.Number = e.number()
	}
	now := s.now()
	if c.CreatedUtc == "" {
		c.CreatedUtc = now
	}
	if c.UpdatedUtc == "" {
		c.UpdatedUtc = c.CreatedUtc
	}
	if c.Address != nil {
		if c.Address.ID == "" {
			c.Address.ID = uuid.NewString()
		}
		c.AddressID = &c.Address.ID
	}
	c.IsActive = true
	c.Classifications = nonNil(c.Classifications)
	c.Options = nonNil(c.Options)
	c.PreferredSpaceFeatures = nonNil(c.PreferredSpaceFeatures)
	legacy := []*LegacyDocument{c.IdentityCard, c.Passport, c.Visa, c.DriversLicense}
	types := []string{"IdentityCard", "Passport", "Visa", "DriversLicense"}
	c.IdentityCard, c.Passport, c.Visa, c.DriversLicense = nil, nil, nil, nil
	e.customers[c.ID] = &c
	for i, d := range legacy {
		if d == nil {
			continue
		}
		doc := IdentityDocument{ID: d.ID, CustomerID: c.ID, Type: types[i], IssuingCountryCode: d.IssuingCountryCode,
			IssuingCity: d.IssuingCity, IdentityDocumentSupportNumber: d.IdentityDocumentSupportNumber}
		if d.Number != nil {
			doc.Number = *d.Number
		}
		doc.ExpirationDate = documentDate(d.Expiration)
		doc.IssuanceDate = documentDate(d.Issuance)
		e.addDocument(doc)
	}
	return c.ID
}

// Merge links the customer sourceID to targetID as staff merging two
// profiles would: the source keeps its data and gets MergeTargetId, and
// with Options.MergedInactive it is no longer active either.
func (s *Server) Merge(accessToken, sourceID, targetID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.mustEnterprise(accessToken)
	source, target := e.mustCustomer(sourceID), e.mustCustomer(targetID)
	source.MergeTargetID = &target.ID
	source.UpdatedUtc = s.now()
	if s.opts.MergedInactive {
		e.deactivate(source, source.UpdatedUtc)
	}
}

// DeleteCustomer makes a customer inactive, as staff deleting it would.
func (s *Server) DeleteCustomer(accessToken, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.mustEnterprise(accessToken)
	c := e.mustCustomer(id)
	c.UpdatedUtc = s.now()
	e.deactivate(c, c.UpdatedUtc)
}

func (e *enterprise) deactivate(c *Customer, at string) {
	c.IsActive = false
	e.deletedUtc[c.ID] = at
}

func (e *enterprise) mustCustomer(id string) *Customer {
	c := e.customers[strings.ToLower(id)]
	if c == nil {
		panic("mews sandbox: no customer " + id)
	}
	return c
}

// AddDocument seeds an identity document and returns its id.
func (s *Server) AddDocument(accessToken string, d IdentityDocument) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mustEnterprise(accessToken).addDocument(clone(d))
}

func (e *enterprise) addDocument(d IdentityDocument) string {
	if d.ID == "" {
		d.ID = uuid.NewString()
	}
	d.ID = e.issue(d.ID)
	d.CustomerID = strings.ToLower(d.CustomerID)
	e.docs[d.ID] = &d
	return d.ID
}

// Customers returns the enterprise's customers, oldest first, as customers/getAll
// would show them.
func (s *Server) Customers(accessToken string) []Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.mustEnterprise(accessToken)
	var out []Customer
	for _, c := range oldestFirst(e, e.customers) {
		out = append(out, clone(e.render(c)))
	}
	return out
}

// Documents returns the enterprise's identity documents, oldest first.
func (s *Server) Documents(accessToken string) []IdentityDocument {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.mustEnterprise(accessToken)
	var out []IdentityDocument
	for _, d := range oldestFirst(e, e.docs) {
		out = append(out, clone(*d))
	}
	return out
}

// render adds the deprecated per-type document fields, from the newest
// document of each type.
func (e *enterprise) render(c *Customer) Customer {
	out := *c
	for _, d := range e.documentsOf(c.ID) {
		l := legacy(d)
		switch d.Type {
		case "IdentityCard":
			out.IdentityCard = l
		case "Passport":
			out.Passport = l
		case "Visa":
			out.Visa = l
		case "DriversLicense":
			out.DriversLicense = l
		}
	}
	return out
}

// documentsOf returns a customer's documents, oldest first.
func (e *enterprise) documentsOf(customerID string) []*IdentityDocument {
	var out []*IdentityDocument
	for _, d := range e.docs {
		if d.CustomerID == customerID {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b *IdentityDocument) int { return int(e.created[a.ID] - e.created[b.ID]) })
	return out
}

func legacy(d *IdentityDocument) *LegacyDocument {
	number := d.Number
	return &LegacyDocument{
		ID: d.ID, CustomerID: d.CustomerID, Type: d.Type, Number: &number,
		Expiration: plainDate(d.ExpirationDate), Issuance: plainDate(d.IssuanceDate),
		IssuingCountryCode: d.IssuingCountryCode, IssuingCity: d.IssuingCity,
		IdentityDocumentSupportNumber: d.IdentityDocumentSupportNumber,
	}
}

// oldestFirst orders records by creation.
func oldestFirst[T any](e *enterprise, m map[string]*T) []*T {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return int(e.created[a] - e.created[b]) })
	out := make([]*T, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out
}

// page applies a Mews Limitation to records matching keep: newest first,
// starting after the cursor's record, at most count. It also returns the
// cursor to answer with.
func page[T any](e *enterprise, m map[string]*T, id func(*T) string, keep func(*T) bool, count int, cursor *string) ([]*T, *string, *failure) {
	from := int64(-1)
	if cursor != nil && *cursor != "" {
		seq, ok := e.created[strings.ToLower(*cursor)]
		if !ok {
			return nil, nil, badRequest("Invalid Cursor.")
		}
		from = seq
	}
	all := oldestFirst(e, m)
	var out []*T
	for i := len(all) - 1; i >= 0 && len(out) < count; i-- {
		r := all[i]
		if from >= 0 && e.created[id(r)] >= from {
			continue
		}
		if keep(r) {
			out = append(out, r)
		}
	}
	next := cursor
	if len(out) > 0 {
		last := id(out[len(out)-1])
		next = &last
	}
	return out, next, nil
}

func (e *enterprise) customerByEmail(email string) *Customer {
	for _, c := range e.customers {
		if c.Email != nil && strings.EqualFold(strings.TrimSpace(*c.Email), strings.TrimSpace(email)) {
			return c
		}
	}
	return nil
}

func newID() string { return uuid.NewString() }

// number hands out Mews' human-readable customer numbers.
func (e *enterprise) number() string {
	n := e.nextNumber
	e.nextNumber++
	return strconv.Itoa(n)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// clone deep-copies a record so callers cannot reach the sandbox's state.
func clone[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// documentDate turns a plain date into the midnight UTC timestamp the
// identityDocuments operations use; plainDate goes back.
func documentDate(date *string) *string {
	if date == nil {
		return nil
	}
	t, err := parseDate(*date)
	if err != nil {
		return date
	}
	s := t.Format(utcLayout)
	return &s
}

func plainDate(ts *string) *string {
	if ts == nil {
		return nil
	}
	t, err := parseDate(*ts)
	if err != nil {
		return ts
	}
	s := t.Format(time.DateOnly)
	return &s
}
