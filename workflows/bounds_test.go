package workflows

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Every activity the workflows run is bounded in time: its options name a
// ScheduleToCloseTimeout, so no retry goes on for ever and no caller waits
// without end. Read from the source, because an unbounded option set
// behaves like a bounded one until the day a vendor stays down.
func TestEveryActivityIsBounded(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			sel, ok := lit.Type.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "ActivityOptions" {
				return true
			}
			found++
			for _, el := range lit.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "ScheduleToCloseTimeout" {
						return true
					}
				}
			}
			t.Errorf("%s: activity options without ScheduleToCloseTimeout", fset.Position(lit.Pos()))
			return true
		})
	}
	if found < 5 {
		t.Fatalf("found %d activity option sets; is the test reading the workflows?", found)
	}
}
