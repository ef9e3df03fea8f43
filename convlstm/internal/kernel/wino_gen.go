//go:build ignore

// wino_gen writes wino_amd64.s, the AVX-512 transforms of wino.go, from
// the matrices of kernel.WinoFor: every multiply by a constant of BT, AT
// and G is spelled out (zeros dropped, ones as additions and subtractions). Run it with
// go generate in convlstm/internal/kernel.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"sort"
	"strings"

	"example.com/convlstm/convlstm/internal/kernel"
)

var out = flag.String("out", "wino_amd64.s", "file to write")

type gen struct {
	b      bytes.Buffer
	consts map[float64]string // |c| -> register
	zero   string
}

func (g *gen) p(format string, args ...any) { fmt.Fprintf(&g.b, "\t"+format+"\n", args...) }

// lin emits out[o] = sum_k m[o][k] * in[k].
func (g *gen) lin(m [][]float64, in, out []string) {
	for o, row := range m {
		// A positive term first, so that no negation is needed.
		ks := make([]int, 0, len(row))
		for k, c := range row {
			if c != 0 {
				ks = append(ks, k)
			}
		}
		sort.SliceStable(ks, func(a, b int) bool { return row[ks[a]] > 0 && row[ks[b]] < 0 })
		if len(ks) == 0 {
			g.p("VMOVAPS %s, %s", g.zero, out[o])
			continue
		}
		for n, k := range ks {
			c, x, d := row[k], in[k], out[o]
			switch {
			case n == 0 && c == 1:
				g.p("VMOVAPS %s, %s", x, d)
			case n == 0 && c == -1:
				g.p("VSUBPS %s, %s, %s", x, g.zero, d)
			case n == 0:
				g.p("VMULPS %s, %s, %s", g.consts[math.Abs(c)], x, d)
				if c < 0 {
					g.p("VSUBPS %s, %s, %s", d, g.zero, d)
				}
			case c == 1:
				g.p("VADDPS %s, %s, %s", x, d, d)
			case c == -1:
				g.p("VSUBPS %s, %s, %s", x, d, d)
			case c > 0:
				g.p("VFMADD231PS %s, %s, %s", g.consts[c], x, d)
			default:
				g.p("VFNMADD231PS %s, %s, %s", g.consts[-c], x, d)
			}
		}
	}
}

// constants emits, in place, the loads of the constants of ms (loadConsts)
// and returns their DATA lines, which go after the function.
func (g *gen) constants(name string, first int, ms ...[][]float64) (data string) {
	var cb bytes.Buffer
	g.b, cb = cb, g.b
	g.loadConsts(name, first, ms...)
	side := g.b.String()
	g.b = cb
	loads, data := splitConsts(side)
	g.b.WriteString(loads)
	return data
}

// zeroAndConstants zeroes Z29 (the zero register lin uses) and emits the
// loads of the constants of m (constants), returning their DATA lines.
func (g *gen) zeroAndConstants(name string, first int, m [][]float64) (data string) {
	g.p("VPXORD Z29, Z29, Z29")
	g.zero = "Z29"
	return g.constants(name, first, m)
}

// loadConsts broadcasts every |c| other than 0 and 1 of the matrices into
// registers from first on, from the table name<>.
func (g *gen) loadConsts(name string, first int, ms ...[][]float64) {
	g.consts = map[float64]string{}
	var vals []float64
	for _, m := range ms {
		for _, row := range m {
			for _, c := range row {
				a := math.Abs(c)
				if a != 0 && a != 1 && g.consts[a] == "" {
					g.consts[a] = fmt.Sprintf("Z%d", first+len(vals))
					vals = append(vals, a)
				}
			}
		}
	}
	for i, v := range vals {
		g.p("VBROADCASTSS %s<>+%d(SB), %s", name, 4*i, g.consts[v])
	}
	fmt.Fprintf(&g.b, "\n")
	for i, v := range vals {
		fmt.Fprintf(&g.b, "DATA %s<>+%d(SB)/4, $%#08x // %g\n", name, 4*i, math.Float32bits(float32(v)), v)
	}
	if len(vals) > 0 {
		fmt.Fprintf(&g.b, "GLOBL %s<>(SB), RODATA|NOPTR, $%d\n\n", name, 4*len(vals))
	}
}

func regs(from, n int) []string {
	r := make([]string, n)
	for i := range r {
		r[i] = fmt.Sprintf("Z%d", from+i)
	}
	return r
}

// input emits winoIn<r>AVX512(src *float32, lds int, dst *float32, ldd int).
func (g *gen) input(w *kernel.Wino) {
	a := w.Alpha
	g.begin(fmt.Sprintf("winoIn%dAVX512", w.R), "src *float32, lds int, dst *float32, ldd int", 32,
		"V = BT d B for 16 tiles: rows of d deinterleaved by VPERMT2PS, BT applied",
		"to the rows (t = d B stored in dst), then to the columns of t.")
	g.srcDst()
	g.p("VMOVUPS winoEven<>(SB), Z30")
	g.p("VMOVUPS winoOdd<>(SB), Z31")
	data := g.zeroAndConstants(fmt.Sprintf("winoInC%d", w.R), 20, w.BT)
	d, t := regs(0, a), regs(8, a)
	g.p("MOVQ DI, DX")
	for i := 0; i < a; i++ {
		for q := 0; q < a/2; q++ {
			g.p("VMOVUPS %d(SI), %s", 8*q, d[2*q])
			g.p("VMOVAPS %s, %s", d[2*q], d[2*q+1])
			g.p("VPERMT2PS %d(SI), Z30, %s", 8*q+64, d[2*q])
			g.p("VPERMT2PS %d(SI), Z31, %s", 8*q+64, d[2*q+1])
		}
		g.lin(w.BT, d, t)
		for nu := 0; nu < a; nu++ {
			g.p("VMOVUPS %s, (DX)", t[nu])
			g.p("ADDQ R9, DX")
		}
		g.p("ADDQ R8, SI")
	}
	// Column nu of t: slots nu, a+nu, ...: stride a*ldd.
	g.p("MOVQ R9, R10")
	g.p("IMULQ $%d, R10", a)
	for nu := 0; nu < a; nu++ {
		g.strided("DI", "VMOVUPS (DX), %s", t)
		g.lin(w.BT, t, d)
		g.strided("DI", "VMOVUPS %s, (DX)", d)
		g.p("ADDQ R9, DI")
	}
	g.end(data)
}

// output emits winoOut<r>AVX512(src *float32, lds int, dst *float32, ldd int, bias float32).
func (g *gen) output(w *kernel.Wino) {
	a := w.Alpha
	g.begin(fmt.Sprintf("winoOut%dAVX512", w.R), "src *float32, lds int, dst *float32, ldd int, bias float32", 36,
		"Y = AT M A + bias for 16 tiles, columns of M first; the two outputs of",
		"a row interleaved by VPERMT2PS into 32 consecutive pixels.")
	g.srcDst()
	g.p("VBROADCASTSS bias+32(FP), Z28")
	data := g.zeroAndConstants(fmt.Sprintf("winoOutC%d", w.R), 24, w.AT)
	in := regs(0, a)
	s := [2][]string{regs(8, a), regs(8+a, a)} // s[r][nu] = (AT M)[r][nu]
	g.p("MOVQ R8, R10")
	g.p("IMULQ $%d, R10", a)
	for nu := 0; nu < a; nu++ {
		g.strided("SI", "VMOVUPS (DX), %s", in)
		g.lin(w.AT, in, []string{s[0][nu], s[1][nu]})
		g.p("ADDQ R8, SI")
	}
	g.p("VMOVUPS winoLo<>(SB), Z30")
	g.p("VMOVUPS winoHi<>(SB), Z31")
	y := regs(0, 2)
	for r := 0; r < 2; r++ {
		g.lin(w.AT, s[r], y)
		g.p("VADDPS Z28, %s, %s", y[0], y[0])
		g.p("VADDPS Z28, %s, %s", y[1], y[1])
		g.p("VMOVAPS %s, Z2", y[0])
		g.p("VPERMT2PS %s, Z30, Z2", y[1])
		g.p("VPERMT2PS %s, Z31, %s", y[1], y[0])
		g.p("VMOVUPS Z2, (DI)")
		g.p("VMOVUPS %s, 64(DI)", y[0])
		if r == 0 {
			g.p("ADDQ R9, DI")
		}
	}
	g.end(data)
}

// filter emits winoFilter<r>AVX512(src, scratch, dst *float32, ldd, half int):
// U = G g GT for 16 filters side by side (src: R*R vectors, value (ky, kx)
// of every filter at src[(ky*R+kx)*16:]), slot s of U stored as two halves
// of 8 lanes at dst[s*ldd:] and dst[s*ldd+half:] (two panels of MR rows).
func (g *gen) filter(w *kernel.Wino) {
	a, r := w.Alpha, w.R
	g.begin(fmt.Sprintf("winoFilter%dAVX512", r), "src, scratch, dst *float32, ldd, half int", 40,
		"U = G g GT for 16 filters: t = g GT row by row into scratch, then G t",
		"column by column, each slot stored as two 8-lane halves.")
	g.p("MOVQ src+0(FP), SI")
	g.p("MOVQ scratch+8(FP), BX")
	g.p("MOVQ dst+16(FP), DI")
	g.p("MOVQ ldd+24(FP), R9")
	g.p("SHLQ $2, R9")
	g.p("MOVQ half+32(FP), R11")
	g.p("SHLQ $2, R11")
	data := g.zeroAndConstants(fmt.Sprintf("winoFilterC%d", r), 16, w.G)
	in, out := regs(0, a), regs(8, a)
	// Rows: t[ky][nu] = sum_kx g[ky][kx] G[nu][kx], into scratch slot ky*a+nu.
	for ky := 0; ky < r; ky++ {
		for kx := 0; kx < r; kx++ {
			g.p("VMOVUPS %d(SI), %s", 64*(ky*r+kx), in[kx])
		}
		g.lin(w.G, in[:r], out)
		for nu := 0; nu < a; nu++ {
			g.p("VMOVUPS %s, %d(BX)", out[nu], 64*(ky*a+nu))
		}
	}
	// Columns: U[xi][nu] = sum_ky G[xi][ky] t[ky][nu].
	for nu := 0; nu < a; nu++ {
		for ky := 0; ky < r; ky++ {
			g.p("VMOVUPS %d(BX), %s", 64*(ky*a+nu), in[ky])
		}
		g.lin(w.G, in[:r], out)
		for xi := 0; xi < a; xi++ {
			g.p("MOVQ R9, DX")
			g.p("IMULQ $%d, DX", xi*a+nu)
			g.p("ADDQ DI, DX")
			g.p("VMOVUPS %s, (DX)", strings.Replace(out[xi], "Z", "Y", 1))
			g.p("VEXTRACTF64X4 $1, %s, (DX)(R11*1)", out[xi])
		}
	}
	g.end(data)
}

// begin emits the header of function name: its Go signature (args) and the
// lines of doc as comments, then its TEXT line with an argument frame of
// frame bytes.
func (g *gen) begin(name, args string, frame int, doc ...string) {
	fmt.Fprintf(&g.b, "// func %s(%s)\n", name, args)
	for _, d := range doc {
		fmt.Fprintf(&g.b, "// %s\n", d)
	}
	fmt.Fprintf(&g.b, "TEXT ·%s(SB), NOSPLIT, $0-%d\n", name, frame)
}

// srcDst loads the arguments src, lds, dst and ldd of the transforms of
// tiles into SI, R8, DI and R9, the strides in bytes.
func (g *gen) srcDst() {
	g.p("MOVQ src+0(FP), SI")
	g.p("MOVQ lds+8(FP), R8")
	g.p("SHLQ $2, R8")
	g.p("MOVQ dst+16(FP), DI")
	g.p("MOVQ ldd+24(FP), R9")
	g.p("SHLQ $2, R9")
}

// strided emits op (a load or a store, "%s" standing for the register)
// for each of regs in turn, at base, base+R10, base+2*R10, ... (DX walks
// them).
func (g *gen) strided(base, op string, regs []string) {
	g.p("MOVQ %s, DX", base)
	for i, r := range regs {
		g.p(op, r)
		if i < len(regs)-1 {
			g.p("ADDQ R10, DX")
		}
	}
}

// end emits a function's return and, after it, its constants' DATA lines.
func (g *gen) end(data string) {
	g.p("VZEROUPPER")
	g.p("RET")
	fmt.Fprintf(&g.b, "\n%s", data)
}

// splitConsts splits loadConsts' output into its instructions and its
// DATA/GLOBL lines.
func splitConsts(s string) (loads, data string) {
	for _, line := range bytes.Split([]byte(s), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if bytes.HasPrefix(line, []byte("\t")) {
			loads += string(line) + "\n"
		} else {
			data += string(line) + "\n"
		}
	}
	return loads, data
}

func table(g *gen, name string, f func(i int) int) {
	for i := 0; i < 16; i++ {
		fmt.Fprintf(&g.b, "DATA %s<>+%d(SB)/4, $%d\n", name, 4*i, f(i))
	}
	fmt.Fprintf(&g.b, "GLOBL %s<>(SB), RODATA|NOPTR, $64\n\n", name)
}

func main() {
	flag.Parse()
	g := &gen{}
	g.b.WriteString("// Code generated by wino_gen.go; DO NOT EDIT.\n\n//go:build amd64 && !purego\n\n#include \"textflag.h\"\n\n")
	// VPERMT2PS index tables: evens and odds of 32 values (deinterleave),
	// and the interleave of two vectors (lo and hi halves).
	table(g, "winoEven", func(i int) int { return 2 * i })
	table(g, "winoOdd", func(i int) int { return 2*i + 1 })
	table(g, "winoLo", func(i int) int { return i/2 + 16*(i%2) })
	table(g, "winoHi", func(i int) int { return 8 + i/2 + 16*(i%2) })
	for _, r := range []int{3, 5} {
		w := kernel.WinoFor(r)
		g.input(w)
		g.output(w)
		g.filter(w)
	}
	if err := os.WriteFile(*out, g.b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
