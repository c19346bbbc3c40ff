# Two commands do all the set-up on a fresh machine (Python, pip and Debian's apt only):
#   make demo   - the main job: grade the bundled demo cohort (creates .venv on first use)
#   make test   - the whole test suite, with lint and type checks (installs what the tests need)

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.qikit-installed
OUT    ?= out/demo

.PHONY: demo test install system-deps lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	./scripts/system-deps.sh

demo: $(STAMP) system-deps
	$(VENV)/bin/qikit demo --out $(OUT)

lint: $(STAMP)
	$(PY) -m ruff check src autograder tests benchmarks
	$(PY) -m mypy

test: $(STAMP) system-deps lint
	$(PY) -m pytest

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
