#!/usr/bin/env python3
"""Check in a real browser that the maths of the exported notebooks renders.

Usage: check_html_math.py HTML...

Each HTML (build/notebooks/*.html, written by `make notebooks`) is opened by
Debian's chromium, headless, through a file:// URL, with the network off in
effect (nothing but the files next to the HTML is there to load), and its DOM
is dumped after a budget of virtual time. MathJax 2 leaves one
<script type="math/tex"> per formula it found and draws each one as an SVG in
an element of class MathJax_SVG. A notebook fails when

- it has maths (a $ in a markdown cell of its .ipynb next to it) but MathJax
  found none: MathJax did not load (a wrong path, a missing copy);
- fewer formulas were drawn than found, or a formula drew as an error
  (merror, "Math Processing Error", or an undefined command such as \foo,
  which MathJax writes in red);
- chromium fails or is missing (`make setup` installs Debian's chromium).

Prints one line per HTML and exits 1 if any failed. Only the standard
library is used.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--virtual-time-budget=20000", "--dump-dom",
]


def browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def has_maths(html_path):
    """True if the notebook next to the HTML has $ in a markdown cell."""
    nb_path = os.path.splitext(html_path)[0] + ".ipynb"
    try:
        with open(nb_path, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError):
        return None
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            src = cell.get("source")
            src = "".join(src) if isinstance(src, list) else src or ""
            if re.search(r"\$[^$\n]+\$", src):
                return True
    return False


def dump(chrome, html_path):
    with tempfile.TemporaryDirectory(prefix="nb-chromium-") as profile:
        cmd = [chrome, *FLAGS, f"--user-data-dir={profile}", "file://" + os.path.abspath(html_path)]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def check(chrome, path):
    want = has_maths(path)
    code, dom, err = dump(chrome, path)
    if code != 0 or not dom.strip():
        return False, f"chromium exited {code}: {err.strip().splitlines()[-1:] if err else ''}"
    found = len(re.findall(r'<script type="math/tex', dom))
    drawn = len(re.findall(r'class="MathJax_SVG"', dom))
    errors = len(re.findall(r'class="[^"]*(?:MathJax_Error|merror)|data-mml-node="merror"|Math Processing Error|mathcolor=&quot;red&quot;', dom))
    summary = f"{found} formulas found by MathJax, {drawn} drawn as SVG, {errors} errors"
    if want and found == 0:
        return False, summary + " (the notebook has maths: MathJax did not load or run)"
    if drawn < found:
        return False, summary + " (some formulas were not drawn)"
    if errors:
        return False, summary
    return True, summary


def main():
    paths = sys.argv[1:]
    if not paths:
        print("check_html_math: no HTML files given")
        return 1
    chrome = browser()
    if chrome is None:
        print("check_html_math: no chromium found (make setup installs Debian's chromium)")
        return 1
    failed = 0
    for p in paths:
        try:
            ok, summary = check(chrome, p)
        except subprocess.TimeoutExpired:
            ok, summary = False, "chromium timed out"
        print(f"{'ok  ' if ok else 'FAIL'} {p}: {summary}")
        failed += not ok
    print(f"maths-check: {len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
