# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA ?= ../shared/data

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	mkdir -p out
	$(PY) -m aligner align seeds/ -o out/seeds.tmx

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m aligner.bench --data $(DATA)

clean:
	rm -rf $(VENV) out
