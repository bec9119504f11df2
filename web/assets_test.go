package web

import (
	"strings"
	"testing"
)

// The ECharts every page loads (the bundle and the chunks it imports) holds
// no map series: that code is in the module only the places page imports.
// An import from the echarts/charts index in web/bundles/echarts.js would
// put it back into the shared chunk.
func TestMapCodeOnlyInTheMapModule(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	const mapSeries = `"series.map"` // the map series' type, registered by its code
	everyPage := []string{"vendor/echarts.js"}
	for _, url := range a.byName["vendor/echarts.js"].imports {
		everyPage = append(everyPage, strings.TrimPrefix(url, "/static/"))
	}
	if len(everyPage) < 2 {
		t.Fatal("the ECharts bundle imports no chunk")
	}
	for _, name := range everyPage {
		f := a.byName[name]
		if f == nil {
			t.Fatalf("%s is not served", name)
		}
		if strings.Contains(string(f.body.identity()), mapSeries) {
			t.Errorf("%s, which every page loads, holds the map series", name)
		}
	}
	if !strings.Contains(string(a.byName["vendor/echarts-map.js"].body.identity()), mapSeries) {
		t.Error("the map module does not hold the map series")
	}
}
