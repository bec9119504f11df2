// Command generate writes data/builtin/snapshot.jsonl: the built-in
// snapshot exactly as the ingest formats read it from the BLS workbooks
// committed under data/builtin/bls/ and the reference figures beside them.
// `go generate ./data/builtin` runs it in data/builtin; its test checks that
// the committed file is what the workbooks hold.
//
// It lives apart from package builtin so that the binary, which embeds
// only the generated file, does not carry the workbooks.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/labdash/labdash/data/builtin"
)

func main() {
	dir := flag.String("dir", ".", "the data/builtin folder: bls/ and "+builtin.ReferenceName+" are read there, "+
		builtin.FileName+" is written there")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	pub, err := buildPublication(os.DirFS(dir))
	if err != nil {
		return err
	}
	body, err := builtin.Encode(pub)
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, builtin.FileName), body); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d figures from %d files\n", builtin.FileName, len(pub.Observations), len(pub.Sources))
	return nil
}

// writeFile replaces path only once the new file is whole.
func writeFile(path string, body []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(body)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
