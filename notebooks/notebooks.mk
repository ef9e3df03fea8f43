# Jupyter + gophernotes: set-up and the headless notebook runner.
#
# Included from the top-level Makefile (or run as `make -f notebooks/notebooks.mk`
# from the repository root); every path is relative to the repository root.
#
#   make setup            Jupyter (Debian packages), gophernotes built into
#                         build/gophernotes/, the `gophernotes` kernelspec, and the
#                         project's modules in the module cache. Idempotent.
#   make notebooks        execute notebooks/*.ipynb in name order (01-05, then the
#                         appendix A1) into build/notebooks/<name>.ipynb and .html,
#                         with MathJax copied next to the HTML (tools/bundle-js.sh)
#   make notebooks-check  check build/notebooks/*.ipynb: no errors, every cell
#                         ran, at least one PNG per notebook, no PNG stored twice,
#                         counts in the text match the data; and, in headless
#                         chromium, that the maths of every .html renders offline
#   make notebooks-smoke  self-test of the kernel set-up with notebooks/tools/smoke.ipynb
#   make lab              the Jupyter notebook UI on notebooks/
#
# Why each step is needed is written in notebooks/tools/*. In short: gophernotes
# v0.7.5 does not build or run on Go 1.26 as tagged, so we patch it, pin a newer
# gomacro and golang.org/x/tools, and run the kernel with GODEBUG=gotypesalias=0
# and a file:// module proxy over the local module cache.

GO                  ?= go
NB_PY               ?= /usr/bin/python3
# libjs-mathjax: the MathJax copied next to the HTML (tools/bundle-js.sh);
# chromium: the headless browser that checks the maths renders (tools/check_html_math.py).
NB_APT_PACKAGES     ?= jupyter-notebook python3-nbconvert python3-nbclient python3-ipykernel libjs-mathjax chromium
NB_DIR              ?= notebooks
NB_TOOLS            ?= $(NB_DIR)/tools
NB_OUT              ?= build/notebooks
NB_TIMEOUT          ?= 900
NB_KERNEL           ?= gophernotes
NOTEBOOKS           ?= $(sort $(wildcard $(NB_DIR)/*.ipynb))
NB_SMOKE            ?= $(NB_TOOLS)/smoke.ipynb
NB_SMOKE_OUT        ?= build/notebooks-smoke

GOPHERNOTES_VERSION ?= v0.7.5
GOMACRO_VERSION     ?= v0.0.0-20240506194242-2ff796e3da10
XTOOLS_VERSION      ?= v0.29.0
GOPHERNOTES_DIR     ?= build/gophernotes
GOPHERNOTES_BIN     ?= $(GOPHERNOTES_DIR)/gophernotes
GOPHERNOTES_PATCH   ?= $(NB_TOOLS)/gophernotes-jsoner.patch
JUPYTER_KERNEL_DIR  ?= $(HOME)/.local/share/jupyter/kernels/$(NB_KERNEL)

NB_GOPHERNOTES_PINS  = $(GOPHERNOTES_VERSION) $(GOMACRO_VERSION) $(XTOOLS_VERSION)

.PHONY: setup notebooks notebooks-check notebooks-smoke lab
.PHONY: nb-jupyter nb-gophernotes nb-kernelspec nb-godeps nb-always

# No recipe of its own: the top-level Makefile may add prerequisites to setup.
setup: nb-jupyter nb-gophernotes nb-kernelspec nb-godeps

# (1) Jupyter from Debian's packages, installed only when missing.
nb-jupyter:
	@sh $(NB_TOOLS)/install-jupyter.sh $(NB_PY) $(NB_APT_PACKAGES)

# (2) gophernotes, rebuilt only when the patch, the build script or a pinned
# version changes (pins.txt is rewritten only when its content differs).
nb-gophernotes: $(GOPHERNOTES_BIN)
	@echo "gophernotes: $(GOPHERNOTES_BIN) up to date ($(NB_GOPHERNOTES_PINS))"

$(GOPHERNOTES_DIR)/pins.txt: nb-always
	@mkdir -p $(@D)
	@echo '$(NB_GOPHERNOTES_PINS)' | cmp -s - $@ || echo '$(NB_GOPHERNOTES_PINS)' > $@

$(GOPHERNOTES_BIN): $(GOPHERNOTES_PATCH) $(NB_TOOLS)/build-gophernotes.sh $(GOPHERNOTES_DIR)/pins.txt
	@GO='$(GO)' GOPHERNOTES_VERSION='$(GOPHERNOTES_VERSION)' GOMACRO_VERSION='$(GOMACRO_VERSION)' \
	  XTOOLS_VERSION='$(XTOOLS_VERSION)' \
	  sh $(NB_TOOLS)/build-gophernotes.sh $(GOPHERNOTES_DIR) $(GOPHERNOTES_PATCH)

nb-always: ;

# (3) The kernelspec `gophernotes` (kernel.json rewritten only when it changes).
nb-kernelspec: nb-jupyter nb-gophernotes
	@$(NB_PY) $(NB_TOOLS)/install-kernelspec.py '$(JUPYTER_KERNEL_DIR)' '$(abspath $(GOPHERNOTES_BIN))' \
	  "$$($(GO) env GOMODCACHE)" $(GOPHERNOTES_DIR)/src/kernel

# (4) Every module in go.sum into the module cache, so that the kernel's file://
# proxy can serve them when `import "../convlstm"` builds a temporary module
# that requires this project (go get + go mod tidy there need all of them).
nb-godeps:
	@$(GO) mod download all
	@$(GO) mod download $$(awk '$$2 !~ /\/go.mod$$/ { print $$1 "@" $$2 }' go.sum | sort -u)
	@echo "go modules: $$(awk '$$2 !~ /\/go.mod$$/' go.sum | wc -l | tr -d ' ') modules of go.sum in $$($(GO) env GOMODCACHE)"

NB_RUN = GO='$(GO)' NB_PY='$(NB_PY)' NB_KERNEL='$(NB_KERNEL)' NB_TIMEOUT='$(NB_TIMEOUT)' \
  sh $(NB_TOOLS)/run-notebooks.sh

notebooks: setup
	@$(NB_RUN) $(NB_OUT) $(NOTEBOOKS)

# Checks what `make notebooks` left; it does not run them. Every notebooks/*.ipynb
# must have an executed copy in build/notebooks newer than itself.
notebooks-check:
	@$(NB_PY) $(NB_TOOLS)/check_notebooks.py --sources $(NB_DIR) $(sort $(wildcard $(NB_OUT)/*.ipynb))
	@$(NB_PY) $(NB_TOOLS)/check_html_math.py $(sort $(wildcard $(NB_OUT)/*.html))

notebooks-smoke: setup
	@$(NB_RUN) $(NB_SMOKE_OUT) $(NB_SMOKE)
	@$(NB_PY) $(NB_TOOLS)/check_notebooks.py $(NB_SMOKE_OUT)/$(notdir $(NB_SMOKE))

# Extra flags for the UI, e.g. NB_LAB_FLAGS='--no-browser --port=8888 --ip=127.0.0.1'.
# As root (as on the project's machines) --allow-root is added: Jupyter refuses to start without it.
NB_LAB_FLAGS ?=
lab: setup
	$(NB_PY) -m notebook --notebook-dir=$(NB_DIR) $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(NB_LAB_FLAGS)
