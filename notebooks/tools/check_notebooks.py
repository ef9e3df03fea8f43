#!/usr/bin/env python3
"""Check executed notebooks (the output of `make notebooks`).

Usage: check_notebooks.py [--sources DIR] NOTEBOOK...

Each NOTEBOOK (an executed .ipynb, e.g. build/notebooks/*.ipynb) fails when
- a cell has an error output (output_type "error"), or a stream on stderr
  carrying a Go panic or an interpreter error;
- a non-empty code cell has execution_count None (it did not run);
- no cell has an image/png output (every notebook here draws something);
- an output stores binary data a second time as text, e.g. a text/plain
  "[137 80 78 71 ...]" next to an image/png (what gophernotes' display.PNG
  did before notebooks/tools/gophernotes-jsoner.patch), or any output text
  that is a long list of decimal bytes;
- a count stated in a markdown cell disagrees with the one the code printed:
  "<N> (small) (golden) cases" in the text against a printed line
  "golden cases: <N>" (notebook 03), N in digits or words up to twenty.

With --sources DIR, every DIR/*.ipynb must also have an executed copy among
the NOTEBOOKs (matched by file name) that is newer than the source; a missing
or stale copy fails.

Prints one summary line per notebook and exits 1 if any check failed.
Only the standard library is used.
"""

import argparse
import glob
import json
import os
import re
import sys
from datetime import datetime

# stderr text that means a cell went wrong even though the kernel did not
# report an error (gomacro prints some failures as plain stderr).
MAX_LISTED = 8  # problems listed per notebook

BAD_STDERR = re.compile(r"^(panic: |// error: |error: |fatal error: )", re.M)

# A []byte printed with fmt.Sprint: "[137 80 78 71 13 10 26 10 ...]" (a PNG
# starts with those eight bytes); 32 numbers or more in a row count.
BYTE_LIST = re.compile(r"\[?(?:\d{1,3} ){31,}\d{1,3}\]?")


def text_of(value):
    if isinstance(value, list):
        return "".join(value)
    return value or ""


NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}

# Counts that the text may state and the code prints: (pattern in markdown,
# pattern in the outputs, what is counted).
STATED_COUNTS = [
    (re.compile(r"\b(\d+|[A-Za-z]+)\s+(?:small\s+)?(?:golden\s+)?cases\b"),
     re.compile(r"golden cases: (\d+)"), "golden cases"),
]


def stated_number(word):
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word.lower())


def check_counts(nb):
    """Problems where a count in the markdown differs from the printed one."""
    problems = []
    markdown = [text_of(c.get("source")) for c in nb.get("cells", []) if c.get("cell_type") == "markdown"]
    outputs = []
    for c in nb.get("cells", []):
        for out in c.get("outputs", []):
            outputs.append(text_of(out.get("text")))
            outputs.append(text_of(out.get("data", {}).get("text/plain")))
    printed_text = "\n".join(outputs)
    for in_text, in_output, what in STATED_COUNTS:
        printed = {int(m.group(1)) for m in in_output.finditer(printed_text)}
        if not printed:
            continue
        for md in markdown:
            for m in in_text.finditer(md):
                n = stated_number(m.group(1))
                if n is not None and n not in printed:
                    problems.append(f"the text says \"{m.group(0)}\" but the code printed "
                                    f"{', '.join(map(str, sorted(printed)))} {what}")
    return problems


def parse_time(s):
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None


def cell_seconds(cell):
    """Execution time recorded by nbclient (metadata.execution), or None."""
    ex = cell.get("metadata", {}).get("execution", {})
    start = parse_time(ex.get("iopub.execute_input") or ex.get("shell.execute_reply.started"))
    end = parse_time(ex.get("shell.execute_reply"))
    if start and end:
        return (end - start).total_seconds()
    return None


def check(path):
    """Return (problems, summary) for one executed notebook."""
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError) as e:
        return [f"cannot read: {e}"], "unreadable"

    code = ran = pngs = errors = 0
    seconds = 0.0
    slowest = (0.0, None)
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        if not text_of(cell.get("source")).strip():
            continue  # nbclient skips empty cells
        code += 1
        where = f"cell {i}"
        if cell.get("execution_count") is None:
            problems.append(f"{where}: did not run (execution_count is None)")
        else:
            ran += 1
        s = cell_seconds(cell)
        if s is not None:
            seconds += s
            if s > slowest[0]:
                slowest = (s, i)
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                errors += 1
                msg = f"{out.get('ename', '')}: {out.get('evalue', '')}".strip(": ")
                problems.append(f"{where}: error output: {msg[:300]}")
            elif kind == "stream" and out.get("name") == "stderr":
                m = BAD_STDERR.search(text_of(out.get("text")))
                if m:
                    errors += 1
                    line = text_of(out.get("text"))[m.start():].splitlines()[0]
                    problems.append(f"{where}: stderr: {line[:300]}")
            if kind in ("display_data", "execute_result"):
                data = out.get("data", {})
                if "image/png" in data:
                    pngs += 1
                for mime, value in data.items():
                    if mime.startswith("image/") or not isinstance(value, (str, list)):
                        continue
                    if BYTE_LIST.search(text_of(value)[:4000]):
                        problems.append(f"{where}: {mime} output holds a list of decimal bytes "
                                        f"({len(text_of(value))} characters): binary data stored twice")
            if kind == "stream" and BYTE_LIST.search(text_of(out.get("text"))[:4000]):
                problems.append(f"{where}: {out.get('name')} holds a list of decimal bytes")
    if pngs == 0:
        problems.append("no image/png output")
    problems.extend(check_counts(nb))
    summary = f"{ran}/{code} code cells ran, {pngs} png, {errors} errors, {seconds:.1f} s in cells"
    if slowest[1] is not None:
        summary += f" (slowest: cell {slowest[1]}, {slowest[0]:.1f} s)"
    return problems, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sources", help="folder of source notebooks that must all have been executed")
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args()

    failed = set()
    executed = {os.path.basename(p): p for p in args.notebooks}
    if args.sources:
        for src in sorted(glob.glob(os.path.join(args.sources, "*.ipynb"))):
            name = os.path.basename(src)
            out = executed.get(name)
            if out is None:
                print(f"FAIL {src}: no executed copy (run `make notebooks`)")
                failed.add(src)
            elif os.path.getmtime(out) < os.path.getmtime(src):
                print(f"FAIL {out}: older than {src} (run `make notebooks`)")
                failed.add(out)

    if not args.notebooks and not args.sources:
        print("check_notebooks: no notebooks given")
        return 1

    for path in args.notebooks:
        problems, summary = check(path)
        if problems:
            failed.add(path)
            print(f"FAIL {path}: {summary}")
            for p in problems[:MAX_LISTED]:
                print(f"     {p}")
            if len(problems) > MAX_LISTED:
                print(f"     ... and {len(problems) - MAX_LISTED} more")
        else:
            print(f"ok   {path}: {summary}")

    passed = sum(1 for p in args.notebooks if p not in failed)
    print(f"notebooks-check: {passed} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
