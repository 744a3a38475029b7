package activities

import "context"

// Credential is one vendor credential the worker checks at start with a
// cheap documented call that reads no guest: per branch for Mews (its
// access token) and PassportScan (its API key and account), per app
// configuration for Passcreator, once for Passquare (the group's app_key).
type Credential struct {
	Vendor string
	Branch string // "" for a credential of the whole group
	Check  func(ctx context.Context) error
}

// Name is how /readyz and the logs name the credential: vendor, or
// vendor/branch. It never holds the secret.
func (c Credential) Name() string {
	if c.Branch == "" {
		return c.Vendor
	}
	return c.Vendor + "/" + c.Branch
}

// Credentials are the checks of every credential in the group's
// configuration, in a stable order.
//
//   - Mews: customers/getAll with every Extent false and Limitation Count 1,
//     which the document says answers a Cursor and no data.
//   - PassportScan: the login (POST /v1/service/login).
//   - Passquare: status, which "checks the app_key".
//   - Passcreator: GET the branch's app configuration, for each branch that
//     names one (a 404 is as wrong as a refused key).
func (s *Set) Credentials(branchIDs []string) []Credential {
	var out []Credential
	for _, id := range branchIDs {
		if m := s.Mews.Branches[id]; m != nil {
			out = append(out, Credential{Vendor: "mews", Branch: id, Check: m.CheckAccess})
		}
		if ps := s.PassportScan.Branches[id]; ps != nil {
			out = append(out, Credential{Vendor: "passportscan", Branch: id, Check: ps.Login})
		}
	}
	for _, id := range branchIDs {
		for config, outlet := range s.Passcreator.Outlets {
			if outlet.BranchID != id {
				continue
			}
			out = append(out, Credential{Vendor: "passcreator", Branch: id, Check: func(ctx context.Context) error {
				_, err := s.Passcreator.Client.GetAppConfiguration(ctx, config)
				return err
			}})
		}
	}
	out = append(out, Credential{Vendor: "passquare", Check: func(ctx context.Context) error {
		_, err := s.Passquare.Client.Status(ctx)
		return err
	}})
	return out
}
