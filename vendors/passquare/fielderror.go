package passquare

import "errors"

// ErrInvalid marks a request or hook that cannot be right, whatever the
// vendor says; activities treat it as permanent.
var ErrInvalid = errors.New("passquare: invalid data")

// FieldError names the field that is wrong and why, never its value: the
// values are phones, names and birthdays.
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string {
	return "passquare: " + e.Field + ": " + e.Reason
}

func (e *FieldError) Unwrap() error { return ErrInvalid }

// AnswerReason makes an answer holding the field a *vendorhttp.AnswerError
// with this reason.
func (e *FieldError) AnswerReason() string { return e.Field + ": " + e.Reason }

func invalid(field, reason string) error { return &FieldError{Field: field, Reason: reason} }
