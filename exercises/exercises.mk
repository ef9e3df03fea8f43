# Course exercises (exercises/README.md), included by the top-level Makefile.
#
#   make exercises         progress table of every exercise (strict mode); always exits 0
#   make exercise N=03     one exercise, verbosely, in strict mode
#   make exercises-check   part of `make test`: every reference solution passes
#                          (-tags solution), every folder follows the rules, every unsolved
#                          stub fails in strict mode (a stub a student changed is reported
#                          as solved or in progress instead), and every wrong solution kept
#                          in exercises/*/testdata fails, pointing to the hint or the rule it
#                          was written for (exercises-fixtures)
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
	echo "== $$d: the rules (exercises/README.md, \"Write it by hand\"), then CONVLSTM_STRICT=1 go test -v (task and hints: $$d/README.md)"; \
	$(GO) run ./exercises/internal/rules/cmd $$d || exit 1; \
	CONVLSTM_STRICT=1 $(GO) test -count=1 -v ./$$d/

exercises-check:
	@echo "exercises-check: the reference solutions (-tags solution) pass"
	$(GO) vet -tags solution ./exercises/...
	$(GO) test -race -count=1 -tags solution ./exercises/...
	@echo "exercises-check: every exercise folder follows the rules (exercises/internal/rules)"
	$(GO) run ./exercises/internal/rules/cmd $(EXERCISE_DIRS)
	@echo "exercises-check: every unsolved stub fails in strict mode (CONVLSTM_STRICT=1), each check as 'not started'"
	@GO='$(GO)' bash exercises/internal/stubcheck.sh $(EXERCISE_DIRS)
	@echo "exercises-check: a stub a student solved is reported, not failed (a temporary clone)"
	@GO='$(GO)' bash exercises/internal/stubcheck_test.sh
	@echo "exercises-fixtures: every wrong solution in exercises/*/testdata fails, pointing to its hint or the rule it breaks"
	$(GO) run ./exercises/internal/fixtures $(FIXTURES_FLAGS)

# Each exercises/NN-*/testdata/wrong_*.go.txt (or .txtar) is put in place of
# the stub and must break the rule its header names, or fail its checks with
# every failing check pointing to the hint its header names; the reference
# solutions, run the same way, must pass. See exercises/internal/fixtures.
FIXTURES_FLAGS ?=
exercises-fixtures:
	@echo "exercises-fixtures: every wrong solution in exercises/*/testdata fails, pointing to its hint or the rule it breaks"
	$(GO) run ./exercises/internal/fixtures $(FIXTURES_FLAGS)
