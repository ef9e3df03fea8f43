# Course exercises (exercises/README.md), included by the top-level Makefile.
#
#   make exercises         progress table of every exercise (strict mode); always exits 0
#   make exercise N=03     one exercise, verbosely, in strict mode
#   make exercises-check   part of `make test`: every reference solution passes
#                          (-tags solution), every unsolved stub fails in strict mode, and
#                          every wrong solution kept in exercises/*/testdata fails, pointing
#                          to the hint it was written for (exercises-fixtures)
#   make exercises-fixtures  only that last part (FIXTURES_FLAGS=-v shows each failure)

EXERCISE_DIRS := $(sort $(wildcard exercises/[0-9][0-9]-*))

TEST_TARGETS += exercises-check

.PHONY: exercises exercise exercises-check exercises-fixtures

exercises:
	@$(GO) run ./exercises/internal/progress

exercise:
	@n='$(N)'; \
	if [ -z "$$n" ]; then echo "usage: make exercise N=03   (one of: $(notdir $(EXERCISE_DIRS)))"; exit 2; fi; \
	[ $${#n} = 1 ] && n=0$$n; \
	d=$$(ls -d exercises/$$n-* 2>/dev/null | head -n 1); \
	if [ -z "$$d" ]; then echo "no exercise $$n; there are: $(notdir $(EXERCISE_DIRS))"; exit 2; fi; \
	echo "== $$d: CONVLSTM_STRICT=1 go test -v (task and hints: $$d/README.md)"; \
	CONVLSTM_STRICT=1 $(GO) test -count=1 -v ./$$d/

exercises-check:
	@echo "exercises-check: the reference solutions (-tags solution) pass"
	$(GO) vet -tags solution ./exercises/...
	$(GO) test -race -count=1 -tags solution ./exercises/...
	@echo "exercises-check: every unsolved stub fails in strict mode (CONVLSTM_STRICT=1), each check as 'not started'"
	@fail=0; \
	for d in $(EXERCISE_DIRS); do \
	  out=$$(CONVLSTM_STRICT=1 $(GO) test -count=1 -v ./$$d/ 2>&1); rc=$$?; \
	  ns=$$(grep -c 'NOT STARTED' <<<"$$out"); \
	  passed=$$(grep -- '--- PASS:' <<<"$$out" | awk '{print $$3}' | paste -sd, -); \
	  if [ $$rc -eq 0 ]; then \
	    echo "FAIL $$d: the unsolved stub PASSED with CONVLSTM_STRICT=1 (its checks cannot tell a stub from a solution)"; fail=1; \
	  elif [ -n "$$passed" ]; then \
	    echo "FAIL $$d: these checks pass on the unsolved stub: $$passed"; fail=1; \
	  elif [ "$$ns" -eq 0 ]; then \
	    echo "FAIL $$d: the stub fails, but not as 'not started' (does it build?):"; head -n 20 <<<"$$out"; fail=1; \
	  else \
	    echo "ok   $$d: stub fails, $$ns checks not started"; \
	  fi; \
	done; \
	exit $$fail
	@echo "exercises-fixtures: every wrong solution in exercises/*/testdata fails, pointing to its hint"
	$(GO) run ./exercises/internal/fixtures $(FIXTURES_FLAGS)

# Each exercises/NN-*/testdata/wrong_*.go.txt is compiled in place of the stub
# (go test -overlay) and must fail its checks, every failing check pointing to
# the hint (or the "write it by hand" rule) its header names; the reference
# solutions, run the same way, must pass. See exercises/internal/fixtures.
FIXTURES_FLAGS ?=
exercises-fixtures:
	@echo "exercises-fixtures: every wrong solution in exercises/*/testdata fails, pointing to its hint"
	$(GO) run ./exercises/internal/fixtures $(FIXTURES_FLAGS)
