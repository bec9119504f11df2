package format

import "slices"

// all lists every format, in the order the README and error messages name
// them. Adding a format is a new file and one line here.
var all = []Format{
	oewsFormat{},
	epOccupationFormat{},
	epEducationFormat{},
	epMatrixFormat{},
	blsAPIFormat{},
	oeFormat{},
	labdashCSVFormat{},
	referenceFormat{},
}

// Lookup finds a format by name.
func Lookup(name string) (Format, bool) {
	i := slices.IndexFunc(all, func(f Format) bool { return f.Name() == name })
	if i < 0 {
		return nil, false
	}
	return all[i], true
}

// Names lists the formats' names.
func Names() []string {
	names := make([]string, len(all))
	for i, f := range all {
		names[i] = f.Name()
	}
	return names
}
