# `make run` and `make test` set everything up on first use.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp
OUT     ?= output/current-policy

.PHONY: run test test-fast lint bench bench-app app calibrate validate docs findings robust-example clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $$(.ci/find-python) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

## run: the current-policy scenario over ten years at 1 agent per 20 households (about a minute)
run: $(STAMP)
	$(PY) -m experiments run --scenario current-policy --seed 1 --months 120 \
		--households-per-agent 20 --out $(OUT)

## test: ruff, then every test (browser tests run when Chromium is installed)
test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -W error::FutureWarning -n 2 --dist loadfile

## test-fast: the tests without the slow (national-scale) and browser ones
test-fast: $(STAMP)
	$(PY) -m pytest -W error::FutureWarning -m "not slow and not browser" -n 2 --dist loadfile

lint: $(STAMP)
	$(PY) -m ruff check .

## bench: wall time and peak memory of ten-year runs at 100, 20, 10 and 1 households per agent
##        (BASELINE=rev also times that git revision, one after the other, and prints the speed-up);
##        then sweep speed: time per run inside a sweep against a CLI run, and the 2-process speed-up
bench: $(STAMP)
	$(PY) -m experiments bench $(if $(BASELINE),--against $(BASELINE),)
	$(PY) -m workshop.bench

## bench-app: load test of the workshop app: one user, 15 participants at once (a seed each, their
##            browsers on this machine), server memory before and after; prints the load average
bench-app: $(STAMP)
	$(PY) -m workshop.bench

## app: the workshop app on http://localhost:8765 (production mode: no reloading, no calls home;
##      two malloc arenas so that closed tabs give their memory back)
app: $(STAMP)
	MALLOC_ARENA_MAX=2 $(VENV)/bin/solara run --production app.py

## calibrate: re-derive the calibrated rates (prints them; add WRITE=1 to store them)
calibrate: $(STAMP)
	$(PY) -m experiments calibrate $(if $(WRITE),--write,)

## validate: current policy from 2022-01-01 over 10 seeds at 1:10 beside the published figures;
##           writes the report (report.html, report.md, tables, figures) to $(VALIDATE_OUT)
##           and its tables into docs/validation.md
VALIDATE_OUT ?= output/validation
validate: $(STAMP)
	$(PY) -m experiments validate --docs --out $(VALIDATE_OUT)

## robust-example: the example robust search over the levers (about 4 to 11 minutes on 2 cores;
##                 docs/robust-search.md); RESUME=1 continues an interrupted one
ROBUST_OUT ?= output/robust/robust-example
robust-example: $(STAMP)
	$(PY) -m experiments robust experiments/specs/robust-example.toml --out $(ROBUST_OUT) \
		$(if $(RESUME),--resume,)

## docs: regenerate the reference documents in docs/ (parameters, scenarios, output files, outcomes)
docs: $(STAMP)
	$(PY) -m experiments docs

## findings: regenerate docs/findings.md, every headline effect of the letter's policies with its
##           band over the assumptions (3 seeds at 1:20 to 2036, paired; about 10 minutes on 2 cores)
findings: $(STAMP)
	$(PY) -m experiments findings

clean:
	rm -rf $(VENV) output .pytest_cache .ruff_cache .hypothesis
