package mews

import "context"

// Per-call limits of the identityDocuments operations.
const (
	MaxDocumentCustomers = 100 // CustomerIds (and IdentityDocumentIds) in getAll
	MaxDocumentsPerCall  = 10  // documents in add and update
	MaxDocumentDeletes   = 100 // IdentityDocumentIds in delete
	MaxDocumentClears    = 10  // CustomerIds in clear
)

// GetIdentityDocumentsRequest filters identityDocuments/getAll.
// Limitation.Count 0 means MaxPageSize.
type GetIdentityDocumentsRequest struct {
	ChainIDs            []string       `json:"ChainIds,omitempty"`
	IdentityDocumentIDs []string       `json:"IdentityDocumentIds,omitempty"`
	CustomerIDs         []string       `json:"CustomerIds"`
	Types               []DocumentType `json:"Types,omitempty"`
	Limitation          Limitation     `json:"Limitation,omitzero"`
}

// IdentityDocumentsPage is one answer of identityDocuments/getAll.
type IdentityDocumentsPage struct {
	IdentityDocuments []IdentityDocument `json:"IdentityDocuments"`
	Cursor            *string            `json:"Cursor"`
}

// GetIdentityDocuments fetches one page; req must respect the per-call limits.
func (c *Client) GetIdentityDocuments(ctx context.Context, req GetIdentityDocumentsRequest) (*IdentityDocumentsPage, error) {
	req.Limitation = req.Limitation.normalized()
	var page IdentityDocumentsPage
	if err := c.call(ctx, "identityDocuments/getAll", req, &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// AllIdentityDocuments returns every document matching req, however many
// customers it names: the ids are sent 100 at a time and each batch's
// cursor is followed to its end. No customers means no documents and no call.
func (c *Client) AllIdentityDocuments(ctx context.Context, req GetIdentityDocumentsRequest) ([]IdentityDocument, error) {
	req.Limitation = req.Limitation.normalized()
	docIDBatches := [][]string{nil}
	if len(req.IdentityDocumentIDs) > 0 {
		docIDBatches = batches(req.IdentityDocumentIDs, MaxDocumentCustomers)
	}
	var all []IdentityDocument
	for _, customers := range batches(req.CustomerIDs, MaxDocumentCustomers) {
		for _, docIDs := range docIDBatches {
			batch := req
			batch.CustomerIDs, batch.IdentityDocumentIDs = customers, docIDs
			for {
				page, err := c.GetIdentityDocuments(ctx, batch)
				if err != nil {
					return nil, err
				}
				all = append(all, page.IdentityDocuments...)
				last := ""
				if n := len(page.IdentityDocuments); n > 0 {
					last = page.IdentityDocuments[n-1].ID
				}
				next := nextCursor(len(page.IdentityDocuments), batch.Limitation.Count, batch.Limitation.Cursor, page.Cursor, last)
				if next == nil {
					break
				}
				batch.Limitation.Cursor = next
			}
		}
	}
	return all, nil
}

// AddIdentityDocumentsRequest is identityDocuments/add; any number of
// documents, sent ten per call.
type AddIdentityDocumentsRequest struct {
	ChainID           string                       `json:"ChainId,omitempty"`
	IdentityDocuments []IdentityDocumentParameters `json:"IdentityDocuments"`
}

// AddIdentityDocuments adds the documents in calls of at most ten and returns
// them as Mews stored them. When a later call fails, the documents added by
// the earlier ones are returned with the error, so a caller can tell which
// exist before it retries.
func (c *Client) AddIdentityDocuments(ctx context.Context, req AddIdentityDocumentsRequest) ([]IdentityDocument, error) {
	var added []IdentityDocument
	for _, docs := range batches(req.IdentityDocuments, MaxDocumentsPerCall) {
		batch := req
		batch.IdentityDocuments = docs
		var out IdentityDocumentsPage
		if err := c.call(ctx, "identityDocuments/add", batch, &out); err != nil {
			return added, err
		}
		added = append(added, out.IdentityDocuments...)
	}
	return added, nil
}

// UpdateIdentityDocumentsRequest is identityDocuments/update; any number of
// documents, sent ten per call.
type UpdateIdentityDocumentsRequest struct {
	ChainID           string                   `json:"ChainId,omitempty"`
	IdentityDocuments []IdentityDocumentUpdate `json:"IdentityDocuments"`
}

// UpdateIdentityDocuments updates the documents in calls of at most ten and
// returns them as modified; on failure, those updated so far come with the error.
func (c *Client) UpdateIdentityDocuments(ctx context.Context, req UpdateIdentityDocumentsRequest) ([]IdentityDocument, error) {
	var updated []IdentityDocument
	for _, docs := range batches(req.IdentityDocuments, MaxDocumentsPerCall) {
		batch := req
		batch.IdentityDocuments = docs
		var out IdentityDocumentsPage
		if err := c.call(ctx, "identityDocuments/update", batch, &out); err != nil {
			return updated, err
		}
		updated = append(updated, out.IdentityDocuments...)
	}
	return updated, nil
}

// DeleteIdentityDocumentsRequest is identityDocuments/delete.
type DeleteIdentityDocumentsRequest struct {
	ChainID             string   `json:"ChainId,omitempty"`
	IdentityDocumentIDs []string `json:"IdentityDocumentIds"`
}

// DeleteIdentityDocuments deletes the documents, 100 ids per call.
func (c *Client) DeleteIdentityDocuments(ctx context.Context, req DeleteIdentityDocumentsRequest) error {
	for _, ids := range batches(req.IdentityDocumentIDs, MaxDocumentDeletes) {
		batch := req
		batch.IdentityDocumentIDs = ids
		if err := c.call(ctx, "identityDocuments/delete", batch, nil); err != nil {
			return err
		}
	}
	return nil
}

// ClearIdentityDocumentsRequest is identityDocuments/clear.
type ClearIdentityDocumentsRequest struct {
	ChainID     string   `json:"ChainId,omitempty"`
	CustomerIDs []string `json:"CustomerIds"`
}

// ClearIdentityDocuments deletes every document of the customers, ten
// customers per call.
func (c *Client) ClearIdentityDocuments(ctx context.Context, req ClearIdentityDocumentsRequest) error {
	for _, ids := range batches(req.CustomerIDs, MaxDocumentClears) {
		batch := req
		batch.CustomerIDs = ids
		if err := c.call(ctx, "identityDocuments/clear", batch, nil); err != nil {
			return err
		}
	}
	return nil
}

// batches cuts items into consecutive runs of at most size; none for none.
func batches[T any](items []T, size int) [][]T {
	var out [][]T
	for len(items) > 0 {
		n := min(size, len(items))
		out = append(out, items[:n:n])
		items = items[n:]
	}
	return out
}
