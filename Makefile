# Tandem: `make run` starts the local stack, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup browser run test lint typecheck unit simulate bench synth deploy clean train eval
STAGE ?= dev

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip<26.3"  # chalice 1.34 requires pip<26.3
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) -m dev.stack

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: setup
	$(PY) -m mypy

# Debian's chromium for the widget's browser tests (skipped with a reason where it cannot be installed).
browser:
	bash dev/install_browser.sh

# Both cores: test files are spread over two workers (each has its own moto server and stack).
unit: setup browser
	$(PY) -m pytest -n 2 --dist loadfile

# Synthesize the CDK app offline into infra/cdk.out (TANDEM_STAGE=prod for prod).
synth: setup
	cd infra && ../$(PY) app.py

deploy: setup
	cd infra && npx aws-cdk@2.1148.1 deploy -c stage=$(STAGE)

# Cold start, AWS calls per message, throughput and cost (bench/results/*.json); not part of `make test`.
bench: setup
	$(PY) -m bench.run

test: lint typecheck unit

# Every scenario of simulations/ through the real pipeline (AGENT_BACKEND picks the backend).
simulate: setup
	$(PY) -m chalicelib.simulation simulations/ $(if $(REPORT),--report $(REPORT))

# The intent classifier: train (rewrites chalicelib/agent/intent_model.bin) and evaluate on the
# held-out split (trains nothing; JSON in artifacts/eval/). numpy is needed to train only.
train: setup
	$(PY) -m training.train

eval: setup
	$(PY) -m training.eval $(if $(JSON),--json $(JSON))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache chalice.out cdk.out
