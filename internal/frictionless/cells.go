package frictionless

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// isMissing reports whether the cell stands for a missing value (null).
func (r *FieldRule) isMissing(cell string) bool { return contains(r.missing, cell) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// check returns every rule the cell breaks; null reports a missing value.
func (r *FieldRule) Check(cell string) (bits Broken, null bool) {
	if r.isMissing(cell) {
		if r.required {
			bits |= BreaksRequired
		}
		return bits, true
	}
	if r.memo == nil {
		return r.checkValue(cell), false
	}
	bits, ok := r.memo[cell]
	if !ok {
		bits = r.checkValue(cell)
		if len(r.memo) < memoSize {
			r.memo[cell] = bits
		}
	}
	return bits, false
}

// checkValue checks a present value against the type and constraints.
func (r *FieldRule) checkValue(cell string) (bits Broken) {
	num, typeOK := r.cast(cell)
	if !typeOK {
		return BreaksType
	}
	if r.enum != nil && !r.inEnum(cell, num) {
		bits |= BreaksEnum
	}
	if r.pattern != nil && !r.pattern.MatchString(cell) {
		bits |= BreaksPattern
	}
	if r.minLen > 0 || r.maxLen >= 0 {
		n := len([]rune(cell))
		if n < r.minLen || (r.maxLen >= 0 && n > r.maxLen) {
			bits |= BreaksLength
		}
	}
	if (r.min != nil && num < *r.min) || (r.max != nil && num > *r.max) {
		bits |= BreaksRange
	}
	return bits
}

func (r *FieldRule) inEnum(cell string, num float64) bool {
	if r.typ == "number" || r.typ == "integer" {
		for _, v := range r.enumNum {
			if v == num {
				return true
			}
		}
		return false
	}
	return contains(r.enum, cell)
}

// cast checks the cell against the field's type and format; numbers come
// back for range and enum checks.
func (r *FieldRule) cast(cell string) (float64, bool) {
	switch r.typ {
	case "string":
		return 0, r.stringFormatOK(cell)
	case "number":
		return r.parseNumber(cell)
	case "integer":
		if !intSyntax.MatchString(cell) {
			return 0, false
		}
		n, err := strconv.ParseInt(cell, 10, 64)
		return float64(n), err == nil
	case "boolean":
		return 0, contains(r.trueVals, cell) || contains(r.falseVals, cell)
	case "datetime":
		return 0, r.format == "any" || parseDatetime(cell)
	case "date":
		_, err := time.Parse("2006-01-02", cell)
		return 0, r.format == "any" || err == nil
	case "time":
		_, err := time.Parse("15:04:05", strings.SplitN(cell, ".", 2)[0])
		return 0, r.format == "any" || err == nil
	case "year":
		return 0, yearSyntax.MatchString(cell)
	case "yearmonth":
		return 0, ymSyntax.MatchString(cell)
	case "object", "array":
		var v any
		if json.Unmarshal([]byte(cell), &v) != nil {
			return 0, false
		}
		_, isObj := v.(map[string]any)
		_, isArr := v.([]any)
		return 0, (r.typ == "object" && isObj) || (r.typ == "array" && isArr)
	}
	return 0, true // any
}

func (r *FieldRule) stringFormatOK(cell string) bool {
	switch r.format {
	case "email":
		at := strings.IndexByte(cell, '@')
		return at > 0 && at < len(cell)-1 && !strings.ContainsAny(cell, " \t\r\n")
	case "uri":
		u, err := url.Parse(cell)
		return err == nil && u.Scheme != ""
	case "uuid":
		return uuidPattern.MatchString(cell)
	case "binary":
		_, err := base64.StdEncoding.DecodeString(cell)
		return err == nil
	}
	return true
}

// parseNumber reads a Table Schema number: decimal notation with an optional
// sign and exponent, or NaN, INF, -INF in any case.
func (r *FieldRule) parseNumber(s string) (float64, bool) {
	switch strings.ToUpper(s) {
	case "NAN":
		return math.NaN(), true
	case "INF", "+INF":
		return math.Inf(1), true
	case "-INF":
		return math.Inf(-1), true
	}
	if !numberSyntax.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil || isRangeErr(err)
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// parseDatetime accepts the XML Schema dateTime form Table Schema names:
// RFC 3339, or the same without a time zone.
func parseDatetime(s string) bool {
	if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return true
	}
	_, err := time.Parse("2006-01-02T15:04:05.999999999", s)
	return err == nil
}

// problem turns the first rule a cell breaks into the end of a sentence.
func (r *FieldRule) problem(bits Broken, cell string) string {
	switch {
	case bits&BreaksRequired != 0:
		return "is empty, but the field is required"
	case bits&BreaksType != 0:
		return fmt.Sprintf("%q is not a %s%s", cell, r.typ, r.formatNote())
	case bits&BreaksEnum != 0:
		return fmt.Sprintf("%q is not one of the allowed values (%s)", cell, strings.Join(r.enum, ", "))
	case bits&BreaksPattern != 0:
		return fmt.Sprintf("%q does not match the pattern %s", cell, r.patternS)
	case bits&BreaksLength != 0:
		return fmt.Sprintf("%q has a length outside the field's minLength/maxLength", cell)
	case bits&BreaksRange != 0:
		return fmt.Sprintf("%s is outside the field's minimum/maximum", cell)
	}
	return ""
}

func (r *FieldRule) formatNote() string {
	switch {
	case r.typ == "datetime" && r.format == "":
		return " (an RFC 3339 date and time such as 2025-05-01T12:00:00Z)"
	case r.typ == "number":
		return " (a plain decimal number such as 61890 or 1.7)"
	case r.format != "":
		return " in the format " + r.format
	}
	return ""
}
