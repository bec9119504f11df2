package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/labdash/labdash/data"
)

// A bls-oe source read alone is parsed while it is published. When a line
// near the end of oe.data contradicts an earlier one, figures of the lines
// before it have been written already: the run fails the source, and the
// store is left exactly as it was.
func TestStreamedReadFailingLateLeavesTheStoreAsItWas(t *testing.T) {
	ctx := context.Background()
	oeDir := oeSourceDir(t)
	dataPath := filepath.Join(oeDir, "oe.data.0.Current")
	body := mustRead(t, dataPath)
	// Lines of an occupation not configured, until the file is several of
	// the parser's 256 KB blocks long, then the contradiction (synthetic).
	filler := "OEUM001206000000015125201     \t2024\tA01\t      130000\t\n"
	var b bytes.Buffer
	b.Write(body)
	for b.Len() < 1<<20 {
		b.WriteString(filler)
	}
	lines := bytes.Count(b.Bytes(), []byte("\n"))
	b.WriteString("OEUM001206000000029201804     \t2024\tA01\t       71000\t\n") // line 4 says 70000
	if err := os.WriteFile(dataPath, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	r, store, _ := hostileRunner(t, "  - name: oe-local\n    format: bls-oe\n    url: "+oeDir+"\n    occupations: [\"29-2018\"]\n")
	r.Fetcher.DeferLocalHash = true
	before := storeContent(t, store)

	run, err := r.Run(ctx, TriggerCLI, "oe-local")
	if err != nil {
		t.Fatal(err)
	}
	if run.Outcome != data.RunFailed || run.SnapshotID != 0 || run.Sources[0].Outcome != data.SourceFailed {
		t.Fatalf("run %s (%s), snapshot %d, source %+v", run.Outcome, run.Message, run.SnapshotID, run.Sources[0])
	}
	if msg := run.Sources[0].Error; !strings.Contains(msg, fmt.Sprintf("line %d", lines+1)) || !strings.Contains(msg, "contradicts") {
		t.Errorf("the source's error does not name the contradicting line %d: %s", lines+1, msg)
	}
	if after := storeContent(t, store); !bytes.Equal(before, after) {
		t.Error("a streamed read that failed changed the store")
	}
}

// streamFigures puts the figures in the order parse gives them. A put that
// fails stops the parse, which then ends without an error of its own; an
// error of the parse is returned (the figures it gave are dropped by the
// caller, so the last few need not be put).
func TestStreamFiguresOrderAndErrors(t *testing.T) {
	const total = 10_000
	parseAll := func(fail error, emitted *int) func(func(data.Observation) error) error {
		return func(emit func(data.Observation) error) error {
			for i := range total {
				if err := emit(data.Observation{Value: data.Float(float64(i))}); err != nil {
					return err
				}
				*emitted = i + 1
			}
			return fail
		}
	}

	var emitted, put int
	parseErr, putErr := streamFigures(parseAll(nil, &emitted), func(o *data.Observation) error {
		if int(*o.Value) != put {
			return fmt.Errorf("figure %v put in place %d", *o.Value, put)
		}
		put++
		return nil
	})
	if parseErr != nil || putErr != nil || put != total {
		t.Fatalf("all put: %d of %d, errors %v, %v", put, total, parseErr, putErr)
	}

	storeDown := errors.New("disk full")
	emitted, put = 0, 0
	parseErr, putErr = streamFigures(parseAll(nil, &emitted), func(*data.Observation) error {
		if put == 300 {
			return storeDown
		}
		put++
		return nil
	})
	if !errors.Is(putErr, storeDown) || parseErr != nil || put != 300 {
		t.Errorf("a failed put: %d put, errors %v, %v", put, parseErr, putErr)
	}
	if emitted >= total/2 {
		t.Errorf("the parse went on to figure %d after the store failed at 300", emitted)
	}

	badLine := errors.New("line 9000: the file contradicts itself")
	emitted, put = 0, 0
	parseErr, putErr = streamFigures(parseAll(badLine, &emitted), func(*data.Observation) error { put++; return nil })
	if !errors.Is(parseErr, badLine) || putErr != nil || put > total {
		t.Errorf("a failed parse: %d put, errors %v, %v", put, parseErr, putErr)
	}
}
