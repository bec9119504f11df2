package dashboard

import (
	"github.com/labdash/labdash/data"
)

// FormatValue writes an observation's figure for people: "$61,890",
// "$29.22", "1.7%", "351,200". A flagged figure without a number gives the
// flag's words, never "0".
func FormatValue(o data.Observation) string {
	if o.IsText() {
		return o.Text
	}
	if o.Value == nil {
		return o.Absent()
	}
	v := *o.Value
	s, _ := data.FormatAmount(v, o.Unit)
	if o.Flag == data.FlagTopCoded {
		s = "≥ " + s
	}
	return s
}
