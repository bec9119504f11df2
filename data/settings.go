package data

import "strings"

// WorkSetting is one work setting (an industry) as pages show it across
// editions: the OOH's "largest employers" tables name the same setting
// differently from edition to edition ("Hospitals", "Hospitals; state,
// local, and private"), and a chart must put them on one row, or it reads
// as if the jobs moved.
type WorkSetting struct {
	Code string // the NAICS code of the row, e.g. "622"
	Name string // the row's name
}

// settingOfTitle maps each wording a source used to its setting, and the
// NAICS code the wording really covers when it is narrower than the row
// (general medical and surgical hospitals, 6221, are most of hospitals,
// 622): the one place titles are matched. Keys are lower case, with runs of
// space made one.
var settingOfTitle = map[string]struct {
	setting WorkSetting
	covers  string
}{
	"hospitals":                            {settingHospitals, "622"},
	"hospitals; state, local, and private": {settingHospitals, "622"},
	"general medical and surgical hospitals; state, local, and private":                            {settingHospitals, "6221"},
	"general medical and surgical hospitals":                                                       {settingHospitals, "6221"},
	"medical and diagnostic laboratories":                                                          {WorkSetting{"6215", "Medical and diagnostic laboratories"}, "6215"},
	"offices of physicians":                                                                        {WorkSetting{"6211", "Offices of physicians"}, "6211"},
	"outpatient care centers":                                                                      {WorkSetting{"6214", "Outpatient care centers"}, "6214"},
	"other ambulatory health care services":                                                        {settingOtherAmbulatory, "6219"},
	"all other ambulatory healthcare services":                                                     {settingOtherAmbulatory, "6219"},
	"all other ambulatory health care services":                                                    {settingOtherAmbulatory, "6219"},
	"colleges, universities, and professional schools; state, local, and private":                  {settingColleges, "6113"},
	"junior colleges, colleges, universities, and professional schools; state, local, and private": {settingColleges, "6112-6113"},
	"federal government":                                                                           {WorkSetting{"federal", "Federal government"}, "federal"},
}

var (
	settingHospitals       = WorkSetting{"622", "Hospitals (state, local and private)"}
	settingOtherAmbulatory = WorkSetting{"6219", "Other ambulatory health care services"}
	settingColleges        = WorkSetting{"6112-6113", "Colleges, universities and professional schools (state, local and private)"}
)

// WorkSettingOf is the setting of a figure by industry: the mapped setting
// of its title when labdash knows the wording, else a setting of its own
// (its industry code, or its title when it has none). covers is the NAICS
// code the wording covers when that is narrower than the setting's code,
// "" otherwise.
func WorkSettingOf(o Observation) (s WorkSetting, covers string) {
	key := strings.ToLower(OneLine(o.IndustryTitle))
	if m, ok := settingOfTitle[key]; ok {
		if m.covers != m.setting.Code {
			covers = m.covers
		}
		return m.setting, covers
	}
	name := OneLine(o.IndustryTitle)
	if name == "" {
		name = o.IndustryCode
	}
	return WorkSetting{Code: IndustryKey(o.IndustryCode, o.IndustryTitle), Name: name}, ""
}
