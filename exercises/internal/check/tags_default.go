//go:build !solution

package check

// SolutionBuild reports whether this build has the `solution` tag, that is,
// whether the exercises compiled their reference solutions instead of the
// stubs (the files the students edit). ByHand reads the files of the build.
const SolutionBuild = false
