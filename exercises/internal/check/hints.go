package check

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// hintHeading matches a hint heading of an exercise README:
// "### Hint 2: the kernel is not flipped".
var hintHeading = regexp.MustCompile(`^###\s+Hint\s+(\d+)\s*(?::\s*(.*?))?\s*$`)

var (
	hintMu     sync.Mutex
	hintTitles = map[string]map[int]string{} // README path -> hint number -> title
)

// HintTitles reads the "### Hint N: title" headings of a README.
func HintTitles(readme string) (map[int]string, error) {
	f, err := os.Open(readme)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	titles := map[int]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := hintHeading.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		titles[n] = strings.TrimSpace(m[2])
	}
	return titles, sc.Err()
}

// hintTitle returns the title of hint n of the README in the current
// directory (a test runs in its exercise folder), or "" when there is none.
func hintTitle(n int) string {
	hintMu.Lock()
	defer hintMu.Unlock()
	const readme = "README.md"
	titles, ok := hintTitles[readme]
	if !ok {
		titles, _ = HintTitles(readme)
		hintTitles[readme] = titles
	}
	return titles[n]
}

// Hint returns a pointer to hint n of the exercise's README, with the
// hint's title, for failure messages:
//
//	see Hint 3 (the order i, f, o, g) in exercises/03-gate-split/README.md
func (e Exercise) Hint(n int) string {
	if title := hintTitle(n); title != "" {
		return fmt.Sprintf("see Hint %d (%s) in exercises/%s/README.md", n, title, string(e))
	}
	return fmt.Sprintf("see Hint %d in exercises/%s/README.md", n, string(e))
}
