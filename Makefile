# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet
DATA ?= ../shared/data
# make bench DEV_EXTRA="mac-dev=/path/to/mac-dev:zh-en" EXTRA="/path/to/mac-test other=/path:de-fr"
# BERTALIGN=/path/to/a/copy/of/bertalign BENCH_CACHE=out/bench-cache (use-numpy's vectors kept)
DEV_EXTRA ?=
EXTRA ?=
BERTALIGN ?=
BENCH_CACHE ?=

.PHONY: run test bench bench-engines tune calibrate clean

$(VENV)/.base: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e .
	touch $@

# the test extra adds pytest, hypothesis, sentence-transformers with torch pinned (CPU build) and Ray
$(VENV)/.test: $(VENV)/.base
	$(PIP) -e '.[test]'
	touch $@

run: $(VENV)/.base
	mkdir -p out
	$(PY) -m aligner align seeds/ -o out/seeds.tmx

test: $(VENV)/.test
	$(PY) -m pytest -q

# the onnx extra: `use` then runs the quantised USE through onnxruntime, the encoder the
# README's results are measured with (without it `use` falls back to numpy)
$(VENV)/.onnx: $(VENV)/.base
	$(PIP) -e '.[onnx]'
	touch $@

# the bench extra: what Bertalign's code imports (faiss-cpu, numba, torch), for BERTALIGN=
$(VENV)/.bench: $(VENV)/.onnx
	$(PIP) -e '.[onnx,bench]'
	touch $@

# the calibrate extra: scikit-learn fits the confidence model, matplotlib draws its reliability
# diagram (aligning reads the fitted JSON with numpy alone)
$(VENV)/.calibrate: $(VENV)/.onnx
	$(PIP) -e '.[onnx,calibrate]'
	touch $@

# Gold sets kept outside $(DATA), as [NAME=]PATH[:SRC-TGT]: DEV_EXTRA development sets (tuned
# and fitted on, as $(DATA) is: the MAC dev set), EXTRA held-out ones (only measured: MAC test)

# quality of every development set (encoders use, use-numpy and none, and the diagonal; the
# extra gold sets and the Bertalign peer when given), the calibration of the confidence
# (results/reliability-*.png), then speed
bench: $(VENV)/.calibrate $(if $(BERTALIGN),$(VENV)/.bench)
	$(PY) -m aligner.bench --data $(DATA) $(foreach e,$(DEV_EXTRA),--dev-extra $(e)) $(foreach e,$(EXTRA),--extra $(e)) \
		$(if $(BERTALIGN),--bertalign $(BERTALIGN)) $(if $(BENCH_CACHE),--cache $(BENCH_CACHE))
	$(PY) -m aligner.speed report --data $(DATA)

# every tunable varied around its default on every development set, leave-one-set-out
# selection, written to docs/tuning.md
tune: $(VENV)/.onnx
	$(PY) -m aligner.tune --data $(DATA) $(foreach e,$(DEV_EXTRA),--dev-extra $(e)) -o docs/tuning.md

# refit the confidence models (models/confidence-use.json, -none.json) on the development data;
# aligned dev data are cached per encoder in .cache/calibrate
calibrate: $(VENV)/.calibrate
	$(PY) -m aligner calibrate --data $(DATA) $(foreach e,$(DEV_EXTRA),--dev-extra $(e)) --encoders use,none

# the Ray extra: `--engine ray` (Ray Data on this machine or a cluster)
$(VENV)/.ray: $(VENV)/.base
	$(PIP) -e '.[ray]'
	touch $@

# the local engine against Ray on 100 and 1,000 documents: documents per second, driver memory
bench-engines: $(VENV)/.onnx $(VENV)/.ray
	$(PY) -m aligner.speed engines --data $(DATA)

clean:
	rm -rf $(VENV) out
