package dashboard

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/labdash/labdash/data"
)

// Page is one dashboard page built from one snapshot: the controls that
// choose what it shows (all state lives in the URL), quick facts, and chart
// blocks.
type Page struct {
	Name     string // the page's path segment; "" for the home page
	Title    string
	Intro    string
	Snapshot data.Snapshot
	Controls []Control
	Facts    []FactColumn
	Blocks   []Block
	Notes    []string
}

// Block returns the block with that id.
func (p Page) Block(id string) (Block, bool) {
	for _, b := range p.Blocks {
		if b.ID == id {
			return b, true
		}
	}
	return Block{}, false
}

// Control is a choice a reader makes in a GET form: a query parameter.
type Control struct {
	Name    string // the query parameter
	Label   string
	Options []Option
}

// Option is one choice. Also lists other values the option stands for: a
// query naming one of them is honoured as asked and shows this option
// selected (29-2018, the OEWS code of 29-2010's occupation).
type Option struct {
	Value    string
	Label    string
	Selected bool
	Also     []string
}

// ParamError is a query parameter that cannot be honoured; the server
// answers 400 with its sentence.
type ParamError struct {
	Param string
	Value string
	Why   string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("The %s parameter %q %s.", e.Param, e.Value, e.Why)
}

// CheckParams refuses parameters a page does not take.
func CheckParams(q url.Values, known ...string) error {
	for name, values := range q {
		ok := false
		for _, k := range known {
			ok = ok || k == name
		}
		if !ok {
			return &ParamError{Param: name, Value: values[0], Why: "is not one this page takes"}
		}
		if len(values) > 1 {
			return &ParamError{Param: name, Value: values[1], Why: "is given more than once"}
		}
	}
	return nil
}

// choose validates one parameter against its options, marks the chosen
// option and returns its value; an empty parameter takes def.
func choose(q url.Values, c *Control, def string) (string, error) {
	v := q.Get(c.Name)
	if v == "" {
		v = def
	}
	for i := range c.Options {
		if c.Options[i].Value == v || slices.Contains(c.Options[i].Also, v) {
			c.Options[i].Selected = true
			return v, nil
		}
	}
	var values []string
	for _, o := range c.Options {
		values = append(values, o.Value)
	}
	return "", &ParamError{Param: c.Name, Value: v, Why: fmt.Sprintf("is not available in this snapshot; choose one of %v", values)}
}
