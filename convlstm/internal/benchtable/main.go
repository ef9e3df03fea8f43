// Command benchtable reads `go test -bench BenchmarkForward` output (and,
// optionally, the BenchmarkTorch lines of testdata/bench_torch.py) on
// standard input and prints one row per shape: naive, fast and PyTorch
// GFLOP/s with the ratios; then, when the input has them, the training step
// (BenchmarkTrainStep, Go and PyTorch GFLOP/s) and the next-frame model's
// steps per second (BenchmarkNextFrameStep), each with the ratio. With several runs of a benchmark it keeps the
// best, the number least disturbed by other work on the machine.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// train matches the training benchmarks: BenchmarkTrainStep (convlstm/bptt)
// and BenchmarkNextFrameStep (convlstm/train), and their PyTorch twins.
var train = regexp.MustCompile(`^Benchmark(TrainStep|TorchTrainStep|NextFrameStep|TorchNextFrameStep)/(\w+)(-\d+)?\s+\d+\s+\d+(?:\.\d+)? ns/op\s+([\d.]+) (GFLOP/s|steps/s)`)

// ladder matches BenchmarkTrainLadder (convlstm/bptt): one rung per line.
var ladder = regexp.MustCompile(`^BenchmarkTrainLadder/(\S+?)(-\d+)?\s+\d+\s+(\d+) ns/op\s+([\d.]+) ns/pixel`)

var line = regexp.MustCompile(`^Benchmark(Forward/(naive|fast)|Torch|Peak|Gemm|FusedStep)/?(\w*)(-\d+)?\s+\d+\s+\d+(?:\.\d+)? ns/op\s+([\d.]+) GFLOP/s`)

func main() {
	best := map[string]float64{}
	var order []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(os.Stdin)
	var trainOrder, frameOrder, rungs []string
	rungNs, rungPix := map[string]float64{}, map[string]float64{}
	for sc.Scan() {
		if m := ladder.FindStringSubmatch(sc.Text()); m != nil {
			ns, _ := strconv.ParseFloat(m[3], 64)
			pix, _ := strconv.ParseFloat(m[4], 64)
			if _, ok := rungNs[m[1]]; !ok {
				rungs = append(rungs, m[1])
			} else if ns >= rungNs[m[1]] {
				continue
			}
			rungNs[m[1]], rungPix[m[1]] = ns, pix
			continue
		}
		if m := train.FindStringSubmatch(sc.Text()); m != nil {
			g, err := strconv.ParseFloat(m[4], 64)
			if err != nil {
				continue
			}
			key := m[1] + "/" + m[2]
			if !seen[key] && (m[1] == "TrainStep" || m[1] == "TorchTrainStep") && !seen["train/"+m[2]] {
				seen["train/"+m[2]] = true
				trainOrder = append(trainOrder, m[2])
			}
			if (m[1] == "NextFrameStep" || m[1] == "TorchNextFrameStep") && !seen["frame/"+m[2]] {
				seen["frame/"+m[2]] = true
				frameOrder = append(frameOrder, m[2])
			}
			best[key] = max(best[key], g)
			continue
		}
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
	if len(order) > 0 {
		fmt.Printf("%-8s %12s %12s %10s", "shape", "naive GF/s", "fast GF/s", "fast/naive")
		if hasTorch {
			fmt.Printf(" %12s %11s", "torch GF/s", "fast/torch")
		}
		fmt.Println()
	}
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
		fmt.Println("  (GFLOP/s count the direct conv's multiply-adds: layers that take Winograd's algorithm do fewer, and can pass 100%)")
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
	if len(trainOrder) > 0 {
		fmt.Printf("\n%-8s %16s %16s %9s\n", "training", "go GF/s", "torch GF/s", "go/torch")
		for _, sh := range trainOrder {
			g, t := best["TrainStep/"+sh], best["TorchTrainStep/"+sh]
			fmt.Printf("%-8s %16s %16s %9s\n", sh, num(g), num(t), ratio(g, t))
		}
	}
	if len(frameOrder) > 0 {
		fmt.Printf("\n%-8s %16s %16s %9s\n", "nextframe", "go steps/s", "torch steps/s", "go/torch")
		for _, sh := range frameOrder {
			g, t := best["NextFrameStep/"+sh], best["TorchNextFrameStep/"+sh]
			fmt.Printf("%-8s %16s %16s %9s\n", sh, num(g), num(t), ratio(g, t))
		}
	}
	if len(rungs) > 0 {
		fmt.Printf("\n%-12s %12s %12s  %s\n", "train rung", "ms/step", "ns/pixel", "ns/pixel relative to the first rung of its ladder")
		first := map[string]float64{}
		for _, r := range rungs {
			axis := strings.SplitN(r, "=", 2)[0]
			if _, ok := first[axis]; !ok {
				first[axis] = rungPix[r]
			}
			fmt.Printf("%-12s %12.2f %12.0f  %.2fx\n", r, rungNs[r]/1e6, rungPix[r], rungPix[r]/first[axis])
		}
	}
}
