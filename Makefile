# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# torch's CPU build first: a loose `torch` requirement would otherwise pull a multi-GB CUDA build.
TORCH  ?= torch==2.13.0

.PHONY: install demo test bench data lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH)"
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: install
	$(VENV)/bin/twin run
	$(VENV)/bin/twin replay runs/default/trace.h5 --reprocess

test: install
	$(PY) -m pytest

bench: install
	$(PY) benchmarks/bench_quantizer.py
	$(PY) benchmarks/bench_engine.py
	$(PY) benchmarks/bench_gpi.py

# Recompute the cached Lloyd-Max tables under data/lloyd_max/ from scratch.
data: install
	$(VENV)/bin/twin quantizers --rebuild-tables --bits 1-12 --samples 1024 > /dev/null

lint: install
	$(PY) -m pip install --quiet ruff && $(VENV)/bin/ruff check twin tests benchmarks

clean:
	rm -rf $(VENV) runs .pytest_cache .hypothesis
