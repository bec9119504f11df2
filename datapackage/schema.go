package datapackage

// Field is a Table Schema field descriptor as this package writes it.
type Field struct {
	Name        string `json:"name"`
	Title       string `json:"title,omitempty"`
	Type        string `json:"type"`
	Format      string `json:"format,omitempty"`
	Description string `json:"description,omitempty"`
	Example     string `json:"example,omitempty"`
	// MissingValues, when set, replaces the schema's list for this field
	// (Table Schema v2); a pointer so that an empty list can be written.
	MissingValues *[]string    `json:"missingValues,omitempty"`
	Constraints   *Constraints `json:"constraints,omitempty"`
}

// Constraints are the field constraints this package writes.
type Constraints struct {
	Required bool     `json:"required,omitempty"`
	Enum     []string `json:"enum,omitempty"`
	Pattern  string   `json:"pattern,omitempty"`
}

// Schema is a Table Schema as this package writes it.
type Schema struct {
	Fields        []Field  `json:"fields"`
	MissingValues []string `json:"missingValues"`
	PrimaryKey    []string `json:"primaryKey,omitempty"`
}
