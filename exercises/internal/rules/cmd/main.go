// Command cmd checks exercise folders against the rules of package rules
// (what the folder may hold, what the student's file may import and use),
// reading them from disk before any of their code is compiled or run.
//
//	go run ./exercises/internal/rules/cmd exercises/03-gate-split ...
//
// It prints each broken rule and exits 1 when there is one.
package main

import (
	"fmt"
	"os"

	"example.com/convlstm/exercises/internal/rules"
)

func main() {
	code := 0
	for _, dir := range os.Args[1:] {
		if err := rules.CheckDir(dir); err != nil {
			fmt.Println(err)
			code = 1
		}
	}
	os.Exit(code)
}
