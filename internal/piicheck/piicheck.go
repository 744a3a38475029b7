// Package piicheck finds, for tests, the personal data a JSON document
// carries, so a test can assert that an error, an answer or a log line made
// from the document repeats none of it.
package piicheck

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// MinLen is the shortest value looked for: shorter ones ("Jo", "12") occur
// in any text by chance.
const MinLen = 6

// personalKey names the fields that hold a guest's data in the four
// vendors' documents and in Passquare's hooks: names, e-mails, phones,
// birth dates, document numbers, addresses.
var personalKey = regexp.MustCompile(`(?i)(name|mail|phone|birth|passport|documentnumber|document_number|personal|address|street|city|postal|zip)`)

// personalValue is data that is personal under any key: an e-mail address
// or an international phone number (Passcreator's additionalProperties hold
// them under generated ids).
var personalValue = regexp.MustCompile(`[^@\s]+@[^@\s]+\.[a-z]{2,}|\+[0-9]{6,}`)

// Values is what a document holds under personal keys, and the keys, which
// an error may name (a value that is also a key is not looked for).
type Values struct {
	values []string
	keys   strings.Builder
}

// Find walks doc; a document that is not JSON holds nothing findable.
func Find(doc []byte) *Values {
	v := &Values{}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var root any
	if dec.Decode(&root) != nil {
		return v
	}
	v.walk(root, false)
	return v
}

func (v *Values) walk(node any, personal bool) {
	switch n := node.(type) {
	case map[string]any:
		for k, child := range n {
			v.keys.WriteString(k)
			v.keys.WriteByte('\n')
			v.walk(child, personalKey.MatchString(k) && !strings.HasSuffix(strings.ToLower(k), "id"))
		}
	case []any:
		for _, child := range n {
			v.walk(child, personal)
		}
	case string:
		v.add(n, personal)
	case json.Number:
		v.add(n.String(), personal)
	}
}

func (v *Values) add(s string, personal bool) {
	if s = strings.TrimSpace(s); (personal || personalValue.MatchString(s)) && len(s) >= MinLen {
		v.values = append(v.values, s)
	}
}

// In returns the personal values that occur in text as a whole word: a
// value found only inside a longer word of the text ("ration" in the
// endpoint "{appConfigurationId}") is the code's own wording, not a repeat.
func (v *Values) In(text string) []string {
	var found []string
	keys := v.keys.String()
	for _, s := range v.values {
		if wholeWordIn(text, s) && !strings.Contains(keys, s) {
			found = append(found, s)
		}
	}
	return found
}

func wholeWordIn(text, s string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], s)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(s)
		if !wordByte(text, start-1) && !wordByte(text, end) {
			return true
		}
		from = start + 1
	}
}

// wordByte reports whether text[i] continues a word: a letter or a digit.
func wordByte(text string, i int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	c := text[i]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
