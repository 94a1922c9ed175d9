package ktpocr_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/ktpocr/ktpocr"

// pkgInfo is what the architecture tests need to know of one package.
type pkgInfo struct {
	imports map[string]bool // non-test imports
	docs    int             // files with a package doc comment
}

// loadPackages parses every non-test Go file of the module.
func loadPackages(t *testing.T) map[string]*pkgInfo {
	t.Helper()
	pkgs := map[string]*pkgInfo{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "bin") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		if f.Name.Name == "main" && filepath.Base(filepath.Dir(path)) == "gen" {
			return nil // go:generate programs
		}
		src, _ := os.ReadFile(path)
		if strings.Contains(string(src), "//go:build ignore") {
			return nil
		}
		pkg := module
		if dir := filepath.ToSlash(filepath.Dir(path)); dir != "." {
			pkg += "/" + dir
		}
		p := pkgs[pkg]
		if p == nil {
			p = &pkgInfo{imports: map[string]bool{}}
			pkgs[pkg] = p
		}
		if f.Doc != nil {
			p.docs++
		}
		for _, imp := range f.Imports {
			p.imports[strings.Trim(imp.Path.Value, `"`)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func isStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// TestImportArrows keeps the arrows of docs/style.md pointing one way: the
// domain and the OCR vocabulary import the standard library only, the pure
// reading packages import no server, database or engine technology, and
// adapters never import each other — only internal/cli wires them.
func TestImportArrows(t *testing.T) {
	pkgs := loadPackages(t)
	in := func(p string) string { return module + "/internal/" + p }

	stdlibOnly := []string{module, in("ocr")}
	for _, p := range stdlibOnly {
		for imp := range pkgs[p].imports {
			if !isStdlib(imp) {
				t.Errorf("%s imports %s; it may import the standard library only", p, imp)
			}
		}
	}

	pure := []string{"imaging", "card", "quality", "ktp", "normalize", "region", "pipeline", "synth", "geom"}
	forbidden := []string{"net/http", "database/sql", "github.com/riverqueue", "github.com/yalue/onnxruntime_go",
		"github.com/jackc", "modernc.org/sqlite", in("ocr/ppocr"), in("storage"), in("queue"), in("httpapi"), in("cli")}
	for _, name := range pure {
		p, ok := pkgs[in(name)]
		if !ok {
			continue
		}
		for imp := range p.imports {
			for _, bad := range forbidden {
				if imp == bad || strings.HasPrefix(imp, bad+"/") {
					t.Errorf("%s imports %s; pure packages must not", in(name), imp)
				}
			}
		}
	}

	// netguard is not in the list: it is a library of outbound safety (a
	// guarded client, URL checks) that any adapter making requests may use.
	adapters := []string{"httpapi", "storage", "queue", "sandbox", "callback", "console", "ocr/ppocr"}
	for _, a := range adapters {
		for _, b := range adapters {
			if a == b {
				continue
			}
			for pkg, p := range pkgs {
				if pkg != in(a) && !strings.HasPrefix(pkg, in(a)+"/") {
					continue
				}
				for imp := range p.imports {
					if imp == in(b) || strings.HasPrefix(imp, in(b)+"/") && !strings.HasSuffix(imp, "test") {
						if a == "httpapi" && b == "sandbox" {
							continue // the sandbox is httpapi's per-App adapter
						}
						if a == "queue" && b == "storage" {
							continue // River runs inside storage's database: its workers write through the store's transactions
						}
						t.Errorf("adapter %s imports adapter %s; only internal/cli wires adapters together", pkg, imp)
					}
				}
			}
		}
	}
}

// TestPackageDocs requires exactly one package doc comment per package.
func TestPackageDocs(t *testing.T) {
	for pkg, p := range loadPackages(t) {
		if p.docs != 1 {
			t.Errorf("%s has %d package doc comments, want 1", pkg, p.docs)
		}
	}
}
