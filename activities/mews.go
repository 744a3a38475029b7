package activities

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"go.temporal.io/sdk/activity"

	"github.com/guestflow/guestflow/rules"
	"github.com/guestflow/guestflow/vendors/mews"
	"github.com/guestflow/guestflow/vendors/vendorhttp"
)

// Mews writes guests into each branch's Mews enterprise.
type Mews struct {
	Branches map[string]*mews.Client // by branch id
	// DocumentTypes maps PassportScan codes to Mews types as the group's
	// configuration says now (nil: rules.DefaultDocumentTypes), so a code
	// added after a guest was stuck on it reaches Mews as mapped once staff
	// approve that guest.
	DocumentTypes rules.DocumentTypes
	// UnknownDocumentType is the Mews type of a document whose code is not
	// mapped, which only staff approval lets through; empty refuses it.
	UnknownDocumentType mews.DocumentType
}

// UpdateMewsInput is the verified guest to write into Mews.
type UpdateMewsInput struct {
	BranchID string `json:"branchId"`
	// Marker identifies the guest across retries: customers guestflow adds
	// carry it as their LoyaltyCode, so an add whose answer was lost is found
	// again instead of added twice. It is made of PassportScan ids only.
	Marker     string         `json:"marker"`
	PMSGuestID string         `json:"pmsGuestId,omitempty"`
	Profile    rules.Profile  `json:"profile"`
	Document   rules.Verified `json:"document"`
}

// UpdateMewsResult says what was found and what was written.
type UpdateMewsResult struct {
	CustomerID     string   `json:"customerId"`
	CustomerAdded  bool     `json:"customerAdded"`
	FieldsFilled   []string `json:"fieldsFilled,omitempty"`
	DocumentID     string   `json:"documentId"`
	DocumentAdded  bool     `json:"documentAdded"`
	DocumentUpdate bool     `json:"documentUpdated"`
}

// UpdateMews finds the guest's Mews customer or adds one, fills the fields
// Mews leaves empty without overwriting what the hotel typed, and adds the
// identity document or brings the matching one up to date.
//
// Mews calls for a new guest: three. customers/getAll by the marker, which
// proves whether guestflow added this guest already, with the customer's
// documents in the same answer (Extent Documents); customers/add, where
// Mews itself refuses a second customer with the guest's e-mail, which
// finds the hotel's own profile of the guest; identityDocuments/add,
// without reading the documents of a customer just added (it has none). A
// returning guest linked by PassportScan's PMS id: the lookup by that id
// (with documents), then customers/update and a document write only where
// something is missing or changed. The calls beyond these, each only when
// its reason arises:
//   - customers/getAll by the marker after the PMS id found nothing;
//   - customers/getAll by name (kept with the birth date) for a guest
//     without an e-mail, whom the add's e-mail check cannot find;
//   - customers/getAll by e-mail when customers/add is refused because
//     another customer holds it (the hotel's profile: a returning guest);
//   - customers/getAll by id of a merge target, per merged customer found;
//   - the marker lookup again after an add whose answer was lost (did Mews
//     add it?), identityDocuments/getAll after a document add whose answer
//     was lost, or on a retry that does not know the documents;
//   - a second customers/update without the e-mail, when Mews refuses the
//     e-mail because another customer holds it.
//
// What an attempt has done (the customer found or added and filled, a
// document add sent) is carried to the next attempt in its heartbeat
// details, so a retry starts where the last attempt stopped.
func (a *Mews) UpdateMews(ctx context.Context, in UpdateMewsInput) (UpdateMewsResult, error) {
	c, ok := a.Branches[in.BranchID]
	if !ok {
		return UpdateMewsResult{}, invalidInput("no Mews enterprise configured for branch " + in.BranchID)
	}
	docType, err := a.documentType(ctx, in.Document.Type)
	if err != nil {
		return UpdateMewsResult{}, err
	}
	p := resumeMews(ctx)
	ctx = vendorCalls(ctx, func() any { return p })
	logger := activity.GetLogger(ctx)

	// The customer's documents, when this attempt knows them: from the
	// lookup's answer, or none for a customer just added.
	var docs []mews.IdentityDocument
	docsKnown := false
	if !p.CustomerReady {
		customer, found, err := a.readyCustomer(ctx, c, in)
		if err != nil {
			return p.Result, vendorFailure(err)
		}
		p.Result.CustomerID, p.Result.CustomerAdded = customer.ID, found.added
		if !found.added {
			if p.Result.FieldsFilled, err = fillEmpty(ctx, c, customer, in.Profile); err != nil {
				return p.Result, vendorFailure(err)
			}
		}
		docs, docsKnown = found.docs, true
		p.CustomerReady = true
		progressed(ctx, p)
		logger.Info("Mews customer ready", "mews_customer_id", customer.ID, "added", p.Result.CustomerAdded, "fields_filled", p.Result.FieldsFilled)
	}
	// A resumed attempt reads the customer's documents even when the last
	// progress says no add was sent: heartbeats are throttled, so an add
	// sent just before a crash may not be recorded.

	want := documentOf(p.Result.CustomerID, docType, in.Document)
	for {
		if !docsKnown || p.DocumentAddSent {
			if docs, err = c.AllIdentityDocuments(ctx, mews.GetIdentityDocumentsRequest{CustomerIDs: []string{p.Result.CustomerID}}); err != nil {
				return p.Result, vendorFailure(err)
			}
			docsKnown = true
		}
		if existing := matchDocument(docs, want); existing != nil {
			p.Result.DocumentID = existing.ID
			// A document on a customer guestflow added is one guestflow sent.
			if (p.DocumentAddSent || p.Result.CustomerAdded) && sameDocument(*existing, want) {
				p.Result.DocumentAdded = true // the add whose answer was lost
				return p.Result, nil
			}
			if upd, changed := documentUpdate(*existing, want); changed {
				if _, err := c.UpdateIdentityDocuments(ctx, mews.UpdateIdentityDocumentsRequest{IdentityDocuments: []mews.IdentityDocumentUpdate{upd}}); err != nil {
					return p.Result, vendorFailure(err)
				}
				p.Result.DocumentUpdate = true
			}
			return p.Result, nil
		}
		lostBefore := p.DocumentAddSent
		p.DocumentAddSent = true
		progressed(ctx, p)
		added, err := c.AddIdentityDocuments(ctx, mews.AddIdentityDocumentsRequest{IdentityDocuments: []mews.IdentityDocumentParameters{want}})
		switch {
		case err == nil:
			if len(added) == 1 {
				p.Result.DocumentID = added[0].ID
			}
			p.Result.DocumentAdded = true
			return p.Result, nil
		case vendorhttp.OutcomeUnknown(err) && !lostBefore:
			// Mews may hold it now: read the documents before sending it again.
			logger.Info("Mews document add answer lost; looking before adding again", "mews_customer_id", p.Result.CustomerID)
			continue
		case !vendorhttp.OutcomeUnknown(err):
			p.DocumentAddSent = false // Mews did not add it
		}
		return p.Result, vendorFailure(err)
	}
}

// mewsProgress is what an UpdateMews attempt has done, in its heartbeat
// details for the next attempt.
type mewsProgress struct {
	Result UpdateMewsResult `json:"result"`
	// CustomerReady: Result.CustomerID is the guest's customer, found or
	// added, with its empty fields filled.
	CustomerReady bool `json:"customerReady"`
	// DocumentAddSent: an identityDocuments/add was sent whose answer did
	// not arrive; the customer's documents are read before another is.
	DocumentAddSent bool `json:"documentAddSent"`
}

// resumeMews is the progress the previous attempt recorded, or none.
func resumeMews(ctx context.Context) *mewsProgress {
	p := &mewsProgress{}
	if !resume(ctx, p) {
		return &mewsProgress{}
	}
	activity.GetLogger(ctx).Info("resuming the Mews update", "mews_customer_id", p.Result.CustomerID,
		"customer_ready", p.CustomerReady, "document_add_sent", p.DocumentAddSent)
	return p
}

// foundCustomer is how readyCustomer came by the customer.
type foundCustomer struct {
	added bool                    // guestflow added it, in this attempt or one whose answer was lost
	docs  []mews.IdentityDocument // the customer's documents (none when added)
}

// readyCustomer finds the guest's customer or adds it (see UpdateMews for
// the calls). The customers/getAll filters narrow each other (the document
// gives no "marker OR e-mail"), so each way of finding the guest is a call
// of its own, and only those the guest's data needs are made.
func (a *Mews) readyCustomer(ctx context.Context, c *mews.Client, in UpdateMewsInput) (*mews.Customer, foundCustomer, error) {
	var lookups []customerLookup
	if mewsID.MatchString(in.PMSGuestID) {
		// The PMS names the guest's customer; guestflow never added one for
		// a guest it finds there.
		lookups = append(lookups, pmsLookup(in))
	}
	lookups = append(lookups, markerLookup(in))
	if strings.TrimSpace(in.Profile.Email) == "" && hasNameAndBirth(in.Profile) {
		// Without an e-mail, Mews' own check in customers/add cannot find
		// the hotel's profile of the guest: look for it by name and birth.
		lookups = append(lookups, nameLookup(in))
	}
	for _, l := range lookups {
		cu, docs, err := a.lookUp(ctx, c, l)
		if err != nil || cu != nil {
			return cu, foundCustomer{docs: docs}, err
		}
	}
	for checked := false; ; checked = true {
		added, err := c.AddCustomer(ctx, addOf(in))
		switch {
		case err == nil:
			return added, foundCustomer{added: true}, nil
		case vendorhttp.IsStatus(err, http.StatusForbidden) && strings.TrimSpace(in.Profile.Email) != "":
			// Someone (the hotel, most likely) holds this e-mail already:
			// Mews refuses a second customer with it, so use that one.
			existing, docs, ferr := a.lookUp(ctx, c, emailLookup(in))
			if ferr == nil && existing != nil {
				return existing, foundCustomer{docs: docs}, nil
			}
			return nil, foundCustomer{}, err
		case vendorhttp.OutcomeUnknown(err) && !checked:
			// Mews may have added it: look before adding again.
			activity.GetLogger(ctx).Info("Mews customer add answer lost; looking before adding again")
			cu, docs, ferr := a.lookUp(ctx, c, markerLookup(in))
			if ferr != nil || cu != nil {
				return cu, foundCustomer{added: true, docs: docs}, ferr
			}
			continue
		}
		return nil, foundCustomer{}, err
	}
}

// fillEmpty fills the customer's empty fields from the profile and returns
// which it filled.
func fillEmpty(ctx context.Context, c *mews.Client, customer *mews.Customer, p rules.Profile) ([]string, error) {
	changes := rules.FillEmpty(profileOf(customer), p)
	if changes.IsEmpty() {
		return nil, nil
	}
	_, err := c.UpdateCustomer(ctx, updateOf(customer, changes))
	// Another customer holds the guest's e-mail (Mews refuses a second
	// with 403): fill the rest, leave the e-mail where it is.
	if vendorhttp.IsStatus(err, http.StatusForbidden) && changes.Email != nil {
		changes.Email = nil
		if changes.IsEmpty() {
			return nil, nil
		}
		_, err = c.UpdateCustomer(ctx, updateOf(customer, changes))
	}
	if err != nil {
		return nil, err
	}
	return changes.Fields(), nil
}

// documentType is the Mews type of a verified document's PassportScan code.
// A code the mapping lacks got through only by staff approval: it goes to
// Mews as UnknownDocumentType.
func (a *Mews) documentType(ctx context.Context, code rules.DocumentType) (mews.DocumentType, error) {
	if t, ok := a.DocumentTypes.MewsType(code); ok {
		return mews.DocumentType(t), nil
	}
	if code.Normalized() == rules.Unrecognised || a.UnknownDocumentType == "" {
		return "", invalidInput("document type " + code.Shown() + " has no Mews equivalent")
	}
	activity.GetLogger(ctx).Info("approved document of an unmapped type", "document_type", code.Shown(), "mews_type", a.UnknownDocumentType)
	return a.UnknownDocumentType, nil
}

// mewsID is the shape of a Mews customer id; PassportScan's pms_guest_id
// holds one only when the branch's PMS link is Mews.
var mewsID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// customerLookup is one customers/getAll: the filter Mews is sent, and the
// test each customer it answers must pass, since a server that ignores or
// widens a filter must never hand guestflow another guest's profile to fill.
type customerLookup struct {
	name    string // for logs: which lookup, never its values
	req     mews.GetCustomersRequest
	matches func(mews.Customer) bool
}

func same(a string, b *string) bool {
	return b != nil && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(*b))
}

// pmsLookup finds the customer PassportScan links the guest to.
func pmsLookup(in UpdateMewsInput) customerLookup {
	return customerLookup{name: "pms_guest_id", req: mews.GetCustomersRequest{CustomerIDs: []string{in.PMSGuestID}},
		matches: func(cu mews.Customer) bool { return same(in.PMSGuestID, &cu.ID) }}
}

// markerLookup finds the customer guestflow added for this stay: the
// lookup that proves whether an earlier add arrived.
func markerLookup(in UpdateMewsInput) customerLookup {
	return customerLookup{name: "marker", req: mews.GetCustomersRequest{LoyaltyCodes: []string{in.Marker}},
		matches: func(cu mews.Customer) bool { return same(in.Marker, cu.LoyaltyCode) }}
}

func emailLookup(in UpdateMewsInput) customerLookup {
	return customerLookup{name: "email", req: mews.GetCustomersRequest{Emails: []string{in.Profile.Email}},
		matches: func(cu mews.Customer) bool { return same(in.Profile.Email, cu.Email) }}
}

// nameLookup finds the hotel's profile of the guest by full name and birth
// date; a name alone is never enough.
func nameLookup(in UpdateMewsInput) customerLookup {
	p := in.Profile
	return customerLookup{name: "name_and_birth_date", req: mews.GetCustomersRequest{FirstNames: []string{p.FirstName}, LastNames: []string{p.LastName}},
		matches: func(cu mews.Customer) bool {
			return same(p.FirstName, cu.FirstName) && same(p.LastName, &cu.LastName) &&
				cu.BirthDate != nil && cu.BirthDate.String() == p.BirthDate.String()
		}}
}

func hasNameAndBirth(p rules.Profile) bool {
	return strings.TrimSpace(p.FirstName) != "" && strings.TrimSpace(p.LastName) != "" && p.BirthDate != nil
}

// maxMergeHops bounds how far a chain of merged customers is followed.
const maxMergeHops = 5

// lookUp returns the first customer Mews answers to l that really matches
// it, followed to the customer it was merged into, with that
// customer's documents; nil when there is none. Inactive customers are
// asked for too, so that one merged away is found whether or not Mews
// keeps it active, and then skipped unless merged.
func (a *Mews) lookUp(ctx context.Context, c *mews.Client, l customerLookup) (*mews.Customer, []mews.IdentityDocument, error) {
	page, err := c.AllCustomers(ctx, withInactive(l.req))
	if err != nil {
		return nil, nil, err
	}
	logger := activity.GetLogger(ctx)
	var ignored []string
	for i := range page.Customers {
		if !l.matches(page.Customers[i]) {
			ignored = append(ignored, page.Customers[i].ID)
			continue
		}
		cu, docs := &page.Customers[i], page.Documents
		for hop := 0; cu != nil && cu.MergeTargetID != nil; hop++ {
			if hop == maxMergeHops {
				logger.Warn("Mews customer merges too deep; ignored", "lookup", l.name, "mews_customer_id", page.Customers[i].ID)
				cu = nil
				break
			}
			from, target := cu.ID, *cu.MergeTargetID
			targets, err := c.AllCustomers(ctx, withInactive(mews.GetCustomersRequest{CustomerIDs: []string{target}}))
			if err != nil {
				return nil, nil, err
			}
			cu, docs = nil, targets.Documents
			for j := range targets.Customers {
				if strings.EqualFold(targets.Customers[j].ID, target) {
					cu = &targets.Customers[j]
					break
				}
			}
			logger.Info("Mews customer was merged; following it", "mews_customer_id", from, "merge_target_found", cu != nil)
		}
		if cu != nil && cu.IsActive {
			return cu, documentsOf(docs, cu.ID), nil
		}
	}
	if len(ignored) > 0 {
		logger.Warn("Mews answered customers that do not match the lookup; ignored", "lookup", l.name,
			"ignored", len(ignored), "mews_customer_ids", ignored[:min(len(ignored), 10)])
	}
	return nil, nil, nil
}

// documentsOf keeps the documents of one customer.
func documentsOf(docs []mews.IdentityDocument, customerID string) []mews.IdentityDocument {
	var out []mews.IdentityDocument
	for _, d := range docs {
		if strings.EqualFold(d.CustomerID, customerID) {
			out = append(out, d)
		}
	}
	return out
}

// withInactive asks for active and deleted customers, with their documents.
func withInactive(req mews.GetCustomersRequest) mews.GetCustomersRequest {
	req.Extent = mews.CustomerExtent{Customers: true, Documents: true}
	req.ActivityStates = []string{mews.ActivityActive, mews.ActivityDeleted}
	return req
}

// addOf is the customers/add of the guest, marked as guestflow's.
func addOf(in UpdateMewsInput) mews.AddCustomerRequest {
	p := in.Profile
	req := mews.AddCustomerRequest{
		FirstName:       p.FirstName,
		LastName:        p.LastName,
		SecondLastName:  p.SecondLastName,
		NationalityCode: p.Nationality,
		Sex:             optional(mews.Sex(p.Sex)),
		Title:           optional(mews.Title(rules.Title(p.Sex))),
		BirthPlace:      p.BirthPlace,
		Email:           p.Email,
		Phone:           p.Phone,
		LoyaltyCode:     in.Marker,
	}
	if p.BirthDate != nil {
		req.BirthDate = mews.Date{Year: p.BirthDate.Year, Month: p.BirthDate.Month, Day: p.BirthDate.Day}
	}
	if !p.Address.IsEmpty() {
		req.Address = addressOf(p.Address)
	}
	return req
}

func profileOf(c *mews.Customer) rules.Profile {
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	p := rules.Profile{
		FirstName:      str(c.FirstName),
		LastName:       c.LastName,
		SecondLastName: str(c.SecondLastName),
		BirthPlace:     str(c.BirthPlace),
		Nationality:    str(c.NationalityCode),
		Email:          str(c.Email),
		Phone:          str(c.Phone),
	}
	if c.Sex != nil {
		p.Sex = string(*c.Sex)
	}
	if c.BirthDate != nil && !c.BirthDate.IsZero() {
		p.BirthDate = &rules.Date{Year: c.BirthDate.Year, Month: c.BirthDate.Month, Day: c.BirthDate.Day}
	}
	if c.AddressID != nil || c.Address != nil {
		// The hotel has an address on file: never touch it.
		p.Address = rules.Address{Line1: "on file"}
	}
	return p
}

// updateOf fills what ch fills and echoes the customer's title and sex,
// which the update must carry (see mews.UpdateCustomerRequest).
func updateOf(customer *mews.Customer, ch rules.ProfileChanges) mews.UpdateCustomerRequest {
	u := mews.UpdateCustomerRequest{CustomerID: customer.ID, Title: customer.Title, Sex: customer.Sex}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&u.FirstName, ch.FirstName)
	set(&u.LastName, ch.LastName)
	set(&u.SecondLastName, ch.SecondLastName)
	set(&u.BirthPlace, ch.BirthPlace)
	set(&u.NationalityCode, ch.Nationality)
	set(&u.Email, ch.Email)
	set(&u.Phone, ch.Phone)
	if ch.Sex != nil {
		u.Sex = optional(mews.Sex(*ch.Sex))
	}
	if ch.BirthDate != nil {
		u.BirthDate = mews.Date{Year: ch.BirthDate.Year, Month: ch.BirthDate.Month, Day: ch.BirthDate.Day}
	}
	if ch.Address != nil {
		u.Address = addressOf(*ch.Address)
	}
	return u
}

func addressOf(a rules.Address) *mews.AddressParameters {
	return &mews.AddressParameters{Line1: a.Line1, City: a.City, PostalCode: a.PostalCode, CountryCode: a.Country}
}

func documentOf(customerID string, t mews.DocumentType, d rules.Verified) mews.IdentityDocumentParameters {
	p := mews.IdentityDocumentParameters{
		CustomerID:         customerID,
		Type:               t,
		Number:             d.Number,
		IssuingCountryCode: d.IssuingCountry,
		IssuingCity:        d.IssuingCity,
	}
	if d.ExpirationDate != nil {
		p.ExpirationDate = mews.DocumentDate{Date: mews.Date{Year: d.ExpirationDate.Year, Month: d.ExpirationDate.Month, Day: d.ExpirationDate.Day}}
	}
	if d.IssueDate != nil {
		p.IssuanceDate = mews.DocumentDate{Date: mews.Date{Year: d.IssueDate.Year, Month: d.IssueDate.Month, Day: d.IssueDate.Day}}
	}
	return p
}

// matchDocument picks the customer's document to update: the same type and
// number, else the same type (a renewed passport replaces the old one).
func matchDocument(docs []mews.IdentityDocument, want mews.IdentityDocumentParameters) *mews.IdentityDocument {
	var sameType *mews.IdentityDocument
	for i := range docs {
		d := &docs[i]
		if d.Type != want.Type {
			continue
		}
		if strings.EqualFold(normaliseNumber(d.Number), normaliseNumber(want.Number)) {
			return d
		}
		if sameType == nil {
			sameType = d
		}
	}
	return sameType
}

// sameDocument reports whether Mews' document is the one want describes.
func sameDocument(have mews.IdentityDocument, want mews.IdentityDocumentParameters) bool {
	_, changed := documentUpdate(have, want)
	return have.Type == want.Type && !changed
}

func normaliseNumber(n string) string {
	return strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(n), " ", ""), "-", "")
}

// documentUpdate lists what differs between Mews' document and the scan.
func documentUpdate(have mews.IdentityDocument, want mews.IdentityDocumentParameters) (mews.IdentityDocumentUpdate, bool) {
	u := mews.IdentityDocumentUpdate{ID: have.ID}
	changed := false
	if have.Number != want.Number {
		u.Number, changed = mews.Set(want.Number), true
	}
	if !want.ExpirationDate.IsZero() && (have.ExpirationDate == nil || have.ExpirationDate.String() != want.ExpirationDate.String()) {
		u.ExpirationDate, changed = mews.Set(want.ExpirationDate), true
	}
	if !want.IssuanceDate.IsZero() && (have.IssuanceDate == nil || have.IssuanceDate.String() != want.IssuanceDate.String()) {
		u.IssuanceDate, changed = mews.Set(want.IssuanceDate), true
	}
	if want.IssuingCountryCode != "" && (have.IssuingCountryCode == nil || *have.IssuingCountryCode != want.IssuingCountryCode) {
		u.IssuingCountryCode, changed = mews.Set(want.IssuingCountryCode), true
	}
	if want.IssuingCity != "" && (have.IssuingCity == nil || *have.IssuingCity != want.IssuingCity) {
		u.IssuingCity, changed = mews.Set(want.IssuingCity), true
	}
	return u, changed
}

// optional is v, or nil for the empty value: Mews' null.
func optional[T ~string](v T) *T {
	if v == "" {
		return nil
	}
	return &v
}

// MarkerFor is the LoyaltyCode guestflow gives the Mews customers it adds.
func MarkerFor(reservationID, customerID int64) string {
	return fmt.Sprintf("GF-%d-%d", reservationID, customerID)
}
