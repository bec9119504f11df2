package data

import "strings"

// AreaKind tells national, state and sub-state areas apart.
type AreaKind int

// Area kinds, by the shape of the OEWS 7-digit area code.
const (
	AreaNational AreaKind = iota
	AreaState
	AreaMetro // metropolitan or nonmetropolitan area
)

// KindOfArea classifies an OEWS area code: "0000000" national,
// state FIPS + "00000" a state, anything else a metro or nonmetro area.
func KindOfArea(code string) AreaKind {
	switch {
	case code == NationalAreaCode:
		return AreaNational
	case len(code) == 7 && strings.HasSuffix(code, "00000"):
		return AreaState
	}
	return AreaMetro
}

// State is a U.S. state or territory with its FIPS code and postal abbreviation.
type State struct {
	FIPS   string
	Postal string
	Name   string
}

// AreaCode is the state's OEWS area code.
func (s State) AreaCode() string { return s.FIPS + "00000" }

// States are the areas OEWS publishes state estimates for.
var States = []State{
	{"01", "AL", "Alabama"}, {"02", "AK", "Alaska"}, {"04", "AZ", "Arizona"},
	{"05", "AR", "Arkansas"}, {"06", "CA", "California"}, {"08", "CO", "Colorado"},
	{"09", "CT", "Connecticut"}, {"10", "DE", "Delaware"}, {"11", "DC", "District of Columbia"},
	{"12", "FL", "Florida"}, {"13", "GA", "Georgia"}, {"15", "HI", "Hawaii"},
	{"16", "ID", "Idaho"}, {"17", "IL", "Illinois"}, {"18", "IN", "Indiana"},
	{"19", "IA", "Iowa"}, {"20", "KS", "Kansas"}, {"21", "KY", "Kentucky"},
	{"22", "LA", "Louisiana"}, {"23", "ME", "Maine"}, {"24", "MD", "Maryland"},
	{"25", "MA", "Massachusetts"}, {"26", "MI", "Michigan"}, {"27", "MN", "Minnesota"},
	{"28", "MS", "Mississippi"}, {"29", "MO", "Missouri"}, {"30", "MT", "Montana"},
	{"31", "NE", "Nebraska"}, {"32", "NV", "Nevada"}, {"33", "NH", "New Hampshire"},
	{"34", "NJ", "New Jersey"}, {"35", "NM", "New Mexico"}, {"36", "NY", "New York"},
	{"37", "NC", "North Carolina"}, {"38", "ND", "North Dakota"}, {"39", "OH", "Ohio"},
	{"40", "OK", "Oklahoma"}, {"41", "OR", "Oregon"}, {"42", "PA", "Pennsylvania"},
	{"44", "RI", "Rhode Island"}, {"45", "SC", "South Carolina"}, {"46", "SD", "South Dakota"},
	{"47", "TN", "Tennessee"}, {"48", "TX", "Texas"}, {"49", "UT", "Utah"},
	{"50", "VT", "Vermont"}, {"51", "VA", "Virginia"}, {"53", "WA", "Washington"},
	{"54", "WV", "West Virginia"}, {"55", "WI", "Wisconsin"}, {"56", "WY", "Wyoming"},
	{"66", "GU", "Guam"}, {"72", "PR", "Puerto Rico"}, {"78", "VI", "Virgin Islands"},
}

// metroCBSA holds the Core Based Statistical Area codes of the metro areas the
// reference figures name (2020 delineations, as OEWS uses from May 2024 on).
var metroCBSA = map[string]string{
	"Atlanta-Sandy Springs-Alpharetta":    "12060",
	"Boston-Cambridge-Newton":             "14460",
	"Chicago-Naperville-Elgin":            "16980",
	"Dallas-Fort Worth-Arlington":         "19100",
	"Houston-The Woodlands-Sugar Land":    "26420",
	"Los Angeles-Long Beach-Anaheim":      "31080",
	"Miami-Fort Lauderdale-Pompano Beach": "33100",
	"New York-Newark-Jersey City":         "35620",
	"Philadelphia-Camden-Wilmington":      "37980",
	"Phoenix-Mesa-Chandler":               "38060",
	"Riverside-San Bernardino-Ontario":    "40140",
	"San Francisco-Oakland-Berkeley":      "41860",
	"Washington-Arlington-Alexandria":     "47900",
}

// AreaCodeForName finds the OEWS area code of a place named in a source that
// gives only names: the nation, a state, or one of the metro areas above.
func AreaCodeForName(name string) (string, bool) {
	name = strings.TrimSpace(name)
	if strings.EqualFold(name, NationalAreaTitle) {
		return NationalAreaCode, true
	}
	// Metro names first: "Washington-Arlington-Alexandria" is not the state.
	if cbsa, ok := metroCBSA[name]; ok {
		return "00" + cbsa, true
	}
	for _, s := range States {
		if strings.EqualFold(s.Name, name) {
			return s.AreaCode(), true
		}
	}
	return "", false
}

// StateByAreaCode returns the state whose OEWS area code is code.
func StateByAreaCode(code string) (State, bool) {
	for _, s := range States {
		if s.AreaCode() == code {
			return s, true
		}
	}
	return State{}, false
}
