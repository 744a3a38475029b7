package sandbox

import "encoding/json"

// Per-call limits Mews documents for identityDocuments/*.
const (
	maxDocumentCustomers = 100
	maxDocumentsPerCall  = 10
	maxDocumentDeletes   = 100
	maxDocumentClears    = 10
)

func (s *Server) getDocuments(e *enterprise, body []byte) (any, *failure) {
	var req struct {
		ChainIds            []string    `json:"ChainIds"`
		IdentityDocumentIds []string    `json:"IdentityDocumentIds"`
		CustomerIds         []string    `json:"CustomerIds"`
		Types               []string    `json:"Types"`
		Limitation          *limitation `json:"Limitation"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	v := &checks{}
	if len(req.CustomerIds) == 0 {
		v.fail("CustomerIds is required.")
	}
	v.maxItems("CustomerIds", len(req.CustomerIds), maxDocumentCustomers)
	v.maxItems("IdentityDocumentIds", len(req.IdentityDocumentIds), maxDocumentCustomers)
	v.maxItems("ChainIds", len(req.ChainIds), 1000)
	v.allOf("Types", req.Types, documentTypes...)
	// The documented sample request has no Limitation although the table
	// marks it required; both readings are accepted.
	count, cursor := 1000, (*string)(nil)
	if req.Limitation != nil {
		count, cursor = v.limitation(req.Limitation)
	}
	customers := set(v.guids("CustomerIds", req.CustomerIds), false)
	ids := set(v.guids("IdentityDocumentIds", req.IdentityDocumentIds), false)
	types := set(req.Types, false)
	if v.f != nil {
		return nil, v.f
	}
	keep := func(d *IdentityDocument) bool {
		return customers.has(d.CustomerID) && ids.has(d.ID) && types.has(d.Type)
	}
	found, next, f := page(e, e.docs, func(d *IdentityDocument) string { return d.ID }, keep, count, cursor)
	if f != nil {
		return nil, f
	}
	return documentsAnswer(found, next), nil
}

type documentsResponse struct {
	IdentityDocuments []IdentityDocument `json:"IdentityDocuments"`
	Cursor            *string            `json:"Cursor,omitempty"`
}

func documentsAnswer(docs []*IdentityDocument, cursor *string) documentsResponse {
	out := documentsResponse{IdentityDocuments: []IdentityDocument{}, Cursor: cursor}
	for _, d := range docs {
		out.IdentityDocuments = append(out.IdentityDocuments, *d)
	}
	return out
}

// checkBatch enforces the size of an add or update call.
func (v *checks) checkBatch(n int) {
	if n == 0 {
		v.fail("IdentityDocuments is required.")
	}
	v.maxItems("IdentityDocuments", n, maxDocumentsPerCall)
}

func (s *Server) addDocuments(e *enterprise, body []byte) (any, *failure) {
	var req struct {
		ChainId           *string `json:"ChainId"`
		IdentityDocuments []struct {
			CustomerId                    *string `json:"CustomerId"`
			Type                          *string `json:"Type"`
			Number                        *string `json:"Number"`
			ExpirationDate                *string `json:"ExpirationDate"`
			IssuanceDate                  *string `json:"IssuanceDate"`
			IssuingCountryCode            *string `json:"IssuingCountryCode"`
			IssuingCity                   *string `json:"IssuingCity"`
			IdentityDocumentSupportNumber *string `json:"IdentityDocumentSupportNumber"`
		} `json:"IdentityDocuments"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	v := &checks{}
	v.checkBatch(len(req.IdentityDocuments))
	var docs []IdentityDocument
	for _, in := range req.IdentityDocuments {
		v.required("CustomerId", in.CustomerId)
		v.required("Type", in.Type)
		v.required("Number", in.Number)
		v.oneOf("Type", in.Type, documentTypes...)
		if v.f != nil {
			break
		}
		d := IdentityDocument{
			CustomerID:                    v.guid("CustomerId", *in.CustomerId),
			Type:                          *in.Type,
			Number:                        *in.Number,
			ExpirationDate:                v.date("ExpirationDate", in.ExpirationDate, utcLayout),
			IssuanceDate:                  v.date("IssuanceDate", in.IssuanceDate, utcLayout),
			IssuingCountryCode:            v.country("IssuingCountryCode", in.IssuingCountryCode),
			IssuingCity:                   blankIsNil(in.IssuingCity),
			IdentityDocumentSupportNumber: blankIsNil(in.IdentityDocumentSupportNumber),
		}
		if v.f == nil && e.customers[d.CustomerID] == nil {
			v.fail("Invalid CustomerId.")
		}
		docs = append(docs, d)
	}
	if v.f != nil {
		return nil, v.f
	}
	var added []*IdentityDocument
	for _, d := range docs {
		added = append(added, e.docs[e.addDocument(d)])
	}
	return documentsAnswer(added, nil), nil
}

func (s *Server) updateDocuments(e *enterprise, body []byte) (any, *failure) {
	var req struct {
		ChainId           *string `json:"ChainId"`
		IdentityDocuments []struct {
			Id                            *string         `json:"Id"`
			Type                          json.RawMessage `json:"Type"`
			Number                        json.RawMessage `json:"Number"`
			ExpirationDate                json.RawMessage `json:"ExpirationDate"`
			IssuanceDate                  json.RawMessage `json:"IssuanceDate"`
			IssuingCountryCode            json.RawMessage `json:"IssuingCountryCode"`
			IssuingCity                   json.RawMessage `json:"IssuingCity"`
			IdentityDocumentSupportNumber json.RawMessage `json:"IdentityDocumentSupportNumber"`
		} `json:"IdentityDocuments"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	v := &checks{}
	v.checkBatch(len(req.IdentityDocuments))
	var changes []func()
	var touched []*IdentityDocument
	for _, in := range req.IdentityDocuments {
		v.required("Id", in.Id)
		if v.f != nil {
			break
		}
		d := e.docs[v.guid("Id", *in.Id)]
		if v.f == nil && d == nil {
			v.fail("Invalid IdentityDocumentId.")
		}
		if v.f != nil {
			break
		}
		if typ, ok := wrapped(v, "Type", in.Type); ok {
			if typ == nil {
				v.fail("Type Value is required.")
			} else {
				v.oneOf("Type", typ, documentTypes...)
				changes = append(changes, func() { d.Type = *typ })
			}
		}
		if number, ok := wrapped(v, "Number", in.Number); ok {
			if blankIsNil(number) == nil {
				v.fail("Number is required.")
			} else {
				changes = append(changes, func() { d.Number = *number })
			}
		}
		for _, field := range []struct {
			name string
			raw  json.RawMessage
			to   **string
			norm func(*string) *string
		}{
			{"ExpirationDate", in.ExpirationDate, &d.ExpirationDate, func(s *string) *string { return v.date("ExpirationDate", s, utcLayout) }},
			{"IssuanceDate", in.IssuanceDate, &d.IssuanceDate, func(s *string) *string { return v.date("IssuanceDate", s, utcLayout) }},
			{"IssuingCountryCode", in.IssuingCountryCode, &d.IssuingCountryCode, func(s *string) *string { return v.country("IssuingCountryCode", s) }},
			{"IssuingCity", in.IssuingCity, &d.IssuingCity, blankIsNil},
			{"IdentityDocumentSupportNumber", in.IdentityDocumentSupportNumber, &d.IdentityDocumentSupportNumber, blankIsNil},
		} {
			if value, ok := wrapped(v, field.name, field.raw); ok {
				value = field.norm(value)
				to := field.to
				changes = append(changes, func() { *to = value })
			}
		}
		touched = append(touched, d)
	}
	if v.f != nil {
		return nil, v.f
	}
	for _, change := range changes {
		change()
	}
	return documentsAnswer(touched, nil), nil
}

func (s *Server) deleteDocuments(e *enterprise, body []byte) (any, *failure) {
	var req struct {
		ChainId             *string  `json:"ChainId"`
		IdentityDocumentIds []string `json:"IdentityDocumentIds"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	v := &checks{}
	if len(req.IdentityDocumentIds) == 0 {
		v.fail("IdentityDocumentIds is required.")
	}
	v.maxItems("IdentityDocumentIds", len(req.IdentityDocumentIds), maxDocumentDeletes)
	ids := v.guids("IdentityDocumentIds", req.IdentityDocumentIds)
	if v.f != nil {
		return nil, v.f
	}
	for _, id := range ids {
		if e.docs[id] == nil {
			return nil, badRequest("Invalid IdentityDocumentIds.")
		}
	}
	for _, id := range ids {
		delete(e.docs, id)
	}
	return struct{}{}, nil
}

func (s *Server) clearDocuments(e *enterprise, body []byte) (any, *failure) {
	var req struct {
		ChainId     *string  `json:"ChainId"`
		CustomerIds []string `json:"CustomerIds"`
	}
	if f := decode(body, &req); f != nil {
		return nil, f
	}
	v := &checks{}
	if len(req.CustomerIds) == 0 {
		v.fail("CustomerIds is required.")
	}
	v.maxItems("CustomerIds", len(req.CustomerIds), maxDocumentClears)
	ids := v.guids("CustomerIds", req.CustomerIds)
	if v.f != nil {
		return nil, v.f
	}
	for _, id := range ids {
		if e.customers[id] == nil {
			return nil, badRequest("Invalid CustomerIds.")
		}
	}
	for _, id := range ids {
		for _, d := range e.documentsOf(id) {
			delete(e.docs, d.ID)
		}
	}
	return struct{}{}, nil
}
