// Command benchtable reads `go test -bench BenchmarkForward` output (and,
// optionally, the BenchmarkTorch lines of testdata/bench_torch.py) on
// standard input and prints one row per shape: naive, fast and PyTorch
// GFLOP/s with the ratios. With several runs of a benchmark it keeps the
// best, the number least disturbed by other work on the machine.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
)

var line = regexp.MustCompile(`^Benchmark(Forward/(naive|fast)|Torch|Peak|Gemm|FusedStep)/?(\w*)(-\d+)?\s+\d+\s+\d+(?:\.\d+)? ns/op\s+([\d.]+) GFLOP/s`)

func main() {
	best := map[string]float64{}
	var order []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		kind := m[2]
		switch m[1] {
		case "Torch":
			kind = "torch"
		case "Peak", "Gemm", "FusedStep":
			kind = m[1]
		}
		shape := m[3]
		g, err := strconv.ParseFloat(m[5], 64)
		if err != nil {
			continue
		}
		key := kind + "/" + shape
		best[key] = max(best[key], g)
		if shape != "" && (kind == "naive" || kind == "fast" || kind == "torch") && !seen[shape] {
			seen[shape] = true
			order = append(order, shape)
		}
	}
	hasTorch := false
	for _, s := range order {
		if best["torch/"+s] > 0 {
			hasTorch = true
		}
	}
	ratio := func(a, b float64) string {
		if a == 0 || b == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2fx", a/b)
	}
	num := func(v float64) string {
		if v == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f", v)
	}
	fmt.Printf("%-8s %12s %12s %10s", "shape", "naive GF/s", "fast GF/s", "fast/naive")
	if hasTorch {
		fmt.Printf(" %12s %11s", "torch GF/s", "fast/torch")
	}
	fmt.Println()
	for _, s := range order {
		n, f, t := best["naive/"+s], best["fast/"+s], best["torch/"+s]
		fmt.Printf("%-8s %12s %12s %10s", s, num(n), num(f), ratio(f, n))
		if hasTorch {
			fmt.Printf(" %12s %11s", num(t), ratio(f, t))
		}
		fmt.Println()
	}
	if p := best["Peak/"]; p > 0 {
		fmt.Printf("float32 FMA peak (all cores): %.1f GFLOP/s", p)
		if g := best["Gemm/"]; g > 0 {
			fmt.Printf("; sgemm 256x2048x1600: %.1f GFLOP/s (%.0f%% of peak)", g, 100*g/p)
		}
		fmt.Println()
		for _, s := range order {
			if f := best["fast/"+s]; f > 0 {
				fmt.Printf("  %-6s fast forward %.0f%% of peak", s, 100*f/p)
				if st := best["FusedStep/"+s]; st > 0 {
					fmt.Printf(", one fused recurrent step %.1f GFLOP/s (%.0f%%)", st, 100*st/p)
				}
				fmt.Println()
			}
		}
	}
}
