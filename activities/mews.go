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
// identity document or brings the matching one up to date. It looks before
// every write, so a retry after a lost answer writes nothing twice.
func (a *Mews) UpdateMews(ctx context.Context, in UpdateMewsInput) (UpdateMewsResult, error) {
	c, ok := a.Branches[in.BranchID]
	if !ok {
		return UpdateMewsResult{}, invalidInput("no Mews enterprise configured for branch " + in.BranchID)
	}
	docType, err := a.documentType(ctx, in.Document.Type)
	if err != nil {
		return UpdateMewsResult{}, err
	}
	var res UpdateMewsResult
	ctx = vendorCalls(ctx, nil)

	customer, err := a.findCustomer(ctx, c, in)
	if err != nil {
		return res, vendorFailure(err)
	}
	if customer == nil {
		if customer, err = a.addCustomer(ctx, c, in); err != nil {
			return res, vendorFailure(err)
		}
		res.CustomerAdded = true
	} else {
		changes := rules.FillEmpty(profileOf(customer), in.Profile)
		if !changes.IsEmpty() {
			_, err := c.UpdateCustomer(ctx, updateOf(customer, changes))
			// Another customer holds the guest's e-mail (Mews refuses a
			// second with 403): fill the rest, leave the e-mail where it is.
			if vendorhttp.IsStatus(err, http.StatusForbidden) && changes.Email != nil {
				changes.Email = nil
				if !changes.IsEmpty() {
					_, err = c.UpdateCustomer(ctx, updateOf(customer, changes))
				} else {
					err = nil
				}
			}
			if err != nil {
				return res, vendorFailure(err)
			}
			res.FieldsFilled = changes.Fields()
		}
	}
	res.CustomerID = customer.ID
	activity.GetLogger(ctx).Info("Mews customer ready", "mews_customer_id", customer.ID, "added", res.CustomerAdded, "fields_filled", res.FieldsFilled)

	docs, err := c.AllIdentityDocuments(ctx, mews.GetIdentityDocumentsRequest{CustomerIDs: []string{customer.ID}})
	if err != nil {
		return res, vendorFailure(err)
	}
	want := documentOf(customer.ID, docType, in.Document)
	existing := matchDocument(docs, want)
	switch {
	case existing == nil:
		added, err := c.AddIdentityDocuments(ctx, mews.AddIdentityDocumentsRequest{IdentityDocuments: []mews.IdentityDocumentParameters{want}})
		if err != nil {
			return res, vendorFailure(err)
		}
		if len(added) == 1 {
			res.DocumentID = added[0].ID
		}
		res.DocumentAdded = true
	default:
		res.DocumentID = existing.ID
		if upd, changed := documentUpdate(*existing, want); changed {
			if _, err := c.UpdateIdentityDocuments(ctx, mews.UpdateIdentityDocumentsRequest{IdentityDocuments: []mews.IdentityDocumentUpdate{upd}}); err != nil {
				return res, vendorFailure(err)
			}
			res.DocumentUpdate = true
		}
	}
	return res, nil
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

// findCustomer looks for the guest, most certain match first: the customer
// guestflow added earlier (its marker), the PMS link, the e-mail, and last
// the full name with the birth date. A name alone is never enough.
func (a *Mews) findCustomer(ctx context.Context, c *mews.Client, in UpdateMewsInput) (*mews.Customer, error) {
	for _, l := range customerLookups(in) {
		cu, err := a.lookUp(ctx, c, l)
		if err != nil || cu != nil {
			return cu, err
		}
	}
	return nil, nil
}

// customerLookup is one way of finding the guest: the filter Mews is sent,
// and the test each customer it answers must pass, since a server that
// ignores or widens a filter must never hand guestflow another guest's
// profile to fill.
type customerLookup struct {
	name    string // for logs: which lookup, never its values
	req     mews.GetCustomersRequest
	matches func(mews.Customer) bool
}

// customerLookups are the lookups the guest's data allows, in findCustomer's
// order.
func customerLookups(in UpdateMewsInput) []customerLookup {
	p := in.Profile
	same := func(a string, b *string) bool {
		return b != nil && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(*b))
	}
	ls := []customerLookup{{
		name:    "marker",
		req:     mews.GetCustomersRequest{LoyaltyCodes: []string{in.Marker}},
		matches: func(cu mews.Customer) bool { return same(in.Marker, cu.LoyaltyCode) },
	}}
	if mewsID.MatchString(in.PMSGuestID) {
		ls = append(ls, customerLookup{
			name:    "pms_guest_id",
			req:     mews.GetCustomersRequest{CustomerIDs: []string{in.PMSGuestID}},
			matches: func(cu mews.Customer) bool { return same(in.PMSGuestID, &cu.ID) },
		})
	}
	if strings.TrimSpace(p.Email) != "" {
		ls = append(ls, customerLookup{
			name:    "email",
			req:     mews.GetCustomersRequest{Emails: []string{p.Email}},
			matches: func(cu mews.Customer) bool { return same(p.Email, cu.Email) },
		})
	}
	if strings.TrimSpace(p.FirstName) != "" && strings.TrimSpace(p.LastName) != "" && p.BirthDate != nil {
		ls = append(ls, customerLookup{
			name: "name_and_birth_date",
			req:  mews.GetCustomersRequest{FirstNames: []string{p.FirstName}, LastNames: []string{p.LastName}},
			matches: func(cu mews.Customer) bool {
				return same(p.FirstName, cu.FirstName) && same(p.LastName, &cu.LastName) &&
					cu.BirthDate != nil && cu.BirthDate.String() == p.BirthDate.String()
			},
		})
	}
	return ls
}

// maxMergeHops bounds how far a chain of merged customers is followed.
const maxMergeHops = 5

// lookUp returns the first customer Mews answers to l that really matches
// it, followed to the customer it was merged into; nil when there is none.
// Inactive customers are asked for too, so that one merged away is found
// whether or not Mews keeps it active, and then skipped unless merged.
func (a *Mews) lookUp(ctx context.Context, c *mews.Client, l customerLookup) (*mews.Customer, error) {
	found, err := a.matching(ctx, c, l)
	if err != nil {
		return nil, err
	}
	for i := range found {
		cu := &found[i]
		for hop := 0; cu != nil && cu.MergeTargetID != nil; hop++ {
			if hop == maxMergeHops {
				activity.GetLogger(ctx).Warn("Mews customer merges too deep; ignored", "lookup", l.name, "mews_customer_id", found[i].ID)
				cu = nil
				break
			}
			from, target := cu.ID, *cu.MergeTargetID
			targets, err := a.matching(ctx, c, customerLookup{
				name:    "merge_target",
				req:     mews.GetCustomersRequest{CustomerIDs: []string{target}},
				matches: func(t mews.Customer) bool { return strings.EqualFold(t.ID, target) },
			})
			if err != nil {
				return nil, err
			}
			cu = nil
			if len(targets) > 0 {
				cu = &targets[0]
			}
			activity.GetLogger(ctx).Info("Mews customer was merged; following it", "mews_customer_id", from, "merge_target_found", cu != nil)
		}
		if cu != nil && cu.IsActive {
			return cu, nil
		}
	}
	return nil, nil
}

// matching returns the customers, active or not, that Mews answers to l
// and that really match it; the others are logged by id and dropped.
func (a *Mews) matching(ctx context.Context, c *mews.Client, l customerLookup) ([]mews.Customer, error) {
	page, err := c.AllCustomers(ctx, withInactive(l.req))
	if err != nil {
		return nil, err
	}
	var found []mews.Customer
	var ignored []string
	for _, cu := range page.Customers {
		if l.matches(cu) {
			found = append(found, cu)
		} else {
			ignored = append(ignored, cu.ID)
		}
	}
	if len(ignored) > 0 {
		activity.GetLogger(ctx).Warn("Mews answered customers that do not match the lookup; ignored", "lookup", l.name,
			"ignored", len(ignored), "mews_customer_ids", ignored[:min(len(ignored), 10)])
	}
	return found, nil
}

func withInactive(req mews.GetCustomersRequest) mews.GetCustomersRequest {
	req.Extent = mews.CustomerExtent{Customers: true}
	req.ActivityStates = []string{mews.ActivityActive, mews.ActivityDeleted}
	return req
}

func (a *Mews) addCustomer(ctx context.Context, c *mews.Client, in UpdateMewsInput) (*mews.Customer, error) {
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
	added, err := c.AddCustomer(ctx, req)
	if err == nil {
		return added, nil
	}
	// Someone (the hotel, or our own earlier attempt) holds this e-mail
	// already: Mews refuses a second customer with it, so use that one.
	if vendorhttp.IsStatus(err, http.StatusForbidden) && p.Email != "" {
		existing, ferr := a.findCustomer(ctx, c, in)
		if ferr == nil && existing != nil {
			return existing, nil
		}
	}
	return nil, err
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
