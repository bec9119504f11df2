package data

// Occupation codes labdash knows by name. Other codes may arrive through
// ingest; they are shown with the title their source gave.
const (
	CodeClinicalLabEP       = "29-2010" // EP and OOH: technologists and technicians together
	CodeClinicalLabOEWS     = "29-2018" // OEWS from May 2019 on
	CodeLabTechnologists    = "29-2011" // OEWS before May 2019, EP before 2018
	CodeLabTechnicians      = "29-2012"
	CodePhlebotomists       = "31-9097"
	CodeAllOccupations      = "00-0000"
	NationalAreaCode        = "0000000"
	NationalAreaTitle       = "United States"
	ClassificationBreakYear = 2019 // first OEWS May estimate published under SOC 2018 (29-2018)
)

// Family groups the codes one occupation has carried across classification
// changes. A trend across codes of one family is a break, never a joined line.
type Family struct {
	ID      string
	Title   string
	Codes   []string // the codes in use today first
	Note    string   // the classification history in one paragraph
	Members []string // codes that split the family before the break (shown as their own series)
}

// Families lists the occupation families shown on the dashboard, the home
// page's own family first.
var Families = []Family{
	{
		ID:      "clinical-lab",
		Title:   "Clinical laboratory technologists and technicians",
		Codes:   []string{CodeClinicalLabEP, CodeClinicalLabOEWS, CodeLabTechnologists, CodeLabTechnicians},
		Members: []string{CodeLabTechnologists, CodeLabTechnicians},
		Note: "BLS published technologists (29-2011) and technicians (29-2012) separately until " +
			"OEWS May 2018; from May 2019 OEWS combines them as 29-2018, and Employment Projections " +
			"as 29-2010. Figures on either side of that change are not strictly comparable.",
	},
	{
		ID:    "phlebotomists",
		Title: "Phlebotomists",
		Codes: []string{CodePhlebotomists},
		Note:  "Phlebotomists have kept code 31-9097 in every program.",
	},
}

// FamilyByID returns the family with that id.
func FamilyByID(id string) (Family, bool) {
	for _, f := range Families {
		if f.ID == id {
			return f, true
		}
	}
	return Family{}, false
}

// FamilyOf returns the family an occupation code belongs to.
func FamilyOf(code string) (Family, bool) {
	for _, f := range Families {
		for _, c := range f.Codes {
			if c == code {
				return f, true
			}
		}
	}
	return Family{}, false
}

// OccupationTitles names the known codes, for sources that give only a code.
var OccupationTitles = map[string]string{
	CodeClinicalLabEP:    "Clinical laboratory technologists and technicians",
	CodeClinicalLabOEWS:  "Clinical laboratory technologists and technicians",
	CodeLabTechnologists: "Medical and clinical laboratory technologists",
	CodeLabTechnicians:   "Medical and clinical laboratory technicians",
	CodePhlebotomists:    "Phlebotomists",
	CodeAllOccupations:   "All occupations",
}
