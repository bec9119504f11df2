package format

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/labdash/labdash/data"
	"github.com/labdash/labdash/ingest/fileerr"
)

// blsAPIFormat is bls-api: OEWS figures from the BLS Public Data API v2
// (POST JSON to https://api.bls.gov/publicAPI/v2/timeseries/data/). Series
// ids are built from the configured occupations, areas (OEWS area codes,
// national by default) and measures (every OEWS datatype by default). The
// registration key (LABDASH_BLS_API_KEY) raises the API's limits; it goes
// in the request body only.
type blsAPIFormat struct{}

func (blsAPIFormat) Name() string { return "bls-api" }
func (blsAPIFormat) Title() string {
	return "BLS Public Data API, Occupational Employment and Wage Statistics series"
}
func (f blsAPIFormat) CheckOccupations(codes []string) error { return needSome(f.Name(), codes) }

// The API's documented limits: series per query and queries per day, for
// clients with and without a registration key.
const (
	apiSeriesPerQuery             = 50
	apiSeriesPerQueryUnregistered = 25
	apiQueriesPerDay              = 500
	apiQueriesPerDayUnregistered  = 25
)

// Files builds one POST per batch of series, within the API's limits.
func (blsAPIFormat) Files(src Source) ([]Request, error) {
	series, err := apiSeriesIDs(src)
	if err != nil {
		return nil, err
	}
	perQuery, perDay, who := apiSeriesPerQuery, apiQueriesPerDay, "with a registration key"
	if src.APIKey == "" {
		perQuery, perDay, who = apiSeriesPerQueryUnregistered, apiQueriesPerDayUnregistered, "without a registration key"
	}
	batches := (len(series) + perQuery - 1) / perQuery
	if batches > perDay {
		return nil, fmt.Errorf("this source needs %d API requests (%d series, %d a request), more than the %d a day the BLS API allows %s; "+
			"narrow its areas or measures, or set LABDASH_BLS_API_KEY", batches, len(series), perQuery, perDay, who)
	}
	var out []Request
	for i := 0; i < len(series); i += perQuery {
		body := map[string]any{"seriesid": series[i:min(i+perQuery, len(series))]}
		if src.APIKey != "" {
			body["registrationkey"] = src.APIKey
		}
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		n := len(out) + 1
		out = append(out, Request{Key: fmt.Sprintf("batch-%d", n), Name: fmt.Sprintf("bls-api-batch-%d.json", n),
			URL: src.URL, Body: b, ContentType: "application/json"})
	}
	return out, nil
}

// apiSeriesIDs builds OEWS series ids: "OEU" + area type + area (7) +
// industry (6, cross-industry) + occupation (6) + datatype (2).
func apiSeriesIDs(src Source) ([]string, error) {
	areas := src.Areas
	if len(areas) == 0 {
		areas = []string{data.NationalAreaCode}
	}
	datatypes, err := apiDatatypes(src.Measures)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, area := range areas {
		if len(area) != 7 || strings.Trim(area, "0123456789") != "" {
			return nil, fmt.Errorf("the area %q is not a 7-digit OEWS area code such as 0000000 (United States) or 0600000 (California)", area)
		}
		kind := "M"
		switch data.KindOfArea(area) {
		case data.AreaNational:
			kind = "N"
		case data.AreaState:
			kind = "S"
		}
		for _, occ := range src.Occupations {
			for _, dt := range datatypes {
				out = append(out, fmt.Sprintf("OEU%s%s000000%s%02d", kind, area, strings.ReplaceAll(occ, "-", ""), dt))
			}
		}
	}
	return out, nil
}

// apiDatatypes maps measure names to OEWS datatypes; none means all.
func apiDatatypes(measures []string) ([]int, error) {
	var out []int
	for dt := 1; dt < len(oeDatatypes); dt++ {
		if len(measures) == 0 {
			out = append(out, dt)
		}
	}
	for _, m := range measures {
		found := false
		for dt := 1; dt < len(oeDatatypes); dt++ {
			if string(oeDatatypes[dt].measure) == m {
				out, found = append(out, dt), true
			}
		}
		if !found {
			return nil, fmt.Errorf("the measure %q has no OEWS series; use one of employment, median_annual_wage, mean_hourly_wage, …", m)
		}
	}
	return out, nil
}

// apiResponse is the API's answer, in its documented layout.
type apiResponse struct {
	Status  string   `json:"status"`
	Message []string `json:"message"`
	Results struct {
		Series []struct {
			SeriesID string `json:"seriesID"`
			Data     []struct {
				Year      string `json:"year"`
				Period    string `json:"period"`
				Value     string `json:"value"`
				Footnotes []struct {
					Code string `json:"code"`
					Text string `json:"text"`
				} `json:"footnotes"`
			} `json:"data"`
		} `json:"series"`
	} `json:"Results"`
}

func (blsAPIFormat) Parse(in Input) ([]data.Observation, error) {
	if err := checkOccupations(in.Source.Occupations); err != nil {
		return nil, fmt.Errorf("bls-api: %w", err)
	}
	c := newCollector("")
	prov := withDefaultTier(in.Prov)
	for _, f := range in.Files {
		if err := parseAPIAnswer(in, f, c, prov); err != nil {
			return nil, fmt.Errorf("bls-api: %w", err)
		}
	}
	return c.observations(), nil
}

func parseAPIAnswer(in Input, f File, c *collector, prov Provenance) error {
	body, err := readAnswer(f)
	if err != nil {
		return err
	}
	var resp apiResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return fileerr.At(f.Name, 0, fileerr.New(fileerr.ErrRowMalformed, "the API's answer is not the JSON it documents (%v)", err))
	}
	said := clip(scrubKey(strings.Join(resp.Message, "; "), in.Source.APIKey))
	if resp.Status != "REQUEST_SUCCEEDED" {
		if said == "" {
			said = "no reason given"
		}
		return fileerr.New(fileerr.ErrServiceRefused, "the BLS API answered %s: %s", cmpOr(resp.Status, "without a status"), said)
	}
	if said != "" {
		in.note("the BLS API said: %s", said)
	}
	for _, s := range resp.Results.Series {
		for _, d := range s.Data {
			o, err := apiObservation(s.SeriesID, d.Year, d.Value)
			if err != nil {
				return fileerr.At(f.Name, 0, err)
			}
			fn := data.FlagNone
			for _, n := range d.Footnotes {
				if fl := oeFootnoteFlag(n.Code, n.Text); flagRank(fl) > flagRank(fn) {
					fn = fl
				}
			}
			cell, err := readNumberCell(d.Value)
			if err != nil {
				return fileerr.At(f.Name, 0, err)
			}
			cell = combineFlags(cell, fn)
			o.Flag = cell.flag
			if cell.hasValue {
				o.Value = data.Float(cell.value)
			}
			prov.apply(&o)
			if err := c.add(o, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// readAnswer reads one answer whole, refusing one over maxAnswerBytes or
// not UTF-8 (encoding/json would silently turn such bytes into U+FFFD).
func readAnswer(f File) ([]byte, error) {
	r, size, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if size > maxAnswerBytes {
		return nil, fileerr.At(f.Name, 0, fileerr.New(fileerr.ErrOverLimit, "the API's answer is %s bytes; labdash reads at most %s "+
			"(an answer of 50 series over 20 years is about 600 KB)", count(int(size)), count(maxAnswerBytes)))
	}
	body, err := io.ReadAll(io.LimitReader(r, maxAnswerBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the answer: %w", f.Name, err)
	}
	if !utf8.Valid(body) {
		at := firstInvalidUTF8(body)
		line := 1 + bytes.Count(body[:at], []byte{'\n'})
		return nil, fileerr.At(f.Name, line, fileerr.New(fileerr.ErrNotText, "the API's answer is not valid UTF-8 "+
			"(byte 0x%02X at byte %d); JSON must be UTF-8", body[at], at+1))
	}
	return body, nil
}

// apiObservation reads the key of one API value from its series id.
func apiObservation(series, year, value string) (data.Observation, error) {
	if len(series) != oeSeriesLen || !strings.HasPrefix(series, "OEU") {
		return data.Observation{}, fileerr.New(fileerr.ErrRowMalformed, "%q is not an OEWS series id", series)
	}
	dt := oeDatatypeOf([]byte(series))
	if dt == 0 || int(dt) >= len(oeDatatypes) || oeDatatypes[dt].measure == "" {
		return data.Observation{}, fileerr.New(fileerr.ErrRowMalformed, "the series %s has an unknown datatype", series)
	}
	soc := series[oeOccupationAt : oeOccupationAt+6]
	code := soc[:2] + "-" + soc[2:]
	area := series[oeAreaAt : oeAreaAt+7]
	o := data.Observation{OccupationCode: code, OccupationTitle: cmpOr(data.OccupationTitles[code], code),
		AreaCode: area, Measure: oeDatatypes[dt].measure, Unit: oeDatatypes[dt].unit, Period: "May " + year}
	if ind := series[oeIndustryAt : oeIndustryAt+6]; ind != "000000" {
		o.IndustryCode = ind
	}
	switch st, ok := data.StateByAreaCode(area); {
	case area == data.NationalAreaCode:
		o.AreaTitle = data.NationalAreaTitle
	case ok:
		o.AreaTitle = st.Name
	}
	return o, nil
}

// scrubKey keeps the registration key out of anything shown or stored.
func scrubKey(s, key string) string {
	if key == "" {
		return s
	}
	return strings.ReplaceAll(s, key, "[registration key]")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
