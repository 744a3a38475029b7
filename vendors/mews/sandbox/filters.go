package sandbox

import "strings"

// stringSet is a filter over one field: empty means "any value".
type stringSet struct {
	m        map[string]bool
	foldCase bool
}

func set(values []string, foldCase bool) stringSet {
	s := stringSet{foldCase: foldCase}
	if len(values) > 0 {
		s.m = map[string]bool{}
		for _, x := range values {
			if foldCase {
				x = strings.ToLower(strings.TrimSpace(x))
			}
			s.m[x] = true
		}
	}
	return s
}

func (s stringSet) has(x string) bool {
	if s.m == nil {
		return true
	}
	if s.foldCase {
		x = strings.ToLower(strings.TrimSpace(x))
	}
	return s.m[x]
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func blankIsNil(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	return s
}

func setIfGiven(to **string, from *string) {
	if from != nil && *from != "" {
		v := *from
		*to = &v
	}
}
